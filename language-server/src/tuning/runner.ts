import { dirname } from 'node:path';
import { analyzeText, type FileAnalysis, type ModelAnalysis, type TuneAnalysis } from '../analysis/analyze-file.js';
import { DiagnosticSink } from '../analysis/diagnostics.js';
import type { EvaluatedModel } from '../analysis/model-types.js';
import type { SearchDimension } from '../analysis/search-space.js';
import type { ResolvedSetting, TrainingSettings } from '../analysis/training-checks.js';
import type { Value } from '../catalog/values.js';
import type { Setting } from '../syntax/ast.js';
import type { LineIndex } from '../text/line-index.js';
import { durationSeconds } from '../catalog/training.js';
import { trainingConfig, type TrainingConfig } from '../training/config.js';
import { QUICK, quickLimit } from '../training/quick.js';
import { DatasetError } from '../training/data/types.js';
import type { EpochLogs, StopReason, TrainingEvent } from '../training/loop.js';
import { bestOf, isBetter, objectiveFor, ObjectiveError, type MetricLogs, type Objective } from './objective.js';
import { maxConsecutiveFailures, type TrialPlan } from './oracle.js';
import { axesOf, describePoint, gridCount, SpaceError, splitPoint, type Axis, type Point } from './space.js';
import { numBrackets, numRounds, roundSize } from './hyperband.js';
import { describeStrategy, initialOracleState, oracleFor, strategyOf, StrategyError, type Strategy } from './strategy.js';
import { openSearch, rankTrials, readTrials, searchFingerprint, trialDir, tuneDir, TuneStoreError, writeSearch, writeTrial, type SearchRecord, type TrialRecord } from './store.js';

export interface TuneRequest {
  readonly file: string;
  readonly text: string;
  /** Search only this model (default: every model of the first `tune` block). */
  readonly model?: string;
  /** Train (and validate) on the first N samples. */
  readonly limit?: number;
  /** Delete a saved search and start over. */
  readonly overwrite?: boolean;
  /** Go on with a search that finished its plan (Hyperband's next iteration; more random points). */
  readonly extend?: boolean;
  /**
   * A quick search (training/quick.ts): a random search of QUICK.trials points, QUICK.epochs
   * epoch each, on at most QUICK.limit images, saved apart (`<model>.quick`) and started over each time.
   */
  readonly quick?: boolean;
  /** Where `.layerlab/tune` goes; default: the .model file's folder. */
  readonly outputDir?: string;
}

/** A trial as progress events show it. */
export interface TrialStart extends TrialPlan {
  readonly model: string;
  /** 1-based position among this search's trials. */
  readonly number: number;
  /** True when the trial was interrupted before and runs again. */
  readonly rerun: boolean;
}

export type TuneEvent =
  | {
      readonly type: 'search';
      readonly model: string;
      readonly dir: string;
      readonly strategy: string;
      readonly objective: Objective;
      /** Trials finished in an earlier run of this search, and the best of them. */
      readonly resumedTrials: number;
      readonly best?: { readonly trialId: string; readonly score: number };
      /** Trials the search plans in all (its strategy, space and budget); a Hyperband bracket can end with fewer. */
      readonly plannedTrials?: number;
      /** The searched parameters: the view draws a `log` range on a log axis, a whole-number one with whole ticks. */
      readonly space?: readonly Axis[];
    }
  /** The data set a trial trains on, once loaded (and limited). */
  | { readonly type: 'dataset'; readonly name: string; readonly train: number; readonly validation: number; readonly test: number }
  | { readonly type: 'data'; readonly stage: string; readonly done: number; readonly total?: number }
  | { readonly type: 'trial-start'; readonly trial: TrialStart }
  | { readonly type: 'training'; readonly model: string; readonly trialId: string; readonly event: TrainingEvent }
  | { readonly type: 'trial-end'; readonly model: string; readonly direction: Objective['direction']; readonly trial: TrialRecord }
  | { readonly type: 'best'; readonly model: string; readonly trialId: string; readonly score: number; readonly point: Point }
  | { readonly type: 'finished'; readonly summary: TuneSummary };

