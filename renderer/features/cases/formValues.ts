// Records come from the host with nulls; forms hold '' for empty text. These two functions translate
// between them and work out which fields an amendment actually changes (the audit keeps before/after per field).

/** The record's values for the named fields, with null as '' so inputs stay controlled. */
export function toFormValues(record: object, fields: readonly string[]): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, source[f] ?? '']));
}

const normalise = (value: unknown) => (value === undefined || value === '' ? null : value);

/** The fields whose value differs from the record's; an emptied field is sent as null, which clears it. */
export function changedFields<T extends object>(record: object, edited: T): Partial<T> {
  const before = record as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(edited)) {
    if (normalise(value) !== normalise(before[key])) changes[key] = normalise(value);
  }
  return changes as Partial<T>;
}
