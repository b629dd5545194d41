import type { RouteDef } from '../../app/nav.ts';
import { AcquisitionViewerPage } from './AcquisitionViewerPage.tsx';

export { ItemAcquisitions } from './ItemAcquisitions.tsx';

/** Pages reached from a case (listed under the Cases entry, so they need what the case page needs). */
export const acquisitionRoutes: RouteDef[] = [
  { pattern: '/cases/:caseId/acquisitions/:id', component: AcquisitionViewerPage },
];
