import { ExitCode, UsageError, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import {
  createCa,
  developmentHubHosts,
  hubHostProblem,
  issue,
  readCa,
  signCertificateRequest,
  writeCa,
  writeCredentials,
} from '../../network/pki.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const identifier = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const pkiInitCommand: Command = {
  name: ['pki', 'init'],
  summary: 'create a development CA for the exchange network',
  help: `Usage: casebench pki init --dir <folder> [--network <name>] [--days <n>]

Creates <folder>/ca.crt and ca.key (ECDSA P-256). For development and tests only: a real network's CA
lives offline with its operator.

Options:
  --dir <folder>     where the PKI files go (required)
  --network <name>   the network's name in the CA subject (default casebench-dev)
  --days <n>         validity in days (default 3650)`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, {
      dir: { type: 'string' },
      network: { type: 'string' },
      days: { type: 'string' },
    });
    if (!values.dir) throw new UsageError('--dir is required');
    if (existsSync(join(values.dir, 'ca.crt')))
      throw Object.assign(new Error(`${values.dir} already holds a CA; refusing to overwrite it`), {
        exitCode: ExitCode.badInput,
      });
    const network = values.network ?? 'casebench-dev';
    if (!identifier.test(network)) throw new UsageError('--network: letters, digits and . _ - only');
    const days = Number(values.days ?? 3650);
    if (!Number.isInteger(days) || days < 1) throw new UsageError('--days must be a positive whole number');
    writeCa(values.dir, await createCa(network, days));
    stdout.write(`created CA ${network} in ${values.dir}\n`);
    return ExitCode.ok;
  },
};

export const pkiIssueCommand: Command = {
  name: ['pki', 'issue'],
  summary: 'issue a hub or station certificate with its Ed25519 signing key',
  help: `Usage: casebench pki issue --dir <folder> --kind hub|station --org <lab or network> --unit <station or hub id> [--host <name>]… [--name <file stem>] [--days <n>]

Writes <name>.crt (certificate naming the signing key), <name>.key (TLS key) and <name>.sign.key (Ed25519)
into the PKI folder, signed by its CA. A station's --org is its lab id and --unit its station id. A hub's
certificate names the hosts stations reach it by (--host, once per name): a station refuses a hub whose certificate
does not name the host of its hub address (hub.json), so each hub of a network is told apart by name.

Options:
  --dir <folder>     the PKI folder made by "casebench pki init" (required)
  --kind hub|station TLS server (hub) or client (station) certificate (required)
  --org <id>         lab id for a station, network name for the hub (required)
  --unit <id>        station id, or the hub id (required)
  --host <name>      hub only, repeatable: a DNS name (hub.lab.example, *.hubs.example) or IP address
                     stations use in the hub's https address (default: localhost and 127.0.0.1, for development)
  --name <stem>      file name stem (default: the unit)
  --days <n>         validity in days (default 825)`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, {
      dir: { type: 'string' },
      kind: { type: 'string' },
      org: { type: 'string' },
      unit: { type: 'string' },
      host: { type: 'string', multiple: true },
      name: { type: 'string' },
      days: { type: 'string' },
    });
    if (!values.dir || !values.kind || !values.org || !values.unit)
      throw new UsageError('--dir, --kind, --org and --unit are required');
    if (values.kind !== 'hub' && values.kind !== 'station') throw new UsageError('--kind must be hub or station');
    for (const [flag, value] of [
      ['--org', values.org],
      ['--unit', values.unit],
      ['--name', values.name ?? values.unit],
    ] as const) {
      if (!identifier.test(value)) throw new UsageError(`${flag}: letters, digits and . _ - only`);
    }
    const hosts = values.host ?? [];
    if (hosts.length && values.kind !== 'hub') throw new UsageError('--host names a hub: only with --kind hub');
    for (const host of hosts) {
      const problem = hubHostProblem(host);
      if (problem) throw new UsageError(`--host: ${problem}`);
    }
    const days = Number(values.days ?? 825);
    if (!Number.isInteger(days) || days < 1) throw new UsageError('--days must be a positive whole number');
    const ca = readCa(values.dir);
    if (!ca.key)
      throw Object.assign(new Error(`${values.dir} has no ca.key: certificates are issued where the CA key is`), {
        exitCode: ExitCode.badInput,
      });
    const credentials = await issue(ca, {
      kind: values.kind,
      organization: values.org,
      unit: values.unit,
      hosts,
      notAfter: new Date(Date.now() + days * 86_400_000),
    });
    const name = values.name ?? values.unit;
    writeCredentials(values.dir, name, credentials);
    stdout.write(`issued ${values.kind} certificate ${values.unit}.${values.org} → ${join(values.dir, name)}.crt\n`);
    if (values.kind === 'hub')
      stdout.write(
        hosts.length
          ? `it names the hub as ${hosts.join(', ')}\n`
          : `it names the hub as ${developmentHubHosts.join(', ')} only (development); give --host for a network\n`,
      );
    return ExitCode.ok;
  },
};

export const pkiSignCommand: Command = {
  name: ['pki', 'sign'],
  summary: "issue a station certificate for a station's certificate request",
  help: `Usage: casebench pki sign --dir <folder> --request <file.csr> --out <file.crt> [--days <n>]

The network CA's side of enrolling a station: a lab manager creates a key and a certificate request on the
station (Network settings), sends the request file, and installs the certificate this writes. The request's
own signature, its lab (O) and station (OU) and the signing key it names are checked; the keys never leave
the station.

Options:
  --dir <folder>     the PKI folder with ca.crt and ca.key (required)
  --request <file>   the station's certificate request, PEM (required)
  --out <file>       where the certificate goes (required; not overwritten)
  --days <n>         validity in days (default 825)`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, {
      dir: { type: 'string' },
      request: { type: 'string' },
      out: { type: 'string' },
      days: { type: 'string' },
    });
    if (!values.dir || !values.request || !values.out) throw new UsageError('--dir, --request and --out are required');
    const days = Number(values.days ?? 825);
    if (!Number.isInteger(days) || days < 1) throw new UsageError('--days must be a positive whole number');
    const badInput = (message: string) => Object.assign(new Error(message), { exitCode: ExitCode.badInput });
    const ca = readCa(values.dir);
    if (!ca.key) throw badInput(`${values.dir} has no ca.key: certificates are issued where the CA key is`);
    if (existsSync(values.out)) throw badInput(`${values.out} exists; refusing to overwrite it`);
    let certificate: string;
    try {
      certificate = await signCertificateRequest(ca, readFileSync(values.request, 'utf8'), {
        notAfter: new Date(Date.now() + days * 86_400_000),
      });
    } catch (error) {
      throw badInput(`${values.request}: ${(error as Error).message}`);
    }
    writeFileSync(values.out, certificate, { flag: 'wx' });
    stdout.write(`issued station certificate → ${values.out}\n`);
    return ExitCode.ok;
  },
};
