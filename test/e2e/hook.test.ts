// What is particular to the bash, zsh and fish hooks, in real interactive
// shells: where they sit in PROMPT_COMMAND and precmd_functions, and that other
// prompt code (strict modes, frameworks) keeps working. The guarantees every
// shell shares ($? kept, no process on an unchanged prompt, a missing, failing
// or interrupted binary) are in more-shells.test.ts.
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, SHELLS } from "../support/shells.ts";
import { initLine, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    const withProject = (root: string) => void makeVenv(path.join(root, "proj", ".venv"));

    it("loading the hook twice changes nothing: one run per cd, one prefix", async () => {
      w = await openWorld(shell, { setup: withProject, after: initLine(shell) });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.cd(path.join(w.root, "proj"));
      await w.s.run(":");
      await w.s.waitFor((screen) => promptLine(screen) === "(proj) vh>");
      if (shell === "bash") expect((await w.s.run(`printf '%s' "$PROMPT_COMMAND"`)).match(/__venvhook_precmd/g)).toHaveLength(1);
      if (shell === "zsh") expect(await w.s.run("print -r -- $precmd_functions")).toBe("__venvhook_precmd __venvhook_prompt");
    });

    const strict = { bash: "set -u", zsh: "setopt nounset", fish: "" }[shell];
    it(`works under ${strict || "fish's defaults"} and with other prompt code that rebuilds the prompt`, async () => {
      // A framework loaded before venvhook that redraws the prompt at every prompt (like starship).
      const framework = {
        bash: `${strict}\n__fw() { PS1='fw> '; }\nPROMPT_COMMAND=(__fw)`,
        zsh: `${strict}\n__fw() { PS1='fw> '; }\nprecmd_functions=(__fw)`,
        fish: "",
      }[shell];
      // fish themes define fish_prompt, often after venvhook is loaded.
      const after = shell === "fish" ? "function fish_prompt; printf 'fw> '; end" : "";
      w = await openWorld(shell, { setup: withProject, before: framework, after });
      w.venvhook("allow", path.join(w.root, "proj"));
      const before = await w.path();
      await w.cd(path.join(w.root, "proj"));
      for (let i = 0; i < 3; i++) await w.s.run(":");
      await w.s.waitFor((screen) => promptLine(screen) === "(proj) fw>");
      await w.cd(w.root);
      await w.s.waitFor((screen) => promptLine(screen) === "fw>");
      expect(await w.path()).toBe(before);
      expect(w.s.screen({ scrollback: true })).not.toMatch(/unbound variable|parameter not set|venvhook: .*failed/);
    });
  });
}
