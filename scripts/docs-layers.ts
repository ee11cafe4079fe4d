/**
 * Writes docs/layers.md, the list of layers, from the catalog (`npm run docs:layers`).
 * test/docs.test.ts checks that the committed file is what this prints.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerCatalog } from '../language-server/src/catalog/layers.js';
import type { ArgSpec, LayerFamily, LayerSpec } from '../language-server/src/catalog/types.js';
import { formatValue } from '../language-server/src/catalog/values.js';

const families: readonly { readonly title: string; readonly members: readonly LayerFamily[] }[] = [
  { title: 'Core', members: ['core'] },
  { title: 'Convolution', members: ['convolution'] },
  { title: 'Pooling', members: ['pooling'] },
  { title: 'Normalization', members: ['normalization'] },
  { title: 'Regularization', members: ['regularization'] },
  { title: 'Reshaping', members: ['reshaping'] },
  { title: 'Recurrent', members: ['recurrent'] },
  { title: 'Wrappers', members: ['wrapper'] },
  { title: 'Activations', members: ['activation'] },
  { title: 'Preprocessing', members: ['preprocessing'] },
  { title: 'Merging', members: ['merging'] },
];

/** Arguments every layer takes, and the Keras weight options passed through unchecked: listed once, not per layer. */
const common = new Set(['name', 'trainable', 'dtype', 'data_format']);
const isWeightOption = (a: ArgSpec) => /_(initializer|regularizer|constraint)$/.test(a.name);

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function argument(a: ArgSpec): string {
  if (a.required) return `\`${a.name}\``;
  return `\`${a.name}=${a.default === undefined ? 'None' : formatValue(a.default)}\``;
}

function row(spec: LayerSpec): string {
  const args = spec.args.filter((a) => !common.has(a.name) && !isWeightOption(a));
  const merge = spec.merge ? ['labels…'] : [];
  const signature = [...args.filter((a) => a.required).map(argument), ...merge, ...args.filter((a) => !a.required).map(argument)].join(', ');
  const training = spec.build ? '' : ` *Shapes and parameters only: ${spec.buildUnavailable ?? 'TensorFlow.js has no such layer'}, so it cannot be trained.*`;
  return `| \`${spec.name}\` | ${cell(signature || '–')} | ${cell(spec.doc)}${cell(training)} |`;
}

export function layersMarkdown(): string {
  const specs = [...layerCatalog.values()];
  const lines = [
    '# Layers',
    '',
    '<!-- Generated from the layer catalog by `npm run docs:layers`; do not edit by hand. -->',
    '',
    `Layerlab knows ${specs.length} Keras 3 layers. Names, argument names, defaults and`,
    'positional order are those of Keras. Required arguments come first and may be',
    'given by position; the others are shown with their defaults. Every layer also',
    'takes `name`, `trainable` and `dtype`, layers on images take `data_format`',
    '(`channels_last` only), and layers with weights take Keras\'s',
    '`*_initializer`, `*_regularizer` and `*_constraint` arguments (accepted, not',
    'checked further). In the editor, hover a layer for all of its arguments and the',
    'formula of its parameter count. See [the language reference](language.md) for',
    'how layers are written.',
  ];
  for (const family of families) {
    const members = specs.filter((s) => family.members.includes(s.family));
    if (!members.length) continue;
    lines.push('', `## ${family.title}`, '', '| layer | arguments | what it does |', '| --- | --- | --- |', ...members.map(row));
  }
  const listed = new Set(families.flatMap((f) => f.members));
  const rest = specs.filter((s) => !listed.has(s.family));
  if (rest.length) lines.push('', '## Other', '', '| layer | arguments | what it does |', '| --- | --- | --- |', ...rest.map(row));
  return lines.join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(fileURLToPath(import.meta.url), '../../../docs/layers.md');
  writeFileSync(out, layersMarkdown());
  console.log(`wrote ${out}`);
}
