import { AppError, notFound } from '../../contract/errors.ts';
import { roleAllows, type Session } from '../../contract/auth.ts';
import type { casesCalls, Case, CaseFields, Item, ItemFields } from '../../contract/cases.ts';
import type { CallHandlers } from '../rpc/handlers.ts';
import { isUniqueViolation, type Db } from '../storage/database.ts';
import { CasesRepo } from '../storage/repos/casesRepo.ts';
import type { AuditRepo, Actor } from '../storage/repos/auditRepo.ts';

const closedStatuses = new Set(['closed', 'archived']);

/** The fields that differ, as before/after maps, so an amendment keeps the old and the new value. */
export function diffFields<T extends Record<string, unknown>>(
  before: T,
  changes: Partial<T>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const old = before[key] ?? null;
    if (old !== (value ?? null)) {
      b[key] = old;
      a[key] = value ?? null;
    }
  }
  return { before: b, after: a };
}

export class CasesService {
  readonly repo: CasesRepo;
  private readonly db: Db;
  private readonly audit: AuditRepo;

  constructor(db: Db, audit: AuditRepo) {
    this.db = db;
    this.audit = audit;
    this.repo = new CasesRepo(db);
  }

  createCase(actor: Actor & { userId: number }, fields: CaseFields): Case {
    return this.db.transaction(() => {
      if (this.repo.byLabCaseNumber(fields.labCaseNumber)) {
        throw new AppError('conflict', `lab case number ${fields.labCaseNumber} already exists`, {
          field: 'labCaseNumber',
        });
      }
      const now = new Date().toISOString();
      const id = this.repo.insert(fields, actor.userId, now);
      this.audit.append(
        actor,
        { action: 'case.create', entityType: 'case', entityId: id, caseId: id, after: { ...fields } },
        now,
      );
      return this.repo.get(id)!;
    })();
  }

  updateCase(
    actor: Actor,
    session: Session,
    id: number,
    version: number,
    fields: Partial<CaseFields>,
    reason: string | null | undefined,
  ): Case {
    return this.db.transaction(() => {
      const current = this.repo.get(id);
      if (!current) throw notFound('case', 'no such case', { id });
      const { before, after } = diffFields(
        current as unknown as Record<string, unknown>,
        fields as Record<string, unknown>,
      );
      if (Object.keys(after).length === 0) return current;
      if (
        'status' in after &&
        (closedStatuses.has(String(after.status)) || closedStatuses.has(current.status)) &&
        !roleAllows(session.user.role, 'case.close')
      ) {
        throw new AppError('forbidden', 'closing, archiving or reopening a case needs a manager', { field: 'status' });
      }
      if (after.labCaseNumber !== undefined) {
        const other = this.repo.byLabCaseNumber(String(after.labCaseNumber));
        if (other && other.id !== id)
          throw new AppError('conflict', `lab case number ${String(after.labCaseNumber)} already exists`, {
            field: 'labCaseNumber',
          });
      }
      const now = new Date().toISOString();
      if (!this.repo.update(id, version, after as Partial<CaseFields>, now)) {
        throw new AppError('conflict', 'someone else changed this case meanwhile; reload and apply your change again');
      }
      this.audit.append(
        actor,
        { action: 'case.update', entityType: 'case', entityId: id, caseId: id, before, after, reason },
        now,
      );
      return this.repo.get(id)!;
    })();
  }

  private checkItem(fields: Partial<ItemFields>, kind: Item['kind']): void {
    if (fields.firearmItemId != null) {
      const firearm = this.repo.item(fields.firearmItemId);
      if (!firearm || firearm.kind !== 'firearm')
        throw new AppError('invalid_input', 'a test fire must name a firearm item', { field: 'firearmItemId' });
      if (kind !== 'cartridge_case')
        throw new AppError('invalid_input', 'only cartridge cases are fired from a firearm', {
          field: 'firearmItemId',
        });
    }
  }

  createItem(actor: Actor, caseId: number, fields: ItemFields): Item {
    return this.db.transaction(() => {
      if (!this.repo.get(caseId)) throw notFound('case', 'no such case', { id: caseId });
      this.checkItem(fields, fields.kind);
      const now = new Date().toISOString();
      let id: number;
      try {
        id = this.repo.insertItem(caseId, fields, now);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('conflict', `exhibit ${fields.exhibitNumber} already exists in this case`, {
            field: 'exhibitNumber',
          });
        throw error;
      }
      this.repo.touch(caseId, now);
      this.audit.append(
        actor,
        { action: 'item.create', entityType: 'item', entityId: id, caseId, after: { ...fields } },
        now,
      );
      return this.repo.item(id)!;
    })();
  }

  updateItem(
    actor: Actor,
    id: number,
    version: number,
    fields: Partial<ItemFields>,
    reason: string | null | undefined,
  ): Item {
    return this.db.transaction(() => {
      const current = this.repo.item(id);
      if (!current) throw notFound('item', 'no such item', { id });
      const { before, after } = diffFields(
        current as unknown as Record<string, unknown>,
        fields as Record<string, unknown>,
      );
      if (Object.keys(after).length === 0) return current;
      this.checkItem(after as Partial<ItemFields>, (after.kind as Item['kind']) ?? current.kind);
      const now = new Date().toISOString();
      let updated: boolean;
      try {
        updated = this.repo.updateItem(id, version, after as Partial<ItemFields>, now);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('conflict', `exhibit ${String(after.exhibitNumber)} already exists in this case`, {
            field: 'exhibitNumber',
          });
        throw error;
      }
      if (!updated)
        throw new AppError('conflict', 'someone else changed this item meanwhile; reload and apply your change again');
      this.repo.touch(current.caseId, now);
      this.audit.append(
        actor,
        { action: 'item.update', entityType: 'item', entityId: id, caseId: current.caseId, before, after, reason },
        now,
      );
      return this.repo.item(id)!;
    })();
  }

  handlers(): CallHandlers<typeof casesCalls> {
    const actor = (s: Session | null) => ({ userId: s!.user.id, username: s!.user.username });
    return {
      'cases.list': (input) => {
        const { rows, total } = this.repo.list(input);
        return { rows, total, page: input.page, pageSize: input.pageSize };
      },
      'cases.get': (input) => {
        const found = this.repo.get(input.id);
        if (!found) throw notFound('case', 'no such case', { id: input.id });
        return { case: found, items: this.repo.items(input.id) };
      },
      'cases.create': (input, ctx) => this.createCase(actor(ctx.session), input),
      'cases.update': (input, ctx) =>
        this.updateCase(actor(ctx.session), ctx.session!, input.id, input.version, input.fields, input.reason),
      'items.create': (input, ctx) => this.createItem(actor(ctx.session), input.caseId, input.fields),
      'items.update': (input, ctx) =>
        this.updateItem(actor(ctx.session), input.id, input.version, input.fields, input.reason),
    };
  }
}
