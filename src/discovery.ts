// Finds the `.venv` that applies to a folder: the nearest one from the folder
// up to the root. Everything read here is untrusted; a broken `.venv` is
// reported, never activated, and it still wins over envs further up so a
// project never silently picks up its parent's env.
import type { Stats } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { lstatOrUndefined, readHead, statOrUndefined } from "./fs-quiet.ts";
import { printable } from "./messages.ts";
import { parsePyvenvCfg, type PyvenvConfig } from "./pyvenv.ts";
import { badLabel, labelPath } from "./store.ts";

export interface Pointer {
  /** The first line of the pointer file, trimmed. */
  text: string;
  /** Where it points, resolved against the file's own folder. */
  target: string;
}

export type Found =
  | { kind: "env"; venv: string; env: string; config: PyvenvConfig; pointer?: Pointer }
  | { kind: "broken"; venv: string; problem: string; pointer?: Pointer };

const POINTER_READ_LIMIT = 4096;
const CFG_READ_LIMIT = 64 * 1024;

export function findVenv(start: string): Found | undefined {
  let dir = start;
  for (;;) {
    const venv = path.join(dir, ".venv");
    const stats = statOrUndefined(venv);
    if (stats) return inspect(venv, stats);
    if (lstatOrUndefined(venv)?.isSymbolicLink()) return { kind: "broken", venv, problem: "it is a symbolic link to nothing" };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function inspect(venv: string, stats: Stats): Found {
  if (stats.isDirectory()) {
    const config = readConfig(venv);
    return config
      ? { kind: "env", venv, env: venv, config }
      : { kind: "broken", venv, problem: "it is a folder without pyvenv.cfg, so not an environment" };
  }
  if (!stats.isFile()) return { kind: "broken", venv, problem: "it is neither a folder nor a file" };
  const text = readHead(venv, POINTER_READ_LIMIT);
  if (text === undefined) return { kind: "broken", venv, problem: "the pointer file cannot be read" };
  const line = firstLine(text);
  if (!line) return { kind: "broken", venv, problem: "the pointer file is empty" };
  if (line.includes("\0")) return { kind: "broken", venv, problem: "the pointer file is not a path" };
  const target = pointerTarget(path.dirname(venv), line);
  const pointer = { text: line, target: target.path };
  return "config" in target
    ? { kind: "env", venv, env: target.path, config: target.config, pointer }
    : { kind: "broken", venv, pointer, problem: target.problem };
}

export type PointerTarget = { path: string; config: PyvenvConfig } | { path: string; problem: string };

/** Where a pointer's text leads from the pointer's folder: an env, or why not. */
export function pointerTarget(folder: string, text: string): PointerTarget {
  if (!isPathLike(text)) return byName(folder, text);
  const target = resolvePointer(folder, text);
  const stats = statOrUndefined(target);
  if (!stats) return { path: target, problem: "it points to a folder that does not exist" };
  const config = stats.isDirectory() ? readConfig(target) : undefined;
  return config ? { path: target, config } : { path: target, problem: "it points to a folder without pyvenv.cfg" };
}

/**
 * What a pointer holding a name (no separator, not starting with `.` or `~`)
 * means, as virtualfish and zsh-autoswitch-virtualenv write them: this
 * project's env with that label in venvhook's store, else $WORKON_HOME, else ~/.virtualenvs.
 */
function byName(folder: string, name: string): PointerTarget {
  const bad = badLabel(name);
  if (bad) return { path: name, problem: `it names an env, but ${bad}` };
  const workon = process.env.WORKON_HOME;
  const places = [labelPath(folder, name), ...(workon ? [path.join(workon, name)] : []), path.join(homedir(), ".virtualenvs", name)];
  for (const place of places) {
    const config = statOrUndefined(place)?.isDirectory() ? readConfig(place) : undefined;
    if (config) return { path: place, config };
  }
  return { path: places[0]!, problem: `no env named '${printable(name)}' in venvhook's store, $WORKON_HOME or ~/.virtualenvs` };
}

/** A pointer's text is a path when it has a separator or starts with `.` or `~`; otherwise a name. */
export function isPathLike(text: string): boolean {
  return text.includes("/") || text.includes(path.sep) || text.startsWith(".") || text.startsWith("~");
}

/** The folder an env's executables are in: what goes on PATH. */
export function binDir(env: string): string {
  return path.join(env, "bin");
}

/** The name shown as `(name)`: pyvenv.cfg's prompt, else the project folder for a `.venv`, else the env folder. */
export function envName(env: string, config: PyvenvConfig): string {
  if (config.prompt) return config.prompt;
  const base = path.basename(env);
  return base === ".venv" ? path.basename(path.dirname(env)) : base;
}

function firstLine(text: string): string {
  const withoutBom = text.startsWith("\uFEFF") ? text.slice(1) : text;
  return withoutBom.split(/\r?\n/, 1)[0]!.trim();
}

/** `~` is the home folder; anything else is relative to the pointer's folder. */
export function resolvePointer(folder: string, text: string): string {
  if (text === "~" || text.startsWith("~/")) return path.join(homedir(), text.slice(1));
  return path.resolve(folder, text);
}

function readConfig(env: string): PyvenvConfig | undefined {
  const cfg = path.join(env, "pyvenv.cfg");
  const stats = statOrUndefined(cfg);
  if (!stats?.isFile()) return undefined;
  return parsePyvenvCfg(readHead(cfg, CFG_READ_LIMIT) ?? "");
}




/** The shell's logical working folder when it is the real one, so names follow the user's view. */
export function workingFolder(env: NodeJS.ProcessEnv = process.env): string {
  const cwd = process.cwd();
  const pwd = env.PWD;
  if (pwd && path.isAbsolute(pwd) && pwd !== cwd) {
    const a = statOrUndefined(pwd);
    const b = statOrUndefined(cwd);
    if (a && b && a.dev === b.dev && a.ino === b.ino) return pwd;
  }
  return cwd;
}
