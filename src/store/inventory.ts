// The envs venvhook knows (`list`), which of its store's envs nothing uses any
// more (`gc`), and removing one (`rm`). Only envs in venvhook's own store can
// be orphans: envs in $WORKON_HOME or ~/.virtualenvs belong to other tools,
// which alone know what they are for. Removal is only ever of a proven env.
import { lstatSync, realpathSync, rmdirSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { findVenv, readConfig } from "../discovery/venv.ts";
import { namesIn, readHead } from "../shared/fs-quiet.ts";
import { printable, UserError } from "../shared/messages.ts";
import { trustFile } from "../shared/paths.ts";
import { readMeta, realOr, storeFolders, storeRoot, subfolders } from "./central.ts";
import { forgetEnv, loadTrust, pointersTo, updateTrust } from "../trust/trust.ts";

export interface KnownEnv {
  path: string;
  source: "store" | "workon" | "virtualenvs";
  /** The store's venvhook.json, else virtualenvwrapper's `.project` file in the env. */
  project?: string;
  /** The store's venvhook.json, else the env folder's name. */
  label?: string;
  /** pyvenv.cfg's version. */
  python?: string;
  /** Bytes in its regular files. */
  size: number;
  /** It is VIRTUAL_ENV in the calling shell. */
  active: boolean;
  orphan: boolean;
  /** Why it is an orphan, or why it cannot be told. */
  why?: string;
}

export interface InventoryOptions {
  env?: NodeJS.ProcessEnv;
  /** VIRTUAL_ENV of the calling shell; default: env's. */
  cwdEnv?: string;
  /** The trust store, whose allowed pointers keep the envs they lead to from being orphans. */
  trustFile?: string;
}

type Verdict = Pick<KnownEnv, "orphan" | "why">;

/** The store's envs, then $WORKON_HOME's and ~/.virtualenvs' (each direct subfolder with a pyvenv.cfg), once each by real path. */
export function knownEnvs(options: InventoryOptions = {}): KnownEnv[] {
  const env = options.env ?? process.env;
  const virtualEnv = options.cwdEnv ?? env.VIRTUAL_ENV;
  const file = options.trustFile ?? trustFile();
  let trust: ReturnType<typeof loadTrust> | undefined;
  const allowedPointers = (real: string) => pointersTo(real, (trust ??= loadTrust(file)));

  const childFolders = (dir: string) => subfolders(dir).map((name) => path.join(dir, name));
  const places: [KnownEnv["source"], string[]][] = [
    ["store", storeFolders(env)],
    ["workon", env.WORKON_HOME ? childFolders(path.resolve(env.WORKON_HOME)) : []],
    ["virtualenvs", childFolders(path.join(env.HOME || homedir(), ".virtualenvs"))],
  ];
  const seen = new Set<string>();
  const known: KnownEnv[] = [];
  for (const [source, folders] of places) {
    for (const folder of folders) {
      const real = realOr(folder);
      if (notAnEnv(folder) || seen.has(real)) continue;
      seen.add(real);
      const active = isActive(folder, virtualEnv);
      const meta = source === "store" ? readMeta(folder) : undefined;
      const project = source === "store" ? meta?.project : firstLineOf(path.join(folder, ".project"));
      const verdict: Verdict = source === "store" ? storeVerdict(project, real, active, allowedPointers) : { orphan: false };
      known.push({
        path: folder,
        source,
        project,
        label: meta?.label ?? path.basename(folder),
        python: readConfig(folder)?.version,
        size: diskUsage(folder),
        active,
        ...verdict,
      });
    }
  }
  return known;
}

/**
 * A store env is an orphan when its project is gone, or when the project's
 * `.venv` (there, not further up) leads to none of the project's store envs.
 * A `.venv` that leads to ANOTHER of them keeps this one: people keep several
 * envs per project and switch between them with `venvhook use`. Kept too,
 * as they may be in use: an env without a readable venvhook.json (its project
 * is unknown), one whose project or `.venv` cannot be read, the env active in
 * this shell, and one an allowed pointer elsewhere still leads to (`venvhook
 * link`). Only a proven orphan is ever removed.
 */
function storeVerdict(project: string | undefined, env: string, active: boolean, allowedPointers: (env: string) => string[]): Verdict {
  if (!project || !path.isAbsolute(project)) return { orphan: false, why: "its project is unknown" };
  const verdict = projectVerdict(project, env);
  if (!verdict.orphan) return verdict;
  if (active) return { orphan: false, why: `${verdict.why}, but it is active in this shell` };
  const pointer = allowedPointers(env).find((file) => leadsTo(file, env));
  return pointer ? { orphan: false, why: `${verdict.why}, but ${pointer} leads to it` } : verdict;
}

function projectVerdict(project: string, env: string): Verdict {
  try {
    if (!statSync(project).isDirectory()) return { orphan: true, why: `its project ${project} is gone` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { orphan: true, why: `its project ${project} is gone` };
    return { orphan: false, why: `its project ${project} cannot be read` };
  }
  const venv = path.join(project, ".venv");
  let stats;
  try {
    stats = lstatSync(venv);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { orphan: true, why: `nothing points at it: ${venv} is missing` };
    return { orphan: false, why: `${venv} cannot be read` };
  }
  if (stats.isFile() && readHead(venv, 0) === undefined) return { orphan: false, why: `${venv} cannot be read` };
  const found = findVenv(project);
  if (found?.kind === "env" && path.dirname(realOr(found.env)) === path.dirname(env)) return { orphan: false };
  return { orphan: true, why: `nothing points at it: ${venv} ${stats.isDirectory() ? "is a folder" : "points elsewhere"}` };
}

/** Whether a pointer file (a real path) still leads to this env (a real path). */
export function leadsTo(pointer: string, env: string): boolean {
  const found = findVenv(path.dirname(pointer));
  return found?.kind === "env" && found.venv === pointer && realOr(found.env) === env;
}

/** Whether a folder is the env VIRTUAL_ENV names, however either is spelled. */
export function isActive(env: string, virtualEnv: string | undefined): boolean {
  return virtualEnv !== undefined && virtualEnv !== "" && realOr(virtualEnv) === realOr(env);
}

/** Why a path is not an env folder (a folder itself, not a link, with a pyvenv.cfg), or undefined when it is. */
export function notAnEnv(dir: string): string | undefined {
  let stats;
  try {
    stats = lstatSync(dir);
  } catch {
    return "it does not exist";
  }
  if (stats.isSymbolicLink()) return "it is a symbolic link; give the env folder itself";
  if (!stats.isDirectory()) return "it is not a folder";
  try {
    if (statSync(path.join(dir, "pyvenv.cfg")).isFile()) return undefined;
  } catch {
    // no pyvenv.cfg
  }
  return "it has no pyvenv.cfg, so it is not an environment";
}

/**
 * Removes an env folder, and forgets it and every pointer to it in the trust
 * store; then the store's project folder if that was its last env. Refuses
 * anything that is not an env.
 */
export function removeEnv(dir: string, options: { env?: NodeJS.ProcessEnv; trustFile?: string } = {}): void {
  const problem = notAnEnv(dir);
  if (problem) throw new UserError(`not removing ${printable(dir)}: ${problem}`);
  const real = realpathSync(dir);
  // Forgotten first: if removing stops halfway, what is left is never activated.
  const file = options.trustFile ?? trustFile();
  updateTrust((trust) => forgetEnv(real, trust), file);
  // rmSync removes symbolic links inside, never what they lead to.
  rmSync(real, { recursive: true });
  const projectFolder = path.dirname(real);
  if (path.dirname(projectFolder) === realOr(storeRoot(options.env))) {
    try {
      rmdirSync(projectFolder);
    } catch {
      // other envs are left in it
    }
  }
}

/** Bytes in the regular files under a folder, never following symbolic links. */
export function diskUsage(dir: string): number {
  let total = 0;
  for (const name of namesIn(dir)) {
    const file = path.join(dir, name);
    let stats;
    try {
      stats = lstatSync(file);
    } catch {
      continue;
    }
    if (stats.isDirectory()) total += diskUsage(file);
    else if (stats.isFile()) total += stats.size;
  }
  return total;
}

const UNITS = ["kB", "MB", "GB", "TB"];

/** "512 B", "23.4 MB": decimal units, as disk sizes are sold and `du --si` shows them. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (Number(value.toFixed(1)) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}


/** A path is at most a few KiB. */
const PROJECT_FILE_READ_LIMIT = 64 * 1024;

function firstLineOf(file: string): string | undefined {
  return readHead(file, PROJECT_FILE_READ_LIMIT)?.split(/\r?\n/, 1)[0]!.trim() || undefined;
}
