/// <reference types="vite/client" />
// Every key the UI asks for must have English words, and every contract vocabulary value must be translated.
import { describe, expect, it } from 'vitest';
import {
  auditFindings,
  auditProblemKinds,
  candidateProblems,
  x3pCorrectionCodes,
  breechFaceClasses,
  calibrationSteps,
  captureSteps,
  caseMaterials,
  caseStatuses,
  cartridgeOrigins,
  componentStates,
  errorCodes,
  firearmTypes,
  firingPinShapes,
  itemKinds,
  primerMaterials,
  roles,
  searchStages,
} from '../../electron/contract/index.ts';
import { en } from './en.ts';

// Vite's glob import reads the sources as text (the renderer lint forbids Node built-ins even in tests).
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

function has(key: string): boolean {
  let node: unknown = en;
  const parts = key.split('.');
  for (const [i, part] of parts.entries()) {
    const record = node as Record<string, unknown>;
    if (i === parts.length - 1 && (part in record || `${part}_other` in record)) return true;
    node = record[part];
    if (node === undefined) return false;
  }
  return false;
}

describe('English strings', () => {
  it('cover every literal key used in the renderer', () => {
    const missing: string[] = [];
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    for (const [file, text] of Object.entries(sources)) {
      for (const match of text.matchAll(
        /\bt\('([a-zA-Z_.]+)'|labelKey: '([a-zA-Z_.]+)'|\['[^']+', '(shortcuts\.[a-zA-Z]+)'\]/g,
      )) {
        const key = match[1] ?? match[2] ?? match[3]!;
        if (!has(key)) missing.push(`${key} (${file})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('cover every value of the contract vocabularies', () => {
    const lists: Array<[string, readonly string[]]> = [
      ['caseStatus', caseStatuses],
      ['itemKind', itemKinds],
      ['roles', roles],
      ['componentState', componentStates],
      ['errors', errorCodes],
      ['admin.auditProblem', auditProblemKinds],
      ['admin.auditFinding', auditFindings],
      ['search.candidateProblem', candidateProblems],
      ['acquisition.correction', x3pCorrectionCodes],
      ['vocab.origin', cartridgeOrigins],
      ['vocab.primerMaterial', primerMaterials],
      ['vocab.caseMaterial', caseMaterials],
      ['vocab.firingPinShape', firingPinShapes],
      ['vocab.breechFaceClass', breechFaceClasses],
      ['vocab.firearmType', firearmTypes],
      ['capture.step', captureSteps],
      ['calibration.step', calibrationSteps],
      ['search.stage', searchStages],
    ];
    const missing = lists.flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)).filter((key) => !has(key));
    expect(missing).toEqual([]);
  });
});
