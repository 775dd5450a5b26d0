// Tool-managed envs made by the real tools (Debian's poetry 1.3.2 and pipenv
// 2022.12.19), offline, with a scratch HOME and XDG folders: venvhook must
// name exactly the env the tool itself reports (`poetry env info -p`,
// `pipenv --venv`), keep it off PATH until allowed, and activate it in bash
// once allowed. uv, Hatch and PDM cannot be installed here: their rules are
// tested on fixtures in test/unit/managed-*.test.ts.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeNeeding } from "../support/shells.ts";
import { BIN } from "./fixture.ts";

const SLOW = 180_000;
let root: string;
let vars: Record<string, string>;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-managed-e2e-")));
  const home = path.join(root, "home");
  mkdirSync(home);
  vars = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: path.join(root, "config"),
    XDG_CACHE_HOME: path.join(root, "cache"),
    XDG_DATA_HOME: path.join(root, "data"),
    LANG: "C.UTF-8",
    // Offline: no lock file (Pipenv would resolve against PyPI), no update checks, no prompts.
    PIPENV_SKIP_LOCK: "1",
    PIPENV_VERBOSITY: "-1",
    PIPENV_YES: "1",
    PIP_NO_INDEX: "1",
    POETRY_NO_INTERACTION: "1",
  };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs a command in `cwd` with the scratch environment; fails the test when it fails. */