export interface TuneSummary {
  readonly model: string;
  readonly dir: string;
  readonly strategy: string;
  readonly objective: Objective;
  readonly status: SearchRecord['status'];
  readonly message?: string;
  /** The searched parameters (absent in searches saved before it was recorded). */
  readonly space?: readonly Axis[];
  /** Every trial, in id order. */
  readonly trials: readonly TrialRecord[];
  readonly best?: { readonly trialId: string; readonly score: number; readonly point: Point };
}

/** What a trial trainer gets: the model at the trial's point and the settings to train it with. */
export interface TrialContext {
  readonly plan: TrialPlan;
  readonly evaluated: EvaluatedModel;
  readonly lines: LineIndex;
  /** Settings at the trial's point; `epochs` is the trial's last epoch. */
  readonly config: TrainingConfig;
  readonly objective: Objective;
  /** Where the trial saves its best-epoch checkpoint. */
  readonly trialDir: string;
  /** The checkpoint folder of the trial this one continues (Hyperband promotion). */
  readonly parentDir?: string;
  readonly baseDir: string;
  readonly limit?: number;
  readonly signal?: AbortSignal;
  readonly onTraining: (event: TrainingEvent) => void;
  readonly onData: (stage: string, done: number, total?: number) => void;
  /** The data set the trial trains on, as the views show it. */
  readonly onDataset?: (dataset: { readonly name: string; readonly train: number; readonly validation: number; readonly test: number }) => void;
}

export interface TrialResult {
  readonly history: readonly EpochLogs[];
  readonly stopReason: StopReason;
  readonly stopMessage?: string;
  readonly params?: number;
  /** The checkpoint file saved in the trial folder, if any. */
  readonly checkpoint?: string;
}

/**
 * Trains one trial. Throwing fails the trial (the search goes on), except
 * a TuneError or DatasetError, which stop the search: they concern every trial.
 */
export type TrialTrainer = (context: TrialContext) => Promise<TrialResult>;

export interface TuneDependencies {
  readonly trainTrial: TrialTrainer;
  readonly onEvent: (event: TuneEvent) => void;
  readonly signal?: AbortSignal;
}

/** A problem the user can fix, reported without a stack (no tune block, bad settings, changed search). */
export class TuneError extends Error {}

function pickTune(analysis: FileAnalysis, model: string | undefined): { block: TuneAnalysis; models: ModelAnalysis[] } {
  if (model !== undefined) {
    const found = analysis.models.find((m) => m.name === model);
    if (!found) throw new TuneError(`no model named ${model}; the file has ${analysis.models.map((m) => m.name).join(', ') || 'no models'}`);
    const block = analysis.tunes.find((t) => t.models.some((m) => m.name === model));
    if (!block) throw new TuneError(`model ${model} is in no \`tune\` block; add one, e.g. \`tune ${model} { dataset = mnist  units in 16..256 step 16 }\``);
    return { block, models: [found] };
  }
  const block = analysis.tunes[0];
  if (!block) throw new TuneError('the file has no `tune` block; add one, e.g. `tune my_model { dataset = mnist  units in 16..256 step 16 }`');
  return { block, models: [...block.models] };
}

/** The tune block's settings with the trial's values of searched training settings in place. */
function settingsAt(settings: TrainingSettings, overrides: ReadonlyMap<string, Value>, dimensions: readonly SearchDimension[]): TrainingSettings {
  if (overrides.size === 0) return settings;
  const merged = new Map<string, ResolvedSetting>(settings.settings);
  for (const [name, value] of overrides) {
    const parameter = dimensions.find((d) => d.name === name)?.parameter;
    if (!parameter) continue;
    const domain = parameter.domain;
    const expression = domain.kind === 'range' ? domain.low : domain.values[0];
    if (!expression) continue;
    // The configuration reads only the value; the setting node points at the search line for messages.
    const setting: Setting = { kind: 'setting', name: parameter.name, value: expression, range: parameter.range };
    merged.set(name, { setting, value });
  }
  return { ...settings, settings: merged };
}

