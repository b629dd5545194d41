// A CLI command: one file per command under electron/cli/commands/, registered in electron/cli/main.ts.
// Exit codes mean something: 0 ok, 1 the checked thing failed (e.g. verify found damage), 2 usage error,
// 3 input error (bad file, bad data), 4 runtime failure (device, network, database).
export const ExitCode = { ok: 0, failed: 1, usage: 2, badInput: 3, runtime: 4 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface CommandContext {
  /** Arguments after the command name(s). */
  argv: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

export interface Command {
  /** Words that select the command, e.g. ['audit', 'verify']. */
  name: string[];
  summary: string;
  /** Full help text shown by `casebench <name> --help`. */
  help: string;
  /**
   * Set for servers and workers: asked to stop, they shut down cleanly on their own (a worker gives its jobs back
   * and retires), so repeated stop signals are ignored. Other commands end at once on a repeated signal.
   */
  stopsCleanly?: true;
  run(ctx: CommandContext): Promise<number>;
}

export class UsageError extends Error {}
