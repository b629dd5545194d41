import type { NavEntry } from '../../app/nav.ts';
import { RigPage } from './RigPage.tsx';

export const rigNav: NavEntry = {
  id: 'rig',
  labelKey: 'nav.rig',
  path: '/rig',
  permission: 'rig.operate',
  routes: [{ pattern: '/rig', component: RigPage }],
};
