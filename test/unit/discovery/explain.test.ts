// What a notice says was found: the env that would go on PATH, whatever led there.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeFound } from "../../../src/discovery/explain.ts";
import { findVenv } from "../../../src/discovery/venv.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-explain-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function env(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), "home = /usr/bin\n");
  return dir;
}

function described(project: string): string {
  const found = findVenv(project);
  if (found?.kind !== "env") throw new Error(`no env found from ${project}`);
  return describeFound(found, project);
}

it("names a .venv folder as it is", () => {
  env(path.join(root, "shop", ".venv"));
  expect(described(path.join(root, "shop"))).toBe("./.venv");
});

it("names where a pointer file points", () => {
  const shared = env(path.join(root, "envs", "shop"));
  mkdirSync(path.join(root, "shop"));
  writeFileSync(path.join(root, "shop", ".venv"), `${shared}\n`);
  expect(described(path.join(root, "shop"))).toBe(`./.venv, pointing to ${shared}`);
});

it("names where a symbolic link leads", () => {
  const shared = env(path.join(root, "envs", "web"));
  mkdirSync(path.join(root, "web"));
  symlinkSync(shared, path.join(root, "web", ".venv"));
  expect(described(path.join(root, "web"))).toBe(`./.venv, leading to ${shared}`);
});
