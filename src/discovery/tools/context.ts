// What every tool rule reads with: the file system (through discovery's
// Surroundings, so tests can fake it), the environment variables, which OS's
// folder conventions apply, and a TOML reader. Files a project carries are
// untrusted: TOML is parsed as data, values are type-checked before use, and a
// malformed file becomes one notice, never an exception.
import type { Env } from "../../activation/plan.ts";
import { readConfig, type Surroundings } from "../venv.ts";
import { printable, shownPath, type Notice } from "../../shared/messages.ts";
import type { PyvenvConfig } from "../pyvenv.ts";

export type Table = Record<string, unknown>;

/** An env a tool's rule leads to; `pointer` when a file the project carries names it (trusted like a `.venv` pointer). */
export interface ToolEnv {
  env: string;
  config: PyvenvConfig;
  rule: string;
  pointer?: { file: string; text: string };
}

/** What a rule says about a folder: its env, "no env" (the tool's project, whose env is not made yet), or nothing (not its project). */
export type Outcome = ToolEnv | "no env" | undefined;

export interface ToolContext {
  s: Surroundings;
  /** Whose folder conventions (platformdirs) apply. */
  os: "linux" | "darwin" | "win32";
  vars: Env;
  /** The folder the walk started from: Pipenv counts its search depth from there. */
  cwd: string;
  realpath(file: string): string | undefined;
  /** The names in a folder; none when it cannot be read. */
  list(dir: string): string[];
  parseToml(text: string): Table;
  /** Said once per shell session by the hook, listed by status. */
  problems: Notice[];
  /** How much more TOML the rules may parse for this project (see TOML_BUDGET); no limit when unset. */
  tomlLeft?: number;
}

/** Larger than any real pyproject.toml, Pipfile or tool config. */
const TOML_READ_LIMIT = 1 << 20;
/**
 * The TOML the rules parse for one project, all files together: far more
 * than real projects carry, and parsed in ~0.1 s in the hook's JIT-less
 * binary. More is given up on, with a notice, so no folder can slow a cd
 * down by more (a cd meets at most three projects, and the memo does not
 * help with files that are new or dated in the future).
 */
export const TOML_BUDGET = 256 * 1024;

