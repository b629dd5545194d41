// PAdES signature of the report (ETSI EN 319 142-1, baseline B-B): a CMS SignedData, detached, over the whole PDF
// but the signature's own /Contents, signed with the station certificate's key (the certificate `casebench pki`
// issues; its subject key is ECDSA P-256, with keyUsage digitalSignature) and carrying the chain [station, CA].
// Signed attributes as B-B asks: content type, message digest and the ESS signing-certificate-v2 (the hash of the
// station certificate); no signing time among them (the signature dictionary's /M says when). A report sent on its
// own to a court is thus checkable in any PDF reader (poppler's pdfsig, Acrobat) against the network's CA.
import { createHash, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFHexString, PDFName, PDFString, type PDFDocument } from 'pdf-lib';
import { checkCertificate } from '../../../../network/pki.ts';

const oid = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
};

/** Room kept for the CMS in /Contents: two certificates and a signature need about 2 KiB. */
const contentsBytes = 8192;
const rangePlaceholder = '**********';
const rangePattern = /\/ByteRange\s*\[\s*0\s+\/\*{10}\s+\/\*{10}\s+\/\*{10}\s*\]/g;

export interface PdfSigner {
  /** The station certificate (PEM) whose subject key is `key`, then the CA's. */
  chain: string[];
  key: KeyObject;
  /** Who signs, as the signature panel of a reader shows it: lab/station. */
  name: string;
  reason: string;
  signedAt: Date;
}

/**
 * Adds an invisible signature field whose value is a signature dictionary with room for the CMS; call before
 * `save({ useObjectStreams: false })` (the dictionary must be plain text in the file), then `signPreparedPdf`.
 */
export function addSignaturePlaceholder(doc: PDFDocument, signer: Omit<PdfSigner, 'key' | 'chain'>): void {
  const { context } = doc;
  const placeholder = PDFName.of(rangePlaceholder);
  const signature = context.register(
    context.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'ETSI.CAdES.detached',
      ByteRange: [0, placeholder, placeholder, placeholder],
      Contents: PDFHexString.of('0'.repeat(contentsBytes * 2)),
      M: PDFString.fromDate(signer.signedAt),
      Name: PDFHexString.fromText(signer.name),
      Reason: PDFHexString.fromText(signer.reason),
      Prop_Build: { App: { Name: 'Casebench' } },
    }),
  );
  const firstPage = doc.getPage(0);
  const widget = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      F: 132, // print + locked: an invisible signature field nobody edits
      T: PDFHexString.fromText('Casebench station signature'),
      V: signature,
      P: firstPage.ref,
    }),
  );
  firstPage.node.addAnnot(widget);
  doc.catalog.set(PDFName.of('AcroForm'), context.obj({ SigFlags: 3, Fields: [widget] }));
}

const der = (block: asn1js.BaseBlock) => new Uint8Array(block.toBER(false));

function signedAttributes(digest: Buffer, signerCertificateDer: Buffer): pkijs.SignedAndUnsignedAttributes {
  const attributes = [
    new pkijs.Attribute({ type: oid.contentType, values: [new asn1js.ObjectIdentifier({ value: oid.data })] }),
    new pkijs.Attribute({
      type: oid.messageDigest,
      values: [new asn1js.OctetString({ valueHex: Uint8Array.from(digest).buffer })],
    }),
    // SigningCertificateV2 { certs: [ESSCertIDv2 { hashAlgorithm: sha256 (default, omitted), certHash }] }
    new pkijs.Attribute({
      type: oid.signingCertificateV2,
      values: [
        new asn1js.Sequence({
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.Sequence({
                  value: [
                    new asn1js.OctetString({
                      valueHex: Uint8Array.from(createHash('sha256').update(signerCertificateDer).digest()).buffer,
                    }),
                  ],
                }),
              ],
            }),
          ],
        }),
      ],
    }),
  ];
  // DER: the members of a SET OF in the order of their encodings.
  const encoded = (a: pkijs.Attribute) => Buffer.from(der(a.toSchema()));
  attributes.sort((a, b) => Buffer.compare(encoded(a), encoded(b)));
  return new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
}

