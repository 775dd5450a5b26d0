// What is particular to tcsh, in a real interactive tcsh: the hook chains the
// user's precmd and cwdcmd aliases (tcsh removes one that fails, so ours must
// never fail, not even on Ctrl-C), keeps the user's prompt, sees a .venv that
// appears without a cd, gives the user's precmd the real status, prints its
// messages literally whatever echo_style says, and loads through
// `eval \`venvhook init tcsh\`` from a binary at a hostile path. First, that
// the test dialect drives tcsh the way the driver expects.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { quoteTcsh } from "../../src/shells/tcsh.ts";
import { describeShell, quoteFor } from "../support/shells.ts";
import { startShell } from "./driver.ts";
import { BIN, fakeBinary, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

const q = quoteTcsh;

describeShell("tcsh", (shell) => {
  let w: World;
  afterEach(async () => w?.close());

  const withProject = (root: string) => {
    makeVenv(path.join(root, "proj", ".venv"));
    mkdirSync(path.join(root, "empty"));
  };
  const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });
  const lines = (file: string) => readFileSync(file, "utf8").split("\n").slice(0, -1);
  /** What tcsh says when a precmd or cwdcmd fails (and then removes it), or a word goes wrong. */
  const noFaults = () =>
    expect(w.s.screen({ scrollback: true })).not.toMatch(/Faulty alias|Undefined variable|Unmatched|Event not found|No match|Command not found|venvhook: .*failed/);

  it("drives tcsh: the mark comes after precmd, run() keeps cd, variables and the status, and splits the output", async () => {
    const home = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-e2e-home-tcsh-")));
    const done = path.join(home, "precmd-done");
    const s = await startShell({ shell, home, rc: `set prompt = 'vh> '\nset done = ${q(done)}\nalias precmd 'sleep 0.3; touch $done:q'` });
    try {
      await s.type(`rm ${q(done)}`);
      await s.waitForPrompt();
      expect(existsSync(done)).toBe(true);
      await s.run("cd /tmp; setenv BAZ 'q u x'");
      expect(await s.run("echo $cwd $BAZ:q")).toBe("/tmp q u x");
      await s.type("sh -c 'exit 3'");
      await s.waitForPrompt();
      expect(await s.run("echo $status")).toBe("3");
      expect(await s.runWithStatus("echo out; sh -c 'echo err >&2; exit 4'")).toEqual({ stdout: "out", stderr: "err", status: 4 });
      expect(await s.run(`printf '%s|' ${q("a;b")} '$HOME' '\`x\`' 'ünï €' ${q("!x\tb")}`)).toBe("a;b|$HOME|`x`|ünï €|!x\tb|");
    } finally {
      await s.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("runs the user's precmd and cwdcmd too, and the precmd sees the last command's status", async () => {
    w = await openWorld(shell, {
      setup: withProject,
      before: "alias precmd 'echo $status >> ~/precmd.log'\nalias cwdcmd 'echo $cwd:q >> ~/cwdcmd.log'",
    });
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.s.type("sh -c 'exit 3'");
    await w.s.waitForPrompt();
    // On cd the binary runs in cwdcmd; for a .venv that appears here, in precmd.
    await w.s.type("cd proj; sh -c 'exit 4'");
    await w.s.waitForPrompt();
    const mark = w.s.mark();
    await w.s.type("cd ../empty; sh -c 'mkdir .venv; exit 5'");
    await w.s.waitForPrompt();
    await w.s.waitFor(/venvhook: .*\.venv/, { since: mark });
    expect(lines(path.join(w.home, "precmd.log")).slice(-3)).toEqual(["3", "4", "5"]);
    expect(lines(path.join(w.home, "cwdcmd.log"))).toEqual([path.join(w.root, "proj"), path.join(w.root, "empty")]);
    expect(await w.s.run("alias precmd")).toBe("echo $status >> ~/precmd.log; __venvhook_precmd");
    expect(await w.s.run("alias cwdcmd")).toBe("__venvhook_update; echo $cwd:q >> ~/cwdcmd.log");
    noFaults();
  });

  it("notices a .venv made without a cd at the next prompt", async () => {
    w = await openWorld(shell, { setup: withProject });
    await w.cd(path.join(w.root, "empty"));
    makeVenv(path.join(w.root, "empty", ".venv"));
    const said = await w.said(() => w.s.run(":"), "not allowed");
    expect(said).toContain("venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it");
    await w.s.run("venvhook allow");
    await showsPrompt("(empty) vh>");
  });

  it("keeps the user's prompt as it was, and prompts rebuilt by their precmd get the prefix", async () => {
    const mine = "(x) $y %% \\\\ >";
    w = await openWorld(shell, { setup: withProject, after: `set prompt = ${q(mine)}` });
    w.venvhook("allow", path.join(w.root, "proj"));
    await showsPrompt("(x) $y % \\ >");
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("(proj) (x) $y % \\ >");
    expect(await w.s.run("printf '%s' $prompt:q")).toBe(`(%$VIRTUAL_ENV_PROMPT) ${mine}`);
    await w.s.run(`set prompt = ${q(`${mine} again`)}`);
    await showsPrompt("(proj) (x) $y % \\ > again");
    await w.cd(w.root);
    expect(await w.s.run("printf '%s' $prompt:q")).toBe(`${mine} again`);
    noFaults();
    await w.close();

    w = await openWorld(shell, { setup: withProject, before: "alias precmd 'set prompt = \"fw> \"'" });
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.cd(path.join(w.root, "proj"));
    for (let i = 0; i < 3; i++) await w.s.run(":");
    await showsPrompt("(proj) fw>");
    await w.cd(w.root);
    await showsPrompt("fw>");
    noFaults();
  });

  it("survives Ctrl-C while the binary runs in cwdcmd or precmd, keeping both aliases, and does not retry", async () => {
    w = await openWorld(shell, { setup: withProject });
    w.venvhook("allow", path.join(w.root, "proj"));
    const log = path.join(w.root, "calls.log");
    await w.s.run(w.d.useBinary(fakeBinary(w.root, "slow", `echo "$*" >> ${quoteFor("bash", log)}\nsleep 5\nexec ${quoteFor("bash", BIN)} "$@"`)));
    for (const step of ["cd proj", "setenv VIRTUAL_ENV /elsewhere"]) {
      await w.s.type(step);
      await new Promise((resolve) => setTimeout(resolve, 700));
      w.s.sendKeys("C-c");
      await w.s.waitForPrompt();
      expect(await w.s.run("echo alive")).toBe("alive");
    }
    // cwdcmd holds what there is to say until the prompt (--defer); precmd is at the prompt.
    expect(lines(log)).toEqual(["export tcsh --defer", "export tcsh"]);
    expect(await w.s.run("alias precmd")).toBe("__venvhook_precmd");
    expect(await w.s.run("alias cwdcmd")).toBe("__venvhook_update");
    await w.s.run(w.d.useBinary(BIN));
    await w.s.run("unsetenv VIRTUAL_ENV");
    await w.cd(w.root);
    await w.cd(path.join(w.root, "proj"));
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    noFaults();
  });

  it("minds the user's printexitvalue (one Exit line), echo_style and noclobber (a missing binary named literally), and leaves them as they were", async () => {
    w = await openWorld(shell, { setup: withProject, before: "set echo_style = sysv\nset noclobber\nset printexitvalue" });
    // printexitvalue prints a failed command's status, once: the hook sets no status of its own. (Read
    // before waitForPrompt(): the test dialect's mark key sets the status back, so tcsh prints it again.)
    const mark = w.s.mark();
    await w.s.type("sh -c 'exit 3'");
    expect(await w.s.waitFor(/Exit 3\nvh>$/, { since: mark })).not.toMatch(/Exit 3\n.*Exit 3/s);
    await w.s.waitForPrompt();
    const gone = path.join(w.root, "gone\\c -n \\t", "venvhook");
    await w.s.run(w.d.useBinary(gone));
    const said = await w.said(() => w.cd(path.join(w.root, "proj")), "is missing");
    expect(said).toContain(`venvhook: ${gone} is missing; reinstall venvhook or remove the line that loads it from ~/.tcshrc`);
    expect(await w.s.run("echo $echo_style")).toBe("sysv");
    expect(await w.s.run("echo $?noclobber")).toBe("1");
  });

  it("venvhook init tcsh prints one eval line, and the help names tcsh", () => {
    const run = (...args: string[]) => spawnSync(BIN, args, { encoding: "utf8" });
    expect(run("init", "tcsh")).toMatchObject({ status: 0, stdout: expect.stringMatching(/^eval \$'[^\n]*'\n$/), stderr: "" });
    expect(run("init", "--help").stdout).toMatch(/shell +.*\btcsh\b/);
    expect(run("--help").stdout).toMatch(/^  tcsh +if \( \$\?prompt \) eval `venvhook init tcsh`$/m);
  });

  it("loads with `eval \\`venvhook init tcsh\\`` from a binary whose path is hostile", async () => {
    w = await openWorld(shell, { setup: withProject, noInit: true });
    const dir = path.join(w.root, "it's $(x) `y` !z %n \\ ~");
    mkdirSync(dir);
    const bin = path.join(dir, "venvhook");
    try {
      linkSync(BIN, bin);
    } catch {
      copyFileSync(BIN, bin);
    }
    await w.s.run(w.d.initLine(bin));
    expect(await w.s.run("printf '%s' $__venvhook_bin:q")).toBe(bin);
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.cd(path.join(w.root, "proj"));
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    await showsPrompt("(proj) vh>");
    expect(await w.s.run("venvhook deny")).toMatch(/^denied /);
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    noFaults();
  });
});
