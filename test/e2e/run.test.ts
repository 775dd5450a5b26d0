// `venvhook run` and `venvhook python` through the compiled binary, from
// shells with no hook loaded (bash, zsh, fish, pwsh with -c / -Command, sh,
// cron's empty environment): the env's Python, exit statuses and signals
// passed through, Ctrl-C in a real terminal, and nothing run in an env the
// hook would refuse.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeNeeding, shellExecutable, type ShellName } from "../support/shells.ts";
import { BIN, makeVenv, openWorld, type World } from "./fixture.ts";

let base: string;
let home: string;
/** A folder with `venvhook` in it, first on PATH. */
let binDir: string;
/** proj/.venv, allowed; other/.venv, allowed; fresh/.venv, not allowed; none/ has no env. */
let proj: string;
let other: string;
let fresh: string;
let none: string;

const realEnv = (project: string) => path.join(project, ".venv");

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-run-")));
  home = path.join(base, "home");
  binDir = path.join(base, "bin");
  mkdirSync(home);
  mkdirSync(binDir);
  symlinkSync(BIN, path.join(binDir, "venvhook"));
  [proj, other, fresh, none] = ["proj", "other", "fresh", "none"].map((name) => path.join(base, name)) as [string, string, string, string];
  for (const project of [proj, other, fresh]) makeVenv(realEnv(project));
  mkdirSync(none);
  for (const project of [proj, other]) expect(venvhook(project, ["allow"]).status).toBe(0);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** PATH with venvhook first. */
const plainPath = () => `${binDir}:${process.env.PATH}`;

/** The environment of a shell with no hook loaded and venvhook on PATH. */
function plainEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: plainPath(), HOME: home, LANG: "C.UTF-8", ...extra };
}

