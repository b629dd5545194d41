// How the hub compares a new casing with other labs' casings of the same calibre: the analysis engine
// (electron/analysis) on the submitted X3P topographies — screening signatures rank every candidate, the
// registration check (coarse 360° registration) re-ranks the signature's best, full CMC (congruent matching cells)
// scores the best few of that order, and a lead carries the CMC count, its likelihood ratio and where the cut fell. Heavy work runs in
// the engine's worker pool, off the hub's request thread; the pool starts at the first signature it needs (a
// comparison, or checking a station's own signature), so a hub that never needs one never pays for it.
// Signatures are kept per X3P hash in memory and, with `cacheDir`, as files that outlive a restart.
import { hubNote } from './notes.ts';
import type { CorrelationNote } from '../protocol.ts';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkedScreeningCut,
  createAnalysisPool,
  decodeSignatureFile,
  defaultRegistrationCheck,
  encodeSignatureFile,
  fadulRegistrationReference,
  fadulScreeningReference,
  maxSignatureFileBytes,
  screeningParamsKey,
  searchCandidates,
  signaturesAgree,
  type AnalysisPool,
  type ScreeningSignature,
} from '../../analysis/index.ts';
import type { LikelihoodRatio } from '../../analysis/lr/model.ts';
import type { Lead, Manifest } from '../protocol.ts';

/** A casing as the scorer sees it: its submission and, when its X3P is stored, where the file is. */
export interface ScorerCasing {
  submissionId: string;
  manifest: Manifest;
  /** The local file of the submission's first X3P artifact, when it has one and the hub holds it. */
  topographyPath: string | undefined;
  /** The local file of the station's screening signature (artifact role "features"), when it sent one. */
  featuresPath?: string;
}

export interface ScoredLead {
  otherSubmissionId: string;
  /** The combined CMC count (the ranking score of a lead). */
  score: number;
  scorer: string;
  /** CMC counts each way (query's cells found in the other casing, and back), the screening similarity, and
   *  the count's frequency among known non-matches of the reference population, as a sentence. */
  detail: LeadDetail;
}

/** The lead's detail as the protocol carries it (CMC both ways, screening, screened count and cut, LR). */
export type LeadDetail = NonNullable<Lead['detail']>;

export interface Correlation {
  leads: ScoredLead[];
  /** Why there are fewer leads than candidates (no topography, candidates that could not be read). */
  notes: CorrelationNote[];
}

export interface CasingScorer {
  readonly name: string;
  /** Scores a casing against candidates (other labs, same calibre); at most `maxLeads`, best first. */
  correlate(
    query: ScorerCasing,
    candidates: ScorerCasing[],
    maxLeads: number,
    signal: AbortSignal,
  ): Promise<Correlation>;
  close(): Promise<void>;
}

export interface CmcScorerOptions {
  /** Analysis worker threads (default: the pool's default, one per core up to 8). */
  workers?: number;
  /** Best-screened candidates that get full CMC (default 10; at least maxLeads). */
  topK?: number;
  /** How many of the signature's best the registration check re-ranks before the top K is taken (default
   *  defaultRegistrationCheck(topK), as a station's search; 0: the signature's order alone). */
  registrationCheck?: number;
  /** A pool to use instead of making one (the caller then closes it). */
  pool?: AnalysisPool;
  /** Where computed signatures are kept, one file per X3P hash, so a restarted hub computes none twice. */
  cacheDir?: string;
}

export const cmcScorerName = 'cmc/casebench-analysis-1';

/** Signatures are kept by the X3P's SHA-256: the same bytes always give the same signature. */
type SignatureEntry = { signature: ScreeningSignature } | { error: string };

