/** A zip member name that would land outside the extraction folder, or is otherwise not a plain relative path. */
export function isUnsafeZipName(name: string): boolean {
  if (name.includes('\\') || name.includes('\0')) return true;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split('/').some((part) => part === '..');
}
