import type { Direction } from './objective.js';
import { initialCore, StrategyOracle, type CoreState, type TrialPlan } from './oracle.js';
import { pythonLog } from './python-math.js';
import type { Axis } from './space.js';

export interface HyperbandSettings {
  readonly maxEpochs: number;
  readonly factor: number;
  /** Keras Tuner's `hyperband_iterations`; 0 means no limit. */
  readonly iterations: number;
}

interface RoundEntry {
  /** The trial of the previous round this one continues (`tuner/trial_id`), null in round 0. */
  readonly pastId: string | null;
  readonly id: string;
}

interface Bracket {
  readonly bracketNum: number;
  readonly rounds: RoundEntry[][];
}

export interface HyperbandState extends HyperbandSettings {
  readonly kind: 'hyperband';
  readonly core: CoreState;
  brackets: Bracket[];
  currentBracket: number;
  currentIteration: number;
}

/** Keras Tuner's `min_epochs`. */
const minEpochs = 1;

/** `_get_num_brackets`: how many times max_epochs divides by factor before falling below 1 epoch. */
export function numBrackets(settings: HyperbandSettings): number {
  let epochs = settings.maxEpochs;
  let brackets = 0;
  while (epochs >= minEpochs) {
    epochs = epochs / settings.factor;
    brackets++;
  }
  return brackets;
}

/** `_get_size`: trials in a round, set so every bracket costs about the same. */
export function roundSize(settings: HyperbandSettings, bracketNum: number, roundNum: number): number {
  const bracket0EndSize = Math.ceil(1 + pythonLog(settings.maxEpochs, settings.factor));
  const bracketEndSize = bracket0EndSize / (bracketNum + 1);
  return Math.ceil(bracketEndSize * settings.factor ** (bracketNum - roundNum));
}

/** `_get_epochs`: epochs a trial of this round trains up to. */
export function roundEpochs(settings: HyperbandSettings, bracketNum: number, roundNum: number): number {
  return Math.ceil(settings.maxEpochs / settings.factor ** (bracketNum - roundNum));
}

/** `_get_num_rounds`: bracket 0 is plain random search, the others successive halving. */
export function numRounds(bracketNum: number): number {
  return bracketNum + 1;
}

export function initialHyperbandState(settings: HyperbandSettings, seed: number): HyperbandState {
  // Start with the most aggressively halving bracket.
  const currentBracket = numBrackets(settings) - 1;
  return { kind: 'hyperband', ...settings, core: initialCore(seed), brackets: [{ bracketNum: currentBracket, rounds: emptyRounds(currentBracket) }], currentBracket, currentIteration: 0 };
}

function emptyRounds(bracketNum: number): RoundEntry[][] {
  return Array.from({ length: numRounds(bracketNum) }, () => []);
}

/**
 * Keras Tuner's HyperbandOracle (keras_tuner/tuners/hyperband.py), run one
 * trial at a time. Brackets go from the most aggressive (many trials, few
 * epochs) to plain random search; within a bracket, round r+1 continues the
 * best trials of round r for more epochs from their checkpoints. A trial that
 * failed is never a candidate for promotion, so a bracket with failures can
 * end with fewer (or no) trials in its last rounds, as in Keras Tuner.
 */
export class HyperbandOracle extends StrategyOracle<HyperbandState> {

  createTrial(): TrialPlan | undefined {
    const id = this.core.nextId();
    const plan = this.populateSpace(id);
    return plan && this.core.add(plan);
  }

  private populateSpace(id: string): TrialPlan | undefined {
    const s = this.saved;
    this.removeCompletedBrackets();
    for (const bracket of s.brackets) {
      const { bracketNum, rounds } = bracket;
      if ((rounds[0]?.length ?? 0) < roundSize(s, bracketNum, 0)) return this.randomTrial(id, bracket);
      for (let roundNum = 1; roundNum < rounds.length; roundNum++) {
        const roundInfo = rounds[roundNum] ?? [];
        const pastRoundInfo = rounds[roundNum - 1] ?? [];
        const size = roundSize(s, bracketNum, roundNum);
        const pastSize = roundSize(s, bracketNum, roundNum - 1);
        // If more trials of the last round are ready than will be thrown out, the best of them goes on.
        const alreadySelected = new Set(roundInfo.map((info) => info.pastId));
        const candidates = pastRoundInfo.filter((info) => !alreadySelected.has(info.id)).flatMap((info) => this.core.trial(info.id) ?? []);
        const completed = candidates.filter((t) => t.status === 'completed');
        if (completed.length > pastSize - size) {
          const best = this.core.bestFirst(completed)[0];
          if (!best) continue;
          roundInfo.push({ pastId: best.id, id });
          // Keras Tuner records `self._current_bracket` here; run one trial at a time, it is always this bracket.
          return { id, point: best.point, epochs: roundEpochs(s, bracketNum, roundNum), initialEpoch: roundEpochs(s, bracketNum, roundNum - 1), bracket: bracketNum, round: roundNum, parentId: best.id };
        }
      }
    }
    // No trial of the current brackets can run.
    const unlimited = s.iterations <= 0;
    if (s.currentBracket === 0 && !unlimited && s.currentIteration + 1 >= s.iterations) {
      this.incrementBracketNum();
      return undefined;
    }
    this.incrementBracketNum();
    const bracket: Bracket = { bracketNum: s.currentBracket, rounds: emptyRounds(s.currentBracket) };
    s.brackets.push(bracket);
    return this.randomTrial(id, bracket);
  }

  private incrementBracketNum(): void {
    const s = this.saved;
    s.currentBracket--;
    if (s.currentBracket < 0) {
      s.currentBracket = numBrackets(s) - 1;
      s.currentIteration++;
      if (s.iterations > 0 && s.currentIteration > s.iterations) s.currentBracket = 0;
    }
  }

  /** Drops brackets whose last round has all its trials. */
  private removeCompletedBrackets(): void {
    const s = this.saved;
    s.brackets = s.brackets.filter((bracket) => {
      const last = bracket.rounds.length - 1;
      return (bracket.rounds[last]?.length ?? 0) !== roundSize(s, bracket.bracketNum, last);
    });
  }

  private randomTrial(id: string, bracket: Bracket): TrialPlan | undefined {
    const point = this.core.randomValues();
    // No new point after repeated collisions: the space is used up.
    if (!point) return undefined;
    bracket.rounds[0]?.push({ pastId: null, id });
    return { id, point, epochs: roundEpochs(this.saved, bracket.bracketNum, 0), initialEpoch: 0, bracket: bracket.bracketNum, round: 0 };
  }
}
