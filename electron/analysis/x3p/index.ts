export { readX3P, readX3PFile, defaultX3PLimits } from './read.ts';
export { writeX3P, type X3PWriteOptions } from './write.ts';
export { X3PError, type X3PErrorCode } from './errors.ts';
export type * from './types.ts';
export { detectScanFormat, importScan, kindOfName, sniffFileKind, type ImportedScan } from './importScan.ts';
