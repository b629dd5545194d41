// The hub's records thread (storage.ts openRecordsThread): the SQLite records, whose durable commits wait for the
// disk, answered here instead of on the hub's event loop.
import { workerData } from 'node:worker_threads';
import { openSqliteRecords } from './sqliteRecords.ts';
import { serveInThread } from '../../base/threadCall.ts';

const records = openSqliteRecords((workerData as { path: string }).path);
serveInThread(records as unknown as Record<string, (...args: never[]) => unknown>);
