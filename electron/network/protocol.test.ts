import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../tests/fixtures/sharedData.ts';
import { leadViewSchema } from '../contract/network.ts';
import {
  ed25519PublicKeyFromRaw,
  ed25519RawPublicKey,
  hubErrorCodes,
  keyId,
  knownLeadFields,
  leadDetailFieldsByRevision,
  leadDetailObjectFields,
  leadForRevision,
  leadSchema,
  protocolRevision,
  requestRevision,
  manifestBytes,
  manifestSchema,
  requestSigningBytes,
  signBytes,
  verifyBytes,
  type Manifest,
} from './protocol.ts';

const manifest: Manifest = {
  protocol: 'casebench-exchange/1',
  idempotencyKey: '2b0c6a1e-6b8f-4a57-9d0e-7d2f1c3b4a59',
  lab: { labId: 'LAB-1', stationId: 'ST-1' },
  createdAt: '2026-11-24T19:30:00.000Z',
  caseRef: '2026-0142',
  itemRef: 'EXH-3',
  specimen: { calibre: '9mm Luger', origin: 'questioned' },
  artifacts: [{ role: 'x3p', name: 'a.x3p', mediaType: 'application/x3p+zip', sha256: 'a'.repeat(64), size: 10 }],
};

describe('exchange protocol', () => {
  it('signs the canonical manifest, whatever the key order, and a changed field breaks the signature', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signature = signBytes(privateKey, manifestBytes(manifest));
    const reordered = Object.fromEntries(Object.entries(manifest).reverse()) as Manifest;
    expect(verifyBytes(publicKey, manifestBytes(reordered), signature)).toBe(true);
    expect(verifyBytes(publicKey, manifestBytes({ ...manifest, caseRef: '2026-0143' }), signature)).toBe(false);
    expect(verifyBytes(publicKey, manifestBytes(manifest), 'not base64 at all!')).toBe(false);
  });

  it('carries no personal data: unknown fields such as names or places are refused', () => {
    expect(manifestSchema.safeParse(manifest).success).toBe(true);
    expect(
      manifestSchema.safeParse({ ...manifest, specimen: { ...manifest.specimen, recoveryPlace: '12 Main St' } })
        .success,
    ).toBe(false);
    expect(manifestSchema.safeParse({ ...manifest, suspectName: 'J. Doe' }).success).toBe(false);
    expect(
      manifestSchema.safeParse({ ...manifest, artifacts: [...manifest.artifacts, manifest.artifacts[0]] }).success,
    ).toBe(false);
    expect(manifestSchema.safeParse({ ...manifest, specimen: {} }).success).toBe(false); // calibre is needed to correlate
  });

  it('round-trips raw Ed25519 keys and binds request signatures to method, path, time, nonce and body', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = ed25519RawPublicKey(publicKey);
    expect(raw).toHaveLength(32);
    expect(keyId(ed25519PublicKeyFromRaw(raw))).toBe(keyId(privateKey));
    const bytes = requestSigningBytes('post', '/v1/submissions', '1', 'ab', 'ff');
    const signature = signBytes(privateKey, bytes);
    expect(verifyBytes(publicKey, requestSigningBytes('POST', '/v1/submissions', '1', 'ab', 'ff'), signature)).toBe(
      true,
    );
    expect(verifyBytes(publicKey, requestSigningBytes('POST', '/v1/submissions', '2', 'ab', 'ff'), signature)).toBe(
      false,
    );
    expect(() => ed25519PublicKeyFromRaw(new Uint8Array(31))).toThrow(/32 bytes/);
  });

  it('documents every hub error code in the OpenAPI file and the protocol page', () => {
    const openapi = readFileSync(join(repoRoot, 'docs/network-openapi.yaml'), 'utf8');
    const prose = readFileSync(join(repoRoot, 'docs/network-protocol.md'), 'utf8');
    for (const code of hubErrorCodes) {
      expect(openapi).toContain(code);
      expect(prose).toContain(code);
    }
  });
});

