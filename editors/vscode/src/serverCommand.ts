// Where the language server's executable is found, in this order:
//   1. the setting `inkslop.server.path`, if it is not empty (`~` and
//      `${workspaceFolder}` expanded; a bare name is looked up on PATH);
//   2. `inkslop` on PATH.
// No `vscode` import here, so that it is tested with plain node (test/unit).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface ServerSettings {
  path: string;
  args: string[];
}

export interface ServerCommand {
  command: string;
  args: string[];
  source: "setting" | "PATH";
}

export class ServerNotFound extends Error {}

export function findServer(
  settings: ServerSettings,
  env: NodeJS.ProcessEnv = process.env,
  workspaceFolder?: string,
  platform: NodeJS.Platform = process.platform,
): ServerCommand {
  const configured = settings.path.trim();
  if (configured) {
    const expanded = expand(configured, workspaceFolder);
    const found = isBareName(expanded) ? onPath(expanded, env, platform) : executable(expanded, platform);
    if (!found) {
      throw new ServerNotFound(`The setting inkslop.server.path names "${configured}", which is not an executable file.`);
    }
    return { command: found, args: settings.args, source: "setting" };
  }
  const found = onPath("inkslop", env, platform);
  if (!found) {
    throw new ServerNotFound(
      "`inkslop` is not on PATH. Install it (pip install inkslop) or set inkslop.server.path to its executable.",
    );
  }
  return { command: found, args: settings.args, source: "PATH" };
}

function expand(value: string, workspaceFolder?: string): string {
  let result = value;
  if (result === "~" || result.startsWith("~/") || result.startsWith("~\\")) {
    result = path.join(os.homedir(), result.slice(1));
  }
  if (workspaceFolder) {
    result = result.split("${workspaceFolder}").join(workspaceFolder);
  }
  return result;
}

function isBareName(value: string): boolean {
  return !value.includes("/") && !value.includes("\\");
}

function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const separator = platform === "win32" ? ";" : ":";
  const directories = (env.PATH ?? env.Path ?? "").split(separator).filter(Boolean);
  for (const directory of directories) {
    const found = executable(path.join(directory, name), platform);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function executable(file: string, platform: NodeJS.Platform): string | undefined {
  const candidates = platform === "win32" ? [file, `${file}.exe`, `${file}.cmd`, `${file}.bat`] : [file];
  for (const candidate of candidates) {
    try {
      if (!fs.statSync(candidate).isFile()) {
        continue;
      }
      if (platform !== "win32") {
        fs.accessSync(candidate, fs.constants.X_OK);
      }
      return candidate;
    } catch {
      // not there, or not executable: try the next one
    }
  }
  return undefined;
}
