// The compiled binary against folders that would make it hang or slow every
// prompt (issue 11, items 9-11). The work is bounded by counts (system calls
// seen by strace); the time limits are liveness bounds only, far above what
// each run takes.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pathHash8 } from "../../src/store/central.ts";
import { describeShell } from "../support/shells.ts";
import { BIN, openWorld, type World } from "./fixture.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-hangs-")));
});
/** Folders made outside `root`, removed after each test. */
const scratch: string[] = [];
afterEach(() => {
  for (const dir of [root, ...scratch.splice(0)]) rmSync(dir, { recursive: true, force: true });
});

/** Liveness bound for one run of the binary: a hang is a failure, not a stuck suite. */
const RUN_LIMIT_MS = 10_000;

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: path.join(root, "home"), XDG_DATA_HOME: path.join(root, "data"), XDG_CACHE_HOME: path.join(root, "cache"), ...extra };
}

function venvhook(cwd: string, args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(BIN, args, { cwd, env: { ...environment(extra), PWD: cwd }, encoding: "utf8", timeout: RUN_LIMIT_MS, stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const GAVE_UP = "venvhook: gave up on ./pyproject.toml: a project's TOML files over 256 KiB in all would slow every cd; venvhook goes on without it";

/** A uv project's pyproject.toml of `keys` one-line keys, dated in the future as tar and zip may keep it (so the memo never keeps what came of it). */
function writeManyKeys(project: string, keys: number): void {
  const lines = ['[project]\nname = "big"\n\n[tool.uv]\n'];
  for (let i = 0; i < keys; i++) lines.push(`k${i}=1\n`);
  const file = path.join(project, "pyproject.toml");
  writeFileSync(file, lines.join(""));
  const future = new Date("2040-01-01");
  utimesSync(file, future, future);
}

/** An env as tools leave one: bin/ and pyvenv.cfg. */
function fakeEnv(dir: string): string {
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "pyvenv.cfg"), "home = /usr/bin\nversion = 3.12.1\n");
  return dir;
}

describe("folders that would make venvhook hang", () => {
  it("list and gc finish when an env holds a FIFO named .project or venvhook.json", () => {
    const workon = path.join(root, "workon");
    const wrapperEnv = fakeEnv(path.join(workon, "tool"));
    execFileSync("mkfifo", [path.join(wrapperEnv, ".project")]);
    const project = path.join(root, "shop");
    mkdirSync(project);
    const storeEnv = fakeEnv(path.join(root, "data", "venvhook", "envs", `shop-${pathHash8(project)}`, "default"));
    execFileSync("mkfifo", [path.join(storeEnv, "venvhook.json")]);

    const list = venvhook(root, ["list"], { WORKON_HOME: workon });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^\s+\?\s+default\s+3\.12\.1 .*its project is unknown$/m);
    expect(list.stdout).toMatch(/^\s+\(\$WORKON_HOME\)\s+tool\s+3\.12\.1 /m);
    // Unknown is never an orphan: nothing to remove.
    const gc = venvhook(root, ["gc", "--yes"], { WORKON_HOME: workon });
    expect(gc).toMatchObject({ status: 0, stdout: `no orphan envs in ${path.join(root, "data", "venvhook", "envs")}\n` });
  });

  it("below a folder of 200k entries, export reads a bounded number of them, and still finds a requirements.txt there", () => {
    // On tmpfs where there is one: 200k files on a busy disk take minutes to make.
    const big = path.join(mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : root, "vh-hangs-")), "big");
    scratch.push(path.dirname(big));
    mkdirSync(big);
    for (let i = 0; i < 200_000; i++) closeSync(openSync(path.join(big, `f${i}`), "w"));
    const below = path.join(big, "src", "deep");
    mkdirSync(below, { recursive: true });

    /** getdents64 calls of one `export bash` from `below` (the runtime's own start makes a few). */
    const listings = (): number => {
      const summary = spawnSync("strace", ["-f", "-c", "-e", "trace=getdents64", BIN, "export", "bash"], {
        cwd: below,
        env: { ...environment(), PWD: below },
        encoding: "utf8",
        timeout: RUN_LIMIT_MS,
      });
      expect(summary.status).toBe(0);
      return Number(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)(?:\s+\d+)?\s+getdents64$/m.exec(summary.stderr)?.[1] ?? 0);
    };
    // Listing the folder in full takes about 800 calls (256 names each).
    expect(listings()).toBeLessThan(50);

    closeSync(openSync(path.join(big, "requirements.txt"), "w"));
    expect(listings()).toBeLessThan(50);
    const hint = venvhook(below, ["export", "bash"]);
    expect(hint.status).toBe(0);
    expect(hint.stderr).toBe("venvhook: big has a requirements.txt but no environment; run 'venvhook create' (or 'venvhook ignore')\n");
  }, 180_000);

  it("a pyproject.toml of 40k or 100k one-line keys, dated in the future: export answers, and says once that it gave up on it", { timeout: 120_000 }, () => {
    const project = path.join(root, "big");
    mkdirSync(project);
    const pyproject = (keys: number) => writeManyKeys(project, keys);
    const gaveUp = `${GAVE_UP}\n`;
    for (const keys of [40_000, 100_000]) {
      pyproject(keys);
      const first = venvhook(project, ["export", "bash"]);
      expect(first.status, `${keys} keys`).toBe(0);
      expect(first.stderr, `${keys} keys`).toBe(`${gaveUp}venvhook: big has a pyproject.toml but no environment; run 'venvhook create' (or 'venvhook ignore')\n`);
      const told = /^__venvhook_told='([^']*)'/m.exec(first.stdout)?.[1];
      expect(venvhook(project, ["export", "bash"], { VENVHOOK_TOLD: told ?? "" })).toMatchObject({ status: 0, stdout: "", stderr: "" });
    }
    // Within the budget, many keys are parsed in linear time, and the project is uv's.
    pyproject(25_000);
    expect(venvhook(project, ["export", "bash"]).stderr).toBe("venvhook: big is a uv project with no environment yet; run 'uv sync' then 'venvhook allow', or 'venvhook create' (uv uses the .venv it makes); or 'venvhook ignore'\n");
  });
});

describeShell("bash", () => {
  let w: World;
  afterEach(async () => w?.close());

  it("cd into a project whose pyproject.toml has 100k keys: the prompt comes back, and the notice is said once", async () => {
    w = await openWorld("bash", { setup: (dir) => (mkdirSync(path.join(dir, "big")), writeManyKeys(path.join(dir, "big"), 100_000)) });
    const big = path.join(w.root, "big");
    const notices = (text: string) => text.split("\n").filter((line) => line.startsWith("venvhook:"));
    expect(notices(await w.said(() => w.cd(big), "no environment"))).toEqual([
      GAVE_UP,
      "venvhook: big has a pyproject.toml but no environment; run 'venvhook create' (or 'venvhook ignore')",
    ]);
    await w.cd(w.root);
    expect(notices(await w.said(() => w.cd(big)))).toEqual([]);
    expect(await w.s.run("pwd")).toBe(big);
  });
});
