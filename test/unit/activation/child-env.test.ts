// The environment `venvhook run` gives its command, on POSIX and (with path.win32) on Windows.
import { describe, expect, it } from "vitest";
import { childEnv } from "../../../src/activation/child-env.ts";
import { planActivation, type Env, type Wanted } from "../../../src/activation/plan.ts";
import { posix, windows } from "../../../src/activation/platform.ts";
import { decodeState } from "../../../src/activation/state.ts";

const A: Wanted = { env: "/p/a/.venv", bin: "/p/a/.venv/bin", name: "a" };
const B: Wanted = { env: "/p/b/.venv", bin: "/p/b/.venv/bin", name: "b" };

/** A shell where the hook activated `wanted`, as it would have. */
function activeIn(vars: Env, wanted: Wanted): Record<string, string | undefined> {
  const plan = planActivation(vars, wanted, posix);
  const next: Record<string, string | undefined> = { ...vars };
  if (plan.kind === "changes") for (const { name, value } of plan.changes) next[name] = value;
  return next;
}

describe("childEnv", () => {
  it("puts the env first on PATH with VIRTUAL_ENV, VIRTUAL_ENV_PROMPT and the state set, PYTHONHOME unset, the rest kept", () => {
    const env = childEnv({ PATH: "/usr/bin:/bin", HOME: "/h", PYTHONHOME: "/opt/py" }, A, posix);
    expect(env).toMatchObject({ PATH: "/p/a/.venv/bin:/usr/bin:/bin", VIRTUAL_ENV: A.env, VIRTUAL_ENV_PROMPT: "a", HOME: "/h" });
    expect(env.PYTHONHOME).toBeUndefined();
    expect(decodeState(env.VENVHOOK_STATE)).toMatchObject({ ...A, pythonHome: "/opt/py" });
  });

  it("takes off what the hook applied in the calling shell first: another project's env is gone from PATH", () => {
    const shell = activeIn({ PATH: "/usr/bin:/bin", PYTHONHOME: "/opt/py" }, A);
    const env = childEnv({ ...shell, VENVHOOK_OFF: "/p/a" }, B, posix);
    expect(env.PATH).toBe("/p/b/.venv/bin:/usr/bin:/bin");
    expect(env).toMatchObject({ VIRTUAL_ENV: B.env, VIRTUAL_ENV_PROMPT: "b" });
    expect(decodeState(env.VENVHOOK_STATE)).toMatchObject({ ...B, pythonHome: "/opt/py" });
    expect(env.VENVHOOK_OFF).toBeUndefined();
  });

  it("the same env as the shell's: on PATH once, first", () => {
    const shell = activeIn({ PATH: "/usr/bin" }, A);
    const env = childEnv({ ...shell, PATH: `/mine:${shell.PATH}` }, A, posix);
    expect(env.PATH).toBe("/p/a/.venv/bin:/mine:/usr/bin");
  });

  it("replaces a foreign activation for the child: its bin off PATH, its variables gone", () => {
    const foreign = { PATH: "/q/env/bin:/usr/bin", VIRTUAL_ENV: "/q/env", VIRTUAL_ENV_PROMPT: "q", _OLD_VIRTUAL_PATH: "/usr/bin" };
    const env = childEnv(foreign, A, posix);
    expect(env).toMatchObject({ PATH: "/p/a/.venv/bin:/usr/bin", VIRTUAL_ENV: A.env, VIRTUAL_ENV_PROMPT: "a" });
    expect(env._OLD_VIRTUAL_PATH).toBeUndefined();
  });

  it("puts the env first under an activated conda env too, leaving conda's variables", () => {
    const conda = { PATH: "/c/envs/x/bin:/usr/bin", CONDA_PREFIX: "/c/envs/x", CONDA_SHLVL: "1", CONDA_DEFAULT_ENV: "x" };
    const env = childEnv(conda, A, posix);
    expect(env).toMatchObject({ PATH: "/p/a/.venv/bin:/c/envs/x/bin:/usr/bin", VIRTUAL_ENV: A.env, CONDA_SHLVL: "1" });
  });

  it("with PATH unset (an empty environment), PATH is the env's bin alone", () => {
    expect(childEnv({}, A, posix).PATH).toBe(A.bin);
  });

  it("on Windows: Scripts first on Path as the environment spells it, with ';'", () => {
    const W: Wanted = { env: "C:\\p\\a\\.venv", bin: "C:\\p\\a\\.venv\\Scripts", name: "a" };
    const env = childEnv({ Path: "C:\\Windows\\system32;C:\\Windows", PYTHONHOME: "C:\\Py" }, W, windows);
    expect(env.Path).toBe("C:\\p\\a\\.venv\\Scripts;C:\\Windows\\system32;C:\\Windows");
    expect(env.PATH).toBeUndefined();
    expect(env).toMatchObject({ VIRTUAL_ENV: W.env, VIRTUAL_ENV_PROMPT: "a" });
    expect(env.PYTHONHOME).toBeUndefined();
  });

  it("on Windows: a foreign env's Scripts folder comes off Path", () => {
    const W: Wanted = { env: "D:\\b\\.venv", bin: "D:\\b\\.venv\\Scripts", name: "b" };
    const env = childEnv({ Path: "C:\\q\\env\\Scripts;C:\\Windows", VIRTUAL_ENV: "C:\\q\\env" }, W, windows);
    expect(env.Path).toBe("D:\\b\\.venv\\Scripts;C:\\Windows");
  });
});
