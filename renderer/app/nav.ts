// The navigation registry: each feature folder (renderer/features/<area>/) exports its pages here.
// To add a screen (rig live view, acquisitions, comparison, network queue), add a feature folder whose
// index.ts exports a NavEntry, and list it below. Order here is the order in the side bar, and the
// keyboard's G 1…9, 0, -, = follow it (renderer/app/sectionKeys.ts).
import type { ComponentType } from 'react';
import type { Permission } from '../../electron/contract/index.ts';
import { casesNav } from '../features/cases/index.ts';
import { auditNav } from '../features/audit/index.ts';
import { adminNav } from '../features/admin/index.ts';
import { queueNav } from '../features/queue/index.ts';
import { networkSetupNav } from '../features/network/index.ts';
import { calibrationNav } from '../features/calibration/index.ts';
import { rigNav } from '../features/rig/index.ts';
import { searchNav } from '../features/search/index.ts';
import { examinationNav } from '../features/examination/index.ts';
import { dashboardNav, packagesNav } from '../features/packages/index.ts';

export interface RouteDef {
  /** A pattern such as '/cases/:id'. */
  pattern: string;
  component: ComponentType<{ params: Record<string, string> }>;
}

export interface NavEntry {
  id: string;
  /** i18n key of the side-bar label. */
  labelKey: string;
  /** Where the side-bar link goes. */
  path: string;
  /** Shown only to roles holding this permission; the host checks it again on every call. */
  permission: Permission;
  routes: RouteDef[];
}

export const navEntries: NavEntry[] = [
  casesNav,
  rigNav,
  searchNav,
  examinationNav,
  queueNav,
  networkSetupNav,
  calibrationNav,
  packagesNav,
  dashboardNav,
  auditNav,
  adminNav,
];
