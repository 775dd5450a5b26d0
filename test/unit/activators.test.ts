// The user's own activation wins, and after its deactivate venvhook takes
// over with nothing left behind: the plan, step by step, with each activator
// modelled by what it does to the variables (venv's and virtualenv's activate
// scripts save PATH in _OLD_VIRTUAL_PATH and put it back; conda edits PATH in
// place, after conda/activate.py).
import { describe, expect, it } from "vitest";
import { condaEnv, foreignEnv, planActivation, type Env, type Wanted } from "../../src/activation/plan.ts";

const SHOP: Wanted = { env: "/p/shop/.venv", bin: "/p/shop/.venv/bin", name: "shop" };
const OTHER: Wanted = { env: "/p/other/.venv", bin: "/p/other/.venv/bin", name: "other" };
const BASE_PATH = "/usr/bin:/bin";

type Vars = Record<string, string | undefined>;

/** One export: applies the plan's changes as the shell would. */
function exportStep(vars: Env, wanted: Wanted | undefined, off?: string): Vars {
  const plan = planActivation(vars, wanted, undefined, off);
  const next: Vars = { ...vars };
  if (plan.kind === "changes") for (const { name, value } of plan.changes) next[name] = value;
  return next;
}

/** `source <env>/bin/activate` (venv 3.11, virtualenv 20: deactivate nondestructive, then save and prepend). */
function activate(vars: Vars, env: string): Vars {
  const next: Vars = { ...vars, VIRTUAL_ENV: env, _OLD_VIRTUAL_PATH: vars.PATH, PATH: `${env}/bin:${vars.PATH}` };
  if (vars.PYTHONHOME) {
    next._OLD_VIRTUAL_PYTHONHOME = vars.PYTHONHOME;
    delete next.PYTHONHOME;
  }
  return next;
}

/** The script's deactivate: puts back what it saved. */
function deactivate(vars: Vars): Vars {
  const next: Vars = { ...vars, PATH: vars._OLD_VIRTUAL_PATH };
  if (vars._OLD_VIRTUAL_PYTHONHOME) next.PYTHONHOME = vars._OLD_VIRTUAL_PYTHONHOME;
  for (const name of ["_OLD_VIRTUAL_PATH", "_OLD_VIRTUAL_PYTHONHOME", "VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT"]) delete next[name];
  return next;
}

/** `conda activate` of a named env: its bin first, the rest of PATH as it is. */
function condaActivate(vars: Vars, prefix: string, name: string): Vars {
  return { ...vars, CONDA_PREFIX: prefix, CONDA_DEFAULT_ENV: name, CONDA_SHLVL: "1", PATH: `${prefix}/bin:${vars.PATH}` };
}

/** `conda deactivate`: its bin removed from wherever it is now. */
function condaDeactivate(vars: Vars): Vars {
  const bin = `${vars.CONDA_PREFIX}/bin`;
  const next: Vars = { ...vars, CONDA_SHLVL: "0", PATH: vars.PATH!.split(":").filter((entry) => entry !== bin).join(":") };
  for (const name of ["CONDA_PREFIX", "CONDA_DEFAULT_ENV"]) delete next[name];
  return next;
}

const clean = (vars: Vars) => Object.fromEntries(Object.entries(vars).filter(([, value]) => value !== undefined));

describe("an activate script run over venvhook's env", () => {
  for (const [title, env] of [
    ["the same env", SHOP.env],
    ["another env", OTHER.env],
  ] as const) {
    it(`${title}: the user's wins, venvhook changes nothing until deactivate, then everything is as before`, () => {
      const start: Vars = { PATH: BASE_PATH, PYTHONHOME: "/opt/py" };
      const inShop = exportStep(start, SHOP);
      const activated = activate(inShop, env);
      expect(foreignEnv(activated)).toBe(env);
      // Leaving the project (or staying): venvhook stands aside.
      expect(planActivation(activated, undefined)).toEqual({ kind: "foreign", env });
      expect(planActivation(activated, SHOP)).toEqual({ kind: "foreign", env });

      // deactivate outside the project: exactly as before venvhook ever ran.
      expect(clean(exportStep(deactivate(activated), undefined))).toEqual(start);
      // deactivate inside it: venvhook's env again, as it was.
      expect(clean(exportStep(deactivate(activated), SHOP))).toEqual(clean(inShop));
    });
  }

  it("another project entered while the user's own env is active is taken over after deactivate", () => {
    const inShop = exportStep({ PATH: BASE_PATH }, SHOP);
    const back = exportStep(deactivate(activate(inShop, SHOP.env)), OTHER);
    expect(back.PATH).toBe(`${OTHER.bin}:${BASE_PATH}`);
    expect(back.VIRTUAL_ENV).toBe(OTHER.env);
  });

  it("an empty _OLD_VIRTUAL_PATH (what the hooks pass when there is none) is no activation", () => {
    const inShop = exportStep({ PATH: BASE_PATH }, SHOP);
    expect(foreignEnv({ ...inShop, _OLD_VIRTUAL_PATH: "" })).toBeUndefined();
  });
});

describe("a conda env activated over venvhook's", () => {
  it("venvhook steps down under it, adds nothing while it is active, and comes back after conda deactivate", () => {
    const start: Vars = { PATH: BASE_PATH };
    const inShop = exportStep(start, SHOP);
    const conda = condaActivate(inShop, "/opt/conda/envs/ml", "ml");
    expect(condaEnv(conda)).toBe("/opt/conda/envs/ml");

    const stepped = exportStep(conda, SHOP);
    expect(stepped.PATH).toBe(`/opt/conda/envs/ml/bin:${BASE_PATH}`);
    expect(stepped.VIRTUAL_ENV).toBeUndefined();
    expect(stepped.VENVHOOK_STATE).toBeUndefined();
    expect(exportStep(stepped, OTHER)).toEqual(stepped);

    expect(clean(exportStep(condaDeactivate(stepped), SHOP))).toEqual(clean({ ...inShop, CONDA_SHLVL: "0" }));
    expect(clean(exportStep(condaDeactivate(stepped), undefined))).toEqual({ ...start, CONDA_SHLVL: "0" });
  });

  it("conda's base env, which conda init may activate everywhere, does not count", () => {
    const base = condaActivate({ PATH: BASE_PATH }, "/opt/conda", "base");
    expect(condaEnv(base)).toBeUndefined();
    expect(exportStep(base, SHOP).VIRTUAL_ENV).toBe(SHOP.env);
  });
});

describe("off", () => {
  it("records the project while its env is off, and clears it when asked", () => {
    const inShop = exportStep({ PATH: BASE_PATH }, SHOP);
    const off = exportStep(inShop, undefined, "/p/shop");
    expect(off.VENVHOOK_OFF).toBe("/p/shop");
    expect(off.VIRTUAL_ENV).toBeUndefined();
    expect(off.PATH).toBe(BASE_PATH);
    expect(planActivation(off, undefined, undefined, "/p/shop")).toEqual({ kind: "changes", changes: [] });
    const on = exportStep(off, SHOP);
    expect(on.VENVHOOK_OFF).toBeUndefined();
    expect(clean(on)).toEqual(clean(inShop));
  });
});
