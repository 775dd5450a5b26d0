// The hook as a file (`venvhook init <shell> --write`): an rc line that loads
// it starts a shell without running venvhook, where `eval "$(venvhook init
// bash)"` runs it once per shell. The file holds exactly what `init` prints.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { replaceFile } from "../shared/atomic.ts";
import { hookDir } from "../shared/paths.ts";
import type { ShellAdapter } from "./adapter.ts";
import { initText } from "./init-text.ts";

export function hookFile(shell: ShellAdapter): string {
  return path.join(hookDir(), shell.file);
}

/** Writes the shell's hook file; the rc line that loads it. */
export function writeHook(shell: ShellAdapter): string {
  const file = hookFile(shell);
  // Code the shell runs at each start: its folders and the file writable by the user only, whatever the umask.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  replaceFile(file, initText(shell), 0o644);
  return loadLine(shell);
}

export function loadLine(shell: ShellAdapter): string {
  return shell.load(shell.quote(hookFile(shell)));
}

/** Whether the shell's hook file is missing, current, or not what this venvhook would write (written by another version or binary). */
export function hookFileState(shell: ShellAdapter): "missing" | "current" | "stale" {
  let text: string;
  try {
    text = readFileSync(hookFile(shell), "utf8");
  } catch {
    return "missing";
  }
  return text === initText(shell) ? "current" : "stale";
}
