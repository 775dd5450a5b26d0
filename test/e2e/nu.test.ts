// What is particular to nushell, in a real interactive nushell: its hook
// points are lists the user may already fill, its prompt is a closure or a
// string that may be replaced at any time, PATH is a list whose `~` entries
// nushell expands only for the programs it runs, and the hook is loaded from
// an autoload file, possibly besides a `source` of its own.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { renderHook } from "../../src/shells/adapter.ts";
import { nu } from "../../src/shells/nu.ts";
import { describeShell, quoteFor } from "../support/shells.ts";
import { BIN, fakeBinary, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

describeShell("nu", (shell) => {
  let w: World;
  afterEach(async () => w?.close());

  const withProject = (root: string) => void makeVenv(path.join(root, "proj", ".venv"));
  const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });

  it("keeps the user's handlers at its hook points and, sourced besides autoloaded, runs the binary once per cd", async () => {
    w = await openWorld(shell, {
      setup: (root) => {
        withProject(root);
        // The home folder is made next to root before setup runs.
        writeFileSync(path.join(root, "..", "home", "venvhook.nu"), renderHook(nu, BIN));
      },
      before: [
        `$env.config.hooks.pre_prompt ++= [{|| $env.MY_PROMPTS = ($env.MY_PROMPTS? | default 0) + 1 }]`,
        `$env.config.hooks.env_change.PWD = [{|before, after| $env.MY_CD = $after }]`,
      ].join("\n"),
      after: "source ($nu.home-dir | path join venvhook.nu)",
    });
    w.venvhook("allow", path.join(w.root, "proj"));
    const log = path.join(w.root, "calls.log");
    writeFileSync(log, "");
    await w.s.run(w.d.useBinary(fakeBinary(w.root, "logging", `echo "$*" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`)));
    const prompts = Number(await w.get("MY_PROMPTS"));
    await w.cd(path.join(w.root, "proj"));
    expect(readFileSync(log, "utf8")).toBe("export nu\n");
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    expect(await w.get("MY_CD")).toBe(path.join(w.root, "proj"));
    expect(Number(await w.get("MY_PROMPTS"))).toBeGreaterThan(prompts);
    expect(await w.s.run("[($env.config.hooks.pre_prompt | length) ($env.config.hooks.env_change.PWD | length)] | str join ' '")).toBe("3 2");
    await showsPrompt("(proj) vh>");
  });

  it("prefixes the user's prompt, a string or a closure set at any time, once, keeping the status it shows", async () => {
    w = await openWorld(shell, { setup: withProject, after: "$env.PROMPT_COMMAND = 'mine> '" });
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("(proj) mine>");
    await w.s.run(`$env.PROMPT_COMMAND = {|| $"status ($env.LAST_EXIT_CODE)> " }`);
    await w.s.type("sh -c 'exit 3'");
    await w.s.waitForPrompt();
    await showsPrompt("(proj) status 3>");
    for (let i = 0; i < 3; i++) await w.s.run(w.d.noop);
    await showsPrompt("(proj) status 0>");
    await w.cd(w.root);
    await showsPrompt("status 0>");
  });

  it("keeps a ~ entry on PATH as the user wrote it", async () => {
    w = await openWorld(shell, { setup: withProject, after: "$env.PATH = ($env.PATH | prepend '~/mine')" });
    w.venvhook("allow", path.join(w.root, "proj"));
    const before = await w.path();
    expect(before.startsWith("~/mine:")).toBe(true);
    await w.cd(path.join(w.root, "proj"));
    expect(await w.path()).toBe(`${path.join(w.root, "proj", ".venv", "bin")}:${before}`);
    await w.cd(w.root);
    expect(await w.path()).toBe(before);
  });

  it("notices a .venv made without a cd at the next prompt", async () => {
    w = await openWorld(shell);
    const said = await w.said(() => w.s.run("python3 -m venv --without-pip .venv"), "not allowed");
    expect(said).toContain("venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it");
    expect(await w.s.run("venvhook allow")).toBe(`allowed ${path.join(w.root, ".venv")}: 'work' is active in ${w.root} and below`);
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, ".venv"));
  });

  it("the venvhook command passes the binary's output on, to the terminal or a pipe, and ends with its status", async () => {
    w = await openWorld(shell);
    const version = await w.s.runWithStatus("venvhook --version");
    const { version: ours } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(version).toMatchObject({ status: 0, stdout: ours });
    expect(await w.s.run("venvhook --version | str replace -a '.' '-'")).toBe(ours.replaceAll(".", "-"));
    const unknown = await w.s.runWithStatus("venvhook nope");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^venvhook: unknown command 'nope'/);
    expect(await w.s.run(w.d.status!)).toBe("1");
  });

});
