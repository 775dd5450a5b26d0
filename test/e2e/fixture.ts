// What the end-to-end suites share: the compiled binary, real venvs made by
// Python, and a real interactive shell with venvhook's hook loaded from its rc.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { quoteFor, type ShellName } from "../support/shells.ts";
import { startShell, type RunResult, type Session } from "./driver.ts";

/** The binary under test; `npm test` builds it first. */
export const BIN = path.resolve("dist/venvhook");
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' (npm test does)`);

/** A real env, made by Python's venv module (without pip: fast, and the same layout). */
export function makeVenv(dir: string, prompt?: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  execFileSync("python3", ["-m", "venv", "--without-pip", ...(prompt ? ["--prompt", prompt] : []), dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return dir;
}

/** Per-shell spelling of the few things tests type. */
export const dialect = {
  /** Prints a variable's value, or `<unset>`. */
  get: (shell: ShellName, name: string) =>
    shell === "fish"
      ? `if set -q ${name}; printf '%s' "$${name}"; else; printf '<unset>'; end`
      : `printf '%s' "\${${name}-<unset>}"`,
  /** Prints PATH colon-joined. */
  path: (shell: ShellName) => (shell === "fish" ? "string join : -- $PATH" : `printf '%s' "$PATH"`),
  /** Prepends and appends PATH entries. */
  editPath: (shell: ShellName, before: string, after: string) =>
    shell === "fish"
      ? `set -gx PATH ${quoteFor(shell, before)} $PATH ${quoteFor(shell, after)}`
      : `export PATH=${quoteFor(shell, before)}:"$PATH":${quoteFor(shell, after)}`,
  activate: (shell: ShellName, env: string) =>
    shell === "fish"
      ? `source ${quoteFor(shell, path.join(env, "bin", "activate.fish"))}`
      : `. ${quoteFor(shell, path.join(env, "bin", "activate"))}`,
  status: (shell: ShellName) => (shell === "fish" ? "echo $status" : "echo $?"),
  /** The prompt each test shell draws, so the screen shows what venvhook adds to it. */
  prompt: { bash: "PS1='vh> '", zsh: "PS1='vh> '", fish: "function fish_prompt; printf 'vh> '; end" } as Record<ShellName, string>,
};

/** The prompt line the shell shows now (the screen's last line). */
export function promptLine(screen: string): string {
  return screen.split("\n").at(-1) ?? "";
}

export function initLine(shell: ShellName, bin = BIN): string {
  return shell === "fish" ? `${quoteFor(shell, bin)} init fish | source` : `eval "$(${quoteFor(shell, bin)} init ${shell})"`;
}

export interface World {
  shell: ShellName;
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
  const rc = [options.before ?? "", dialect.prompt[shell], options.noInit ? "" : initLine(shell), options.after ?? ""].join("\n");
  const s = await startShell({ shell, home, rc, cwd: root, env: options.env });
  const quote = (value: string) =>
    value
      .split("\t")
      .map((part) => quoteFor(shell, part))
      .join(shell === "fish" ? "\\t" : "$'\\t'");
  return {
    shell,
    root,
    home,
    s,
    get: (name) => s.run(dialect.get(shell, name)),
    path: () => s.run(dialect.path(shell)),
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
