import { z } from 'zod';
import { defineCall, defineEvent } from './rpc.ts';
import { chosenFileNameSchema, transferAreas } from './files.ts';

export const componentStates = ['ok', 'warning', 'error', 'offline', 'unknown'] as const;

export const systemStatusSchema = z.object({
  version: z.string(),
  database: z.object({ path: z.string(), state: z.enum(componentStates), schemaVersion: z.number().int() }),
  rig: z.object({ state: z.enum(componentStates), label: z.string() }),
  network: z.object({ state: z.enum(componentStates), label: z.string() }),
  /** Which host features this station offers: 'electron' adds native dialogs (the shell sub-contract). */
  shell: z.enum(['electron', 'browser']),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

export const systemCalls = {
  'system.status': defineCall({ permission: 'public', input: z.object({}), output: systemStatusSchema }),
};

export const systemEvents = {
  'system.onStatus': defineEvent({ permission: 'public', filter: z.object({}), payload: systemStatusSchema }),
};

// The shell sub-contract: the only Electron-only features. In a browser they answer `unavailable`. A native
// dialog is the user choosing a place on the host; the page only ever learns and names files in the station's
// transfer folders (see files.ts).
export const shellCalls = {
  /** Lets the user pick a file; the desktop app copies it into the imports folder and answers its name there. */
  'shell.importFile': defineCall({
    permission: 'signedIn',
    input: z.object({
      title: z.string().max(200),
      filters: z
        .array(z.object({ name: z.string().max(100), extensions: z.array(z.string().max(20)).max(20) }))
        .max(20)
        .default([]),
    }),
    output: z.object({ name: z.string().nullable() }),
  }),
  /** Lets the user save a copy of a file of the exports folder wherever they choose (removable media). */
  'shell.exportFile': defineCall({
    permission: 'signedIn',
    input: z.object({ title: z.string().max(200), name: chosenFileNameSchema }),
    output: z.object({ saved: z.boolean() }),
  }),
  /** Shows a file of a transfer folder (or the folder itself) in the system's file manager. */
  'shell.revealInFolder': defineCall({
    permission: 'signedIn',
    input: z.object({ area: z.enum(transferAreas), name: chosenFileNameSchema.optional() }),
    output: z.object({}),
  }),
};
