import type { AuditProblem, AuditProblemKind } from '../../contract/audit.ts';

/** Problems found by a verification, kept to a readable number (a rewritten log could yield millions). */
export class ProblemList {
  readonly items: AuditProblem[] = [];
  more = 0;
  private readonly limit: number;

  constructor(limit = 100) {
    this.limit = limit;
  }

  add(kind: AuditProblemKind, seq: number | null, subject: string | null, message: string): void {
    if (this.items.length < this.limit) this.items.push({ kind, seq, subject, message });
    else this.more++;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}
