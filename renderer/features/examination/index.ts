import type { NavEntry } from '../../app/nav.ts';
import { managersOnly } from './testing/managersOnly.tsx';
import { ExaminationPage } from './ExaminationPage.tsx';
import { TestSetPage } from './testing/TestSetPage.tsx';
import { TestSetsPage } from './testing/TestSetsPage.tsx';
import { WorklistPage } from './worklist/WorklistPage.tsx';

export { OpenComparisonPage } from './ExaminationPage.tsx';
export { CaseExaminations, LinkedCases } from './CaseExaminations.tsx';
export { ComparePicker } from './ComparePicker.tsx';

// The examiner's worklist and every comparison by its id. /compare/:a/:b (opening a pair) is listed under
// Search, whose permission it shares. Testing mode (/tests, managers only) is reached from the worklist: the side
// bar keeps to the sections everyone uses, so that the number-row shortcuts (G 1…9, 0, -, =) reach them all.
export const examinationNav: NavEntry = {
  id: 'examinations',
  labelKey: 'nav.examinations',
  path: '/examinations',
  permission: 'comparison.run',
  routes: [
    { pattern: '/examinations', component: WorklistPage },
    { pattern: '/examinations/:id', component: ExaminationPage },
    { pattern: '/tests', component: managersOnly(TestSetsPage) },
    { pattern: '/tests/:id', component: managersOnly(TestSetPage) },
  ],
};