function run(cwd: string, command: string, args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, env: { ...vars, PWD: cwd, ...extra }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function must(cwd: string, command: string, args: string[], extra: Record<string, string> = {}): string {
  const result = run(cwd, command, args, extra);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

function status(cwd: string) {
  return JSON.parse(must(cwd, BIN, ["status", "--json"]));
}

/** What a bash hook would end up with: export's code evaluated, then VIRTUAL_ENV and the env's Python's prefix. */
function activateInBash(cwd: string): { stderr: string; virtualEnv: string; prefix: string } {
  const script = `eval "$(${JSON.stringify(BIN)} export bash)" && printf '%s\\n' "\${VIRTUAL_ENV-<unset>}" && { [ -n "\${VIRTUAL_ENV-}" ] && python -c 'import sys; print(sys.prefix)' || echo -; }`;
  const result = run(cwd, "bash", ["--norc", "--noprofile", "-c", script]);
  const [virtualEnv = "", prefix = ""] = result.stdout.trim().split("\n");
  return { stderr: result.stderr, virtualEnv, prefix };
}

/** Allowed, active, then denied, from a folder below the project. */
function provesTrust(from: string, env: string, tool: string, project: string): void {
  const before = activateInBash(from);
  expect(before.virtualEnv).toBe("<unset>");
  expect(before.stderr).toBe(`venvhook: found ${tool}'s env for ${path.basename(project)}, ${env} (not allowed); run 'venvhook allow' to use it\n`);
  expect(must(from, BIN, ["allow"])).toMatch(new RegExp(`^allowed ${tool}'s env ${env.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: '.+' will be active in .+ and below in shells that load venvhook's hook \\('venvhook init --help'\\)\\n$`));
  expect(activateInBash(from)).toEqual({ stderr: "", virtualEnv: env, prefix: env });
  expect(must(from, BIN, ["deny"])).toContain("denied");
  expect(activateInBash(from).virtualEnv).toBe("<unset>");
}

describeNeeding("poetry (real poetry, offline)", ["poetry", "bash", "python3"], () => {
  const pyproject = (name: string) =>
    `[tool.poetry]\nname = "${name}"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n\n[tool.poetry.dependencies]\npython = "^3.8"\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n`;

  it("finds the env `poetry env use` made (envs.toml), by Poetry's rule, and activates it only once allowed", { timeout: SLOW }, () => {
    const proj = path.join(root, "Shop App");
    mkdirSync(path.join(proj, "src", "shop"), { recursive: true });
    writeFileSync(path.join(proj, "pyproject.toml"), pyproject("Shop_App"));
    const before = status(proj);
    expect(before).toMatchObject({ found: null, expected: { tool: "poetry", project: proj, command: "poetry install" } });
    expect(run(proj, BIN, ["export", "bash"]).stderr).toBe(
      "venvhook: Shop App is a Poetry project with no environment yet; run 'poetry install' then 'venvhook allow', or 'venvhook create' (Poetry uses the .venv it makes); or 'venvhook ignore'\n",
    );

    must(proj, "poetry", ["env", "use", "python3"]);
    const env = must(proj, "poetry", ["env", "info", "-p"]).trim();
    expect(env).toMatch(new RegExp(`^${root}/cache/pypoetry/virtualenvs/shop-app-[A-Za-z0-9_-]{8}-py3\\.\\d+$`));
    const from = path.join(proj, "src", "shop");
    expect(status(from)).toMatchObject({
      found: { kind: "env", env, managed: { tool: "poetry", toolName: "Poetry", project: proj, rule: expect.stringContaining("from envs.toml") } },
      trust: { allowed: false },
    });
    expect(must(from, BIN, ["status"])).toContain(`found  by Poetry's rule for ${proj}: {virtualenvs.path}/{name}-{hash}-py{X.Y}`);
    provesTrust(from, env, "Poetry", proj);
  });

  it("finds the env `poetry run` made (no envs.toml) in the virtualenvs.path that `poetry config` set", { timeout: SLOW }, () => {
    const proj = path.join(root, "shop");
    mkdirSync(proj);
    writeFileSync(path.join(proj, "pyproject.toml"), pyproject("shop"));
    const envs = path.join(root, "poetry-envs");
    must(proj, "poetry", ["config", "virtualenvs.path", envs]);
    const prefix = must(proj, "poetry", ["run", "python", "-c", "import sys; print(sys.prefix)"]).trim();
    const env = must(proj, "poetry", ["env", "info", "-p"]).trim();
    expect(prefix).toBe(env);
    expect(path.dirname(env)).toBe(envs);
    expect(readdirSync(envs)).not.toContain("envs.toml");
    expect(status(proj)).toMatchObject({
      found: { env, managed: { tool: "poetry", rule: expect.stringContaining("virtualenvs.path from Poetry's config.toml, the newest of its envs") } },
    });
    provesTrust(proj, env, "Poetry", proj);
  });
});

describeNeeding("a .venv venvhook creates, to real poetry and pipenv (offline)", ["poetry", "pipenv", "python3"], () => {
  it("is the env Poetry and Pipenv use for the project, as the offer says", { timeout: SLOW }, () => {
    const poetryProj = path.join(root, "shop");
    mkdirSync(poetryProj);
    writeFileSync(path.join(poetryProj, "pyproject.toml"), '[tool.poetry]\nname = "shop"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n');
    const pipenvProj = path.join(root, "web");
    mkdirSync(pipenvProj);
    writeFileSync(path.join(pipenvProj, "Pipfile"), "[packages]\n");
    for (const proj of [poetryProj, pipenvProj]) {
      expect(run(proj, BIN, ["export", "bash"]).stderr).toContain("or 'venvhook create'");
      must(proj, BIN, ["create", "--yes"]);
    }
    expect(must(poetryProj, "poetry", ["env", "info", "-p"]).trim()).toBe(path.join(poetryProj, ".venv"));
    expect(must(pipenvProj, "pipenv", ["--venv"]).trim()).toBe(path.join(pipenvProj, ".venv"));

    // Activated by venvhook, Pipenv is at ease (and `pipenv shell` still starts: activators.test.ts); activated by hand, it is not.
    const pipenvIn = (activate: string) =>
      run(pipenvProj, "bash", ["--norc", "--noprofile", "-c", `${activate} && printf '%s\\n' "\${PIPENV_IGNORE_VIRTUALENVS-unset}" && pipenv --venv`], { PIPENV_VERBOSITY: "" });
    const byVenvhook = pipenvIn(`eval "$(${JSON.stringify(BIN)} export bash)"`);
    expect(byVenvhook.stdout).toBe(`1\n${path.join(pipenvProj, ".venv")}\n`);
    expect(byVenvhook.stderr).not.toContain("Courtesy Notice");
    const byHand = pipenvIn(". .venv/bin/activate");
    expect(byHand.stdout.split("\n")[0]).toBe("unset");
    expect(byHand.stderr).toContain("Courtesy Notice");
  });
});

describeNeeding("poetry, then changed (real poetry, offline)", ["poetry", "bash", "python3"], () => {
  it("the hook follows `poetry config virtualenvs.path` changed after it kept where the project's env was", { timeout: SLOW }, async () => {
    const proj = path.join(root, "shop");
    mkdirSync(proj);
    writeFileSync(path.join(proj, "pyproject.toml"), '[tool.poetry]\nname = "shop"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n');
    must(proj, "poetry", ["env", "use", "python3"]);
    const first = must(proj, "poetry", ["env", "info", "-p"]).trim();
    must(proj, BIN, ["allow"]);
    // Files changed in the last two seconds are never relied on; past that, the outcome is kept.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(activateInBash(proj).virtualEnv).toBe(first);
    expect(readdirSync(path.join(root, "cache", "venvhook", "projects"))).toHaveLength(1);
    expect(activateInBash(proj).virtualEnv).toBe(first);

    const elsewhere = path.join(root, "poetry-envs");
    must(proj, "poetry", ["config", "virtualenvs.path", elsewhere]);
    must(proj, "poetry", ["env", "use", "python3"]);
    const second = must(proj, "poetry", ["env", "info", "-p"]).trim();
    expect(path.dirname(second)).toBe(elsewhere);
    must(proj, BIN, ["allow"]);
    expect(activateInBash(proj)).toEqual({ stderr: "", virtualEnv: second, prefix: second });
  });
});

describeNeeding("pipenv (real pipenv, offline)", ["pipenv", "bash", "python3"], () => {
  it("finds the env `pipenv --python` made for a folder name Pipenv sanitises, from two folders down", { timeout: SLOW }, () => {
    const proj = path.join(root, "my proj (x) & $y");
    mkdirSync(path.join(proj, "a", "b"), { recursive: true });
    writeFileSync(path.join(proj, "Pipfile"), '[packages]\n\n[dev-packages]\n\n[requires]\npython_version = "3"\n');
    must(proj, "pipenv", ["--python", "python3"]);
    const env = must(proj, "pipenv", ["--venv"]).trim();
    expect(env).toMatch(new RegExp(`^${root}/data/virtualenvs/my_proj__x_____y-[A-Za-z0-9_-]{8}$`));
    const from = path.join(proj, "a", "b");
    expect(must(from, "pipenv", ["--venv"]).trim()).toBe(env);
    expect(status(from)).toMatchObject({ found: { kind: "env", env, managed: { tool: "pipenv", project: proj } } });
    provesTrust(from, env, "Pipenv", proj);
  });

  it("follows WORKON_HOME and PIPENV_CUSTOM_VENV_NAME as pipenv does", { timeout: SLOW }, () => {
    const proj = path.join(root, "shop");
    mkdirSync(proj);
    writeFileSync(path.join(proj, "Pipfile"), "[packages]\n");
    vars.WORKON_HOME = path.join(root, "workon");
    vars.PIPENV_CUSTOM_VENV_NAME = "shop-custom";
    must(proj, "pipenv", ["--python", "python3"]);
    const env = must(proj, "pipenv", ["--venv"]).trim();
    expect(env).toBe(path.join(root, "workon", "shop-custom"));
    expect(status(proj)).toMatchObject({ found: { env, managed: { tool: "pipenv", rule: expect.stringContaining("PIPENV_CUSTOM_VENV_NAME") } } });
  });
});
