// The InkSlop extension: starts `inkslop lsp` for .inkslop files, logs it in the output
// channel "InkSlop Language Server", restarts it on command or when its settings change.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { findServer, ServerNotFound } from "./serverCommand";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("InkSlop Language Server");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("inkslop.restartServer", () => restart()),
    vscode.commands.registerCommand("inkslop.showServerLog", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("inkslop.server")) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration("inkslop");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let server;
  try {
    server = findServer(
      { path: config.get<string>("server.path", ""), args: config.get<string[]>("server.args", ["lsp"]) },
      process.env,
      folder,
    );
  } catch (error) {
    if (!(error instanceof ServerNotFound)) {
      throw error;
    }
    output.appendLine(error.message);
    const choice = await vscode.window.showErrorMessage(`InkSlop: ${error.message}`, "Open Settings", "Show Log");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "inkslop.server.path");
    } else if (choice === "Show Log") {
      output.show(true);
    }
    return;
  }
  output.appendLine(`Starting ${server.command} ${server.args.join(" ")} (found by ${server.source})`);
  const serverOptions: ServerOptions = { command: server.command, args: server.args, options: { cwd: folder } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "inkslop" },
      { scheme: "untitled", language: "inkslop" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{inkslop.toml,.inkslop.toml,pyproject.toml}"),
    },
  };
  client = new LanguageClient("inkslop", "InkSlop Language Server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The language server did not start: ${String(error)}`);
    output.show(true);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.appendLine(`Stopping the language server: ${String(error)}`);
    }
  }
}

async function restart(): Promise<void> {
  output.appendLine("Restarting the language server.");
  await stop();
  await start();
}
