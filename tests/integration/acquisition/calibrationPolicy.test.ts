// The lab's calibration validity period as a station setting, through the contract: the host config is the
// default until a manager sets one; the setting decides the expiry of calibrations recorded afterwards (earlier
// records keep theirs); only managers and admins may change it; bad values are refused with nothing stored;
// every change is audited with before/after and the reason; a calibration past that shorter period blocks capture.
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../electron/contract/errors.ts';
import { adminAccount, startSignedIn } from '../../fixtures/testHost.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected an AppError, got ${String(error)}`).toBe(true);
  return error as { code: string; message: string };
}

async function userClient(
  station: Awaited<ReturnType<typeof startSignedIn>>,
  role: 'technician' | 'examiner' | 'manager',
) {
  await station.client.call('users.create', {
    passwordChangeDue: false, // a test account: no password change at first sign-in
    username: role,
    displayName: role,
    password: 'long enough password',
    role,
  });
  const client = station.connect();
  await client.call('auth.signIn', { username: role, password: 'long enough password' });
  return client;
}

const day = 86_400_000;

describe('calibration validity setting', () => {
  it('defaults to the host config, a manager sets it, new calibrations expire by it and capture is blocked after it', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const station = await startSignedIn({ clock: () => now, calibrationValidityDays: 45 });
    dispose = station.dispose;
    const manager = await userClient(station, 'manager');
    expect(await manager.call('calibrations.settings', {})).toEqual({ validityDays: 45, source: 'default' });

    const before = await station.client.call('calibrations.run', { kind: 'all' });
    expect(before.expiresAt).toBe(new Date(now + 45 * day).toISOString());

    expect(
      await manager.call('calibrations.setValidity', { validityDays: 7, reason: 'SOP 12 rev. 3: weekly calibration' }),
    ).toEqual({ validityDays: 7, source: 'station' });
    expect(await station.client.call('calibrations.settings', {})).toEqual({ validityDays: 7, source: 'station' });
    const after = await station.client.call('calibrations.run', { kind: 'all' });
    expect(after.expiresAt).toBe(new Date(now + 7 * day).toISOString());
    // The earlier record keeps the expiry it was written with.
    expect((await station.client.call('calibrations.get', { id: before.id })).expiresAt).toBe(
      new Date(now + 45 * day).toISOString(),
    );
    expect((await station.client.call('capture.readiness', {})).ready).toBe(true);

    // Eight days on, the newest calibration (the one capture uses) is past the station's 7 days: capture is blocked.
    now += 8 * day;
    await station.client.call('auth.unlock', { password: adminAccount.password }); // idle lock after a week
    const readiness = await station.client.call('capture.readiness', {});
    expect(readiness.ready).toBe(false);
    expect(readiness.problems.join('; ')).toMatch(
      new RegExp(`calibration ${after.reference} \\(suite, 2026-11-24\\) expired on 2026-12-01T10:00:00.000Z`),
    );
    // The same reason as data, for the UI to word in the user's language.
    expect(readiness.blocks).toContainEqual({
      kind: 'calibration_expired',
      calibrationId: after.id,
      reference: after.reference,
      expiresAt: '2026-12-01T10:00:00.000Z',
    });

    const audit = station.host.db
      .prepare(
        "SELECT username, entity_type, entity_id, before_json, after_json, reason FROM audit_log WHERE action = 'calibration.validity'",
      )
      .all();
    expect(audit).toEqual([
      {
        username: 'manager',
        entity_type: 'station_setting',
        entity_id: 'calibration.validityDays',
        before_json: JSON.stringify({ source: 'default', validityDays: 45 }),
        after_json: JSON.stringify({ source: 'station', validityDays: 7 }),
        reason: 'SOP 12 rev. 3: weekly calibration',
      },
    ]);
  }, 120_000);

  it('lets anyone signed in read it, refuses technicians and examiners, and refuses bad values with nothing stored', async () => {
    const station = await startSignedIn({ calibrationValidityDays: 30 });
    dispose = station.dispose;
    const technician = await userClient(station, 'technician');
    const examiner = await userClient(station, 'examiner');
    expect(await technician.call('calibrations.settings', {})).toEqual({ validityDays: 30, source: 'default' });
    for (const client of [technician, examiner]) {
      expect(
        (await errorOf(client.call('calibrations.setValidity', { validityDays: 90, reason: 'longer' }))).code,
      ).toBe('forbidden');
    }
    for (const validityDays of [0, -5, 3651, 1.5, Number.NaN]) {
      expect(
        (await errorOf(station.client.call('calibrations.setValidity', { validityDays, reason: 'bad' }))).code,
      ).toBe('invalid_input');
    }
    expect(
      (await errorOf(station.client.call('calibrations.setValidity', { validityDays: 90, reason: '   ' }))).code,
    ).toBe('invalid_input');
    // The host checks again behind the schema (the service is also called in-process).
    expect(() => station.host.calibrationPolicy.setValidity({ userId: 1, username: 'admin' }, 0, 'bad')).toThrow(
      /whole number of days 1–3650, got 0/,
    );
    expect(station.host.db.prepare('SELECT COUNT(*) FROM station_settings').pluck().get()).toBe(0);
    expect(
      station.host.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'calibration.validity'").pluck().get(),
    ).toBe(0);

    // An admin may; a second change records the first as its "before".
    await station.client.call('calibrations.setValidity', { validityDays: 3650, reason: 'maximum' });
    await station.client.call('calibrations.setValidity', { validityDays: 1, reason: 'minimum' });
    const entries = station.host.db
      .prepare(
        "SELECT before_json, after_json, reason FROM audit_log WHERE action = 'calibration.validity' ORDER BY seq",
      )
      .all();
    expect(entries).toEqual([
      {
        before_json: JSON.stringify({ source: 'default', validityDays: 30 }),
        after_json: JSON.stringify({ source: 'station', validityDays: 3650 }),
        reason: 'maximum',
      },
      {
        before_json: JSON.stringify({ source: 'station', validityDays: 3650 }),
        after_json: JSON.stringify({ source: 'station', validityDays: 1 }),
        reason: 'minimum',
      },
    ]);
    expect(await technician.call('calibrations.settings', {})).toEqual({ validityDays: 1, source: 'station' });
  });

  it('says loudly when the stored value is damaged instead of guessing', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    station.host.db
      .prepare(
        "INSERT INTO station_settings (key, value, updated_at) VALUES ('calibration.validityDays', '\"ninety\"', 'x')",
      )
      .run();
    const error = await errorOf(station.client.call('calibrations.settings', {}));
    expect(error.code).toBe('internal');
  });
});
