// The composition root: opens storage and wires every service into one RPC registry.
// Never imports `electron`; the Electron shell, `casebench serve` and tests all start the host through here.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { calls, events } from '../contract/index.ts';
import { AppError } from '../contract/errors.ts';
import type { CallDef, EventDef, MessagePipe, HostMessage } from '../contract/rpc.ts';
import type { CallHandler, CallHandlers, ConnectionState, EventSource, EventSources } from './rpc/handlers.ts';
import { serveConnection, type RpcRegistry } from './rpc/serveConnection.ts';
import { openDatabase, schemaVersion, type Db } from './storage/database.ts';
import { AuditRepo } from './storage/repos/auditRepo.ts';
import { recordInterruptedCapture } from './services/acquisition/interruptedCapture.ts';
import { AuthService } from './services/authService.ts';
import { CasesService } from './services/casesService.ts';
import { EvidenceStore } from './services/evidenceStore.ts';
import { StatusService } from './services/statusService.ts';
import { PreferencesService } from './services/preferencesService.ts';
import { auditHandlers } from './services/auditHandlers.ts';
import { attachSearch, type SearchService } from './services/search/searchService.ts';
import {
  attachAcquisitions,
  demoRigAccess,
  rigServiceAccess,
  type AcquisitionService,
  type CalibrationPolicy,
  type CaptureService,
} from './services/acquisition/index.ts';
import { attachRig, type RigService } from './services/rig/index.ts';
import { attachStationNetwork } from './services/outbox/networkSettings.ts';
import { NetworkSetupService } from './services/outbox/networkSetup.ts';
import { attachExamination, type ExaminationService } from './services/examination/index.ts';
import { guardTestAcquisitions, guardTestEvents } from './services/examination/testSecrecy.ts';
import type { OutboxService } from './services/outbox/outboxService.ts';
import { attachPackages } from './services/packages/packagesService.ts';
import { TransferFolders } from './services/transferFolders.ts';
import { databasePath, type HostConfig } from './config.ts';
import { Disposer } from '../base/disposer.ts';
import { appRoot } from '../base/appRoot.ts';
import type { Log } from '../base/log.ts';

