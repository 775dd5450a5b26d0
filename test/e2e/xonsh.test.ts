// What is particular to xonsh, in a real interactive xonsh (the guarantees all
// shells share are in more-shells.test.ts): handlers and prompt settings of the
// user's own stay as they are, Ctrl-C, and PATH entries that xonsh expands.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell } from "../support/shells.ts";
import { fakeBinary, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

describeShell("xonsh", () => {
  let w: World;
  afterEach(async () => w?.close());

  const withProject = (root: string) => void makeVenv(path.join(root, "proj", ".venv"));
  const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });

  it("activates on cd itself, and an on_chdir handler the user had still runs", async () => {
    w = await openWorld("xonsh", {
      setup: withProject,
      before: ["@events.on_chdir", "def mine(olddir, newdir, **_):", "    $MINE = newdir", ""].join("\n"),
    });
    const proj = path.join(w.root, "proj");
    w.venvhook("allow", proj);
    expect(await w.s.run(`cd ${w.quote(proj)} && python -c 'import sys; print(sys.prefix)'`)).toBe(path.join(proj, ".venv"));
    expect(await w.get("MINE")).toBe(proj);
  });

  it("leaves the user's $PROMPT as it is, showing the env in {env_name}, also when a theme defines that field later", async () => {
    const prompt = "mine {env_name}{cwd_base}> ";
    w = await openWorld("xonsh", {
      setup: withProject,
      after: `$PROMPT = '${prompt}'\n$PROMPT_FIELDS['env_name'] = lambda: '<theme> '`,
    });
    w.venvhook("allow", path.join(w.root, "proj"));
    await showsPrompt("mine <theme> work>");
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("mine (proj) proj>");
    expect(await w.s.run("print($PROMPT)")).toBe(prompt);
    await w.cd(w.root);
    await showsPrompt("mine <theme> work>");
  });

  it("Ctrl-C stops a slow binary, which is not run again until something changes", async () => {
    w = await openWorld("xonsh", { setup: withProject });
    const log = path.join(w.root, "calls.log");
    writeFileSync(log, "");
    await w.s.run(w.d.useBinary(fakeBinary(w.root, "slow", `echo "$*" >> '${log}'\nexec sleep 30`)));
    await w.s.type("cd proj");
    await w.s.waitFor(() => readFileSync(log, "utf8") !== "");
    const mark = w.s.mark();
    w.s.sendKeys("C-c");
    await w.s.waitForPrompt();
    for (let i = 0; i < 3; i++) await w.s.run(w.d.noop);
    expect(readFileSync(log, "utf8")).toBe("export xonsh\n");
    expect(await w.s.run("print($PWD)")).toBe(path.join(w.root, "proj"));
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    expect(w.s.screen({ since: mark })).not.toContain("venvhook:");
  });

  it("refuses, in one line, an env that xonsh would put on PATH as another folder", async () => {
    // xonsh expands $NAME in PATH entries when it reads them: this one would be <root>/<home>/.venv/bin.
    const folder = "$HOME";
    w = await openWorld("xonsh", { setup: (root) => void makeVenv(path.join(root, folder, ".venv")) });
    w.venvhook("allow", path.join(w.root, folder));
    const before = await w.path();
    const { stderr } = await w.cd(path.join(w.root, folder));
    expect(stderr).toBe("venvhook: xonsh would expand ~ or $NAME in PATH as venvhook sets it (see $EXPAND_ENV_VARS); environment left as it was");
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    expect(await w.path()).toBe(before);
  });
});
