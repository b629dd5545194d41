import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RigAccess } from './services/acquisition/rigAccess.ts';
import type { Log } from '../base/log.ts';

export interface HostConfig {
  /** Folder for the database, evidence files and settings. */
  dataDir: string;
  /** SQLite file; defaults to <dataDir>/casebench.sqlite. */
  dbPath?: string;
  idleLockMinutes?: number;
  /** 'electron' when the Electron shell serves native dialogs. */
  shell?: 'electron' | 'browser';
  version?: string;
  /** Milliseconds since the epoch; tests move it to check the idle lock. */
  clock?: () => number;
  /** Days a rig calibration stays valid before capture refuses it (the lab's policy); default 30. */
  calibrationValidityDays?: number;
  /** The rig capture and calibration use; default the demo rig (started per use). */
  rigAccess?: RigAccess;
  log?: Log;
  /**
   * The imaging rig: 'none' (default: no devices, no simulators), 'auto' (discover the hardware and use the
   * matching profile from resources/rigs, else the demo rig of simulators; what `casebench serve` and the
   * desktop app use) or the path of a rig profile JSON.
   */
  rig?: string;
  /** Folder of rig profiles for 'auto'; default resources/rigs. */
  rigProfilesDir?: string;
}

/** The platform's per-user data folder, as Electron's app.getPath('userData') would give it. */
export function defaultDataDir(): string {
  if (process.env.CASEBENCH_DATA_DIR) return process.env.CASEBENCH_DATA_DIR;
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Casebench');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Casebench');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Casebench');
}

export function databasePath(config: HostConfig): string {
  return config.dbPath ?? join(config.dataDir, 'casebench.sqlite');
}