function firstErrorAt(analysis: FileAnalysis, file: string): string | undefined {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (!first) return undefined;
  const line = analysis.lines.positionAt(first.range.start).line + 1;
  return `${file}:${line}: ${first.message} (${errors.length} error${errors.length === 1 ? '' : 's'} in the file; fix them before tuning)`;
}

/**
 * Runs the hyperparameter search of a `tune` block: one search per tuned
 * model, saved under `.layerlab/tune/<model>/` as each trial starts and ends,
 * resumed where it stopped when run again.
 */
export async function runTuning(request: TuneRequest, deps: TuneDependencies): Promise<TuneSummary[]> {
  const analysis = analyzeText(request.text);
  const error = firstErrorAt(analysis, request.file);
  if (error) throw new TuneError(error);
  const { block, models } = pickTune(analysis, request.model);
  const summaries: TuneSummary[] = [];
  for (const model of models) {
    if (deps.signal?.aborted) break;
    try {
      summaries.push(await searchModel(request, analysis, block, model, deps));
    } catch (caught) {
      if (caught instanceof ObjectiveError || caught instanceof SpaceError || caught instanceof StrategyError || caught instanceof TuneStoreError) throw new TuneError(caught.message);
      throw caught;
    }
  }
  return summaries;
}

interface SearchContext {
  readonly request: TuneRequest;
  readonly analysis: FileAnalysis;
  readonly block: TuneAnalysis;
  readonly model: ModelAnalysis;
  readonly axes: readonly Axis[];
  readonly objective: Objective;
  readonly baseConfig: TrainingConfig;
  readonly dir: string;
  readonly deps: TuneDependencies;
}

function lineOf(analysis: FileAnalysis, offset: number): number {
  return analysis.lines.positionAt(offset).line + 1;
}

