// Sign-in hardening (issue 10, item 8): a reset or changed password ends the sessions that used the old one;
// wrong passwords slow down the source that typed them, not the account for everyone; failed sign-ins are counted
// into a few audit entries, however many there are.
import { afterEach, describe, expect, it } from 'vitest';
import { adminAccount, startTestHost } from '../../fixtures/testHost.ts';
import { expectAppError } from '../../fixtures/appError.ts';
import type { Host } from '../../../electron/host/createHost.ts';

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await dispose?.();
  dispose = undefined;
});

const technician = {
  username: 'tech',
  displayName: 'Technician',
  role: 'technician' as const,
  password: 'first password 1',
};

function failedSignIns(host: Host) {
  return (
    host.db
      .prepare(
        "SELECT username, entity_id AS entityId, after_json AS after FROM audit_log WHERE action = 'auth.sign_in_failed' ORDER BY seq",
      )
      .all() as { username: string | null; entityId: string | null; after: string }[]
  ).map((row) => ({ ...row, after: JSON.parse(row.after) as Record<string, unknown> }));
}

describe('passwords and sessions', () => {
  it('a password reset ends every session of that user; a change ends all but the one that changed it', async () => {
    const station = startTestHost();
    dispose = station.dispose;
    const admin = station.connect('admin-browser');
    await admin.call('auth.setupAdmin', adminAccount);
    const tech = await admin.call('users.create', { ...technician, passwordChangeDue: false });
    const techAtBench = station.connect('bench-browser');
    const techElsewhere = station.connect('other-browser');
    for (const client of [techAtBench, techElsewhere])
      await client.call('auth.signIn', { username: 'tech', password: technician.password });
    expect((await techElsewhere.call('cases.list', {})).total).toBe(0);

    await techAtBench.call('auth.changePassword', {
      currentPassword: technician.password,
      newPassword: 'second password 2',
    });
    expect((await techAtBench.call('cases.list', {})).total).toBe(0);
    await expectAppError(techElsewhere.call('cases.list', {}), 'unauthenticated');

    await admin.call('users.resetPassword', { id: tech.id, password: 'third password 3', passwordChangeDue: false });
    await expectAppError(techAtBench.call('cases.list', {}), 'unauthenticated');
    expect((await admin.call('cases.list', {})).total).toBe(0); // the admin's own session is not the user's
    await techAtBench.call('auth.signIn', { username: 'tech', password: 'third password 3' });
    expect((await techAtBench.call('cases.list', {})).total).toBe(0);
  });
});

describe('wrong passwords', () => {
  it('slow down the source that typed them, doubling the wait; the account stays open to its own browser', async () => {
    let now = Date.now();
    const station = startTestHost({ clock: () => now });
    dispose = station.dispose;
    const own = station.connect('admins-browser');
    await own.call('auth.setupAdmin', adminAccount);
    await own.call('auth.signOut', {});
    const guesser = station.connect('link-holder');
    for (let i = 0; i < 5; i++)
      await expectAppError(
        guesser.call('auth.signIn', { username: 'admin', password: `guess ${i}` }),
        'unauthenticated',
      );
    // Before: the sixth try locked the account for everyone for a minute.
    const refused = await guesser.call('auth.signIn', adminAccount).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'forbidden', details: { retryAfterSeconds: 30 } });
    await own.call('auth.signIn', adminAccount);
    await own.call('auth.signOut', {});

    now += 31_000;
    await expectAppError(guesser.call('auth.signIn', { username: 'admin', password: 'guess 5' }), 'unauthenticated');
    expect(await guesser.call('auth.signIn', adminAccount).catch((e: unknown) => e)).toMatchObject({
      details: { retryAfterSeconds: 60 },
    });
    now += 61_000;
    expect((await guesser.call('auth.signIn', adminAccount)).user.username).toBe('admin');
  });

  it('from many sources at once hold up new sources, never one that signed in to the account before', async () => {
    const station = startTestHost();
    dispose = station.dispose;
    const own = station.connect('admins-browser');
    await own.call('auth.setupAdmin', adminAccount);
    await own.call('auth.signOut', {});
    // A link holder makes a new access cookie for every four guesses (below the per-source limit).
    for (let i = 0; i < 20; i++)
      await expectAppError(
        station
          .connect(`cookie-${Math.floor(i / 4)}`)
          .call('auth.signIn', { username: 'admin', password: `guess ${i}` }),
        'unauthenticated',
      );
    await expectAppError(station.connect('cookie-new').call('auth.signIn', adminAccount), 'forbidden');
    expect((await own.call('auth.signIn', adminAccount)).user.username).toBe('admin');
  });

  it('are written to the audit trail as summaries: at once for the first, then at most once a minute', async () => {
    let now = Date.now();
    const station = startTestHost({ clock: () => now });
    dispose = station.dispose;
    const own = station.connect('admins-browser');
    await own.call('auth.setupAdmin', adminAccount);
    const guesser = station.connect('guesser');
    for (let i = 0; i < 12; i++)
      await expectAppError(guesser.call('auth.signIn', { username: `nobody${i}`, password: 'x' }), 'unauthenticated');
    for (let i = 0; i < 3; i++)
      await expectAppError(
        guesser.call('auth.signIn', { username: 'admin', password: `guess ${i}` }),
        'unauthenticated',
      );
    // Before: fifteen entries, one per try, whatever name was typed.
    expect(failedSignIns(station.host)).toMatchObject([
      { username: null, entityId: null, after: { attempts: 1, sources: 1, names: ['nobody0'] } },
      { username: 'admin', after: { attempts: 1, sources: 1 } },
    ]);
    now += 61_000;
    station.host.auth.sweepIdle();
    expect(failedSignIns(station.host).slice(2)).toMatchObject([
      { username: null, after: { attempts: 11, names: ['nobody1', 'nobody2', 'nobody3', 'nobody4', 'nobody5'] } },
      { username: 'admin', after: { attempts: 2 } },
    ]);
    await expectAppError(guesser.call('auth.signIn', { username: 'admin', password: 'guess 9' }), 'unauthenticated');
    expect(failedSignIns(station.host)).toHaveLength(4);
    await station.host.close(); // what is pending is written before the station stops
    dispose = async () => {};
  });
});
