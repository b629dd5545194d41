import type { Command } from './command.ts';
import { auditVerifyCommand } from './commands/audit.ts';
import { calibrateCommand } from './commands/calibrate.ts';
import { captureCommand } from './commands/capture.ts';
import { compareCommand } from './commands/compare.ts';
import { dbInfoCommand, dbMigrateCommand } from './commands/db.ts';
import { evidenceVerifyCommand } from './commands/evidence.ts';
import { hubCommand } from './commands/hub.ts';
import { hubJobsCommand, hubWorkerCommand } from './commands/hubWorker.ts';
import {
  outboxCancelCommand,
  outboxExportCommand,
  outboxImportCommand,
  outboxListCommand,
  outboxResultsExportCommand,
  outboxResultsImportCommand,
  outboxRetryCommand,
  outboxSendCommand,
} from './commands/outbox.ts';
import { packageExportCommand, packageImportCommand, packageVerifyCommand, reportCommand } from './commands/package.ts';
import { pkiInitCommand, pkiIssueCommand, pkiSignCommand } from './commands/pki.ts';
import { rigListCommand, rigSimCommand, rigSnapCommand } from './commands/rig.ts';
import { scorePairsCommand } from './commands/score-pairs.ts';
import { searchCommand } from './commands/search.ts';
import { serveCommand } from './commands/serve.ts';
import { x3pConvertCommand, x3pInfoCommand, x3pValidateCommand } from './commands/x3p.ts';

// Every CLI command is listed here once. Add yours in alphabetical order of its file name.
export const commands: Command[] = [
  auditVerifyCommand,
  calibrateCommand,
  captureCommand,
  compareCommand,
  dbInfoCommand,
  dbMigrateCommand,
  evidenceVerifyCommand,
  hubCommand,
  hubJobsCommand,
  hubWorkerCommand,
  outboxCancelCommand,
  outboxExportCommand,
  outboxImportCommand,
  outboxListCommand,
  outboxResultsExportCommand,
  outboxResultsImportCommand,
  outboxRetryCommand,
  outboxSendCommand,
  packageExportCommand,
  packageImportCommand,
  packageVerifyCommand,
  pkiInitCommand,
  pkiIssueCommand,
  pkiSignCommand,
  reportCommand,
  rigListCommand,
  rigSimCommand,
  rigSnapCommand,
  scorePairsCommand,
  searchCommand,
  serveCommand,
  x3pConvertCommand,
  x3pInfoCommand,
  x3pValidateCommand,
];
