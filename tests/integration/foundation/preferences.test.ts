import { afterEach, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { expectAppError } from '../../fixtures/appError.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

describe('user preferences', () => {
  it('keeps each user’s language, audits a change, refuses languages the station does not speak', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client, host } = station;
    expect(await client.call('preferences.get', {})).toEqual({ language: null });
    const admin = (await client.call('auth.status', {})).session!.user;
    expect(host.preferences.languageOf(admin.id)).toBe('en');

    await client.call('preferences.setLanguage', { language: 'ar' });
    await client.call('preferences.setLanguage', { language: 'ar' }); // no change, no second entry
    expect(await client.call('preferences.get', {})).toEqual({ language: 'ar' });
    expect(host.preferences.languageOf(admin.id)).toBe('ar');
    const entries = host.audit.list({ action: 'user.set_language', limit: 10 }).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ before: { language: null }, after: { language: 'ar' } });

    await expectAppError(client.call('preferences.setLanguage', { language: 'de' as 'en' }), 'invalid_input');
    await expectAppError(station.connect().call('preferences.get', {}), 'unauthenticated');
  });
});
