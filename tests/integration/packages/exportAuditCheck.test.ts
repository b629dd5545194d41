// An export checks the station's audit trail first. A trail whose chain is whole but which does not verify for
// another reason (here a calibration recorded without its audit entry) refuses the export with a clear integrity
// error naming the fault, not an internal error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNetwork, stationWithCase } from './packageHarness.ts';

let sender: Awaited<ReturnType<typeof stationWithCase>>;

beforeAll(async () => {
  sender = await stationWithCase(await makeNetwork());
}, 120_000);

afterAll(async () => {
  await sender?.station.dispose();
});

describe('export with an audit trail that does not verify', () => {
  it('is refused with the fault in words, and nothing is written', async () => {
    sender.station.host.acquisitions.calibrations.insert({
      kind: 'scale',
      rigProfile: 'Bench 1',
      deviceSerials: {},
      operatorId: 1,
      performedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      results: { passed: true, messages: [] },
      reportSha256: null,
    });
    const verify = await sender.station.client.call('audit.verify', {});
    expect(verify.ok).toBe(false);
    expect(verify.firstBroken).toBeNull();
    await expect(
      sender.station.client.call('packages.export', {
        caseId: sender.theCase.id,
        reason: 'requested',
        fileName: 'unaudited',
      }),
    ).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringMatching(/audit trail does not verify \(.+\); a package cannot be checked/),
    });
    expect((await sender.station.client.call('packages.exports', {})).rows).toEqual([]);
  }, 120_000);
});
