// The ICP extension's client: starts `icp lsp` (icpdsl.server.path + icpdsl.server.args)
// for .icp files and passes the icpdsl.* settings to it.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverSettings() {
  const config = vscode.workspace.getConfiguration("icpdsl");
  return {
    sample: config.get("sample") || null,
    sampleLimit: config.get("sampleLimit"),
    schema: config.get("schema") || null,
    asOf: config.get("asOf") || null,
  };
}

function start() {
  const config = vscode.workspace.getConfiguration("icpdsl");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? "";
  const command = (config.get("server.path") || "icp").replace("${workspaceFolder}", folder);
  const args = config.get("server.args") || ["lsp"];
  // TransportKind.stdio: the client adds --stdio, which `icp lsp` accepts.
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "icp" },
      { scheme: "untitled", language: "icp" },
    ],
    initializationOptions: { icpdsl: serverSettings() },
    synchronize: {
      configurationSection: "icpdsl",
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.icp,pyproject.toml}"),
    },
  };
  client = new LanguageClient("icpdsl", "ICP language server", serverOptions, clientOptions);
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `Could not start \`${command} ${args.join(" ")}\`: ${error.message}. ` +
        "Install it with pip install 'icpdsl[lsp]', or set icpdsl.server.path " +
        "(e.g. to .venv/bin/icp).",
    );
  });
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("icpdsl.restartServer", async () => {
      if (client) {
        await client.stop();
      }
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("icpdsl.server")) {
        await vscode.commands.executeCommand("icpdsl.restartServer");
      }
    }),
  );
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
