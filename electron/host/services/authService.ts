import { randomBytes } from 'node:crypto';
import { AppError, notFound } from '../../contract/errors.ts';
import { authCalls, authEvents, rolePermissions, type Session, type User } from '../../contract/auth.ts';
import type { CallHandlers, ConnectionState, EventSources } from '../rpc/handlers.ts';
import type { Db } from '../storage/database.ts';
import { UsersRepo, publicUser, type UserWithHash } from '../storage/repos/usersRepo.ts';
import type { AuditRepo, Actor } from '../storage/repos/auditRepo.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { SignInThrottle } from './signInThrottle.ts';

interface SessionState {
  token: string;
  userId: number;
  lastActivity: number;
  locked: boolean;
}

interface SessionWatcher {
  connection: ConnectionState;
  emit: (state: { locked: boolean; signedIn: boolean }) => void;
}

export interface AuthOptions {
  idleLockMinutes: number;
  now?: () => number;
}

/** Local accounts, sessions and the idle lock. Every permission check in the host goes through `sessionFor`. */
export class AuthService {
  private readonly users: UsersRepo;
  private readonly sessions = new Map<string, SessionState>();
  /** The session each browser's tabs share (by the browser's access cookie; see ConnectionState.browser). */
  private readonly browserSessions = new Map<string, string>();
  private readonly watchers = new Set<SessionWatcher>();
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly options: Required<AuthOptions>;
  private readonly throttle: SignInThrottle;
  /** Failed sign-ins not yet in the audit trail, by account (see recordFailure). */
  private readonly pendingFailures = new Map<string, FailureSummary>();

  constructor(db: Db, audit: AuditRepo, options: AuthOptions) {
    this.db = db;
    this.audit = audit;
    this.users = new UsersRepo(db);
    this.options = { now: () => Date.now(), ...options };
    this.throttle = new SignInThrottle(this.options.now);
  }

  /** The connection's session, checked for idle lock; `touch` counts the call as activity. */
  sessionFor(connection: ConnectionState, touch: boolean): Session | null {
    const state = this.stateOf(connection);
    if (!state) return null;
    const user = this.users.byId(state.userId);
    if (!user || user.disabled) {
      this.endSession(state.token);
      return null;
    }
    const now = this.options.now();
    if (!state.locked && now - state.lastActivity > this.options.idleLockMinutes * 60_000) this.setLocked(state, true);
    if (state.locked)
      throw new AppError('locked', 'the session is locked after inactivity; enter your password to continue');
    if (touch) state.lastActivity = now;
    return this.toSession(state, user);
  }

  /** The connection's session state; a new tab of a browser that is signed in takes that browser's session. */
  private stateOf(connection: ConnectionState): SessionState | undefined {
    const token = this.tokenOf(connection);
    const state = token ? this.sessions.get(token) : undefined;
    if (state) connection.sessionToken = state.token;
    return state;
  }

  /** The connection's own live session, else (a tab of a signed-in browser) the browser's. */
  private tokenOf(connection: ConnectionState): string | null {
    if (connection.sessionToken && this.sessions.has(connection.sessionToken)) return connection.sessionToken;
    return connection.browser ? (this.browserSessions.get(connection.browser) ?? null) : null;
  }

  private notify(state: SessionState, change: { locked: boolean; signedIn: boolean }): void {
    for (const watcher of [...this.watchers])
      if (this.tokenOf(watcher.connection) === state.token) watcher.emit(change);
  }

  private bind(connection: ConnectionState, token: string): void {
    connection.sessionToken = token;
    const browser = connection.browser;
    if (!browser) return;
    this.browserSessions.set(browser, token);
    // The browser's other tabs still on the sign-in page hear that they can take this session.
    for (const watcher of [...this.watchers])
      if (watcher.connection.browser === browser && !this.sessions.has(watcher.connection.sessionToken ?? ''))
        watcher.emit({ locked: false, signedIn: true });
  }