async function searchModel(request: TuneRequest, analysis: FileAnalysis, block: TuneAnalysis, model: ModelAnalysis, deps: TuneDependencies): Promise<TuneSummary> {
  const where = `${request.file}:${lineOf(analysis, block.declaration.keyword.start)}`;
  if (!model.evaluateWith) throw new TuneError(`${where}: model ${model.name} cannot be analysed, so it cannot be tuned`);
  const axes = axesOf(block.dimensions, (offset) => lineOf(analysis, offset));
  if (axes.length === 0) throw new TuneError(`${where}: the tune block searches nothing; add a search line such as \`units in 16..256 step 16\``);
  const objectiveSetting = block.settings.settings.get('objective')?.value;
  const objective = objectiveFor(objectiveSetting?.kind === 'symbol' ? objectiveSetting.name : objectiveSetting?.kind === 'string' ? objectiveSetting.value : 'val_loss');
  const strategy: Strategy = request.quick ? { kind: 'random', trials: QUICK.trials } : strategyOf(block.settings);
  const blockConfig = trainingConfig(block.settings, model.evaluated?.input?.dataset);
  const baseConfig: TrainingConfig = request.quick ? { ...blockConfig, epochs: Math.min(blockConfig.epochs, QUICK.epochs), limit: quickLimit(request.limit ?? blockConfig.limit) } : blockConfig;
  const text = analysis.text;
  const modelDeclarations = [model.declaration, ...(model.body && model.body !== model.declaration ? [model.body] : [])];
  const budget = request.quick ? {} : searchBudget(block.settings);
  const fingerprint = searchFingerprint([
    // The budget can change between runs: a search goes on with a larger one.
    withoutBudget(text, block),
    ...modelDeclarations.map((d) => text.slice(d.range.start, d.range.end)),
    `limit=${request.quick ? baseConfig.limit : (request.limit ?? baseConfig.limit ?? 'all')}`,
  ]);
  const dir = tuneDir(request.outputDir ?? dirname(request.file), request.quick ? `${model.name}.quick` : model.name);
  const saved = openSearch(dir, fingerprint, request.overwrite === true || request.quick === true);
  const state = saved?.oracle ?? initialOracleState(strategy, baseConfig.epochs, baseConfig.seed);
  const oracle = oracleFor(state, axes, objective.direction);
  const startedAt = saved?.startedAt ?? new Date().toISOString();
  const strategyText = describeStrategy(strategy);
  const save = (status: SearchRecord['status'], message?: string, endedBy?: SearchRecord['endedBy']) =>
    writeSearch(dir, {
      version: 1,
      name: model.name,
      file: request.file,
      fingerprint,
      strategy,
      objective,
      oracle: oracle.state() as SearchRecord['oracle'],
      status,
      ...(message ? { message } : {}),
      ...(status === 'finished' && endedBy ? { endedBy } : {}),
      space: axes,
      startedAt,
      updatedAt: new Date().toISOString(),
    });

  const context: SearchContext = { request, analysis, block, model, axes, objective, baseConfig, dir, deps };
  const trials = new Map(readTrials(dir).map((t) => [t.id, t]));
  const finishedBefore = [...trials.values()].filter((t) => t.status !== 'running').length;
  let best = rankTrials([...trials.values()], objective.direction)[0];
  const planned = plannedTrials(strategy, axes, budget);
  deps.onEvent({
    type: 'search',
    model: model.name,
    dir,
    strategy: strategyText,
    objective,
    resumedTrials: finishedBefore,
    ...(best?.score !== undefined ? { best: { trialId: best.id, score: best.score } } : {}),
    ...(planned !== undefined ? { plannedTrials: planned } : {}),
    space: axes,
  });

  const rerun = new Set(oracle.ongoing().map((p) => p.id));
  const pending = oracle.ongoing();
  let status: SearchRecord['status'] = 'finished';
  let message: string | undefined;
  // A search that ran its whole plan is done: running it again changes nothing (the oracle would
  // start another Hyperband iteration) unless asked to extend it. One stopped by its budget goes on
  // when the budget allows.
  const done = saved?.status === 'finished' && saved.endedBy === 'plan' && request.extend !== true;
  if (done) message = `finished earlier: its ${finishedBefore} trials are all it planned; --extend runs more, --overwrite starts over`;
  let endedBy: SearchRecord['endedBy'] = done ? 'plan' : undefined;
  for (; !done; ) {
    if (deps.signal?.aborted) {
      status = 'cancelled';
      break;
    }
    const spent = budgetSpent(budget, [...trials.values()]);
    if (spent) {
      message = spent;
      endedBy = 'budget';
      break;
    }
    const plan = pending.shift() ?? oracle.createTrial();
    save('running');
    if (!plan) {
      endedBy = 'plan';
      break;
    }
    const record = await runTrial(context, plan, rerun.has(plan.id), Number(plan.id) + 1);
    trials.set(record.id, record);
    if (record.status === 'running') {
      // Cancelled mid-trial: it stays `running` in the oracle and on disk, and runs again on resume.
      status = 'cancelled';
      break;
    }
    oracle.endTrial(plan.id, record.status === 'completed' && record.score !== undefined ? { status: 'completed', score: record.score } : { status: 'failed' });
    save('running');
    deps.onEvent({ type: 'trial-end', model: model.name, direction: objective.direction, trial: record });
    if (record.status === 'completed' && record.score !== undefined && isBetter(record.score, best?.score, objective.direction)) {
      best = record;
      deps.onEvent({ type: 'best', model: model.name, trialId: record.id, score: record.score, point: record.point });
    }
    const failures = oracle.consecutiveFailures();
    if (failures >= maxConsecutiveFailures) {
      status = 'failed';
      message = `${failures} trials in a row failed, so the search stopped (as Keras Tuner does); the last one: ${record.reason ?? 'unknown'}`;
      break;
    }
  }
  save(status, message, endedBy);
  const all = [...trials.values()].sort((a, b) => a.id.localeCompare(b.id));
  const summary: TuneSummary = {
    model: model.name,
    dir,
    strategy: strategyText,
    objective,
    status,
    ...(message ? { message } : {}),
    space: axes,
    trials: all,
    ...(best?.score !== undefined ? { best: { trialId: best.id, score: best.score, point: best.point } } : {}),
  };
  deps.onEvent({ type: 'finished', summary });
  return summary;
}

