// Picks the Python interpreter `venvhook create` builds an env with: what the
// user asked for, else what the project pins or requires, else `python3`.
// Versions come from running each interpreter once, never from file names:
// a `python3.12` can be anything. Project files are untrusted: all they do is
// choose among the interpreters installed on this machine.
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { namesIn, readHead, realpathOrUndefined, statOrUndefined } from "../shared/fs-quiet.ts";
import { printable } from "../shared/messages.ts";
import { parseSpecifier, satisfies } from "./pep440.ts";
import { parseToml } from "../shared/toml.ts";

export interface Interpreter {
  path: string;
  /** As "3.11.7". */
  version: string;
}

export type Choice = { ok: true; interpreter: Interpreter; why: string } | { ok: false; message: string };

const VERSION_QUERY = "import sys; print('.'.join(map(str, sys.version_info[:3])))";
const QUERY_TIMEOUT_MS = 5000;
const VERSION_FILE_READ_LIMIT = 4096;
const PYPROJECT_SIZE_LIMIT = 1024 * 1024;
const NOTHING_FOUND = "no Python found on PATH or in pyenv";

/** Every Python 3 on PATH and in pyenv, newest first; equal versions in PATH order. */
export function findInterpreters(env: NodeJS.ProcessEnv = process.env): Interpreter[] {
  const seen = new Set<string>();
  const found: Interpreter[] = [];
  for (const candidate of candidates(env)) {
    const real = realpathOrUndefined(candidate);
    if (real === undefined || seen.has(real)) continue;
    seen.add(real);
    const version = queryVersion(candidate, env);
    if (version) found.push({ path: candidate, version });
  }
  return found.sort((a, b) => compareVersions(b.version, a.version));
}

function* candidates(env: NodeJS.ProcessEnv): Generator<string> {
  // pyenv's shims answer for whichever version the current folder selects,
  // and every version they can run is in versions/ below anyway.
  const shims = path.join(pyenvRoot(env), "shims");
  for (const dir of pathFolders(env)) {
    if (path.resolve(dir) === shims) continue;
    // python3.X before python3, which is usually a link to one of them, so the specific name is shown.
    const entries = namesIn(dir);
    const names = entries.filter((name) => /^python3\.\d+$/.test(name)).sort(byNumbers);
    if (entries.includes("python3")) names.push("python3");
    for (const name of names) yield path.join(dir, name);
  }
  const versions = path.join(pyenvRoot(env), "versions");
  for (const name of namesIn(versions).sort(byNumbers)) {
    // pyenv-virtualenv lists its envs here too (links to versions/*/envs/*).
    if (isFile(path.join(versions, name, "pyvenv.cfg"))) continue;
    yield path.join(versions, name, "bin", "python3");
  }
}

/** `.python-version` the way pyenv reads it: the first word of the first line that is not blank or a comment. */
export function readPythonVersionFile(root: string): string | undefined {
  const text = readHead(path.join(root, ".python-version"), VERSION_FILE_READ_LIMIT);
  if (text === undefined) return undefined;
  for (const line of text.split(/\r?\n|\r/)) {
    const word = line.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, "").trim().split(/\s+/)[0]!;
    if (word && !word.startsWith("#")) return word;
  }
  return undefined;
}

/** `project.requires-python` from pyproject.toml; throws, naming the file, when the file is broken. */
export function requiresPython(root: string): string | undefined {
  const file = path.join(root, "pyproject.toml");
  const shown = printable(file);
  const stats = statOrUndefined(file);
  if (!stats) return undefined;
  if (!stats.isFile()) throw new Error(`${shown} is not a file`);
  if (stats.size > PYPROJECT_SIZE_LIMIT) throw new Error(`${shown} is larger than 1 MiB`);
  const text = readHead(file, PYPROJECT_SIZE_LIMIT);
  if (text === undefined) throw new Error(`${shown} cannot be read`);
  let data: Record<string, unknown>;
  try {
    data = parseToml(text);
  } catch (error) {
    throw new Error(`${shown} is not valid TOML: ${tomlProblem(error)}`);
  }
  const project = data.project;
  if (project === undefined) return undefined;
  if (!isTable(project)) throw new Error(`${shown}: [project] is not a table`);
  const value = project["requires-python"];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Error(`${shown}: project.requires-python is not a string`);
  try {
    parseSpecifier(value);
  } catch (error) {
    throw new Error(`${shown}: project.requires-python: ${(error as Error).message}`);
  }
  return value;
}

