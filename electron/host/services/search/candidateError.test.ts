// A search candidate that could not be screened or scored carries a problem the screen words (search.candidateProblem),
// whatever part of the analysis failed: the X3P reader, the engine's own checks, a missing file, or anything else.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../contract/errors.ts';
import { AnalysisError } from '../../../analysis/errors.ts';
import { candidateProblems } from '../../../contract/analysis.ts';
import { candidateError } from './searchService.ts';

const asSent = (error: AppError) => error.toData();

describe('candidateError', () => {
  it('names each kind of failure by a problem the screen words, keeping the English for the logs', () => {
    const x3p = asSent(new AppError('invalid_input', 'main.xml: Record1 is missing', { reason: 'bad-xml' }));
    expect(candidateError(x3p)).toEqual({ code: x3p.code, message: x3p.message, problem: 'unreadable' });
    for (const reason of ['empty_surface', 'too_few_points', 'too_large', 'bad_surface'] as const)
      expect(candidateError(asSent(new AnalysisError(reason, 'x'))).problem).toBe(reason);
    expect(candidateError(asSent(new AppError('not_found', 'ENOENT: no such file'))).problem).toBe('missing_file');
    expect(candidateError(asSent(new AnalysisError('pixel_size_mismatch', 'x'))).problem).toBe('other');
    expect(candidateError({ code: 'internal', message: 'worker exited' }).problem).toBe('other');
    expect(candidateError({ code: 'invalid_input', message: 'x', details: { reason: 'toString' } }).problem).toBe(
      'other',
    );
  });

  it('sends only problems the contract lists', () => {
    for (const details of [undefined, null, 'text', { reason: 7 }, { reason: 'constructor' }])
      expect(candidateProblems).toContain(candidateError({ code: 'internal', message: 'm', details }).problem);
  });
});