describe('leads', () => {
  const lead = {
    leadId: 3,
    score: 14,
    scorer: 'cmc/1',
    calibre: '9mm Luger',
    region: 'breech_face',
    otherLabId: 'LAB-2',
    otherCaseRef: '2026-7',
    otherItemRef: 'K1',
    otherSubmissionId: '5d1c0e7a-3f2b-4c6d-8e9f-0a1b2c3d4e5f',
    detail: { cmcAb: 15, cmcBa: 14, screening: 0.8 },
    otherArtifacts: [
      { role: 'x3p', name: 'k1.x3p', mediaType: 'application/x3p+zip', sha256: 'b'.repeat(64), size: 9 },
    ],
    createdAt: '2026-11-24T19:31:00.000Z',
  };

  it('are one shape: the wire lead has the fields of the contract view, only checked harder', () => {
    expect(Object.keys(leadSchema.shape).sort()).toEqual(Object.keys(leadViewSchema.shape).sort());
    expect(leadViewSchema.parse(leadSchema.parse(lead))).toEqual(lead);
    expect(leadSchema.safeParse({ ...lead, otherSubmissionId: 'not-a-uuid' }).success).toBe(false);
  });

  it('tolerate fields of later revisions (kept as they came, for the signature), and strip them for display', () => {
    const later = { ...lead, newTopLevel: 1, detail: { ...lead.detail, newField: { x: [1] } } };
    const parsed = leadSchema.parse(later);
    expect(parsed).toEqual(later);
    expect(knownLeadFields(parsed)).toEqual(lead);
    expect(leadSchema.safeParse({ ...later, detail: { ...later.detail, screening: 'high' } }).success).toBe(false);
  });

  it('name the revision of every detail field, and give an older station only the fields its revision knows', () => {
    const detailShape = leadSchema.shape.detail.unwrap().shape;
    const nested = (parent: 'foundBy' | 'lr') => Object.keys(detailShape[parent].unwrap().shape);
    // Every field of the detail, and of its objects (parent.field), except those that came with their parent.
    const cameWithParent = leadDetailObjectFields as Record<'foundBy' | 'lr', string[]>;
    const wireFields = [
      ...Object.keys(detailShape),
      ...(['foundBy', 'lr'] as const).flatMap((parent) =>
        nested(parent)
          .filter((f) => !cameWithParent[parent].includes(f))
          .map((f) => `${parent}.${f}`),
      ),
    ].sort();
    const byRevision = Object.values(leadDetailFieldsByRevision).flat();
    expect([...byRevision].sort()).toEqual(wireFields); // each field in one revision: a new field must choose one
    expect(new Set(byRevision).size).toBe(byRevision.length);
    expect(Math.max(...Object.keys(leadDetailFieldsByRevision).map(Number))).toBe(protocolRevision);
    const full = leadSchema.parse({
      ...lead,
      detail: { ...lead.detail, calibrated: 'c', screened: 9, cut: 0.2, foundBy: { screened: 9 } },
    });
    expect(leadForRevision(full, 1).detail).toEqual({ ...lead.detail, calibrated: 'c' });
    expect(leadForRevision(full, protocolRevision)).toEqual(full);
    // Revision 4 fields, at the top of the detail and inside foundBy and lr, are kept from revision 3 stations.
    const range = { low: 0.1, high: 0.9 };
    const lr = {
      log10Lr: 0.2,
      interval: [-0.1, 0.5] as [number, number],
      clipped: null,
      comparable: true,
      model: 'm',
      statement: 's',
    };
    const newer = leadSchema.parse({
      ...lead,
      detail: {
        ...lead.detail,
        screened: 9,
        missRateRange: range,
        missRateEstimable: false,
        foundBy: { screened: 9, missRateRange: range, missRateEstimable: false },
        lr: { ...lr, betweenClasses: true },
      },
    });
    expect(leadForRevision(newer, 3).detail).toEqual({ ...lead.detail, screened: 9, foundBy: { screened: 9 }, lr });
    expect(leadForRevision(newer, 4)).toEqual(newer);
    // A detail field this hub does not know (a stored row a newer worker wrote, or left by a rolled-back front end),
    // at the top or inside an object, never reaches a station of a revision this hub knows: older stations refuse
    // unknown fields. A station newer than this hub gets the lead as stored.
    const unknown = leadSchema.parse({
      ...newer,
      detail: {
        ...newer.detail,
        fromTheFuture: 1,
        foundBy: { ...newer.detail!.foundBy, later: 2, missRateRange: { ...range, mid: 0.5 } },
        lr: { ...newer.detail!.lr, later: true },
        missRateRange: { ...range, mid: 0.5 },
      },
    });
    expect(unknown.detail).toMatchObject({ fromTheFuture: 1, lr: { later: true }, missRateRange: { mid: 0.5 } });
    for (let revision = 1; revision <= protocolRevision; revision++) {
      const detail = leadForRevision(unknown, revision).detail as Record<string, unknown>;
      expect(detail).not.toHaveProperty('fromTheFuture');
      expect(detail.foundBy ?? {}).not.toHaveProperty('later');
      expect(detail.lr ?? {}).not.toHaveProperty('later');
    }
    expect(leadForRevision(unknown, 4)).toEqual(newer);
    expect(leadForRevision(unknown, protocolRevision + 1)).toBe(unknown);
    expect([undefined, '', 'x', '0', '2', ['2']].map((h) => requestRevision(h))).toEqual([1, 1, 1, 1, 2, 1]);
  });
});
