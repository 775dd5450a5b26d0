// What the commands share: writing a result, taking a folder argument, and
// finding the env a command acts on the way the hook finds it.
import { realpathSync, writeSync } from "node:fs";
import path from "node:path";
import { mayBeUndecodable, undecodableFolder } from "../activation/undecodable.ts";
import { discover, toolContext } from "../discovery/index.ts";
import { TOOL_COMMANDS, TOOL_NAMES } from "../discovery/tools/names.ts";
import type { Found } from "../discovery/venv.ts";
import { caller, readProc } from "../doctor/hook.ts";
import { printable, UserError } from "../shared/messages.ts";

/** Whether the shell that ran this command loaded venvhook's hook: only there is an env active at once. */
export function hookLoaded(): boolean {
  return caller(process.env, process.ppid, readProc).loaded !== undefined;
}

/** Where an env that may be used now is active: said as a fact only to a shell with the hook. */
export function activeIn(name: string, root: string): string {
  const where = `in ${printable(root)} and below`;
  return hookLoaded() ? `'${printable(name)}' is active ${where}` : `'${printable(name)}' will be active ${where} in shells that load venvhook's hook ('venvhook init --help')`;
}

/** The one-line example a command's --help ends with. */
export function example(line: string): string {
  return `\nExample:\n  ${line}\n`;
}

/** A command's result, on stdout. */
export function out(text: string): void {
  writeSync(1, text);
}

/** A folder named on the command line, from the working folder; it must exist. */
export function folderArgument(dir: string, cwd: string): string {
  const folder = path.resolve(cwd, dir);
  try {
    realpathSync(folder);
  } catch {
    if (mayBeUndecodable(folder)) throw new UserError(undecodableFolder(folder));
    throw new UserError(`${printable(dir)} is not a folder that exists`);
  }
  return folder;
}

/** What discovery finds from a folder, or an error saying what to do when there is nothing. */
export async function requireFound(from: string): Promise<Found> {
  const { found, expected } = await discover(toolContext(from, process.env));
  if (found) return found;
  if (expected) {
    const tool = TOOL_NAMES[expected.tool];
    throw new UserError(`${tool} has not made the env of ${printable(expected.project)} yet; run '${TOOL_COMMANDS[expected.tool]}' there first`);
  }
  throw new UserError(`no .venv in ${printable(from)} or any folder above it; make one with 'python3 -m venv .venv'`);
}

/** The `.venv` (or pointer) path, or for a tool's env: "Poetry's env /path/to/env". */
export function shownFound(found: Found): string {
  if (found.kind === "env" && found.managed && !found.pointer) return `${TOOL_NAMES[found.managed.tool]}'s env ${printable(found.env)}`;
  return printable(found.venv);
}
