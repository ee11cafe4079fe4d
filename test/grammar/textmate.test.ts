import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';
import type { TokenType } from 'chevrotain';
import { layerCatalog } from '../../language-server/src/catalog/layers.js';
import { allTokens } from '../../language-server/src/syntax/tokens.js';
import { currentGrammarText, grammarPath, keywordGroups, spellings } from '../../scripts/textmate-grammar.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const require = createRequire(import.meta.url);

/** Tokenizes with the same engine as VS Code (vscode-textmate on Oniguruma). */
async function tokenizer(): Promise<(line: string) => { text: string; scopes: string[] }[]> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) =>
      scope === 'source.model' ? textmate.parseRawGrammar(readFileSync(join(root, 'grammar/model.tmLanguage.json'), 'utf8'), 'model.tmLanguage.json') : null,
  });
  const grammar = await registry.loadGrammar('source.model');
  assert.ok(grammar);
  return (line) => {
    const result = grammar.tokenizeLine(line, textmate.INITIAL);
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  };
}

function scopeOf(tokens: { text: string; scopes: string[] }[], text: string): string {
  const token = tokens.find((t) => t.text === text);
  assert.ok(token, `no token ${text} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes[token.scopes.length - 1] ?? '';
}

test('the TextMate grammar colours declarations, layers, arguments, values and comments', async () => {
  const tokenize = await tokenizer();
  const header = tokenize('model cifar_net(filters = 32) {  # a comment');
  assert.equal(scopeOf(header, 'model'), 'keyword.other.declaration.model');
  assert.equal(scopeOf(header, 'cifar_net'), 'entity.name.type.model');
  assert.equal(scopeOf(header, '32'), 'constant.numeric.model');
  assert.equal(scopeOf(header, '# a comment'), 'comment.line.number-sign.model');
  const layer = tokenize("  Conv2D(64, (3, 3), padding='same', activation=relu, use_bias=True)");
  assert.equal(scopeOf(layer, 'Conv2D'), 'entity.name.function.layer.model');
  assert.equal(scopeOf(layer, 'padding'), 'variable.parameter.model');
  assert.equal(scopeOf(layer, "'same'"), 'string.quoted.single.model');
  assert.equal(scopeOf(layer, 'True'), 'constant.language.model');
  const tune = tokenize('  slope in -1.0..0.0 step 0.1');
  assert.equal(scopeOf(tune, 'in'), 'keyword.control.model');
  assert.equal(scopeOf(tune, '..'), 'keyword.operator.model');
  assert.equal(scopeOf(tune, 'step'), 'keyword.control.model');
});

test('every example line tokenizes without error', async () => {
  const tokenize = await tokenizer();
  const text = readFileSync(join(root, 'examples/mnist_cnn.model'), 'utf8');
  for (const line of text.split('\n')) assert.equal(tokenize(line).map((t) => t.text).join(''), line);
});

test('the grammar’s keywords and layer names are generated from the tokens and the catalog, and are current', () => {
  const text = readFileSync(grammarPath, 'utf8');
  assert.equal(currentGrammarText(text), text, 'grammar/model.tmLanguage.json is out of date: run `npx tsc -p . && node out/scripts/textmate-grammar.js`');
  // Every keyword token (a pattern that yields to longer names) is coloured as one group, and nothing else is.
  const keywords = allTokens.filter((t) => t.LONGER_ALT !== undefined);
  const grouped = Object.values(keywordGroups).flat();
  assert.deepEqual(new Set(grouped), new Set(keywords));
  assert.equal(grouped.length, keywords.length);
});

test('exactly the catalog’s layers are coloured as layers; other calls and the keywords as theirs', async () => {
  const tokenize = await tokenizer();
  for (const name of layerCatalog.keys()) assert.equal(scopeOf(tokenize(`  ${name}(3)`), name), 'entity.name.function.layer.model', name);
  for (const call of ['Adam', 'Dense2', 'SGD', 'Conv2DT']) assert.equal(scopeOf(tokenize(`  x = ${call}(3)`), call), 'entity.name.function.model', call);
  const scopes: Record<keyof typeof keywordGroups, string> = {
    declaration: 'keyword.other.declaration.model',
    control: 'keyword.control.model',
    input: 'storage.type.input.model',
    constant: 'constant.language.model',
  };
  for (const [group, types] of Object.entries(keywordGroups) as [keyof typeof keywordGroups, readonly TokenType[]][]) {
    for (const spelling of types.flatMap(spellings)) {
      const line = group === 'declaration' ? `${spelling} m {` : `  x ${spelling} y`;
      assert.equal(scopeOf(tokenize(line), spelling), scopes[group], spelling);
    }
  }
});
