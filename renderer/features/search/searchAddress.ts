// A search as an address: '/search/acquisition/12?calibre=9mm+Luger&dates=acquired&from=2024-01-01&k=20&ran=1'.
// Everything the examiner set is in it, so the address bar can be bookmarked or sent to a colleague and opens the
// same search; values that do not parse fall back to the defaults instead of failing.
export interface Filters {
  calibre: string;
  dateField: 'acquired' | 'recovered';
  from: string;
  to: string;
  topK: number;
}

export const defaultFilters: Filters = { calibre: '', dateField: 'acquired', from: '', to: '', topK: 20 };

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function searchAddress(acquisitionId: string, filters: Filters, ran: boolean): string {
  const query = new URLSearchParams();
  if (filters.calibre.trim()) query.set('calibre', filters.calibre.trim());
  query.set('dates', filters.dateField);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  query.set('k', String(filters.topK));
  if (ran) query.set('ran', '1');
  return `/search/acquisition/${acquisitionId}?${query.toString()}`;
}

export function searchFromAddress(
  acquisitionId: string | null,
  query: URLSearchParams,
): { acquisitionId: string | null; filters: Filters; ran: boolean } {
  const k = Number(query.get('k'));
  const date = (name: string) => {
    const value = query.get(name) ?? '';
    return isoDate.test(value) ? value : '';
  };
  return {
    acquisitionId,
    filters: {
      calibre: (query.get('calibre') ?? '').slice(0, 100),
      dateField: query.get('dates') === 'recovered' ? 'recovered' : 'acquired',
      from: date('from'),
      to: date('to'),
      topK: Number.isInteger(k) && k >= 0 && k <= 200 && query.has('k') ? k : defaultFilters.topK,
    },
    ran: acquisitionId !== null && query.get('ran') === '1',
  };
}
