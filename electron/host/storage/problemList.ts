import type { AuditFinding, AuditFindingData, AuditProblem, AuditProblemKind } from '../../contract/audit.ts';

/** Problems found by a verification, kept to a readable number (a rewritten log could yield millions). */
export class ProblemList {
  readonly items: AuditProblem[] = [];
  more = 0;
  private readonly limit: number;

  constructor(limit = 100) {
    this.limit = limit;
  }

  /** A problem: `message` in English for the CLI and logs, `finding` for the screen to word. */
  add(
    kind: AuditProblemKind,
    seq: number | null,
    subject: string | null,
    message: string,
    finding: AuditFindingData,
  ): void {
    if (this.items.length < this.limit) this.items.push({ kind, seq, subject, message, finding });
    else this.more++;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}

/** Kinds of record a problem's subject can name ('item 12', 'annotation 5 revision 2', 'evidence <sha256>'). */
const recordTypes = new Set([
  'case',
  'item',
  'acquisition',
  'evidence',
  'conclusion',
  'snapshot',
  'annotation',
  'verification',
  'hit',
  'calibration',
]);

/**
 * What a problem found, for the screen: its code, the names and figures its words need, and the record its subject
 * names (subjects of records read '<entity type> <id>…'), which the screen shows by the lab's reference.
 */
export function finding(
  code: AuditFinding,
  subject: string | null = null,
  values?: Record<string, string | number>,
): AuditFindingData {
  const [type, id] = subject?.split(' ') ?? [];
  return {
    code,
    ...(values ? { values } : {}),
    ...(type && id && recordTypes.has(type) ? { record: { type, id } } : {}),
  };
}
