import type { NavEntry } from '../../app/nav.ts';
import { SearchPage } from './SearchPage.tsx';
import { OpenComparisonPage } from '../examination/index.ts';

// /compare/:a/:b opens one pair of acquisitions in the comparison workspace; other screens (network leads,
// acquisition lists, cases) link to it.
export const searchNav: NavEntry = {
  id: 'search',
  labelKey: 'nav.search',
  path: '/search',
  permission: 'comparison.run',
  routes: [
    { pattern: '/search', component: SearchPage },
    { pattern: '/search/item/:itemId', component: SearchPage },
    { pattern: '/search/acquisition/:acquisitionId', component: SearchPage },
    { pattern: '/compare/:a/:b', component: OpenComparisonPage },
  ],
};
