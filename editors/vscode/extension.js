'use strict';
// Fixpoint for VS Code: one `fixpoint serve` per workspace folder, spoken to through ./jsonrpc.js
// (no npm dependencies). Commands: fix, cancel, accept, reject, show log. The finished run's files
// open in VS Code's diff view (vscode.diff) before anything is written; accepting asks the server
// to write them (fixpoint.applyFix: all files or none).
const vscode = require('vscode');
const { spawn } = require('child_process');
const { Connection } = require('./jsonrpc');

const servers = new Map(); // folder path -> Promise<Connection>
const proposed = new Map(); // "fixpoint:/run-1/before/path" -> text
let output;
let current = null; // { connection, runId, state, diff }

function settings() {
  const c = vscode.workspace.getConfiguration('fixpoint');
  const options = { previewEdits: true, maxSteps: c.get('maxSteps') };
  for (const key of ['modelUrl', 'model', 'testCommand']) if (c.get(key)) options[key] = c.get(key);
  return { command: c.get('command'), options };
}

function stepLine(step) {
  if (step.kind === 'run_end') return `[${step.runId}] end ${step.outcome}: ${step.summary}`;
  return `[${step.runId}] ${step.step}/${step.maxSteps} ${step.kind}${step.tool ? ' ' + step.tool : ''}: ${step.summary}`;
}

function start(folder) {
  const { command, options } = settings();
  const child = spawn(command[0], command.slice(1), { cwd: folder.uri.fsPath, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk) => output.append(chunk.toString()));
  child.on('exit', (code) => {
    output.appendLine(`fixpoint serve exited (${code})`);
    servers.delete(folder.uri.fsPath);
  });
  const connection = new Connection(child.stdout, child.stdin, {
    // With previewEdits the only server request is window/workDoneProgress/create: accept any token.
    onRequest: () => null,
    onNotification: (method, params) => {
      if (method === 'fixpoint/step') output.appendLine(stepLine(params));
      else if (method === '$/progress' && current && current.report) current.report(params.value);
      else if (method === 'window/showMessage') vscode.window.showInformationMessage(`Fixpoint: ${params.message}`);
      else if (method === 'window/logMessage') output.appendLine(params.message);
    },
    onError: (error) => output.appendLine(`protocol error: ${error.message}`),
  });
  return connection
    .request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'vscode-fixpoint' },
      rootUri: folder.uri.toString(),
      workspaceFolders: [{ uri: folder.uri.toString(), name: folder.name }],
      capabilities: { window: { workDoneProgress: true } },
      initializationOptions: options,
    })
    .then(() => {
      connection.notify('initialized', {});
      return connection;
    });
}

function serverFor(folder) {
  if (!servers.has(folder.uri.fsPath)) servers.set(folder.uri.fsPath, start(folder));
  return servers.get(folder.uri.fsPath);
}

function execute(connection, command, argument) {
  return connection.request('workspace/executeCommand', { command, arguments: [argument || {}] });
}

function issueAtCursor(editor) {
  if (!editor) return '';
  if (!editor.selection.isEmpty) return editor.document.getText(editor.selection);
  const at = vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.range.contains(editor.selection.active));
  return at ? `${vscode.workspace.asRelativePath(editor.document.uri)}:${at.range.start.line + 1}: ${at.message}` : '';
}

