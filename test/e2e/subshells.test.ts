// Subshells, one-liners, pipes and non-interactive shells, in real shells: the
// hook acts only in the interactive top-level shell, never asks in the middle
// of a command line, and `venvhook` works in pipes and redirections.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it, onTestFinished } from "vitest";
import { dialectOf } from "../support/dialects/index.ts";
import { describeNeeding, describeShell, quoteFor, shellExecutable, type ShellName } from "../support/shells.ts";
import { BIN, fakeBinary, makeVenv, openWorld, type World } from "./fixture.ts";

let w: World;
afterEach(async () => w?.close());

/** `proj` with an env, and `bare`, a Python project with none. */
function projects(root: string) {
  makeVenv(path.join(root, "proj", ".venv"));
  mkdirSync(path.join(root, "bare"));
  writeFileSync(path.join(root, "bare", "pyproject.toml"), "[project]\nname = 'bare'\n");
}

/** `cd bare && echo DONE` with offer = ask: the question comes after DONE, at the prompt; "n" declines it. */
async function asksAfterTheLine(mark: number): Promise<void> {
  await w.s.type("cd bare && echo DONE");
  await w.s.waitFor((screen) => screen.includes("Create .venv for bare"), { since: mark, timeoutMs: 10_000 });
  const screen = w.s.screen({ since: mark });
  expect(screen.indexOf("DONE")).toBeGreaterThan(-1);
  expect(screen.indexOf("DONE")).toBeLessThan(screen.indexOf("Create .venv for bare"));
  await w.s.type("n");
  await w.s.waitForPrompt();
  expect(await w.s.run("pwd")).toBe(path.join(w.root, "bare"));
}

const offerLine = "venvhook: bare has a pyproject.toml but no environment; run 'venvhook create' (or 'venvhook ignore')";

describeShell("zsh", () => {
  it("runs no hook in a command substitution, and asks (offer = ask) only at the prompt, after the command line", async () => {
    w = await openWorld("zsh", { setup: projects, env: { VENVHOOK_OFFER: "ask" } });
    w.venvhook("allow", path.join(w.root, "proj"));
    const mark = w.s.mark();
    expect(await w.s.run("x=$(cd bare && pwd); y=$(cd proj && print -r -- $VIRTUAL_ENV); print -r -- $x $y")).toBe(`${path.join(w.root, "bare")}`);
    expect(w.s.screen({ since: mark })).not.toContain("Create .venv");
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");

    await asksAfterTheLine(mark);
  });

  it("says the hint from `cd` in a one-liner after the line, and nothing from $(cd ...)", async () => {
    w = await openWorld("zsh", { setup: projects });
    const mark = w.s.mark();
    await w.s.run("x=$(cd bare && pwd)");
    expect(w.s.screen({ since: mark })).not.toContain("venvhook:");
    const said = await w.said(() => w.s.runWithStatus("cd bare && echo DONE"), offerLine);
    expect(said).toContain(offerLine);
  });
});

describeShell("bash", () => {
  it("applies the env on cd, so a one-liner after cd uses it; not in $(cd ...); status right after cd finds the hook", async () => {
    w = await openWorld("bash", { setup: (root) => { projects(root); makeVenv(path.join(root, "other", ".venv")); } });
    for (const project of ["proj", "other"]) w.venvhook("allow", path.join(w.root, project));
    await w.cd(path.join(w.root, "proj"));
    expect(await w.s.run(`cd ../other && python -c 'import sys; print(sys.prefix)'`)).toBe(path.join(w.root, "other", ".venv"));
    expect(await w.s.run(`cd ../proj && venvhook status`)).not.toContain("is the hook loaded?");
    expect(await w.s.run(`pushd ../other >/dev/null && printf '%s' "$VIRTUAL_ENV"`)).toBe(path.join(w.root, "other", ".venv"));
    expect(await w.s.run(`popd >/dev/null && printf '%s' "$VIRTUAL_ENV"`)).toBe(path.join(w.root, "proj", ".venv"));
    expect(await w.s.run(`x=$(cd ../other && printf '%s' "$VIRTUAL_ENV"); printf '%s' "$x"`)).toBe(path.join(w.root, "proj", ".venv"));
    const mark = w.s.mark();
    await w.s.run("x=$(cd ../bare && pwd)");
    expect(w.s.screen({ since: mark })).not.toContain("venvhook:");
    expect((await w.s.runWithStatus("cd /nonexistent-vh")).status).toBe(1);
  });

  it("keeps a cd function the user had (as autoenv's and zoxide's), and VENVHOOK_BASH_CD=off leaves cd alone", async () => {
    w = await openWorld("bash", { setup: projects, before: `cd() { builtin cd "$@" && echo "mine: $PWD"; }` });
    w.venvhook("allow", path.join(w.root, "proj"));
    expect(await w.s.run(`cd proj && printf '%s' "$VIRTUAL_ENV"`)).toBe(`mine: ${path.join(w.root, "proj")}\n${path.join(w.root, "proj", ".venv")}`);
    await w.close();

    w = await openWorld("bash", { setup: projects, before: "VENVHOOK_BASH_CD=off" });
    expect(await w.s.run("type -t cd")).toBe("builtin");
  });
});

