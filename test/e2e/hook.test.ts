// The prompt loop is sacred: these drive the hook itself in real interactive
// shells. $? is kept, an unchanged prompt starts no process, one cd runs the
// binary once, a missing, failing or interrupted binary never breaks the
// shell, and other prompt code (strict modes, frameworks) keeps working.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, quoteFor, SHELLS } from "../support/shells.ts";
import { BIN, fakeBinary, initLine, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    const withProject = (root: string) => void makeVenv(path.join(root, "proj", ".venv"));

    it("keeps $? when the hook runs the binary and when it does not", async () => {
      w = await openWorld(shell, { setup: withProject });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.s.type("false");
      await w.s.waitForPrompt();
      expect(await w.s.run(w.d.status!)).toBe("1");
      await w.s.type(shell === "fish" ? "cd proj; sh -c 'exit 3'" : "cd proj; (exit 3)");
      await w.s.waitForPrompt();
      expect(await w.s.run(w.d.status!)).toBe("3");
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
      await w.s.type(shell === "fish" ? "cd ..; sh -c 'exit 4'" : "cd ..; (exit 4)");
      await w.s.waitForPrompt();
      expect(await w.s.run(w.d.status!)).toBe("4");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });

    it("starts no process on an unchanged prompt and runs the binary once per cd", async () => {
      w = await openWorld(shell, { setup: withProject });
      w.venvhook("allow", path.join(w.root, "proj"));
      const log = path.join(w.root, "calls.log");
      writeFileSync(log, "");
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "logging", `echo "$*" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`)));
      for (let i = 0; i < 10; i++) await w.s.run(":");
      expect(readFileSync(log, "utf8")).toBe("");
      await w.cd(path.join(w.root, "proj"));
      expect(readFileSync(log, "utf8")).toBe(`export ${shell}\n`);
      for (let i = 0; i < 5; i++) await w.s.run(":");
      await w.cd(w.root);
      expect(readFileSync(log, "utf8")).toBe(`export ${shell}\nexport ${shell}\n`);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });

    it("a missing binary says so once and the shell carries on", async () => {
      w = await openWorld(shell, { setup: withProject });
      await w.s.run(w.d.useBinary(path.join(w.root, "gone", "venvhook")));
      const mark = w.s.mark();
      const first = await w.cd(path.join(w.root, "proj"));
      const second = await w.cd(w.root);
      const heard = `${first.stderr}\n${second.stderr}\n${w.s.screen({ since: mark })}`;
      const said = heard.split("\n").filter((line) => line.includes("venvhook:") && line.includes("is missing"));
      expect(said).toHaveLength(1);
      // It names what to do: reinstall, or remove the rc line (never a meaningless "-" for a sourced hook).
      expect(said[0]).toMatch(w.d.missingBinary);
      expect(await w.s.run("echo still here")).toBe("still here");
    });

    it("never evaluates the output of a failing or killed binary", async () => {
      w = await openWorld(shell, { setup: withProject });
      const marker = path.join(w.root, "EVALUATED");
      const partial = `echo "export VH_PWNED=1"; echo "touch ${marker}"`;
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "failing", `${partial}\nexit 1`)));
      await w.cd(path.join(w.root, "proj"));
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "killed", `${partial}\nkill -9 $$`)));
      const mark = w.s.mark();
      const killed = await w.cd(w.root);
      expect(`${killed.stderr}\n${w.s.screen({ since: mark })}`).toMatch(/venvhook: .*killed failed \(status 137\); environment left as it was/);
      expect(await w.get("VH_PWNED")).toBe("<unset>");
      expect(existsSync(marker)).toBe(false);
    });

    it("survives Ctrl-C while the binary runs", async () => {
      w = await openWorld(shell, { setup: withProject });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "slow", `sleep 5\nexec ${quoteFor("bash", BIN)} "$@"`)));
      await w.s.type("cd proj");
      await new Promise((resolve) => setTimeout(resolve, 700));
      w.s.sendKeys("C-c");
      await w.s.waitForPrompt();
      expect(await w.s.run("echo alive")).toBe("alive");
      // Interrupted, not retried when the shell redraws the prompt: nothing was applied.
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      await w.s.run(w.d.useBinary(BIN));
      await w.cd(w.root);
      await w.cd(path.join(w.root, "proj"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    });

    it("loading the hook twice changes nothing: one run per cd, one prefix", async () => {
      w = await openWorld(shell, { setup: withProject, after: initLine(shell) });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.cd(path.join(w.root, "proj"));
      await w.s.run(":");
      await w.s.waitFor((screen) => promptLine(screen) === "(proj) vh>");
      if (shell === "bash") expect((await w.s.run(`printf '%s' "$PROMPT_COMMAND"`)).match(/__venvhook_precmd/g)).toHaveLength(1);
      if (shell === "zsh") expect(await w.s.run("print -r -- $precmd_functions")).toBe("__venvhook_precmd __venvhook_prompt");
    });

    it("hides the prefix with VIRTUAL_ENV_DISABLE_PROMPT, keeping the env", async () => {
      w = await openWorld(shell, { setup: withProject, env: { VIRTUAL_ENV_DISABLE_PROMPT: "1" } });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.cd(path.join(w.root, "proj"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
      expect(promptLine(w.s.screen())).toBe("vh>");
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
