import { ExitCode, UsageError, type Command } from './command.ts';
import { commands } from './registry.ts';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.join(' ').length));
  const lines = commands.map((c) => `  ${c.name.join(' ').padEnd(width)}  ${c.summary}`);
  return `casebench — open station for forensic firearms labs\n\nUsage: casebench <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "casebench <command> --help" for a command's options.\n`;
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
  if (!found) {
    io.stderr.write(`casebench: unknown command "${argv.join(' ')}"\n\n${usage()}`);
    return ExitCode.usage;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.help.trim()}\n`);
    return ExitCode.ok;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await command.run({ argv: rest, stdout: io.stdout, stderr: io.stderr, signal: controller.signal });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`casebench ${command.name.join(' ')}: ${error.message}\n\n${command.help.trim()}\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`casebench ${command.name.join(' ')}: ${(error as Error).message}\n`);
    return (error as { exitCode?: number }).exitCode ?? ExitCode.runtime;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
