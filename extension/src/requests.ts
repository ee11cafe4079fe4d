import type { LanguageClient } from 'vscode-languageclient/node';
import type { CustomNotification, CustomRequest } from '../../language-server/src/protocol/lsp-requests.js';

/** Sends one of the server's custom requests (protocol/lsp-requests.ts), typed by its definition. */
export function sendCustomRequest<Params, Result>(client: LanguageClient, request: CustomRequest<Params, Result>, params: Params): Promise<Result> {
  return client.sendRequest<Result>(request.method, params);
}

export function sendCustomNotification(client: LanguageClient, notification: CustomNotification<undefined>): Promise<void> {
  return client.sendNotification(notification.method);
}
