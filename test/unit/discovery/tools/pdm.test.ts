// PDM's rule, on fixtures from PDM's source rules (src/pdm/project/core.py,
// src/pdm/cli/commands/venv/utils.py): PDM is not packaged in Debian, so no real pdm proves them.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { md5 } from "../../../../src/shared/sha256.ts";
import { allow, judge, loadTrust } from "../../../../src/trust/trust.ts";
import { find, makeEnv, useWorld, write } from "./fixture.ts";

const world = useWorld();

describe("pdm (fixtures from PDM's source rules)", () => {
  it("follows .pdm-python to its interpreter's env, trusted like a pointer", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "shop"\n');
    const env = makeEnv(path.join(w.root, "envs", "shop-3.12"));
    const saved = write(path.join(proj, ".pdm-python"), `${env}/bin/python\n`);
    expect((await find(w, path.join(proj, "src"))).found).toMatchObject({
      kind: "env",
      env,
      venv: saved,
      pointer: { text: `${env}/bin/python`, target: env },
      managed: { tool: "pdm", project: proj, rule: "the interpreter in .pdm-python" },
    });
    for (const text of ["envs/shop-3.12/bin/python", "/usr/bin/python3", ""]) {
      writeFileSync(saved, text);
      expect((await find(w, proj)).found, text).toBeUndefined();
    }
  });

  it("an edited .pdm-python needs allowing again, even towards an env allowed before", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "shop"\n');
    const first = makeEnv(path.join(w.root, "envs", "a"));
    const second = makeEnv(path.join(w.root, "envs", "b"));
    const saved = write(path.join(proj, ".pdm-python"), `${first}/bin/python`);
    const store = loadTrust(path.join(w.root, "trust.json"));
    const found = (await find(w, proj)).found;
    if (found?.kind !== "env") throw new Error("no env found");
    allow(found, store);
    expect(judge(found, store)).toMatchObject({ ok: true });
    writeFileSync(saved, `${second}/bin/python`);
    const edited = (await find(w, proj)).found;
    if (edited?.kind !== "env") throw new Error("no env found");
    // The env is not allowed, and neither is the pointer's new text.
    expect(judge(edited, store)).toMatchObject({ ok: false, reason: "not-allowed" });
    allow({ ...edited, pointer: undefined, managed: undefined } as typeof edited, store);
    expect(judge(edited, store)).toMatchObject({ ok: false, reason: "pointer-changed" });
  });

  it("without .pdm-python: venv/ in the project, else the one named env in {venv.location}/{folder}-{md5 hash}-{name}", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "shop"\n\n[tool.pdm]\n');
    const prefix = `shop-${md5(proj, "base64url").slice(0, 8)}-`;
    const venvs = path.join(w.home, ".local", "share", "pdm", "venvs");
    const named = makeEnv(path.join(venvs, `${prefix}3.12`));
    expect((await find(w, proj)).found).toMatchObject({ env: named, managed: { tool: "pdm" } });

    makeEnv(path.join(venvs, `${prefix}test`));
    const several = await find(w, proj);
    expect(several.found).toBeUndefined();
    expect(several.problems.map((p) => p.text)).toEqual([`shop has 2 PDM envs (${prefix}3.12, ${prefix}test) and no .pdm-python; run 'pdm use' to choose one`]);

    const located = makeEnv(path.join(w.root, "loc", `${prefix}3.12`));
    write(path.join(w.root, "pdm.toml"), `[venv]\nlocation = "${path.join(w.root, "loc")}"\n`);
    expect((await find(w, proj, { PDM_CONFIG_FILE: path.join(w.root, "pdm.toml") })).found).toMatchObject({ env: located });

    const inProject = makeEnv(path.join(proj, "venv"));
    expect((await find(w, proj)).found).toMatchObject({ env: inProject, managed: { rule: "venv/ in the project" } });
  });
});