export function createCmcScorer(options: CmcScorerOptions = {}): CasingScorer {
  let pool = options.pool;
  const ownPool = !pool;
  // Promises, so that two submissions of the same bytes compute one signature.
  const signatures = new Map<string, Promise<SignatureEntry>>();
  const topographySha = (casing: ScorerCasing) => casing.manifest.artifacts.find((a) => a.role === 'x3p')?.sha256;

  /** A signature file kept from an earlier run, if it is one of this topography with today's parameters. */
  function keptSignature(sha: string): ScreeningSignature | undefined {
    if (!options.cacheDir) return undefined;
    try {
      const kept = decodeSignatureFile(readFileSync(join(options.cacheDir, `${sha}.json`)));
      return kept.topographySha256 === sha && kept.paramsKey === screeningParamsKey ? kept.signature : undefined;
    } catch {
      return undefined; // absent, torn or of another format: computed again
    }
  }

  function keep(sha: string, signature: ScreeningSignature): void {
    if (!options.cacheDir) return;
    try {
      mkdirSync(options.cacheDir, { recursive: true });
      // Derived data: a temp file and a rename so a reader never sees half a file; no fsync (a lost one is recomputed).
      const path = join(options.cacheDir, `${sha}.json`);
      writeFileSync(
        `${path}.tmp`,
        encodeSignatureFile({ topographySha256: sha, paramsKey: screeningParamsKey, signature }),
      );
      renameSync(`${path}.tmp`, path);
    } catch (error) {
      console.error(`hub: could not keep the signature of ${sha}: ${(error as Error).message}`);
    }
  }

  /** The screening signature of a casing's topography, computed once; a file the engine cannot read is remembered as such. */
  function signatureOf(casing: ScorerCasing, signal: AbortSignal): Promise<SignatureEntry> {
    const sha = topographySha(casing)!;
    const known = signatures.get(sha);
    if (known) return known;
    const kept = keptSignature(sha);
    if (kept) {
      const entry = Promise.resolve<SignatureEntry>({ signature: kept });
      signatures.set(sha, entry);
      return entry;
    }
    const analysis = (pool ??= createAnalysisPool({ size: options.workers }));
    const entry = analysis.signature({ path: casing.topographyPath! }, { signal }).then(
      (output): SignatureEntry => {
        keep(sha, output.signature);
        return { signature: output.signature };
      },
      (error: unknown): SignatureEntry => {
        // A stop is not a verdict on the file: forget it, so the next start computes it again.
        if (signal.aborted) {
          signatures.delete(sha);
          throw error;
        }
        return { error: (error as Error).message };
      },
    );
    signatures.set(sha, entry);
    return entry;
  }

  /**
   * Checks the station's own signature of the casing against the hub's. They agree when both run the same engine
   * and parameters; when they do not, the lab's local searches rank differently from the network's, which the lab
   * should know. Screening and CMC always use the hub's own signature and the X3P.
   */
  function featuresNote(casing: ScorerCasing, mine: ScreeningSignature): CorrelationNote | undefined {
    if (!casing.featuresPath) return undefined;
    let theirs;
    try {
      // Its size is checked before it is read: the manifest may declare any size for it.
      const size = statSync(casing.featuresPath).size;
      if (size > maxSignatureFileBytes)
        throw new Error(`${size} bytes is too large for a signature file (at most ${maxSignatureFileBytes})`);
      theirs = decodeSignatureFile(readFileSync(casing.featuresPath));
    } catch (error) {
      return hubNote('features_unreadable', { error: (error as Error).message });
    }
    if (theirs.topographySha256 !== topographySha(casing))
      return hubNote('features_other_topography', { sha256: theirs.topographySha256 });
    if (theirs.paramsKey !== screeningParamsKey) return hubNote('features_other_parameters');
    if (!signaturesAgree(theirs.signature, mine)) return hubNote('features_differ');
    return undefined;
  }

  return {
    name: cmcScorerName,
    async correlate(query, candidates, maxLeads, signal) {
      const notes: CorrelationNote[] = [];
      if (!query.topographyPath) return { leads: [], notes: [hubNote('no_topography')] };
      const scorable = candidates.filter((c) => c.topographyPath);
      if (scorable.length < candidates.length)
        notes.push(hubNote('candidates_without_topography', { count: candidates.length - scorable.length }));
      // The submission's own signature screens the candidates and is what the station's features are checked against.
      if (scorable.length === 0 && !query.featuresPath) return { leads: [], notes };
      const mine = await signatureOf(query, signal);
      if ('error' in mine) return { leads: [], notes: [...notes, hubNote('query_unreadable', { error: mine.error })] };
      const features = featuresNote(query, mine.signature);
      if (features) notes.push(features);
      if (scorable.length === 0) return { leads: [], notes };
      const withSignatures: { id: string; ref: { path: string }; signature: ScreeningSignature }[] = [];
      const entries = await Promise.all(scorable.map((c) => signatureOf(c, signal)));
      scorable.forEach((c, i) => {
        const entry = entries[i];
        if ('error' in entry)
          notes.push(hubNote('candidate_unreadable', { candidate: c.submissionId, error: entry.error }));
        else withSignatures.push({ id: c.submissionId, ref: { path: c.topographyPath! }, signature: entry.signature });
      });
      if (withSignatures.length === 0) return { leads: [], notes };
      const topK = Math.max(maxLeads, options.topK ?? 10);
      const result = await searchCandidates(
        pool!,
        { id: query.submissionId, ref: { path: query.topographyPath }, signature: mine.signature },
        withSignatures,
        {
          topK,
          // When every candidate gets full CMC anyway, registering them first would change nothing.
          registrationCheck:
            withSignatures.length > topK ? (options.registrationCheck ?? defaultRegistrationCheck(topK)) : 0,
          signal,
        },
      );
      const leads: ScoredLead[] = [];
      // Each candidate's place in the signature's order (the registration check re-ranked the best of it).
      const bySignature = [...result.ranked].sort((a, b) => b.screening.score - a.screening.score);
      const signatureRank = new Map(bySignature.map((r, i) => [r.id, i + 1]));
      const wentOn = result.ranked
        .filter((r) => (result.checked > 0 ? r.screeningRank <= result.checked : Boolean(r.cmc || r.error)))
        .map((r) => r.screening.score);
      const cut = cutDetail({
        screened: result.screened,
        registered: result.checked,
        topK,
        cut: wentOn.length > 0 ? Math.min(...wentOn) : undefined,
      });
      for (const r of result.ranked) {
        if (r.error) notes.push(hubNote('candidate_not_compared', { candidate: r.id, error: r.error.message }));
        if (!r.cmc || leads.length >= maxLeads) continue;
        leads.push({
          otherSubmissionId: r.id,
          score: r.cmc.combined,
          scorer: cmcScorerName,
          detail: {
            cmcAb: r.cmc.ab,
            cmcBa: r.cmc.ba,
            screening: r.screening.score,
            calibrated: r.calibrated?.statement,
            ...cut,
            fullyScored: result.fullyScored,
            signatureRank: signatureRank.get(r.id)!,
            ...(r.registration ? { registration: r.registration.score } : {}),
            ...(r.lr ? { lr: leadLikelihoodRatio(r.lr) } : {}),
          },
        });
      }
      return { leads, notes };
    },
    async close() {
      if (ownPool) await pool?.close();
      pool = undefined;
    },
  };
}

