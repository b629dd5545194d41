// The reference network hub: a real HTTPS server with mutual TLS speaking casebench-exchange/1. This file puts the
// parts together and runs them: the stores (storage.ts), the authentication step (auth.ts), the route table
// (routes.ts) over the submission and upload handlers, the correlation queue (correlation.ts) and fault injection.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadPrivateKey } from '../protocol.ts';
import type { ArtifactStore, HubRecords } from './storage.ts';
import { openFolderArtifacts } from './artifactFolder.ts';
import { openRecordsThread } from './sqliteRecords.ts';
import { createCmcScorer, type CasingScorer } from './scorer.ts';
import { faultsSchema, seededRandom, type Faults, type FaultsInput } from './faults.ts';
import { createAuthenticator } from './auth.ts';
import { createInProcessCorrelation } from './correlation.ts';
import { DroppedConnection, RequestError, closesConnection, errorAnswer, sendAnswer } from './http.ts';
import { createHits } from './hits.ts';
import { createDispatcher, hitRoutes, submissionRoutes } from './routes.ts';
import { createSubmissions } from './submissions.ts';
import { createUploads } from './uploads.ts';
import { databaseUnavailable } from './postgres/connect.ts';
import { openPostgresHubStore } from './postgres/hubStore.ts';

export interface HubOptions {
  dataDir: string;
  /** PEM texts: the network CA, the hub's certificate, its TLS key and its Ed25519 signing key. */
  ca: string;
  certificate: string;
  tlsKey: string;
  signingKey: string;
  hubId?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The address to listen on: 127.0.0.1 unless told (a front end behind a load balancer listens on its network). */
  listen?: string;
  faults?: FaultsInput;
  /** How casings are compared; default: the analysis engine's CMC on X3P topographies. The hub closes it. */
  scorer?: CasingScorer;
  /** Analysis worker threads of the default scorer. */
  analysisWorkers?: number;
  /** Leads kept per submission. */
  maxLeads?: number;
  /** The most leads a status answer carries (protocol.ts maxLeadsPerAnswer unless told; tests lower it). */
  maxLeadsPerAnswer?: number;
  /**
   * A PostgreSQL URL: records, nonces and correlation jobs live there (several front ends may share it; separate
   * workers correlate, `casebench hub worker`). Without it: SQLite in the data folder, correlation in this process.
   */
  db?: string;
  now?: () => number;
}

export interface Hub {
  url: string;
  port: number;
  hubId: string;
  records: HubRecords;
  artifacts: ArtifactStore;
  setFaults(faults: FaultsInput): void;
  /** Resolves when every committed submission so far has been correlated. */
  correlationIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<Hub> {
  const hubId = options.hubId ?? 'hub';
  const now = options.now ?? Date.now;
  // What can be refused at once is checked before any thread or file is opened.
  const hubSigningKey = loadPrivateKey(options.signingKey);
  let faults: Faults = faultsSchema.parse(options.faults ?? {});
  mkdirSync(options.dataDir, { recursive: true });
  // On PostgreSQL the front end only takes submissions; separate workers correlate (see correlation.ts).
  const shared = options.db ? await openPostgresHubStore(options.db) : undefined;
  const scorer = shared
    ? undefined
    : (options.scorer ??
      createCmcScorer({ workers: options.analysisWorkers, cacheDir: join(options.dataDir, 'signatures') }));
  const records = shared?.records ?? openRecordsThread(join(options.dataDir, 'hub.sqlite'));
  const artifacts = openFolderArtifacts(join(options.dataDir, 'artifacts'));
  /** Stops what the hub opened; also when it cannot start. */
  const release = async () => {
    await scorer?.close();
    await artifacts.close();
    await records.close();
  };
  let dice = seededRandom(faults.seed);
  const roll = (rate: number) => rate > 0 && dice() < rate;

  const uploads = createUploads(artifacts, shared?.serialise);
  const inProcess = !scorer
    ? undefined
    : createInProcessCorrelation({
        records,
        artifacts,
        scorer,
        maxLeads: options.maxLeads ?? 5,
        now,
        uploads: uploads.activity,
      });
  const correlation = shared?.correlation ?? inProcess!;
  // Also the first call into the records thread: a records file that cannot be opened stops the start here.
  try {
    await inProcess?.start();
  } catch (error) {
    await release();
    throw error;
  }
  const submissions = createSubmissions({
    hubId,
    hubSigningKey,
    ca: options.ca,
    records,
    artifacts,
    uploads,
    correlation,
    now,
    maxLeadsPerAnswer: options.maxLeadsPerAnswer,
  });
  const dispatch = createDispatcher(
    [
      ...submissionRoutes({ hubId, now, ready: shared?.ready }, submissions, uploads),
      ...hitRoutes(createHits({ hubId, hubSigningKey, ca: options.ca, records, submissions, now })),
    ],
    createAuthenticator({ now, useNonce: (...args) => records.useNonce(...args) }),
    { current: () => faults, roll },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
      // The station gave up waiting (its timeout) while the injected latency ran: nobody to answer.
      if (req.socket.destroyed) return;
      if (roll(faults.errorRate)) {
        req.resume();
        throw new RequestError(503, 'unavailable', 'injected fault: hub unavailable');
      }
      const result = await dispatch(req);
      if (roll(faults.dropResponseRate)) throw new DroppedConnection();
      sendAnswer(res, now(), result);
    } catch (error) {
      if (error instanceof DroppedConnection) {
        req.socket.destroy();
        return;
      }
      if (error instanceof RequestError) {
        if (closesConnection(error)) res.setHeader('connection', 'close');
        sendAnswer(res, now(), errorAnswer(error));
        return;
      }
      // The station went away mid-request (what arrived of a chunk is kept): nobody to answer.
      if (req.socket.destroyed) return;
      // The database is down, restarting, read-only or full: the hub is unavailable for now, and says why; the
      // station keeps its job and tries again.
      const unavailable = databaseUnavailable(error);
      if (unavailable) {
        sendAnswer(res, now(), errorAnswer(new RequestError(503, 'unavailable', unavailable)));
        return;
      }
      console.error(`hub: ${req.method} ${req.url}: ${(error as Error).stack}`);
      sendAnswer(res, now(), { status: 500, body: { error: { code: 'internal', message: 'internal hub error' } } });
    }
  }

  // Requests being handled, so that closing waits for them (a chunk being hashed and stored, a commit) before the
  // threads and files they use are closed.
  const handling = new Set<Promise<void>>();
  const server: Server = createServer(
    {
      key: options.tlsKey,
      cert: options.certificate,
      ca: options.ca,
      requestCert: true,
      // The handshake is accepted so that a refused certificate gets a clear reason as a 401, not a bare TLS alert.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      const handled = handle(req, res);
      handling.add(handled);
      void handled.finally(() => handling.delete(handled));
    },
  );
  server.keepAliveTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.listen ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await correlation.close();
    await release();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://${(options.listen ?? '127.0.0.1').includes(':') ? `[${options.listen}]` : (options.listen ?? '127.0.0.1')}:${port}`,
    port,
    hubId,
    records,
    artifacts,
    setFaults(next) {
      faults = faultsSchema.parse(next);
      dice = seededRandom(faults.seed);
    },
    correlationIdle: () => correlation.idle(),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...handling]);
      await correlation.close();
      await release();
    },
  };
}
