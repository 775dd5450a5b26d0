// What link says about a path that is not an env: what it is, and what link takes.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { linkEnv } from "../../../src/store/link.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-link-")));
  mkdirSync(path.join(root, "shop"));
  writeFileSync(path.join(root, "shop", "pyproject.toml"), "");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const WANTED = "link takes an env folder (one with pyvenv.cfg), or the name of one in $WORKON_HOME, ~/.virtualenvs or the project's store";
const link = (spec: string) => () => linkEnv(path.join(root, "shop"), spec, path.join(root, "shop"));

it("says a pointer file is one, and names the env to link instead", () => {
  const env = path.join(root, "envs", "web");
  mkdirSync(env, { recursive: true });
  writeFileSync(path.join(env, "pyvenv.cfg"), "home = /usr/bin\n");
  mkdirSync(path.join(root, "consumer"));
  writeFileSync(path.join(root, "consumer", ".venv"), "../envs/web\n");
  expect(link("../consumer/.venv")).toThrow(`cannot link ../consumer/.venv: it is a pointer file, not an env; link the env it points to: venvhook link ${env}`);
});

it("says a plain folder is not an env, a file is a file, and a missing path is missing", () => {
  mkdirSync(path.join(root, "src"));
  writeFileSync(path.join(root, "notes.txt"), "hello\n");
  expect(link("../src")).toThrow(`cannot link ../src: it is a folder without pyvenv.cfg, not an env; ${WANTED}`);
  expect(link("../notes.txt")).toThrow(`cannot link ../notes.txt: it is a file, not an env; ${WANTED}`);
  expect(link("../gone")).toThrow(`cannot link ../gone: it does not exist; ${WANTED}`);
});
