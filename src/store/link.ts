// Pointers venvhook writes: `link` (to any env), `use` (another of the
// project's store envs), and `create --central`. A pointer is only ever
// written over a pointer, never over an env folder, and it is allowed at once:
// the user just chose it. Linking away from the project's store envs would
// leave them for `gc` to remove, so it says which first and needs --force.
import { readdirSync } from "node:fs";
import path from "node:path";
import { replaceFile } from "../shared/atomic.ts";
import { findVenv, firstLine, isPathLike, pointerTarget } from "../discovery/venv.ts";
import { lstatOrUndefined, readHead, statOrUndefined } from "../shared/fs-quiet.ts";
import { diskUsage, formatSize, leadsTo, notAnEnv } from "./inventory.ts";
import { printable, UserError } from "../shared/messages.ts";
import { projectRoot } from "../discovery/project.ts";
import { labelPath, projectFolder, readMeta, realOr } from "./central.ts";
import { allow, loadTrust, pointersTo, updateTrust } from "../trust/trust.ts";

export interface Linked {
  root: string;
  pointer: string;
  env: string;
}

/** Points the project at an existing env, by path (made absolute) or by name. */
export function linkEnv(dir: string, spec: string, cwd: string, force = false): Linked {
  const root = projectRoot(dir);
  const text = isPathLike(spec) ? path.resolve(cwd, spec) : spec;
  const target = pointerTarget(root, text);
  if ("problem" in target) throw new UserError(`cannot link ${printable(spec)}: ${isPathLike(spec) ? whatIsThere(text) : target.problem}`);
  const left = force ? [] : storeEnvsLeftBehind(root, target.path);
  if (left.length > 0) {
    const labels = left.map((env) => path.basename(env)).join(", ");
    const size = formatSize(left.reduce((sum, env) => sum + diskUsage(env), 0));
    const them = left.length === 1 ? "it" : "them";
    throw new UserError(
      `not linking: nothing would point at ${path.basename(root)}'s ${left.length === 1 ? "env" : "envs"} in venvhook's store (${labels}; ${size}), and 'venvhook gc --yes' would remove ${them}; add --force to link anyway`,
    );
  }
  return writeAllowedPointer(root, text);
}

/** What a path given to link is, when it is not an env, and what link wants instead. */
function whatIsThere(file: string): string {
  const stats = statOrUndefined(file);
  const wanted = "link takes an env folder (one with pyvenv.cfg), or the name of one in $WORKON_HOME, ~/.virtualenvs or the project's store";
  if (!stats) return `it does not exist; ${wanted}`;
  if (stats.isFile()) {
    const pointer = pointerTarget(path.dirname(file), firstLine(readHead(file, 4096) ?? ""));
    if (!("problem" in pointer)) return `it is a pointer file, not an env; link the env it points to: venvhook link ${printable(pointer.path)}`;
    return `it is a file, not an env; ${wanted}`;
  }
  if (stats.isDirectory()) return `it is a folder without pyvenv.cfg, not an env; ${wanted}`;
  return `it is not an env; ${wanted}`;
}

/**
 * The project's store envs that `gc` would take for orphans once `.venv`
 * leads to `next` instead (see storeVerdict in inventory.ts): all of them when
 * `.venv` now leads to one of them and `next` is not one, except those another
 * allowed pointer leads to.
 */
function storeEnvsLeftBehind(root: string, next: string): string[] {
  const pointer = path.join(root, ".venv");
  const folder = realOr(projectFolder(root));
  const current = findVenv(root);
  const inStore = (env: string) => path.dirname(realOr(env)) === folder;
  if (current?.kind !== "env" || current.venv !== pointer || !inStore(current.env) || inStore(next)) return [];
  const project = realOr(root);
  const trust = loadTrust();
  const ownPointer = realOr(pointer);
  return storeLabels(root)
    .map((label) => path.join(folder, label))
    .filter((env) => !notAnEnv(env) && readMeta(env)?.project === project)
    .filter((env) => !pointersTo(env, trust).some((other) => other !== ownPointer && leadsTo(other, env)));
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
  // The file must read back, as discovery reads it, to exactly what was checked.
  const readBack = firstLine(`${text}\n`);
  if (readBack !== text) {
    throw new UserError(`a .venv file cannot hold '${printable(text)}': it would be read as '${printable(readBack)}'; rename the env's folder`);
  }
  // Written as a new file under an unpredictable name: the project may hold links planted at any name.
  replaceFile(pointer, `${text}\n`, 0o666);
  const found = findVenv(root);
  if (found?.kind !== "env" || found.venv !== pointer) throw new UserError(`${printable(pointer)} does not lead to an env`);
  updateTrust((store) => allow(found, store));
  return { root, pointer, env: found.env };
}

export function storeLabels(root: string): string[] {
  try {
    return readdirSync(projectFolder(root)).filter((name) => !name.includes(".venvhook-"));
  } catch {
    return [];
  }
}
