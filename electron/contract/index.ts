// The one contract between the UI and the host. Each domain declares its calls and events in its own file;
// this file merges them. Add a domain by importing its maps here.
import { authCalls, authEvents } from './auth.ts';
import { casesCalls } from './cases.ts';
import { auditCalls } from './audit.ts';
import { systemCalls, systemEvents, shellCalls } from './system.ts';
import { networkCalls, networkEvents } from './network.ts';
import { analysisCalls } from './analysis.ts';
import { acquisitionsCalls, acquisitionsEvents } from './acquisitions.ts';
import { devicesCalls, devicesEvents } from './devices.ts';
import { packagesCalls } from './packages.ts';
import { filesCalls } from './files.ts';
import { examinationCalls, examinationEvents } from './examination.ts';
import { preferencesCalls } from './preferences.ts';
import { networkSetupCalls } from './networkSetup.ts';

export const calls = {
  ...authCalls,
  ...casesCalls,
  ...auditCalls,
  ...systemCalls,
  ...shellCalls,
  ...networkCalls,
  ...analysisCalls,
  ...acquisitionsCalls,
  ...devicesCalls,
  ...packagesCalls,
  ...filesCalls,
  ...examinationCalls,
  ...preferencesCalls,
  ...networkSetupCalls,
};

export const events = {
  ...authEvents,
  ...systemEvents,
  ...networkEvents,
  ...acquisitionsEvents,
  ...devicesEvents,
  ...examinationEvents,
};

export type Calls = typeof calls;
export type Events = typeof events;
export type CallName = keyof Calls & string;
export type EventName = keyof Events & string;

export * from './errors.ts';
export * from './rpc.ts';
export * from './auth.ts';
export * from './cases.ts';
export * from './audit.ts';
export * from './system.ts';
export * from './network.ts';
export * from './analysis.ts';
export * from './acquisitions.ts';
export * from './devices.ts';
export * from './packages.ts';
export * from './files.ts';
export * from './examination.ts';
export * from './preferences.ts';
