import { canonicalJson } from '../../base/canonicalJson.ts';
import type { AuditFinding, AuditFindingData, AuditProblem, AuditProblemKind } from '../../contract/audit.ts';

/** Problems found by a verification, kept to a readable number (a rewritten log could yield millions). */
export class ProblemList {
  readonly items: AuditProblem[] = [];
  more = 0;
  private readonly limit: number;

  constructor(limit = 100) {
    this.limit = limit;
  }

  /** A problem: `message` in English for the CLI and logs, `finding` for the screen to word. */
  add(
    kind: AuditProblemKind,
    seq: number | null,
    subject: string | null,
    message: string,
    finding: AuditFindingData,
  ): void {
    // Which checkpoint is bad (a line of the checkpoints file, a network submission, one given), for the screen.
    const found = kind === 'checkpoint' && subject !== null ? withCheckpointSource(finding, subject) : finding;
    if (this.items.length < this.limit) this.items.push({ kind, seq, subject, message, finding: found });
    else this.more++;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}

/** Kinds of record a problem's subject can name ('item 12', 'annotation 5 revision 2', 'evidence <sha256>'). */
const recordTypes = new Set([
  'case',
  'item',
  'acquisition',
  'evidence',
  'conclusion',
  'snapshot',
  'annotation',
  'verification',
  'hit',
  'calibration',
]);

/**
 * What a problem found, for the screen: its code, the names and figures its words need, and the record its subject
 * names (subjects of records read '<entity type> <id>…'), which the screen shows by the lab's reference.
 */
export function finding(
  code: AuditFinding,
  subject: string | null = null,
  values?: Record<string, string | number>,
): AuditFindingData {
  const [type, id] = subject?.split(' ') ?? [];
  return {
    code,
    ...(values ? { values } : {}),
    ...(type && id && recordTypes.has(type) ? { record: { type, id } } : {}),
  };
}

/** Longest value a finding quotes: enough to read an exhibit number or a note's start, never a whole document. */
export const shownValueLimit = 120;

/**
 * A record's value as a finding quotes it ("Q1", 9.5, ["a","b"]): text as typed, anything else as canonical JSON,
 * empty as ''. Cut to `shownValueLimit` characters (whole code points) with '…', so a forged megabyte of text in a
 * row cannot flood the screen or the result.
 */
export function shownValue(value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : canonicalJson(value);
  const points = [...text];
  return points.length > shownValueLimit ? `${points.slice(0, shownValueLimit).join('')}…` : text;
}

/** A field that differs from its audit entries, with both values for the screen. */
export function fieldChanged(subject: string, field: string, stored: unknown, audited: unknown): AuditFindingData {
  return finding('field_changed', subject, { field, stored: shownValue(stored), audited: shownValue(audited) });
}

/**
 * A checkpoint's source as the screen words it: values.checkpointLine (of the checkpoints file beside the database;
 * 0 for the file as a whole), values.checkpointJob (a network submission's outbox job), or values.checkpointSource (as given, e.g. a package).
 */
function withCheckpointSource(found: AuditFindingData, source: string): AuditFindingData {
  const line = /^checkpoints file line (\d+)$/.exec(source)?.[1];
  const job = /^network submission \(job (.+)\)$/.exec(source)?.[1];
  const where: Record<string, string | number> =
    line !== undefined
      ? { checkpointLine: Number(line) }
      : job !== undefined
        ? { checkpointJob: shownValue(job) }
        : source === 'checkpoints file'
          ? { checkpointLine: 0 }
          : { checkpointSource: shownValue(source) };
  return { ...found, values: { ...found.values, ...where } };
}
