// Tab completion, end to end: TAB pressed in each real shell with the hook
// loaded (and nothing else set up), completing from the compiled binary.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { labelPath } from "../../src/store/central.ts";
import { describeShell, type ShellName } from "../support/shells.ts";
import { makeVenv, openWorld, pwned, runBinary, type World, type WorldOptions } from "./fixture.ts";

/** The shells whose hook registers a completion. */
const COMPLETING: readonly ShellName[] = ["bash", "zsh", "fish", "pwsh", "elvish", "nu", "xonsh", "tcsh"];

/** A project with a pyproject.toml, and a folder only it starts with "sub". */
function setup(root: string): void {
  mkdirSync(path.join(root, "shop", "subdir"), { recursive: true });
  writeFileSync(path.join(root, "shop", "pyproject.toml"), '[project]\nname = "shop"\nversion = "0.1"\n');
}

/** The store as the shell's venvhook finds it: in its data folder, under the world's HOME. */
function storeEnv(w: World, project: string, label: string): string {
  return makeVenv(labelPath(project, label, { VENVHOOK_HOME: path.join(w.home, ".local", "share", "venvhook", "envs") }));
}

/** Types `typed`, presses TAB, waits for the line to show `expected` (the screen has no trailing blanks), then clears the line. */
async function completes(w: World, typed: string, expected: string): Promise<void> {
  const mark = w.s.mark();
  w.s.sendText(typed);
  w.s.sendKeys("Tab");
  await w.s.waitFor((screen) => screen.includes(expected), { since: mark, timeoutMs: 5000 });
  w.s.sendKeys("C-u");
  await w.s.waitFor((screen) => !screen.includes(typed), { since: mark, timeoutMs: 5000 });
}

for (const shell of COMPLETING) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    const options: WorldOptions = { setup };
    // zsh completes once compinit is loaded, which the hook never does itself: here the rc runs it after the init line.
    if (shell === "zsh") options.after = "autoload -Uz compinit && compinit -u -d ~/.zcompdump";

    it("completes subcommands, options, shell names, store labels, env names and folders", async () => {
      w = await openWorld(shell, options);
      const project = path.join(w.root, "shop");
      storeEnv(w, project, "web");
      makeVenv(path.join(w.home, ".virtualenvs", "legacy"));
      await w.cd(project);

      await completes(w, "venvhook sta", "venvhook status");
      // nushell completes a wrapped command's flags from its own signature, never asking the completer.
      if (shell !== "nu") await completes(w, "venvhook status --j", "venvhook status --json");
      await completes(w, "venvhook init fi", "venvhook init fish");
      await completes(w, "venvhook use w", "venvhook use web");
      await completes(w, "venvhook link leg", "venvhook link legacy");
      // PowerShell writes a relative folder as ./subdir/, as it does for its own commands.
      await completes(w, "venvhook status sub", shell === "pwsh" ? "venvhook status ./subdir/" : "venvhook status subdir/");
      await completes(w, "venvhook create --backend vi", "venvhook create --backend virtualenv");
    });

    if (shell === "tcsh") {
      // tcsh splits and globs what the completion command prints: only plain words are offered.
      it("offers only the names that are plain words", async () => {
        w = await openWorld(shell, options);
        const project = path.join(w.root, "shop");
        storeEnv(w, project, "it's $(touch PWNED) `touch PWNED2`");
        storeEnv(w, project, "item");
        await w.cd(project);
        await completes(w, "venvhook use it", "venvhook use item");
        expect(pwned(w.root, w.home)).toEqual([]);
      });
      return;
    }

    it("inserts a name with quotes, spaces and $(...) as one word, run as it is and never evaluated", async () => {
      w = await openWorld(shell, options);
      const project = path.join(w.root, "shop");
      const label = "it's $(touch PWNED) `touch PWNED2`";
      const env = storeEnv(w, project, label);
      await w.cd(project);
      const mark = w.s.mark();
      w.s.sendText("venvhook use it");
      w.s.sendKeys("Tab");
      await w.s.waitFor((screen) => screen.includes("PWNED2"), { since: mark, timeoutMs: 5000 });
      // elvish and xonsh stay in their completion menu until a key accepts the candidate.
      w.s.sendKeys(...(shell === "elvish" || shell === "xonsh" ? ["Enter", "Enter"] : ["Enter"]));
      await w.s.waitFor((screen) => screen.includes(`using '${label}': ${env}`), { since: mark, timeoutMs: 10_000 });
      expect(pwned(w.root, w.home)).toEqual([]);
    });
  });
}

describeShell("zsh", () => {
  let w: World;
  afterEach(async () => w?.close());
  it("completes when compinit ran before the init line too", async () => {
    w = await openWorld("zsh", { setup, before: "autoload -Uz compinit && compinit -u -d ~/.zcompdump" });
    await completes(w, "venvhook sta", "venvhook status");
  });
});

it("leaves out names no shell can be handed safely", () => {
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-complete-")));
  try {
    const project = path.join(home, "shop");
    mkdirSync(project);
    const store = path.join(home, "store");
    for (const label of ["web", "we\nb", "we\tb", "we\x1b[31mb", "we b"]) mkdirSync(labelPath(project, label, { VENVHOOK_HOME: store }), { recursive: true });
    const result = runBinary(project, ["__complete", "--", "use", "we"], { HOME: home, PATH: process.env.PATH ?? "", VENVHOOK_HOME: store });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("none\nwe b\tenv in venvhook's store\nweb\tenv in venvhook's store\n");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
