// A Python project: the nearest folder upward that has one of the files
// Python tools put at a project's root. Used to offer, and to create, an env.
import path from "node:path";
import { namesIn, statOrUndefined } from "../shared/fs-quiet.ts";

export interface Project {
  root: string;
  /** The file that makes it a project, as the offer names it: "a pyproject.toml". */
  marker: string;
}

/** In order of what the offer names when a folder has several. */
export const MARKERS = ["pyproject.toml", "setup.py", "setup.cfg", "Pipfile"];
const REQUIREMENTS = /^requirements.*\.txt$/;
/**
 * A folder is listed only up to this size: a few thousand names on file
 * systems whose folder size follows its entries (ext4, xfs, btrfs, tmpfs,
 * APFS, ZFS). The walk meets every folder above the working one, and bun
 * reads a whole folder at its first entry (opendir too), so a folder of a
 * million names would cost every cd. A larger one is asked only for fixed names.
 */
const LISTED_FOLDER_SIZE = 64 * 1024;
export const FIXED_NAMES = [...MARKERS, "requirements.txt"];

export function findProject(start: string): Project | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const marker = markerIn(dir);
    if (marker) return { root: dir, marker };
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The folder venvhook's project commands work on: the project's root, else the folder itself. */
export function projectRoot(dir: string): string {
  return findProject(dir)?.root ?? dir;
}

function markerIn(dir: string): string | undefined {
  const stats = statOrUndefined(dir);
  if (!stats?.isDirectory()) return undefined;
  if (stats.size > LISTED_FOLDER_SIZE) return FIXED_NAMES.find((name) => statOrUndefined(path.join(dir, name)) !== undefined);
  const names = namesIn(dir);
  return MARKERS.find((marker) => names.includes(marker)) ?? names.filter((name) => REQUIREMENTS.test(name)).sort()[0];
}
