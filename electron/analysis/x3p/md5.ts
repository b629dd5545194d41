import { createHash } from 'node:crypto';

export function md5Hex(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** md5checksum.hex holds "<32 hex digits> *main.xml" (md5sum's binary-mode line); we only need the digest. */
export function parseChecksumFile(text: string): string | undefined {
  return /^\s*([0-9a-fA-F]{32})\b/.exec(text)?.[1]?.toLowerCase();
}
