// A `.venv` in a folder, folder or pointer file, and what it leads to; the
// nearest one from a folder up (findVenv). Which env applies, tools' envs
// included, is discover()'s answer (./index.ts). Everything read here is
// untrusted; a broken `.venv` is reported, never activated, and it still wins
// over envs further up so a project never silently picks up its parent's env.
import type { Stats } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { lstatOrUndefined, readHead, realpathOrUndefined, statOrUndefined } from "../shared/fs-quiet.ts";
import { printable, shownName } from "../shared/messages.ts";
import { host, type Platform } from "../activation/platform.ts";
import { parsePyvenvCfg, type PyvenvConfig } from "./pyvenv.ts";
import { badLabel, labelPath } from "../store/central.ts";
import type { Tool } from "./tools/names.ts";

type FileKind = Pick<Stats, "isDirectory" | "isFile" | "isSymbolicLink">;

/** What discovery looks with. Injectable, so the Windows rules run in tests anywhere. */
export interface Surroundings {
  platform: Platform;
  stat(file: string): FileKind | undefined;
  lstat(file: string): FileKind | undefined;
  readHead(file: string, limit: number): string | undefined;
  home: string;
  workonHome: string | undefined;
  /** This project's env with a label in venvhook's store. */
  storeEnv(folder: string, label: string): string;
  /** A folder's real path: relative pointers are anchored there, not at the path the user came in by. */
  realpath?(file: string): string | undefined;
}

/** This machine, this process. */
export function here(): Surroundings {
  return {
    platform: host,
    stat: statOrUndefined,
    lstat: lstatOrUndefined,
    readHead,
    home: homedir(),
    workonHome: process.env.WORKON_HOME || undefined,
    storeEnv: labelPath,
    realpath: realpathOrUndefined,
  };
}

export interface Pointer {
  /** The first line of the pointer file, trimmed. */
  text: string;
  /** Where it points, resolved against the file's own folder. */
  target: string;
}

/** How a tool-managed env was found, for status and notices. */
export interface Managed {
  tool: Tool;
  /** The project's root folder, as the tool finds it. */
  project: string;
  /** The rule that led there, in words: "{virtualenvs.path}/{name}-{hash}-py{X.Y}, …". */
  rule: string;
}

/**
 * What applies to a folder. `venv` is the file or folder that says so: the
 * `.venv`, a file a tool keeps (PDM's `.pdm-python`, trusted like a pointer),
 * or, for an env a tool computes, the env itself.
 */
export type Found =
  | { kind: "env"; venv: string; env: string; config: PyvenvConfig; pointer?: Pointer; managed?: Managed }
  | { kind: "broken"; venv: string; problem: string; pointer?: Pointer };

/** The project folder an env was found for: the tool's project, or the folder holding the `.venv`. */
export function projectFolder(found: Found, platform: Platform = host): string {
  return (found.kind === "env" && found.managed?.project) || platform.path.dirname(found.venv);
}

const POINTER_READ_LIMIT = 4096;
const CFG_READ_LIMIT = 64 * 1024;

/**
 * The pointer file a hook may watch at each prompt, for an edit (`venvhook
 * use` in another shell): the file that led to what was found, when it is a
 * regular file no larger than discovery reads of it. A larger one (a planted
 * `.venv` of a gigabyte with no line break) would be read whole at every
 * prompt by a hook that cannot bound its read (elvish's).
 */
export function watchablePointer(found: Found | undefined): string | undefined {
  if (!found || (!found.pointer && found.kind !== "broken")) return undefined;
  const stats = statOrUndefined(found.venv);
  return stats?.isFile() && stats.size <= POINTER_READ_LIMIT ? found.venv : undefined;
}

/** The nearest `.venv` (folder or pointer) from `start` up. */
export function findVenv(start: string, s: Surroundings = here()): Found | undefined {
  for (const dir of upFrom(start, s.platform)) {
    const found = venvIn(dir, s);
    if (found) return found;
  }
  return undefined;
}

/** A folder and its parents, up to the root. */
export function* upFrom(start: string, platform: Platform = host): Generator<string> {
  for (let dir = start; ; dir = platform.path.dirname(dir)) {
    yield dir;
    if (platform.path.dirname(dir) === dir) return;
  }
}

/** The `.venv` in this folder, if there is one. */
export function venvIn(dir: string, s: Surroundings): Found | undefined {
  const venv = s.platform.path.join(dir, ".venv");
  // One lstat answers for the usual folder with no `.venv`; only a link needs a stat too.
  const link = s.lstat(venv);
  if (!link) return undefined;
  const stats = link.isSymbolicLink() ? s.stat(venv) : link;
  if (stats) return inspect(venv, stats, s);
  return { kind: "broken", venv, problem: "it is a symbolic link to nothing" };
}

