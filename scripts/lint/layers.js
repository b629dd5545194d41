// The layers of the code and which may import which (docs/engineering.md, "Layers"), checked by the lint rule
// `casebench/layers` for every pair, as VS Code's layering rule checks its layers: an import of another layer that
// is not listed under `may` fails `npm run lint`. Each layer lists every layer it may import, not only the one
// below: a table read at a glance beats a transitive rule. Files in no layer (tests/, bench/, scripts/, configs)
// may import any layer; a test file inside a layer (`*.test.ts`) may also import tests/ (fixtures).
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Layers from the bottom up: `dirs` are the folders that make the layer, `may` the layers it may import. */
export const layers = {
  /** Schemas and types shared by the UI and the host: imports nothing of ours. */
  contract: { dirs: ['electron/contract'], may: [] },
  /** Small low-level helpers of every Node-side layer (canonical JSON, thread calls, worker entries). */
  base: { dirs: ['electron/base'], may: [] },
  /** Hardware: transports, protocols, devices, the rig, the simulators. */
  native: { dirs: ['native'], may: ['contract', 'base'] },
  /** Measurement and comparison (X3P, calibration, CMC, screening) and its worker pool. */
  analysis: { dirs: ['electron/analysis'], may: ['contract', 'base', 'native'] },
  /** The ballistic network: protocol, PKI, the station's outbox and client, and the hub (a separate server). */
  network: { dirs: ['electron/network'], may: ['contract', 'base', 'analysis'] },
  /** The station's services and storage, behind the contract. */
  host: { dirs: ['electron/host'], may: ['contract', 'base', 'native', 'analysis', 'network'] },
  /** `casebench` commands. */
  cli: { dirs: ['electron/cli'], may: ['contract', 'base', 'native', 'analysis', 'network', 'host'] },
  /** The Electron shell (main process and preload): the only place that imports `electron`. */
  main: { dirs: ['electron/main', 'electron/preload'], may: ['contract', 'base', 'host'] },
  /** The React UI: reaches the station only through the contract. */
  renderer: { dirs: ['renderer'], may: ['contract'] },
};

const testsDir = 'tests';

/** The layer of a path relative to the project root, or undefined. */
export function layerOf(path) {
  const slashed = path.split(sep).join('/');
  for (const [name, layer] of Object.entries(layers))
    if (layer.dirs.some((dir) => slashed === dir || slashed.startsWith(`${dir}/`))) return name;
  return undefined;
}

const isTestFile = (path) => /\.test\.tsx?$/.test(path);

/** Why `from` (a project file) may not import `target` (a project path), or undefined when it may. */
export function refusal(from, target) {
  const own = layerOf(from);
  if (!own) return undefined;
  const other = layerOf(target);
  if (other === own) return undefined;
  if (other === undefined) {
    if (isTestFile(from) && target.split(sep)[0] === testsDir) return undefined;
    if (target.startsWith('..')) return undefined; // outside the project: not ours to judge
    return `${own} (${layers[own].dirs.join(', ')}) may import only layers, not ${target.split(sep).join('/')}`;
  }
  if (layers[own].may.includes(other)) return undefined;
  const allowed = layers[own].may.length ? layers[own].may.join(', ') : 'no other layer';
  return `the ${own} layer may not import the ${other} layer (${own} may import: ${allowed}); see docs/engineering.md, Layers`;
}

const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between layers follow the table in scripts/lint/layers.js' },
    schema: [],
    messages: { refused: '{{reason}}' },
  },
  create(context) {
    const file = relative(root, context.physicalFilename ?? context.filename);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = relative(root, resolve(root, dirname(file), source));
      const reason = refusal(file, target);
      if (reason) context.report({ node, messageId: 'refused', data: { reason } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      // `require('…')` (through createRequire) reaches another layer as surely as an import does.
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node.arguments[0], node.arguments[0].value),
      // `import('…').T` in a type: typescript-eslint 8 names the string `source` (older ones `argument.literal`).
      TSImportType: (node) => {
        const literal = 'source' in node ? node.source : node.argument?.literal;
        if (literal?.type === 'Literal') check(node, literal.value);
      },
    };
  },
};

export const casebenchPlugin = { meta: { name: 'casebench' }, rules: { layers: layersRule } };
