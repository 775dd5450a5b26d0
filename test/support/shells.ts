// Helpers for tests that run code in real shells.
import { execFileSync, spawnSync } from "node:child_process";

export type ShellName = "bash" | "zsh" | "fish";

export function installed(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/**
 * Whether to run a shell's tests. A shell that is not installed is skipped with
 * a message locally; under CI it is a failure, never a silent skip.
 */
export function shellForTests(name: ShellName): boolean {
  if (installed(name)) return true;
  if (process.env.CI === "true") throw new Error(`${name} must be installed under CI (see .ci/run)`);
  console.warn(`skipping ${name} tests: ${name} is not installed`);
  return false;
}

/** Runs a script in a non-interactive shell and returns what it printed, split on NUL. */
export function runScript(shell: ShellName, script: string, env: NodeJS.ProcessEnv = {}): { values: string[]; stderr: string } {
  const result = spawnSync(shell, shell === "fish" ? ["--no-config", "-c", script] : ["-f", "-c", script], {
    env: { LANG: "C.UTF-8", LC_ALL: "C.UTF-8", HOME: "/nonexistent", PATH: process.env.PATH, ...env },
    // stdin not a socket: Debian's bash reads ~/.bashrc when it thinks sshd started it.
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${shell} exited ${result.status}: ${result.stderr}`);
  return { values: result.stdout.split("\0").slice(0, -1), stderr: result.stderr };
}

export function which(command: string): string {
  return execFileSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).trim();
}