describeShell("fish", () => {
  it("runs no hook in a command substitution (where fish's cd moves the shell itself)", async () => {
    w = await openWorld("fish", { setup: projects });
    const mark = w.s.mark();
    await w.s.run("set x (cd bare; pwd); cd ..");
    expect(w.s.screen({ since: mark })).not.toContain("venvhook:");
  });
});

const scriptShells: ShellName[] = ["bash", "zsh", "fish", "tcsh", "xonsh", "elvish"];
for (const shell of scriptShells) {
  describeShell(shell, () => {
    it("a non-interactive shell that loads the hook and changes folder runs no export", () => {
      const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-script-")));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      projects(dir);
      const log = path.join(dir, "calls.log");
      writeFileSync(log, "");
      const bin = fakeBinary(dir, "venvhook", `echo "$*" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`);
      const proj = path.join(dir, "proj");
      // The hook as it would load from an rc file scripts read too, without the documented guard.
      const load = {
        bash: `eval "$(${quoteFor("bash", bin)} init bash)"`,
        zsh: `eval "$(${quoteFor("zsh", bin)} init zsh)"`,
        fish: `${quoteFor("fish", bin)} init fish | source`,
        tcsh: `eval \`${quoteFor("tcsh", bin)} init tcsh\``,
        xonsh: `execx(__import__('subprocess').check_output([${quoteFor("xonsh", bin)}, 'init', 'xonsh'], text=True), 'exec', __xonsh__.ctx, filename='venvhook')`,
        elvish: `eval (${quoteFor("elvish", bin)} init elvish | slurp)`,
      }[shell as "bash"];
      const result = spawnSync(shellExecutable(shell)!, dialectOf(shell).script(`${load}\ncd ${quoteFor(shell, proj)}\ncd ${quoteFor(shell, dir)}\n`), {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: path.join(dir, "data") },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(result.stderr).toBe("");
      expect(readFileSync(log, "utf8").split("\n").filter((line) => line.startsWith("export"))).toEqual([]);
    });
  });
}

describeNeeding("venvhook init", ["bash"], () => {
  it("exits quietly when the reader of its output goes away", () => {
    // The reader closes its end at once and waits: every write gets EPIPE.
    const result = spawnSync("bash", ["-c", `${quoteFor("bash", BIN)} init fish | { exec 0<&-; sleep 0.5; }; echo "status \${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("status 0\n");
  });
});

describeShell("tcsh", () => {
  it("says nothing from backquotes or a subshell (both run cwdcmd), and says the hint from `cd` in a one-liner after the line", async () => {
    w = await openWorld("tcsh", { setup: projects });
    const mark = w.s.mark();
    await w.s.run("set x = `cd bare; pwd`; (cd bare)");
    expect(w.s.screen({ since: mark })).not.toContain("venvhook:");
    const said = await w.said(() => w.s.runWithStatus("cd bare && echo DONE"), offerLine);
    expect(said.indexOf("DONE")).toBeGreaterThan(-1);
    expect(said.indexOf("DONE")).toBeLessThan(said.indexOf(offerLine));
  });

  it("`venvhook` works in a pipe and with a redirection", async () => {
    w = await openWorld("tcsh", { setup: projects });
    const file = path.join(w.root, "status.json");
    expect(Number(await w.s.run("venvhook status | wc -l"))).toBeGreaterThan(1);
    await w.s.run(`venvhook status --json > ${quoteFor("tcsh", file)}`);
    expect(JSON.parse(readFileSync(file, "utf8"))).toHaveProperty("dir", w.root);
    // After allow, the env is applied by the next prompt.
    await w.cd(path.join(w.root, "proj"));
    expect(await w.s.runWithStatus("venvhook allow")).toMatchObject({ status: 0 });
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
  });
});

describeShell("xonsh", () => {
  it("asks (offer = ask) only at the prompt, after the command line that cd'd", async () => {
    w = await openWorld("xonsh", { setup: projects, env: { VENVHOOK_OFFER: "ask" } });
    const mark = w.s.mark();
    await asksAfterTheLine(mark);
  });

  it("`venvhook status | wc -l` ends", async () => {
    w = await openWorld("xonsh", { setup: projects });
    expect(Number(await w.s.run("venvhook status | wc -l"))).toBeGreaterThan(1);
    expect(await w.s.run("venvhook status | head -1")).toMatch(/\S/);
  });
});