function venvhook(cwd: string, args: string[], env: Record<string, string> = plainEnv()) {
  const result = spawnSync(BIN, args, { cwd, env: { ...env, PWD: cwd }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** How each shell runs one command line, and spells the last status. */
const SHELL_RUN: Record<"bash" | "zsh" | "fish" | "pwsh", { args: (script: string) => string[]; status: string }> = {
  bash: { args: (script) => ["--norc", "--noprofile", "-c", script], status: "$?" },
  zsh: { args: (script) => ["-f", "-c", script], status: "$?" },
  fish: { args: (script) => ["--no-config", "-c", script], status: "$status" },
  pwsh: { args: (script) => ["-NoProfile", "-NonInteractive", "-Command", script], status: "$LASTEXITCODE" },
};

function inShell(shell: ShellName & keyof typeof SHELL_RUN, cwd: string, script: string) {
  const exe = shellExecutable(shell) ?? shell;
  const result = spawnSync(exe, SHELL_RUN[shell].args(script.replaceAll("STATUS", SHELL_RUN[shell].status)), {
    cwd,
    env: plainEnv({ PWD: cwd }),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const NOT_ALLOWED = "venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it\n";

for (const shell of ["bash", "zsh", "fish", "pwsh"] as const) {
  describeNeeding(`venvhook run from ${shell}, no hook loaded`, [shellExecutable(shell) ?? shell], () => {
    it("runs the env's Python, and passes on an exit status and a death by SIGTERM (143)", () => {
      const script = [
        "venvhook run python -c 'import sys; print(sys.prefix)'",
        "venvhook run python -c 'raise SystemExit(3)'",
        "echo \"status STATUS\"",
        "venvhook run python -c 'import os, signal; os.kill(os.getpid(), signal.SIGTERM)'",
        "echo \"status STATUS\"",
      ].join("; ");
      expect(inShell(shell, proj, script)).toEqual({ status: 0, stdout: `${realEnv(proj)}\nstatus 3\nstatus 143\n`, stderr: "" });
    });

    it("refuses an env that is not allowed, in one line, and runs nothing", () => {
      const result = inShell(shell, fresh, "venvhook run python -c 'open(\"RAN\", \"w\")'; echo \"status STATUS\"");
      expect(result).toEqual({ status: 0, stdout: "status 1\n", stderr: NOT_ALLOWED });
      expect(existsSync(path.join(fresh, "RAN"))).toBe(false);
    });
  });
}

describe("venvhook run", () => {
  it("says one line and fails where there is no env, and for a command the env's PATH does not have", () => {
    expect(venvhook(none, ["run", "python", "-c", "print(1)"])).toMatchObject({
      status: 1,
      stdout: "",
      stderr: `venvhook: no .venv in ${none} or any folder above it; make one with 'python3 -m venv .venv'\n`,
    });
    expect(venvhook(proj, ["run", "no-such-command"])).toMatchObject({
      status: 127,
      stdout: "",
      stderr: `venvhook: no command 'no-such-command' in ${realEnv(proj)}/bin or on PATH; install it in the env, or name it by its path\n`,
    });
  });

  it("gives the command the hook's environment: bin first, VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, no PYTHONHOME", () => {
    const show = "import os, json; print(json.dumps({k: os.environ.get(k) for k in ['PATH', 'VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT', 'PYTHONHOME']}))";
    const result = venvhook(proj, ["run", "python", "-c", show], plainEnv({ PYTHONHOME: "/nowhere" }));
    expect(JSON.parse(result.stdout)).toEqual({
      PATH: `${realEnv(proj)}/bin:${plainPath()}`,
      VIRTUAL_ENV: realEnv(proj),
      VIRTUAL_ENV_PROMPT: "proj",
      PYTHONHOME: null,
    });
  });

  it("passes everything after COMMAND to it, options and -- included", () => {
    const argv = "import sys; print(sys.argv[1:])";
    expect(venvhook(proj, ["run", "python", "-c", argv, "-x", "-k", "foo", "--dir", "x", "--help"]).stdout).toBe("['-x', '-k', 'foo', '--dir', 'x', '--help']\n");
    expect(venvhook(proj, ["run", "--", "python", "-c", argv, "--", "-v"]).stdout).toBe("['--', '-v']\n");
  });

  it("--dir ../other from inside an active project gets other's env only", () => {
    // A shell where the hook activated proj: what `venvhook export bash` sets, evaluated.
    const show = "import os, sys; print(sys.prefix); print(os.environ['PATH'])";
    const script = `eval "$(venvhook export bash)"; test "$VIRTUAL_ENV" = ${realEnv(proj)} || exit 9; venvhook run --dir ../other python -c "${show}"`;
    const result = inShell("bash", proj, script);
    expect(result.stderr).toBe("");
    const [prefix, pathValue] = result.stdout.split("\n");
    expect(prefix).toBe(realEnv(other));
    expect(pathValue).toBe(`${realEnv(other)}/bin:${plainPath()}`);
  });

  it("replaces the user's own activation for the command", () => {
    const script = `. ${realEnv(proj)}/bin/activate; venvhook run --dir ${other} python -c "import os, sys; print(sys.prefix); print(os.environ['PATH'])"`;
    const [prefix, pathValue] = inShell("bash", proj, script).stdout.split("\n");
    expect(prefix).toBe(realEnv(other));
    expect(pathValue).toBe(`${realEnv(other)}/bin:${plainPath()}`);
  });

  it("runs nothing rather than pass on a variable it could not read as it is (not UTF-8)", () => {
    const result = inShell("bash", proj, "export LATIN1=$'caf\\xe9' OK=caf\u00e9; venvhook run touch RAN");
    expect(result).toEqual({
      status: 1,
      stdout: "",
      stderr: "venvhook: LATIN1 holds bytes that are not UTF-8, which venvhook cannot pass on unchanged; take them out to run commands with it\n",
    });
    expect(existsSync(path.join(proj, "RAN"))).toBe(false);
  });

  it("works from sh -c and in cron's empty environment (env -i)", () => {
    const sh = spawnSync("sh", ["-c", "venvhook run python -c 'import sys; print(sys.prefix)'"], { cwd: proj, env: plainEnv(), encoding: "utf8" });
    expect(sh.stdout).toBe(`${realEnv(proj)}\n`);
    const cron = spawnSync("env", ["-i", "PATH=/usr/bin:/bin", `HOME=${home}`, BIN, "run", "python", "-c", "import sys, os; print(sys.prefix, os.environ['PATH'])"], {
      cwd: proj,
      encoding: "utf8",
    });
    expect({ status: cron.status, stdout: cron.stdout, stderr: cron.stderr }).toEqual({
      status: 0,
      stdout: `${realEnv(proj)} ${realEnv(proj)}/bin:/usr/bin:/bin\n`,
      stderr: "",
    });
  });

  it("passes a SIGINT sent to venvhook on to the command (no terminal: nothing else delivers it)", async () => {
    const ready = path.join(base, "ready-int");
    const script = `import signal, sys, time\nsignal.signal(signal.SIGINT, lambda *_: sys.exit(42))\nopen(${JSON.stringify(ready)}, "w").close()\ntime.sleep(20)`;
    // A session of its own: no controlling terminal, as under a supervisor or in CI.
    const child = spawn(BIN, ["run", "python", "-c", script], { cwd: proj, env: plainEnv({ PWD: proj }), stdio: "ignore", detached: true });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await readyFile(ready);
    child.kill("SIGINT");
    expect(await exited).toBe(42);
  });
});

/** Until the command has made the file that says it is ready for a signal (10 s at most). */
async function readyFile(file: string): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
}

describe("venvhook run in a terminal", () => {
  let w: World;
  afterEach(async () => w?.close());

  /** An interactive bash without the hook, in an allowed project p/ whose wait.py is `lines`; returns p. */
  async function projectInBash(lines: string[]): Promise<string> {
    w = await openWorld("bash", { noInit: true, env: { PATH: plainPath() } });
    const p = path.join(w.root, "p");
    makeVenv(path.join(p, ".venv"));
    expect(w.venvhook("allow", p).status).toBe(0);
    writeFileSync(path.join(p, "wait.py"), `${lines.join("\n")}\n`);
    await w.cd(p);
    return p;
  }

  it("Ctrl-C reaches the command once, as it would without venvhook", async () => {
    const ready = path.join(base, "ready-once");
    const counts = path.join(base, "count");
    // Counted as the C handler runs, one byte each (a Python handler runs once for two that come close together).
    await projectInBash([
      "import signal, socket, sys, time",
      "r, w = socket.socketpair()",
      "w.setblocking(False)",
      "signal.signal(signal.SIGINT, lambda *_: None)",
      "signal.set_wakeup_fd(w.fileno())",
      `open(${JSON.stringify(ready)}, "w").close()`,
      "r.settimeout(10)",
      "first = r.recv(1)",
      "time.sleep(0.5)",
      "r.setblocking(False)",
      "more = b''",
      "try:\n    more = r.recv(100)\nexcept BlockingIOError:\n    pass",
      `open(${JSON.stringify(counts)}, "w").write(str(len(first + more)))`,
      "sys.exit(42)",
    ]);
    const running = w.s.runWithStatus("venvhook run python wait.py");
    await readyFile(ready);
    w.s.sendKeys("C-c");
    expect((await running).status).toBe(42);
    expect(readFileSync(counts, "utf8")).toBe("1");
  });

  it("a loop in the shell stops at Ctrl-C: a command that died of SIGINT, venvhook dies of it too", async () => {
    const ready = path.join(base, "ready-loop");
    const p = await projectInBash(["import time", `open(${JSON.stringify(ready)}, "w").close()`, "time.sleep(3)"]);
    // Typed as is: a shell abandons the whole command line at Ctrl-C, run()'s wrapper included.
    await w.s.type("for i in 1 2; do venvhook run python wait.py; echo after $i >> log; done");
    await readyFile(ready);
    w.s.sendKeys("C-c");
    await w.s.waitForPrompt(15_000);
    expect(existsSync(path.join(p, "log"))).toBe(false);
  });
});

describe("venvhook python", () => {
  it("prints the interpreter's path and nothing else; status --json carries the same path", () => {
    const python = `${realEnv(proj)}/bin/python\n`;
    expect(venvhook(proj, ["python"])).toMatchObject({ status: 0, stdout: python, stderr: "" });
    expect(venvhook(none, ["python", "../proj/sub/.."])).toMatchObject({ status: 0, stdout: python, stderr: "" });
    expect(`${JSON.parse(venvhook(proj, ["status", "--json"]).stdout).found.interpreter}\n`).toBe(python);
  });

  it("one line on stderr, and a failure, when there is no env or it is not allowed", () => {
    expect(venvhook(none, ["python"])).toMatchObject({ status: 1, stdout: "", stderr: `venvhook: no .venv in ${none} or any folder above it; make one with 'python3 -m venv .venv'\n` });
    expect(venvhook(fresh, ["python"])).toMatchObject({ status: 1, stdout: "", stderr: NOT_ALLOWED });
    expect(JSON.parse(venvhook(fresh, ["status", "--json"]).stdout).found.interpreter).toBeUndefined();
  });
});

describe("the CLI around them", () => {
  it("-v prints the version as --version does", () => {
    const version = `${JSON.parse(readFileSync("package.json", "utf8")).version}\n`;
    for (const flag of ["-v", "-V", "--version"]) expect(venvhook(none, [flag]).stdout, flag).toBe(version);
  });

  it("each new command's --help shows an example", () => {
    for (const command of ["run", "python", "allowed", "prune"]) {
      expect(venvhook(none, [command, "--help"]).stdout, command).toMatch(new RegExp(`\\nExample:\\n  .*venvhook ${command}\\b`));
    }
  });
});