  private toSession(state: SessionState, user: UserWithHash): Session {
    return {
      token: state.token,
      user: publicUser(user),
      permissions: [...rolePermissions[user.role]],
      idleLockMinutes: this.options.idleLockMinutes,
      passwordChangeDue: user.passwordChangeDue,
    };
  }

  private setLocked(state: SessionState, locked: boolean): void {
    state.locked = locked;
    this.notify(state, { locked, signedIn: true });
  }

  private endSession(token: string): void {
    const state = this.sessions.get(token);
    if (!state) return;
    this.notify(state, { locked: false, signedIn: false });
    this.sessions.delete(token);
    for (const [browser, shared] of this.browserSessions) if (shared === token) this.browserSessions.delete(browser);
  }

  /** Ends every session of the user but `keep` (a password changed: whoever held the old one is out). */
  private endSessionsOf(userId: number, keep?: string): void {
    for (const state of [...this.sessions.values()])
      if (state.userId === userId && state.token !== keep) this.endSession(state.token);
  }

  private startSession(connection: ConnectionState, user: UserWithHash): Session {
    const state: SessionState = {
      token: randomBytes(24).toString('base64url'),
      userId: user.id,
      lastActivity: this.options.now(),
      locked: false,
    };
    this.sessions.set(state.token, state);
    this.bind(connection, state.token);
    return this.toSession(state, user);
  }

  /** Where a sign-in comes from: a browser (its access cookie), the desktop window, or a script's address. */
  private sourceOf(connection: ConnectionState): string {
    return connection.browser ? `browser:${connection.browser}` : connection.remote;
  }

  /**
   * Failed sign-ins go to the audit trail as summaries, so guessing cannot grow it without bound: the first
   * failure on an account is written at once, later ones at most once a minute per account (and when the
   * station stops), as one entry counting the attempts, the sources and the time span. Names nobody has are
   * summarised together (with a few of the names typed), however many there are.
   */
  private recordFailure(username: string, userId: number | null, source: string): void {
    const now = this.options.now();
    const key = userId === null ? 'unknown' : `user:${userId}`;
    const summary = this.pendingFailures.get(key) ?? {
      userId,
      username: userId === null ? null : username,
      attempts: 0,
      sources: new Set<string>(),
      names: new Set<string>(),
      from: now,
      to: now,
      writtenAt: 0,
    };
    if (summary.attempts === 0) summary.from = now;
    summary.attempts++;
    if (summary.sources.size < 1000) summary.sources.add(source);
    if (userId === null && summary.names.size < 5) summary.names.add(username.slice(0, 64));
    summary.to = now;
    this.pendingFailures.set(key, summary);
    if (now - summary.writtenAt >= failureSummaryMs) this.writeFailures(summary);
  }

  private writeFailures(summary: FailureSummary): void {
    if (summary.attempts === 0) return;
    this.db.transaction(() =>
      this.audit.append(
        // A name nobody has is not recorded as who acted: it is whatever the guesser typed.
        { userId: null, username: summary.username },
        {
          action: 'auth.sign_in_failed',
          entityType: 'user',
          entityId: summary.userId,
          after: {
            attempts: summary.attempts,
            sources: summary.sources.size,
            from: new Date(summary.from).toISOString(),
            to: new Date(summary.to).toISOString(),
            ...(summary.userId === null ? { names: [...summary.names] } : {}),
          },
        },
      ),
    )();
    summary.attempts = 0;
    summary.sources = new Set();
    summary.names = new Set();
    summary.writtenAt = this.options.now();
  }

  /** Writes the failed sign-ins still pending (due ones only, unless `all`: the station is stopping). */
  flushFailures(all = true): void {
    const now = this.options.now();
    for (const summary of this.pendingFailures.values())
      if (all || now - summary.writtenAt >= failureSummaryMs) this.writeFailures(summary);
  }

