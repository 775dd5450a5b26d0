// venvhook's own stores (src/shared/jsonfile.ts, src/shared/lock.ts, src/shared/atomic.ts): a
// change is made under a lock from what the file holds then; a temporary file
// is made new, under a name nobody can plant, and never left behind; a store
// that cannot be used says which file and what to do.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replaceFile, temporaryName, writeNewFile } from "../../src/shared/atomic.ts";
import { setIgnored, isIgnored } from "../../src/create/ignored.ts";
import { acquireLockSync } from "../../src/shared/lock.ts";
import { discover, toolContext } from "../../src/discovery/index.ts";
import { Memo } from "../../src/discovery/tools/memo.ts";
import { here } from "../../src/discovery/venv.ts";
import { loadTrust, updateTrust } from "../../src/trust/trust.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-stores-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A pid no process has: one that just exited. */
function deadPid(): number {
  return spawnSync("true").pid!;
}

describe("temporary files", () => {
  it("are never opened through a link planted at their name, and what it points to stays as it was", () => {
    const victim = path.join(root, "bashrc");
    writeFileSync(victim, "mine\n");
    const planted = path.join(root, "planted");
    symlinkSync(victim, planted);
    expect(() => writeNewFile(planted, "evil\n")).toThrow(/EEXIST/);
    expect(readFileSync(victim, "utf8")).toBe("mine\n");
  });

  it("have names nobody can guess", () => {
    const file = path.join(root, "trust.json");
    const names = new Set(Array.from({ length: 100 }, () => temporaryName(file)));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/trust\.json\.tmp-[0-9a-f]{16}$/);
  });

  it("are removed when a replacement cannot be put in place", () => {
    const file = path.join(root, "trust.json");
    mkdirSync(path.join(file, "in-the-way"), { recursive: true });
    expect(() => replaceFile(file, "{}\n")).toThrow();
    expect(readdirSync(root)).toEqual(["trust.json"]);
  });

  it("are removed when the memo cannot keep what the rules found", async () => {
    const home = path.join(root, "home");
    const proj = path.join(root, "shop");
    mkdirSync(path.join(proj, "src"), { recursive: true });
    writeFileSync(path.join(proj, "pyproject.toml"), '[tool.poetry]\nname = "shop"\n');
    const memoFolder = path.join(root, "memo");
    const memo = new Memo(() => memoFolder, () => Date.now() + 60_000);
    const ctx = () => toolContext(path.join(proj, "src"), { HOME: home }, { ...here(), home, workonHome: undefined });
    await discover(ctx(), path.join(root, "config.toml"), memo);
    const [kept] = readdirSync(memoFolder);
    // The memo's file is now a folder: the next keep writes its temporary file and cannot rename it.
    rmSync(path.join(memoFolder, kept!));
    mkdirSync(path.join(memoFolder, kept!, "in-the-way"), { recursive: true });
    await discover(ctx(), path.join(root, "config.toml"), memo);
    expect(readdirSync(memoFolder)).toEqual([kept]);
  });
});

describe("locks", () => {
  it("a lock whose owner died is taken over, and one left without an owner too", () => {
    const folder = path.join(root, "trust.json.lock");
    mkdirSync(folder);
    writeFileSync(path.join(folder, "pid"), String(deadPid()));
    const lock = acquireLockSync(folder, () => expect.unreachable());
    expect(readFileSync(path.join(folder, "pid"), "utf8")).toBe(String(process.pid));
    lock.release();
    expect(readdirSync(root)).toEqual([]);

    mkdirSync(path.join(folder, "junk"), { recursive: true });
    acquireLockSync(folder, () => expect.unreachable()).release();
    expect(readdirSync(root)).toEqual([]);
  });

  it("a lock whose owner lives is waited for, and the wait is said with the owner's pid", () => {
    const owner = spawn("sleep", ["60"]);
    try {
      const folder = path.join(root, "trust.json.lock");
      mkdirSync(folder);
      writeFileSync(path.join(folder, "pid"), String(owner.pid));
      expect(() =>
        acquireLockSync(folder, (pid) => {
          throw new Error(`waiting for ${pid}`);
        }),
      ).toThrow(`waiting for ${owner.pid}`);
      expect(readFileSync(path.join(folder, "pid"), "utf8")).toBe(String(owner.pid));
    } finally {
      owner.kill();
    }
  });
});

describe("stores", () => {
  const trust = () => path.join(root, "data", "trust.json");
  const ignored = () => path.join(root, "data", "ignored.json");

  it("a change is written only when something changed, and leaves only the store", () => {
    const project = path.join(root, "proj");
    mkdirSync(project);
    expect(setIgnored(project, false, ignored())).toBe(false);
    expect(readdirSync(path.join(root, "data"))).toEqual([]);
    expect(setIgnored(project, true, ignored())).toBe(true);
    expect(setIgnored(project, true, ignored())).toBe(false);
    expect(isIgnored(project, ignored())).toBe(true);
    expect(readdirSync(path.join(root, "data"))).toEqual(["ignored.json"]);
  });

  it("one that cannot be used names the file and what to do, and is never written over", () => {
    mkdirSync(path.join(root, "data"));
    const cases: Array<[string, () => void, RegExp]> = [
      ["{oops", () => writeFileSync(trust(), "{oops"), /is not valid JSON/],
      ["null", () => writeFileSync(trust(), "null"), /is not in a format this venvhook knows/],
      ["envs: null", () => writeFileSync(trust(), '{"version":1,"envs":null,"pointers":{}}'), /is not in a format this venvhook knows/],
      ["envs: []", () => writeFileSync(trust(), '{"version":1,"envs":[],"pointers":{}}'), /is not in a format this venvhook knows/],
      ["a folder", () => mkdirSync(trust()), /is not a file/],
      // Not read at all: reading a FIFO would wait for a writer forever.
      ["a FIFO", () => spawnSync("mkfifo", [trust()]), /is not a file/],
    ];
    for (const [what, make, problem] of cases) {
      rmSync(trust(), { recursive: true, force: true });
      make();
      const before = readdirSync(path.join(root, "data"));
      const expected = new RegExp(`^the trust store ${trust()} ${problem.source}; fix it, or delete it \\(every env then waits for 'venvhook allow' again\\)$`);
      expect(() => loadTrust(trust()), what).toThrow(expected);
      expect(() => updateTrust(() => undefined, trust()), what).toThrow(expected);
      expect(readdirSync(path.join(root, "data")), what).toEqual(before);
    }
    writeFileSync(ignored(), "[]");
    expect(() => isIgnored(root, ignored())).toThrow(
      `the list of ignored projects ${ignored()} is not in a format this venvhook knows; fix it, or delete it (venvhook then offers to create envs there again)`,
    );
  });

  it("written by a newer venvhook (after a downgrade) are left as they are, and the line says to install it again", () => {
    mkdirSync(path.dirname(trust()), { recursive: true });
    writeFileSync(trust(), '{"version":2,"envs":{},"pointers":{},"more":[]}');
    const expected = `the trust store ${trust()} was written by a newer venvhook (format 2; this one reads format 1), so it is left as it is; install the newer venvhook again`;
    expect(() => loadTrust(trust())).toThrow(expected);
    expect(() => updateTrust(() => undefined, trust())).toThrow(expected);
    expect(readFileSync(trust(), "utf8")).toBe('{"version":2,"envs":{},"pointers":{},"more":[]}');
  });
});
