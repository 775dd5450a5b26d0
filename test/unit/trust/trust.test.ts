import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findVenv, type Found } from "../../../src/discovery/venv.ts";
import { allow, deny, judge, loadTrust, unsafeReason, updateTrust } from "../../../src/trust/trust.ts";

let root: string;
let store: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "venvhook-trust-"));
  store = path.join(root, "data", "trust.json");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function makeEnv(dir: string): void {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), "home = /usr/bin\n");
}

function foundEnv(dir: string): Found & { kind: "env" } {
  const found = findVenv(dir);
  if (found?.kind !== "env") throw new Error(`no env from ${dir}`);
  return found;
}

describe("trust", () => {
  it("an env is not allowed until allow, and not after deny", () => {
    makeEnv(path.join(root, "proj", ".venv"));
    const found = foundEnv(path.join(root, "proj"));
    expect(judge(found, loadTrust(store))).toEqual({ ok: false, reason: "not-allowed" });
    updateTrust((trust) => allow(found, trust, new Date("2026-01-02T03:04:05Z")), store);
    expect(judge(found, loadTrust(store))).toEqual({ ok: true, since: "2026-01-02T03:04:05.000Z", env: found.env, bin: path.join(found.env, "bin") });
    expect(updateTrust((trust) => deny(found, trust), store)).toBe(true);
    expect(updateTrust((trust) => deny(found, trust), store)).toBe(false);
    expect(judge(found, loadTrust(store)).ok).toBe(false);
  });

  it("writes the store atomically, readable by the user only, leaving no temporary file", () => {
    makeEnv(path.join(root, "proj", ".venv"));
    updateTrust((trust) => allow(foundEnv(path.join(root, "proj")), trust), store);
    expect(readdirSync(path.dirname(store))).toEqual(["trust.json"]);
    expect(JSON.parse(readFileSync(store, "utf8")).version).toBe(1);
  });

  it("a pointer must be allowed itself, and again once its content changes", () => {
    makeEnv(path.join(root, "envs", "one"));
    makeEnv(path.join(root, "envs", "two"));
    mkdirSync(path.join(root, "proj"));
    const pointer = path.join(root, "proj", ".venv");
    writeFileSync(pointer, "../envs/one\n");
    const trust = loadTrust(store);
    allow(foundEnv(path.join(root, "proj")), trust);
    expect(judge(foundEnv(path.join(root, "proj")), trust).ok).toBe(true);

    // The env alone being allowed does not allow another pointer to it.
    mkdirSync(path.join(root, "other"));
    writeFileSync(path.join(root, "other", ".venv"), "../envs/one");
    expect(judge(foundEnv(path.join(root, "other")), trust)).toEqual({ ok: false, reason: "not-allowed" });

    // Editing the pointer, even to another allowed env, needs a new allow.
    allow(foundEnv(path.join(root, "proj")), trust);
    writeFileSync(pointer, "../envs/two\n");
    expect(judge(foundEnv(path.join(root, "proj")), trust)).toEqual({ ok: false, reason: "not-allowed" });
    const trustTwo = loadTrust(store);
    writeFileSync(pointer, "../envs/one\n");
    allow(foundEnv(path.join(root, "proj")), trustTwo);
    writeFileSync(pointer, "../envs/../envs/one\n");
    expect(judge(foundEnv(path.join(root, "proj")), trustTwo)).toEqual({ ok: false, reason: "pointer-changed" });
  });

  it("refuses an allowed env that others can write to, saying how to fix it", () => {
    const env = path.join(root, "proj", ".venv");
    makeEnv(env);
    const trust = loadTrust(store);
    allow(foundEnv(path.join(root, "proj")), trust);
    chmodSync(path.join(env, "bin"), 0o777);
    const verdict = judge(foundEnv(path.join(root, "proj")), trust);
    expect(verdict).toMatchObject({ ok: false, reason: "unsafe" });
    const real = { env, bin: path.join(env, "bin") };
    expect(unsafeReason(real)).toBe(`${env}/bin is writable by others (fix with: chmod go-w '${env}/bin')`);
    chmodSync(path.join(env, "bin"), 0o757);
    expect(unsafeReason(real)).toMatch(/writable by others/);
    chmodSync(path.join(env, "bin"), 0o755);
    expect(judge(foundEnv(path.join(root, "proj")), trust).ok).toBe(true);
  });

  it("says what to do with a damaged store instead of guessing", () => {
    mkdirSync(path.dirname(store), { recursive: true });
    writeFileSync(store, "{not json");
    expect(() => loadTrust(store)).toThrow(/trust\.json is not valid JSON; fix it, or delete it/);
    writeFileSync(store, '{"version": 1, "envs": []}');
    expect(() => loadTrust(store)).toThrow(/not in a format this venvhook knows/);
    writeFileSync(store, '{"version": 9}');
    expect(() => loadTrust(store)).toThrow(/was written by a newer venvhook \(format 9; this one reads format 1\).*install the newer venvhook again/);
  });
});