  private async checkCredentials(
    username: string,
    password: string,
    connection: ConnectionState,
  ): Promise<UserWithHash> {
    const source = this.sourceOf(connection);
    const wait = this.throttle.waitMs(source, username);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError('forbidden', `too many failed attempts; try again in ${seconds} s`, {
        retryAfterSeconds: seconds,
      });
    }
    const user = this.users.byUsername(username);
    // Verify against a dummy hash for unknown users so timing does not reveal which names exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.throttle.failed(source, username);
      this.recordFailure(username, user?.id ?? null, source);
      throw new AppError(
        'unauthenticated',
        user?.disabled && ok ? 'this account is disabled' : 'wrong user name or password',
      );
    }
    this.throttle.succeeded(source, username);
    return user;
  }

  createUser(
    actor: Actor,
    fields: {
      username: string;
      displayName: string;
      role: User['role'];
      passwordHash: string;
      passwordChangeDue?: boolean;
    },
  ): User {
    return this.db.transaction(() => {
      if (this.users.byUsername(fields.username))
        throw new AppError('conflict', `the user name "${fields.username}" is taken`, { field: 'username' });
      const id = this.users.insert(fields);
      this.audit.append(actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: id,
        after: {
          username: fields.username,
          displayName: fields.displayName,
          role: fields.role,
          passwordChangeDue: fields.passwordChangeDue === true,
        },
      });
      return publicUser(this.users.byId(id)!);
    })();
  }

  handlers(): CallHandlers<typeof authCalls> {
    const actorOf = (s: Session | null): Actor => ({ userId: s?.user.id ?? null, username: s?.user.username ?? null });
    return {
      'auth.status': (_input, ctx) => {
        let locked = false;
        let session: Session | null = null;
        try {
          session = this.sessionFor(ctx.connection, false);
        } catch (error) {
          locked = error instanceof AppError && error.code === 'locked';
          // Who is locked out, so the lock screen can name them (every call but unlock stays refused).
          const state = this.stateOf(ctx.connection);
          const user = state && this.users.byId(state.userId);
          if (locked && state && user) session = this.toSession(state, user);
        }
        return { firstRun: this.users.count() === 0, session, locked };
      },
      'auth.setupAdmin': async (input, ctx) => {
        const passwordHash = await hashPassword(input.password);
        const user = this.db.transaction(() => {
          if (this.users.count() > 0) throw new AppError('forbidden', 'the station already has an administrator');
          return this.createUser({ userId: null, username: input.username }, { ...input, role: 'admin', passwordHash });
        })();
        this.throttle.succeeded(this.sourceOf(ctx.connection), input.username);
        return this.startSession(ctx.connection, this.users.byId(user.id)!);
      },
      'auth.signIn': async (input, ctx) => {
        const user = await this.checkCredentials(input.username, input.password, ctx.connection);
        const session = this.startSession(ctx.connection, user);
        this.db.transaction(() =>
          this.audit.append(
            { userId: user.id, username: user.username },
            { action: 'auth.sign_in', entityType: 'user', entityId: user.id },
          ),
        )();
        return session;
      },
      'auth.resume': (input, ctx) => {
        const state = this.sessions.get(input.token);
        if (!state) throw new AppError('unauthenticated', 'the session has ended; sign in again');
        this.bind(ctx.connection, input.token);
        const session = this.sessionFor(ctx.connection, false);
        if (!session) throw new AppError('unauthenticated', 'the session has ended; sign in again');
        return session;
      },
      'auth.unlock': async (input, ctx) => {
        const state = this.stateOf(ctx.connection);
        if (!state) throw new AppError('unauthenticated', 'sign in first');
        const user = this.users.byId(state.userId);
        if (!user) throw new AppError('unauthenticated', 'sign in first');
        await this.checkCredentials(user.username, input.password, ctx.connection);
        state.lastActivity = this.options.now();
        this.setLocked(state, false);
        return this.toSession(state, user);
      },
      'auth.lock': (_input, ctx) => {
        const state = this.stateOf(ctx.connection);
        if (state) this.setLocked(state, true);
        return {};
      },
      'auth.signOut': (_input, ctx) => {
        const state = this.stateOf(ctx.connection);
        if (state) {
          this.db.transaction(() =>
            this.audit.append(
              { userId: state.userId, username: this.users.byId(state.userId)?.username ?? null },
              { action: 'auth.sign_out', entityType: 'user', entityId: state.userId },
            ),
          )();
          this.endSession(state.token);
        }
        ctx.connection.sessionToken = null;
        return {};
      },
      'auth.changePassword': async (input, ctx) => {
        const session = ctx.session!;
        await this.checkCredentials(session.user.username, input.currentPassword, ctx.connection);
        if (input.newPassword === input.currentPassword)
          throw new AppError('invalid_input', 'choose a new password, not the one you have now', {
            field: 'newPassword',
          });
        const passwordHash = await hashPassword(input.newPassword);
        this.db.transaction(() => {
          this.users.update(session.user.id, { passwordHash, passwordChangeDue: false });
          this.audit.append(actorOf(session), {
            action: 'user.change_password',
            entityType: 'user',
            entityId: session.user.id,
          });
        })();
        // Other signed-in places of this user (another browser, a stolen session) must sign in again.
        this.endSessionsOf(session.user.id, session.token);
        return {};
      },
      'users.list': () => this.users.list().map(publicUser),
      'users.create': async (input, ctx) => {
        const passwordHash = await hashPassword(input.password);
        return this.createUser(actorOf(ctx.session), {
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          passwordHash,
          passwordChangeDue: input.passwordChangeDue,
        });
      },
      'users.update': (input, ctx) =>
        this.db.transaction(() => {
          const before = this.users.byId(input.id);
          if (!before) throw notFound('user', 'no such user', { id: input.id });
          const demotesLastAdmin =
            before.role === 'admin' &&
            !before.disabled &&
            (input.disabled === true || (input.role && input.role !== 'admin'));
          if (demotesLastAdmin && this.users.countActiveAdmins() <= 1)
            throw new AppError('conflict', 'the station must keep at least one active administrator');
          this.users.update(input.id, input);
          const after = this.users.byId(input.id)!;
          const pick = (u: UserWithHash) => ({ role: u.role, disabled: u.disabled, displayName: u.displayName });
          this.audit.append(actorOf(ctx.session), {
            action: 'user.update',
            entityType: 'user',
            entityId: input.id,
            before: pick(before),
            after: pick(after),
          });
          if (after.disabled) this.endSessionsOf(after.id);
          return publicUser(after);
        })(),
      'users.resetPassword': async (input, ctx) => {
        const passwordHash = await hashPassword(input.password);
        this.db.transaction(() => {
          if (!this.users.byId(input.id)) throw notFound('user', 'no such user', { id: input.id });
          this.users.update(input.id, { passwordHash, passwordChangeDue: input.passwordChangeDue });
          this.audit.append(actorOf(ctx.session), {
            action: 'user.reset_password',
            entityType: 'user',
            entityId: input.id,
            after: { passwordChangeDue: input.passwordChangeDue },
          });
        })();
        // A reset is what a lab does when a password may be known to someone else: their sessions end too.
        this.endSessionsOf(input.id, input.id === ctx.session?.user.id ? ctx.session.token : undefined);
        return {};
      },
    };
  }

  eventSources(): EventSources<typeof authEvents> {
    return {
      // Watches whatever session the connection holds when a change happens, so a subscription made before
      // sign-in, resume or adoption by another tab still hears of it.
      'auth.onSessionChanged': (_filter, emit, ctx) => {
        const watcher: SessionWatcher = { connection: ctx.connection, emit };
        this.watchers.add(watcher);
        return () => this.watchers.delete(watcher);
      },
    };
  }

  /** Locks idle sessions proactively so open screens hide their content without waiting for a click. */
  sweepIdle(): void {
    this.flushFailures(false);
    const now = this.options.now();
    for (const state of this.sessions.values()) {
      if (!state.locked && now - state.lastActivity > this.options.idleLockMinutes * 60_000)
        this.setLocked(state, true);
    }
  }
}

interface FailureSummary {
  userId: number | null;
  username: string | null;
  attempts: number;
  sources: Set<string>;
  names: Set<string>;
  from: number;
  to: number;
  writtenAt: number;
}

/** At most one audit entry of failed sign-ins per account and per this period. */
const failureSummaryMs = 60_000;

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
