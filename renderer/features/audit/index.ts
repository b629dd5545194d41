import type { NavEntry } from '../../app/nav.ts';
import { AuditViewerPage } from './AuditViewerPage.tsx';

export const auditNav: NavEntry = {
  id: 'audit',
  labelKey: 'nav.audit',
  path: '/audit',
  permission: 'audit.read',
  hotkey: 'alt+2',
  routes: [{ pattern: '/audit', component: AuditViewerPage }],
};