/** Which interpreter to build a project's env with: --python, .python-version, requires-python, python3. */
export function choosePython(
  root: string,
  options: { python?: string; env?: NodeJS.ProcessEnv; find?: () => Interpreter[] } = {},
): Choice {
  const env = options.env ?? process.env;
  let found: Interpreter[] | undefined;
  const find = (): Interpreter[] => (found ??= (options.find ?? (() => findInterpreters(env)))());

  if (options.python !== undefined) {
    const wanted = printable(options.python);
    const why = `--python ${wanted}`;
    if (isVersionPrefix(options.python)) {
      return newestWithPrefix(options.python, find(), why, `--python ${wanted}: no Python ${wanted} found`, env);
    }
    const exe = resolveCommand(options.python, env);
    if (!exe) {
      const problem = options.python.includes("/") ? "no such file" : "not found on PATH";
      return { ok: false, message: `--python ${wanted}: ${problem}` };
    }
    return run(exe, why, `--python ${wanted}: ${printable(exe)} did not run as Python`, env);
  }

  const pinned = readPythonVersionFile(root);
  if (pinned !== undefined) {
    const why = `.python-version says ${pinned}`;
    if (isVersionPrefix(pinned)) return withinRequirement(root, newestWithPrefix(pinned, find(), why, `${why}, but no Python ${pinned} was found`, env));
    // A pyenv version name becomes part of a path: nothing that could leave versions/.
    if (pinned === "." || pinned.includes("/") || pinned.includes("..")) {
      return { ok: false, message: `${why}, which is neither a version nor a pyenv version name` };
    }
    const exe = path.join(pyenvRoot(env), "versions", pinned, "bin", "python3");
    if (!isFile(exe)) return { ok: false, message: `${why}, which is not installed in pyenv (no ${shownPath(exe, env)})` };
    return withinRequirement(root, run(exe, why, `${why}, but ${shownPath(exe, env)} did not run as Python`, env));
  }

  const specifier = requiresPython(root);
  if (specifier !== undefined) {
    const shown = specifier.trim().replace(/\s+/g, " ");
    const interpreters = find();
    const interpreter = interpreters.find((candidate) => satisfies(candidate.version, specifier));
    if (interpreter) return { ok: true, interpreter, why: `newest Python satisfying requires-python ${shown}` };
    const message = `no Python satisfies requires-python ${JSON.stringify(shown)} (in pyproject.toml)`;
    return { ok: false, message: `${message}; ${foundList(interpreters, env)}` };
  }

  const python3 = which("python3", env);
  const version = python3 === undefined ? undefined : queryVersion(python3, env);
  if (python3 && version) return { ok: true, interpreter: { path: python3, version }, why: "python3 on PATH" };
  const interpreters = find();
  if (!python3 && interpreters.length === 0) return { ok: false, message: NOTHING_FOUND };
  const problem = python3 ? `python3 on PATH (${shownPath(python3, env)}) did not run as Python` : "no python3 on PATH";
  return { ok: false, message: `${problem}; ${foundList(interpreters, env)}` };
}

/** "3", "3.11" or "3.11.7": a version to match, not a command. */
/**
 * A .python-version choice that requires-python excludes is refused, both
 * named, as uv refuses it: a silent 3.11 env for a ">=3.12" project would
 * only fail later, at install time.
 */
function withinRequirement(root: string, choice: Choice): Choice {
  if (!choice.ok) return choice;
  const specifier = requiresPython(root);
  if (specifier === undefined || satisfies(choice.interpreter.version, specifier)) return choice;
  const shown = JSON.stringify(specifier.trim().replace(/\s+/g, " "));
  return {
    ok: false,
    message: `${choice.why} (found ${choice.interpreter.version}), but requires-python ${shown} in pyproject.toml excludes it; change one of them, or choose with --python`,
  };
}

