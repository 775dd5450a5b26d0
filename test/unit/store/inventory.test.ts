import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findVenv } from "../../../src/discovery/venv.ts";
import { diskUsage, formatSize, knownEnvs, removeEnv, type KnownEnv } from "../../../src/store/inventory.ts";
import { labelPath, writeMeta } from "../../../src/store/central.ts";
import { allow, loadTrust, updateTrust } from "../../../src/trust/trust.ts";

let root: string;
let env: NodeJS.ProcessEnv;
let trustFile: string;
const saved = { VENVHOOK_HOME: process.env.VENVHOOK_HOME, WORKON_HOME: process.env.WORKON_HOME, HOME: process.env.HOME };
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "venvhook-inventory-")));
  env = { VENVHOOK_HOME: path.join(root, "store"), WORKON_HOME: path.join(root, "workon"), HOME: path.join(root, "home") };
  trustFile = path.join(root, "data", "trust.json");
  // findVenv reads a name in a pointer with process.env's store, $WORKON_HOME and home.
  Object.assign(process.env, env);
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

const cfg = (version: string) => `home = /usr/bin\nversion = ${version}\n`;

/** A fake env: pyvenv.cfg, and bin/python of 1000 bytes. */
function makeEnv(dir: string, version = "3.12.1"): string {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), cfg(version));
  writeFileSync(path.join(dir, "bin", "python"), "x".repeat(1000));
  return dir;
}

/** A project folder with an env in the store, as venvhook makes them. */
function storeEnv(project: string, label = "default"): string {
  mkdirSync(project, { recursive: true });
  const dir = makeEnv(labelPath(project, label, env));
  writeMeta(dir, { project, label, python: "3.12.1", backend: "venv", created: "2026-01-01T00:00:00.000Z" });
  return dir;
}

const list = (cwdEnv?: string) => knownEnvs({ env, cwdEnv, trustFile });
const byPath = (envs: KnownEnv[], dir: string) => envs.find((known) => known.path === dir);

describe("knownEnvs", () => {
  it("lists the store's envs, then $WORKON_HOME's and ~/.virtualenvs', with what each is", () => {
    const project = path.join(root, "shop");
    const store = storeEnv(project);
    const workon = makeEnv(path.join(root, "workon", "tools"), "3.11.4");
    writeFileSync(path.join(workon, ".project"), `${project}\nignored\n`);
    const home = makeEnv(path.join(root, "home", ".virtualenvs", "old"), "3.10.0");
    expect(list()).toEqual([
      {
        path: store,
        source: "store",
        project,
        label: "default",
        python: "3.12.1",
        size: expect.any(Number),
        active: false,
        orphan: true,
        why: `nothing points at it: ${project}/.venv is missing`,
      },
      { path: workon, source: "workon", project, label: "tools", python: "3.11.4", size: expect.any(Number), active: false, orphan: false },
      { path: home, source: "virtualenvs", label: "old", python: "3.10.0", size: 1000 + cfg("3.10.0").length, active: false, orphan: false },
    ]);
  });

  it("marks the env VIRTUAL_ENV names as active, however either is spelled", () => {
    const one = makeEnv(path.join(root, "workon", "one"));
    makeEnv(path.join(root, "workon", "two"));
    symlinkSync(one, path.join(root, "link"));
    expect(list(path.join(root, "link")).map((known) => known.active)).toEqual([true, false]);
    expect(list().map((known) => known.active)).toEqual([false, false]);
    env.VIRTUAL_ENV = one;
    expect(list().map((known) => known.active)).toEqual([true, false]);
  });

  it("skips folders that are not envs, create's temporaries, links, and an env seen before by real path", () => {
    const project = path.join(root, "shop");
    const store = storeEnv(project);
    makeEnv(`${store}.venvhook-tmp-123`);
    const virtualenvs = path.join(root, "home", ".virtualenvs");
    mkdirSync(path.join(virtualenvs, "notenv"), { recursive: true });
    symlinkSync(store, path.join(virtualenvs, "linked"));
    makeEnv(path.join(virtualenvs, "shared"));
    symlinkSync(virtualenvs, path.join(root, "workon"));
    expect(list().map((known) => [known.source, known.path])).toEqual([
      ["store", store],
      ["workon", path.join(root, "workon", "shared")],
    ]);
  });

  it("lists nothing when there is nothing, and no store folder is needed", () => {
    expect(list()).toEqual([]);
  });
});