/** The DER of a detached CMS SignedData over `digest` (SHA-256 of the signed byte ranges). */
function cmsSignature(digest: Buffer, signer: PdfSigner): Uint8Array {
  const certificates = signer.chain.map((pem) => Buffer.from(new X509Certificate(pem).raw));
  const signerCertificate = pkijs.Certificate.fromBER(certificates[0]);
  const attributes = signedAttributes(digest, certificates[0]);
  // The signature covers the attributes encoded as a SET (tag 0x31), not with the [0] tag they carry in SignerInfo.
  const toSign = Buffer.from(der(attributes.toSchema()));
  toSign[0] = 0x31;
  const signature = sign('sha256', toSign, { key: signer.key, dsaEncoding: 'der' });
  const sha256Algorithm = new pkijs.AlgorithmIdentifier({ algorithmId: oid.sha256 });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Algorithm],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: oid.data }),
    certificates: certificates.map((c) => pkijs.Certificate.fromBER(c)),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: signerCertificate.issuer,
          serialNumber: signerCertificate.serialNumber,
        }),
        digestAlgorithm: sha256Algorithm,
        signedAttrs: attributes,
        signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: oid.ecdsaWithSha256 }),
        signature: new asn1js.OctetString({ valueHex: Uint8Array.from(signature).buffer }),
      }),
    ],
  });
  return der(new pkijs.ContentInfo({ contentType: oid.signedData, content: signedData.toSchema(true) }).toSchema());
}

/** Fills the byte range and the CMS into a PDF saved after `addSignaturePlaceholder`. */
export function signPreparedPdf(saved: Uint8Array, signer: PdfSigner): Uint8Array {
  const pdf = Buffer.from(saved);
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(rangePattern)];
  const contents = `<${'0'.repeat(contentsBytes * 2)}>`;
  const contentsAt = text.indexOf(contents);
  if (ranges.length !== 1 || contentsAt < 0 || text.indexOf(contents, contentsAt + 1) >= 0)
    throw new Error('the report has no single signature placeholder to fill');
  const contentsEnd = contentsAt + contents.length;
  const byteRange = `/ByteRange [0 ${contentsAt} ${contentsEnd} ${pdf.length - contentsEnd}]`;
  const at = ranges[0].index;
  pdf.write(byteRange.padEnd(ranges[0][0].length, ' '), at, 'latin1');
  const digest = createHash('sha256').update(pdf.subarray(0, contentsAt)).update(pdf.subarray(contentsEnd)).digest();
  const cms = Buffer.from(cmsSignature(digest, signer)).toString('hex');
  if (cms.length > contentsBytes * 2) throw new Error(`the signature (${cms.length / 2} bytes) does not fit its room`);
  pdf.write(cms, contentsAt + 1, 'latin1');
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.length);
}

export interface PdfSignatureCheck {
  /** The file carries a signature (checked or not). */
  signed: boolean;
  /** The last signature of the file checks out: digest, signature, certificate issued by a trusted CA. */
  ok: boolean;
  /** What is wrong, in words; null when ok. */
  problem: string | null;
  /** Lab and station of the signing certificate (when it was readable and issued by a trusted CA). */
  signer: { labId: string; stationId: string } | null;
  /** When the signature dictionary says it was signed (/M). */
  signedAt: string | null;
}

function parseSignedAt(text: string): string | null {
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z/.exec(text);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : null;
}

/**
 * Checks the report's signature as a receiving lab would: the byte range covers the whole file but /Contents,
 * the message digest is the hash of those bytes, the signature over the signed attributes verifies with the
 * certificate's key, the certificate is the one the ESS attribute names, and a CA in `trustedCas` issued it.
 */
