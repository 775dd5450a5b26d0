// The environment `venvhook run` gives its command: the calling shell's
// variables with whatever env is active there taken off, then the wanted env
// put on, as the hook would. Both steps are planActivation's changes applied
// to a copy, so the child gets exactly what an interactive shell would have.
import { foreignEnv, planActivation, type Env, type Plan, type Wanted } from "./plan.ts";
import { host, type Platform } from "./platform.ts";
import { ACTIVATE_SCRIPT_VAR } from "./state.ts";

/** Without it, planActivation does not see an activated conda env (plan.ts, condaEnv). */
const CONDA_LEVEL = "CONDA_SHLVL";

export function childEnv(vars: Env, wanted: Wanted, platform: Platform = host): Record<string, string> {
  const env: Record<string, string | undefined> = { ...vars };
  // The user's own activation is replaced for the child: the command asked for this env.
  const foreign = foreignEnv(env);
  if (foreign) dropForeign(env, foreign, platform);
  // The hook steps down under conda because conda edits the shell's PATH in
  // place later; no one edits the child's, so the env goes first all the same.
  for (const step of [undefined, wanted]) apply(env, planActivation({ ...env, [CONDA_LEVEL]: undefined }, step, platform));
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}

/** What deactivating the foreign env would leave: its entry off PATH, its variables unset. */
function dropForeign(env: Record<string, string | undefined>, foreign: string, platform: Platform): void {
  const pathVar = platform.pathVar(env);
  const { delimiter } = platform.path;
  const entries = env[pathVar]?.split(delimiter) ?? [];
  const index = entries.indexOf(platform.path.join(foreign, platform.bin));
  if (index >= 0) {
    entries.splice(index, 1);
    env[pathVar] = entries.join(delimiter);
  }
  for (const name of ["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", ACTIVATE_SCRIPT_VAR]) env[name] = undefined;
}

function apply(env: Record<string, string | undefined>, plan: Plan): void {
  // Never foreign here: the foreign env was dropped above.
  if (plan.kind !== "changes") return;
  for (const { name, value } of plan.changes) env[name] = value;
}
