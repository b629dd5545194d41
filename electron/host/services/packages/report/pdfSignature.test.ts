import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issue } from '../../../../network/pki.ts';
import { addSignaturePlaceholder, checkPdfSignature, signPreparedPdf, type PdfSigner } from './pdfSignature.ts';

let ca: { certificate: string; key: string };
let otherCa: { certificate: string; key: string };
let signer: PdfSigner;
let signed: Uint8Array;
const work = mkdtempSync(join(tmpdir(), 'casebench-pdf-signature-'));

async function signedPdf(by: PdfSigner): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Case LAB-1: report', { x: 50, y: 700, font, size: 14 });
  doc.addPage().drawText('page two', { x: 50, y: 700, font, size: 14 });
  addSignaturePlaceholder(doc, by);
  return signPreparedPdf(await doc.save({ useObjectStreams: false }), by);
}

beforeAll(async () => {
  ca = await createCa('SigNet');
  otherCa = await createCa('OtherNet');
  const station = await issue(ca, { kind: 'station', organization: 'LAB-S', unit: 'ST-9' });
  signer = {
    chain: [station.certificate, ca.certificate],
    key: createPrivateKey(station.tlsKey),
    name: 'LAB-S/ST-9',
    reason: 'Case report',
    signedAt: new Date(Math.floor(Date.now() / 1000) * 1000),
  };
  signed = await signedPdf(signer);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('PAdES signature of the report', () => {
  it('signs the whole file with the station certificate, checkable against the network CA', () => {
    expect(checkPdfSignature(signed, [ca.certificate])).toEqual({
      signed: true,
      ok: true,
      problem: null,
      signer: { labId: 'LAB-S', stationId: 'ST-9' },
      signedAt: signer.signedAt.toISOString().replace('.000', ''),
    });
    const text = Buffer.from(signed).toString('latin1');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toMatch(/\/ByteRange \[0 \d+ \d+ \d+\]/);
  });

  it('reads a signature whose last byte is 0x00 (one in 256), not taking it for the placeholder padding', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    addSignaturePlaceholder(doc, signer);
    const prepared = await doc.save({ useObjectStreams: false });
    const lastByte = (pdf: Uint8Array) => {
      const text = Buffer.from(pdf).toString('latin1');
      const [, b, c] = /\/ByteRange \[0 (\d+) (\d+) \d+\]/.exec(text)!.map(Number);
      const contents = Buffer.from(text.slice(b! + 1, c! - 1), 'hex');
      return contents[asn1js.fromBER(contents).offset - 1];
    };
    // ECDSA signatures are random: sign until one ends in 0x00 (5000 tries miss with odds of about 3 in a billion).
    let zeroEnded: Uint8Array | undefined;
    for (let i = 0; i < 5000 && !zeroEnded; i++) {
      const attempt = signPreparedPdf(prepared, signer);
      if (lastByte(attempt) === 0) zeroEnded = attempt;
    }
    expect(zeroEnded).toBeDefined();
    expect(checkPdfSignature(zeroEnded!, [ca.certificate])).toMatchObject({ ok: true, problem: null });
  });

  it('is a signature another PDF tool accepts (poppler pdfsig): valid, signed by the station', () => {
    const path = join(work, 'signed.pdf');
    writeFileSync(path, signed);
    const out = execFileSync('pdfsig', [path], { encoding: 'utf8' });
    expect(out).toMatch(/Signature #1/);
    expect(out).toMatch(/Signer Certificate Common Name: ST-9\.LAB-S/);
    expect(out).toMatch(/Signature Validation: Signature is Valid/);
    expect(out).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    expect(out).toMatch(/Total document signed/);
  });

  it('refuses a report altered after signing, added to, or signed under another CA', async () => {
    const altered = Uint8Array.from(signed);
    const at = Buffer.from(altered).indexOf('/CreationDate (D:'); // backdated by a decade: still a good PDF
    expect(at).toBeGreaterThan(0);
    altered[at + 19] = altered[at + 19] === 0x31 ? 0x32 : 0x31;
    expect(checkPdfSignature(altered, [ca.certificate])).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/altered after signing/),
    });
    const appended = Buffer.concat([signed, Buffer.from('\n% more\n')]);
    expect(checkPdfSignature(appended, [ca.certificate]).problem).toMatch(/does not cover the whole file/);
    expect(checkPdfSignature(signed, [otherCa.certificate]).problem).toMatch(/is not trusted/);
    const unsigned = await PDFDocument.create();
    unsigned.addPage();
    expect(checkPdfSignature(await unsigned.save(), [ca.certificate])).toMatchObject({
      signed: false,
      problem: 'the report is not signed',
    });
    const path = join(work, 'altered.pdf');
    writeFileSync(path, altered);
    // pdfsig exits 0 either way; it says so in its report.
    expect(execFileSync('pdfsig', [path], { encoding: 'utf8' })).toMatch(/Signature Validation: Digest Mismatch/);
  });
});
