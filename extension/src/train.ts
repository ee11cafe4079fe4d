import * as vscode from 'vscode';
import { launchTraining, ProgressText } from '../../language-server/src/host/index.js';
import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import { modelDocument, trainerProcessOptions } from './trainer-process.js';
import { trainingView, ViewPanel } from './view-panel.js';
import { runInView } from './view-session.js';
import { askRunKind } from './run-kind.js';

/** Overrides for a quick run (the e2e suite, or a user's keybinding): fewer epochs, a data subset. */
export interface TrainOverrides {
  readonly epochs?: number;
  readonly limit?: number;
  readonly quick?: boolean;
}

/** The overrides passed with the command; undefined when none were (a lens or the palette: ask quick or full). */
function overridesOf(value: unknown): TrainOverrides | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { epochs, limit, quick } = value as { epochs?: unknown; limit?: unknown; quick?: unknown };
  const whole = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined);
  return { ...(whole(epochs) ? { epochs: whole(epochs) } : {}), ...(whole(limit) ? { limit: whole(limit) } : {}), ...(typeof quick === 'boolean' ? { quick } : {}) };
}

let output: vscode.OutputChannel | undefined;
let running = false;

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
  if (running) {
    void vscode.window.showWarningMessage('Layerlab: a training run is in progress; cancel it first.');
    return;
  }
  const document = await modelDocument(uri, 'train');
  if (!document) return;
  const fileName = document.fileName.split(/[\\/]/).pop() ?? '';
  let overrides = overridesOf(options);
  if (!overrides) {
    const kind = await askRunKind(context, 'train', model ?? fileName);
    if (!kind) return;
    overrides = kind === 'quick' ? { quick: true } : {};
  }
  const channel = (output ??= vscode.window.createOutputChannel('Layerlab Training'));
  const view = ViewPanel.forFile(trainingView, context, document.uri.fsPath, `Training: ${fileName}`, { stop: true, openRun: true });
  let device = '';
  const progressText = new ProgressText();
  let epochs = 1;
  let reported = 0;
  running = true;
  try {
    await runInView(view, {
      title: `Layerlab: training ${model ?? fileName}`,
      channel,
      start: (onMessage) => launchTraining({ ...trainerProcessOptions(context), request: { file: document.uri.fsPath, text: document.getText(), ...(model ? { model } : {}), ...overrides }, onMessage }),
      onMessage: (message, progress) => {
        device = log(message, channel) ?? device;
        if (message.type !== 'event') return;
        if (message.event.type === 'data') progress.report({ message: progressText.describe(message.event) });
        if (message.event.type === 'model') {
          epochs = message.event.epochs;
          reported = 0;
        }
        if (message.event.type === 'training' && message.event.event.type === 'batch') {
          const l = message.event.event.logs;
          const percentDone = (100 * (l.epoch - 1 + l.batch / l.batches)) / Math.max(1, epochs);
          progress.report({ message: `${message.event.model} epoch ${l.epoch}/${epochs}, batch ${l.batch}/${l.batches} · loss ${l.loss.toFixed(3)} · ${Math.round(l.samplesPerSecond)} samples/s${device ? ` · ${device}` : ''}`, increment: Math.max(0, percentDone - reported) });
          reported = Math.max(reported, percentDone);
        }
      },
      finished: (result) => {
        if (result.cancelled) void vscode.window.showInformationMessage('Layerlab: training cancelled; finished epochs are saved.');
        else if (result.records.length) void vscode.window.showInformationMessage(`Layerlab: ${result.records.map((r) => `${r.model.name} ${r.test ? percent(r.test.accuracy) : r.status}`).join(', ')} test accuracy. Runs are in .layerlab/runs.`);
      },
    });
  } finally {
    running = false;
  }
}
