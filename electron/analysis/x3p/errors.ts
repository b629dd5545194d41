// One error type for everything wrong with an X3P file, with a code a caller can branch on and the
// CLI exit code for "bad input" (3). Messages name the file part and the value that was wrong.
export type X3PErrorCode =
  | 'bad-zip' // not a zip, truncated, CRC error, unsupported compression
  | 'unsafe-path' // zip member names that escape the archive (zip-slip) or are duplicated
  | 'missing-member' // main.xml, data.bin or valid.bin absent
  | 'bad-xml' // main.xml not well-formed or missing required elements
  | 'checksum' // MD5 of main.xml or a binary member does not match
  | 'size' // declared sizes disagree with the data
  | 'limits' // declared sizes beyond the configured bounds (huge dimensions, zip bombs)
  | 'no-data' // every point invalid / NaN
  | 'unsupported'; // valid ISO 5436-2 we cannot turn into a Surface (multi-layer, irregular point cloud)

export class X3PError extends Error {
  readonly code: X3PErrorCode;
  readonly exitCode = 3;
  constructor(code: X3PErrorCode, message: string) {
    super(message);
    this.name = 'X3PError';
    this.code = code;
  }
}
