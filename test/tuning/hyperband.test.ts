import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HyperbandOracle, initialHyperbandState, type HyperbandSettings } from '../../language-server/src/tuning/hyperband.js';
import type { TrialPlan } from '../../language-server/src/tuning/oracle.js';
import { axesFor } from './helpers.js';

/*
 * The schedules below are derived by hand from Keras Tuner's HyperbandOracle
 * (keras_tuner/tuners/hyperband.py):
 *   brackets   = how often max_epochs divides by factor while >= 1
 *   size(b, r) = ceil(ceil(1 + log_factor(max_epochs)) / (b + 1) * factor^(b - r))
 *   epochs(b, r) = ceil(max_epochs / factor^(b - r))
 * Brackets run from the most aggressive (b = brackets - 1) down to 0; round r+1
 * promotes the best not-yet-promoted trial of round r while more completed
 * candidates remain than size(b, r-1) - size(b, r).
 */

const axes = axesFor('  x in 0..100000');

interface Step {
  readonly bracket: number;
  readonly round: number;
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly parentId?: string;
  readonly id: string;
}

/** A deterministic objective (minimised): distance of x from 31337, shrinking with epochs. */
function fakeScore(plan: TrialPlan): number {
  return Math.abs(Number(plan.point['x']) - 31337) / plan.epochs;
}

function drive(settings: HyperbandSettings, fail: (plan: TrialPlan, index: number) => boolean = () => false): { steps: Step[]; scores: Map<string, number>; plans: TrialPlan[] } {
  const oracle = new HyperbandOracle(initialHyperbandState(settings, 7), axes, 'min');
  const steps: Step[] = [];
  const scores = new Map<string, number>();
  const plans: TrialPlan[] = [];
  for (let plan = oracle.createTrial(); plan; plan = oracle.createTrial()) {
    assert.ok(steps.length < 5000, 'the oracle stops');
    plans.push(plan);
    steps.push({ bracket: plan.bracket ?? -1, round: plan.round ?? -1, epochs: plan.epochs, initialEpoch: plan.initialEpoch, id: plan.id, ...(plan.parentId ? { parentId: plan.parentId } : {}) });
    if (fail(plan, steps.length - 1)) oracle.endTrial(plan.id, { status: 'failed' });
    else {
      const score = fakeScore(plan);
      scores.set(plan.id, score);
      oracle.endTrial(plan.id, { status: 'completed', score });
    }
    // The state survives JSON, as it does in oracle.json between runs.
    assert.deepEqual(JSON.parse(JSON.stringify(oracle.state())), oracle.state());
  }
  return { steps, scores, plans };
}

/** (bracket, round, epochs, initial epoch, count) runs of the sequence. */
function runs(steps: readonly Step[]): string[] {
  const result: string[] = [];
  let last = '';
  let count = 0;
  for (const s of steps) {
    const key = `b${s.bracket} r${s.round} e${s.initialEpoch}->${s.epochs}`;
    if (key !== last && count) {
      result.push(`${last} x${count}`);
      count = 0;
    }
    last = key;
    count++;
  }
  if (count) result.push(`${last} x${count}`);
  return result;
}

/** The parents a round promotes: the previous round's trials, best first, as many as the round holds. */
function checkPromotions(steps: readonly Step[], scores: ReadonlyMap<string, number>): void {
  for (const step of steps) {
    if (step.round === 0) {
      assert.equal(step.parentId, undefined);
      continue;
    }
    const siblings = steps.filter((s) => s.bracket === step.bracket && s.round === step.round && s.id < step.id);
    const previous = steps.filter((s) => s.bracket === step.bracket && s.round === step.round - 1 && s.id < step.id);
    const taken = new Set(siblings.map((s) => s.parentId));
    const best = previous.filter((s) => !taken.has(s.id) && scores.has(s.id)).sort((a, b) => (scores.get(a.id) ?? 0) - (scores.get(b.id) ?? 0))[0];
    assert.equal(step.parentId, best?.id, `trial ${step.id} promotes the best remaining trial of round ${step.round - 1}`);
    const parent = steps.find((s) => s.id === step.parentId);
    assert.equal(step.initialEpoch, parent?.epochs, 'a promotion continues from where its parent stopped');
  }
}