export interface Host {
  config: HostConfig;
  /** Where the host and its services report (config.log, else JSON lines on stdout/stderr). */
  log: Log;
  db: Db;
  audit: AuditRepo;
  auth: AuthService;
  cases: CasesService;
  evidence: EvidenceStore;
  /** The exports and imports folders: the only files the contract can name. */
  files: TransferFolders;
  status: StatusService;
  /** Users' own preferences; `preferences.languageOf(userId)` is the language to write a user's reports in. */
  preferences: PreferencesService;
  acquisitions: AcquisitionService;
  capture: CaptureService;
  /** The lab's calibration validity period (station setting, else config.calibrationValidityDays). */
  calibrationPolicy: CalibrationPolicy;
  /** The station's imaging rig (config.rig); close() stops it. */
  rig: RigService;
  search: SearchService;
  examination: ExaminationService;
  /** The network outbox: submissions, hit reports (`enqueueHitReport`, inside the caller's transaction), the feed. */
  outbox: OutboxService;
  registry: RpcRegistry;
  /**
   * Serves the contract on one message pipe (a WebSocket, a MessagePort, an in-memory pair). `browser` names the
   * browser a WebSocket came from (its access cookie): that browser's tabs share one sign-in.
   */
  connect(pipe: MessagePipe<unknown, HostMessage>, remote?: string, browser?: string): ConnectionState;
  /** Adds a domain's handlers (each call must be declared in the contract). */
  implement<M extends Record<string, CallDef>>(handlers: CallHandlers<M>): void;
  implementEvents<M extends Record<string, EventDef>>(sources: EventSources<M>): void;
  /**
   * Stops everything the host runs and resolves once it has, in a set order: the network outbox (its jobs stay
   * resumable where they were), the rig (a capture in progress is aborted, its simulators end), the search's
   * worker threads, and the database last. Stop serving connections first (server.close()), so no call starts
   * meanwhile. Calling it again waits for the same end.
   */
  close(): Promise<void>;
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const defaultLog: Log = (level, message, fields) => {
  const line = JSON.stringify({ at: new Date().toISOString(), level, message, ...fields });
  if (level === 'info') process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};

export function createHost(config: HostConfig): Host {
  const log = config.log ?? defaultLog;
  // What close() stops, last added first: each service is added as it starts, on top of what it uses.
  const disposer = new Disposer((name, error) => log('error', `stopping ${name} failed`, { error: String(error) }));
  const dbPath = databasePath(config);
  const db = openDatabase(dbPath);
  disposer.add('the database', () => db.close());
  const audit = new AuditRepo(db);
  const auth = new AuthService(db, audit, {
    idleLockMinutes: config.idleLockMinutes ?? 15,
    now: config.clock ?? Date.now,
  });
  disposer.add('the failed sign-in summaries', () => auth.flushFailures());
  const cases = new CasesService(db, audit);
  const evidence = new EvidenceStore(join(config.dataDir, 'evidence'), db, audit);
  const files = new TransferFolders(config.dataDir);
  const status = new StatusService(
    {
      version: config.version ?? packageVersion(),
      database: { path: dbPath, state: 'ok', schemaVersion: schemaVersion(db) },
      rig: { state: 'unknown', label: 'no rig connected' },
      network: { state: 'offline', label: 'network not configured' },
      shell: config.shell ?? 'browser',
    },
    log,
  );

  const callHandlers: Record<string, CallHandler<CallDef>> = {};
  const eventSources: Record<string, EventSource<EventDef>> = {};
  const implement = (handlers: Record<string, unknown>) => {
    for (const [name, handler] of Object.entries(handlers)) {
      if (!(name in calls)) throw new Error(`handler for "${name}", which the contract does not declare`);
      callHandlers[name] = handler as CallHandler<CallDef>;
    }
  };
  const implementEvents = (sources: Record<string, unknown>) => {
    for (const [name, source] of Object.entries(sources)) {
      if (!(name in events)) throw new Error(`event source for "${name}", which the contract does not declare`);
      eventSources[name] = source as EventSource<EventDef>;
    }
  };

  implement(auth.handlers());
  const preferences = new PreferencesService(db, audit);
  implement(preferences.handlers());
  implementEvents(auth.eventSources());
  implement(cases.handlers());
  implement(files.handlers());
  const search = attachSearch({ db, audit, evidence, implement });
  // Its worker threads stop on their own; nothing of theirs needs the database.
  disposer.add('the search', () => search.close());
  const examination = attachExamination(
    { implement, implementEvents },
    {
      db,
      audit,
      evidence,
      search,
      version: config.version ?? packageVersion(),
      now: config.clock && (() => new Date(config.clock!())),
      // A confirmed hit on a network lead is reported through the outbox (made below; used only on a call).
      networkHits: {
        enqueue: (report) => outbox.enqueueHitReport(report),
        state: (id) => outbox.hitReport(id),
      },
    },
  );
  implement(auditHandlers(db, audit, evidence, (reader, entries) => examination.auditShownTo(reader, entries)));
  implement({ 'system.status': () => status.get() });
  implementEvents({ 'system.onStatus': (_f: unknown, emit: (s: unknown) => void) => status.subscribe(emit) });
  if ((config.shell ?? 'browser') === 'browser') {
    const unavailable = () => {
      throw new AppError('unavailable', 'native dialogs are only available in the desktop app');
    };
    implement({
      'shell.importFile': unavailable,
      'shell.exportFile': unavailable,
      'shell.revealInFolder': unavailable,
    });
  }

  const rig = attachRig(
    { db, audit, status, log, implement, implementEvents },
    { rig: config.rig ?? 'none', profilesDir: config.rigProfilesDir },
  );
  // Aborts a capture or calibration in progress (it records that in the audit, so before the database closes);
  // the demo rig's simulators end with it.
  disposer.add('the rig', () => rig.stop());
  // Capture uses the station's rig when it has one; with rig 'none' (tests, CLI) the demo rig, started per use.
  const captureRig = config.rigAccess ?? ((config.rig ?? 'none') !== 'none' ? rigServiceAccess(rig) : demoRigAccess());
  // A demo rig started per use is stopped like the station's rig: its capture or calibration aborted and audited,
  // its simulators ended, before the database closes.
  disposer.add('the capture rig', () => captureRig.stop?.());
  const { acquisitions, capture, calibrationPolicy } = attachAcquisitions(
    { db, audit, evidence, implement, implementEvents },
    {
      calibrationValidityDays: config.calibrationValidityDays,
      rig: captureRig,
      now: config.clock && (() => new Date(config.clock!())),
      version: config.version ?? packageVersion(),
      log,
    },
  );
  disposer.add('the quick previews', () => acquisitions.quickPreviews.close());
  // A capture the last run stopped in the middle of is closed in the audit trail, naming the originals it kept.
  recordInterruptedCapture(db, audit);
  const outbox = attachStationNetwork(
    { db, audit, status, evidence, files, cases, acquisitions, search, log, implement, implementEvents },
    config.dataDir,
  );
  // The worker lets go of its jobs; each stays resumable where it was (as after SIGKILL).
  disposer.add('the network outbox', () => outbox.close());
  implement(new NetworkSetupService({ dataDir: config.dataDir, outbox, db, audit, now: config.clock }).handlers());

  const packages = attachPackages({
    db,
    audit,
    evidence,
    files,
    dataDir: config.dataDir,
    version: config.version ?? packageVersion(),
    languageOf: (userId) => preferences.languageOf(userId),
    examination,
    now: config.clock && (() => new Date(config.clock!())),
  });
  implement(packages.handlers);
  disposer.add('the packages', () => packages.close());
  guardTestAcquisitions(examination.ctx, callHandlers);
  guardTestEvents(examination.ctx, eventSources);

  const registry: RpcRegistry = {
    calls: calls as unknown as Record<string, CallDef>,
    events: events as unknown as Record<string, EventDef>,
    callHandlers,
    eventSources,
    sessionFor: (connection, touch) => auth.sessionFor(connection, touch),
    log,
  };

  const idleTimer = setInterval(() => auth.sweepIdle(), 15_000);
  idleTimer.unref();
  disposer.add('the idle lock', () => clearInterval(idleTimer));

  return {
    config,
    log,
    db,
    audit,
    auth,
    cases,
    evidence,
    files,
    status,
    preferences,
    acquisitions,
    capture,
    calibrationPolicy,
    rig,
    search,
    examination,
    outbox,
    registry,
    connect: (pipe, remote, browser) => serveConnection(pipe, registry, remote, browser),
    implement: (handlers) => implement(handlers as Record<string, unknown>),
    implementEvents: (sources) => implementEvents(sources as Record<string, unknown>),
    close: () => disposer.dispose(),
  };
}
