// The change from what is applied to what is wanted, as pure data. Shell
// adapters render it; nothing here touches the file system or the shell.
import { shortHash } from "../shared/hash.ts";
import { host, type Platform } from "./platform.ts";
import { ACTIVATE_SCRIPT_VAR, decodeState, encodeState, OFF_VAR, STATE_VAR, TOOL_VARS, type Applied, type ToolVar } from "./state.ts";

export type Env = Readonly<Record<string, string | undefined>>;

export interface Wanted {
  env: string;
  bin: string;
  name: string;
  /** Variables that put the tool using this env at ease (state.ts, TOOL_VARS), restored on leaving. */
  toolVars?: Partial<Record<ToolVar, string>>;
}

/** One variable to set, or to unset when value is undefined. */
export interface Change {
  name: string;
  value: string | undefined;
}

export type Plan =
  | { kind: "changes"; changes: Change[] }
  /** VIRTUAL_ENV was set by something other than venvhook: the user's own activation wins. */
  | { kind: "foreign"; env: string };

/** The variables venvhook may touch besides PATH, in the order they are rendered. */
const MANAGED = ["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PYTHONHOME", ...TOOL_VARS, STATE_VAR, OFF_VAR] as const;

/**
 * `off` is the project folder venvhook's env is turned off for (VENVHOOK_OFF
 * as it should be after this step), or undefined.
 */
export function planActivation(vars: Env, wanted: Wanted | undefined, platform: Platform = host, off?: string): Plan {
  const foreign = foreignEnv(vars);
  if (foreign) return { kind: "foreign", env: foreign };
  // conda edits PATH in place (it adds and removes its own entries, keeping
  // no copy of PATH to put back), so venvhook can step down under it.
  if (condaEnv(vars)) wanted = undefined;
  const applied = decodeState(vars[STATE_VAR]);
  const current = vars.VIRTUAL_ENV;
  const pathVar = platform.pathVar(vars);
  const { delimiter } = platform.path;
  const managed = [pathVar, ...MANAGED];

  const target: Record<string, string | undefined> = {};
  for (const name of managed) target[name] = vars[name];
  const entries = splitPath(vars[pathVar], delimiter);

  if (applied && wanted && isStillApplied(applied, wanted, current, entries)) {
    // Same env, still in place: leave PATH alone so edits made inside the project keep their order.
    target.VIRTUAL_ENV_PROMPT = wanted.name;
    target[STATE_VAR] = encodeState({ ...applied, name: wanted.name });
  } else {
    if (applied) {
      removeOwnEntry(entries, applied);
      target.PYTHONHOME = applied.pythonHome;
      for (const name of TOOL_VARS) {
        const before = applied.toolVars?.[name];
        if (before !== undefined) target[name] = before ?? undefined;
      }
      target.VIRTUAL_ENV = undefined;
      target.VIRTUAL_ENV_PROMPT = undefined;
      target[STATE_VAR] = undefined;
    }
    if (wanted) {
      const { toolVars: _, ...rest } = wanted;
      const next: Applied = { ...rest };
      if (target.PYTHONHOME !== undefined) next.pythonHome = target.PYTHONHOME;
      entries.unshift(wanted.bin);
      next.block = { length: entries.length, hash: blockHash(entries) };
      target.VIRTUAL_ENV = wanted.env;
      target.VIRTUAL_ENV_PROMPT = wanted.name;
      target.PYTHONHOME = undefined;
      for (const name of TOOL_VARS) {
        const value = wanted.toolVars?.[name];
        if (value === undefined) continue;
        (next.toolVars ??= {})[name] = target[name] ?? null;
        target[name] = value;
      }
      target[STATE_VAR] = encodeState(next);
    }
    target[pathVar] = entries.length || vars[pathVar] !== undefined ? entries.join(delimiter) : undefined;
  }
  target[OFF_VAR] = off;

  const changes: Change[] = [];
  for (const name of managed) {
    if (target[name] !== vars[name]) changes.push({ name, value: target[name] });
  }
  return { kind: "changes", changes };
}

/**
 * The env in VIRTUAL_ENV when something other than venvhook activated it:
 * another env, or venvhook's own one again by an activate script, whose
 * deactivate will put back the PATH it saved (with venvhook's entry in it).
 * Until then venvhook changes nothing; after it, the first export removes
 * venvhook's entry from the PATH put back, as on leaving.
 */
export function foreignEnv(vars: Env): string | undefined {
  const current = vars.VIRTUAL_ENV;
  if (!current) return undefined;
  return vars[ACTIVATE_SCRIPT_VAR] || current !== decodeState(vars[STATE_VAR])?.env ? current : undefined;
}

/**
 * The conda env the user activated (`conda activate`), if any; conda's base
 * env, which `conda init` may activate in every shell, does not count.
 * Written from conda 4.x conda/activate.py (_Activator.build_activate,
 * _default_env: CONDA_DEFAULT_ENV is "base" for the root prefix).
 */
export function condaEnv(vars: Env): string | undefined {
  const prefix = vars.CONDA_PREFIX;
  return prefix && Number(vars.CONDA_SHLVL) > 0 && vars.CONDA_DEFAULT_ENV !== "base" ? prefix : undefined;
}

function isStillApplied(applied: Applied, wanted: Wanted, current: string | undefined, entries: string[]): boolean {
  return applied.env === wanted.env && applied.bin === wanted.bin && current === applied.env && entries.includes(applied.bin);
}

function splitPath(value: string | undefined, delimiter: string): string[] {
  return value ? value.split(delimiter) : [];
}

/**
 * Removes venvhook's entry: the one that still heads the block it made, else
 * the first one. If the user prepended a copy of the whole block, the last
 * match is ours: prepending is how PATH is usually edited.
 */
function removeOwnEntry(entries: string[], applied: Applied): void {
  const { bin, block } = applied;
  let index = entries.indexOf(bin);
  if (block) {
    for (let i = index; i >= 0; i = entries.indexOf(bin, i + 1)) {
      if (blockHash(entries.slice(i, i + block.length)) === block.hash) index = i;
    }
  }
  if (index >= 0) entries.splice(index, 1);
}

function blockHash(entries: readonly string[]): string {
  return shortHash(entries.join("\0"));
}
