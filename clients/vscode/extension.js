// VS Code client for tmpl-ls: starts the server (setting tmpl-ls.path) over
// stdio for Markdown files. vscode-languageclient answers the server's
// workspace/configuration requests from the "tmpl-ls" settings section and
// sends workspace/didChangeConfiguration when that section changes.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;
let output;

function serverPath() {
  const p = vscode.workspace.getConfiguration('tmpl-ls').get('path') || 'tmpl-ls';
  // ~ and ${workspaceFolder} are common in settings; expand the obvious cases.
  const home = process.env.HOME || process.env.USERPROFILE || '';
  let cmd = p.replace(/^~(?=$|[\\/])/, home);
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (folder) cmd = cmd.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  return cmd;
}

// The settings as the server reads them: { diagnostics, templates, matchThreshold }.
function settings() {
  const c = vscode.workspace.getConfiguration('tmpl-ls');
  const s = { diagnostics: c.get('diagnostics') || {}, templates: c.get('templates') || {} };
  const t = c.get('matchThreshold');
  if (typeof t === 'number') s.matchThreshold = t;
  return s;
}

async function start() {
  const command = serverPath();
  // transport stdio: vscode-languageclient appends --stdio, which tmpl-ls accepts.
  const serverOptions = { command, args: [], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }],
    synchronize: {
      configurationSection: 'tmpl-ls',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.md'),
        vscode.workspace.createFileSystemWatcher('**/.tmpl-ls.json'),
      ],
    },
    initializationOptions: settings(),
    outputChannel: output,
    traceOutputChannel: output,
  };
  client = new LanguageClient('tmpl-ls', 'tmpl-ls', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    const c = client;
    client = undefined;
    try { await c.dispose(); } catch (e) { /* already down */ }
    const msg = `tmpl-ls: cannot start the language server "${command}" (${err && err.message ? err.message : err}). ` +
      'Install tmpl-ls (make install) or set "tmpl-ls.path" to the executable.';
    output.appendLine(msg);
    vscode.window.showErrorMessage(msg, 'Open Settings').then((pick) => {
      if (pick) vscode.commands.executeCommand('workbench.action.openSettings', 'tmpl-ls.path');
    });
  }
}

async function stop() {
  const c = client;
  client = undefined;
  if (c) { try { await c.stop(); } catch (e) { /* not running */ } }
}

async function activate(context) {
  output = vscode.window.createOutputChannel('tmpl-ls');
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration('tmpl-ls.path')) { await stop(); await start(); }
  }));
  context.subscriptions.push(vscode.commands.registerCommand('tmpl-ls.restart', async () => {
    await stop(); await start();
  }));
  await start();
}

function deactivate() { return stop(); }

module.exports = { activate, deactivate };
