// What trust judges is what goes on PATH (issue 11, items 1 to 4): the real
// env and bin, never a path another process resolves elsewhere; the folder
// the user allowed, not another one made at its path since; and nothing on
// the way from bin/ up to / that another user can change.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findVenv, type Found } from "../../../src/discovery/venv.ts";
import { windows } from "../../../src/activation/platform.ts";
import {
  allow,
  allowCreated,
  binPathProblem,
  isPrivateGroup,
  judge,
  loadTrust,
  MAX_BIN_ENTRIES,
  resolveEnv,
  unsafeReason,
  type Accounts,
} from "../../../src/trust/trust.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "venvhook-trust-hardening-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function makeEnv(dir: string): string {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), "home = /usr/bin\n");
  return dir;
}

function foundEnv(dir: string): Found & { kind: "env" } {
  const found = findVenv(dir);
  if (found?.kind !== "env") throw new Error(`no env from ${dir}`);
  return found;
}

const uid = process.getuid!();
const gid = process.getgid!();
/** An account database where this process's user has a private group, plus what `extra` adds. */
function accounts(extra: { passwd?: string; group?: string; members?: string } = {}): Accounts {
  return {
    uid,
    passwd: () => `me:x:${uid}:${gid}::/home/me:/bin/sh\n${extra.passwd ?? ""}`,
    group: () => `me:x:${gid}:${extra.members ?? ""}\n${extra.group ?? ""}`,
  };
}

describe("what is judged is what goes on PATH", () => {
  it("judge answers with the real env and bin: a symbolic .venv and a symbolic bin/ are followed", () => {
    const real = makeEnv(path.join(root, "envs", "one"));
    mkdirSync(path.join(root, "tools"));
    rmSync(path.join(real, "bin"), { recursive: true });
    symlinkSync("../../tools", path.join(real, "bin"));
    mkdirSync(path.join(root, "proj"));
    symlinkSync("../envs/one", path.join(root, "proj", ".venv"));
    const found = foundEnv(path.join(root, "proj"));
    expect(found.env).toBe(path.join(root, "proj", ".venv"));
    const store = loadTrust(path.join(root, "trust.json"));
    expect(allow(found, store)).toMatchObject({ env: real, bin: path.join(root, "tools") });
    expect(judge(found, store)).toMatchObject({ ok: true, env: real, bin: path.join(root, "tools") });
  });

  it("refuses an env, a bin/ or a pointer that resolves through /proc/self, /dev/fd or another process", () => {
    makeEnv(path.join(root, "myapp", ".venv"));
    const evil = path.join(root, "myapp", "vendor", "evil");
    mkdirSync(evil, { recursive: true });
    symlinkSync("/proc/self/cwd/../../.venv", path.join(evil, ".venv"));
    expect(resolveEnv(path.join(evil, ".venv"))).toEqual({
      problem: `the link ${evil}/.venv -> /proc/self/cwd/../../.venv leads through /proc, which is a different folder in every process`,
    });
    // The same chain, hidden behind a relative link to a link.
    symlinkSync("/dev/fd/0", path.join(root, "fd"));
    expect(resolveEnv(path.join(root, "fd"))).toMatchObject({ problem: expect.stringContaining("leads through /dev/fd") });
    expect(resolveEnv(`/proc/${process.pid}/cwd`)).toMatchObject({ problem: expect.stringContaining("leads through /proc") });

    const tooled = makeEnv(path.join(root, "tooled", ".venv"));
    rmSync(path.join(tooled, "bin"), { recursive: true });
    symlinkSync("/proc/self/cwd/tools", path.join(tooled, "bin"));
    const found = foundEnv(path.join(root, "tooled"));
    expect(judge(found, loadTrust(path.join(root, "trust.json")))).toMatchObject({ ok: false, reason: "unsafe" });
    expect(() => allow(found, loadTrust(path.join(root, "trust.json")))).toThrow(/leads through \/proc/);

    mkdirSync(path.join(root, "pointing"));
    makeEnv(path.join(root, "pointing", ".env2"));
    // Through /proc/self/root, so that it resolves from the test's own working folder as well.
    writeFileSync(path.join(root, "pointing", ".venv"), `/proc/self/root${root}/pointing/.env2\n`);
    expect(judge(foundEnv(path.join(root, "pointing")), loadTrust(path.join(root, "trust.json")))).toMatchObject({
      ok: false,
      reason: "unsafe",
      detail: expect.stringContaining("leads through /proc"),
    });
  });

  it("refuses a bin path with the platform's PATH delimiter in it, or a relative one", () => {
    const env = makeEnv(path.join(root, "src:main", ".venv"));
    expect(resolveEnv(env)).toEqual({
      problem: `${env}/bin contains ':', which separates PATH entries; move the env to a folder without it`,
    });
    expect(binPathProblem("C:\\work\\a;b\\.venv\\Scripts", windows)).toMatch(/contains ';', which separates PATH entries/);
    expect(binPathProblem("C:\\work\\a:b\\.venv\\Scripts", windows)).toBeUndefined();
    expect(binPathProblem("work\\.venv\\Scripts", windows)).toBe("work\\.venv\\Scripts is not an absolute path");
    expect(binPathProblem(".venv/bin")).toBe(".venv/bin is not an absolute path");
  });
});

