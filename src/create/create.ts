// `venvhook create`: makes the env a project needs, next to nothing else.
// The env is built in a temporary sibling of its final folder and moved into
// place only when complete, so Ctrl-C, a failed backend or a full disk never
// leave half an env where discovery would find it. venv paths are absolute:
// before the move, the temporary path is rewritten to the final one in the
// env's scripts and pyvenv.cfg.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ask, canAsk, typedAhead } from "../shared/ask.ts";
import { temporaryName } from "../shared/atomic.ts";
import { lstatOrUndefined } from "../shared/fs-quiet.ts";
import { acquireLock, isAlive } from "../shared/lock.ts";
import { printable, UserError, warn } from "../shared/messages.ts";
import { progress, type Progress } from "./progress.ts";
import { setIgnored } from "./ignored.ts";
import { writeAllowedPointer } from "../store/link.ts";
import { createLog } from "../shared/paths.ts";
import { projectRoot, type Project } from "../discovery/project.ts";
import { choosePython, type Choice, type Interpreter } from "./python.ts";
import { badLabel, DEFAULT_LABEL, labelPath, writeMeta, type EnvMeta } from "../store/central.ts";
import { allowCreated, updateTrust } from "../trust/trust.ts";

export const BACKENDS = ["auto", "uv", "virtualenv", "venv"] as const;
export type Backend = (typeof BACKENDS)[number];

