// Pointers venvhook writes: `link` (to any env), `use` (another of the
// project's store envs), and `create --central`. A pointer is only ever
// written over a pointer, never over an env folder, and it is allowed at once:
// the user just chose it.
import { readdirSync } from "node:fs";
import path from "node:path";
import { replaceFile } from "./atomic.ts";
import { findVenv, isPathLike, pointerTarget } from "./discovery.ts";
import { lstatOrUndefined } from "./fs-quiet.ts";
import { printable, UserError } from "./messages.ts";
import { projectRoot } from "./project.ts";
import { labelPath, projectFolder } from "./store.ts";
import { allow, updateTrust } from "./trust.ts";

export interface Linked {
  root: string;
  pointer: string;
  env: string;
}

/** Points the project at an existing env, by path (made absolute) or by name. */
export function linkEnv(dir: string, spec: string, cwd: string): Linked {
  const root = projectRoot(dir);
  const text = isPathLike(spec) ? path.resolve(cwd, spec) : spec;
  const target = pointerTarget(root, text);
  if ("problem" in target) throw new UserError(`cannot link ${printable(spec)}: ${target.problem}`);
  return writeAllowedPointer(root, text);
}

/** Makes another of the project's store envs the active one. */
export function useLabel(dir: string, label: string): Linked {
  const root = projectRoot(dir);
  const target = pointerTarget(root, label);
  if ("problem" in target || target.path !== labelPath(root, label)) {
    const labels = storeLabels(root);
    const known = labels.length ? `its envs are: ${labels.map(printable).join(", ")}` : "it has no envs in venvhook's store";
    throw new UserError(`${printable(path.basename(root))} has no env labelled '${printable(label)}'; ${known}`);
  }
  return writeAllowedPointer(root, label);
}

/** Writes `<root>/.venv` (atomically, over a pointer or nothing) and allows what it points to. */
export function writeAllowedPointer(root: string, text: string): Linked {
  const pointer = path.join(root, ".venv");
  const stats = lstatOrUndefined(pointer);
  if (stats && !stats.isFile()) {
    throw new UserError(`${printable(pointer)} is ${stats.isDirectory() ? "an env folder" : "not a file"}, not a pointer; move it away first`);
  }
  // Written as a new file under an unpredictable name: the project may hold links planted at any name.
  replaceFile(pointer, `${text}\n`, 0o666);
  const found = findVenv(root);
  if (found?.kind !== "env" || found.venv !== pointer) throw new UserError(`${printable(pointer)} does not lead to an env`);
  updateTrust((store) => allow(found, store));
  return { root, pointer, env: found.env };
}

function storeLabels(root: string): string[] {
  try {
    return readdirSync(projectFolder(root)).filter((name) => !name.includes(".venvhook-"));
  } catch {
    return [];
  }
}