describe("trust is tied to the folder that was allowed", () => {
  it("an env re-created at an allowed path waits for allow again; installing packages does not", () => {
    const env = makeEnv(path.join(root, "shop", ".venv"));
    const store = loadTrust(path.join(root, "trust.json"));
    allow(foundEnv(path.join(root, "shop")), store);
    writeFileSync(path.join(env, "bin", "pip"), "#!/bin/sh\n");
    mkdirSync(path.join(env, "lib"));
    expect(judge(foundEnv(path.join(root, "shop")), store).ok).toBe(true);

    rmSync(path.join(root, "shop"), { recursive: true });
    makeEnv(env);
    expect(judge(foundEnv(path.join(root, "shop")), store)).toEqual({ ok: false, reason: "recreated" });
    allow(foundEnv(path.join(root, "shop")), store);
    expect(judge(foundEnv(path.join(root, "shop")), store).ok).toBe(true);

    // Only bin/ replaced: another folder of executables, another allow.
    rmSync(path.join(env, "bin"), { recursive: true });
    mkdirSync(path.join(env, "bin"));
    expect(judge(foundEnv(path.join(root, "shop")), store)).toEqual({ ok: false, reason: "recreated" });
  });

  it("envs venvhook (re)creates stay allowed; entries from before identities are asked again", () => {
    const env = makeEnv(path.join(root, "shop", ".venv"));
    const store = loadTrust(path.join(root, "trust.json"));
    allowCreated(env, store);
    expect(judge(foundEnv(path.join(root, "shop")), store).ok).toBe(true);
    rmSync(env, { recursive: true });
    allowCreated(makeEnv(env), store);
    expect(judge(foundEnv(path.join(root, "shop")), store).ok).toBe(true);

    writeFileSync(path.join(root, "old.json"), JSON.stringify({ version: 1, envs: { [env]: { allowed: "2026-01-01T00:00:00.000Z" } }, pointers: {} }));
    expect(judge(foundEnv(path.join(root, "shop")), loadTrust(path.join(root, "old.json")))).toEqual({ ok: false, reason: "unidentified" });
  });
});

