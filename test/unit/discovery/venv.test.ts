import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { envName, findVenv, resolvePointer } from "../../../src/discovery/venv.ts";
import { labelPath } from "../../../src/store/central.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "venvhook-discovery-"));
});
afterEach(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

function makeEnv(dir: string, cfg = "home = /usr/bin\nversion = 3.11.7\n"): string {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), cfg);
  return dir;
}

describe("findVenv", () => {
  it("finds a .venv folder from the project and any folder below it", () => {
    const env = makeEnv(path.join(root, "proj", ".venv"));
    const deep = path.join(root, "proj", "a", "b", "c");
    mkdirSync(deep, { recursive: true });
    for (const from of [path.join(root, "proj"), deep]) {
      expect(findVenv(from)).toMatchObject({ kind: "env", venv: env, env, config: { version: "3.11.7" } });
    }
  });

  it("finds nothing when there is no .venv up to the root", () => {
    mkdirSync(path.join(root, "empty"));
    expect(findVenv(path.join(root, "empty"))).toBeUndefined();
  });

  it("the nearest .venv wins in nested projects", () => {
    makeEnv(path.join(root, "outer", ".venv"));
    const inner = makeEnv(path.join(root, "outer", "inner", ".venv"));
    expect(findVenv(path.join(root, "outer", "inner"))).toMatchObject({ env: inner });
  });

  it("a broken nearer .venv is reported and hides the parent's env", () => {
    makeEnv(path.join(root, "outer", ".venv"));
    mkdirSync(path.join(root, "outer", "inner", ".venv"), { recursive: true });
    expect(findVenv(path.join(root, "outer", "inner"))).toMatchObject({
      kind: "broken",
      problem: "it is a folder without pyvenv.cfg, so not an environment",
    });
  });

  it("follows a pointer file relative to its own folder, first line only", () => {
    const env = makeEnv(path.join(root, "envs", "web"));
    mkdirSync(path.join(root, "proj", "sub"), { recursive: true });
    writeFileSync(path.join(root, "proj", ".venv"), "\uFEFF ../envs/web  \r\nignored second line\n");
    expect(findVenv(path.join(root, "proj", "sub"))).toMatchObject({
      kind: "env",
      venv: path.join(root, "proj", ".venv"),
      env,
      pointer: { text: "../envs/web", target: env },
    });
  });

  it("accepts an absolute pointer", () => {
    const env = makeEnv(path.join(root, "envs", "abs"));
    mkdirSync(path.join(root, "proj"));
    writeFileSync(path.join(root, "proj", ".venv"), `${env}\n`);
    expect(findVenv(path.join(root, "proj"))).toMatchObject({ kind: "env", env });
  });

  it("reports pointers that lead nowhere, and empty ones", () => {
    mkdirSync(path.join(root, "a"));
    writeFileSync(path.join(root, "a", ".venv"), "../missing\n");
    expect(findVenv(path.join(root, "a"))).toMatchObject({ kind: "broken", problem: "it points to a folder that does not exist" });
    mkdirSync(path.join(root, "b", "notenv"), { recursive: true });
    writeFileSync(path.join(root, "b", ".venv"), "./notenv");
    expect(findVenv(path.join(root, "b"))).toMatchObject({ kind: "broken", problem: "it points to a folder without pyvenv.cfg" });
    mkdirSync(path.join(root, "c"));
    writeFileSync(path.join(root, "c", ".venv"), "\n\n");
    expect(findVenv(path.join(root, "c"))).toMatchObject({ kind: "broken", problem: "the pointer file is empty" });
  });

  it("looks a name up in this project's store envs, then $WORKON_HOME, then ~/.virtualenvs", () => {
    const saved = { home: process.env.HOME, workon: process.env.WORKON_HOME, store: process.env.VENVHOOK_HOME };
    try {
      process.env.HOME = path.join(root, "home");
      process.env.WORKON_HOME = path.join(root, "workon");
      process.env.VENVHOOK_HOME = path.join(root, "store");
      const proj = path.join(root, "proj");
      mkdirSync(proj);
      writeFileSync(path.join(proj, ".venv"), "web\n");
      const inHome = makeEnv(path.join(root, "home", ".virtualenvs", "web"));
      expect(findVenv(proj)).toMatchObject({ kind: "env", env: inHome, pointer: { text: "web", target: inHome } });
      const inWorkon = makeEnv(path.join(root, "workon", "web"));
      expect(findVenv(proj)).toMatchObject({ env: inWorkon });
      const inStore = makeEnv(labelPath(proj, "web"));
      expect(inStore).toMatch(new RegExp(`^${root}/store/proj-[A-Za-z0-9_-]{8}/web$`));
      expect(findVenv(proj)).toMatchObject({ env: inStore });

      writeFileSync(path.join(proj, ".venv"), "nothing");
      expect(findVenv(proj)).toMatchObject({
        kind: "broken",
        problem: "no env named 'nothing' in venvhook's store, $WORKON_HOME or ~/.virtualenvs",
      });
      writeFileSync(path.join(proj, ".venv"), "a..b");
      expect(findVenv(proj)).toMatchObject({ kind: "broken", problem: "it names an env, but it contains '..'" });
    } finally {
      for (const [name, value] of [["HOME", saved.home], ["WORKON_HOME", saved.workon], ["VENVHOOK_HOME", saved.store]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("reports a dangling .venv symlink, and follows a good one", () => {
    mkdirSync(path.join(root, "a"));
    symlinkSync(path.join(root, "nowhere"), path.join(root, "a", ".venv"));
    expect(findVenv(path.join(root, "a"))).toMatchObject({ kind: "broken", problem: "it is a symbolic link to nothing" });
    const env = makeEnv(path.join(root, "real-env"));
    mkdirSync(path.join(root, "b"));
    symlinkSync(env, path.join(root, "b", ".venv"));
    expect(findVenv(path.join(root, "b"))).toMatchObject({ kind: "env", env: path.join(root, "b", ".venv") });
  });

  it("keeps hostile names as plain data, and shows a newline in one escaped", () => {
    const name = "$(touch pwned) `id` 'q' \"d\" \\ \n é";
    const env = makeEnv(path.join(root, name, ".venv"));
    expect(findVenv(path.join(root, name))).toMatchObject({ kind: "env", env });
    expect(envName(env, {})).toBe("$(touch pwned) `id` 'q' \"d\" \\ \\n é");
  });
});

describe("envName", () => {
  it("prefers pyvenv.cfg's prompt, then the project for .venv, then the env folder", () => {
    expect(envName("/p/proj/.venv", { prompt: "custom" })).toBe("custom");
    expect(envName("/p/proj/.venv", {})).toBe("proj");
    expect(envName("/envs/web", {})).toBe("web");
  });
});

describe("resolvePointer", () => {
  it("expands ~ to the home folder and resolves the rest against the pointer's folder", () => {
    expect(resolvePointer("/p/proj", "~/envs/x")).toBe(path.join(homedir(), "envs/x"));
    expect(resolvePointer("/p/proj", "../envs/x")).toBe("/p/envs/x");
    expect(resolvePointer("/p/proj", "/abs/x")).toBe("/abs/x");
  });
});
