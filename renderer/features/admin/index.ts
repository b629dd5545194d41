import type { NavEntry } from '../../app/nav.ts';
import { AdminPage } from './AdminPage.tsx';

export const adminNav: NavEntry = {
  id: 'admin',
  labelKey: 'nav.admin',
  path: '/admin',
  permission: 'user.manage',
  routes: [{ pattern: '/admin', component: AdminPage }],
};
