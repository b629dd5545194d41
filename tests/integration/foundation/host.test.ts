import { afterEach, describe, expect, it } from 'vitest';
import { startSignedIn, startTestHost, adminAccount } from '../../fixtures/testHost.ts';
import { expectAppError } from '../../fixtures/appError.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

describe('station host over the contract', () => {
  it('first run creates the admin; later setups are refused', async () => {
    const station = startTestHost();
    dispose = station.dispose;
    const client = station.connect();
    expect((await client.call('auth.status', {})).firstRun).toBe(true);
    const session = await client.call('auth.setupAdmin', adminAccount);
    expect(session.user.role).toBe('admin');
    await expectAppError(
      station.connect().call('auth.setupAdmin', { ...adminAccount, username: 'other' }),
      'forbidden',
    );
    expect((await station.connect().call('auth.status', {})).firstRun).toBe(false);
  });

  it('refuses calls before sign-in and wrong passwords', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const anonymous = station.connect();
    await expectAppError(anonymous.call('cases.list', {}), 'unauthenticated');
    await expectAppError(
      anonymous.call('auth.signIn', { username: 'admin', password: 'wrong password!' }),
      'unauthenticated',
    );
    const session = await anonymous.call('auth.signIn', { username: 'admin', password: adminAccount.password });
    expect(session.permissions).toContain('user.manage');
  });

  it('creates, lists, amends a case with its audit trail; duplicates are refused and write nothing', async () => {
    const { client, host, dispose: d } = await startSignedIn();
    dispose = d;
    const created = await client.call('cases.create', {
      labCaseNumber: 'LAB-2026-0001',
      agency: 'Metro PD',
      offence: 'Shooting',
    });
    expect(created.status).toBe('open');
    const auditBefore = host.audit.count();
    const dup = await expectAppError(client.call('cases.create', { labCaseNumber: 'lab-2026-0001' }), 'conflict');
    expect(dup.details).toEqual({ field: 'labCaseNumber' });
    expect(host.audit.count()).toBe(auditBefore);

    const updated = await client.call('cases.update', {
      id: created.id,
      version: created.version,
      fields: { agency: 'County SO' },
      reason: 'typo in intake',
    });
    expect(updated.agency).toBe('County SO');
    await expectAppError(
      client.call('cases.update', { id: created.id, version: created.version, fields: { agency: 'X' } }),
      'conflict',
    );

    const item = await client.call('items.create', {
      caseId: created.id,
      fields: {
        kind: 'cartridge_case',
        exhibitNumber: 'Q1',
        calibre: '9mm Luger',
        origin: 'questioned',
        headstamp: 'WIN 9MM LUGER',
        firingPinShape: 'hemispherical',
        breechFaceClass: 'granular',
      },
    });
    await expectAppError(
      client.call('items.create', { caseId: created.id, fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' } }),
      'conflict',
    );
    const amended = await client.call('items.update', {
      id: item.id,
      version: item.version,
      fields: { headstamp: 'FC 9MM LUGER' },
      reason: 'read under magnification',
    });
    expect(amended.headstamp).toBe('FC 9MM LUGER');

    const history = await client.call('audit.forCase', { caseId: created.id });
    expect(history.map((e) => e.action)).toEqual(['item.update', 'item.create', 'case.update', 'case.create']);
    expect(history[0].before).toEqual({ headstamp: 'WIN 9MM LUGER' });
    expect(history[0].after).toEqual({ headstamp: 'FC 9MM LUGER' });
    expect(history[0].reason).toBe('read under magnification');
    expect((await client.call('audit.verify', {})).ok).toBe(true);
  });

  it('rejects invalid fields with field-level details and writes nothing', async () => {
    const { client, host, dispose: d } = await startSignedIn();
    dispose = d;
    const before = host.audit.count();
    const error = await expectAppError(
      client.call('cases.create', { labCaseNumber: '', offenceDate: '2026-13-45', notes: 'x'.repeat(5000) }),
      'invalid_input',
    );
    const paths = (error.details as { issues: { path: string[] }[] }).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['labCaseNumber', 'offenceDate', 'notes']));
    expect(host.audit.count()).toBe(before);
  });

  it('enforces roles in the host: a technician cannot manage users, read the audit log or close a case', async () => {
    const { client, connect, dispose: d } = await startSignedIn();
    dispose = d;
    await client.call('users.create', {
      passwordChangeDue: false, // a test account: no password change at first sign-in
      username: 'tech',
      displayName: 'Tech One',
      password: 'technician-pass',
      role: 'technician',
    });
    const created = await client.call('cases.create', { labCaseNumber: 'C-1' });
    const tech = connect();
    await tech.call('auth.signIn', { username: 'tech', password: 'technician-pass' });
    await expectAppError(tech.call('users.list', {}), 'forbidden');
    await expectAppError(tech.call('audit.list', {}), 'forbidden');
    await expectAppError(
      tech.call('cases.update', { id: created.id, version: created.version, fields: { status: 'closed' } }),
      'forbidden',
    );
    const active = await tech.call('cases.update', {
      id: created.id,
      version: created.version,
      fields: { status: 'active' },
    });
    expect(active.status).toBe('active');
  });

  it('locks an idle session, refuses calls with "locked", and unlocks only with the right password', async () => {
    let now = Date.now();
    const { client, dispose: d } = await startSignedIn({ idleLockMinutes: 1, clock: () => now });
    dispose = d;
    expect((await client.call('cases.list', {})).total).toBe(0);
    now += 61_000;
    await expectAppError(client.call('cases.list', {}), 'locked');
    expect((await client.call('auth.status', {})).locked).toBe(true);
    await expectAppError(client.call('auth.unlock', { password: 'not the password' }), 'unauthenticated');
    await client.call('auth.unlock', { password: adminAccount.password });
    expect((await client.call('cases.list', {})).total).toBe(0);
  });
});