function inspect(venv: string, stats: FileKind, s: Surroundings): Found {
  if (stats.isDirectory()) {
    const config = readConfig(venv, s);
    return config
      ? { kind: "env", venv, env: venv, config }
      : { kind: "broken", venv, problem: "it is a folder without pyvenv.cfg, so not an environment" };
  }
  if (!stats.isFile()) return { kind: "broken", venv, problem: "it is neither a folder nor a file" };
  const text = s.readHead(venv, POINTER_READ_LIMIT);
  if (text === undefined) return { kind: "broken", venv, problem: "the pointer file cannot be read" };
  const line = firstLine(text);
  if (!line) return { kind: "broken", venv, problem: "the pointer file is empty" };
  if (line.includes("\0")) return { kind: "broken", venv, problem: "the pointer file is not a path" };
  const target = pointerTarget(s.platform.path.dirname(venv), line, s);
  const pointer = { text: line, target: target.path };
  return "config" in target
    ? { kind: "env", venv, env: target.path, config: target.config, pointer }
    : { kind: "broken", venv, pointer, problem: target.problem };
}

export type PointerTarget = { path: string; config: PyvenvConfig } | { path: string; problem: string };

/** Where a pointer's text leads from the pointer's folder: an env, or why not. */
export function pointerTarget(folder: string, text: string, s: Surroundings = here()): PointerTarget {
  if (!isPathLike(text, s.platform)) return byName(folder, text, s);
  const target = resolvePointer(s.realpath?.(folder) ?? folder, text, s);
  const stats = s.stat(target);
  if (!stats) return { path: target, problem: "it points to a folder that does not exist" };
  const config = stats.isDirectory() ? readConfig(target, s) : undefined;
  return config ? { path: target, config } : { path: target, problem: "it points to a folder without pyvenv.cfg" };
}

/**
 * What a pointer holding a name (no separator, not starting with `.` or `~`)
 * means, as virtualfish and zsh-autoswitch-virtualenv write them: this
 * project's env with that label in venvhook's store, else $WORKON_HOME, else ~/.virtualenvs.
 */
function byName(folder: string, name: string, s: Surroundings): PointerTarget {
  const bad = badLabel(name);
  if (bad) return { path: name, problem: `it names an env, but ${bad}` };
  const { path } = s.platform;
  const places = [s.storeEnv(folder, name), ...(s.workonHome ? [path.join(s.workonHome, name)] : []), path.join(s.home, ".virtualenvs", name)];
  for (const place of places) {
    const config = s.stat(place)?.isDirectory() ? readConfig(place, s) : undefined;
    if (config) return { path: place, config };
  }
  return { path: places[0]!, problem: `no env named '${printable(name)}' in venvhook's store, $WORKON_HOME or ~/.virtualenvs` };
}

/** A pointer's text is a path when it has a separator or starts with `.` or `~` (or a drive, on Windows); otherwise a name. */
export function isPathLike(text: string, platform: Platform = host): boolean {
  return (
    text.includes("/") ||
    text.includes(platform.path.sep) ||
    text.startsWith(".") ||
    text.startsWith("~") ||
    (platform.path === path.win32 && /^[A-Za-z]:/.test(text))
  );
}

/** The folder an env's executables are in: what goes on PATH. */
export function binDir(env: string, platform: Platform = host): string {
  return platform.path.join(env, platform.bin);
}

/**
 * The name shown as `(name)` and exported in VIRTUAL_ENV_PROMPT: pyvenv.cfg's
 * prompt, else the project folder for a `.venv`, else the env folder; with
 * control characters escaped and cut short, since it goes into every prompt.
 */
export function envName(env: string, config: PyvenvConfig, platform: Platform = host): string {
  if (config.prompt) return shownName(config.prompt);
  const base = platform.path.basename(env);
  return shownName(base === ".venv" ? platform.path.basename(platform.path.dirname(env)) : base);
}

/** The line a pointer file says, as discovery reads it. */
export function firstLine(text: string): string {
  const withoutBom = text.startsWith("\uFEFF") ? text.slice(1) : text;
  return withoutBom.split(/\r?\n/, 1)[0]!.trim();
}

/** `~` is the home folder; anything else is relative to the pointer's folder. */
export function resolvePointer(folder: string, text: string, s: Surroundings = here()): string {
  const { path } = s.platform;
  if (text === "~" || text.startsWith("~/") || text.startsWith(`~${path.sep}`)) return path.join(s.home, text.slice(1));
  return path.resolve(folder, text);
}

/** An env's pyvenv.cfg, or undefined when the folder is not an env. */
export function readConfig(env: string, s: Surroundings = here()): PyvenvConfig | undefined {
  const cfg = s.platform.path.join(env, "pyvenv.cfg");
  if (!s.stat(cfg)?.isFile()) return undefined;
  return parsePyvenvCfg(s.readHead(cfg, CFG_READ_LIMIT) ?? "");
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
