// Moving package files between the browser and the station in slices the contract accepts (≤ 8 MiB a message):
// a package the station exported comes down slice by slice into a Blob the browser saves; a package picked in
// the browser goes up slice by slice into the station's incoming folder. Both report progress and stop on abort.
import { maxUploadChunkBytes, type CallInput, type CallOutput, type Calls } from '../../../electron/contract/index.ts';

type Caller = <M extends 'packages.exportContent' | 'packages.uploadStart' | 'packages.uploadChunk'>(
  method: M,
  input: CallInput<Calls[M]>,
) => Promise<CallOutput<Calls[M]>>;

/** Reads a package of the exports folder into memory slices (a Blob made of them is written to disk by the browser). */
export async function fetchExport(
  call: Caller,
  fileName: string,
  onProgress: (received: number, size: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { size, bytes } = await call('packages.exportContent', { fileName, offset });
    if (bytes.byteLength > 0) parts.push(bytes);
    offset += bytes.byteLength;
    onProgress(offset, size);
    if (offset >= size) return parts;
    if (bytes.byteLength === 0)
      throw new Error(`the station stopped sending "${fileName}" at byte ${offset} of ${size}`);
  }
}

/** Hands bytes to the browser as a file download named `fileName`. */
export function saveAsDownload(parts: BlobPart[], fileName: string, mediaType: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; give the browser a moment before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The part of a picked file a slice reader returns (File and Blob both have it). */
export interface SliceSource {
  name: string;
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Sends a picked file to the station's incoming folder; answers the upload id to verify and import. */
export async function uploadPackage(
  call: Caller,
  file: SliceSource,
  onProgress: (sent: number, size: number) => void,
  signal?: AbortSignal,
  chunkBytes = maxUploadChunkBytes,
): Promise<string> {
  const { uploadId } = await call('packages.uploadStart', { fileName: file.name.slice(0, 255), size: file.size });
  let offset = 0;
  while (offset < file.size) {
    signal?.throwIfAborted();
    const end = Math.min(file.size, offset + chunkBytes);
    const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
    const { received } = await call('packages.uploadChunk', { uploadId, offset, bytes });
    offset = received;
    onProgress(offset, file.size);
  }
  return uploadId;
}

/** A file name for a new package of a case: its lab case number and the date, in the station's naming rules. */
export function suggestedPackageName(labCaseNumber: string, now: Date): string {
  const safe = labCaseNumber.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'case';
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${safe}-${stamp}.cbpkg.zip`;
}