describe("orphans", () => {
  const verdict = (dir: string, cwdEnv?: string) => {
    const known = byPath(list(cwdEnv), dir);
    if (!known) throw new Error(`${dir} is not listed`);
    return { orphan: known.orphan, why: known.why };
  };

  it("an env whose project is gone", () => {
    const project = path.join(root, "shop");
    const dir = storeEnv(project);
    writeFileSync(path.join(project, ".venv"), "default\n");
    expect(verdict(dir)).toEqual({ orphan: false, why: undefined });
    rmSync(project, { recursive: true });
    expect(verdict(dir)).toEqual({ orphan: true, why: `its project ${project} is gone` });
    writeFileSync(project, "now a file");
    expect(verdict(dir)).toEqual({ orphan: true, why: `its project ${project} is gone` });
  });

  it("an env nothing in its project points at: .venv missing, a folder, or leading elsewhere", () => {
    const project = path.join(root, "shop");
    const dir = storeEnv(project);
    const venv = path.join(project, ".venv");
    expect(verdict(dir)).toEqual({ orphan: true, why: `nothing points at it: ${venv} is missing` });
    makeEnv(venv);
    expect(verdict(dir)).toEqual({ orphan: true, why: `nothing points at it: ${venv} is a folder` });
    rmSync(venv, { recursive: true });
    makeEnv(path.join(root, "workon", "default"));
    writeFileSync(venv, "../workon/default\n");
    expect(verdict(dir)).toEqual({ orphan: true, why: `nothing points at it: ${venv} points elsewhere` });
    writeFileSync(venv, "nosuchlabel\n");
    expect(verdict(dir)).toEqual({ orphan: true, why: `nothing points at it: ${venv} points elsewhere` });
    rmSync(venv);
    symlinkSync(path.join(root, "nowhere"), venv);
    expect(verdict(dir)).toEqual({ orphan: true, why: `nothing points at it: ${venv} points elsewhere` });
  });

  it("the project's other labels are kept: people switch between them with 'venvhook use'", () => {
    const project = path.join(root, "shop");
    const chosen = storeEnv(project, "default");
    const other = storeEnv(project, "py311");
    const venv = path.join(project, ".venv");
    for (const text of ["default", chosen, path.relative(project, chosen)]) {
      writeFileSync(venv, `${text}\n`);
      expect(findVenv(project)).toMatchObject({ kind: "env", env: expect.stringContaining("default") });
      expect(verdict(chosen)).toEqual({ orphan: false, why: undefined });
      expect(verdict(other)).toEqual({ orphan: false, why: undefined });
    }
    rmSync(venv);
    symlinkSync(chosen, venv);
    expect(verdict(other)).toEqual({ orphan: false, why: undefined });
  });

  it("another project's env in the store does not keep this one", () => {
    const shop = storeEnv(path.join(root, "shop"));
    const blog = storeEnv(path.join(root, "blog"));
    writeFileSync(path.join(root, "shop", ".venv"), `${blog}\n`);
    expect(verdict(shop)).toMatchObject({ orphan: true, why: expect.stringContaining("points elsewhere") });
  });

  it("keeps what it cannot prove unused: no venvhook.json, an unreadable pointer, the active env, an allowed pointer elsewhere", () => {
    const unknown = makeEnv(path.join(root, "store", "mystery-abcdefgh", "default"));
    expect(verdict(unknown)).toEqual({ orphan: false, why: "its project is unknown" });
    writeFileSync(path.join(unknown, "venvhook.json"), "{broken");
    expect(verdict(unknown)).toEqual({ orphan: false, why: "its project is unknown" });

    const project = path.join(root, "shop");
    const dir = storeEnv(project);
    if (process.getuid?.() !== 0) {
      writeFileSync(path.join(project, ".venv"), "default\n");
      chmodSync(path.join(project, ".venv"), 0o000);
      expect(verdict(dir)).toEqual({ orphan: false, why: `${project}/.venv cannot be read` });
      rmSync(path.join(project, ".venv"));
    }

    expect(verdict(dir, dir)).toEqual({ orphan: false, why: `nothing points at it: ${project}/.venv is missing, but it is active in this shell` });

    const other = path.join(root, "other");
    mkdirSync(other);
    writeFileSync(path.join(other, ".venv"), `${dir}\n`);
    const found = findVenv(other);
    if (found?.kind !== "env") throw new Error("no env");
    updateTrust((trust) => allow(found, trust), trustFile);
    expect(verdict(dir)).toEqual({ orphan: false, why: `nothing points at it: ${project}/.venv is missing, but ${other}/.venv leads to it` });
    writeFileSync(path.join(other, ".venv"), "elsewhere\n");
    expect(verdict(dir).orphan).toBe(true);
  });

  it("envs outside the store are never orphans", () => {
    const workon = makeEnv(path.join(root, "workon", "tools"));
    writeFileSync(path.join(workon, ".project"), path.join(root, "gone"));
    expect(verdict(workon)).toEqual({ orphan: false, why: undefined });
  });
});

