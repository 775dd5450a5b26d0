// Issue 11, items 1 to 4, as the attacker tried them, in real interactive
// shells: what goes on PATH is the real path that trust judged, a PATH
// delimiter in it is refused, trust is tied to the folder that was allowed,
// and no folder on the way up may be writable by someone else.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeNeeding, describeShell, SHELLS } from "../support/shells.ts";
import { BIN, fakeBinary, openWorld, type World } from "./fixture.ts";

/** An env as the reproductions make it: pyvenv.cfg and a bin/ folder. */
function fakeEnv(dir: string): string {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), "home = /usr/bin\n");
  return dir;
}

/** A command that says PWNED: if it ever runs, the attack worked. */
const planted = (dir: string) => fakeBinary(dir, "pwnme", "echo PWNED");

const notices = (text: string) => text.split("\n").filter((line) => line.startsWith("venvhook:"));

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    it("PATH gets the real bin that was judged; /proc/self links and PATH delimiters are refused in one line", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          fakeEnv(path.join(root, "myapp", ".venv"));
          const evil = path.join(root, "myapp", "vendor", "evil");
          // Resolved in each process's own working folder: from tests/unit/deep it is tests/.venv.
          mkdirSync(path.join(evil, "tests", "unit", "deep"), { recursive: true });
          planted(path.join(fakeEnv(path.join(evil, "tests", ".venv")), "bin"));
          symlinkSync("/proc/self/cwd/../../.venv", path.join(evil, ".venv"));
          // A ':' splits the PATH entry in two: `src:main/.venv/bin` would put `src` on PATH.
          mkdirSync(path.join(evil, "src:main"));
          symlinkSync("../../../.venv", path.join(evil, "src:main", ".venv"));
          mkdirSync(path.join(evil, "src"));
          planted(path.join(evil, "src"));
          fakeEnv(path.join(root, "colon", "a:b", ".venv"));
          mkdirSync(path.join(root, "pointing"));
          fakeEnv(path.join(root, "pointing", ".env2"));
          writeFileSync(path.join(root, "pointing", ".venv"), "/proc/self/cwd/.env2\n");
          const tooled = fakeEnv(path.join(root, "tooled", ".venv"));
          rmSync(path.join(tooled, "bin"), { recursive: true });
          symlinkSync("/proc/self/cwd/tools", path.join(tooled, "bin"));
        },
      });
      const myapp = path.join(w.root, "myapp");
      const evil = path.join(myapp, "vendor", "evil");
      const before = await w.path();
      expect(w.venvhook("allow", myapp).status).toBe(0);

      const heard = await w.said(() => w.cd(evil), "refusing");
      expect(notices(heard)).toEqual([
        `venvhook: refusing ./.venv: the link ${evil}/.venv -> /proc/self/cwd/../../.venv leads through /proc, which is a different folder in every process`,
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      expect(await w.s.run("env -C tests/unit/deep pwnme 2>&1")).not.toContain("PWNED");

      // A link to the allowed env activates it, by its real path: nothing of `src:main` reaches PATH.
      await w.cd(path.join(evil, "src:main"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(myapp, ".venv"));
      expect(await w.path()).toBe(`${path.join(myapp, ".venv", "bin")}:${before}`);
      await w.cd(w.root);
      expect(await w.path()).toBe(before);
      expect(await w.s.run("pwnme 2>&1")).not.toContain("PWNED");

      const colon = path.join(w.root, "colon", "a:b");
      const refusedColon = w.venvhook("allow", colon);
      expect([refusedColon.status, refusedColon.stderr]).toEqual([
        1,
        `venvhook: not allowing ${colon}/.venv: ${colon}/.venv/bin contains ':', which separates PATH entries; move the env to a folder without it\n`,
      ]);
      expect(notices(await w.said(() => w.cd(colon), "refusing"))).toEqual([
        `venvhook: refusing ./.venv: ${colon}/.venv/bin contains ':', which separates PATH entries; move the env to a folder without it`,
      ]);
      expect(await w.path()).toBe(before);

      for (const [dir, link] of [
        ["pointing", ": /proc/self/cwd/.env2 leads through /proc"],
        ["tooled", `the link ${w.root}/tooled/.venv/bin -> /proc/self/cwd/tools`],
      ] as const) {
        await w.cd(path.join(w.root, dir));
        const refused = await w.s.runWithStatus("venvhook allow");
        expect(refused.status).toBe(1);
        expect(refused.stderr).toContain(link);
        expect(refused.stderr).toMatch(/^venvhook: not allowing .* leads through \/proc, which is a different folder in every process$/);
        expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      }
    });

    it("an env re-created at an allowed path, or under a folder others can write, is not activated", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          fakeEnv(path.join(root, "shop", ".venv"));
          fakeEnv(path.join(root, "team", "proj", ".venv"));
          mkdirSync(path.join(root, "linked"));
          symlinkSync("../shop/.venv", path.join(root, "linked", ".venv"));
        },
      });
      const shop = path.join(w.root, "shop");
      const env = path.join(shop, ".venv");
      expect(w.venvhook("allow", shop).status).toBe(0);
      await w.cd(shop);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      await w.cd(w.root);
      rmSync(shop, { recursive: true });
      planted(path.join(fakeEnv(env), "bin"));
      const heard = await w.said(() => w.cd(shop), "re-created");
      expect(notices(heard)).toEqual([
        "venvhook: ./.venv was re-created since it was allowed, so it is not the env you allowed; run 'venvhook allow' again if you trust it",
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.s.run("pwnme 2>&1")).not.toContain("PWNED");
      expect(await w.s.run("venvhook allow")).toBe(`allowed ${env}: 'shop' is active in ${shop} and below`);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);

      // allow says where a symbolic .venv leads: that real env is what goes on PATH.
      await w.cd(path.join(w.root, "linked"));
      expect(await w.s.run("venvhook allow")).toBe(
        `allowed ${w.root}/linked/.venv (leading to ${env}): 'linked' is active in ${w.root}/linked and below`,
      );
      expect(await w.get("VIRTUAL_ENV")).toBe(env);

      const team = path.join(w.root, "team");
      expect(w.venvhook("allow", path.join(team, "proj")).status).toBe(0);
      chmodSync(team, 0o777);
      expect(notices(await w.said(() => w.cd(path.join(team, "proj")), "refusing"))).toEqual([
        `venvhook: refusing ./.venv: ${team} is writable by others (fix with: chmod go-w '${team}')`,
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      chmodSync(team, 0o755);
      await w.cd(w.root);
      await w.cd(path.join(team, "proj"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(team, "proj", ".venv"));
    });

    if (shell === "bash") {
      it("under umask 002, create and python's own venv give envs that activate", async () => {
        w = await openWorld(shell, {
          after: "umask 002",
          setup: (root) => {
            mkdirSync(path.join(root, "made"));
            writeFileSync(path.join(root, "made", "requirements.txt"), "");
            mkdirSync(path.join(root, "own"));
          },
        });
        const made = path.join(w.root, "made");
        await w.cd(made);
        const created = await w.s.runWithStatus("venvhook create --backend venv", { timeoutMs: 60_000 });
        expect([created.status, created.stdout]).toEqual([0, expect.stringMatching(new RegExp(`^created ${made}/\\.venv with Python \\S+ using venv in \\d+\\.\\ds: 'made' is active in ${made} and below$`))]);
        expect(await w.get("VIRTUAL_ENV")).toBe(path.join(made, ".venv"));
        await w.cd(w.root);
        expect(notices(await w.said(() => w.cd(made)))).toEqual([]);
        expect(await w.get("VIRTUAL_ENV")).toBe(path.join(made, ".venv"));

        const own = path.join(w.root, "own");
        await w.cd(own);
        expect((await w.s.runWithStatus("python3 -m venv --without-pip .venv")).status).toBe(0);
        expect(await w.s.run("venvhook allow")).toBe(`allowed ${own}/.venv: 'own' is active in ${own} and below`);
        expect(await w.get("VIRTUAL_ENV")).toBe(path.join(own, ".venv"));
      });
    }
  });
}

