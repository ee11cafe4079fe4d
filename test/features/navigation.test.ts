import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definition, prepareRename, references, rename } from '../../language-server/src/features/navigation.js';
import { sliceOf, withCursor } from '../fixture.js';

const source = `model net(width = 8) {
  input (4,)
  stem = Dense(width)
  Dense(2 * width)
  Dense(width)
  Add(stem)
}

model wide = net(width = 16)

train net, wide {
  epochs = 1
}

tune net {
  width in 4..16 step 4
}`;

function at(marker: string, occurrence = 0): { analysis: ReturnType<typeof withCursor>['analysis']; offset: number; text: string } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = source.indexOf(marker, index + 1);
  return withCursor(source.slice(0, index + 1) + '<|>' + source.slice(index + 1));
}

function lines(text: string, ranges: readonly { start: number; end: number }[]): string[] {
  return ranges.map((r) => `${text.slice(0, r.start).split('\n').length}:${sliceOf(text, r)}`);
}

test('go to definition of a label, a parameter and a model', () => {
  const label = at('stem', 1);
  assert.deepEqual(lines(label.text, definition(label.analysis, label.offset)), ['3:stem']);
  const parameter = at('width', 2);
  assert.deepEqual(lines(parameter.text, definition(parameter.analysis, parameter.offset)), ['1:width']);
  const model = at('net', 2);
  assert.deepEqual(lines(model.text, definition(model.analysis, model.offset)), ['1:net']);
});

test('references of a parameter: body, variant argument and tune axis', () => {
  const { analysis, offset, text } = at('width');
  assert.deepEqual(lines(text, references(analysis, offset, true)), ['1:width', '3:width', '4:width', '5:width', '9:width', '16:width']);
  assert.deepEqual(lines(text, references(analysis, offset, false)).length, 5);
});

test('rename a model everywhere, and refuse bad names', () => {
  const { analysis, offset, text } = at('net');
  assert.deepEqual(prepareRename(analysis, offset)?.placeholder, 'net');
  const result = rename(analysis, offset, 'mlp');
  assert.ok('edits' in result);
  assert.deepEqual(lines(text, result.edits.map((e) => e.range)), ['1:net', '9:net', '11:net', '15:net']);
  assert.deepEqual(rename(analysis, offset, '2fast'), { error: '`2fast` is not a valid name: use letters, digits and _, not starting with a digit.' });
  assert.ok('error' in rename(analysis, offset, 'wide'));
  assert.ok('error' in rename(analysis, offset, 'repeat'));
});

test('rename a label', () => {
  const { analysis, offset } = at('stem');
  const result = rename(analysis, offset, 'skip');
  assert.ok('edits' in result);
  assert.equal(result.edits.length, 2);
});

test('nothing to rename on a layer type', () => {
  const { analysis, offset } = at('Dense');
  assert.equal(prepareRename(analysis, offset), undefined);
  assert.ok('error' in rename(analysis, offset, 'x'));
});