test('Hyperband(max_epochs=9, factor=3): Keras Tuner schedule, hand-derived', () => {
  // brackets: 9 → 3 → 1 → 1/3: 3 brackets; ceil(1 + log3 9) = 3.
  // b2: size ceil(3/3·9)=9, ceil(3/3·3)=3, ceil(3/3)=1 at epochs 1, 3, 9
  // b1: size ceil(3/2·3)=5, ceil(3/2)=2 at 3, 9;  b0: size 3 at 9.
  // Promotions: round r fills while completed candidates > size(r-1) − size(r): 9 > 6, 8 > 6, 7 > 6 → 3, then 3 > 2 → 1; b1: 5, 4 > 3 → 2.
  const { steps, scores } = drive({ maxEpochs: 9, factor: 3, iterations: 1 });
  assert.deepEqual(runs(steps), ['b2 r0 e0->1 x9', 'b2 r1 e1->3 x3', 'b2 r2 e3->9 x1', 'b1 r0 e0->3 x5', 'b1 r1 e3->9 x2', 'b0 r0 e0->9 x3']);
  assert.equal(steps.length, 23);
  checkPromotions(steps, scores);
  // Round 1 of b2 continues exactly the three best of its nine round-0 trials, best first.
  const round0 = steps.filter((s) => s.bracket === 2 && s.round === 0).sort((a, b) => (scores.get(a.id) ?? 0) - (scores.get(b.id) ?? 0));
  assert.deepEqual(
    steps.filter((s) => s.bracket === 2 && s.round === 1).map((s) => s.parentId),
    round0.slice(0, 3).map((s) => s.id),
  );
});

test('Hyperband(max_epochs=8, factor=2): Keras Tuner schedule, hand-derived', () => {
  // brackets: 8, 4, 2, 1 → 4; ceil(1 + log2 8) = 4.
  // b3: 4/4·2^(3−r) = 8, 4, 2, 1 trials at 1, 2, 4, 8 epochs
  // b2: ceil(4/3·4)=6, ceil(4/3·2)=3, ceil(4/3)=2 at 2, 4, 8
  // b1: ceil(2·2)=4, 2 at 4, 8;  b0: 4 at 8.
  const { steps, scores } = drive({ maxEpochs: 8, factor: 2, iterations: 1 });
  assert.deepEqual(runs(steps), [
    'b3 r0 e0->1 x8',
    'b3 r1 e1->2 x4',
    'b3 r2 e2->4 x2',
    'b3 r3 e4->8 x1',
    'b2 r0 e0->2 x6',
    'b2 r1 e2->4 x3',
    'b2 r2 e4->8 x2',
    'b1 r0 e0->4 x4',
    'b1 r1 e4->8 x2',
    'b0 r0 e0->8 x4',
  ]);
  assert.equal(steps.length, 36);
  checkPromotions(steps, scores);
});

