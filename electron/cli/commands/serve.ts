import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { createHost } from '../../host/createHost.ts';
import { startServer } from '../../host/server.ts';
import { appRoot } from '../../base/appRoot.ts';

export const serveCommand: Command = {
  name: ['serve'],
  stopsCleanly: true,
  summary: 'serve the station UI and contract to a browser on this machine',
  help: `Usage: casebench serve [options]

Starts the station host and serves the built user interface and the contract (WebSocket /rpc).
Prints the URL to open; it carries a per-run token, so only who sees the URL can connect.

Options:
  --port N          TCP port (default 4780; 0 picks a free one)
  --bind ADDRESS    address to listen on (default 127.0.0.1); anything but loopback needs TLS
  --tls-cert FILE   PEM certificate, with --tls-key, to serve HTTPS
  --tls-key FILE    PEM private key
  --renderer DIR    built UI folder (default out/renderer)
  --rig PROFILE     imaging rig: auto (default: the rig profile matching the connected hardware, else the
                    demo rig of simulators), none, or the path of a rig profile JSON
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values } = parseCommandArgs(argv, {
      ...stationOptions,
      port: { type: 'string' },
      bind: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      renderer: { type: 'string' },
      rig: { type: 'string' },
    });
    const port = values.port === undefined ? 4780 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be 0–65535, not "${values.port}"`);
    if (Boolean(values['tls-cert']) !== Boolean(values['tls-key']))
      throw new UsageError('--tls-cert and --tls-key go together');
    const tls = values['tls-cert']
      ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']!) }
      : undefined;
    const config = stationConfig(values);
    const started = performance.now();
    const host = createHost({
      ...config,
      rig: values.rig ?? 'auto',
      log: (level, message, fields) =>
        stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level, message, ...fields })}\n`),
    });
    let server;
    try {
      server = await startServer({
        host,
        rendererDir: values.renderer ?? join(appRoot, 'out', 'renderer'),
        port,
        bindAddress: values.bind,
        tls,
      });
    } catch (error) {
      await host.close();
      throw Object.assign(error as Error, {
        exitCode: (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ExitCode.runtime : ExitCode.usage,
      });
    }
    stdout.write(
      `Casebench station ready in ${Math.round(performance.now() - started)} ms\n  data: ${config.dataDir}\n  open: ${server.url}\n`,
    );
    await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
    stderr.write('stopping…\n');
    await server.close();
    await host.close(); // the demo rig's simulators end with the station
    return ExitCode.ok;
  },
};
