// Records come from the host with nulls; forms hold '' for empty text. These two functions translate
// between them and work out which fields an amendment actually changes (the audit keeps before/after per field).

/** The record's values for the named fields, with null as '' so inputs stay controlled. */
export function toFormValues(record: object, fields: readonly string[]): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, source[f] ?? '']));
}

/**
 * The fields whose value differs from the record's. An emptied field is left out: the contract's partial
 * update reads a missing or empty field as "unchanged", so clearing a value needs a contract change.
 */
export function changedFields<T extends object>(record: object, edited: T): Partial<T> {
  const before = record as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(edited)) {
    const old = before[key] ?? undefined;
    if (value !== undefined && value !== old) changes[key] = value;
  }
  return changes as Partial<T>;
}
