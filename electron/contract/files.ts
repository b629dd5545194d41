// Files that cross the contract. No host path ever does: a call names a file by a name the user chose, inside
// one of the station's own transfer folders under its data folder. What leaves the station is written to
// `exports` (never replacing a file there); what comes in is read from `imports` (the operator copies bundles
// there, or the desktop app copies the file the user picked in a native dialog). Anything else on the host
// stays out of reach of the contract, whatever the caller's role.
import { z } from 'zod';
import { defineCall } from './rpc.ts';

export const transferAreas = ['exports', 'imports'] as const;
export type TransferArea = (typeof transferAreas)[number];

// Characters no file system of the three platforms takes in a name, or that would change its meaning.
const forbiddenCharacters = /[/\\:*?"<>|\p{Cc}\p{Cf}]/u;
const windowsDeviceName = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Why a name is not a plain file name the user chose (null when it is one). */
export function chosenFileNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 200) return 'a file name has 1 to 200 characters';
  // File systems count bytes (255 at most, less the temporary name's 22), and an accented or non-Latin character
  // takes two to four of them in UTF-8.
  if (new TextEncoder().encode(name).byteLength > 200)
    return 'a file name is at most 200 bytes long (accented and non-Latin characters count two to four)';
  if (forbiddenCharacters.test(name))
    return 'a file name has no folders, control characters or any of \\ / : * ? " < > |';
  if (name.startsWith('.')) return 'a file name does not start with a dot';
  if (/[. ]$/.test(name) || name !== name.trim())
    return 'a file name does not start or end with a space or end with a dot';
  if (windowsDeviceName.test(name)) return `"${name}" is a device name on Windows`;
  return null;
}

export const chosenFileNameSchema = z.string().superRefine((name, ctx) => {
  const problem = chosenFileNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const transferFileSchema = z.object({
  name: z.string(),
  size: z.number().int(),
  modifiedAt: z.string(),
});
export type TransferFile = z.infer<typeof transferFileSchema>;

export const filesCalls = {
  /** The files of a transfer folder (newest first) and where the folder is on this station, to tell the user. */
  'files.list': defineCall({
    permission: 'signedIn',
    input: z.object({ area: z.enum(transferAreas) }),
    output: z.object({ folder: z.string(), files: z.array(transferFileSchema) }),
  }),
};