describe("removeEnv", () => {
  it("removes the env, and forgets it and every pointer to it, and nothing else", () => {
    const project = path.join(root, "shop");
    const dir = storeEnv(project);
    const kept = storeEnv(path.join(root, "blog"));
    writeFileSync(path.join(project, ".venv"), "default\n");
    writeFileSync(path.join(root, "blog", ".venv"), "default\n");
    updateTrust((trust) => {
      for (const from of [project, path.join(root, "blog")]) {
        const found = findVenv(from);
        if (found?.kind !== "env") throw new Error("no env");
        allow(found, trust);
      }
    }, trustFile);

    removeEnv(dir, { env, trustFile });
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(path.dirname(dir))).toBe(false);
    expect(existsSync(kept)).toBe(true);
    expect(loadTrust(trustFile)).toMatchObject({
      envs: { [kept]: expect.anything() },
      pointers: { [path.join(root, "blog", ".venv")]: expect.anything() },
    });
    expect(Object.keys(loadTrust(trustFile).envs)).toEqual([kept]);
    expect(Object.keys(loadTrust(trustFile).pointers)).toEqual([path.join(root, "blog", ".venv")]);
  });

  it("keeps the store's project folder while it has other envs", () => {
    const project = path.join(root, "shop");
    const dir = storeEnv(project, "default");
    const other = storeEnv(project, "py311");
    removeEnv(dir, { env, trustFile });
    expect(readdirSync(path.dirname(other))).toEqual(["py311"]);
  });

  it("never follows a symbolic link out of the env", () => {
    const dir = makeEnv(path.join(root, "workon", "tools"));
    const outside = path.join(root, "precious");
    mkdirSync(outside);
    writeFileSync(path.join(outside, "file"), "keep me");
    symlinkSync(outside, path.join(dir, "lib-link"));
    symlinkSync(path.join(outside, "file"), path.join(dir, "bin", "file-link"));
    removeEnv(dir, { env, trustFile });
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(outside)).toEqual(["file"]);
  });

  it("refuses what is not an env folder", () => {
    const plain = path.join(root, "plain");
    mkdirSync(plain);
    writeFileSync(path.join(plain, "data"), "");
    const real = makeEnv(path.join(root, "real-env"));
    symlinkSync(real, path.join(root, "env-link"));
    writeFileSync(path.join(root, "file"), "");
    const cases = [
      [plain, "it has no pyvenv.cfg, so it is not an environment"],
      [path.join(root, "env-link"), "it is a symbolic link; give the env folder itself"],
      [path.join(root, "file"), "it is not a folder"],
      [path.join(root, "missing"), "it does not exist"],
    ];
    for (const [dir, why] of cases) expect(() => removeEnv(dir!, { trustFile })).toThrow(`not removing ${dir}: ${why}`);
    expect(readdirSync(plain)).toEqual(["data"]);
    expect(existsSync(path.join(real, "pyvenv.cfg"))).toBe(true);
    expect(existsSync(trustFile)).toBe(false);
  });
});

describe("sizes", () => {
  it("sums regular files, without following symbolic links", () => {
    const dir = makeEnv(path.join(root, "env"));
    const outside = path.join(root, "big");
    writeFileSync(outside, "x".repeat(5000));
    symlinkSync(outside, path.join(dir, "bin", "big"));
    symlinkSync(path.join(dir, "bin"), path.join(dir, "loop"));
    expect(diskUsage(dir)).toBe(1000 + cfg("3.12.1").length);
    expect(diskUsage(path.join(root, "missing"))).toBe(0);
  });

  it("formats bytes in decimal units", () => {
    const cases: [number, string][] = [
      [0, "0 B"],
      [999, "999 B"],
      [1000, "1.0 kB"],
      [23_400_000, "23.4 MB"],
      [999_960, "1.0 MB"],
      [1_500_000_000, "1.5 GB"],
      [2_000_000_000_000_000, "2000.0 TB"],
    ];
    for (const [bytes, text] of cases) expect(formatSize(bytes), String(bytes)).toBe(text);
  });
});
