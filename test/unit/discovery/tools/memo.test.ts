// The memo of tool-rule outcomes (src/discovery/tools/memo.ts): a kept outcome must be
// exactly what the rules would compute now, whatever changed in between, and
// a cd below a project whose inputs did not change must not parse anything.
import fc from "fast-check";
import { mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { here, type Surroundings } from "../../../../src/discovery/venv.ts";
import { discover, toolContext, type Discovery } from "../../../../src/discovery/index.ts";
import { Memo } from "../../../../src/discovery/tools/memo.ts";
import { pathHash8 } from "../../../../src/store/central.ts";
import { makeEnv, useWorld, write, type World } from "./fixture.ts";

const world = useWorld();

/** Well after any file the test wrote: nothing counts as racily changed. */
const later = () => Date.now() + 60_000;

interface Run {
  discovery: Discovery;
  /** Files read (not merely looked at) on the way, other than the memo's own. */
  read: string[];
}

async function run(w: World, from: string, vars: Record<string, string>, memo?: Memo): Promise<Run> {
  const read: string[] = [];
  const s: Surroundings = {
    ...here(),
    home: w.home,
    workonHome: undefined,
    readHead: (file, limit) => {
      if (!file.startsWith(memoFolder(w))) read.push(file);
      return here().readHead(file, limit);
    },
  };
  const ctx = toolContext(from, { HOME: w.home, ...vars }, s);
  ctx.os = "linux";
  return { discovery: await discover(ctx, w.config, memo), read };
}

const memoFolder = (w: World) => path.join(w.root, "memo");
const memoOf = (w: World, now = later) => new Memo(() => memoFolder(w), now);

/** Replaces a file with a new one (a new inode, as editors and tools that write atomically do). */
function replace(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.new`, text);
  renameSync(`${file}.new`, file);
}

interface Shop {
  proj: string;
  deep: string;
  envs: string;
  base: string;
}

function shop(w: World, name = "shop"): Shop {
  const proj = path.join(w.root, "shop");
  write(path.join(proj, "pyproject.toml"), `[tool.poetry]\nname = "${name}"\n`);
  const deep = path.join(proj, "src", "pkg");
  mkdirSync(deep, { recursive: true });
  return { proj, deep, envs: path.join(w.home, ".cache", "pypoetry", "virtualenvs"), base: `shop-${pathHash8(proj)}` };
}

describe("the memo of what the tool rules found", () => {
  it("answers a second cd below the project without reading any of its files, with what the rules found", async () => {
    const w = world();
    const { proj, deep, envs, base } = shop(w);
    const env = makeEnv(path.join(envs, `${base}-py3.12`));
    const memo = memoOf(w);
    const first = await run(w, deep, {}, memo);
    expect(first.discovery.found).toMatchObject({ env, managed: { tool: "poetry", project: proj } });
    expect(first.read).toContain(path.join(proj, "pyproject.toml"));
    const second = await run(w, path.join(proj, "src"), {}, memo);
    expect(second.read).toEqual([]);
    expect(second.discovery).toEqual(first.discovery);
  });

  it("keeps nothing read from a file changed in the last two seconds (its times might not move on the next change)", async () => {
    const w = world();
    const { deep, envs, base } = shop(w);
    makeEnv(path.join(envs, `${base}-py3.12`));
    const memo = memoOf(w, Date.now);
    await run(w, deep, {}, memo);
    expect((await run(w, deep, {}, memo)).read).not.toEqual([]);
  });

  it("is computed afresh when the kept file is damaged, and kept anew", async () => {
    const w = world();
    const { deep, envs, base } = shop(w);
    const env = makeEnv(path.join(envs, `${base}-py3.12`));
    const memo = memoOf(w);
    await run(w, deep, {}, memo);
    const [kept] = readdirSync(memoFolder(w));
    for (const damage of ["{", "null", '{"version":1}', JSON.stringify({ version: 1, dir: path.join(w.root, "shop"), flags: "100", home: w.home, vars: 3 })]) {
      writeFileSync(path.join(memoFolder(w), kept!), damage);
      const again = await run(w, deep, {}, memo);
      expect(again.discovery.found, damage).toMatchObject({ env });
      expect((await run(w, deep, {}, memo)).read, damage).toEqual([]);
    }
  });

  it("says a project's problems again on a kept outcome (the hook says each once per shell)", async () => {
    const w = world();
    const { proj, deep } = shop(w);
    write(path.join(proj, "poetry.toml"), "[virtualenvs\n");
    write(w.config, "[tools\n");
    const memo = memoOf(w);
    const first = await run(w, deep, {}, memo);
    expect(first.discovery.problems.map((p) => p.text)).toEqual([
      expect.stringContaining("venvhook-config.toml is not valid TOML"),
      expect.stringMatching(/^\.\.\/\.\.\/poetry\.toml is not valid TOML/),
    ]);
    const second = await run(w, deep, {}, memo);
    expect(second.read).toEqual([]);
    expect(second.discovery.problems).toEqual(first.discovery.problems);
  });

  it("follows a project folder reached through a link that now points elsewhere", async () => {
    const w = world();
    const a = path.join(w.root, "a");
    const b = path.join(w.root, "b");
    for (const dir of [a, b]) write(path.join(dir, "pyproject.toml"), '[tool.poetry]\nname = "shop"\n');
    const envs = path.join(w.home, ".cache", "pypoetry", "virtualenvs");
    const envA = makeEnv(path.join(envs, `shop-${pathHash8(a)}-py3.12`));
    const envB = makeEnv(path.join(envs, `shop-${pathHash8(b)}-py3.12`));
    const link = path.join(w.root, "link");
    symlinkSync(a, link);
    const memo = memoOf(w);
    expect((await run(w, link, {}, memo)).discovery.found).toMatchObject({ env: envA });
    rmSync(link);
    symlinkSync(b, link);
    expect((await run(w, link, {}, memo)).discovery.found).toMatchObject({ env: envB });
  });

  it("follows a project moved away with a link left in its place: same files, another real path, another env", async () => {
    const w = world();
    const { proj, deep, envs, base } = shop(w);
    const env = makeEnv(path.join(envs, `${base}-py3.12`));
    const moved = path.join(w.root, "moved");
    const envMoved = makeEnv(path.join(envs, `shop-${pathHash8(moved)}-py3.12`));
    const memo = memoOf(w);
    expect((await run(w, deep, {}, memo)).discovery.found).toMatchObject({ env });
    renameSync(proj, moved);
    symlinkSync(moved, proj);
    expect((await run(w, deep, {}, memo)).discovery.found).toMatchObject({ env: envMoved });
  });

  it("asks afresh when another project file appears beside pyproject.toml", async () => {
    const w = world();
    const { proj, deep } = shop(w);
    const memo = memoOf(w);
    expect((await run(w, deep, {}, memo)).discovery).toMatchObject({ expected: { tool: "poetry" } });
    // A Pipfile: Pipenv's rule now runs too.
    const pipfile = write(path.join(proj, "Pipfile"), "[packages]\n");
    const workon = path.join(w.root, "workon");
    const env = makeEnv(path.join(workon, `shop-${pathHash8(pipfile)}`));
    expect((await run(w, path.join(proj, "src"), { WORKON_HOME: workon }, memo)).discovery.found).toMatchObject({ env });
  });

  it("asks afresh under another home folder (the tools' folders are under it)", async () => {
    const w = world();
    const { deep, base } = shop(w);
    const memo = memoOf(w);
    expect((await run(w, deep, {}, memo)).discovery).toMatchObject({ expected: { tool: "poetry" } });
    const otherHome = path.join(w.root, "other-home");
    const env = makeEnv(path.join(otherHome, ".cache", "pypoetry", "virtualenvs", `${base}-py3.12`));
    expect((await run({ ...w, home: otherHome }, deep, {}, memo)).discovery.found).toMatchObject({ env });
  });

  it("serves every folder of a Pipenv project from one kept outcome when WORKON_HOME is absolute", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    const pipfile = write(path.join(proj, "Pipfile"), "[packages]\n");
    const env = makeEnv(path.join(w.home, ".local", "share", "virtualenvs", `shop-${pathHash8(pipfile)}`));
    const memo = memoOf(w);
    expect((await run(w, proj, {}, memo)).discovery.found).toMatchObject({ env });
    const below = await run(w, path.join(proj, "src"), {}, memo);
    expect(below.discovery.found).toMatchObject({ env });
    expect(below.read).toEqual([]);
  });

  it("asks afresh from another folder when a rule used the working folder (a relative WORKON_HOME)", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    const pipfile = write(path.join(proj, "Pipfile"), "[packages]\n");
    const fromProj = makeEnv(path.join(proj, "rel", `shop-${pathHash8(pipfile)}`));
    const fromSrc = makeEnv(path.join(proj, "src", "rel", `shop-${pathHash8(pipfile)}`));
    const memo = memoOf(w);
    expect((await run(w, proj, { WORKON_HOME: "rel" }, memo)).discovery.found).toMatchObject({ env: fromProj });
    expect((await run(w, path.join(proj, "src"), { WORKON_HOME: "rel" }, memo)).discovery.found).toMatchObject({ env: fromSrc });
  });

  // Every kind of input the rules read, changed in any order: with the memo,
  // discovery says exactly what it says without one, and a repeat is a hit.
  it("always agrees with the rules computed afresh, whatever changes between two cds", async () => {
    const w = world();
    const { proj, deep, envs, base } = shop(w);
    const alternative = path.join(w.root, "elsewhere");
    const vars: Record<string, string> = {};
    const steps: Array<fc.Arbitrary<() => void>> = [
      fc.constantFrom("shop", "Shop", "other-name", "x").map((name) => () => replace(path.join(proj, "pyproject.toml"), `[tool.poetry]\nname = "${name}"\n`)),
      fc.constantFrom("3.10", "3.12", "").map((minor) => () => {
        if (minor) replace(path.join(envs, "envs.toml"), `[${base}]\nminor = "${minor}"\n`);
        else rmSync(path.join(envs, "envs.toml"), { force: true });
      }),
      fc.tuple(fc.constantFrom("3.10", "3.12"), fc.boolean(), fc.constantFrom(envs, alternative)).map(([minor, make, dir]) => () => {
        const env = path.join(dir, `${base}-py${minor}`);
        if (make) makeEnv(env);
        else rmSync(env, { recursive: true, force: true });
      }),
      fc.constantFrom("(one)", "(two)").map((prompt) => () => {
        const cfg = path.join(envs, `${base}-py3.12`, "pyvenv.cfg");
        replace(cfg, `home = /usr/bin\nprompt = ${prompt}\n`);
      }),
      fc.constantFrom("true", "false", "").map((inProject) => () => {
        if (inProject) replace(path.join(proj, "poetry.toml"), `[virtualenvs]\nin-project = ${inProject}\n`);
        else rmSync(path.join(proj, "poetry.toml"), { force: true });
      }),
      fc.boolean().map((set) => () => {
        if (set) vars.POETRY_VIRTUALENVS_PATH = alternative;
        else delete vars.POETRY_VIRTUALENVS_PATH;
      }),
      fc.boolean().map((set) => () => {
        const config = path.join(w.home, ".config", "pypoetry", "config.toml");
        if (set) replace(config, `[virtualenvs]\npath = "${alternative}"\n`);
        else rmSync(config, { force: true });
      }),
      fc.constantFrom("poetry = false", "uv = false", "").map((line) => () => {
        if (line) replace(w.config, `[tools]\n${line}\n`);
        else rmSync(w.config, { force: true });
      }),
      fc.boolean().map((make) => () => {
        if (make) makeEnv(path.join(proj, ".venv"));
        else rmSync(path.join(proj, ".venv"), { recursive: true, force: true });
      }),
    ];
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(...steps), { minLength: 1, maxLength: 12 }), async (changes) => {
        const memo = memoOf(w);
        await run(w, deep, vars, memo);
        for (const change of changes) {
          // The clock above turns the racy check off, so changes are spaced by
          // more than a timestamp tick (4 ms at HZ=250), as edits by hand are.
          await new Promise((resolve) => setTimeout(resolve, 20));
          change();
          const fresh = await run(w, deep, vars);
          const kept = await run(w, deep, vars, memo);
          expect(kept.discovery).toEqual(fresh.discovery);
          const again = await run(w, deep, vars, memo);
          expect(again.discovery).toEqual(fresh.discovery);
          if (again.read.length === 0) hits++;
        }
      }),
      { numRuns: 40 },
    );
    // Not vacuous: repeats were answered from the memo (90-160 of ~260 alone,
    // 38 once while the whole suite ran on 2 cores: the bound is for "some").
    expect(hits).toBeGreaterThan(10);
  });
});
