// What is particular to elvish, in a real interactive elvish: the hook joins
// after-chdir and edit:before-readline after what is there, wraps whatever
// edit:prompt is current, loads twice (from rc.elv or typed
// at the prompt) without doubling anything, and its `venvhook` command fails
// as the binary did, since elvish has no exit status but exceptions.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, quoteFor } from "../support/shells.ts";
import { BIN, fakeBinary, initLine, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

describeShell("elvish", (shell) => {
  let w: World;
  afterEach(async () => w?.close());

  // Values cannot go to a file in elvish (the wrapper's output): print them.
  const handlers = "echo (count $after-chdir) (count $edit:before-readline)";
  const withProject = (root: string) => void makeVenv(path.join(root, "proj", ".venv"));
  const showsPrompt = (prompt: string | RegExp) =>
    w.s.waitFor((screen) => (typeof prompt === "string" ? promptLine(screen) === prompt : prompt.test(promptLine(screen))), { timeoutMs: 3000 });

  it("keeps the handlers already in after-chdir and edit:before-readline, and a prompt and rprompt set after it", async () => {
    w = await openWorld(shell, {
      setup: withProject,
      before: [
        "set after-chdir = [{|dir| echo 'chdir '$dir >> $E:HOME/handlers.log }]",
        "set edit:before-readline = [{ echo readline >> $E:HOME/handlers.log }]",
      ].join("\n"),
      // A theme (or starship) that sets the prompt after venvhook is loaded.
      after: "set edit:prompt = { styled 'fw> ' green }\nset edit:rprompt = (constantly 'right')",
    });
    w.venvhook("allow", path.join(w.root, "proj"));
    const log = path.join(w.home, "handlers.log");
    writeFileSync(log, "");
    await w.cd(path.join(w.root, "proj"));
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    await showsPrompt(/^\(proj\) fw> +right$/);
    const lines = readFileSync(log, "utf8").split("\n");
    expect(lines[0]).toBe(`chdir ${path.join(w.root, "proj")}`);
    expect(lines).toContain("readline");
    expect(await w.s.run(handlers)).toBe("2 2");
    await w.cd(w.root);
    await showsPrompt(/^fw> +right$/);
  });

  it("loading the hook twice, in rc.elv and again at the prompt, changes nothing: one run per cd, one prefix", async () => {
    w = await openWorld(shell, { setup: withProject, after: initLine(shell) });
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.s.run(initLine(shell));
    expect(await w.s.run(handlers)).toBe("1 1");
    const log = path.join(w.root, "calls.log");
    writeFileSync(log, "");
    await w.s.run(w.d.useBinary(fakeBinary(w.root, "logging", `echo "$*" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`)));
    await w.cd(path.join(w.root, "proj"));
    await w.s.run("nop");
    await showsPrompt("(proj) vh>");
    expect(readFileSync(log, "utf8")).toBe("export elvish\n");
  });

  it("the venvhook command fails as the binary did, after re-applying", async () => {
    w = await openWorld(shell, { setup: withProject });
    const direct = w.venvhook("allow", path.join(w.root, "nowhere"));
    expect(direct.status).not.toBe(0);
    const viaShell = await w.s.runWithStatus(`venvhook allow ${w.quote(path.join(w.root, "nowhere"))}`);
    expect(viaShell.status).toBe(direct.status);
    expect(viaShell.stderr.split("\n")[0]).toBe(direct.stderr.trimEnd());
    expect((await w.s.runWithStatus("venvhook status")).status).toBe(0);
  });

  it("notices a .venv that appears, even as a dangling link, without a cd", async () => {
    w = await openWorld(shell, { setup: (root) => mkdirSync(path.join(root, "proj")) });
    await w.cd(path.join(w.root, "proj"));
    const said = await w.said(async () => {
      symlinkSync("nowhere", path.join(w.root, "proj", ".venv"));
      await w.s.run("nop");
    }, "symbolic link to nothing");
    expect(said).toContain("venvhook: ./.venv is not usable: it is a symbolic link to nothing");
  });
});
