// Corrupt, hostile and "in the wild" X3P files: each must give a specific error (or a reported correction)
// without allocating more than the declared, bounded sizes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { hostileX3PFiles } from '../../../tests/fixtures/x3p/hostileFiles.ts';
import { describe, expect, it } from 'vitest';
import { readX3P, writeX3P, X3PError, type X3PReadOptions, type X3PRecord2 } from './index.ts';
import { md5Hex } from './md5.ts';

interface Parts {
  axes?: string;
  record2?: string;
  dims?: string;
  dataLink?: string;
  extraMembers?: Record<string, Uint8Array>;
  data?: Uint8Array;
  checksumOverride?: string;
}

const float64 = (values: number[]) => new Uint8Array(Float64Array.from(values).buffer);
const defaultAxes = `<CX><AxisType>I</AxisType><DataType>D</DataType><Increment>6.25e-06</Increment><Offset>0</Offset></CX>
<CY><AxisType>I</AxisType><DataType>D</DataType><Increment>6.25e-06</Increment><Offset>0</Offset></CY>
<CZ><AxisType>A</AxisType><DataType>D</DataType></CZ>`;
const defaultRecord2 = `<Record2><Date>2020-01-02T03:04:05</Date><Instrument><Manufacturer>M</Manufacturer><Model>X</Model><Serial>1</Serial><Version>1</Version></Instrument>
<CalibrationDate>2020-01-01T00:00:00</CalibrationDate><ProbingSystem><Type>NonContacting</Type><Identification>i</Identification></ProbingSystem></Record2>`;

