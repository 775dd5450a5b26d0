// venvhook with prompt frameworks, in real interactive shells: each framework
// is a small stand-in under test/support/frameworks/ written from the
// framework's own source (the file and version it follows are named at its
// top). For each: the env's name shows once, from the first prompt of a
// shell started inside the project; the last command's statuses reach the
// framework; and an unchanged prompt starts no process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, quoteFor } from "../support/shells.ts";
import { BIN, fakeBinary, initLine, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

const FRAMEWORKS = path.resolve("test/support/frameworks");
const standIn = (file: string) => quoteFor("bash", path.join(FRAMEWORKS, file));

/** A project `proj` with an env, allowed before the shell starts when `allowed`. */
function project(allowed: boolean) {
  return (root: string) => {
    makeVenv(path.join(root, "proj", ".venv"));
    if (!allowed) return;
    // The shell's data folder: openWorld's home, beside root (see the driver's environment).
    const home = path.join(path.dirname(root), "home");
    const result = spawnSync(BIN, ["allow", path.join(root, "proj")], {
      env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: path.join(home, ".local", "share"), XDG_CONFIG_HOME: path.join(home, ".config"), XDG_STATE_HOME: path.join(home, ".local", "state"), XDG_CACHE_HOME: path.join(home, ".cache") },
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(result.stderr);
  };
}

const temporary: string[] = [];

/** A binary that logs each run's arguments to `log`, then runs venvhook. */
function loggingBinary(): { bin: string; log: string; calls: () => string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "vh-fw-log-"));
  temporary.push(dir);
  const log = path.join(dir, "calls.log");
  writeFileSync(log, "");
  const bin = fakeBinary(dir, "venvhook", `echo "$*" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`);
  return { bin, log, calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

let w: World;
afterEach(async () => {
  await w?.close();
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 5000 });

/** Points the hook at the logging binary (init's hook names the real one), then draws prompts. */
async function noProcessOnUnchangedPrompts({ bin, calls }: ReturnType<typeof loggingBinary>) {
  await w.s.run(w.d.useBinary(bin));
  const before = calls().length;
  for (let i = 0; i < 5; i++) await w.s.run(w.d.noop);
  expect(calls().slice(before)).toEqual([]);
}

describeShell("bash", () => {
  it("oh-my-bash theme font (stand-in), venvhook's line last: the name once, from the first prompt in a project; no process on an unchanged prompt", async () => {
    const logging = loggingBinary();
    w = await openWorld("bash", { setup: project(true), before: "cd proj", noInit: true, after: `source ${standIn("oh-my-bash-font.bash")}\n${initLine("bash", logging.bin)}` });
    const env = path.join(w.root, "proj", ".venv");
    await showsPrompt("clock (proj) omb proj ok→");
    expect(await w.get("VIRTUAL_ENV")).toBe(env);
    await w.cd(w.root);
    await showsPrompt("clock omb work ok→");
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("clock (proj) omb proj ok→");
    await noProcessOnUnchangedPrompts(logging);
    await showsPrompt("clock (proj) omb proj ok→");
  });

  it("starship's bash init (stand-in) before venvhook's line gets $? and PIPESTATUS of the last command; no process on an unchanged prompt", async () => {
    // From starship/starship v1.26.0-64-g6f33dcec9, src/init/starship.bash:
    // starship_precmd saves `STARSHIP_CMD_STATUS=$? STARSHIP_PIPE_STATUS=("${PIPESTATUS[@]}")`
    // first and is put in PROMPT_COMMAND; the prompt shows them.
    const starship = `starship_precmd() { STARSHIP_CMD_STATUS=$? STARSHIP_PIPE_STATUS=("\${PIPESTATUS[@]}"); PS1="[$STARSHIP_CMD_STATUS \${STARSHIP_PIPE_STATUS[*]}] ss> "; }\nPROMPT_COMMAND=starship_precmd`;
    w = await openWorld("bash", { setup: project(true), noInit: true, after: `${starship}\n${initLine("bash")}` });
    await w.s.type("false | true | (exit 3)");
    await w.s.waitForPrompt();
    await showsPrompt("[3 1 0 3] ss>");
    await w.cd("proj");
    await w.s.type("true | false");
    await w.s.waitForPrompt();
    await showsPrompt("(proj) [1 0 1] ss>");
    await noProcessOnUnchangedPrompts(loggingBinary());
  });
});

describeShell("zsh", () => {
  it("pure (stand-in) after venvhook's line: the name once, from the first prompt in a project; no process on an unchanged prompt", async () => {
    const logging = loggingBinary();
    w = await openWorld("zsh", { setup: project(true), before: "cd proj", noInit: true, after: `${initLine("zsh", logging.bin)}\nsource ${standIn("pure.zsh")}` });
    await showsPrompt("proj pure>");
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    await w.cd(w.root);
    await showsPrompt("pure>");
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("proj pure>");
    await noProcessOnUnchangedPrompts(logging);
    await showsPrompt("proj pure>");
  });

  it("powerlevel10k's instant prompt (stand-in): a shell started in a project whose env is not allowed starts clean, and says so at its prompt", async () => {
    const logging = loggingBinary();
    w = await openWorld("zsh", { setup: project(false), before: `source ${standIn("powerlevel10k-instant.zsh")}\ncd proj`, noInit: true, after: initLine("zsh", logging.bin) });
    await showsPrompt("p10k>");
    const screen = w.s.screen({ scrollback: true });
    expect(screen).not.toContain("Console output during zsh initialization detected");
    expect(screen).toContain("venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it");
    await w.s.run("venvhook allow");
    // p10k shows the env in its own segment; venvhook adds no prefix of its own.
    await showsPrompt("proj p10k>");
    await noProcessOnUnchangedPrompts(logging);
    await showsPrompt("proj p10k>");
  });

  it("powerlevel10k (stand-in) started in an allowed project: the name once from the first prompt", async () => {
    w = await openWorld("zsh", { setup: project(true), before: `source ${standIn("powerlevel10k-instant.zsh")}\ncd proj` });
    await showsPrompt("proj p10k>");
    expect(w.s.screen({ scrollback: true })).not.toContain("Console output");
  });

  it("starship's zsh init (stand-in) gets $? and $pipestatus of the last command; no process on an unchanged prompt", async () => {
    // From starship/starship v1.26.0-64-g6f33dcec9, src/init/starship.zsh:
    // its precmd saves `STARSHIP_CMD_STATUS=$? STARSHIP_PIPE_STATUS=(${pipestatus[@]})`,
    // and it sets VIRTUAL_ENV_DISABLE_PROMPT=1 (its python module shows the env).
    const starship = `starship_precmd() { STARSHIP_CMD_STATUS=$? STARSHIP_PIPE_STATUS=(\${pipestatus[@]}); PS1="[$STARSHIP_CMD_STATUS \${STARSHIP_PIPE_STATUS[*]}] ss> "; }\nprecmd_functions+=(starship_precmd)\nVIRTUAL_ENV_DISABLE_PROMPT=1`;
    w = await openWorld("zsh", { setup: project(true), noInit: true, after: `${initLine("zsh")}\n${starship}` });
    await w.cd("proj");
    await w.s.type("false | true | (exit 3)");
    await w.s.waitForPrompt();
    await showsPrompt("[3 1 0 3] ss>");
    await noProcessOnUnchangedPrompts(loggingBinary());
  });
});

describeShell("fish", () => {
  it("tide (stand-in): the name once from the first prompt in a project, $pipestatus kept, and its `fish -c` per prompt never runs venvhook", async () => {
    const logging = loggingBinary();
    w = await openWorld("fish", { setup: project(true), before: "status is-interactive; and cd proj", noInit: true, after: `${initLine("fish", logging.bin)}\nsource ${standIn("tide.fish")}` });
    await showsPrompt("(proj) ✔ tide>");
    await w.s.type("false | true");
    await w.s.waitForPrompt();
    await showsPrompt("(proj) ✔ 1|0 tide>");
    await w.s.type("true | true | false");
    await w.s.waitForPrompt();
    await showsPrompt("(proj) ✘ 0|0|1 tide>");
    // One init, this shell's, whatever the prompt's `fish -c` jobs read.
    expect(logging.calls()).toEqual(["init fish"]);
    await noProcessOnUnchangedPrompts(logging);
    expect(w.s.screen({ scrollback: true })).not.toMatch(/EPIPE|venvhook:/);
  });
});
