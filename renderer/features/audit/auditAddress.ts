// The audit trail's filters live in its address ('#/audit?case=LAB-2026-0042&user=jdoe&from=2026-01-01'), so a
// filtered trail can be bookmarked, shared with a colleague or opened in a second tab, like the case list. The
// dashboard's links open it the same way. Anything odd in a typed or pasted address is dropped, not sent.

export interface AuditFilters {
  caseNumber: string;
  username: string;
  action: string | null;
  from: string;
  to: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const maxText = 100;
const actionCode = /^[a-z][a-z0-9_.-]{0,80}$/;

export function auditFiltersFromAddress(query: URLSearchParams): AuditFilters {
  const text = (name: string) => (query.get(name) ?? '').slice(0, maxText);
  const date = (name: string) => (isoDate.test(query.get(name) ?? '') ? query.get(name)! : '');
  const action = query.get('action');
  return {
    caseNumber: text('case'),
    username: text('user'),
    action: action !== null && actionCode.test(action) ? action : null,
    from: date('from'),
    to: date('to'),
  };
}

export function auditAddress(filters: AuditFilters): string {
  const query = new URLSearchParams();
  if (filters.caseNumber.trim()) query.set('case', filters.caseNumber.trim());
  if (filters.username.trim()) query.set('user', filters.username.trim());
  if (filters.action) query.set('action', filters.action);
  if (isoDate.test(filters.from)) query.set('from', filters.from);
  if (isoDate.test(filters.to)) query.set('to', filters.to);
  const text = query.toString();
  return text ? `/audit?${text}` : '/audit';
}
