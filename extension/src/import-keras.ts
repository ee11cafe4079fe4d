import * as vscode from 'vscode';
import { importKeras } from '../../language-server/src/host/index.js';

/**
 * Import Keras Model…: Keras code from a file picked in a dialog (`.py` or `.ipynb`) or from the
 * clipboard → a new untitled `.model` editor, with the importer's notes in the output channel.
 */
export async function importKerasCommand(output: vscode.LogOutputChannel, given?: vscode.Uri): Promise<void> {
  const source = given ? { uri: given } : await pickSource();
  if (!source) return;
  let fileName: string;
  let content: string;
  if ('uri' in source) {
    fileName = source.uri.fsPath || source.uri.path;
    try {
      content = new TextDecoder().decode(await vscode.workspace.fs.readFile(source.uri));
    } catch (error) {
      void vscode.window.showErrorMessage(`Layerlab: cannot read ${fileName}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  } else {
    fileName = 'clipboard.py';
    content = await vscode.env.clipboard.readText();
    if (!content.trim()) {
      void vscode.window.showWarningMessage('Layerlab: the clipboard is empty; copy Keras code first, or import from a file.');
      return;
    }
  }
  const result = importKeras(fileName, content);
  if ('error' in result) {
    void vscode.window.showErrorMessage(`Layerlab: ${result.error}`);
    return;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'model', content: result.text });
  await vscode.window.showTextDocument(document);
  output.info(`Import Keras Model: ${result.models.length ? `${result.models.join(', ')} from ${fileName}` : `no Keras model found in ${fileName}`}`);
  for (const note of result.notes) output.info(`  ${note.where}: ${note.message}`);
  if (result.models.length === 0) {
    void vscode.window.showWarningMessage(`Layerlab: no Keras model found in ${fileName}.`);
    return;
  }
  if (result.notes.length) {
    const show = 'Show Notes';
    const choice = await vscode.window.showInformationMessage(`Layerlab: imported ${result.models.join(', ')}; ${result.notes.length} note${result.notes.length === 1 ? '' : 's'} on what was left out.`, show);
    if (choice === show) output.show(true);
  }
}

async function pickSource(): Promise<{ uri: vscode.Uri } | { clipboard: true } | undefined> {
  const fromFile = { label: '$(file) From a file…', description: '.py or .ipynb' };
  const fromClipboard = { label: '$(clippy) From the clipboard', description: 'Python code copied from a notebook or a page' };
  const choice = await vscode.window.showQuickPick([fromFile, fromClipboard], { title: 'Layerlab: Import Keras Model', placeHolder: 'Where is the Keras code?' });
  if (!choice) return undefined;
  if (choice === fromClipboard) return { clipboard: true };
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Keras code': ['py', 'ipynb'] }, title: 'Import Keras Model' });
  const uri = picked?.[0];
  return uri ? { uri } : undefined;
}
