/** Collects SQL clauses and their named parameters, for queries whose filters are optional. */
export class SqlClauses {
  readonly clauses: string[] = [];
  readonly params: Record<string, unknown> = {};

  /** Adds `clause` with `params` when `value` is given (not undefined, null or ''). */
  when(value: unknown, clause: string, params: Record<string, unknown>): this {
    if (value !== undefined && value !== null && value !== '') {
      this.clauses.push(clause);
      Object.assign(this.params, params);
    }
    return this;
  }

  where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }

  set(): string {
    return this.clauses.join(', ');
  }
}