/** A TOML file as a table; undefined when it is missing, or (with a notice) unreadable or malformed. */
export function readToml(ctx: ToolContext, file: string): Table | undefined {
  const text = ctx.s.readHead(file, TOML_READ_LIMIT + 1);
  if (text === undefined) return undefined;
  // Shown from the working folder only when there is something to say (a kept outcome depends on what it read).
  if (text.length > TOML_READ_LIMIT) return tomlProblem(ctx, file, `${shownPath(file, ctx.cwd)} is too large to be read (over 1 MiB)`);
  if (ctx.tomlLeft !== undefined) {
    if (text.length > ctx.tomlLeft) {
      return tomlProblem(ctx, file, `gave up on ${shownPath(file, ctx.cwd)}: a project's TOML files over 256 KiB in all would slow every cd; venvhook goes on without it`);
    }
    ctx.tomlLeft -= text.length;
  }
  try {
    return ctx.parseToml(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    return tomlProblem(ctx, file, `${shownPath(file, ctx.cwd)} is not valid TOML (${printable(reason)}); fix it`);
  }
}

function tomlProblem(ctx: ToolContext, file: string, text: string): undefined {
  ctx.problems.push({ key: `toml\0${file}\0${text}`, text });
  return undefined;
}

/** A table's own value at a dotted path (never an inherited one: the data is untrusted). */
export function get(table: unknown, ...keys: string[]): unknown {
  let value = table;
  for (const key of keys) {
    if (!isTable(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

export function getString(table: unknown, ...keys: string[]): string | undefined {
  const value = get(table, ...keys);
  return typeof value === "string" ? value : undefined;
}

export function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A non-empty environment variable. */
export function variable(ctx: ToolContext, name: string): string | undefined {
  const value = ctx.vars[name];
  return value ? value : undefined;
}

/** The env in a folder, if it is one (a folder holding pyvenv.cfg). */
export function envAt(ctx: ToolContext, dir: string): PyvenvConfig | undefined {
  return ctx.s.stat(dir)?.isDirectory() ? readConfig(dir, ctx.s) : undefined;
}

export function exists(ctx: ToolContext, file: string): boolean {
  return ctx.s.stat(file) !== undefined;
}

/** `~` and `~/…` as the home folder (Python's expanduser). */
export function expandUser(ctx: ToolContext, value: string): string {
  const { path } = ctx.s.platform;
  if (value === "~" || value.startsWith("~/") || value.startsWith(`~${path.sep}`)) return path.join(ctx.s.home, value.slice(1));
  return value;
}

/** A path as the tool resolves it from where it runs; the working folder is asked only for a relative one (a kept outcome depends on what was asked). */
export function fromCwd(ctx: ToolContext, value: string, ...more: string[]): string {
  const { path } = ctx.s.platform;
  const joined = path.join(value, ...more);
  // On Windows `\\x` is absolute yet takes the working folder's drive.
  const complete = path.sep === "/" ? path.isAbsolute(joined) : /^(?:[A-Za-z]:[\\/]|[\\/]{2})/.test(joined);
  return complete ? path.normalize(joined) : path.resolve(ctx.cwd, joined);
}

/** `$NAME` and `${NAME}` from the environment, unknown ones left as written (Python's os.path.expandvars on POSIX). */
export function expandVars(ctx: ToolContext, value: string): string {
  return value.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const bare = name.startsWith("{") ? name.slice(1, -1) : name;
    return ctx.vars[bare] ?? whole;
  });
}

/**
 * The first `count` code points of a text: Python's `text[:count]`. A loop, not
 * Array.from(text): that builtin's first call costs ~0.35 M instructions cold,
 * a quarter of what finding a tool's env may cost over a plain `.venv`.
 */
export function firstCodePoints(text: string, count: number): string {
  let end = 0;
  for (let taken = 0; taken < count && end < text.length; taken++) {
    const code = text.codePointAt(end)!;
    end += code > 0xffff ? 2 : 1;
  }
  return text.slice(0, end);
}

/** A name that can only ever be one folder name inside the folder it is joined to. */
export function isOneFolderName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !/[/\\\0]/.test(name);
}

/** Whether `inner` is `outer` or below it (both absolute, same spelling). */
export function isInside(ctx: ToolContext, inner: string, outer: string): boolean {
  const relative = ctx.s.platform.path.relative(outer, inner);
  return relative === "" || (!relative.startsWith("..") && !ctx.s.platform.path.isAbsolute(relative));
}

type Kind = "cache" | "config" | "data";

/**
 * platformdirs' user folders for an app, as Python tools compute them: XDG on
 * Linux, ~/Library on macOS, %LOCALAPPDATA% or (roaming) %APPDATA% on Windows,
 * with the author's folder first when the tool gives one (appauthor), and a
 * trailing Cache folder for the cache.
 */
export function userDir(ctx: ToolContext, kind: Kind, app: string, options: { roaming?: boolean; author?: string } = {}): string {
  const { path } = ctx.s.platform;
  const home = ctx.s.home;
  if (ctx.os === "win32") {
    const roaming = options.roaming && kind !== "cache";
    const base = variable(ctx, roaming ? "APPDATA" : "LOCALAPPDATA") ?? path.join(home, "AppData", roaming ? "Roaming" : "Local");
    const folder = options.author ? path.join(base, options.author, app) : path.join(base, app);
    return kind === "cache" ? path.join(folder, "Cache") : folder;
  }
  if (ctx.os === "darwin") {
    return path.join(home, "Library", kind === "cache" ? "Caches" : "Application Support", app);
  }
  const xdg = { cache: ["XDG_CACHE_HOME", ".cache"], config: ["XDG_CONFIG_HOME", ".config"], data: ["XDG_DATA_HOME", ".local/share"] }[kind];
  return path.join(variable(ctx, xdg[0]!)?.trim() || path.join(home, xdg[1]!), app);
}
