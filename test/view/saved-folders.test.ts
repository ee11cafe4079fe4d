/** Open Run… / Open Search…: what a picked folder is, so that picking `.layerlab/runs` itself lists its runs instead of failing. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyPicked } from '../../language-server/src/report/saved-folders.js';

test('a run folder, the folder of runs (its runs newest first), and a folder that is neither', () => {
  const root = mkdtempSync(join(tmpdir(), 'layerlab-picked-'));
  const runs = join(root, '.layerlab', 'runs');
  for (const name of ['2026-12-01_10-00-00-a', '2026-12-07_09-30-00-b', '2026-12-03_08-00-00-c']) {
    mkdirSync(join(runs, name), { recursive: true });
    writeFileSync(join(runs, name, 'run.json'), '{}');
  }
  mkdirSync(join(runs, 'notes'));
  const single = join(runs, '2026-12-01_10-00-00-a');
  assert.deepEqual(classifyPicked([single, runs, root], 'run.json'), [
    { kind: 'saved', folder: single },
    { kind: 'parent', folder: runs, children: [join(runs, '2026-12-07_09-30-00-b'), join(runs, '2026-12-03_08-00-00-c'), join(runs, '2026-12-01_10-00-00-a')] },
    { kind: 'neither', folder: root },
  ]);
  assert.deepEqual(classifyPicked([join(root, 'missing')], 'oracle.json'), [{ kind: 'neither', folder: join(root, 'missing') }]);
});