// A real non-root user with a user private group, as Fedora makes them: made with useradd, so only as root.
const USER = "vh-upg-test";
const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn("skipping the user-private-group test: it makes a user with useradd, which needs root");
describeNeeding("a user with a private group, under umask 002", ["useradd", "python3"], () => {
  it.runIf(asRoot)("python3 -m venv, then one venvhook allow, and the env is allowed", () => {
    if (spawnSync("id", ["-u", USER]).status !== 0) {
      expect(spawnSync("useradd", ["--user-group", "--no-create-home", "--shell", "/bin/sh", USER]).status).toBe(0);
    }
    const uid = Number(spawnSync("id", ["-u", USER], { encoding: "utf8" }).stdout);
    const gid = Number(spawnSync("id", ["-g", USER], { encoding: "utf8" }).stdout);
    const base = spawnSync("mktemp", ["-d", "/tmp/vh-upg-XXXXXX"], { encoding: "utf8" }).stdout.trim();
    try {
      chmodSync(base, 0o755);
      const project = path.join(base, "proj");
      mkdirSync(path.join(base, "home"));
      mkdirSync(project);
      chownSync(path.join(base, "home"), uid, gid);
      chownSync(project, uid, gid);
      chmodSync(project, 0o775); // as umask 002 makes it
      const run = (script: string) =>
        spawnSync("/bin/sh", ["-c", `umask 002; ${script}`], {
          cwd: project,
          uid,
          gid,
          env: { HOME: path.join(base, "home"), PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
          encoding: "utf8",
        });
      expect(run("/usr/bin/python3 -m venv --without-pip .venv").status).toBe(0);
      const allowed = run(`'${BIN}' allow`);
      expect([allowed.status, allowed.stderr]).toEqual([0, ""]);
      const status = run(`'${BIN}' status --json`);
      expect(JSON.parse(status.stdout).trust).toMatchObject({ allowed: true });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
