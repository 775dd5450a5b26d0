// What the end-to-end suites share: the compiled binary, real venvs made by
// Python, and a real interactive shell with venvhook's hook loaded from its rc.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Dialect } from "../support/dialect.ts";
import { dialectOf } from "../support/dialects/index.ts";
import type { ShellName } from "../support/shells.ts";
import { startShell, type RunResult, type Session } from "./driver.ts";

/** The binary under test; `npm test` builds it first. */
export const BIN = path.resolve("dist/venvhook");
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' (npm test does)`);

/** The binary run directly in `cwd` (no shell, no terminal) with exactly `env`: its status and both outputs. */
export function runBinary(cwd: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(BIN, args, { cwd, env: { ...env, PWD: cwd }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What `create --backend auto` uses here (no uv on this machine): virtualenv where it is installed, else venv. */
export const AUTO_BACKEND =
  spawnSync("python3", ["-c", "import virtualenv"], { stdio: "ignore" }).status === 0 || spawnSync("sh", ["-c", "command -v virtualenv"], { stdio: "ignore" }).status === 0
    ? "virtualenv"
    : "venv";

/** A real env, made by Python's venv module (without pip: fast, and the same layout). */
export function makeVenv(dir: string, prompt?: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  execFileSync("python3", ["-m", "venv", "--without-pip", ...(prompt ? ["--prompt", prompt] : []), dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return dir;
}

/** A stand-in for the binary: runs `body`, with "$@" the arguments. */
export function fakeBinary(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Every file or folder named PWNED* under the given folders (symbolic links are not followed). */
export function pwned(...roots: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.name.startsWith("PWNED")) found.push(file);
      if (entry.isDirectory()) walk(file);
    }
  };
  for (const root of roots) walk(root);
  return found;
}

/** The prompt line the shell shows now (the screen's last line). */
export function promptLine(screen: string): string {
  return screen.split("\n").at(-1) ?? "";
}

export function initLine(shell: ShellName, bin = BIN): string {
  return dialectOf(shell).initLine(bin);
}

export interface World {
  shell: ShellName;
  /** How to spell things in this shell. */
  d: Dialect;
  /** A fresh folder (real path) for projects and envs. */
  root: string;
  home: string;
  s: Session;
  /** Prints a variable's value in the shell, or `<unset>`. */
  get(name: string): Promise<string>;
  /** PATH in the shell, colon-joined. */
  path(): Promise<string>;
  cd(dir: string): Promise<RunResult>;
  /** Quotes for the shell, with tabs as escapes: a tab typed at the line editor would complete. */
  quote(value: string): string;
  /**
   * What venvhook printed during a step: zsh and fish hook cd itself (its
   * stderr), bash the prompt (the screen). Waits for `expected` if given.
   */
  said(step: () => Promise<unknown>, expected?: string): Promise<string>;
  /** The binary, run directly with the shell's data folder (not through the shell). */
  venvhook(...args: string[]): { status: number | null; stdout: string; stderr: string };
  close(): Promise<void>;
}

export interface WorldOptions {
  /** rc text before the prompt and the init line. */
  before?: string;
  /** rc text after the init line. */
  after?: string;
  /** Leave the init line out (the test loads the hook itself). */
  noInit?: boolean;
  env?: Record<string, string>;
  /** Make folders under root before the shell starts. */
  setup?: (root: string) => void;
}

export async function openWorld(shell: ShellName, options: WorldOptions = {}): Promise<World> {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), `vh-world-${shell}-`)));
  const root = path.join(base, "work");
  const home = path.join(base, "home");
  mkdirSync(root);
  mkdirSync(home);
  options.setup?.(root);
  const d = dialectOf(shell);
  const rc = [options.before ?? "", d.prompt, options.noInit ? "" : d.initLine(BIN), options.after ?? ""].join("\n");
  const s = await startShell({ shell, home, rc, cwd: root, env: options.env });
  const quote = d.typed;
  return {
    shell,
    d,
    root,
    home,
    s,
    get: (name) => s.run(d.get(name)),
    path: () => s.run(d.path()),
    cd: (dir) => s.runWithStatus(`cd ${quote(dir)}`),
    quote,
    said: async (step, expected) => {
      const mark = s.mark();
      const result = await step();
      const stderr = typeof result === "object" && result && "stderr" in result ? String(result.stderr) : "";
      const text = (screen: string) => `${stderr}\n${screen}`;
      if (expected !== undefined && !text(s.screen({ since: mark })).includes(expected)) {
        await s.waitFor((screen) => text(screen).includes(expected), { since: mark, timeoutMs: 3000 });
      }
      return text(s.screen({ since: mark }));
    },
    venvhook: (...args) => {
      const result = spawnSync(BIN, args, {
        cwd: root,
        env: { ...s.env },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    close: async () => {
      await s.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
