import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { BackendPreference, FromTrainer } from '../../language-server/src/training/protocol.js';
import { launchTuning, type RunningTuning } from '../../language-server/src/tuning/launch.js';
import { describePoint } from '../../language-server/src/tuning/space.js';
import { searchView, ViewPanel } from './view-panel.js';

let output: vscode.OutputChannel | undefined;
let running: RunningTuning | undefined;

/** Tells the language server that saved search results changed, so the best-value hints are read again. */
const tuneResultsChanged = 'layerlab/tuneResultsChanged';

function optionsOf(value: unknown): { limit?: number; overwrite?: boolean } {
  if (typeof value !== 'object' || value === null) return {};
  const { limit, overwrite } = value as { limit?: unknown; overwrite?: unknown };
  return { ...(typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? { limit } : {}), ...(overwrite === true ? { overwrite: true } : {}) };
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
  const document = uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'model') {
    void vscode.window.showInformationMessage('Layerlab: open a .model file with a tune block to search.');
    return;
  }
  if (running) {
    void vscode.window.showWarningMessage('Layerlab: a search is in progress; stop it first.');
    return;
  }
  if (document.isDirty) await document.save();
  const settings = vscode.workspace.getConfiguration('layerlab.training');
  const channel = (output ??= vscode.window.createOutputChannel('Layerlab Search'));
  const fileName = document.fileName.split(/[\\/]/).pop() ?? '';
  const view = ViewPanel.create(searchView, context, `Search: ${model ?? fileName}`, { stop: true, openRun: true });
  const refreshHints = () => void client.sendNotification(tuneResultsChanged);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Layerlab: searching ${model ?? fileName}`, cancellable: true }, async (progress, token) => {
    const nativeModulesPath = settings.get<string>('nativeModulesPath');
    const current = launchTuning({
      trainerPath: context.asAbsolutePath('dist/trainer.cjs'),
      execPath: process.execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      request: { file: document.uri.fsPath, text: document.getText(), ...(model ? { model } : {}), ...optionsOf(options) },
      backend: settings.get<BackendPreference>('backend', 'auto'),
      ...(nativeModulesPath ? { nativeModulesPath } : {}),
      onMessage: (message) => {
        view.trainerMessage(message);
        log(message, channel);
        if (message.type !== 'tune-event') return;
        const event = message.event;
        if (event.type === 'trial-start') progress.report({ message: `trial ${event.trial.number}: ${describePoint(event.trial.point)}` });
        if (event.type === 'trial-end') refreshHints();
      },
    });
    running = current;
    token.onCancellationRequested(() => current.cancel());
    view.onStop = () => current.cancel();
    try {
      const result = await current.done;
      view.sessionEnded(result.cancelled);
      const best = result.summaries.map((s) => (s.best ? `${s.model}: best ${s.objective.name} ${score(s.best.score)} (${describePoint(s.best.point)})` : `${s.model}: no completed trial`));
      if (result.cancelled) void vscode.window.showInformationMessage('Layerlab: search stopped; finished trials are saved and the search resumes where it stopped.');
      else if (best.length) void vscode.window.showInformationMessage(`Layerlab: ${best.join('; ')}. "Apply best values" in the tune block writes them to the model.`);
    } catch (error) {
      view.sessionEnded(false, error instanceof Error ? error.message : String(error));
      channel.appendLine(error instanceof Error ? error.message : String(error));
      void vscode.window.showErrorMessage(`Layerlab: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    } finally {
      running = undefined;
      refreshHints();
    }
  });
}
