// The tabs of one browser share a sign-in (they come with the same access cookie); other browsers do not.
import { afterEach, describe, expect, it } from 'vitest';
import { adminAccount, startTestHost, type StationClient } from '../../fixtures/testHost.ts';
import { expectAppError } from '../../fixtures/appError.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

function sessionChanges(client: StationClient) {
  const seen: Array<{ locked: boolean; signedIn: boolean }> = [];
  client.subscribe('auth.onSessionChanged', {}, (change) => seen.push(change));
  return seen;
}

// Events are sent before the answer of the call that caused them; one turn lets the listener run.
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('sessions shared by the tabs of a browser', () => {
  it('a new tab takes the browser’s sign-in; lock, unlock and sign-out reach every tab; another browser stays out', async () => {
    const station = startTestHost();
    dispose = station.dispose;
    const firstTab = station.connect('browser-a');
    const secondTab = station.connect('browser-a');
    const secondSeen = sessionChanges(secondTab);
    const otherBrowser = station.connect('browser-b');
    const script = station.connect(); // no browser: a token-only client

    await firstTab.call('auth.setupAdmin', adminAccount);
    await settle();
    expect(secondSeen).toEqual([{ locked: false, signedIn: true }]); // "someone signed in here: look again"
    expect((await secondTab.call('auth.status', {})).session?.user.username).toBe('admin');
    expect((await secondTab.call('cases.list', {})).total).toBe(0);
    const thirdTab = station.connect('browser-a');
    expect((await thirdTab.call('cases.list', {})).total).toBe(0);
    await expectAppError(otherBrowser.call('cases.list', {}), 'unauthenticated');
    await expectAppError(script.call('cases.list', {}), 'unauthenticated');

    await firstTab.call('auth.lock', {});
    await settle();
    expect(secondSeen.at(-1)).toEqual({ locked: true, signedIn: true });
    await expectAppError(thirdTab.call('cases.list', {}), 'locked');
    const lockedStatus = await station.connect('browser-a').call('auth.status', {});
    expect(lockedStatus).toMatchObject({ locked: true, session: { user: { username: 'admin' } } });
    await secondTab.call('auth.unlock', { password: adminAccount.password });
    await settle();
    expect(secondSeen.at(-1)).toEqual({ locked: false, signedIn: true });
    expect((await firstTab.call('cases.list', {})).total).toBe(0);

    await secondTab.call('auth.signOut', {});
    await settle();
    await expectAppError(firstTab.call('cases.list', {}), 'unauthenticated');
    await expectAppError(thirdTab.call('cases.list', {}), 'unauthenticated');

    // Signing in again in one tab brings back the others, even those that held the ended session.
    await thirdTab.call('auth.signIn', { username: 'admin', password: adminAccount.password });
    expect((await firstTab.call('cases.list', {})).total).toBe(0);
  });
});