/** The images of each split a trial trains on: `--limit`, else the block's `limit` (a quick search's is in baseConfig). */
function trialLimit(context: SearchContext): number | undefined {
  return context.request.quick ? context.baseConfig.limit : (context.request.limit ?? context.baseConfig.limit);
}

/** How many trials a search runs in all: its strategy's plan over the space, capped by `max_trials`. */
export function plannedTrials(strategy: Strategy, axes: readonly Axis[], budget: SearchBudget): number | undefined {
  let points = Number.POSITIVE_INFINITY;
  try {
    points = gridCount(axes);
  } catch (error) {
    // A continuous range: no end to the points a random search can draw (a grid search refuses it when it starts).
    if (!(error instanceof SpaceError)) throw error;
  }
  let planned: number;
  if (strategy.kind === 'random') planned = Math.min(strategy.trials, points);
  else if (strategy.kind === 'grid') {
    if (!Number.isFinite(points)) return undefined;
    planned = Math.min(strategy.trials ?? points, points);
  }
  else {
    let perIteration = 0;
    for (let bracket = numBrackets(strategy) - 1; bracket >= 0; bracket--) {
      for (let round = 0; round < numRounds(bracket); round++) perIteration += roundSize(strategy, bracket, round);
    }
    planned = perIteration * strategy.iterations;
  }
  return budget.maxTrials !== undefined ? Math.min(planned, budget.maxTrials) : planned;
}

/** The tune block's `max_trials` and `max_time` (seconds). */
export interface SearchBudget {
  readonly maxTrials?: number;
  readonly maxSeconds?: number;
}

export function searchBudget(settings: TrainingSettings): SearchBudget {
  const trialsValue = settings.settings.get('max_trials')?.value;
  const timeValue = settings.settings.get('max_time')?.value;
  const seconds = timeValue?.kind === 'number' ? timeValue.value : timeValue?.kind === 'string' ? durationSeconds(timeValue.value) : undefined;
  return {
    ...(trialsValue?.kind === 'number' ? { maxTrials: trialsValue.value } : {}),
    ...(seconds !== undefined && seconds > 0 ? { maxSeconds: seconds } : {}),
  };
}

/** Why the search stops before another trial (its budget is spent), or undefined. Trials of earlier runs count. */
export function budgetSpent(budget: SearchBudget, trials: readonly TrialRecord[]): string | undefined {
  const ended = trials.filter((t) => t.status !== 'running');
  if (budget.maxTrials !== undefined && ended.length >= budget.maxTrials) return `stopped after ${ended.length} trial${ended.length === 1 ? '' : 's'}: max_trials = ${budget.maxTrials}; raise it to go on`;
  if (budget.maxSeconds !== undefined) {
    const seconds = ended.reduce((sum, t) => sum + Math.max(0, (Date.parse(t.finishedAt ?? t.startedAt) - Date.parse(t.startedAt)) / 1000), 0);
    if (seconds >= budget.maxSeconds) return `stopped after ${formatSeconds(seconds)} of trials: max_time = ${formatSeconds(budget.maxSeconds)}; raise it to go on`;
  }
  return undefined;
}

function formatSeconds(seconds: number): string {
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  if (seconds >= 60) return `${(seconds / 60).toFixed(1).replace(/\.0$/, '')} min`;
  return `${Math.round(seconds)} s`;
}

/** The tune block's text without its budget settings. */
function withoutBudget(text: string, block: TuneAnalysis): string {
  const cuts = ['max_trials', 'max_time']
    .map((name) => block.settings.settings.get(name)?.setting.range)
    .filter((range): range is NonNullable<typeof range> => range !== undefined)
    .sort((a, b) => b.start - a.start);
  let body = text.slice(block.declaration.range.start, block.declaration.range.end);
  for (const range of cuts) body = body.slice(0, range.start - block.declaration.range.start) + body.slice(range.end - block.declaration.range.start);
  return body;
}

