// What the managed-*.test.ts files share: a scratch world on the real file
// system (a project tree, a HOME, the tools' folders), envs laid out as a tool
// would leave them (a folder with bin/ and pyvenv.cfg, no Python needed), and
// discovery run with exactly the variables a test gives.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { here } from "../../../../src/discovery/venv.ts";
import { discover, toolContext, type Discovery } from "../../../../src/discovery/index.ts";

export interface World {
  root: string;
  home: string;
  /** venvhook's config.toml for these tests (absent unless written). */
  config: string;
}

/** A fresh world per test, removed after it. */
export function useWorld(): () => World {
  let world: World | undefined;
  beforeEach(() => {
    const root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-managed-")));
    world = { root, home: path.join(root, "home"), config: path.join(root, "venvhook-config.toml") };
    mkdirSync(world.home);
  });
  afterEach(() => {
    if (world) rmSync(world.root, { recursive: true, force: true });
  });
  return () => world!;
}

/** An env as tools make them: bin/ and pyvenv.cfg. */
export function makeEnv(dir: string, version = "3.12.1"): string {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), `home = /usr/bin\nversion = ${version}\n`);
  return dir;
}

/** Writes a file, making its folders. */
export function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Discovery from `from` with only these variables (and HOME), Linux's folder conventions. */
export function find(w: World, from: string, vars: Record<string, string> = {}): Promise<Discovery> {
  mkdirSync(from, { recursive: true });
  const ctx = toolContext(from, { HOME: w.home, ...vars }, { ...here(), home: w.home, workonHome: undefined });
  ctx.os = "linux";
  return discover(ctx, w.config);
}
