import type { NavEntry } from '../../app/nav.ts';
import { CaseListPage } from './CaseListPage.tsx';
import { CaseDetailPage } from './CaseDetailPage.tsx';
import { acquisitionRoutes } from '../acquisition/index.ts';

export const casesNav: NavEntry = {
  id: 'cases',
  labelKey: 'nav.cases',
  path: '/cases',
  permission: 'case.read',
  routes: [
    { pattern: '/cases', component: CaseListPage },
    { pattern: '/cases/:id', component: CaseDetailPage },
    ...acquisitionRoutes,
  ],
};
