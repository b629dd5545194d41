import { z } from 'zod';
import { defineCall, defineEvent } from './rpc.ts';

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

// The shell sub-contract: the only Electron-only features. In a browser they answer `unavailable`.
export const shellCalls = {
  'shell.openFile': defineCall({
    permission: 'signedIn',
    input: z.object({
      title: z.string().max(200),
      filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).default([]),
    }),
    output: z.object({ path: z.string().nullable() }),
  }),
  'shell.saveFile': defineCall({
    permission: 'signedIn',
    input: z.object({ title: z.string().max(200), defaultName: z.string().max(200) }),
    output: z.object({ path: z.string().nullable() }),
  }),
  'shell.revealInFolder': defineCall({
    permission: 'signedIn',
    input: z.object({ path: z.string().max(4096) }),
    output: z.object({}),
  }),
};
