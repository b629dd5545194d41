// Public surface of the analysis engine for the host, the CLI and the UI's host-side services.
// Everything heavy runs in the worker pool; the functions exported here that take `cv` run in the caller's thread.
export {
  createAnalysisPool,
  type AnalysisPool,
  type AnalysisPoolOptions,
  type CompareOptions,
  type PairOutcome,
  type BatchProgress,
} from './pool/pool.ts';
export {
  byEvidence,
  defaultRegistrationCheck,
  searchCandidates,
  type RegistrationScore,
  type SearchCandidate,
  type SearchOptions,
  type SearchResult,
  type RankedCandidate,
} from './search.ts';
export {
  cmcParamsSchema,
  cmcPreprocessDefaults,
  resolveCmcParams,
  type CmcParams,
  type CmcParamsInput,
} from './cmc/params.ts';
export type { CmcResult, CmcDirection } from './cmc/compare.ts';
export type { CongruentCell, Consensus } from './cmc/congruency.ts';
export type { Registration } from './cmc/registration.ts';
export { boundedCorrelation } from './cmc/registration.ts';
export {
  preprocessSurface,
  preprocessParamsSchema,
  resolvePreprocessParams,
  type PreprocessParams,
  type PreprocessParamsInput,
  type PreprocessResult,
} from './preprocess.ts';
export {
  calibrateCount,
  referencePopulationSchema,
  type CalibratedScore,
  type ReferencePopulation,
} from './calibratedScore.ts';
export {
  calibrateFor,
  fadulKnmPopulation,
  fadulRegistrationReference,
  fadulScreeningReference,
} from './reference/index.ts';
export { checkedScreeningCut, screeningCut, type ScreeningCut, type ScreeningReference } from './screeningCut.ts';
export { screeningSignature, compareSignatures, type ScreeningSignature, type ScreeningScore } from './screening.ts';
export {
  ScreeningIndex,
  encodeScreeningSignature,
  decodeScreeningEncoding,
  screeningEncodingBytes,
  screeningEncodingVersion,
  defaultScreeningHarmonics,
  type IndexHit,
  type IndexQueryResult,
} from './screeningIndex.ts';
export {
  detectRegionsInImage,
  detectRegionsInSurface,
  breechFaceMask,
  regionsSchema,
  circleSchema,
  type Regions,
  type Circle,
} from './regions.ts';
export { AnalysisError, type AnalysisErrorReason } from './errors.ts';
export { loadOpenCv } from './opencv.ts';
export type { ScanRef } from './scans.ts';
export {
  decodeSignatureFile,
  encodeSignatureFile,
  maxSignatureFileBytes,
  screeningParamsKey,
  signatureFileFormat,
  signatureMediaType,
  signaturesAgree,
  SignatureFileError,
  type SignatureFile,
} from './signatureFile.ts';
