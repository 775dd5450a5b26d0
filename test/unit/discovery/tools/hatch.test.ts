// Hatch's rule, on fixtures from Hatch's source rules (src/hatch/env/virtual.py and
// the config it reads): Hatch is not packaged in Debian, so no real hatch proves them.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pathHash8 } from "../../../../src/store/central.ts";
import { find, makeEnv, useWorld, write } from "./fixture.ts";

const world = useWorld();
const HATCH = '[project]\nname = "My.Shop"\n\n[tool.hatch.envs.default]\ndependencies = []\n';

describe("hatch (fixtures from Hatch's source rules)", () => {
  it("finds {data}/env/virtual/{name}/{hash8}/{name}, data from platformdirs or HATCH_DATA_DIR", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), HATCH);
    const env = makeEnv(path.join(w.home, ".local", "share", "hatch", "env", "virtual", "my-shop", pathHash8(proj), "my-shop"));
    expect((await find(w, path.join(proj, "src")))).toMatchObject({ found: { env, managed: { tool: "hatch", project: proj } } });
    const moved = makeEnv(path.join(w.root, "hd", "env", "virtual", "my-shop", pathHash8(proj), "my-shop"));
    expect((await find(w, proj, { HATCH_DATA_DIR: path.join(w.root, "hd") })).found).toMatchObject({ env: moved });
  });

  it("dirs.env.virtual from Hatch's config: relative to the project and inside it, the layout is flat", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), HATCH);
    write(path.join(w.root, "hatch-config.toml"), '[dirs.env]\nvirtual = ".hatch"\n');
    const env = makeEnv(path.join(proj, ".hatch", "my-shop"));
    expect((await find(w, proj, { HATCH_CONFIG: path.join(w.root, "hatch-config.toml") })).found).toMatchObject({
      env,
      managed: { rule: expect.stringContaining("{env folder}/{name}, env folder .hatch (dirs.env.virtual)") },
    });
  });

  it("the default env's path option leads only into the project; hatch.toml marks a Hatch project too", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "shop"\n');
    write(path.join(proj, "hatch.toml"), '[envs.default]\npath = "envs/dev"\n');
    const inside = makeEnv(path.join(proj, "envs", "dev"));
    expect((await find(w, proj)).found).toMatchObject({ env: inside, managed: { tool: "hatch" } });
    makeEnv(path.join(w.root, "outside"));
    write(path.join(proj, "hatch.toml"), '[envs.default]\npath = "../outside"\n');
    expect(await find(w, proj)).toEqual({ problems: [], expected: { tool: "hatch", project: proj } });
    write(path.join(proj, "hatch.toml"), '[envs.default]\ntype = "container"\n');
    expect(await find(w, proj)).toEqual({ problems: [] });
  });

  it("a name that is not one folder name is not followed", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "../x"\n\n[tool.hatch]\n');
    expect(await find(w, proj)).toEqual({ problems: [], expected: { tool: "hatch", project: proj } });
  });
});
