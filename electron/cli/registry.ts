import type { Command } from './command.ts';
import { auditVerifyCommand } from './commands/audit.ts';
import { dbInfoCommand, dbMigrateCommand } from './commands/db.ts';
import { evidenceVerifyCommand } from './commands/evidence.ts';
import { serveCommand } from './commands/serve.ts';
import { x3pConvertCommand, x3pInfoCommand, x3pValidateCommand } from './commands/x3p.ts';

// Every CLI command is listed here once. Add yours in alphabetical order of its file name.
export const commands: Command[] = [
  auditVerifyCommand,
  dbInfoCommand,
  dbMigrateCommand,
  evidenceVerifyCommand,
  serveCommand,
  x3pConvertCommand,
  x3pInfoCommand,
  x3pValidateCommand,
];
