import type { NavEntry } from '../../app/nav.ts';
import { AuditViewerPage } from './AuditViewerPage.tsx';

export const auditNav: NavEntry = {
  id: 'audit',
  labelKey: 'nav.audit',
  path: '/audit',
  permission: 'audit.read',
  routes: [{ pattern: '/audit', component: AuditViewerPage }],
};