describe("StrictModes: nobody else can change what goes on PATH", () => {
  it("refuses a world-writable folder anywhere above the env unless it is sticky, naming every one at once", () => {
    const project = path.join(root, "team", "proj");
    const env = makeEnv(path.join(project, ".venv"));
    const real = { env, bin: path.join(env, "bin") };
    expect(unsafeReason(real, accounts())).toBeUndefined();
    chmodSync(path.join(root, "team"), 0o777);
    chmodSync(env, 0o757);
    expect(unsafeReason(real, accounts())).toBe(
      `${env} is writable by others, ${root}/team is writable by others (fix with: chmod go-w '${env}' '${root}/team')`,
    );
    chmodSync(path.join(root, "team"), 0o1777);
    chmodSync(env, 0o755);
    expect(unsafeReason(real, accounts())).toBeUndefined();
  });

  it("refuses a folder above the env, or a file in bin/, owned by another user", () => {
    const env = makeEnv(path.join(root, "shared", "proj", ".venv"));
    const real = { env, bin: path.join(env, "bin") };
    writeFileSync(path.join(env, "bin", "python"), "#!/bin/sh\n");
    // As root, files are made another user's with chown; otherwise this process poses as another user.
    const asRoot = uid === 0;
    const other = asRoot ? accounts() : { ...accounts(), uid: uid + 1 };
    if (asRoot) chownSync(path.join(root, "shared"), 4242, gid);
    expect(unsafeReason(real, other)).toBe(`${root}/shared is owned by another user (uid ${asRoot ? 4242 : uid})`);
    if (!asRoot) return;
    chownSync(path.join(root, "shared"), 0, gid);
    chownSync(path.join(env, "bin", "python"), 4242, gid);
    expect(unsafeReason(real, other)).toBe(`${env}/bin/python is owned by another user (uid 4242)`);
  });

  it("refuses files in bin/ that others can write, and a bin/ too large to check", () => {
    const env = makeEnv(path.join(root, "proj", ".venv"));
    const real = { env, bin: path.join(env, "bin") };
    writeFileSync(path.join(env, "bin", "python"), "#!/bin/sh\n");
    chmodSync(path.join(env, "bin", "python"), 0o757);
    expect(unsafeReason(real, accounts())).toBe(
      `${env}/bin/python is writable by others (fix with: chmod go-w '${env}/bin/python')`,
    );
    const store = loadTrust(path.join(root, "trust.json"));
    allow(foundEnv(path.join(root, "proj")), store);
    expect(judge(foundEnv(path.join(root, "proj")), store)).toMatchObject({ ok: false, reason: "unsafe" });
    chmodSync(path.join(env, "bin", "python"), 0o755);
    expect(judge(foundEnv(path.join(root, "proj")), store).ok).toBe(true);
    symlinkSync("nowhere", path.join(env, "bin", "dangling"));
    for (let i = 0; i < MAX_BIN_ENTRIES; i++) writeFileSync(path.join(env, "bin", `tool${i}`), "");
    expect(unsafeReason(real, accounts())).toBe(`${env}/bin has more than ${MAX_BIN_ENTRIES} entries, too many to check`);
  });

  it("group-writable is fine only in the owner's private group (umask 002)", () => {
    const env = makeEnv(path.join(root, "proj", ".venv"));
    const real = { env, bin: path.join(env, "bin") };
    writeFileSync(path.join(env, "bin", "python"), "#!/bin/sh\n");
    for (const file of [path.join(root, "proj"), env, real.bin, path.join(env, "bin", "python")]) chmodSync(file, 0o775);
    expect(unsafeReason(real, accounts())).toBeUndefined();
    expect(unsafeReason(real, accounts({ members: "me" }))).toBeUndefined();

    const refused = `${env}/bin is writable by its group (gid ${gid}), which is not its owner's private group`;
    expect(unsafeReason(real, accounts({ members: "me,eve" }))).toMatch(refused);
    expect(unsafeReason(real, accounts({ passwd: `eve:x:${uid + 7}:${gid}::/home/eve:/bin/sh\n` }))).toMatch(refused);
    expect(unsafeReason(real, accounts({ group: `staff:x:${gid}:eve\n` }))).toMatch(refused);
    expect(unsafeReason(real, { uid, passwd: () => `me:x:${uid}:${gid + 1}::/:/bin/sh\n`, group: () => `me:x:${gid}:\n` })).toMatch(refused);
    expect(unsafeReason(real, { uid, passwd: () => `me:x:${uid}:${gid}::/:/bin/sh\n`, group: () => `team:x:${gid}:\n` })).toMatch(refused);
    expect(unsafeReason(real, { uid, passwd: () => "", group: () => "" })).toMatch(refused);
    expect(isPrivateGroup(uid, gid, accounts())).toBe(true);
  });
});
