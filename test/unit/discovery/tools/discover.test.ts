// How the tools' rules fit into discovery: the nearest thing wins, `.venv`
// first within a folder, then uv, Poetry, Pipenv, Hatch, PDM; config.toml's
// [tools] turns rules off; malformed files are one notice, never a crash.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pathHash8 } from "../../../../src/store/central.ts";
import { find, makeEnv, useWorld, write } from "./fixture.ts";

const world = useWorld();

/** A project that is Poetry's, Pipenv's and Hatch's at once, with each tool's env made. */
function everyTool(root: string, home: string): { proj: string; poetry: string; pipenv: string; hatch: string } {
  const proj = path.join(root, "shop");
  write(path.join(proj, "pyproject.toml"), '[project]\nname = "shop"\n\n[tool.poetry]\n\n[tool.hatch]\n');
  const pipfile = write(path.join(proj, "Pipfile"), "[packages]\n");
  return {
    proj,
    poetry: makeEnv(path.join(home, ".cache", "pypoetry", "virtualenvs", `shop-${pathHash8(proj)}-py3.12`)),
    pipenv: makeEnv(path.join(home, ".local", "share", "virtualenvs", `shop-${pathHash8(pipfile)}`)),
    hatch: makeEnv(path.join(home, ".local", "share", "hatch", "env", "virtual", "shop", pathHash8(proj), "shop")),
  };
}

describe("tool-managed envs in discovery", () => {
  it("in one folder: .venv, then uv, Poetry, Pipenv, Hatch, PDM; [tools] in config.toml turns a rule off", async () => {
    const w = world();
    const envs = everyTool(w.root, w.home);
    const { proj } = envs;
    expect((await find(w, proj)).found).toMatchObject({ env: envs.poetry, managed: { tool: "poetry" } });
    write(path.join(proj, "uv.lock"), "");
    const uv = makeEnv(path.join(w.root, "uv-env"));
    expect((await find(w, proj, { UV_PROJECT_ENVIRONMENT: uv })).found).toMatchObject({ env: uv, managed: { tool: "uv" } });
    write(w.config, "[tools]\npoetry = false\n");
    expect((await find(w, proj)).found).toMatchObject({ env: envs.pipenv, managed: { tool: "pipenv" } });
    write(w.config, "[tools]\npoetry = false\npipenv = false\n");
    expect((await find(w, proj)).found).toMatchObject({ env: envs.hatch, managed: { tool: "hatch" } });
    const venv = makeEnv(path.join(proj, ".venv"));
    expect((await find(w, proj)).found).toEqual(expect.objectContaining({ env: venv, venv }));
  });

  it("the nearest wins: a project's tool env beats a .venv further up, and a .venv further down beats the tool env", async () => {
    const w = world();
    const homeVenv = makeEnv(path.join(w.root, ".venv"));
    const envs = everyTool(w.root, w.home);
    expect((await find(w, path.join(envs.proj, "src"))).found).toMatchObject({ env: envs.poetry });
    const inner = makeEnv(path.join(envs.proj, "src", ".venv"));
    expect((await find(w, path.join(envs.proj, "src"))).found).toMatchObject({ env: inner, venv: inner });
    // A project whose env is not made lets the walk go on (as any project without an env).
    write(path.join(w.root, "other", "pyproject.toml"), '[tool.poetry]\nname = "other"\n');
    expect(await find(w, path.join(w.root, "other"))).toMatchObject({ found: { env: homeVenv } });
  });

  it("a malformed pyproject.toml or config.toml is one notice, and discovery goes on", async () => {
    const w = world();
    const outer = makeEnv(path.join(w.root, ".venv"));
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[tool.poetry\nname = "x"\n');
    const discovery = await find(w, path.join(proj, "src"));
    expect(discovery.found).toMatchObject({ env: outer });
    expect(discovery.problems).toHaveLength(1);
    expect(discovery.problems[0]!.text).toMatch(/^\.\.\/pyproject\.toml is not valid TOML \([^\n]+\); fix it$/);

    write(path.join(proj, "pyproject.toml"), '[tool.poetry]\nname = "x"\n');
    write(w.config, "[tools]\npoetry = 'no'\nruby = true\n");
    const bad = await find(w, proj);
    expect(bad.problems.map((p) => p.text)).toEqual([`[tools] in ${w.config} has poetry = "no", ruby = true; use uv, poetry, pipenv, hatch, pdm = true or false`]);
    write(w.config, "tools = [");
    expect((await find(w, proj)).problems[0]!.text).toMatch(/is not valid TOML .*; fix it$/);
  });

  it("hostile files are data: binary junk, huge files, a name with a newline, and a pyproject.toml that is a folder", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), "\u0000\u00ff\n= = =");
    expect((await find(w, proj)).problems[0]!.text).toContain("is not valid TOML");
    write(path.join(proj, "pyproject.toml"), `a = "${"x".repeat(1 << 20)}"\n`);
    expect((await find(w, proj)).problems[0]!.text).toBe("./pyproject.toml is too large to be read (over 1 MiB)");
    write(path.join(proj, "pyproject.toml"), '[tool.poetry]\nname = "a\\nvenvhook: fake second line $(touch PWNED)"\n');
    const found = await find(w, proj);
    expect(found).toEqual({ problems: [], expected: { tool: "poetry", project: proj } });
    write(path.join(w.root, "dir", "pyproject.toml", "x"), "");
    expect(await find(w, path.join(w.root, "dir"))).toEqual({ problems: [] });
  });
});
