// Questions on the terminal. Never asked when input or stderr is not a
// terminal: scripts, pipes and CI get the answer `undefined`.
import { spawnSync } from "node:child_process";
import { readSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import { keysWaiting } from "./typeahead.ts";

export function canAsk(): boolean {
  return isatty(0) && isatty(2);
}

/** Shows `question` on stderr and reads one line from the terminal (trimmed, lower-cased). */
export function ask(question: string): string | undefined {
  if (!canAsk()) return undefined;
  // A hook may ask while the shell has the terminal in its own line editor's
  // mode (fish at its prompt: no echo, Enter sends CR): the answer is typed in
  // the terminal's ordinary line mode, and the shell's mode is put back after.
  const saved = stty("-g");
  if (saved) stty("icanon", "echo", "icrnl", "isig");
  try {
    writeSync(2, question);
    return readLine();
  } finally {
    if (saved) stty(saved);
  }
}

/**
 * Whether the user has typed ahead of the prompt (or it cannot be told): a
 * question asked now would take those keys. Looked at with the terminal out
 * of line mode, where a line not yet ended by Enter counts too; the keys stay
 * where they are, for the shell to read.
 */
export function typedAhead(): boolean {
  const saved = stty("-g");
  if (!saved) return true;
  stty("-icanon");
  try {
    return keysWaiting();
  } finally {
    stty(saved);
  }
}

function readLine(): string | undefined {
  const bytes: number[] = [];
  const buffer = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, 1, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      return undefined;
    }
    if (n === 0) return undefined; // end of input
    if (buffer[0] === 0x0a || buffer[0] === 0x0d) break;
    bytes.push(buffer[0]!);
  }
  return Buffer.from(bytes).toString("utf8").trim().toLowerCase();
}

/** Runs stty on the terminal (stdin); its output, or undefined where there is no stty (Windows) or it failed. */
function stty(...args: string[]): string | undefined {
  if (process.platform === "win32") return undefined;
  const result = spawnSync("stty", args, { stdio: [0, "pipe", "ignore"], encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() || "ok" : undefined;
}
