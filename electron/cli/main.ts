import { constants as osConstants } from 'node:os';
import { ExitCode, UsageError, type Command } from './command.ts';
import { commands } from './registry.ts';

function commandList(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.join(' ').length));
  return list.map((c) => `  ${c.name.join(' ').padEnd(width)}  ${c.summary}`).join('\n');
}

function usage(): string {
  return `casebench — open station for forensic firearms labs\n\nUsage: casebench <command> [options]\n\nCommands:\n${commandList(commands)}\n\nRun "casebench <command> --help" for a command's options.\n`;
}

/** The commands under a group word such as `pki` or `outbox` (none when the word names no group). */
function groupOf(word: string | undefined): Command[] {
  return commands.filter((c) => c.name.length > 1 && c.name[0] === word);
}

function groupUsage(group: string, members: readonly Command[]): string {
  return `Usage: casebench ${group} <command> [options]\n\nCommands:\n${commandList(members)}\n\nRun "casebench ${group} <command> --help" for a command's options.\n`;
}

/** Picks the command whose name words match the longest prefix of argv. */
export function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const n = command.name.length;
    if (argv.length >= n && command.name.every((w, i) => argv[i] === w)) {
      if (!best || n > best.command.name.length) best = { command, rest: argv.slice(n) };
    }
  }
  return best;
}

export async function runCli(argv: string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(usage());
    return argv.length === 0 ? ExitCode.usage : ExitCode.ok;
  }
  const found = findCommand(argv);
  // `casebench pki`, `pki --help`, `pki bogus`: the group's own commands, not the whole list.
  const group = groupOf(argv[0]);
  if (!found && group.length > 0) {
    const wantsHelp = argv.length === 1 || (argv.length === 2 && ['--help', '-h', 'help'].includes(argv[1]!));
    if (wantsHelp) io.stdout.write(groupUsage(argv[0]!, group));
    else io.stderr.write(`casebench: unknown ${argv[0]} command "${argv[1]}"\n\n${groupUsage(argv[0]!, group)}`);
    return argv.length === 2 && wantsHelp ? ExitCode.ok : ExitCode.usage;
  }
  if (!found) {
    io.stderr.write(`casebench: unknown command "${argv.join(' ')}"\n\n${usage()}`);
    return ExitCode.usage;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    // A command that is also a group word (`hub`) names its sub-commands after its own options.
    const members = command.name.length === 1 ? groupOf(command.name[0]) : [];
    io.stdout.write(
      `${command.help.trim()}\n${members.length ? `\nRelated commands:\n${commandList(members)}\n` : ''}`,
    );
    return ExitCode.ok;
  }
  const controller = new AbortController();
  // The first stop signal asks the command to stop (a server or worker shuts down cleanly: a worker gives its jobs
  // back and retires; a one-shot command stops where it reads the signal). One Ctrl+C in a terminal reaches this
  // process twice within milliseconds (from the terminal, to the whole process group, and passed on by
  // bin/casebench.mjs), so a repeat within a second is that same request. A server or worker ignores every repeat,
  // so an impatient second press never kills a worker holding leases (SIGQUIT or SIGKILL forces); any other command
  // ends at once on a later repeat, since some (evidence verify, db migrate) cannot stop midway. Docs: README.
  let stopSignal: NodeJS.Signals | undefined;
  let stopAskedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    const name = command.name.join(' ');
    const action = stopSignalAction(command, stopSignal ? Date.now() - stopAskedAt : null);
    if (action === 'ask') {
      stopSignal = signal;
      stopAskedAt = Date.now();
      controller.abort(new Error(`interrupted (${signal})`));
      if (!command.stopsCleanly)
        io.stderr.write(`casebench ${name}: stopping (send the signal again to end at once)\n`);
    } else if (action === 'ignore') {
      io.stderr.write(`casebench ${name}: stopping already (${signal} ignored; SIGQUIT or SIGKILL forces)\n`);
    } else {
      io.stderr.write(`casebench ${name}: ended at once (${signal})\n`);
      process.exit(128 + osConstants.signals[signal]);
    }
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  try {
    return await command.run({ argv: rest, stdout: io.stdout, stderr: io.stderr, signal: controller.signal });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`casebench ${command.name.join(' ')}: ${error.message}\n\n${command.help.trim()}\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`casebench ${command.name.join(' ')}: ${(error as Error).message}\n`);
    // Work a signal cut short ends as the shell expects of a process a signal stopped: 128 + its number. A command
    // that stops cleanly when asked (serve, hub, hub worker) returns its own code (0) instead.
    if (stopSignal && controller.signal.aborted) return 128 + osConstants.signals[stopSignal];
    return (error as { exitCode?: number }).exitCode ?? ExitCode.runtime;
  } finally {
    for (const signal of stopSignals) process.off(signal, onSignal);
  }
}

/** Repeated stop signals this close to the first are one request (the terminal's and the launcher's copies). */
const sameRequestMs = 1000;

/**
 * What a stop signal does: the first asks the command to stop; a repeat within a second is the same request; a later
 * repeat is ignored by a server or worker (it is stopping cleanly) and ends any other command at once.
 */
export function stopSignalAction(
  command: Pick<Command, 'stopsCleanly'>,
  sinceFirstMs: number | null,
): 'ask' | 'ignore' | 'end' {
  if (sinceFirstMs === null) return 'ask';
  if (command.stopsCleanly || sinceFirstMs < sameRequestMs) return 'ignore';
  return 'end';
}

/** The signals that ask a command to stop: Ctrl+C, a service manager's stop, the terminal closing. */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
