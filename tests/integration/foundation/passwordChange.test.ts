// A password an administrator chose (new account, reset) must be replaced by its holder before anything else,
// and the host enforces it, not the screen.
import { afterEach, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { expectAppError } from '../../fixtures/appError.ts';

let dispose: (() => Promise<void> | void) | undefined;
afterEach(async () => {
  await dispose?.();
  dispose = undefined;
});

const given = 'given by the admin 1';

describe('password chosen by an administrator', () => {
  it('must be changed at first sign-in: every other call is refused until then', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const created = await station.client.call('users.create', {
      username: 'tech.tina',
      displayName: 'Tina',
      password: given,
      role: 'technician',
    });
    const tina = station.connect();
    const session = await tina.call('auth.signIn', { username: 'tech.tina', password: given });
    expect(session.passwordChangeDue).toBe(true);
    const refused = await expectAppError(tina.call('cases.list', {}), 'forbidden');
    expect(refused.message).toMatch(/choose a password of your own first/);
    // The same password again is no change.
    await expectAppError(
      tina.call('auth.changePassword', { currentPassword: given, newPassword: given }),
      'invalid_input',
    );
    await expectAppError(
      tina.call('auth.changePassword', { currentPassword: 'wrong password!', newPassword: 'tinas own password' }),
      'unauthenticated',
    );
    await tina.call('auth.changePassword', { currentPassword: given, newPassword: 'tinas own password' });
    expect((await tina.call('auth.status', {})).session?.passwordChangeDue).toBe(false);
    expect((await tina.call('cases.list', {})).total).toBe(0);

    // A reset by the administrator makes it due again; the reset is audited with that choice.
    await station.client.call('users.resetPassword', { id: created.id, password: 'another given one' });
    const again = await station.connect().call('auth.signIn', { username: 'tech.tina', password: 'another given one' });
    expect(again.passwordChangeDue).toBe(true);
    const audit = await station.client.call('audit.list', { action: 'user.reset_password' });
    expect(audit.entries[0]?.after).toEqual({ passwordChangeDue: true });
  });

  it('can be left as it is when the administrator says so; the first administrator is never asked', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    await station.client.call('users.create', {
      username: 'exam.eve',
      displayName: 'Eve',
      password: given,
      role: 'examiner',
      passwordChangeDue: false,
    });
    const eve = station.connect();
    expect((await eve.call('auth.signIn', { username: 'exam.eve', password: given })).passwordChangeDue).toBe(false);
    expect((await eve.call('cases.list', {})).total).toBe(0);
    expect((await station.client.call('auth.status', {})).session?.passwordChangeDue).toBe(false);
  });
});
