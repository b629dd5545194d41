// The report's examination section: for each comparison, its two sides, the CMC analyses with an overlay picture
// of the congruent cells on A, the snapshots the examiners took (their annotated views), the annotations, every
// conclusion record on the AFTE range with its written basis and the scores shown (amendments beside the original
// they amend), the verification record, and the hits it made.
import type { AfteConclusion, ExaminationRecords } from '../../../../contract/examination.ts';
import { afteConclusions } from '../../../../contract/examination.ts';
import { stationWords } from '../../../../contract/words/index.ts';
import type { PdfLayout } from './pdfLayout.ts';
import { reportStrings, type ReportLanguage } from './strings.ts';
import { cmcOverlayPng } from './cmcOverlay.ts';
import { shortTime } from './references.ts';

/** Fills a template; a value the record does not hold reads `missing` ("not recorded"), never a dash. */
function filler(missing: string) {
  return (template: string, values: Record<string, string | number | null | undefined>): string =>
    template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values[name];
      return value === null || value === undefined || value === '' ? missing : String(value);
    });
}

/** A person as the record names them: their display name when the package carries it, else their user name. */
const who = (p: { username: string; displayName: string } | null) =>
  p ? (p.displayName ? `${p.displayName} (${p.username})` : p.username) : null;

export async function examinationSection(
  layout: PdfLayout,
  ex: ExaminationRecords,
  language: ReportLanguage,
  evidence: (sha256: string) => Promise<Uint8Array | null>,
): Promise<void> {
  const s = reportStrings[language].exam;
  const regions = stationWords[language].regionName;
  const fill = filler(reportStrings[language].notRecorded);
  const time = (iso: string | null) => (iso ? shortTime(iso) : null);
  if (ex.comparisons.length === 0) {
    layout.paragraph(s.noComparisons);
    return;
  }
  const afteScale = (chosen: AfteConclusion) =>
    // No-break spaces inside an entry: a line breaks between entries, never between a box and its name.
    afteConclusions.map((c) => `${c === chosen ? '■' : '□'}\u00a0${s.afte[c].replace(/ /g, '\u00a0')}`).join('   ');

  for (const comparison of [...ex.comparisons].sort((x, y) => x.id - y.id)) {
    layout.heading(fill(s.comparisonHeading, { a: comparison.a.label, b: comparison.b.label }), 11);
    layout.paragraph(
      fill(s.state, { state: s.states[comparison.state], by: comparison.openedBy, at: time(comparison.openedAt) }),
    );
    for (const side of [comparison.a, comparison.b])
      layout.paragraph(
        fill(s.side, {
          side: side.side.toUpperCase(),
          label: side.label,
          region: regions[side.region],
          at: time(side.acquiredAt),
        }) + (side.topography ? ` · SHA-256 ${side.topography.sha256}` : ''),
        { size: 8.5 },
        12,
      );

    for (const analysis of ex.analyses.filter((a) => a.comparisonId === comparison.id)) {
      layout.paragraph(
        fill(s.analysis, {
          by: analysis.ranBy,
          at: time(analysis.ranAt),
          ab: analysis.cmc.ab,
          ba: analysis.cmc.ba,
          combined: analysis.cmc.combined,
          algorithm: `${analysis.algorithm.name} ${analysis.algorithm.version}`,
        }),
        { bold: true },
      );
      const direction = analysis.directions.find((d) => d.reference === 'a') ?? analysis.directions[0];
      const caption = fill(s.overlayCaption, {
        count: direction.cells.filter((c) => c.congruent).length,
        cells: direction.cells.length,
      });
      const x3p = await evidence(analysis.inputs.a);
      const overlay = x3p ? cmcOverlayPng(x3p, analysis) : null;
      if (overlay)
        await layout.image(overlay, { maxWidth: 260, maxHeight: 260, caption, unreadable: s.snapshotUnreadable });
      else layout.paragraph(s.overlayMissing, { size: 8.5 });
    }

    for (const snap of ex.snapshots.filter((x) => x.comparisonId === comparison.id)) {
      const caption = fill(s.snapshotCaption, {
        by: who(snap.author),
        role: s.roles[snap.role],
        at: time(snap.createdAt),
        caption: snap.caption,
      });
      const png = await evidence(snap.sha256);
      if (png) await layout.image(png, { maxHeight: 240, caption, unreadable: s.snapshotUnreadable });
      else layout.paragraph(`${caption} — ${s.snapshotUnreadable}`, { size: 8.5 });
    }

    const annotations = ex.annotations.filter((a) => a.comparisonId === comparison.id);
    if (annotations.length) {
      layout.paragraph(fill(s.annotations, { count: annotations.length }), { bold: true });
      for (const a of annotations)
        layout.paragraph(
          fill(s.annotation, {
            layer: s.layers[a.layer],
            side: a.side.toUpperCase(),
            frame: a.frame,
            by: who(a.author),
            role: s.roles[a.role],
            revision: a.revision,
            note: a.note,
          }) +
            (a.withdrawn
              ? ` — ${fill(s.withdrawn, { at: time(a.withdrawn.at), by: a.withdrawn.by, reason: a.withdrawn.reason })}`
              : ''),
          { size: 8.5 },
          12,
        );
    }

    for (const c of ex.conclusions.filter((x) => x.comparisonId === comparison.id)) {
      layout.space(2);
      layout.paragraph(
        fill(s.conclusionHeading, {
          role: s.roles[c.role],
          by: who(c.examiner),
          at: time(c.recordedAt),
        }),
        { bold: true },
      );
      layout.paragraph(`${s.afteScale} ${afteScale(c.conclusion)}`, { size: 9 }, 12);
      layout.paragraph(fill(s.basis, { basis: c.basis }), {}, 12);
      const scores = c.record.scoresShown.map(
        (score) =>
          `CMC ${score.cmc.ab}/${score.cmc.ba} (${score.cmc.combined}), ${score.algorithm.name} ${score.algorithm.version}, ${score.calibrated}`,
      );
      layout.paragraph(
        scores.length ? fill(s.scoresShown, { scores: scores.join('; ') }) : s.noScores,
        { size: 8.5 },
        12,
      );
      if (c.amends !== null) {
        // The amended record by who recorded it and when (record ids are the station's, not the lab's).
        const amended = ex.conclusions.find((x) => x.id === c.amends);
        layout.paragraph(
          fill(s.amends, {
            by: amended ? who(amended.examiner) : null,
            at: amended ? time(amended.recordedAt) : null,
            reason: c.reason,
          }),
          { size: 8.5 },
          12,
        );
      }
      if (!c.current) layout.paragraph(s.superseded, { size: 8.5, colour: [0.4, 0.4, 0.4] }, 12);
    }

    const verifications = ex.verifications.filter((v) => v.comparisonId === comparison.id);
    if (verifications.length === 0) layout.paragraph(s.noVerification, { size: 8.5 });
    for (const v of verifications)
      layout.paragraph(
        fill(s.verification, {
          state: s.verificationStates[v.state],
          blind: v.blind ? s.blind : s.notBlind,
          requestedBy: v.requestedBy === 'policy' ? s.byPolicy : fill(s.byRequest, { reason: v.requestReason }),
          verifier: who(v.verifier) ?? s.nobody,
          arbiter: who(v.arbiter) ?? s.nobody,
          at: time(v.createdAt),
          closed: time(v.closedAt) ?? s.notYet,
        }),
      );

    for (const hit of ex.hits.filter((h) => h.comparisonId === comparison.id)) {
      const side = (h: (typeof hit)['here']) =>
        h.kind === 'local' ? `${h.labCaseNumber} / ${h.exhibitNumber}` : `${h.labId} ${h.caseRef} / ${h.itemRef}`;
      layout.paragraph(
        fill(s.hit, {
          conclusion: s.afte[hit.conclusion],
          here: side(hit.here),
          linked: side(hit.linked),
          by: hit.confirmedBy,
          at: time(hit.confirmedAt),
        }),
      );
    }
  }
}