export interface CreateOptions {
  python?: string;
  backend?: Backend;
  prompt?: string;
  /** Install the project (true), or it with these extras ("dev", "[dev,test]", ".[dev]"), or its requirements.txt. */
  install?: boolean | string;
  /** Dependency groups (PEP 735) to install with it. */
  group?: string[];
  /** Passed to the installer (pip, or uv pip) as they are. */
  installerArg?: string[];
  force?: boolean;
  yes?: boolean;
  /** In venvhook's store, with a `.venv` pointer in the project naming it. */
  central?: boolean;
  /** The label of a central env (default: "default"). */
  name?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Created {
  env: string;
  root: string;
  /** The name shown in the prompt. */
  name: string;
  interpreter: Interpreter;
  backend: Exclude<Backend, "auto">;
  /** Another venvhook made it while this one waited for the lock. */
  byOther?: boolean;
  /** How long making it took, as shown ("2.1s"); none when another venvhook made it. */
  took?: string;
}

const TEMPORARY = ".venvhook-tmp-";
const REPLACED = ".venvhook-old-";

export async function createEnv(dir: string, options: CreateOptions = {}): Promise<Created> {
  const env = options.env ?? process.env;
  const root = projectRoot(dir);
  const local = path.join(root, ".venv");
  const label = options.name ?? DEFAULT_LABEL;
  if (options.name !== undefined && !options.central) throw new UserError("--name is the label of a central env; add --central");
  const bad = badLabel(label);
  if (bad) throw new UserError(`cannot use '${printable(label)}' as a label: ${bad}`);
  if (options.central && lstatOrUndefined(local)?.isDirectory()) {
    throw new UserError(`${printable(local)} is an env folder; a pointer to a central env cannot replace it (move it away first)`);
  }
  const target = options.central ? labelPath(root, label, env) : local;
  const choice = pickPython(root, options.python, env);
  if (!choice.ok) throw new UserError(choice.message);
  const interpreter = choice.interpreter;
  const backend = resolveBackend(options.backend ?? "auto", interpreter, env);
  // Several central envs per project: the prompt says which one is active.
  const name = options.prompt ?? (options.central && label !== DEFAULT_LABEL ? `${path.basename(root)}-${label}` : path.basename(root));
  const meta = options.central
    ? { project: realpathSync(root), label, python: interpreter.version, backend, created: new Date().toISOString() }
    : undefined;

  const shown = printable(target);
  const lock = await acquireLock(target, (pid) => warn(`waiting for another venvhook (pid ${pid}) creating ${shown}`));
  let byOther = false;
  let took: string | undefined;
  try {
    if (lock.waited && !options.force && existsSync(path.join(target, "pyvenv.cfg"))) {
      byOther = true;
    } else {
      const existing = lstatOrUndefined(target) !== undefined;
      if (existing && !options.force) throw new UserError(`${shown} already exists; use --force to replace it`);
      if (existing && !options.yes) {
        if (!canAsk()) throw new UserError(`${shown} already exists; add --yes to replace it without asking`);
        if (ask(`Replace ${shown}? [y/N] `) !== "y") throw new UserError(`kept ${shown}`);
      }
      // Not writable by others whatever the umask: the env's folders up to / are checked (trust.ts).
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
      removeLeftovers(target);
      const install = options.install || options.group?.length ? installRequest(options) : undefined;
      try {
        took = await build({ root, target, interpreter, backend, name, install, env, meta });
      } catch (error) {
        // The new env is built aside: a failure leaves the old one where it was.
        if (existing && error instanceof UserError) throw new UserError(`${error.message}; ${shown} is kept as it was`);
        throw error;
      }
    }
  } finally {
    lock.release();
  }
  updateTrust((store) => allowCreated(target, store));
  if (options.central) writeAllowedPointer(root, label);
  return { env: target, root, name, interpreter, backend, ...(byOther && { byOther }), ...(took && { took }) };
}

interface BuildPlan {
  root: string;
  target: string;
  interpreter: Interpreter;
  backend: Exclude<Backend, "auto">;
  name: string;
  install: InstallRequest | undefined;
  env: NodeJS.ProcessEnv;
  /** For a central env: written into it before it is moved into place. */
  meta: EnvMeta | undefined;
}

/** Makes the env; resolves with the time it took, as shown. */
async function build(plan: BuildPlan): Promise<string> {
  // Made below, new, under a name nobody can plant a link at; the backend fills it. The pid lets removeLeftovers tell a live build.
  const temporary = temporaryName(`${plan.target}${TEMPORARY}${process.pid}`, "-");
  // A central env by its path (its folder's name is only a label); the project's own as .venv.
  const shown = plan.meta ? plan.target : path.basename(plan.target);
  const show = progress();
  // Ctrl-C reaches the backend too; stop it, and clean up once it has exited, in the catch below.
  const steps = new Steps(plan);
  const onSignal = (signal: NodeJS.Signals) => steps.interrupt(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    mkdirSync(temporary); // once Ctrl-C is handled: from here on, it is removed on the way out
    const creating = `creating ${shown} with Python ${plan.interpreter.version} using ${plan.backend}`;
    show.step(creating);
    await steps.run(show, creating, backendCommand(plan, temporary));
    if (plan.install) {
      const what = installCommand(plan, temporary);
      if (what) {
        const installing = `installing ${what.describe} into ${shown}`;
        show.step(installing);
        await steps.run(show, installing, what.command);
      } else {
        show.step(`nothing to install: ${path.basename(plan.root)} has no pyproject.toml, setup.py or requirements.txt`);
      }
    }
    if (plan.meta) writeMeta(temporary, plan.meta);
    relocate(temporary, plan.target);
    withoutOthersWrite(temporary);
    if (lstatOrUndefined(plan.target) !== undefined) {
      const old = temporaryName(`${plan.target}${REPLACED}${process.pid}`, "-");
      renameSync(plan.target, old);
      renameSync(temporary, plan.target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temporary, plan.target);
    }
    show.stop();
    return show.elapsed();
  } catch (error) {
    show.stop();
    rmSync(temporary, { recursive: true, force: true });
    if (steps.interrupted) {
      warn("stopped; nothing was left behind");
      process.exit(steps.interrupted === "SIGINT" ? 130 : 143);
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/** The backend's processes, run one at a time in the project's root (where requirements files are read from). */
class Steps {
  interrupted: NodeJS.Signals | undefined;
  private child: ChildProcess | undefined;

  constructor(private readonly plan: BuildPlan) {}

  interrupt(signal: NodeJS.Signals): void {
    this.interrupted = signal;
    this.child?.kill("SIGTERM");
  }

  /** On failure the error names the step and where the backend's whole output was kept. */
  run(show: Progress, step: string, command: string[]): Promise<void> {
    const [program, ...args] = command as [string, ...string[]];
    return new Promise((resolve, reject) => {
      if (this.interrupted) return reject(new UserError("interrupted"));
      const child = spawn(program, args, {
        cwd: this.plan.root,
        env: { ...this.plan.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      this.child = child;
      let output = "";
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString("utf8")).slice(-64_000);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      child.on("error", (error) => reject(new UserError(`cannot run ${program}: ${error.message}`)));
      child.on("close", (code, signal) => {
        this.child = undefined;
        // Ctrl-C reaches the backend too, and may end it before this process hears of it.
        if (signal === "SIGINT" || signal === "SIGTERM") this.interrupted ??= signal;
        if (code === 0 && !this.interrupted) return resolve();
        show.stop();
        const how = signal ? `was stopped by ${signal}` : `failed (status ${code})`;
        // The installer's last word (pip's "ERROR: No matching distribution found for …"), to act on without opening the log.
        const last = output.trim().split("\n").filter(Boolean).at(-1)?.trim() ?? "";
        const log = createLog();
        try {
          mkdirSync(path.dirname(log), { recursive: true, mode: 0o700 });
          writeFileSync(log, `$ ${command.join(" ")}\n${output}`);
          const said = last ? `: ${printable(last)}` : "";
          reject(new UserError(`${step} ${how}${said}; its whole output is in ${printable(log)}`));
        } catch {
          reject(new UserError(`${step} ${how}: ${printable(last)}`));
        }
      });
    });
  }
}

/** choosePython, with a broken pyproject.toml as one more reason it cannot choose. */
function pickPython(root: string, python: string | undefined, env: NodeJS.ProcessEnv): Choice {
  try {
    return choosePython(root, { python, env });
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The backend to use; auto is the fastest there is: uv, else virtualenv (about 5 times faster than venv), else venv. */
export function resolveBackend(backend: Backend, interpreter: Interpreter, env: NodeJS.ProcessEnv): Exclude<Backend, "auto"> {
  const uv = onPath("uv", env);
  if (backend === "auto") return uv ? "uv" : hasVirtualenv(interpreter, env) ? "virtualenv" : "venv";
  if (backend === "uv" && !uv) throw new UserError("uv is not on PATH; install it, or use --backend venv");
  if (backend === "virtualenv" && !hasVirtualenv(interpreter, env)) {
    throw new UserError(`virtualenv is not installed for Python ${interpreter.version} nor on PATH; install it, or use --backend venv`);
  }
  return backend;
}

function backendCommand(plan: BuildPlan, temporary: string): string[] {
  const python = plan.interpreter.path;
  switch (plan.backend) {
    case "uv":
      return ["uv", "venv", "--quiet", "--python", python, "--prompt", plan.name, temporary];
    case "virtualenv":
      return onPythonPath(python, "virtualenv", plan.env)
        ? [python, "-m", "virtualenv", "--quiet", "--prompt", plan.name, temporary]
        : ["virtualenv", "--quiet", "--python", python, "--prompt", plan.name, temporary];
    case "venv":
      return [python, "-m", "venv", "--prompt", plan.name, temporary];
  }
}

/** The project itself (editable) for pyproject.toml or setup.py, else requirements.txt. */
interface InstallRequest {
  /** "[dev,test]", or "" for none. */
  extras: string;
  groups: string[];
  args: string[];
}

/** What --install, --group and --installer-arg ask for, checked: extras and group names go into the installer's arguments. */
function installRequest(options: CreateOptions): InstallRequest {
  const given = typeof options.install === "string" ? options.install.replace(/^\.?\[(.*)\]$/, "$1") : "";
  const extras = given.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of [...extras, ...(options.group ?? [])]) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new UserError(`'${printable(name)}' is not an extra or group name (letters, digits, '.', '_' and '-')`);
  }
  return { extras: extras.length ? `[${extras.join(",")}]` : "", groups: options.group ?? [], args: options.installerArg ?? [] };
}

function installCommand(plan: BuildPlan, temporary: string): { describe: string; command: string[] } | undefined {
  const python = path.join(temporary, "bin", "python");
  const request = plan.install!;
  const installer = [
    ...(plan.backend === "uv" ? ["uv", "pip", "install", "--python", python] : [python, "-m", "pip", "install", "--no-compile"]),
    ...request.groups.flatMap((group) => ["--group", group]),
    ...request.args,
  ];
  const has = (file: string) => existsSync(path.join(plan.root, file));
  if (has("pyproject.toml") || has("setup.py")) {
    return { describe: `${path.basename(plan.root)}${request.extras} (editable)`, command: [...installer, "-e", `${plan.root}${request.extras}`] };
  }
  if (has("requirements.txt")) {
    return { describe: "requirements.txt", command: [...installer, "-r", path.join(plan.root, "requirements.txt")] };
  }
  return undefined;
}

/** Rewrites the temporary path to the final one in the env's text files (scripts, activate, pyvenv.cfg). */
function relocate(temporary: string, target: string): void {
  const files = [path.join(temporary, "pyvenv.cfg")];
  const bin = path.join(temporary, "bin");
  for (const name of readdirSync(bin)) files.push(path.join(bin, name));
  for (const file of files) {
    if (!lstatSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    if (bytes.subarray(0, 8192).includes(0)) continue; // a binary
    const text = bytes.toString("utf8");
    if (text.includes(temporary)) writeFileSync(file, text.replaceAll(temporary, target));
  }
}

/**
 * Under a umask such as 002 or 000 the backend leaves the env writable by
 * group or others, which venvhook refuses to activate (trust.ts): whatever
 * the umask, what create makes activates.
 */
function withoutOthersWrite(env: string): void {
  const bin = path.join(env, "bin");
  for (const file of [env, bin, ...readdirSync(bin).map((name) => path.join(bin, name))]) {
    const stats = lstatSync(file);
    if (!stats.isSymbolicLink() && stats.mode & 0o022) chmodSync(file, stats.mode & ~0o022);
  }
}

/** Temporary folders that a killed venvhook left next to the target. */
function removeLeftovers(target: string): void {
  const folder = path.dirname(target);
  const prefix = `${path.basename(target)}${TEMPORARY}`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    const leftover = path.join(folder, name);
    // Only folders: a link at such a name was not made by venvhook.
    if (!isAlive(pid) && lstatOrUndefined(leftover)?.isDirectory()) rmSync(leftover, { recursive: true, force: true });
  }
}



function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      return dir !== "" && statSync(path.join(dir, command)).isFile();
    } catch {
      return false;
    }
  });
}

function hasVirtualenv(interpreter: Interpreter, env: NodeJS.ProcessEnv): boolean {
  return onPythonPath(interpreter.path, "virtualenv", env) || onPath("virtualenv", env);
}

function onPythonPath(python: string, module: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync(python, ["-c", `import ${module}`], { env, stdio: "ignore", timeout: 10_000 }).status === 0;
}

/** What was made, where, with what, and how long it took. */
export function createdLine(created: Created): string {
  return `created ${printable(created.env)} with Python ${created.interpreter.version} using ${created.backend}${created.took ? ` in ${created.took}` : ""}`;
}

const ANSWERS = ["", "y", "yes", "n", "no", "never"];

/** Asks again, a few times, when the answer is none of Y, n or never: a stray word must not count as no. */
function askUntilKnown(question: string): string | undefined {
  for (let tries = 0; tries < 3; tries++) {
    const answer = ask(tries === 0 ? question : `Please answer y, n or never. ${question}`);
    if (answer === undefined || ANSWERS.includes(answer)) return answer;
  }
  return undefined;
}

/** The offer's question (offer = "ask"), asked only on a terminal. */
export async function offerToCreate(project: Project, env: NodeJS.ProcessEnv): Promise<"created" | "declined" | "not asked"> {
  if (!canAsk()) return "not asked";
  const name = printable(path.basename(project.root));
  const choice = pickPython(project.root, undefined, env);
  if (!choice.ok) {
    warn(`${name} has no environment, and venvhook cannot make one: ${choice.message}`);
    return "declined";
  }
  // Keys typed ahead are a command for the shell, not an answer: the hint is said instead.
  if (typedAhead()) return "not asked";
  const answer = askUntilKnown(`Create .venv for ${name} with Python ${choice.interpreter.version}? [Y/n/never] `);
  if (answer === "never") {
    setIgnored(project.root, true);
    warn(`ignoring ${name} from now on; 'venvhook unignore' brings the offer back`);
    return "declined";
  }
  if (answer !== "" && answer !== "y" && answer !== "yes") return "declined";
  try {
    // The hook activates it at once; this is its result, said like every notice of the hook's.
    warn(createdLine(await createEnv(project.root, { env, python: choice.interpreter.path })));
    return "created";
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    warn(error.message);
    return "declined";
  }
}
