// The case list's filters, sort and page live in its address ('#/cases?q=LAB-2026&status=open&page=2'), so a
// filtered list can be bookmarked, shared with a colleague and survives a reload. Read back with care: an address
// is typed, pasted or old, so anything odd in it is dropped rather than sent to the station.
import { caseSortKeys, caseStatuses } from '../../../electron/contract/index.ts';

export type CaseSortKey = (typeof caseSortKeys)[number];
export type CaseStatus = (typeof caseStatuses)[number];

export interface CaseListState {
  query: string;
  agency: string;
  status: CaseStatus | null;
  receivedFrom: string;
  receivedTo: string;
  sortBy: CaseSortKey;
  sortDir: 'asc' | 'desc';
  page: number;
}

export const defaultCaseList: CaseListState = {
  query: '',
  agency: '',
  status: null,
  receivedFrom: '',
  receivedTo: '',
  sortBy: 'updatedAt',
  sortDir: 'desc',
  page: 1,
};

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const maxText = 200;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
}

export function caseListFromAddress(query: URLSearchParams): CaseListState {
  const text = (name: string) => (query.get(name) ?? '').slice(0, maxText);
  const date = (name: string) => (isoDate.test(query.get(name) ?? '') ? query.get(name)! : '');
  const page = Number(query.get('page'));
  return {
    query: text('q'),
    agency: text('agency'),
    status: oneOf(caseStatuses, query.get('status')),
    receivedFrom: date('from'),
    receivedTo: date('to'),
    sortBy: oneOf(caseSortKeys, query.get('sort')) ?? defaultCaseList.sortBy,
    sortDir: oneOf(['asc', 'desc'] as const, query.get('dir')) ?? defaultCaseList.sortDir,
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
  };
}

/** The address of a state: only what differs from the defaults, in a fixed order (same state, same address). */
export function caseListAddress(state: CaseListState): string {
  const query = new URLSearchParams();
  if (state.query.trim()) query.set('q', state.query.trim());
  if (state.status) query.set('status', state.status);
  if (state.agency.trim()) query.set('agency', state.agency.trim());
  if (isoDate.test(state.receivedFrom)) query.set('from', state.receivedFrom);
  if (isoDate.test(state.receivedTo)) query.set('to', state.receivedTo);
  if (state.sortBy !== defaultCaseList.sortBy || state.sortDir !== defaultCaseList.sortDir) {
    query.set('sort', state.sortBy);
    query.set('dir', state.sortDir);
  }
  if (state.page > 1) query.set('page', String(state.page));
  const text = query.toString();
  return text ? `/cases?${text}` : '/cases';
}
