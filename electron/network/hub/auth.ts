// The hub's authentication step: who is calling (the client certificate, read once per TLS connection) and whether
// this request is theirs and fresh (Ed25519 request signature with the key the certificate names, clock window,
// nonce never seen). See docs/network-protocol.md, "Trust" and "Request signatures and replay protection".
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KeyObject } from 'node:crypto';
import { clockSkewWindowMs, keyId, requestSigningBytes, verifyBytes } from '../protocol.ts';
import { signingKeyOf } from '../pki.ts';
import { RequestError } from './http.ts';

export interface Caller {
  labId: string;
  stationId: string;
  certificateDer: Buffer;
  /** The Ed25519 key the certificate names, and its id; read at the connection's first signed request. */
  signing?: { key: KeyObject; id: string };
}

export interface Authenticator {
  /** The station on this request's TLS connection; refused (401) without a valid certificate from the network CA. */
  caller(req: IncomingMessage): Caller;
  /** Checks the request signature over method, path, timestamp, nonce and `bodySha256`, the clock and the nonce. */
  verify(req: IncomingMessage, caller: Caller, bodySha256: string): Promise<void>;
}

export interface AuthenticatorOptions {
  now: () => number;
  /** Records a nonce; false when it was seen before (a replay). Forgets those older than `forgetBefore`. */
  useNonce(nonce: string, at: number, forgetBefore: number): Promise<boolean>;
}

export function createAuthenticator({ now, useNonce }: AuthenticatorOptions): Authenticator {
  // The client certificate is fixed for the life of a TLS 1.3 connection (no renegotiation), so it is read once
  // per connection, not on every request of a keep-alive connection (getPeerCertificate parses it each time).
  const callers = new WeakMap<TLSSocket, Caller>();

  function connectionCaller(socket: TLSSocket): Caller {
    if (!socket.authorized) {
      const reason = String(socket.authorizationError ?? 'no client certificate');
      throw new RequestError(401, 'client_certificate_rejected', `client certificate rejected: ${reason}`, { reason });
    }
    const peer = socket.getPeerCertificate();
    if (!peer?.raw)
      throw new RequestError(401, 'client_certificate_rejected', 'no client certificate on this connection');
    const subject = peer.subject as unknown as Record<string, string>;
    if (!subject?.O || !subject?.OU)
      throw new RequestError(401, 'client_certificate_rejected', 'client certificate names no lab (O) or station (OU)');
    return { labId: subject.O, stationId: subject.OU, certificateDer: peer.raw };
  }

  return {
    caller(req) {
      const socket = req.socket as TLSSocket;
      const known = callers.get(socket);
      if (known) return known;
      const caller = connectionCaller(socket);
      callers.set(socket, caller);
      return caller;
    },

    async verify(req, caller, bodySha256) {
      const header = (name: string) => {
        const value = req.headers[name];
        if (typeof value !== 'string' || value.length === 0 || value.length > 200)
          throw new RequestError(401, 'bad_signature', `missing header ${name}`);
        return value;
      };
      const [key, timestamp, nonce, signature] = ['cb-key', 'cb-timestamp', 'cb-nonce', 'cb-signature'].map(header);
      // The station's signing key and its id, worked out once per connection.
      if (!caller.signing) {
        const signingKey = signingKeyOf(caller.certificateDer);
        caller.signing = { key: signingKey, id: keyId(signingKey) };
      }
      const signingKey = caller.signing.key;
      if (key !== caller.signing.id)
        throw new RequestError(401, 'key_mismatch', 'cb-key is not the signing key named in the client certificate');
      const bytes = requestSigningBytes(req.method ?? '', req.url ?? '', timestamp, nonce, bodySha256);
      if (!verifyBytes(signingKey, bytes, signature))
        throw new RequestError(401, 'bad_signature', 'request signature does not verify with the station key');
      const sentAt = Number(timestamp);
      const hubTime = now();
      if (!Number.isSafeInteger(sentAt) || Math.abs(hubTime - sentAt) > clockSkewWindowMs) {
        throw new RequestError(
          401,
          'clock_skew',
          `request time ${timestamp} is more than ${clockSkewWindowMs / 1000} s from the hub's clock ${hubTime}`,
          { hubTime },
        );
      }
      if (!/^[0-9a-f]{32}$/.test(nonce))
        throw new RequestError(401, 'bad_signature', 'cb-nonce must be 16 bytes as hex');
      if (!(await useNonce(nonce, hubTime, hubTime - 2 * clockSkewWindowMs)))
        throw new RequestError(409, 'replayed_request', 'this request was already received (nonce seen before)');
    },
  };
}
