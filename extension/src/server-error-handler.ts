import * as vscode from 'vscode';
import { CloseAction, ErrorAction, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type Message } from 'vscode-languageclient/node';
import type { ServerCrashPolicy, ServerNotice } from './server-crash-policy.js';

export const RESTART_SERVER_COMMAND = 'layerlab.restartServer';

const SHOW_LOG = 'Show Log';
const RESTART = 'Restart Server';
const offline = 'Shapes, parameters, diagnostics and hovers are off until you restart it (Layerlab: Restart Language Server).';

const notices: Record<ServerNotice, { readonly severity: 'warning' | 'error'; readonly text: string }> = {
  restarted: {
    severity: 'warning',
    text: "Layerlab's language server stopped unexpectedly and was restarted. If this happens again, please report it with the log (Show Log).",
  },
  'gave-up': {
    severity: 'error',
    text: `Layerlab's language server stopped unexpectedly 5 times in 3 minutes and will not be restarted. ${offline} Please report it with the log (Show Log).`,
  },
  'connection-failing': {
    severity: 'error',
    text: `Layerlab's language server was stopped: the connection to it kept failing. ${offline} Please report it with the log (Show Log).`,
  },
};

/**
 * The language client's error handler: the policy decides, this shows the
 * notices and tells the library they are shown (`handled`), so that it only
 * logs its own message to the output channel instead of a second popup.
 */
export class ServerErrorHandler implements ErrorHandler {
  private readonly shown: string[] = [];

  constructor(
    private readonly policy: ServerCrashPolicy,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** The notices shown this session, oldest first. */
  get notices(): readonly string[] {
    return this.shown;
  }

  error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    const verdict = this.policy.errored(count);
    const text = this.notify(verdict.notice);
    return { action: verdict.keep ? ErrorAction.Continue : ErrorAction.Shutdown, ...(text ? { message: text } : {}), handled: true };
  }

  closed(): CloseHandlerResult {
    const verdict = this.policy.closed();
    const text = this.notify(verdict.notice);
    return { action: verdict.keep ? CloseAction.Restart : CloseAction.DoNotRestart, ...(text ? { message: text } : {}), handled: true };
  }

  private notify(notice: ServerNotice | undefined): string | undefined {
    if (!notice) return undefined;
    const { severity, text } = notices[notice];
    this.shown.push(text);
    const shown = severity === 'warning' ? vscode.window.showWarningMessage(text, SHOW_LOG) : vscode.window.showErrorMessage(text, RESTART, SHOW_LOG);
    void shown.then((choice) => {
      if (choice === SHOW_LOG) this.output.show(true);
      else if (choice === RESTART) void vscode.commands.executeCommand(RESTART_SERVER_COMMAND);
    });
    return text;
  }
}
