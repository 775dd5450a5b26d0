// Pipenv's rule, on fixtures laid out by Pipenv's source rules (test/e2e/managed.test.ts
// proves them against envs the real pipenv makes). Expected names were computed
// with Debian's pipenv 2022.12.19: Project._sanitize(folder) and its hash of the Pipfile's path.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { here } from "../../../../src/discovery/venv.ts";
import { pipenvEnvName } from "../../../../src/discovery/tools/pipenv.ts";
import { toolContext } from "../../../../src/discovery/index.ts";
import { pathHash8 } from "../../../../src/store/central.ts";
import { find, makeEnv, useWorld, write } from "./fixture.ts";

const world = useWorld();
const PIPFILE = '[packages]\n\n[requires]\npython_version = "3.12"\n';

describe("pipenv (fixtures from Pipenv's source rules)", () => {
  it("names envs as Pipenv does: the folder sanitised and cut to 42, the hash of the Pipfile's path", () => {
    const ctx = toolContext("/", {}, here());
    const cases: Array<[string, string]> = [
      ["my proj (x)", "my_proj__x_-U0qyPtaO"],
      ['weird&$`!*@"()[]\\name', "weird____________name-uMBMDfeH"],
      ["b".repeat(50), `${"b".repeat(42)}-fEZAQvKU`],
      // 42 code points, as Python slices: each snake is one.
      [`${"c".repeat(40)}🐍🐍🐍`, `${"c".repeat(40)}🐍🐍-wtfbiB8f`],
    ];
    for (const [folder, expected] of cases) expect(pipenvEnvName(`/nonexistent/${folder}/Pipfile`, ctx)).toBe(expected);
    expect(pipenvEnvName("/nonexistent/shop/Pipfile", toolContext("/", { PIPENV_PYTHON: "/usr/bin/python3.12" }, here()))).toMatch(/-python3\.12$/);
  });

  it("finds {XDG_DATA_HOME or ~/.local/share}/virtualenvs/{folder}-{hash} from the project and two folders down, not three", async () => {
    const w = world();
    const proj = path.join(w.root, "my shop");
    const pipfile = write(path.join(proj, "Pipfile"), PIPFILE);
    const env = makeEnv(path.join(w.home, ".local", "share", "virtualenvs", `my_shop-${pathHash8(pipfile)}`));
    for (const from of [proj, path.join(proj, "a"), path.join(proj, "a", "b")]) {
      expect((await find(w, from)).found, from).toMatchObject({ env, managed: { tool: "pipenv", project: proj } });
    }
    expect((await find(w, path.join(proj, "a", "b", "c"))).found).toBeUndefined();
    expect((await find(w, path.join(proj, "a", "b", "c"), { PIPENV_MAX_DEPTH: "4" })).found).toMatchObject({ env });
    expect((await find(w, path.join(proj, "a"), { PIPENV_NO_INHERIT: "1" })).found).toBeUndefined();
    const moved = makeEnv(path.join(w.root, "xdg", "virtualenvs", `my_shop-${pathHash8(pipfile)}`));
    expect((await find(w, proj, { XDG_DATA_HOME: path.join(w.root, "xdg") })).found).toMatchObject({ env: moved });
  });

  it("honours WORKON_HOME, PIPENV_CUSTOM_VENV_NAME and in-project settings; a custom name with a separator is not followed", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    const pipfile = write(path.join(proj, "Pipfile"), PIPFILE);
    const workon = path.join(w.root, "workon");
    const env = makeEnv(path.join(workon, `shop-${pathHash8(pipfile)}`));
    const custom = makeEnv(path.join(workon, "custom"));
    makeEnv(path.join(w.root, "outside"));
    expect((await find(w, proj, { WORKON_HOME: workon })).found).toMatchObject({ env });
    expect((await find(w, proj, { WORKON_HOME: "$HERE/workon", HERE: w.root })).found).toMatchObject({ env });
    expect((await find(w, proj, { WORKON_HOME: workon, PIPENV_CUSTOM_VENV_NAME: "custom" })).found).toMatchObject({ env: custom });
    expect((await find(w, proj, { WORKON_HOME: workon, PIPENV_CUSTOM_VENV_NAME: "../outside" })).found).toBeUndefined();
    expect((await find(w, proj, { WORKON_HOME: workon, PIPENV_VENV_IN_PROJECT: "1" })).found).toBeUndefined();
    write(pipfile, `${PIPFILE}\n[pipenv]\nvenv_in_project = true\n`);
    expect((await find(w, proj, { WORKON_HOME: workon })).found).toBeUndefined();
    expect((await find(w, proj, { WORKON_HOME: workon, PIPENV_NO_VENV_IN_PROJECT: "1" })).found).toMatchObject({ env });
  });
});
