import type { NavEntry } from '../../app/nav.ts';
import { DashboardPage } from './DashboardPage.tsx';
import { PackagesPage } from './PackagesPage.tsx';

export { ExportPackageModal } from './ExportPackageModal.tsx';
export { ExportsTable } from './ExportsTable.tsx';
export { CaseReportButton } from './CaseReportButton.tsx';

// Managers import packages from other stations (package.import) and watch the lab (audit.read: the dashboard's
// figures come from the audit trail, the queue, calibrations and examinations).
export const packagesNav: NavEntry = {
  id: 'packages',
  labelKey: 'nav.packages',
  path: '/packages',
  permission: 'package.import',
  routes: [{ pattern: '/packages', component: PackagesPage }],
};

export const dashboardNav: NavEntry = {
  id: 'dashboard',
  labelKey: 'nav.dashboard',
  path: '/dashboard',
  permission: 'audit.read',
  routes: [{ pattern: '/dashboard', component: DashboardPage }],
};
