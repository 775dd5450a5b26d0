// `venvhook allowed` and `venvhook prune` through the compiled binary: what
// the trust store allows, whether each is still there, and forgetting what is gone.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, makeVenv } from "./fixture.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-trust-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function venvhook(cwd: string, args: string[]) {
  const result = spawnSync(BIN, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: root, LANG: "C.UTF-8", TZ: "UTC", PWD: cwd },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Allows proj's .venv and a pointer in linked/ to an env elsewhere; with `create`, venvhook also makes an env in made/ (~15 s: pip). */
function allowThree(create = false) {
  const proj = path.join(root, "proj");
  makeVenv(path.join(proj, ".venv"));
  const linked = path.join(root, "linked");
  const shared = makeVenv(path.join(root, "envs", "shared"));
  mkdirSync(linked);
  writeFileSync(path.join(linked, ".venv"), `${shared}\n`);
  const made = path.join(root, "made");
  for (const dir of [proj, linked]) expect(venvhook(dir, ["allow"]).status, dir).toBe(0);
  if (create) {
    mkdirSync(made);
    writeFileSync(path.join(made, "requirements.txt"), "");
    expect(venvhook(made, ["create", "--backend", "venv"]).status).toBe(0);
  }
  return { proj, linked, shared, made };
}

describe("venvhook allowed", () => {
  it("says so when nothing is allowed", () => {
    expect(venvhook(root, ["allowed"])).toEqual({ status: 0, stdout: "nothing is allowed yet; 'venvhook allow' in a project allows its env\n", stderr: "" });
    expect(JSON.parse(venvhook(root, ["allowed", "--json"]).stdout)).toEqual([]);
  });

  it("lists envs and pointer files, when, made by venvhook or not, and whether each still exists", () => {
    const { proj, linked, shared, made } = allowThree(true);
    const entries = JSON.parse(venvhook(root, ["allowed", "--json"]).stdout);
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(entries).toEqual([
      { kind: "env", path: path.join(proj, ".venv"), allowed: iso, created: false, exists: true },
      { kind: "env", path: shared, allowed: iso, created: false, exists: true },
      { kind: "env", path: path.join(made, ".venv"), allowed: iso, created: true, exists: true },
      { kind: "pointer", path: path.join(linked, ".venv"), target: shared, allowed: iso, exists: true },
    ]);
    const lines = venvhook(root, ["allowed"]).stdout.split("\n");
    expect(lines[2]).toMatch(new RegExp(`^env ${path.join(made, ".venv")}, allowed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(UTC\\+00:00\\), made by venvhook$`));
    expect(lines[3]).toMatch(new RegExp(`^pointer ${path.join(linked, ".venv")} -> ${shared}, allowed .*\\)$`));

    rmSync(path.join(proj, ".venv"), { recursive: true });
    rmSync(shared, { recursive: true });
    const gone = JSON.parse(venvhook(root, ["allowed", "--json"]).stdout);
    expect(gone.map((entry: { exists: boolean; gone?: string }) => [entry.exists, entry.gone])).toEqual([
      [false, "its folder is gone"],
      [false, "its folder is gone"],
      [true, undefined],
      [false, `the env it led to, ${shared}, is gone`],
    ]);
    expect(venvhook(root, ["allowed"]).stdout.split("\n")[0]).toMatch(/; gone: its folder is gone$/);
  });
});

describe("venvhook prune", () => {
  it("forgets what is gone, one line each, and keeps the rest; then there is nothing to prune", () => {
    const { proj, linked, shared } = allowThree();
    expect(venvhook(root, ["prune"])).toEqual({ status: 0, stdout: "nothing to prune\n", stderr: "" });
    rmSync(path.join(proj, ".venv"), { recursive: true });
    rmSync(path.join(linked, ".venv"));
    expect(venvhook(root, ["prune"])).toEqual({
      status: 0,
      stdout: `forgot env ${path.join(proj, ".venv")}: its folder is gone\nforgot pointer ${path.join(linked, ".venv")}: the file is gone\n`,
      stderr: "",
    });
    const left = JSON.parse(venvhook(root, ["allowed", "--json"]).stdout).map((entry: { path: string }) => entry.path);
    expect(left).toEqual([shared]);
    expect(venvhook(root, ["prune"]).stdout).toBe("nothing to prune\n");
  });

  it("a pointer whose env is gone goes with the env, and a re-made env must be allowed again", () => {
    const { linked, shared } = allowThree();
    rmSync(shared, { recursive: true });
    expect(venvhook(root, ["prune"]).stdout).toBe(
      `forgot env ${shared}: its folder is gone\nforgot pointer ${path.join(linked, ".venv")}: the env it led to, ${shared}, is gone\n`,
    );
    makeVenv(shared);
    expect(venvhook(linked, ["python"])).toMatchObject({ status: 1, stderr: `venvhook: found ./.venv, pointing to ${shared} (not allowed); run 'venvhook allow' to use it\n` });
  });
});
