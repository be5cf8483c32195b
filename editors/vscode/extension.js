// The VS Code client: starts `zhibiao lsp` for .zb files and talks to it
// over stdio. Everything the editor shows (diagnostics, hover, definitions,
// completion, outline, points subtotals, formatting) comes from the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('zhibiao').get('path') || 'zhibiao';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'zhibiao',
    'zhibiao',
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: 'file', language: 'zhibiao' },
        { scheme: 'untitled', language: 'zhibiao' },
      ],
      // Policies extend each other: tell the server when one changes on disk.
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.zb') },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
