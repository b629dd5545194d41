// A package's audit extract that does not check out says which entry broke and how (problem.auditEntry), so the
// import screen can word "entry #12 … was altered" in the reader's language instead of only "the audit extract
// does not check out".
import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../../storage/repos/auditRepo.ts';
import { auditExtractFormat, type AuditExtract, type AuditExtractEntry } from './format.ts';
import { checkAuditExtract } from './verifyPackage.ts';

function chain(count: number): AuditExtractEntry[] {
  const entries: AuditExtractEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const content = {
      seq,
      at: `2026-01-01T00:00:0${seq}Z`,
      userId: 1,
      username: 'admin',
      action: 'item.create',
      entityType: 'item',
      entityId: String(seq),
      caseId: 1,
      beforeJson: null,
      afterJson: `{"exhibitNumber":"Q${seq}"}`,
      reason: null,
    };
    const hash = entryHash(prevHash, {
      seq,
      at: content.at,
      user_id: 1,
      username: 'admin',
      action: content.action,
      entity_type: 'item',
      entity_id: content.entityId,
      case_id: 1,
      before_json: null,
      after_json: content.afterJson,
      reason: null,
    });
    entries.push({ ...content, prevHash, hash, withheld: false });
    prevHash = hash;
  }
  return entries;
}

const extract = (entries: AuditExtractEntry[]): AuditExtract => ({
  format: auditExtractFormat,
  chain: 'sha256',
  stationChain: { entries: entries.length, intact: true, lastHash: entries.at(-1)!.hash },
  checkpoint: null,
  entries,
});

function problemOf(entries: AuditExtractEntry[]) {
  try {
    checkAuditExtract(extract(entries));
  } catch (error) {
    return (error as { problem?: unknown }).problem;
  }
  return null;
}

describe('an audit extract that does not check out names the entry that broke', () => {
  it('an intact extract passes', () => {
    expect(checkAuditExtract(extract(chain(4)))).toEqual({ entries: 4, verified: 4, withheld: 0 });
  });

  it('an altered entry: its seq and "altered"', () => {
    const entries = chain(4);
    entries[2] = { ...entries[2]!, afterJson: '{"exhibitNumber":"Q9"}' };
    expect(problemOf(entries)).toMatchObject({ kind: 'audit', auditEntry: { seq: 3, fault: 'altered' } });
  });

  it('an entry not linked to the one before it, and one out of order', () => {
    const unlinked = chain(4);
    unlinked[3] = { ...unlinked[3]!, prevHash: 'ab'.repeat(32) };
    expect(problemOf(unlinked)).toMatchObject({ auditEntry: { seq: 4, fault: 'unlinked', previous: 3 } });
    const shuffled = chain(4);
    [shuffled[1], shuffled[2]] = [shuffled[2]!, shuffled[1]!];
    expect(problemOf(shuffled)).toMatchObject({ auditEntry: { seq: 2, fault: 'out_of_order' } });
  });
});
