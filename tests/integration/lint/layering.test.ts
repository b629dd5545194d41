// The layering lint rule, run through the project's real ESLint config: for every pair of layers, an import of
// one from the other passes or fails `npm run lint` exactly as the architecture says (docs/engineering.md).
// The expected table is written out here on purpose, apart from scripts/lint/layers.js: loosening the rule's table
// by mistake fails this test.
import { describe, expect, it } from 'vitest';
import { dirname, join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../../fixtures/sharedData.ts';

const below = {
  contract: [],
  base: [],
  native: ['contract', 'base'],
  analysis: ['contract', 'base', 'native'],
  network: ['contract', 'base', 'analysis'],
  host: ['contract', 'base', 'native', 'analysis', 'network'],
  cli: ['contract', 'base', 'native', 'analysis', 'network', 'host'],
  main: ['contract', 'base', 'host'],
  renderer: ['contract'],
} as const satisfies Record<string, readonly string[]>;
type Layer = keyof typeof below;

/** A folder of each layer, and a real file in it to import. */
const where: Record<Layer, { dir: string; file: string }> = {
  contract: { dir: 'electron/contract', file: 'electron/contract/errors.ts' },
  base: { dir: 'electron/base', file: 'electron/base/canonicalJson.ts' },
  native: { dir: 'native/devices', file: 'native/devices/errors.ts' },
  analysis: { dir: 'electron/analysis/x3p', file: 'electron/analysis/x3p/index.ts' },
  network: { dir: 'electron/network/outbox', file: 'electron/network/protocol.ts' },
  host: { dir: 'electron/host/services', file: 'electron/host/createHost.ts' },
  cli: { dir: 'electron/cli/commands', file: 'electron/cli/registry.ts' },
  main: { dir: 'electron/main', file: 'electron/main/windowState.ts' },
  renderer: { dir: 'renderer/features', file: 'renderer/api/errors.ts' },
};

const eslint = new ESLint({ cwd: repoRoot });

/** The layering rule's messages for `code` as if it were the file `path` (relative to the project root). */
async function layeringErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  return result.messages.filter((m) => m.ruleId === 'casebench/layers').map((m) => m.message);
}

function specifier(fromFile: string, toFile: string): string {
  const path = relative(dirname(fromFile), toFile);
  return path.startsWith('.') ? path : `./${path}`;
}

const layerNames = Object.keys(below) as Layer[];
const pairs = layerNames.flatMap((from) =>
  layerNames
    .filter((to) => to !== from)
    .map((to) => ({ from, to, allowed: (below[from] as readonly string[]).includes(to) })),
);

describe('layering lint rule', () => {
  it.each(pairs)('$from importing $to: allowed $allowed', async ({ from, to, allowed }) => {
    const file = `${where[from].dir}/layering-fixture.ts`;
    const errors = await layeringErrors(file, `export * from '${specifier(file, where[to].file)}';\n`);
    if (allowed) expect(errors).toEqual([]);
    else expect(errors).toEqual([expect.stringContaining(`the ${from} layer may not import the ${to} layer`)]);
  });

  it('checks every form of import: static, type-only, re-export, dynamic, require', async () => {
    const file = 'electron/network/outbox/layering-fixture.ts';
    const host = specifier(file, 'electron/host/storage/database.ts');
    const errors = await layeringErrors(
      file,
      [
        `import { openDatabase } from '${host}';`,
        `import type { Db } from '${host}';`,
        `export { openDatabase as again } from '${host}';`,
        `export const later = () => import('${host}');`,
        `export type Later = import('${host}').Db;`,
        `const require = createRequire(import.meta.url);`,
        `export const alsoRequired = require('${host}');`,
        `export const used = [openDatabase, null as unknown as Db];`,
      ].join('\n'),
    );
    expect(errors).toHaveLength(6);
  });

  it('lets a test inside a layer use the test fixtures, and refuses them to the code itself', async () => {
    const fixture = (file: string) =>
      `import { repoRoot } from '${specifier(file, 'tests/fixtures/sharedData.ts')}';\n`;
    const test = 'electron/analysis/x3p/fixture.test.ts';
    const code = 'electron/analysis/x3p/fixture.ts';
    expect(await layeringErrors(test, fixture(test))).toEqual([]);
    expect(await layeringErrors(code, fixture(code))).toEqual([expect.stringContaining('may import only layers')]);
  });

  it('leaves files in no layer (tests, bench, scripts) free to import any layer', async () => {
    const file = 'bench/layering-fixture.ts';
    expect(await layeringErrors(file, `export * from '${specifier(file, 'electron/host/createHost.ts')}';\n`)).toEqual(
      [],
    );
  });
});