export function checkPdfSignature(bytes: Uint8Array, trustedCas: string[]): PdfSignatureCheck {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = pdf.toString('latin1');
  const fail = (problem: string, signed = true): PdfSignatureCheck => ({
    signed,
    ok: false,
    problem,
    signer: null,
    signedAt: parseSignedAt(text),
  });
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (ranges.length === 0) return fail('the report is not signed', false);
  const [a, b, c, d] = ranges[ranges.length - 1].slice(1, 5).map(Number);
  if (a !== 0 || b >= c || c + d !== pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e)
    return fail('the signature does not cover the whole file (the report was changed or added to after signing)');
  // The CMS is DER followed by the placeholder's zero padding. Its own length says where it ends: stripping trailing
  // zeros instead would also cut a signature whose last byte is 0x00 (one signature in 256).
  const contents = Buffer.from(text.slice(b + 1, c - 1), 'hex');
  let signedData: pkijs.SignedData;
  try {
    const parsed = asn1js.fromBER(contents);
    if (parsed.offset === -1) throw new Error(parsed.result.error || 'not DER');
    if (contents.subarray(parsed.offset).some((byte) => byte !== 0)) throw new Error('data after the signature');
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== oid.signedData) return fail('the signature is not a CMS SignedData');
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (error) {
    return fail(`the signature cannot be read (${(error as Error).message})`);
  }
  const signerInfo = signedData.signerInfos[0];
  const certificates = (signedData.certificates ?? []).filter((x) => x instanceof pkijs.Certificate);
  const attributes = signerInfo?.signedAttrs?.attributes ?? [];
  const attribute = (type: string) => attributes.find((x) => x.type === type)?.values[0];
  const sid = signerInfo?.sid;
  const signerCertificate = certificates.find(
    (x) => sid instanceof pkijs.IssuerAndSerialNumber && x.serialNumber.isEqual(sid.serialNumber),
  );
  if (!signerInfo || !signerCertificate) return fail('the signature names no certificate it carries');
  const certificateDer = Buffer.from(signerCertificate.toSchema().toBER(false));
  const certificate = new X509Certificate(certificateDer);
  const digest = createHash('sha256').update(pdf.subarray(0, b)).update(pdf.subarray(c)).digest();
  const messageDigest = attribute(oid.messageDigest);
  if (!(messageDigest instanceof asn1js.OctetString) || !digest.equals(Buffer.from(messageDigest.getValue())))
    return fail('the report was altered after signing (its hash is not the one signed)');
  const essHash = createHash('sha256').update(certificateDer).digest();
  const ess = attribute(oid.signingCertificateV2);
  const essValue = ess instanceof asn1js.Sequence ? ess.valueBlock.value[0] : null;
  const firstId = essValue instanceof asn1js.Sequence ? essValue.valueBlock.value[0] : null;
  const certHash = firstId instanceof asn1js.Sequence ? firstId.valueBlock.value.at(-1) : null;
  if (!(certHash instanceof asn1js.OctetString) || !essHash.equals(Buffer.from(certHash.getValue())))
    return fail('the signature does not name its certificate (no ESS signing-certificate-v2 for it)');
  const signed = Buffer.from(signerInfo.signedAttrs!.encodedValue);
  const signatureOk = verify(
    'sha256',
    signed,
    { key: certificate.publicKey, dsaEncoding: 'der' },
    Buffer.from(signerInfo.signature.getValue()),
  );
  if (!signatureOk) return fail('the signature does not verify with its certificate');
  const signedAt = parseSignedAt(text);
  const problems: string[] = [];
  for (const ca of trustedCas) {
    try {
      const identity = checkCertificate(certificate.toString(), ca, signedAt ? new Date(signedAt) : new Date());
      return {
        signed: true,
        ok: true,
        problem: null,
        signer: { labId: identity.labId, stationId: identity.stationId },
        signedAt,
      };
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return fail(
    `the signing certificate (${certificate.subject.replace(/\n/g, ', ')}) is not trusted: ${problems.join('; ') || 'no trusted CA'}`,
  );
}