/**
 * Where a correlation's screening stopped, as each of its leads says: casings screened, how many of the signature's
 * best the registration check scored, the lowest signature score among the casings that went on past the signature's
 * order (`cut`), and the expected share of correlations whose mate is lost at this cut (screeningCut.ts: the
 * signature's and the registration's reference populations, the Fadul pairs).
 */
export function cutDetail(cut: {
  screened: number;
  registered: number;
  /** Casings that got (or were meant for) full CMC. */
  topK: number;
  /** The lowest signature score of the casings that went on (registered, or compared when none was). */
  cut: number | undefined;
}): Pick<
  LeadDetail,
  'screened' | 'registered' | 'cut' | 'expectedMissRate' | 'cutReference' | 'missRateRange' | 'missRateEstimable'
> {
  const rate = checkedScreeningCut(
    cut.topK,
    cut.registered,
    cut.screened,
    fadulScreeningReference,
    fadulRegistrationReference,
  );
  return {
    screened: cut.screened,
    registered: cut.registered,
    ...(cut.cut === undefined ? {} : { cut: cut.cut }),
    expectedMissRate: rate.expectedMissRate,
    cutReference: rate.reference,
    // Revision 4: at network sizes the reference often cannot say the rate; the station then says so, with the range.
    missRateRange: rate.range,
    missRateEstimable: rate.estimable,
  };
}

/** The likelihood ratio as a lead carries it (the engine's own object has more than the protocol needs). */
export function leadLikelihoodRatio(lr: LikelihoodRatio): NonNullable<LeadDetail['lr']> {
  return {
    log10Lr: lr.log10Lr,
    interval: lr.interval,
    clipped: lr.clipped,
    comparable: lr.comparable,
    ...(lr.betweenClasses === undefined ? {} : { betweenClasses: lr.betweenClasses }),
    model: lr.model,
    statement: lr.statement,
  };
}
