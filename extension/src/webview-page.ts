import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';

/**
 * What every Layerlab webview shares: its page (one bundle from media/dist under a strict
 * Content-Security-Policy with a nonce) and saving the files it exports.
 */

export function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')] };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page of `media/dist/<bundle>.js` and `.css`: no inline script or style but its own (by nonce), nothing remote. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (extension: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dist', `${bundle}.${extension}`)).toString();
  const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data: blob:`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `font-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('css')}" nonce="${nonce}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app" data-nonce="${nonce}"></div>
<script nonce="${nonce}" src="${asset('js')}"></script>
</body>
</html>`;
}

/** Asks where to save a file a view exported (the workspace folder first), and saves it. */
export async function saveExportedFile(fileName: string, data: string, encoding: 'utf8' | 'base64'): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({ ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}), saveLabel: 'Export' });
  if (!target) return;
  try {
    await writeFile(target.fsPath, encoding === 'base64' ? Buffer.from(data, 'base64') : data);
    void vscode.window.showInformationMessage(`Layerlab: saved ${target.fsPath}`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Layerlab: could not save ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
