import type { NavEntry } from '../../app/nav.ts';
import { QueuePage } from './QueuePage.tsx';

export { SubmitAcquisitionButton } from './SubmitAcquisitionButton.tsx';

export const queueNav: NavEntry = {
  id: 'queue',
  labelKey: 'nav.queue',
  path: '/queue',
  permission: 'case.read',
  routes: [{ pattern: '/queue', component: QueuePage }],
};
