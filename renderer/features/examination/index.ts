import type { NavEntry } from '../../app/nav.ts';
import { ExaminationPage } from './ExaminationPage.tsx';
import { TestSetPage } from './testing/TestSetPage.tsx';
import { TestSetsPage } from './testing/TestSetsPage.tsx';
import { WorklistPage } from './worklist/WorklistPage.tsx';

export { OpenComparisonPage } from './ExaminationPage.tsx';
export { CaseExaminations, LinkedCases } from './CaseExaminations.tsx';
export { ComparePicker } from './ComparePicker.tsx';

// The examiner's worklist and every comparison by its id. /compare/:a/:b (opening a pair) is listed under
// Search, whose permission it shares.
export const examinationNav: NavEntry = {
  id: 'examinations',
  labelKey: 'nav.examinations',
  path: '/examinations',
  permission: 'comparison.run',
  routes: [
    { pattern: '/examinations', component: WorklistPage },
    { pattern: '/examinations/:id', component: ExaminationPage },
  ],
};

/** Testing mode, for managers. */
export const testingNav: NavEntry = {
  id: 'tests',
  labelKey: 'nav.tests',
  path: '/tests',
  permission: 'examination.manage',
  routes: [
    { pattern: '/tests', component: TestSetsPage },
    { pattern: '/tests/:id', component: TestSetPage },
  ],
};
