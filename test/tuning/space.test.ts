import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GridSearchOracle, initialGridSearchState } from '../../language-server/src/tuning/grid-search.js';
import { initialRandomSearchState, RandomSearchOracle } from '../../language-server/src/tuning/random-search.js';
import { gridCount, gridPoint, randomPoint, SpaceError, splitPoint, type Point } from '../../language-server/src/tuning/space.js';
import { axesFor } from './helpers.js';

function sample(lines: string, count: number, seed = 1): Point[] {
  const axes = axesFor(lines);
  const points: Point[] = [];
  let state = seed;
  for (let i = 0; i < count; i++) {
    const drawn = randomPoint(axes, state);
    points.push(drawn.point);
    state = drawn.seedState;
  }
  return points;
}

test('random points repeat exactly for the same seed and differ for another', () => {
  const lines = '  units in 16..512 step 32\n  learning_rate in 1e-4..1e-2 log\n  depth in [1, 2, 3]';
  assert.deepEqual(sample(lines, 20, 5), sample(lines, 20, 5));
  assert.notDeepEqual(sample(lines, 20, 5), sample(lines, 20, 6));
});

test('stepped ranges give values on the grid low + k·step, within the range, and reach both ends', () => {
  const points = sample('  units in 16..512 step 32\n  x in 0.0..0.5 step 0.1', 400);
  const units = new Set(points.map((p) => p['units']));
  for (const u of units) assert.ok(typeof u === 'number' && (u - 16) % 32 === 0 && u >= 16 && u <= 496, `units ${u}`);
  // 16, 48, …, 496: 16 values; 512 is off the grid.
  assert.equal(units.size, 16);
  const xs = new Set(points.map((p) => p['x']));
  assert.deepEqual([...xs].sort(), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  const integers = sample('  depth in 1..4', 100).map((p) => p['depth']);
  assert.deepEqual([...new Set(integers)].sort(), [1, 2, 3, 4]);
});

test('log ranges spread evenly over the decades', () => {
  const values = sample('  learning_rate in 1e-4..1e-1 log', 3000).map((p) => Number(p['learning_rate']));
  assert.ok(values.every((v) => v >= 1e-4 && v <= 1e-1));
  const decades = [0, 0, 0];
  for (const v of values) decades[Math.min(2, Math.floor(Math.log10(v) + 4))]! += 1;
  // Uniform in log space: about 1000 per decade (a linear draw would put ~90% in the last one).
  for (const count of decades) assert.ok(count > 850 && count < 1150, `per decade ${decades.join(', ')}`);
});

test('RandomSearch draws no point twice and stops when the space is used up', () => {
  const axes = axesFor('  depth in [1, 2]\n  x in [true, false]');
  const oracle = new RandomSearchOracle(initialRandomSearchState(10, 3, 4), axes, 'min');
  const seen: string[] = [];
  for (let plan = oracle.createTrial(); plan; plan = oracle.createTrial()) {
    seen.push(`${plan.point['depth']}/${plan.point['x']}`);
    assert.equal(plan.epochs, 3);
    oracle.endTrial(plan.id, { status: 'completed', score: 1 });
  }
  assert.equal(seen.length, 4);
  assert.equal(new Set(seen).size, 4);
});

test('RandomSearch(trials=N) runs N trials, failed ones included', () => {
  const oracle = new RandomSearchOracle(initialRandomSearchState(3, 1, 1), axesFor('  units in 1..1000'), 'min');
  let count = 0;
  for (let plan = oracle.createTrial(); plan; plan = oracle.createTrial()) {
    oracle.endTrial(plan.id, count++ === 1 ? { status: 'failed' } : { status: 'completed', score: 1 });
  }
  assert.equal(count, 3);
});

test('GridSearch enumerates every point once, the last axis fastest', () => {
  const axes = axesFor('  depth in 1..2\n  units in 8..24 step 8\n  x in [true, false]');
  assert.equal(gridCount(axes), 12);
  const oracle = new GridSearchOracle(initialGridSearchState(undefined, 2, 1), axes, 'min');
  const points: string[] = [];
  for (let plan = oracle.createTrial(); plan; plan = oracle.createTrial()) {
    points.push(`${plan.point['depth']} ${plan.point['units']} ${plan.point['x']}`);
    oracle.endTrial(plan.id, { status: 'completed', score: 0 });
  }
  assert.deepEqual(points, ['1 8 true', '1 8 false', '1 16 true', '1 16 false', '1 24 true', '1 24 false', '2 8 true', '2 8 false', '2 16 true', '2 16 false', '2 24 true', '2 24 false']);
  assert.deepEqual(gridPoint(axes, 7), { depth: 2, units: 8, x: false });
});

test('GridSearch(trials=N) stops after N points', () => {
  const oracle = new GridSearchOracle(initialGridSearchState(5, 1, 1), axesFor('  units in 1..100'), 'min');
  let count = 0;
  for (let plan = oracle.createTrial(); plan; plan = oracle.createTrial()) {
    assert.equal(plan.point['units'], count + 1);
    oracle.endTrial(plan.id, { status: 'completed', score: 0 });
    count++;
  }
  assert.equal(count, 5);
});

test('GridSearch over a continuous range asks for a step', () => {
  const axes = axesFor('  depth in 1..2\n  learning_rate in 1e-4..1e-2 log');
  assert.throws(() => new GridSearchOracle(initialGridSearchState(undefined, 1, 1), axes, 'min'), (error: unknown) => {
    assert.ok(error instanceof SpaceError);
    assert.match(error.message, /learning_rate in 0\.0001\.\.0\.01 log` is continuous; add a step/);
    return true;
  });
});

test('a point splits into model parameters and training settings, choices keeping their kind', () => {
  const axes = axesFor('  units in 8..64 step 8\n  learning_rate in 1e-4..1e-2 log\n  optimizer in [Adam, SGD]');
  const { model, training } = splitPoint(axes, { units: 16, learning_rate: 0.001, optimizer: 'SGD' });
  assert.deepEqual([...model.entries()], [['units', { kind: 'number', value: 16 }]]);
  assert.deepEqual(training.get('learning_rate'), { kind: 'number', value: 0.001 });
  assert.equal(training.get('optimizer')?.kind, 'symbol');
});

test('GridSearch over a huge range counts and indexes its points without building the axis', () => {
  const axes = axesFor('units in 1..1000000000000000 step 1\n  depth in [1, 2]');
  assert.equal(gridCount(axes), 2e15);
  assert.deepEqual(gridPoint(axes, 0), { units: 1, depth: 1 });
  assert.deepEqual(gridPoint(axes, 2 * 123456 + 1), { units: 123457, depth: 2 });
  const oracle = new GridSearchOracle(initialGridSearchState(3, 1, 1), axes, 'min');
  assert.deepEqual(oracle.createTrial()?.point, { units: 1, depth: 1 });
});
