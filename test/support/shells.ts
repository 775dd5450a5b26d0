// Helpers for tests that run code in real shells.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { describe, it } from "vitest";
import { shellAdapter } from "../../src/shells/index.ts";
import { dialectOf } from "./dialects/index.ts";

export type ShellName = "bash" | "zsh" | "fish" | "nu" | "elvish" | "tcsh" | "xonsh" | "pwsh";
/** The shells every e2e suite runs in. */
export const SHELLS = ["bash", "zsh", "fish"] as const satisfies readonly ShellName[];
export type ClassicShell = (typeof SHELLS)[number];
/** The shells with their own suite of the same guarantees (test/e2e/more-shells.test.ts). */
export const MORE_SHELLS: readonly ShellName[] = ["nu", "elvish", "tcsh", "xonsh", "pwsh"];

/** The shell's executable: nushell comes from npm (its native binary, not the node wrapper), the others from PATH. */
export function shellExecutable(shell: ShellName): string | null {
  if (shell !== "nu") return which(shell);
  const exe = process.platform === "win32" ? ".exe" : "";
  try {
    return createRequire(import.meta.url).resolve(`@nushell/${process.platform}-${process.arch}/bin/nu${exe}`);
  } catch {
    return which("nu");
  }
}

/** Absolute path of an executable on `searchPath` (default: this process's PATH), or null. */
export function which(command: string, searchPath = process.env.PATH ?? ""): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * `describe` for tests that need some programs (a shell, tmux, shellcheck).
 * When one is missing the suite is skipped with a message locally; under CI
 * it registers a failing test instead: never a silent skip in CI.
 */
export function describeNeeding(title: string, needs: readonly string[], fn: () => void): void {
  // A command on PATH, or a file given by its absolute path.
  const missing = needs.find((need) => (path.isAbsolute(need) ? !existsSync(need) : which(need) === null));
  if (missing === undefined) {
    describe(title, fn);
  } else if (process.env.CI === "true") {
    describe(title, () => {
      it(`${missing} must be installed under CI`, () => {
        throw new Error(`${title}: ${missing} is not installed, but it must be under CI (see .ci/run)`);
      });
    });
  } else {
    console.warn(`skipping ${title}: ${missing} is not installed`);
    describe.skip(title, fn);
  }
}

/**
 * Tools that neither the development machine nor CI can install, with the
 * reason. Their suites run wherever the tool is, and are skipped elsewhere, CI included.
 */
export const CANNOT_INSTALL: Readonly<Partial<Record<string, string>>> = {
  pwsh: "it cannot be installed on the development machine or in CI: PowerShell's npm installer downloads it",
};

/**
 * `describe` for tests that need a tool listed in CANNOT_INSTALL (and maybe
 * others): skipped with a message when one is missing, even under CI=true,
 * since CI could not have installed it. Everything else uses describeNeeding.
 */
export function describeIfInstalled(title: string, needs: readonly string[], fn: () => void): void {
  const missing = needs.find((need) => (path.isAbsolute(need) ? !existsSync(need) : which(need) === null));
  const optional = needs.map((need) => CANNOT_INSTALL[path.basename(need)]).find((why) => why !== undefined);
  if (optional === undefined) throw new Error(`describeIfInstalled(${title}): none of ${needs.join(", ")} is in CANNOT_INSTALL; use describeNeeding`);
  if (missing !== undefined && CANNOT_INSTALL[path.basename(missing)] !== undefined) {
    console.warn(`skipping ${title}: ${missing} is not installed (${optional})`);
    describe.skip(title, fn);
  } else {
    describeNeeding(title, needs, fn);
  }
}

/** A suite driving a real interactive shell in tmux. */
export function describeShell(shell: ShellName, fn: (shell: ShellName) => void): void {
  const needs = [shellExecutable(shell) ?? shell, "tmux"];
  if (CANNOT_INSTALL[shell] !== undefined) describeIfInstalled(shell, needs, () => fn(shell));
  else describeNeeding(shell, needs, () => fn(shell));
}

/** Quotes for the shell with venvhook's own escaper for it. */
export function quoteFor(shell: ShellName, value: string): string {
  return shellAdapter(shell)!.quote(value);
}

let scratch: string | undefined;
/** A throwaway HOME for non-interactive shells (fish writes into it), removed when the tests end. */
function scratchHome(): string {
  if (!scratch) {
    const dir = mkdtempSync(path.join(tmpdir(), "vh-scratch-home-"));
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}

/** Runs a script in a non-interactive shell and returns what it printed, split on NUL. */
export function runScript(shell: ShellName, script: string, env: NodeJS.ProcessEnv = {}, { interactive = false } = {}): { values: string[]; stderr: string } {
  // -i: an interactive shell (bash, zsh, fish), where hooks install; still reading no user config.
  const result = spawnSync(shellExecutable(shell) ?? shell, [...(interactive ? ["-i"] : []), ...dialectOf(shell).script(script)], {
    env: { LANG: "C.UTF-8", LC_ALL: "C.UTF-8", HOME: scratchHome(), PATH: process.env.PATH, ...env },
    // stdin not a socket: Debian's bash reads ~/.bashrc when it thinks sshd started it.
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${shell} exited ${result.status}: ${result.stderr}`);
  return { values: result.stdout.split("\0").slice(0, -1), stderr: result.stderr };
}
