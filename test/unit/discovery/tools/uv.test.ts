// uv's rule, on fixtures from uv's source rules (crates/uv-workspace/src/workspace.rs):
// uv cannot be installed here, so no real uv proves them.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { find, makeEnv, useWorld, write } from "./fixture.ts";

const world = useWorld();

describe("uv (fixtures from uv's source rules)", () => {
  it("a workspace member's env is the workspace root's .venv, by uv's rule", async () => {
    const w = world();
    const ws = path.join(w.root, "ws");
    write(path.join(ws, "pyproject.toml"), '[project]\nname = "ws"\n\n[tool.uv.workspace]\nmembers = ["packages/*", "libs/**"]\nexclude = ["packages/legacy"]\n');
    write(path.join(ws, "uv.lock"), "");
    const env = makeEnv(path.join(ws, ".venv"));
    for (const member of ["packages/a", "libs/x/y"]) {
      const proj = path.join(ws, member);
      write(path.join(proj, "pyproject.toml"), `[project]\nname = "m"\n\n[tool.poetry]\nname = "m"\n`);
      expect((await find(w, path.join(proj, "src"))).found, member).toMatchObject({
        env,
        managed: { tool: "uv", project: proj, rule: `.venv in the workspace root ${ws}` },
      });
    }
    // Excluded, or not matched: the project is its own workspace, and its .venv is not made.
    for (const other of ["packages/legacy", "tools/t"]) {
      const proj = path.join(ws, other);
      write(path.join(proj, "pyproject.toml"), '[project]\nname = "o"\n\n[tool.uv]\n');
      const { found } = await find(w, proj);
      expect(found, other).toMatchObject({ env, venv: env });
      expect(found?.kind === "env" ? found.managed : "broken", other).toBeUndefined();
    }
  });

  it("UV_PROJECT_ENVIRONMENT, relative to the workspace root or absolute", async () => {
    const w = world();
    const proj = path.join(w.root, "app");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "app"\n\n[tool.uv]\ndev-dependencies = []\n');
    const relative = makeEnv(path.join(proj, "envs", "dev"));
    const absolute = makeEnv(path.join(w.root, "elsewhere"));
    expect((await find(w, proj, { UV_PROJECT_ENVIRONMENT: "envs/dev" })).found).toMatchObject({
      env: relative,
      managed: { rule: "UV_PROJECT_ENVIRONMENT=envs/dev, relative to the project" },
    });
    expect((await find(w, proj, { UV_PROJECT_ENVIRONMENT: absolute })).found).toMatchObject({ env: absolute });
    expect(await find(w, proj)).toEqual({ problems: [], expected: { tool: "uv", project: proj } });
  });

  it("is not uv's project without uv.lock or [tool.uv], nor when tool.uv.managed is false; a glob with .. never matches", async () => {
    const w = world();
    const proj = path.join(w.root, "plain");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "plain"\n');
    makeEnv(path.join(w.root, "env"));
    expect(await find(w, proj, { UV_PROJECT_ENVIRONMENT: path.join(w.root, "env") })).toEqual({ problems: [] });
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "plain"\n\n[tool.uv]\nmanaged = false\n');
    expect(await find(w, proj, { UV_PROJECT_ENVIRONMENT: path.join(w.root, "env") })).toEqual({ problems: [] });

    const ws = path.join(w.root, "ws");
    write(path.join(ws, "pyproject.toml"), '[tool.uv.workspace]\nmembers = ["../ws/member"]\n');
    makeEnv(path.join(ws, "shared"));
    const member = path.join(ws, "member");
    write(path.join(member, "pyproject.toml"), '[project]\nname = "member"\n\n[tool.uv]\n');
    expect((await find(w, member, { UV_PROJECT_ENVIRONMENT: "shared" })).found).toBeUndefined();
  });
});
