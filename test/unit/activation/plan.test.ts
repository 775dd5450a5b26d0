import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planActivation, type Change, type Env, type Wanted } from "../../../src/activation/plan.ts";
import { decodeState } from "../../../src/activation/state.ts";

const A: Wanted = { env: "/p/a/.venv", bin: "/p/a/.venv/bin", name: "a" };
const B: Wanted = { env: "/p/b/.venv", bin: "/p/b/.venv/bin", name: "b" };

/** Applies a plan's changes to an environment, as the shell would. */
function apply(vars: Env, wanted: Wanted | undefined): Record<string, string | undefined> {
  const plan = planActivation(vars, wanted);
  const next: Record<string, string | undefined> = { ...vars };
  if (plan.kind === "changes") for (const { name, value } of plan.changes) next[name] = value;
  return next;
}

function changes(vars: Env, wanted: Wanted | undefined): Change[] {
  const plan = planActivation(vars, wanted);
  if (plan.kind !== "changes") throw new Error("foreign");
  return plan.changes;
}

describe("planActivation", () => {
  it("activates: bin first on PATH, VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, state", () => {
    const after = apply({ PATH: "/usr/bin:/bin" }, A);
    expect(after.PATH).toBe("/p/a/.venv/bin:/usr/bin:/bin");
    expect(after.VIRTUAL_ENV).toBe(A.env);
    expect(after.VIRTUAL_ENV_PROMPT).toBe("a");
    expect(decodeState(after.VENVHOOK_STATE)).toMatchObject(A);
  });

  it("sets what the env's tool sets in its own shell, and puts back what was there on leaving", () => {
    const pipenv: Wanted = { ...B, toolVars: { PIPENV_IGNORE_VIRTUALENVS: "1" } };
    const active = apply({ PATH: "/usr/bin" }, pipenv);
    expect(active.PIPENV_IGNORE_VIRTUALENVS).toBe("1");
    const left = apply(active, undefined);
    expect(left).toEqual({ PATH: "/usr/bin", VIRTUAL_ENV: undefined, VIRTUAL_ENV_PROMPT: undefined, PIPENV_IGNORE_VIRTUALENVS: undefined, VENVHOOK_STATE: undefined });
    // A value the user had comes back, also after moving to an env without the tool.
    const had = apply({ PATH: "/usr/bin", PIPENV_IGNORE_VIRTUALENVS: "mine" }, pipenv);
    expect(had.PIPENV_IGNORE_VIRTUALENVS).toBe("1");
    expect(apply(had, A).PIPENV_IGNORE_VIRTUALENVS).toBe("mine");
    expect(changes(had, pipenv)).toEqual([]);
  });

  it("prints nothing when nothing changes", () => {
    const active = apply({ PATH: "/usr/bin" }, A);
    expect(changes(active, A)).toEqual([]);
    expect(changes({ PATH: "/usr/bin" }, undefined)).toEqual([]);
  });

  it("leaves exactly as before, keeping PATH edits made inside", () => {
    const active = apply({ PATH: "/usr/bin:/bin", OTHER: "x" }, A);
    const edited = { ...active, PATH: `/mine/first:${active.PATH}:/mine/last` };
    const after = apply(edited, undefined);
    expect(after.PATH).toBe("/mine/first:/usr/bin:/bin:/mine/last");
    for (const name of ["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "VENVHOOK_STATE"]) expect(after[name]).toBeUndefined();
  });

  it("removes only its own entry when the same folder is also on PATH elsewhere", () => {
    const active = apply({ PATH: "/usr/bin:/p/a/.venv/bin" }, A);
    expect(active.PATH).toBe("/p/a/.venv/bin:/usr/bin:/p/a/.venv/bin");
    expect(apply(active, undefined).PATH).toBe("/usr/bin:/p/a/.venv/bin");
  });

  it("removes its own entry, not the user's copy of it added later", () => {
    const active = apply({ PATH: "/usr/bin" }, A);
    const edited = { ...active, PATH: `${A.bin}:/mine:${active.PATH}` };
    expect(apply(edited, undefined).PATH).toBe(`${A.bin}:/mine:/usr/bin`);
  });

  it("switches from one project to another in one step", () => {
    const inA = apply({ PATH: "/usr/bin" }, A);
    const inB = apply(inA, B);
    expect(inB.PATH).toBe("/p/b/.venv/bin:/usr/bin");
    expect(inB.VIRTUAL_ENV).toBe(B.env);
    expect(apply(inB, undefined).PATH).toBe("/usr/bin");
  });

  it("staying in the same env keeps the user's PATH order", () => {
    const active = apply({ PATH: "/usr/bin" }, A);
    const edited = { ...active, PATH: `/mine:${active.PATH}` };
    expect(changes(edited, A)).toEqual([]);
  });

  it("puts its entry back if the user removed it, without stacking", () => {
    const active = apply({ PATH: "/usr/bin" }, A);
    const after = apply({ ...active, PATH: "/usr/bin" }, A);
    expect(after.PATH).toBe("/p/a/.venv/bin:/usr/bin");
  });

  it("updates the name alone when pyvenv.cfg's prompt changed", () => {
    const active = apply({ PATH: "/usr/bin" }, A);
    const after = apply(active, { ...A, name: "renamed" });
    expect(after.PATH).toBe(active.PATH);
    expect(after.VIRTUAL_ENV_PROMPT).toBe("renamed");
  });

  it("unsets PYTHONHOME while active and restores it after", () => {
    const active = apply({ PATH: "/usr/bin", PYTHONHOME: "/opt/py" }, A);
    expect(active.PYTHONHOME).toBeUndefined();
    expect(apply(active, undefined).PYTHONHOME).toBe("/opt/py");
    expect(apply(apply({ PATH: "/usr/bin" }, A), undefined).PYTHONHOME).toBeUndefined();
  });

  it("stands aside for the user's own activation", () => {
    expect(planActivation({ PATH: "/x/bin:/usr/bin", VIRTUAL_ENV: "/x" }, A)).toEqual({ kind: "foreign", env: "/x" });
    const ours = apply({ PATH: "/usr/bin" }, A);
    expect(planActivation({ ...ours, VIRTUAL_ENV: "/x" }, undefined)).toEqual({ kind: "foreign", env: "/x" });
  });

  it("takes over again after the user's deactivate (VIRTUAL_ENV gone, state left)", () => {
    const ours = apply({ PATH: "/usr/bin" }, A);
    // A stock activate on top, then deactivate: PATH is restored to ours, VIRTUAL_ENV unset.
    const afterDeactivate = { ...ours, VIRTUAL_ENV: undefined };
    const after = apply(afterDeactivate, A);
    expect(after.PATH).toBe("/p/a/.venv/bin:/usr/bin");
    expect(after.VIRTUAL_ENV).toBe(A.env);
  });

  it("any sequence of moves and user PATH edits, then leaving, restores the user's PATH exactly", () => {
    // Users may prepend copies of an env's bin; appending one after a copy of venvhook's whole block is ambiguous by nature.
    const plain = fc.constantFrom("/usr/bin", "/bin", "/opt/x", "/home/u/bin");
    const entry = fc.oneof(plain, fc.constantFrom(A.bin, B.bin));
    const step = fc.oneof(
      fc.record({ move: fc.constantFrom<Wanted | undefined>(A, B, undefined) }),
      fc.record({ prepend: entry }),
      fc.record({ append: plain }),
    );
    fc.assert(
      // A PATH is never empty in practice; with an empty one venvhook's block is its entry alone.
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), fc.array(step, { maxLength: 12 }), (start, steps) => {
        let vars: Record<string, string | undefined> = { PATH: start.join(":") };
        const userEntries = [...start];
        for (const s of steps) {
          if ("move" in s) vars = apply(vars, s.move);
          else if ("prepend" in s) {
            vars.PATH = vars.PATH ? `${s.prepend}:${vars.PATH}` : s.prepend;
            userEntries.unshift(s.prepend);
          } else {
            vars.PATH = vars.PATH ? `${vars.PATH}:${s.append}` : s.append;
            userEntries.push(s.append);
          }
        }
        const left = apply(vars, undefined);
        expect(left.PATH ?? "").toBe(userEntries.join(":"));
        expect(left.VIRTUAL_ENV).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
