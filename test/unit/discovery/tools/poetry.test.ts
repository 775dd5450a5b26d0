// Poetry's rule, on fixtures laid out by Poetry's source rules (test/e2e/managed.test.ts
// proves them against envs the real poetry makes). The names below were
// computed by Debian's poetry 1.3.2: EnvManager.generate_env_name(canonicalize_name(name), "/nonexistent/p/shop").
import path from "node:path";
import { describe, expect, it } from "vitest";
import { poetryBaseName } from "../../../../src/discovery/tools/poetry.ts";
import { pathHash8 } from "../../../../src/store/central.ts";
import { find, makeEnv, useWorld, write } from "./fixture.ts";

const world = useWorld();
const POETRY = '[tool.poetry]\nname = "Shop_App"\nversion = "0.1.0"\n';

describe("poetry (fixtures from Poetry's source rules)", () => {
  it("names envs exactly as Poetry's generate_env_name does, hostile names included", () => {
    const cases: Record<string, string | undefined> = {
      Shop_App: "shop-app-H98iSJz1",
      "$(touch PWNED) `id` 'q' \"d\"": "_(touch_pwned)__id__'q'__d_-H98iSJz1",
      ["a".repeat(60)]: `${"a".repeat(42)}-H98iSJz1`,
      "Ünïcödé.Name": "ünïcödé-name-H98iSJz1",
      // Cut at 42 code points, as Python slices: a character outside the BMP counts once.
      ["a".repeat(41) + "😀😀"]: `${"a".repeat(41)}😀-H98iSJz1`,
      ["🐍".repeat(50)]: `${"🐍".repeat(42)}-H98iSJz1`,
      "tab\there\nnl": "tab_here_nl-H98iSJz1",
      "x!*@y": "x___y-H98iSJz1",
      // Poetry itself would make "-/-/evil-H98iSJz1", a folder two levels down: never followed.
      "../../evil": undefined,
    };
    for (const [name, expected] of Object.entries(cases)) expect(poetryBaseName(name, "/nonexistent/p/shop", "linux"), name).toBe(expected);
    // On Windows, os.path.normcase: lower case and backslashes (Python's ntpath.normcase("C:\\Users\\Me\\Shop")).
    expect(poetryBaseName("shop", "C:\\Users\\Me\\Shop", "win32")).toBe("shop-V4ReXcIx");
  });

  it("finds {cache}/pypoetry/virtualenvs/{name}-{hash}-py{X.Y} from below the project, the version from envs.toml", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), POETRY);
    const envs = path.join(w.root, "cache", "pypoetry", "virtualenvs");
    const base = `shop-app-${pathHash8(proj)}`;
    makeEnv(path.join(envs, `${base}-py3.12`));
    const chosen = makeEnv(path.join(envs, `${base}-py3.10`), "3.10.4");
    write(path.join(envs, "envs.toml"), `[${base}]\nminor = "3.10"\npatch = "3.10.4"\n`);
    const { found } = await find(w, path.join(proj, "src", "pkg"), { XDG_CACHE_HOME: path.join(w.root, "cache") });
    expect(found).toMatchObject({
      kind: "env",
      env: chosen,
      venv: chosen,
      config: { version: "3.10.4" },
      managed: { tool: "poetry", project: proj, rule: expect.stringContaining("Python 3.10 from envs.toml") },
    });
  });

  it("without envs.toml takes the newest env; one envs.toml names but that is gone means no env", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), POETRY);
    const envs = path.join(w.home, ".cache", "pypoetry", "virtualenvs");
    const base = `shop-app-${pathHash8(proj)}`;
    makeEnv(path.join(envs, `${base}-py3.9`));
    const newest = makeEnv(path.join(envs, `${base}-py3.12`));
    makeEnv(path.join(envs, `${base}-py3.100x`));
    expect((await find(w, proj)).found).toMatchObject({ env: newest, managed: { rule: expect.stringContaining("the newest") } });
    write(path.join(envs, "envs.toml"), `[${base}]\nminor = "3.11"\n`);
    expect(await find(w, proj)).toEqual({ problems: [], expected: { tool: "poetry", project: proj } });
  });

  it("honours POETRY_VIRTUALENVS_PATH, POETRY_CACHE_DIR, poetry.toml and Poetry's config.toml, in Poetry's order", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "shop"\n\n[tool.poetry]\n');
    const base = `shop-${pathHash8(proj)}`;
    const at = (dir: string) => makeEnv(path.join(dir, `${base}-py3.12`));
    const fromConfig = at(path.join(w.root, "global-envs"));
    write(path.join(w.root, "poetry-config", "config.toml"), `[virtualenvs]\npath = "${path.join(w.root, "global-envs")}"\n`);
    const vars = { POETRY_CONFIG_DIR: path.join(w.root, "poetry-config") };
    expect((await find(w, proj, vars)).found).toMatchObject({ env: fromConfig, managed: { rule: expect.stringContaining("from Poetry's config.toml") } });

    const fromLocal = at(path.join(proj, "local-envs"));
    write(path.join(proj, "poetry.toml"), '[virtualenvs]\npath = "local-envs"\n');
    expect((await find(w, proj, vars)).found).toMatchObject({ env: fromLocal, managed: { rule: expect.stringContaining("from poetry.toml") } });

    const fromCacheDir = at(path.join(w.root, "c", "virtualenvs"));
    write(path.join(proj, "poetry.toml"), "");
    write(path.join(w.root, "poetry-config", "config.toml"), "");
    expect((await find(w, proj, { ...vars, POETRY_CACHE_DIR: path.join(w.root, "c") })).found).toMatchObject({ env: fromCacheDir });

    const fromVariable = at(path.join(w.root, "v"));
    const found = (await find(w, proj, { ...vars, POETRY_VIRTUALENVS_PATH: path.join(w.root, "v") })).found;
    expect(found).toMatchObject({ env: fromVariable, managed: { rule: expect.stringContaining("from POETRY_VIRTUALENVS_PATH") } });
  });

  it("in-project (or create = false) means the project's own .venv or nothing; a poetry.lock alone makes it Poetry's", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "shop"\n');
    write(path.join(proj, "poetry.lock"), "");
    const env = makeEnv(path.join(w.home, ".cache", "pypoetry", "virtualenvs", `shop-${pathHash8(proj)}-py3.12`));
    expect((await find(w, proj)).found).toMatchObject({ env, managed: { tool: "poetry" } });
    expect((await find(w, proj, { POETRY_VIRTUALENVS_IN_PROJECT: "true" })).found).toBeUndefined();
    write(path.join(proj, "poetry.toml"), "[virtualenvs]\ncreate = false\n");
    expect((await find(w, proj)).found).toBeUndefined();
  });

  it("a hostile name never leads out of virtualenvs.path", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[tool.poetry]\nname = "../../evil"\n');
    const envs = path.join(w.home, ".cache", "pypoetry", "virtualenvs");
    // Where Poetry's own name would lead: made here to show it is not followed.
    makeEnv(path.join(envs, "-", "-", `evil-${pathHash8(proj)}-py3.12`));
    expect(await find(w, proj)).toEqual({ problems: [], expected: { tool: "poetry", project: proj } });
  });
});
