// Activation end to end, in real interactive shells: allow, activate, subfolders,
// leave, switch, nested projects, PATH edits kept, the user's own activate.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, quoteFor, SHELLS } from "../support/shells.ts";
import { makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());


    it("allow activates at once; python, pip and the prompt are the env's; leaving undoes it all", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      const proj = path.join(w.root, "proj");
      const env = path.join(proj, ".venv");
      const before = await w.path();

      expect(await w.said(() => w.cd(proj))).toContain("venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");

      const allowed = await w.s.run("venvhook allow");
      expect(allowed).toContain(`allowed ${env}`);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe("proj");
      expect(await w.s.run("command -v python")).toBe(path.join(env, "bin", "python"));
      expect(await w.s.run(`python -c 'import sys; print(sys.prefix)'`)).toBe(env);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
      await w.s.waitFor((screen) => promptLine(screen) === "(proj) vh>");

      await w.s.run(shell === "fish" ? "mkdir -p a/b/c; cd a/b/c" : "mkdir -p a/b/c && cd a/b/c");
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);

      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe("<unset>");
      expect(await w.get("VENVHOOK_STATE")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await w.s.waitFor((screen) => promptLine(screen) === "vh>");
    });

    it("an env allowed once stays allowed in new shells; the notice is said once per folder per session", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          makeVenv(path.join(root, "proj", ".venv"));
          mkdirSync(path.join(root, "proj", "sub"));
        },
      });
      const proj = path.join(w.root, "proj");
      let heard = "";
      for (const dir of [proj, w.root, path.join(proj, "sub"), proj]) heard += await w.said(() => w.cd(dir));
      expect(heard.split("\n").filter((l) => l.includes("not allowed"))).toHaveLength(1);

      expect(w.venvhook("allow", proj).status).toBe(0);
      await w.cd(w.root);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
    });

    it("unsets PYTHONHOME while active and restores it after", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv")), env: { PYTHONHOME: "/opt/py home" } });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.cd(path.join(w.root, "proj"));
      expect(await w.get("PYTHONHOME")).toBe("<unset>");
      expect(await w.s.run(`python -c 'import sys; print(sys.prefix)'`)).toBe(path.join(w.root, "proj", ".venv"));
      await w.cd(w.root);
      expect(await w.get("PYTHONHOME")).toBe("/opt/py home");
    });

    it("moves from one project to another in one step, and handles nested projects", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          makeVenv(path.join(root, "a", ".venv"));
          makeVenv(path.join(root, "b", ".venv"), "bee");
          makeVenv(path.join(root, "a", "inner", ".venv"));
        },
      });
      for (const p of ["a", "b", "a/inner"]) expect(w.venvhook("allow", path.join(w.root, p)).status).toBe(0);
      const before = await w.path();
      const bin = (p: string) => path.join(w.root, p, ".venv", "bin");

      await w.cd(path.join(w.root, "a"));
      await w.cd(path.join(w.root, "b"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "b", ".venv"));
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe("bee");
      expect(await w.path()).toBe(`${bin("b")}:${before}`);
      await w.s.waitFor((screen) => promptLine(screen) === "(bee) vh>");

      await w.cd(path.join(w.root, "a", "inner"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "a", "inner", ".venv"));
      expect(await w.path()).toBe(`${bin("a/inner")}:${before}`);
      await w.cd(path.join(w.root, "a"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "a", ".venv"));
      expect(await w.path()).toBe(`${bin("a")}:${before}`);
      const screen = w.s.screen();
      expect(screen).not.toMatch(/\(a\) \(a\)|\(inner\) \(a\)|\(bee\) \(a\)/);
    });

    it("the user's own activate wins; after deactivate venvhook takes over again", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          makeVenv(path.join(root, "proj", ".venv"));
          makeVenv(path.join(root, "other"));
        },
      });
      const proj = path.join(w.root, "proj");
      const other = path.join(w.root, "other");
      w.venvhook("allow", proj);
      const before = await w.path();
      await w.cd(proj);
      await w.s.run(shell === "fish" ? `source ${w.quote(path.join(other, "bin", "activate.fish"))}` : `. ${w.quote(path.join(other, "bin", "activate"))}`);
      expect(await w.get("VIRTUAL_ENV")).toBe(other);
      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe(other); // venvhook stands aside
      expect(await w.s.run(`command -v python`)).toBe(path.join(other, "bin", "python"));
      expect(await w.s.run("venvhook status " + quoteFor(shell, proj))).toContain(`your own activation of ${other} is active`);
      await w.cd(proj);
      await w.s.run("deactivate");
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      expect(await w.path()).toBe(`${path.join(proj, ".venv", "bin")}:${before}`);
      await w.cd(w.root);
      expect(await w.path()).toBe(before);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });

    it("with cd and a command on one line, the command already uses the env (bash: cd is wrapped)", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      w.venvhook("allow", path.join(w.root, "proj"));
      const envPython = path.join(w.root, "proj", ".venv", "bin", "python");
      const sameLine = await w.s.run(`cd proj${shell === "fish" ? "; and" : " &&"} command -v python`);
      expect(sameLine).toBe(envPython);
      expect(await w.s.run("command -v python")).toBe(envPython);
    });

    it("carries on in a new shell started inside the project (exec), and reverts there", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      const proj = path.join(w.root, "proj");
      w.venvhook("allow", proj);
      const before = await w.path();
      await w.cd(proj);
      const again = {
        bash: `exec bash --noprofile --rcfile ${quoteFor(shell, path.join(w.s.dir, "bashrc"))} -i`,
        zsh: "exec zsh -d -i",
        fish: "exec fish -i",
      }[shell];
      await w.s.type(again);
      await w.s.waitForPrompt();
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      expect(await w.path()).toBe(`${path.join(proj, ".venv", "bin")}:${before}`);
      await w.s.waitFor((screen) => promptLine(screen) === "(proj) vh>");
      await w.cd(w.root);
      expect(await w.path()).toBe(before);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });

    it("deny deactivates at once and stays denied", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      const proj = path.join(w.root, "proj");
      w.venvhook("allow", proj);
      const before = await w.path();
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      expect(await w.s.run("venvhook deny")).toContain("denied");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await w.cd(w.root);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });
  });
}
