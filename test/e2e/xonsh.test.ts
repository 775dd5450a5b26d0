// What is particular to xonsh, in a real interactive xonsh (the guarantees all
// shells share are in more-shells.test.ts): handlers and prompt settings of the
// user's own stay as they are, and PATH entries that xonsh expands.
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell } from "../support/shells.ts";
import { makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

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
