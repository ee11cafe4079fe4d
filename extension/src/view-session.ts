import * as vscode from 'vscode';
import { TrainingFailure, type RunningTrainer } from '../../language-server/src/host/index.js';
import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import type { ViewPanel } from './view-panel.js';

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/** A training or search run shown in a view, with a cancellable progress notification. */
export interface ViewSession<Result> {
  readonly title: string;
  readonly channel: vscode.OutputChannel;
  /** Starts the trainer; every message it sends goes to the view and then to `onMessage`. */
  readonly start: (onMessage: (message: FromTrainer) => void) => RunningTrainer<Result>;
  readonly onMessage: (message: FromTrainer, progress: Progress) => void;
  /** Tells the user how it ended (not called when it failed). */
  readonly finished: (result: Result) => void;
}

/**
 * Runs a session: the notification's Cancel and the view's Stop both stop the
 * trainer after its current batch; the view learns how the session ended.
 */
export async function runInView<Item, Result extends { readonly cancelled: boolean }>(view: ViewPanel<Item>, session: ViewSession<Result>): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: session.title, cancellable: true }, async (progress, token) => {
    const running = session.start((message) => {
      view.trainerMessage(message);
      session.onMessage(message, progress);
    });
    token.onCancellationRequested(() => running.cancel());
    view.onStop = () => running.cancel();
    try {
      const result = await running.done;
      view.sessionEnded(result.cancelled);
      session.finished(result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      view.sessionEnded(false, message);
      session.channel.appendLine(message);
      for (const detail of error instanceof TrainingFailure ? error.details : []) session.channel.appendLine(`  ${detail}`);
      const showLog = 'Show Log';
      void vscode.window.showErrorMessage(`Layerlab: ${message.split('\n')[0]}`, showLog).then((choice) => choice === showLog && session.channel.show(true));
    }
  });
}
