// Helpers for tests that run code in real shells.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, it } from "vitest";
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
 * Programs that do not come from Debian, with what installs them and how:
 * .ci/run installs them where that installer is. Without the installer (a
 * contributor's laptop) their suites are skipped with the hint, even under CI.
 */
export const INSTALLED_BY: Readonly<Partial<Record<string, { installer: string; of: string; how: string }>>> = {
  pwsh: { installer: "dotnet", of: "the .NET SDK", how: "`dotnet tool install --global PowerShell --version 7.6.9`, with ~/.dotnet/tools on PATH" },
};

/**
 * `describe` for tests that need some programs (a shell, tmux, shellcheck).
 * When one is missing the suite is skipped with a message locally; under CI
 * it registers a failing test instead: never a silent skip in CI (but see INSTALLED_BY).
 */
export function describeNeeding(title: string, needs: readonly string[], fn: () => void): void {
  // A command on PATH, or a file given by its absolute path.
  const missing = needs.find((need) => (path.isAbsolute(need) ? !existsSync(need) : which(need) === null));
  const source = missing === undefined ? undefined : INSTALLED_BY[path.basename(missing)];
  const noInstaller = source !== undefined && which(source.installer) === null;
  const hint = !source ? "" : noInstaller ? `; install ${source.installer} (${source.of}), then ${source.how}` : `; install it with ${source.how}`;
  if (missing === undefined) {
    describe(title, fn);
  } else if (process.env.CI === "true" && !noInstaller) {
    describe(title, () => {
      it(`${missing} must be installed under CI`, () => {
        throw new Error(`${title}: ${missing} is not installed, but it must be under CI (see .ci/run)${hint}`);
      });
    });
  } else {
    console.warn(`skipping ${title}: ${missing} is not installed${hint}`);
    describe.skip(title, fn);
  }
}

/** A suite driving a real interactive shell in tmux. */
export function describeShell(shell: ShellName, fn: (shell: ShellName) => void): void {
  describeNeeding(shell, [shellExecutable(shell) ?? shell, "tmux"], () => fn(shell));
}

/** Quotes for the shell with venvhook's own escaper for it. */
export function quoteFor(shell: ShellName, value: string): string {
  return shellAdapter(shell)!.quote(value);
}

let scratch: string | undefined;
/** A throwaway HOME for non-interactive shells (fish writes into it), removed when the test file ends. */
function scratchHome(): string {
  scratch ??= mkdtempSync(path.join(tmpdir(), "vh-scratch-home-"));
  return scratch;
}
// Registered for each test file that imports this module: vitest's workers
// end without running process "exit" handlers, which left one folder per file.
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

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
