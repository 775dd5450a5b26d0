// venvhook's own stores, end to end with the compiled binary: commands run at
// once as real processes lose no update; a repository's planted names are
// never written through; a failed write leaves no temporary file; a store
// that cannot be read turns off what venvhook activated, and says so once.
import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeShell, SHELLS } from "../support/shells.ts";
import { BIN, makeVenv, openWorld, type World } from "./fixture.ts";

const PLANTED = 500;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe("venvhook's stores, with commands run at once", () => {
  let root: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-stores-")));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const data = () => path.join(root, "home", ".local", "share", "venvhook");

  /** The binary as its own process; `wrap` runs it through sh (for ulimit), with "$0" the binary. */
  function venvhook(cwd: string, args: string[], wrap?: string): Promise<Ran> {
    const home = path.join(root, "home");
    const [program, argv] = wrap ? ["sh", ["-c", wrap, BIN, ...args]] : [BIN, args];
    const child = spawn(program, argv, {
      cwd,
      env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: path.join(home, ".local", "share"), XDG_STATE_HOME: path.join(home, ".local", "state"), XDG_CACHE_HOME: path.join(home, ".cache"), PWD: cwd },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
  }

  /** What `status --json` says of a folder. */
  async function status(dir: string): Promise<{ trust: { allowed: boolean } | null; offer?: { mode: string } }> {
    const ran = await venvhook(dir, ["status", "--json"]);
    expect(ran.stderr).toBe("");
    return JSON.parse(ran.stdout);
  }

  /** An env as tools leave it (bin/ and pyvenv.cfg): enough to be found and allowed. */
  function project(name: string): string {
    const dir = path.join(root, name);
    mkdirSync(path.join(dir, ".venv", "bin"), { recursive: true });
    writeFileSync(path.join(dir, ".venv", "pyvenv.cfg"), "home = /usr/bin\n");
    return dir;
  }

  /** A Python project with no env, which venvhook would offer to make one for. */
  function offered(name: string): string {
    const dir = path.join(root, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "pyproject.toml"), `[project]\nname = "${name}"\n`);
    return dir;
  }

  it("20 allows at once are all recorded, and deny racing allow ends as what each printed says", async () => {
    const many = Array.from({ length: 20 }, (_, i) => project(`p${i}`));
    const ran = await Promise.all(many.map((dir) => venvhook(dir, ["allow"])));
    for (const result of ran) expect(result).toMatchObject({ status: 0, stderr: "" });
    for (const dir of many) expect((await status(dir)).trust?.allowed, dir).toBe(true);

    for (let round = 0; round < 10; round++) {
      const dir = project(`race${round}`);
      const [allowed, denied] = await Promise.all([venvhook(dir, ["allow"]), venvhook(dir, ["deny"])]);
      expect(allowed).toMatchObject({ status: 0, stderr: "" });
      expect(denied).toMatchObject({ status: 0, stderr: "" });
      // deny first finds nothing to deny, and allow wins; deny after allow withdraws it.
      const denyWentFirst = denied.stdout.includes("was not allowed; nothing to do");
      if (!denyWentFirst) expect(denied.stdout).toMatch(/^denied /);
      expect((await status(dir)).trust?.allowed, `${denied.stdout} (round ${round})`).toBe(denyWentFirst);
    }
    expect(readdirSync(data())).toEqual(["trust.json"]);
  });

  it("20 ignores at once are all recorded, and unignore racing ignore ends as what it printed says", async () => {
    const many = Array.from({ length: 20 }, (_, i) => offered(`p${i}`));
    const ran = await Promise.all(many.map((dir) => venvhook(dir, ["ignore"])));
    for (const result of ran) expect(result).toMatchObject({ status: 0, stderr: "" });
    for (const dir of many) expect((await status(dir)).offer?.mode, dir).toBe("ignored");

    for (let round = 0; round < 10; round++) {
      const dir = offered(`race${round}`);
      const [ignored, unignored] = await Promise.all([venvhook(dir, ["ignore"]), venvhook(dir, ["unignore"])]);
      expect(ignored).toMatchObject({ status: 0, stdout: `ignoring ${dir}: no more offers to create an env there\n`, stderr: "" });
      expect(unignored).toMatchObject({ status: 0, stderr: "" });
      const unignoreWentFirst = unignored.stdout === `${dir} was not ignored\n`;
      if (!unignoreWentFirst) expect(unignored.stdout).toBe(`${dir} is no longer ignored\n`);
      expect((await status(dir)).offer?.mode === "ignored", `${unignored.stdout} (round ${round})`).toBe(unignoreWentFirst);
    }
    expect(readdirSync(data())).toEqual(["ignored.json"]);
  });

  /**
   * Links to `target` at the names `.venv.venvhook-tmp-<pid>` for the next
   * pids the system will hand out (planting all 32768 takes too long on a busy
   * disk): the process started next gets one of them.
   */
  function plant(dir: string, target: string): void {
    const last = Number(readFileSync("/proc/sys/kernel/ns_last_pid", "utf8"));
    const max = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8"));
    // Past pid_max, Linux starts again at 301.
    for (let i = 1; i <= PLANTED; i++) symlinkSync(target, path.join(dir, `.venv.venvhook-tmp-${last + i > max ? last + i - max + 300 : last + i}`));
  }
  const plantedLinks = (dir: string, target: string) =>
    readdirSync(dir).filter((name) => name.startsWith(".venv.venvhook-tmp-") && readlinkSync(path.join(dir, name)) === target).length;

  it("link writes the pointer through none of the links a repository planted at venvhook's old temporary names", async () => {
    const victim = path.join(root, "home", ".bashrc");
    mkdirSync(path.dirname(victim), { recursive: true });
    writeFileSync(victim, "# mine\n");
    const env = makeVenv(path.join(root, "envs", "tool"));
    const proj = path.join(root, "proj");
    mkdirSync(proj);
    plant(proj, victim);

    expect(await venvhook(proj, ["link", env])).toMatchObject({ status: 0, stderr: "" });
    expect(readFileSync(victim, "utf8")).toBe("# mine\n");
    expect(lstatSync(path.join(proj, ".venv")).isFile()).toBe(true);
    expect(readFileSync(path.join(proj, ".venv"), "utf8")).toBe(`${env}\n`);
    expect(plantedLinks(proj, victim)).toBe(PLANTED);
    expect((await status(proj)).trust?.allowed).toBe(true);
  });

  it("create builds the env in a folder of its own, never in one a planted link leads to", async () => {
    const victim = path.join(root, "home", "work");
    mkdirSync(victim, { recursive: true });
    const proj = offered("proj");
    plant(proj, victim);

    const created = await venvhook(proj, ["create", "--backend", "venv"]);
    expect(created).toMatchObject({ status: 0, stdout: expect.stringMatching(/^created .*: 'proj' will be active in /) });
    expect(readdirSync(victim)).toEqual([]);
    expect(lstatSync(path.join(proj, ".venv")).isDirectory()).toBe(true);
    expect(readFileSync(path.join(proj, ".venv", "pyvenv.cfg"), "utf8")).toContain(`prompt = 'proj'`);
    expect(plantedLinks(proj, victim)).toBe(PLANTED);
    expect(readdirSync(proj).filter((name) => !name.startsWith(".venv.venvhook-tmp-")).sort()).toEqual([".venv", "pyproject.toml"]);
  });

  it("a write that fails halfway (the file size limit, as a full disk) leaves the store as it was and no temporary file", async () => {
    const many = Array.from({ length: 8 }, (_, i) => project(`p${i}`));
    for (const dir of many) expect((await venvhook(dir, ["allow"])).status).toBe(0);
    const before = readFileSync(path.join(data(), "trust.json"), "utf8");
    expect(before.length).toBeGreaterThan(512);

    // 512 bytes: the lock's pid fits, the new trust.json does not. SIGXFSZ ignored: the write fails with EFBIG.
    const failed = await venvhook(project("late"), ["allow"], 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toBe(`venvhook: allow failed: cannot write ${path.join(data(), "trust.json")}: file too large\n`);
    expect(readdirSync(data())).toEqual(["trust.json"]);
    expect(readFileSync(path.join(data(), "trust.json"), "utf8")).toBe(before);
  });
});

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    const notices = (text: string) => text.split("\n").filter((line) => line.startsWith("venvhook:"));

    it("a trust store (or list of ignored projects) that cannot be read turns off what venvhook activated, says so once, and the next cd says nothing", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          makeVenv(path.join(root, "a", ".venv"));
          makeVenv(path.join(root, "b", ".venv"));
        },
      });
      const [a, b] = [path.join(w.root, "a"), path.join(w.root, "b")];
      for (const dir of [a, b]) expect(w.venvhook("allow", dir).status).toBe(0);
      const before = await w.path();
      await w.cd(a);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(a, ".venv"));

      const trust = path.join(w.home, ".local", "share", "venvhook", "trust.json");
      writeFileSync(trust, "{oops");
      const said = `venvhook: the trust store ${trust} is not valid JSON; fix it, or delete it (every env then waits for 'venvhook allow' again)`;
      expect(notices(await w.said(() => w.cd(b), said))).toEqual([said]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);

      expect(notices(await w.said(() => w.cd(a)))).toEqual([]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(notices(await w.said(() => w.cd(w.root)))).toEqual([]);
      expect(await w.path()).toBe(before);

      // The other commands fail in one line, and leave the file for the user to fix.
      for (const command of ["status", "allow", "deny"]) {
        const result = w.venvhook(command, a);
        expect(result.status, command).toBe(1);
        expect(result.stderr, command).toBe(`${said}\n`);
      }
      expect(readFileSync(trust, "utf8")).toBe("{oops");

      // The list of ignored projects too: no offer where it cannot tell, said once.
      const ignored = path.join(w.home, ".local", "share", "venvhook", "ignored.json");
      writeFileSync(ignored, "[]");
      const shop = path.join(w.root, "shop");
      mkdirSync(shop);
      writeFileSync(path.join(shop, "pyproject.toml"), '[project]\nname = "shop"\n');
      const saidIgnored = `venvhook: the list of ignored projects ${ignored} is not in a format this venvhook knows; fix it, or delete it (venvhook then offers to create envs there again)`;
      expect(notices(await w.said(() => w.cd(shop), saidIgnored))).toEqual([saidIgnored]);
      expect(notices(await w.said(() => w.cd(w.root)))).toEqual([]);
      expect(notices(await w.said(() => w.cd(shop)))).toEqual([]);
    });
  });
}