async function fix() {
  const editor = vscode.window.activeTextEditor;
  const folder = (editor && vscode.workspace.getWorkspaceFolder(editor.document.uri)) || (vscode.workspace.workspaceFolders || [])[0];
  if (!folder) return vscode.window.showErrorMessage('Fixpoint: open a folder first');
  if (current && current.state === 'running') return vscode.window.showWarningMessage('Fixpoint: a run is in progress');
  const issue = await vscode.window.showInputBox({ prompt: 'What should Fixpoint fix?', value: issueAtCursor(editor) });
  if (!issue) return;
  const connection = await serverFor(folder);
  const run = { connection, state: 'running' };
  current = run;
  // The progress notification lasts for the run; the diff and the Accept / Reject question come after.
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Fixpoint', cancellable: true },
    async (progress, token) => {
      let last = 0;
      run.report = (value) => {
        const increment = value.percentage !== undefined ? value.percentage - last : undefined;
        if (value.percentage !== undefined) last = value.percentage;
        progress.report({ message: value.message, increment });
      };
      token.onCancellationRequested(() => execute(connection, 'fixpoint.cancel', {}).catch(() => {}));
      try {
        return await execute(connection, 'fixpoint.fixIssue', { issue, uri: editor ? editor.document.uri.toString() : undefined });
      } catch (error) {
        run.state = error.code === -32800 ? 'cancelled' : 'failed';
        vscode.window.showInformationMessage(error.code === -32800 ? 'Fixpoint: cancelled; nothing was changed' : `Fixpoint: ${error.message}`);
        return null;
      }
    },
  );
  if (!report) return;
  if (!report.patch) {
    run.state = 'done';
    return vscode.window.showWarningMessage(`Fixpoint: ${report.status} (${report.error || report.end_reason})`);
  }
  await preview(run);
}

async function preview(run) {
  const diff = await execute(run.connection, 'fixpoint.proposedDiff', {});
  run.diff = diff;
  run.runId = diff.runId;
  run.state = 'preview';
  for (const file of diff.files) {
    const before = vscode.Uri.parse(`fixpoint:/${diff.runId}/before/${file.path}`);
    const after = vscode.Uri.parse(`fixpoint:/${diff.runId}/after/${file.path}`);
    proposed.set(before.toString(), file.before || '');
    proposed.set(after.toString(), file.after || '');
    await vscode.commands.executeCommand('vscode.diff', before, after, `Fixpoint ${diff.runId}: ${file.path}`);
  }
  const choice = await vscode.window.showInformationMessage(`Fixpoint ${diff.runId}: ${diff.summary}`, 'Accept', 'Reject');
  if (choice === 'Accept') await accept();
  else if (choice === 'Reject') reject();
}

async function accept() {
  if (!current || current.state !== 'preview') return vscode.window.showWarningMessage('Fixpoint: no fix to accept');
  try {
    const result = await execute(current.connection, 'fixpoint.applyFix', { runId: current.runId });
    current.state = 'applied';
    vscode.window.showInformationMessage(`Fixpoint ${current.runId}: applied to ${result.applied.join(', ')}`);
  } catch (error) {
    vscode.window.showErrorMessage(`Fixpoint: not applied: ${error.message}`);
  }
}

function reject() {
  if (!current || current.state !== 'preview') return vscode.window.showWarningMessage('Fixpoint: no fix to reject');
  current.state = 'rejected';
  vscode.window.showInformationMessage(`Fixpoint ${current.runId}: rejected; nothing was written`);
}

async function cancel() {
  if (!current || current.state !== 'running') return vscode.window.showWarningMessage('Fixpoint: no run in progress');
  await execute(current.connection, 'fixpoint.cancel', {});
}

function activate(context) {
  output = vscode.window.createOutputChannel('Fixpoint');
  context.subscriptions.push(
    output,
    vscode.workspace.registerTextDocumentContentProvider('fixpoint', { provideTextDocumentContent: (uri) => proposed.get(uri.toString()) || '' }),
    vscode.commands.registerCommand('fixpoint.fix', fix),
    vscode.commands.registerCommand('fixpoint.cancel', cancel),
    vscode.commands.registerCommand('fixpoint.accept', accept),
    vscode.commands.registerCommand('fixpoint.reject', reject),
    vscode.commands.registerCommand('fixpoint.showLog', () => output.show(true)),
  );
}

async function deactivate() {
  for (const pending of servers.values()) {
    const connection = await pending.catch(() => null);
    if (!connection) continue;
    await connection.request('shutdown').catch(() => {});
    connection.notify('exit');
  }
}

module.exports = { activate, deactivate };
