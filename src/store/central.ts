// The central store, for envs kept outside their projects:
// <root>/<project folder name>-<hash8>/<label>/, where hash8 is the first 8
// characters of urlsafe base64 of sha256 of the project's real path (as Hatch
// names its envs). The root is $VENVHOOK_HOME, else envs/ in venvhook's data folder.
import { readdirSync, type Dirent } from "node:fs";
import path from "node:path";
import { writeNewFile } from "../shared/atomic.ts";
import { readHead, realpathOrUndefined } from "../shared/fs-quiet.ts";
import { dataDir } from "../shared/paths.ts";
import { sha256 } from "../shared/sha256.ts";

export const DEFAULT_LABEL = "default";
/** In each env venvhook made: what it is for, so tools and people can tell. */
export const META_FILE = "venvhook.json";

export interface EnvMeta {
  project: string;
  label: string;
  python: string;
  backend: string;
  created: string;
}

export function storeRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.VENVHOOK_HOME ? path.resolve(env.VENVHOOK_HOME) : path.join(dataDir(), "envs");
}

/** A project's folder in the store, named from the project's real path. */
export function projectFolder(project: string, env: NodeJS.ProcessEnv = process.env): string {
  const real = realOr(project);
  return path.join(storeRoot(env), `${path.basename(real)}-${pathHash8(real)}`);
}

/**
 * The first 8 characters of urlsafe base64 of sha256 of a path: how Hatch and
 * Poetry name a project's envs (and, of the Pipfile's path, Pipenv: the first
 * 6 bytes of the digest are exactly these 8 characters).
 */
export function pathHash8(file: string): string {
  return sha256(file, "base64url").slice(0, 8);
}

/** The env of a project with this label, whether or not it exists. */
export function labelPath(project: string, label: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(projectFolder(project, env), label);
}

/** Why a label (or a name in a pointer) cannot be used, or undefined when it can. */
export function badLabel(label: string): string | undefined {
  if (!label) return "it is empty";
  if (label.includes("/") || label.includes("\\") || label.includes("\0")) return "it contains a path separator";
  if (label.includes("..")) return "it contains '..'";
  if (label.startsWith(".") || label.startsWith("~")) return "it starts with '.' or '~'";
  // A pointer file is read trimmed, one line: it could not name such a label.
  if (label.trim() !== label || /[\r\n]/.test(label)) return "it starts or ends with a space, or holds a line break";
  return undefined;
}

/**
 * Every folder at <root>/<project>/<label>/, sorted; symbolic links are not
 * followed, and create's temporaries (".venvhook-" in the name) are left out.
 */
export function storeFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  const root = storeRoot(env);
  return subfolders(root).flatMap((project) =>
    subfolders(path.join(root, project))
      .filter((label) => !label.includes(".venvhook-"))
      .map((label) => path.join(root, project, label)),
  );
}

/** The names of a folder's subfolders, sorted; symbolic links are not followed, and an unreadable folder has none. */
export function subfolders(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Written as a new file, in the env `create` is building. */
export function writeMeta(env: string, meta: EnvMeta): void {
  writeNewFile(path.join(env, META_FILE), `${JSON.stringify(meta, null, 2)}\n`, 0o666);
}

/** venvhook.json is a few lines; anything larger was not written by venvhook. */
const META_READ_LIMIT = 64 * 1024;

export function readMeta(env: string): EnvMeta | undefined {
  try {
    const meta = JSON.parse(readHead(path.join(env, META_FILE), META_READ_LIMIT) ?? "") as Partial<EnvMeta>;
    return typeof meta.project === "string" && typeof meta.label === "string" ? (meta as EnvMeta) : undefined;
  } catch {
    return undefined;
  }
}

/** A path's real path, or the path made absolute when it does not exist. */
export function realOr(file: string): string {
  return realpathOrUndefined(file) ?? path.resolve(file);
}
