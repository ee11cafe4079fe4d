import * as vscode from 'vscode';
import type { TrainerProcessOptions } from '../../language-server/src/host/index.js';
import type { BackendPreference } from '../../language-server/src/protocol/trainer.js';

/** The .model document a Train or Tune command acts on (saved first), or undefined after telling the user why not. */
export async function modelDocument(uri: string | undefined, block: 'train' | 'tune'): Promise<vscode.TextDocument | undefined> {
  if (!vscode.workspace.isTrusted) {
    // The trainer loads @tensorflow/tfjs-node(-gpu) and webgpu from the .model file's project: code from the workspace.
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showWarningMessage(
      `Layerlab: ${block === 'train' ? 'training' : 'tuning'} is off in Restricted Mode, because it loads TensorFlow.js packages installed in the workspace. Trust the workspace to ${block}; the editor features work either way.`,
      manage,
    );
    if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const document = uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'model') {
    void vscode.window.showInformationMessage(`Layerlab: open a .model file with a ${block} block to ${block === 'train' ? 'train' : 'search'}.`);
    return undefined;
  }
  if (document.isDirty) await document.save();
  return document;
}

/**
 * How to start the trainer from VS Code: the editor's own Node.js
 * (ELECTRON_RUN_AS_NODE), the bundled trainer, and the user's backend settings.
 */
export function trainerProcessOptions(context: vscode.ExtensionContext): Omit<TrainerProcessOptions, 'onMessage'> {
  const settings = vscode.workspace.getConfiguration('layerlab.training');
  const nativeModulesPath = settings.get<string>('nativeModulesPath');
  const threads = settings.get<number>('threads', 0);
  return {
    trainerPath: context.asAbsolutePath('dist/trainer.cjs'),
    execPath: process.execPath,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    backend: settings.get<BackendPreference>('backend', 'auto'),
    ...(nativeModulesPath ? { nativeModulesPath } : {}),
    ...(Number.isInteger(threads) && threads > 0 ? { threads } : {}),
  };
}
