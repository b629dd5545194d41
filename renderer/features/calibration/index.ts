import type { NavEntry } from '../../app/nav.ts';
import { CalibrationPage } from './CalibrationPage.tsx';

// Technicians and managers run calibrations (rig.operate); the records are also linked from every acquisition.
export const calibrationNav: NavEntry = {
  id: 'calibration',
  labelKey: 'nav.calibration',
  path: '/calibration',
  permission: 'rig.operate',
  routes: [
    { pattern: '/calibration', component: CalibrationPage },
    { pattern: '/calibration/:id', component: CalibrationPage },
  ],
};
