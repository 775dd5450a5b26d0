// A new shell, in real interactive bash, zsh and fish: outside any project
// the hook runs no process at all (with the hook loaded from the file `init
// --write` writes, start-up costs no process); where there is something to do,
// the first prompt has it done, exactly as before.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { renderHook } from "../../src/shells/adapter.ts";
import { shellAdapter } from "../../src/shells/index.ts";
import { describeShell, quoteFor, SHELLS } from "../support/shells.ts";
import { BIN, fakeBinary, makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

/** The rc line loading a hook file below $HOME, in each shell. */
const loadFromHome = (shell: string, relative: string) => (shell === "fish" ? `source $HOME/${relative}` : `. "$HOME/${relative}"`);
const WRITTEN = (shell: string) => `.local/share/venvhook/init/${shellAdapter(shell)!.file}`;

/** Runs the binary as a shell started with this HOME would (the driver's XDG folders). */
function binaryFor(home: string, cwd: string, ...args: string[]) {
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, ".local", "share"), XDG_CONFIG_HOME: path.join(home, ".config"), XDG_STATE_HOME: path.join(home, ".local", "state"), XDG_CACHE_HOME: path.join(home, ".cache") };
  const result = spawnSync(BIN, args, { cwd, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`venvhook ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());
    const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });

    it("started outside any project, runs no binary until the first cd", async () => {
      let log = "";
      w = await openWorld(shell, {
        noInit: true,
        after: loadFromHome(shell, "hook"),
        setup: (root) => {
          const home = path.join(path.dirname(root), "home");
          log = path.join(root, "calls.log");
          writeFileSync(log, "");
          const logging = fakeBinary(root, "logging", `echo "$*" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`);
          writeFileSync(path.join(home, "hook"), renderHook(shellAdapter(shell)!, logging));
          makeVenv(path.join(root, "proj", ".venv"));
        },
      });
      w.venvhook("allow", path.join(w.root, "proj"));
      for (let i = 0; i < 3; i++) await w.s.run(":");
      expect(readFileSync(log, "utf8")).toBe("");
      await w.cd(path.join(w.root, "proj"));
      expect(readFileSync(log, "utf8")).toMatch(new RegExp(`^export ${shell} --defer\n$`));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
      await showsPrompt("(proj) vh>");
    });

    it("started in a project's subfolder, has the env on its first prompt, loaded from the file init --write wrote", async () => {
      w = await openWorld(shell, {
        noInit: true,
        before: "cd proj/sub",
        after: loadFromHome(shell, WRITTEN(shell)),
        setup: (root) => {
          const home = path.join(path.dirname(root), "home");
          makeVenv(path.join(root, "proj", ".venv"));
          mkdirSync(path.join(root, "proj", "sub"));
          binaryFor(home, root, "allow", path.join(root, "proj"));
          const line = binaryFor(home, root, "init", shell, "--write");
          const file = path.join(home, WRITTEN(shell));
          expect(line).toBe(`${shellAdapter(shell)!.load(quoteFor(shell, file))}\n`);
          expect(readFileSync(file, "utf8")).toBe(binaryFor(home, root, "init", shell));
        },
      });
      await showsPrompt("(proj) vh>");
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    });

    it("started below a folder with only a requirements.txt, offers to create an env at once", async () => {
      w = await openWorld(shell, {
        before: "cd app/src",
        setup: (root) => {
          mkdirSync(path.join(root, "app", "src"), { recursive: true });
          writeFileSync(path.join(root, "app", "requirements.txt"), "pytest\n");
        },
      });
      await w.s.waitFor((screen) => screen.includes("app has a requirements.txt but no environment"), { timeoutMs: 3000 });
    });
  });
}