function isVersionPrefix(text: string): boolean {
  return /^\d+(\.\d+){0,2}$/.test(text);
}

/** Component-wise, so 3.1 matches 3.1.x but not 3.11.x. */
function newestWithPrefix(
  prefix: string,
  interpreters: Interpreter[],
  why: string,
  failure: string,
  env: NodeJS.ProcessEnv,
): Choice {
  const wanted = prefix.split(".").map(Number);
  const interpreter = interpreters.find((candidate) => {
    const parts = candidate.version.split(".").map(Number);
    return wanted.every((n, i) => parts[i] === n);
  });
  if (interpreter) return { ok: true, interpreter, why };
  return { ok: false, message: `${failure}; ${foundList(interpreters, env)}` };
}

function run(exe: string, why: string, failure: string, env: NodeJS.ProcessEnv): Choice {
  const version = queryVersion(exe, env);
  return version ? { ok: true, interpreter: { path: exe, version }, why } : { ok: false, message: failure };
}

/** Oldest first, the way people read a list of versions. */
function foundList(interpreters: readonly Interpreter[], env: NodeJS.ProcessEnv): string {
  if (interpreters.length === 0) return NOTHING_FOUND;
  const oldestFirst = [...interpreters].sort((a, b) => compareVersions(a.version, b.version));
  return `found ${oldestFirst.map((i) => `${printable(i.version)} (${shownPath(i.path, env)})`).join(", ")}`;
}

function queryVersion(exe: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const output = execFileSync(exe, ["-c", VERSION_QUERY], {
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: QUERY_TIMEOUT_MS,
      killSignal: "SIGKILL",
      maxBuffer: 1024,
    }).trim();
    return /^\d+\.\d+\.\d+$/.test(output) ? output : undefined;
  } catch {
    return undefined;
  }
}

/** A bare name is looked up on PATH; anything with a slash is a path from the current folder. */
function resolveCommand(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (command.includes("/")) {
    const exe = path.resolve(process.cwd(), command);
    return statOrUndefined(exe) ? exe : undefined;
  }
  return command ? which(command, env) : undefined;
}

function which(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of pathFolders(env)) {
    const exe = path.join(dir, name);
    if (isExecutableFile(exe)) return exe;
  }
  return undefined;
}

/**
 * Absolute folders only: an empty or relative PATH entry means the current
 * folder, which a project controls. An env's own bin (the active env's, say)
 * is left out: a new env is made from a base interpreter, not from another env.
 */
function pathFolders(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? "").split(path.delimiter).filter((dir) => path.isAbsolute(dir) && !isFile(path.join(path.dirname(dir), "pyvenv.cfg")));
}

function pyenvRoot(env: NodeJS.ProcessEnv): string {
  return env.PYENV_ROOT && path.isAbsolute(env.PYENV_ROOT) ? path.resolve(env.PYENV_ROOT) : path.join(home(env), ".pyenv");
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME && path.isAbsolute(env.HOME) ? env.HOME : homedir();
}

/** `~/...` for paths in the home folder, control characters escaped. */
function shownPath(file: string, env: NodeJS.ProcessEnv): string {
  const relative = path.relative(home(env), file);
  const inHome = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return printable(inHome ? `~/${relative}` : file);
}

function byNumbers(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const order = (x[i] ?? 0) - (y[i] ?? 0);
    if (order) return order;
  }
  return 0;
}

function tomlProblem(error: unknown): string {
  const { message, line, column } = error as { message?: unknown; line?: unknown; column?: unknown };
  const what = String(message ?? error)
    .split("\n", 1)[0]!
    .replace(/^Invalid TOML document: /, "");
  return printable(typeof line === "number" && typeof column === "number" ? `line ${line}, column ${column}: ${what}` : what);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}





function isFile(file: string): boolean {
  return statOrUndefined(file)?.isFile() ?? false;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return isFile(file);
  } catch {
    return false;
  }
}
