import { z } from 'zod';
import { defineCall } from './rpc.ts';

// Network setup for the lab manager: the hub's address, the station's identity in the network (a key and a
// certificate request for the network CA, then the issued certificate; or certificate and keys from the operator),
// and a connection test with a verdict. The settings live in the station's data folder (network/).

const pem = z.string().max(20_000);
const identifier = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits and . _ - only (at most 64)');

/** Why installed or offered credentials cannot be used (network/pki.ts CredentialError); the screen words them. */
export const credentialProblems = [
  'unreadable_certificate',
  'foreign_issuer',
  'not_yet_valid',
  'expired',
  'no_identity',
  'not_station',
  'tls_key_unreadable',
  'signing_key_unreadable',
  'tls_key_mismatch',
  'signing_key_mismatch',
  'no_ca',
  'unreadable_ca',
] as const;
export type CredentialProblem = (typeof credentialProblems)[number];

export const certificateStates = ['none', 'valid', 'expired', 'not_yet_valid', 'unusable'] as const;

export const certificateInfoSchema = z.object({
  labId: z.string(),
  stationId: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  /** SHA-256 fingerprint, as operators compare them. */
  fingerprint: z.string(),
});

export const networkSetupSchema = z.object({
  hubUrl: z.string().nullable(),
  /** The network CA this station trusts. */
  ca: z.object({ subject: z.string(), validTo: z.string(), fingerprint: z.string() }).nullable(),
  certificate: certificateInfoSchema.nullable(),
  certificateState: z.enum(certificateStates),
  /** Why the installed credentials cannot be used (when unusable, expired or not yet valid). */
  certificateProblem: z.enum(credentialProblems).nullable(),
  /** A certificate request waiting for the CA's certificate (its keys stay on this station). */
  request: z.object({ labId: z.string(), stationId: z.string(), createdAt: z.string(), pem: z.string() }).nullable(),
  /** Whether acquisitions can be sent (credentials installed); without a hub they leave by bundle. */
  ready: z.boolean(),
});
export type NetworkSetup = z.infer<typeof networkSetupSchema>;

export const connectionChecks = ['settings', 'connection', 'hub_certificate', 'clock', 'protocol', 'identity'] as const;

/** Why the hub could not be reached, as far as the error tells (the system's own words go in `said`). */
export const unreachableReasons = ['refused', 'not_found', 'timeout', 'certificate', 'other'] as const;

/**
 * What a check found, as data the screen words in the station's language. `said` is text from outside this station
 * (the operating system's or TLS's error, the hub's refusal), shown as it came since no one can translate it here.
 */
export const connectionDetailSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hub_url'), url: z.string() }),
  z.object({ kind: z.literal('no_hub') }),
  z.object({ kind: z.literal('credentials'), problem: z.enum(credentialProblems) }),
  z.object({ kind: z.literal('unreachable'), reason: z.enum(unreachableReasons), said: z.string() }),
  z.object({ kind: z.literal('tls'), host: z.string() }),
  z.object({ kind: z.literal('hub_issued'), hubId: z.string() }),
  z.object({ kind: z.literal('clock_offset'), seconds: z.number() }),
  z.object({ kind: z.literal('versions'), hub: z.string().nullable(), station: z.string() }),
  z.object({ kind: z.literal('accepted') }),
  z.object({ kind: z.literal('refused'), code: z.string().nullable(), said: z.string() }),
]);
export type ConnectionDetail = z.infer<typeof connectionDetailSchema>;

export const connectionTestSchema = z.object({
  ok: z.boolean(),
  checks: z.array(
    z.object({
      check: z.enum(connectionChecks),
      ok: z.boolean(),
      /** Facts for the manager (hub id, clock offset, versions) or what went wrong. */
      detail: connectionDetailSchema,
    }),
  ),
  hubId: z.string().nullable(),
  /** The hub's clock minus ours, in milliseconds. */
  clockOffsetMs: z.number().nullable(),
  testedAt: z.string(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

const manage = 'outbox.manage' as const;

export const networkSetupCalls = {
  'networkSetup.get': defineCall({ permission: manage, input: z.object({}), output: networkSetupSchema }),
  'networkSetup.setHub': defineCall({
    permission: manage,
    input: z.object({
      url: z
        .string()
        .trim()
        .max(2_000)
        .pipe(z.url({ protocol: /^https$/, error: 'the hub URL must be https://…' })),
    }),
    output: networkSetupSchema,
  }),
  /** New keys and a certificate request naming the lab and station; replaces a request still waiting. */
  'networkSetup.createRequest': defineCall({
    permission: manage,
    input: z.object({ labId: identifier, stationId: identifier }),
    output: networkSetupSchema,
  }),
  /** The certificate the network CA issued for the waiting request, with the CA's own certificate. */
  'networkSetup.installCertificate': defineCall({
    permission: manage,
    input: z.object({ certificate: pem, ca: pem }),
    output: networkSetupSchema,
  }),
  /** Certificate and keys made elsewhere (e.g. by the network operator), with the CA's certificate. */
  'networkSetup.importCredentials': defineCall({
    permission: manage,
    input: z.object({ certificate: pem, tlsKey: pem, signingKey: pem, ca: pem }),
    output: networkSetupSchema,
  }),
  'networkSetup.test': defineCall({ permission: manage, input: z.object({}), output: connectionTestSchema }),
  /** For every user: can acquisitions be sent to the network from this station? */
  'networkSetup.readiness': defineCall({
    permission: 'case.read',
    input: z.object({}),
    output: z.object({ ready: z.boolean(), hubConfigured: z.boolean() }),
  }),
};
