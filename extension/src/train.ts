import * as vscode from 'vscode';
import { launchTraining, type RunningTraining } from '../../language-server/src/training/launch.js';
import type { BackendPreference, FromTrainer } from '../../language-server/src/training/protocol.js';
import { trainingView, ViewPanel } from './view-panel.js';

/** Overrides for a quick run (the e2e suite, or a user's keybinding): fewer epochs, a data subset. */
export interface TrainOverrides {
  readonly epochs?: number;
  readonly limit?: number;
}

function overridesOf(value: unknown): TrainOverrides {
  if (typeof value !== 'object' || value === null) return {};
  const { epochs, limit } = value as { epochs?: unknown; limit?: unknown };
  const whole = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined);
  return { ...(whole(epochs) ? { epochs: whole(epochs) } : {}), ...(whole(limit) ? { limit: whole(limit) } : {}) };
}

let output: vscode.OutputChannel | undefined;
let running: RunningTraining | undefined;

const percent = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '–');

function log(message: FromTrainer, channel: vscode.OutputChannel): string | undefined {
  if (message.type === 'backend') {
    channel.appendLine(`backend: ${message.name} on ${message.device}`);
    message.notes.forEach((n) => channel.appendLine(`  ${n}`));
    return `${message.name} on ${message.device}`;
  }
  if (message.type !== 'event') return undefined;
  const event = message.event;
  if (event.type === 'model') channel.appendLine(`training ${event.model} (${event.index + 1} of ${event.count}), ${event.params.toLocaleString('en-US')} parameters → ${event.runDir}`);
  if (event.type === 'training' && event.event.type === 'epoch') {
    const l = event.event.logs;
    channel.appendLine(`  epoch ${l.epoch}: loss ${l.loss.toFixed(4)} acc ${percent(l.accuracy)} val_loss ${l.val_loss.toFixed(4)} val_acc ${percent(l.val_accuracy)} (${l.seconds.toFixed(1)} s)${event.event.best ? ' *' : ''}`);
  }
  if (event.type === 'training' && event.event.type === 'message') channel.appendLine(`  ${event.event.text}`);
  if (event.type === 'finished') {
    const r = event.record;
    channel.appendLine(`${r.model.name}: ${r.status}${r.message ? ` — ${r.message}` : ''}${r.test ? `; test accuracy ${percent(r.test.accuracy)}` : ''}; saved in ${event.runDir}`);
  }
  return undefined;
}

/**
 * Layerlab: Train Model. Training runs in a child process started with the
 * editor's own Node.js (ELECTRON_RUN_AS_NODE), never in the extension host.
 */
export async function trainCommand(context: vscode.ExtensionContext, uri?: string, model?: string, options?: unknown): Promise<void> {
  const overrides = overridesOf(options);
  const document = uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'model') {
    void vscode.window.showInformationMessage('Layerlab: open a .model file with a train block to train.');
    return;
  }
  if (running) {
    void vscode.window.showWarningMessage('Layerlab: a training run is in progress; cancel it first.');
    return;
  }
  if (document.isDirty) await document.save();
  const settings = vscode.workspace.getConfiguration('layerlab.training');
  const channel = (output ??= vscode.window.createOutputChannel('Layerlab Training'));
  const fileName = document.fileName.split(/[\\/]/).pop() ?? '';
  const view = ViewPanel.create(trainingView, context, `Training: ${model ?? fileName}`, { stop: true, openRun: true });
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Layerlab: training ${model ?? fileName}`, cancellable: true }, async (progress, token) => {
    let device = '';
    let lastFraction = 0;
    const nativeModulesPath = settings.get<string>('nativeModulesPath');
    const current = launchTraining({
      trainerPath: context.asAbsolutePath('dist/trainer.cjs'),
      execPath: process.execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      request: { file: document.uri.fsPath, text: document.getText(), ...(model ? { model } : {}), ...overrides },
      backend: settings.get<BackendPreference>('backend', 'auto'),
      ...(nativeModulesPath ? { nativeModulesPath } : {}),
      onMessage: (message) => {
        view.trainerMessage(message);
        device = log(message, channel) ?? device;
        if (message.type === 'event' && message.event.type === 'training' && message.event.event.type === 'batch') {
          const l = message.event.event.logs;
          const fraction = (l.epoch - 1 + l.batch / l.batches) / Math.max(1, l.epoch);
          progress.report({ message: `${message.event.model} epoch ${l.epoch}, batch ${l.batch}/${l.batches} · loss ${l.loss.toFixed(3)} · ${Math.round(l.samplesPerSecond)} samples/s${device ? ` · ${device}` : ''}`, increment: Math.max(0, (fraction - lastFraction) * 10) });
          lastFraction = fraction;
        }
      },
    });
    running = current;
    token.onCancellationRequested(() => current.cancel());
    view.onStop = () => current.cancel();
    try {
      const result = await current.done;
      view.sessionEnded(result.cancelled);
      const last = result.records[result.records.length - 1];
      if (result.cancelled) void vscode.window.showInformationMessage('Layerlab: training cancelled; finished epochs are saved.');
      else if (last) void vscode.window.showInformationMessage(`Layerlab: ${result.records.map((r) => `${r.model.name} ${r.test ? percent(r.test.accuracy) : r.status}`).join(', ')} test accuracy. Runs are in .layerlab/runs.`);
    } catch (error) {
      view.sessionEnded(false, error instanceof Error ? error.message : String(error));
      channel.appendLine(error instanceof Error ? error.message : String(error));
      void vscode.window.showErrorMessage(`Layerlab: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    } finally {
      running = undefined;
    }
  });
}
