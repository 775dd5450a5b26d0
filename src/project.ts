// A Python project: the nearest folder upward that has one of the files
// Python tools put at a project's root. Used to offer, and to create, an env.
import { readdirSync } from "node:fs";
import path from "node:path";

export interface Project {
  root: string;
  /** The file that makes it a project, as the offer names it: "a pyproject.toml". */
  marker: string;
}

/** In order of what the offer names when a folder has several. */
const MARKERS = ["pyproject.toml", "setup.py", "setup.cfg", "Pipfile"];
const REQUIREMENTS = /^requirements.*\.txt$/;

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
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  return MARKERS.find((marker) => names.includes(marker)) ?? names.filter((name) => REQUIREMENTS.test(name)).sort()[0];
}