/** Hand-derived (size, epochs) per round, most aggressive bracket first. */
const tables: readonly { settings: HyperbandSettings; brackets: readonly (readonly [number, number])[][] }[] = [
  {
    // ceil(1 + log3 81) = 5 (Python's math.log(81, 3) is exactly 4.0).
    settings: { maxEpochs: 81, factor: 3, iterations: 1 },
    brackets: [
      [[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]],
      [[34, 3], [12, 9], [4, 27], [2, 81]],
      [[15, 9], [5, 27], [2, 81]],
      [[8, 27], [3, 81]],
      [[5, 81]],
    ],
  },
  {
    // 30 → 10 → 3.3 → 1.1: 4 brackets; ceil(1 + 3.096) = 5.
    settings: { maxEpochs: 30, factor: 3, iterations: 1 },
    brackets: [
      [[34, 2], [12, 4], [4, 10], [2, 30]],
      [[15, 4], [5, 10], [2, 30]],
      [[8, 10], [3, 30]],
      [[5, 30]],
    ],
  },
  {
    settings: { maxEpochs: 10, factor: 3, iterations: 1 },
    brackets: [
      [[12, 2], [4, 4], [2, 10]],
      [[6, 4], [2, 10]],
      [[4, 10]],
    ],
  },
  {
    settings: { maxEpochs: 27, factor: 3, iterations: 1 },
    brackets: [
      [[27, 1], [9, 3], [3, 9], [1, 27]],
      [[12, 3], [4, 9], [2, 27]],
      [[6, 9], [2, 27]],
      [[4, 27]],
    ],
  },
  {
    // 100 → 25 → 6.25 → 1.56: 4 brackets; ceil(1 + log4 100 = 3.32) = 5.
    settings: { maxEpochs: 100, factor: 4, iterations: 1 },
    brackets: [
      [[80, 2], [20, 7], [5, 25], [2, 100]],
      [[27, 7], [7, 25], [2, 100]],
      [[10, 25], [3, 100]],
      [[5, 100]],
    ],
  },
];

for (const { settings, brackets } of tables) {
  test(`Hyperband(max_epochs=${settings.maxEpochs}, factor=${settings.factor}): bracket sizes and epochs as Keras Tuner computes them`, () => {
    const { steps, scores } = drive(settings);
    const expected = brackets.flatMap((rounds, k) => {
      const bracket = brackets.length - 1 - k;
      return rounds.map(([size, epochs], round) => `b${bracket} r${round} e${round === 0 ? 0 : rounds[round - 1]?.[1]}->${epochs} x${size}`);
    });
    assert.deepEqual(runs(steps), expected);
    assert.equal(steps.length, brackets.flat().reduce((sum, [size]) => sum + size, 0));
    checkPromotions(steps, scores);
  });
}

test('iterations=2 runs every bracket twice', () => {
  const { steps, scores } = drive({ maxEpochs: 9, factor: 3, iterations: 2 });
  assert.equal(steps.length, 46);
  const order = runs(steps).map((r) => r.split(' ')[0]).filter((b, i, all) => b !== all[i - 1]);
  assert.deepEqual(order, ['b2', 'b1', 'b0', 'b2', 'b1', 'b0']);
  checkPromotions(steps, scores);
});

test('a failed trial is never promoted, and (as in Keras Tuner) starves the later rounds of its bracket', () => {
  // Fail the best round-0 trial of b2: 8 completed candidates → promotions while 8 > 6, 7 > 6: two, not three;
  // round 2 then needs more than 3 − 1 = 2 completed round-1 trials and never fills.
  const { steps: reference } = drive({ maxEpochs: 9, factor: 3, iterations: 1 });
  const bestRound0 = reference.find((s) => s.bracket === 2 && s.round === 1)?.parentId;
  const { steps, scores } = drive({ maxEpochs: 9, factor: 3, iterations: 1 }, (plan) => plan.id === bestRound0);
  assert.ok(!steps.some((s) => s.parentId === bestRound0));
  assert.deepEqual(runs(steps), ['b2 r0 e0->1 x9', 'b2 r1 e1->3 x2', 'b1 r0 e0->3 x5', 'b1 r1 e3->9 x2', 'b0 r0 e0->9 x3']);
  checkPromotions(steps, scores);
});

test('a small space ends the search when no untried point is left', () => {
  const small = axesFor('  x in [1, 2, 3]');
  const oracle = new HyperbandOracle(initialHyperbandState({ maxEpochs: 9, factor: 3, iterations: 1 }, 1), small, 'min');
  const points: unknown[] = [];
  for (let plan = oracle.createTrial(); plan; plan = oracle.createTrial()) {
    points.push(plan.point['x']);
    oracle.endTrial(plan.id, { status: 'completed', score: Number(plan.point['x']) });
  }
  assert.deepEqual([...points].sort(), [1, 2, 3]);
});
