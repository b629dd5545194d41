import type { Db } from '../database.ts';
import { SqlClauses } from './sqlClauses.ts';
import type { Role, User } from '../../../contract/auth.ts';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
  password_change_due: number;
}

export interface UserWithHash extends User {
  passwordHash: string;
  /** The password was set by an administrator: its holder must choose their own before anything else. */
  passwordChangeDue: boolean;
}

function toUser(row: UserRow): UserWithHash {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    passwordHash: row.password_hash,
    passwordChangeDue: row.password_change_due === 1,
  };
}

export function publicUser({ passwordHash: _hash, passwordChangeDue: _due, ...user }: UserWithHash): User {
  return user;
}

export class UsersRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM users').pluck().get() as number;
  }

  byUsername(username: string): UserWithHash | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toUser(row);
  }

  byId(id: number): UserWithHash | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  list(): UserWithHash[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }

  insert(user: {
    username: string;
    displayName: string;
    role: Role;
    passwordHash: string;
    passwordChangeDue?: boolean;
  }): number {
    const result = this.db
      .prepare(
        'INSERT INTO users (username, display_name, role, password_hash, password_change_due, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        user.username,
        user.displayName,
        user.role,
        user.passwordHash,
        user.passwordChangeDue ? 1 : 0,
        new Date().toISOString(),
      );
    return Number(result.lastInsertRowid);
  }

  update(
    id: number,
    fields: {
      role?: Role;
      disabled?: boolean;
      displayName?: string;
      passwordHash?: string;
      passwordChangeDue?: boolean;
    },
  ): void {
    const q = new SqlClauses()
      .when(fields.role, 'role = @role', { role: fields.role })
      .when(fields.disabled, 'disabled = @disabled', { disabled: fields.disabled ? 1 : 0 })
      .when(fields.displayName, 'display_name = @displayName', { displayName: fields.displayName })
      .when(fields.passwordHash, 'password_hash = @passwordHash', { passwordHash: fields.passwordHash })
      .when(fields.passwordChangeDue, 'password_change_due = @due', { due: fields.passwordChangeDue ? 1 : 0 });
    if (q.clauses.length) this.db.prepare(`UPDATE users SET ${q.set()} WHERE id = @id`).run({ ...q.params, id });
  }

  countActiveAdmins(): number {
    return this.db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number;
  }
}
