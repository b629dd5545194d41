import type { NavEntry } from '../../app/nav.ts';
import { NetworkSettingsPage } from './NetworkSettingsPage.tsx';

export const networkSetupNav: NavEntry = {
  id: 'network',
  labelKey: 'nav.network',
  path: '/network',
  permission: 'outbox.manage',
  routes: [{ pattern: '/network', component: NetworkSettingsPage }],
};