/** The model at the point, or why the point gives no valid model. */
function evaluateAt(context: SearchContext, point: Point): { evaluated: EvaluatedModel } | { reason: string } {
  const { model, analysis, request } = context;
  const sink = new DiagnosticSink();
  const { model: overrides } = splitPoint(context.axes, point);
  const evaluated = model.evaluateWith?.(overrides, sink);
  const error = sink.items.find((d) => d.severity === 'error');
  if (error) return { reason: `${request.file}:${lineOf(analysis, error.range.start)}: at ${describePoint(point)}: ${error.message}` };
  if (!evaluated?.complete) return { reason: `at ${describePoint(point)}: model ${model.name} is incomplete` };
  return { evaluated };
}

async function runTrial(context: SearchContext, plan: TrialPlan, rerun: boolean, number: number): Promise<TrialRecord> {
  const { deps, dir, model, objective } = context;
  const startedAt = new Date().toISOString();
  const base: TrialRecord = {
    version: 1,
    id: plan.id,
    point: plan.point,
    status: 'running',
    history: [],
    epochs: plan.epochs,
    initialEpoch: plan.initialEpoch,
    ...(plan.bracket !== undefined ? { bracket: plan.bracket } : {}),
    ...(plan.round !== undefined ? { round: plan.round } : {}),
    ...(plan.parentId !== undefined ? { parentId: plan.parentId } : {}),
    startedAt,
  };
  writeTrial(dir, base);
  deps.onEvent({ type: 'trial-start', trial: { model: model.name, id: plan.id, number, point: plan.point, epochs: plan.epochs, initialEpoch: plan.initialEpoch, ...(plan.bracket !== undefined ? { bracket: plan.bracket, round: plan.round ?? 0 } : {}), ...(plan.parentId ? { parentId: plan.parentId } : {}), rerun } });
  const fail = (reason: string, extra: Partial<TrialRecord> = {}): TrialRecord => {
    const record: TrialRecord = { ...base, ...extra, status: 'failed', reason, finishedAt: new Date().toISOString() };
    writeTrial(dir, record);
    return record;
  };

  const at = evaluateAt(context, plan.point);
  if ('reason' in at) return fail(at.reason);
  const { training } = splitPoint(context.axes, plan.point);
  const config: TrainingConfig = { ...trainingConfig(settingsAt(context.block.settings, training, context.block.dimensions), at.evaluated.input?.dataset), epochs: plan.epochs };
  let result: TrialResult;
  try {
    result = await deps.trainTrial({
      plan,
      evaluated: at.evaluated,
      lines: context.analysis.lines,
      config,
      objective,
      trialDir: trialDir(dir, plan.id),
      ...(plan.parentId !== undefined ? { parentDir: trialDir(dir, plan.parentId) } : {}),
      baseDir: dirname(context.request.file),
      ...(trialLimit(context) !== undefined ? { limit: trialLimit(context) } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      onTraining: (event) => deps.onEvent({ type: 'training', model: model.name, trialId: plan.id, event }),
      onData: (stage, done, total) => deps.onEvent({ type: 'data', stage, done, ...(total !== undefined ? { total } : {}) }),
      onDataset: (dataset) => deps.onEvent({ type: 'dataset', ...dataset }),
    });
  } catch (error) {
    if (error instanceof TuneError || error instanceof DatasetError) throw error;
    return fail(error instanceof Error ? error.message : String(error));
  }
  const trained: Partial<TrialRecord> = {
    history: result.history,
    stopReason: result.stopReason,
    ...(result.params !== undefined ? { params: result.params } : {}),
  };
  if (result.stopReason === 'cancelled') {
    const record: TrialRecord = { ...base, ...trained };
    writeTrial(dir, record);
    return record;
  }
  const best = bestOf(result.history as unknown as MetricLogs[], objective);
  if (!best) return fail(result.stopMessage ?? `no epoch reported a finite ${objective.name}${objective.name.startsWith('val_') ? '; is `validation` set?' : ''}`, trained);
  const record: TrialRecord = {
    ...base,
    ...trained,
    status: 'completed',
    score: best.score,
    bestEpoch: best.epoch,
    ...(result.checkpoint ? { checkpoint: result.checkpoint } : {}),
    finishedAt: new Date().toISOString(),
  };
  writeTrial(dir, record);
  return record;
}