/** Builds an X3P with correct checksums unless a part is deliberately broken. */
function build(parts: Parts = {}): Uint8Array {
  const data = parts.data ?? float64([1e-6, 2e-6, 3e-6, 4e-6]);
  const dataLink =
    parts.dataLink ??
    `<DataLink><PointDataLink>bindata/data.bin</PointDataLink><MD5ChecksumPointData>${md5Hex(data)}</MD5ChecksumPointData></DataLink>`;
  const mainXml = strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<p:ISO5436_2 xmlns:p="http://www.opengps.eu/2008/ISO5436_2">
<Record1><Revision>ISO5436 - 2000</Revision><FeatureType>SUR</FeatureType><Axes>${parts.axes ?? defaultAxes}</Axes></Record1>
${parts.record2 ?? defaultRecord2}
<Record3>${parts.dims ?? '<MatrixDimension><SizeX>2</SizeX><SizeY>2</SizeY><SizeZ>1</SizeZ></MatrixDimension>'}${dataLink}</Record3>
<Record4><ChecksumFile>md5checksum.hex</ChecksumFile></Record4>
</p:ISO5436_2>`);
  return zipSync({
    'main.xml': mainXml,
    'md5checksum.hex': strToU8(`${parts.checksumOverride ?? md5Hex(mainXml)} *main.xml\n`),
    'bindata/data.bin': data,
    ...parts.extraMembers,
  });
}

function failure(bytes: Uint8Array, options?: X3PReadOptions): { code: string; message: string } {
  try {
    readX3P(bytes, options);
  } catch (error) {
    if (error instanceof X3PError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('hostile or corrupt X3P is refused with a specific error', () => {
  it('the builder itself makes a readable file (so the failures below are caused by the defects)', () => {
    const { surface, corrections } = readX3P(build());
    expect(Array.from(surface.z)).toEqual([1e-6, 2e-6, 3e-6, 4e-6]);
    expect(corrections).toEqual([]);
  });

  it('not a zip / truncated zip', () => {
    expect(failure(strToU8('this is not an archive'))).toMatchObject({ code: 'bad-zip' });
    const good = build();
    expect(failure(good.subarray(0, good.length - 30))).toMatchObject({ code: 'bad-zip' });
  });

  it('a flipped byte inside a compressed member fails the CRC', () => {
    const surface = {
      width: 64,
      height: 64,
      dx: 1e-6,
      dy: 1e-6,
      z: Float64Array.from({ length: 4096 }, (_, i) => Math.sin(i) * 1e-6),
    };
    const record2: X3PRecord2 = {
      date: '2020-01-01T00:00:00',
      instrument: { manufacturer: 'a', model: 'b', serial: 'c', version: 'd' },
      calibrationDate: '2020-01-01T00:00:00',
      probingSystem: { type: 'NonContacting', identification: 'x' },
    };
    const bytes = writeX3P(surface, { record2, compression: 0 });
    const damaged = bytes.slice();
    damaged[Math.floor(bytes.length / 2)] ^= 0xff; // inside data.bin, stored uncompressed
    expect(failure(damaged)).toMatchObject({ code: 'bad-zip', message: expect.stringMatching(/CRC-32 mismatch/) });
  });

  it('MD5 mismatch of main.xml and of data.bin; accepted only when verification is turned off, and reported', () => {
    expect(failure(build({ checksumOverride: '0'.repeat(32) }))).toMatchObject({
      code: 'checksum',
      message: expect.stringMatching(/^main.xml: MD5 mismatch/),
    });
    const tampered = build({
      dataLink: `<DataLink><PointDataLink>bindata/data.bin</PointDataLink><MD5ChecksumPointData>${'a'.repeat(32)}</MD5ChecksumPointData></DataLink>`,
    });
    expect(failure(tampered)).toMatchObject({
      code: 'checksum',
      message: expect.stringMatching(/^bindata\/data.bin: MD5 mismatch/),
    });
    const lenient = readX3P(tampered, { verifyChecksums: false });
    expect(lenient.corrections.some((c) => c.includes('MD5 mismatch') && c.includes('turned off'))).toBe(true);
  });

  it('wrong sizes: data.bin shorter than the matrix, DataList count wrong, valid.bin too short', () => {
    expect(failure(build({ data: float64([1, 2, 3]) }))).toMatchObject({
      code: 'size',
      message: 'bindata/data.bin declares 24 bytes but 4 points of 8 bytes need 32',
    });
    const inline = build({ dataLink: '<DataList><Datum>1</Datum><Datum>2</Datum></DataList>' });
    expect(failure(inline)).toMatchObject({
      code: 'size',
      message: 'main.xml: DataList has 2 Datum elements but the dimensions declare 4 points',
    });
    const shortMask = build({
      dims: '<MatrixDimension><SizeX>3</SizeX><SizeY>3</SizeY><SizeZ>1</SizeZ></MatrixDimension>',
      data: float64([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      dataLink:
        '<DataLink><PointDataLink>bindata/data.bin</PointDataLink><ValidPointsLink>bindata/valid.bin</ValidPointsLink></DataLink>',
      extraMembers: { 'bindata/valid.bin': new Uint8Array([0xff]) },
    });
    expect(failure(shortMask)).toMatchObject({
      code: 'size',
      message: expect.stringMatching(/valid.bin declares 1 bytes but 9 points need 2/),
    });
  });

  it('NaN-only data', () => {
    expect(failure(build({ data: float64([NaN, NaN, NaN, NaN]) }))).toMatchObject({ code: 'no-data' });
  });

  it('huge declared dimensions are refused before any allocation', () => {
    const huge = build({
      dims: '<MatrixDimension><SizeX>1000000</SizeX><SizeY>1000000</SizeY><SizeZ>1</SizeZ></MatrixDimension>',
    });
    const before = process.memoryUsage().arrayBuffers;
    expect(failure(huge)).toMatchObject({
      code: 'limits',
      message: expect.stringMatching(/1000000 × 1000000 × 1 points exceed/),
    });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(failure(build(), { maxPoints: 3 })).toMatchObject({ code: 'limits' });
  });

  it('an inline DataList beyond the inline limit is refused before the XML tree is built', () => {
    const inline = build({
      dataLink: '<DataList><Datum>1</Datum><Datum>2</Datum><Datum>3</Datum><Datum>4</Datum></DataList>',
    });
    expect(readX3P(inline).surface.z.length).toBe(4);
    expect(failure(inline, { maxInlinePoints: 3 })).toMatchObject({
      code: 'limits',
      message: expect.stringMatching(/more than 3 inline points/),
    });
  });

  it('a zip bomb (member declaring more than the limit) is refused before inflating', () => {
    const bomb = zipSync({ 'main.xml': new Uint8Array(2 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(10_000);
    expect(failure(bomb, { maxMemberBytes: 1024 * 1024 })).toMatchObject({
      code: 'limits',
      message: expect.stringMatching(/declares 2097152 bytes/),
    });
  });

  it('a central directory that under-declares a member is caught while inflating, not trusted', () => {
    const bytes = build();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let entry = bytes.length - 22;
    while (view.getUint32(entry, true) !== 0x06054b50) entry--;
    const directory = view.getUint32(entry + 16, true); // first entry: main.xml
    const declared = view.getUint32(directory + 24, true);
    view.setUint32(directory + 24, declared - 100, true);
    expect(failure(bytes)).toMatchObject({
      code: 'bad-zip',
      message: expect.stringMatching(/main.xml" inflates to|does not inflate/),
    });
  });

  it('zip-slip and absolute member names', () => {
    for (const name of ['../../etc/passwd', '/etc/passwd', 'bindata/../../x', 'C:/x.bin', 'a\\..\\b']) {
      expect(failure(build({ extraMembers: { [name]: strToU8('x') } }))).toMatchObject({ code: 'unsafe-path' });
    }
  });

  it('missing main.xml, missing data.bin, malformed XML, DOCTYPE (entity bombs)', () => {
    expect(failure(zipSync({ 'other.txt': strToU8('x') }))).toMatchObject({
      code: 'missing-member',
      message: expect.stringMatching(/no main.xml/),
    });
    expect(
      failure(build({ dataLink: '<DataLink><PointDataLink>bindata/missing.bin</PointDataLink></DataLink>' })),
    ).toMatchObject({ code: 'missing-member' });
    const broken = zipSync({ 'main.xml': strToU8('<p:ISO5436_2><Record1></p:ISO5436_2>') });
    expect(failure(broken)).toMatchObject({ code: 'bad-xml', message: expect.stringMatching(/does not match/) });
    const doctype = zipSync({ 'main.xml': strToU8('<!DOCTYPE x [<!ENTITY a "aaaa">]><ISO5436_2/>') });
    expect(failure(doctype)).toMatchObject({ code: 'bad-xml', message: expect.stringMatching(/DOCTYPE/) });
  });

  it('multi-layer data and irregular point clouds are named as unsupported', () => {
    expect(
      failure(build({ dims: '<MatrixDimension><SizeX>2</SizeX><SizeY>1</SizeY><SizeZ>2</SizeZ></MatrixDimension>' })),
    ).toMatchObject({ code: 'unsupported' });
    const cloud = build({
      axes: `<CX><AxisType>A</AxisType><DataType>D</DataType></CX><CY><AxisType>A</AxisType><DataType>D</DataType></CY><CZ><AxisType>A</AxisType><DataType>D</DataType></CZ>`,
      dims: '<ListDimension>3</ListDimension>',
      dataLink: '<DataList><Datum>0;0;1</Datum><Datum>1e-6;0;1</Datum><Datum>1.7e-6;0;1</Datum></DataList>',
    });
    expect(failure(cloud)).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/not on a regular grid/),
    });
  });
});

describe('deviations of files in the wild are accepted and reported', () => {
  it('an <Origin> in Axes, a date without time, an empty <Offset/>', () => {
    const bytes = build({
      axes: `${defaultAxes.replace('<Offset>0</Offset></CY>', '<Offset/></CY>')}<Origin><X>0</X><Y>0</Y></Origin>`,
      record2: defaultRecord2.replace('2020-01-02T03:04:05', '2020-01-02'),
    });
    const { corrections, record2, surface } = readX3P(bytes);
    expect(record2?.date).toBe('2020-01-02T00:00:00');
    expect(surface.dy).toBe(6.25e-6);
    expect(corrections).toEqual([
      'Axes: ignored non-standard element <Origin>',
      'CY: empty <Offset/> read as 0',
      'Record2: Date "2020-01-02" has no time; read as 2020-01-02T00:00:00',
    ]);
  });

  it('increments and heights in micrometres are converted to metres', () => {
    const bytes = build({
      axes: defaultAxes.replaceAll('6.25e-06', '6.25'),
      data: float64([1.5, -2.5, 3, 0.25]),
    });
    const { surface, corrections } = readX3P(bytes);
    expect(surface.dx).toBeCloseTo(6.25e-6, 15);
    expect(surface.z[0]).toBeCloseTo(1.5e-6, 15);
    expect(corrections.length).toBe(2);
    expect(corrections[0]).toMatch(/looks like micrometres/);
    expect(corrections[1]).toMatch(/heights scaled by 1e-6/);
    // The heuristic can be turned off for files known to be in metres.
    expect(readX3P(bytes, { units: 'metres' }).surface.dx).toBe(6.25);
  });

  it('a missing md5checksum.hex is reported, not fatal', () => {
    const withChecksum = build();
    const members = unzipSync(withChecksum);
    delete members['md5checksum.hex'];
    const { corrections } = readX3P(zipSync(members));
    expect(corrections).toContain('main.xml: no MD5 checksum given; not verified');
  });
});

describe('hostile files (issue 10 item 7): bounded memory, clear errors', () => {
  const files = hostileX3PFiles();
  const outcome = (name: string) => failure(files[name]);

  it('a data member larger than its header needs is refused from its declared size, before inflating', () => {
    expect(files['bomb-data-larger-than-header'].length).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    expect(outcome('bomb-data-larger-than-header')).toMatchObject({
      code: 'size',
      message: 'bindata/data.bin declares 314572800 bytes but 16 points of 8 bytes need 128',
    });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(outcome('bomb-vendor-member')).toMatchObject({
      code: 'limits',
      message: expect.stringMatching(/vendor.xml/),
    });
  });

  it('coordinates that would need more memory than the read budget are refused before inflating', () => {
    expect(outcome('bomb-absolute-coordinates')).toMatchObject({
      code: 'limits',
      message: expect.stringMatching(
        /9000000 points stored as D;D;D would need about \d+ MiB to read, above the limit of 384 MiB/,
      ),
    });
  });

  it('deep nesting, a flood of elements, invalid character references: clear bad-xml errors, no stack overflow', () => {
    expect(outcome('deep-nesting')).toMatchObject({
      code: 'bad-xml',
      message: expect.stringMatching(/^main.xml: elements nested deeper than 64 levels \(offset \d+\)$/),
    });
    expect(outcome('deep-nesting-vendor-member')).toMatchObject({
      code: 'bad-xml',
      message: expect.stringMatching(/^open-fmc.xml: elements nested deeper than 64 levels/),
    });
    expect(outcome('element-flood')).toMatchObject({
      code: 'bad-xml',
      message: expect.stringMatching(/more than 100000 elements/),
    });
    expect(outcome('invalid-code-point')).toMatchObject({
      code: 'bad-xml',
      message: expect.stringMatching(/character reference &#x110000; is not a valid XML character/),
    });
    expect(outcome('nul-character-reference')).toMatchObject({
      code: 'bad-xml',
      message: expect.stringMatching(/&#0; is not a valid XML character/),
    });
    expect(outcome('inline-flood')).toMatchObject({ code: 'limits', message: expect.stringMatching(/inline points/) });
  });

  it('peak memory of reading each hostile file stays under 600 MB (measured in a child process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'x3p-hostile-'));
    try {
      const paths = Object.entries(files).map(([name, bytes]) => {
        const path = join(dir, `${name}.x3p`);
        writeFileSync(path, bytes);
        return path;
      });
      const child = fileURLToPath(new URL('../../../tests/fixtures/x3p/peakMemory.child.ts', import.meta.url));
      // One process per file: its peak resident memory is that one read's.
      const results = paths.map(
        (path) =>
          (
            JSON.parse(execFileSync(process.execPath, [child, path], { encoding: 'utf8', maxBuffer: 1 << 20 })) as {
              file: string;
              outcome: string;
              maxRssMiB: number;
            }[]
          )[0],
      );
      for (const r of results) expect(r.outcome, r.file).not.toMatch(/^CRASH/);
      // The legal files at the limits are read; everything else refused.
      const read = results.filter((r) => r.outcome.startsWith('read')).map((r) => r.file.split('/').pop());
      expect(read).toEqual([
        'bomb-consistent-at-point-limit.x3p',
        'largest-absolute-matrix.x3p',
        'largest-sparse-point-list.x3p',
      ]);
      const peaks = results.map((r) => `${r.maxRssMiB.toFixed(0)} MiB ${r.file.split('/').pop()}`).join('; ');
      expect(Math.max(...results.map((r) => r.maxRssMiB)), peaks).toBeLessThan(600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
