// VS Code client for tmpl-ls: starts the server (setting tmpl-ls.path) over
// stdio for Markdown files and YAML templates. vscode-languageclient answers the server's
// workspace/configuration requests from the "tmpl-ls" settings section and
// sends workspace/didChangeConfiguration when that section changes.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;
let output;

// The server's command: tmpl-ls.path when set; else the binary the extension
// carries (bin/tmpl-ls, in the linux-x64 package that make dist builds); else
// tmpl-ls from PATH.
function serverPath(context) {
  const p = vscode.workspace.getConfiguration('tmpl-ls').get('path');
  if (!p) {
    const bundled = context.asAbsolutePath(path.join('bin', 'tmpl-ls'));
    if (!fs.existsSync(bundled)) return 'tmpl-ls';
    // A .vsix is a zip: its unpacking may not keep the executable bit.
    try { fs.accessSync(bundled, fs.constants.X_OK); } catch (e) { try { fs.chmodSync(bundled, 0o755); } catch (e2) { /* reported at start */ } }
    return bundled;
  }
  // ~ and ${workspaceFolder} are common in settings; expand the obvious cases.
  const home = process.env.HOME || process.env.USERPROFILE || '';
  let cmd = p.replace(/^~(?=$|[\\/])/, home);
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (folder) cmd = cmd.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  return cmd;
}

// Where the server is useful: a workspace with templates or a .tmpl-ls.json
// (package.json's workspaceContains events activate the extension there), or
// an open template or document that names its template. The extension is
// also activated by any Markdown or YAML file (onLanguage), but then starts
// the server only once such a file is open, so a workspace of plain Markdown
// or YAML never runs it.
const TEMPLATE_NAME = /(-tmpl|\.tmpl)\.md$|[\\/]templates[\\/][^\\/]+\.md$/;
const MARKER = /<!--\s*tmpl-ls:\s*template=/;
// YAML templates, as the server tells them apart: by the name, or under a
// folder named templates when the top level has both template: and sections:.
const YAML_TEMPLATE_NAME = /[-.]tmpl\.ya?ml$/;
const YAML_IN_TEMPLATES = /[\\/]templates[\\/](.*[\\/])?[^\\/]+\.ya?ml$/;
const YAML_TEMPLATE_TEXT = (t) => /^template:/m.test(t) && /^sections:/m.test(t);
const YAML_PATTERNS = ['**/*-tmpl.yaml', '**/*.tmpl.yaml', '**/*-tmpl.yml', '**/*.tmpl.yml',
  '**/templates/**/*.yaml', '**/templates/**/*.yml'];
// Only the names: a templates folder of other YAML (a Helm chart's) starts nothing.
const WORKSPACE_GLOBS = ['**/*-tmpl.md', '**/*.tmpl.md', '**/templates/*.md', '**/*-tmpl.yaml', '**/*.tmpl.yaml',
  '**/*-tmpl.yml', '**/*.tmpl.yml', '**/.tmpl-ls.json'];

function useful(doc) {
  if (!doc || doc.uri.scheme !== 'file') return false;
  const p = doc.uri.fsPath;
  if (doc.languageId === 'yaml') {
    return YAML_TEMPLATE_NAME.test(p) || (YAML_IN_TEMPLATES.test(p) && YAML_TEMPLATE_TEXT(doc.getText()));
  }
  if (doc.languageId !== 'markdown') return false;
  return TEMPLATE_NAME.test(p) || MARKER.test(doc.getText());
}

async function workspaceHasTemplates() {
  for (const g of WORKSPACE_GLOBS) {
    const found = await vscode.workspace.findFiles(g, '**/node_modules/**', 1);
    if (found.length) return true;
  }
  return false;
}

// The settings as the server reads them: { diagnostics, templates, matchThreshold, inlayHints, workspaceDiagnostics }.
function settings() {
  const c = vscode.workspace.getConfiguration('tmpl-ls');
  const s = { diagnostics: c.get('diagnostics') || {}, templates: c.get('templates') || {} };
  const t = c.get('matchThreshold');
  if (typeof t === 'number') s.matchThreshold = t;
  const h = c.get('inlayHints');
  if (typeof h === 'boolean') s.inlayHints = h;
  const w = c.get('workspaceDiagnostics');
  if (typeof w === 'boolean') s.workspaceDiagnostics = w;
  return s;
}

async function start(context) {
  if (client) return;
  const command = serverPath(context);
  // transport stdio: vscode-languageclient appends --stdio, which tmpl-ls accepts.
  const serverOptions = { command, args: [], transport: TransportKind.stdio };
  const clientOptions = {
    // Markdown files, and YAML ones only where templates are: other YAML is
    // never sent (and the server leaves a YAML file under templates/ that is
    // no template alone). A YAML server such as Red Hat's runs beside it.
    documentSelector: [{ scheme: 'file', language: 'markdown' }]
      .concat(YAML_PATTERNS.map((pattern) => ({ scheme: 'file', language: 'yaml', pattern }))),
    synchronize: {
      configurationSection: 'tmpl-ls',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.md'),
        vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
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
  let wanted = false;
  const want = async () => { if (!wanted) { wanted = true; await start(context); } };
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (wanted && e.affectsConfiguration('tmpl-ls.path')) { await stop(); await start(context); }
  }));
  context.subscriptions.push(vscode.commands.registerCommand('tmpl-ls.restart', async () => {
    await stop(); wanted = true; await start(context);
  }));
  if (await workspaceHasTemplates() || vscode.workspace.textDocuments.some(useful)) {
    await want();
    return;
  }
  const sub = vscode.workspace.onDidOpenTextDocument(async (doc) => {
    if (useful(doc)) { sub.dispose(); await want(); }
  });
  context.subscriptions.push(sub);
}

function deactivate() { return stop(); }

module.exports = { activate, deactivate };
