import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import { describePoint, launchTuning, ProgressText, SearchProgress } from '../../language-server/src/host/index.js';
import { modelDocument, trainerProcessOptions } from './trainer-process.js';
import { searchView, ViewPanel } from './view-panel.js';
import { runInView } from './view-session.js';
import { askRunKind } from './run-kind.js';
import { tuneResultsChangedNotification } from '../../language-server/src/protocol/lsp-requests.js';
import { sendCustomNotification } from './requests.js';

let output: vscode.OutputChannel | undefined;
let running = false;

/** The options passed with the command; undefined when none were (a lens or the palette: ask quick or full). */
function optionsOf(value: unknown): { limit?: number; overwrite?: boolean; quick?: boolean } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { limit, overwrite, quick } = value as { limit?: unknown; overwrite?: unknown; quick?: unknown };
  return { ...(typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? { limit } : {}), ...(overwrite === true ? { overwrite: true } : {}), ...(quick === true ? { quick: true } : {}) };
}

const score = (x: number | undefined) => (x === undefined ? '–' : x.toPrecision(4));

function log(message: FromTrainer, channel: vscode.OutputChannel): void {
  if (message.type === 'backend') channel.appendLine(`backend: ${message.name} on ${message.device}`);
  if (message.type !== 'tune-event') return;
  const event = message.event;
  if (event.type === 'search') channel.appendLine(`search ${event.model}: ${event.strategy}, objective ${event.objective.name} (${event.objective.direction}) → ${event.dir}${event.resumedTrials ? `; resuming after ${event.resumedTrials} finished trials` : ''}`);
  if (event.type === 'trial-start') channel.appendLine(`trial ${event.trial.id}: ${describePoint(event.trial.point)}, epochs ${event.trial.initialEpoch + 1}–${event.trial.epochs}`);
  if (event.type === 'trial-end') channel.appendLine(`  ${event.trial.status}${event.trial.reason ? `: ${event.trial.reason}` : ''}; score ${score(event.trial.score)}`);
  if (event.type === 'best') channel.appendLine(`  new best: trial ${event.trialId}, ${score(event.score)}`);
}

/**
 * Layerlab: Tune Model. The search runs in the trainer process; the search view
 * shows its trials, and the editor's hints show the best values as they come.
 */
export async function tuneCommand(context: vscode.ExtensionContext, client: LanguageClient, uri?: string, model?: string, options?: unknown): Promise<void> {
  if (running) {
    void vscode.window.showWarningMessage('Layerlab: a search is in progress; stop it first.');
    return;
  }
  const document = await modelDocument(uri, 'tune');
  if (!document) return;
  const fileName = document.fileName.split(/[\\/]/).pop() ?? '';
  let requestOptions = optionsOf(options);
  if (!requestOptions) {
    const kind = await askRunKind(context, 'tune', model ?? fileName);
    if (!kind) return;
    requestOptions = kind === 'quick' ? { quick: true } : {};
  }
  const channel = (output ??= vscode.window.createOutputChannel('Layerlab Search'));
  const view = ViewPanel.forFile(searchView, context, document.uri.fsPath, `Search: ${fileName}`, { stop: true, openRun: true });
  const refreshHints = () => void sendCustomNotification(client, tuneResultsChangedNotification);
  const progressText = new ProgressText();
  const searchProgress = new SearchProgress();
  running = true;
  try {
    await runInView(view, {
      title: `Layerlab: searching ${model ?? fileName}`,
      channel,
      start: (onMessage) => launchTuning({ ...trainerProcessOptions(context), request: { file: document.uri.fsPath, text: document.getText(), ...(model ? { model } : {}), ...requestOptions }, onMessage }),
      onMessage: (message, progress) => {
        log(message, channel);
        if (message.type !== 'tune-event') return;
        const event = message.event;
        if (event.type === 'data') progress.report({ message: progressText.describe(event) });
        searchProgress.update(event);
        if (event.type === 'trial-start') progress.report({ message: `${searchProgress.describe()}: ${describePoint(event.trial.point)}` });
        if (event.type === 'trial-end') refreshHints();
      },
      finished: (result) => {
        const best = result.summaries.map((s) => (s.best ? `${s.model}: best ${s.objective.name} ${score(s.best.score)} (${describePoint(s.best.point)})` : `${s.model}: no completed trial`));
        if (result.cancelled) void vscode.window.showInformationMessage('Layerlab: search stopped; finished trials are saved and the search resumes where it stopped.');
        else if (best.length) void vscode.window.showInformationMessage(`Layerlab: ${best.join('; ')}. "Apply best values" in the tune block writes them to the model.`);
      },
    });
  } finally {
    running = false;
    refreshHints();
  }
}
