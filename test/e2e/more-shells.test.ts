// The guarantees every shell venvhook supports is held to, in real
// interactive bash, zsh, fish, nushell, elvish, tcsh and xonsh (and pwsh where
// it is installed), spelled through each shell's dialect
// (test/support/dialects/). What is particular to one shell is in its own
// suite (hook.test.ts and activation.test.ts for bash, zsh and fish).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { shellAdapter } from "../../src/shells/index.ts";
import { dialectOf } from "../support/dialects/index.ts";
import { describeShell, MORE_SHELLS, quoteFor, SHELLS } from "../support/shells.ts";
import { AUTO_BACKEND, BIN, fakeBinary, makeVenv, openWorld, promptLine, pwned, type World } from "./fixture.ts";

/** Quotes, expansions and separators of all these shells, prompt escapes, non-ASCII. */
const HOSTILE = `a'b"c $(touch PWNED1) \`touch PWNED2\` ; & | é 日本 🐍 %n !! \\ {x} ^ #`;

const shells = (process.env.VENVHOOK_TEST_SHELLS?.split(",") as typeof MORE_SHELLS | undefined) ?? [...SHELLS, ...MORE_SHELLS];

for (const shell of shells) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    const withProject = (root: string) => {
      makeVenv(path.join(root, "proj", ".venv"));
      mkdirSync(path.join(root, "proj", "sub", "deeper"), { recursive: true });
    };
    const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });
    const heard = (text: string) => text.split("\n").filter((line) => line.includes("venvhook:"));

    it("allow activates at once; subfolders keep the env; leaving undoes it all", async () => {
      w = await openWorld(shell, { setup: withProject });
      const proj = path.join(w.root, "proj");
      const env = path.join(proj, ".venv");
      const before = await w.path();

      expect(heard(await w.said(() => w.cd(proj), "not allowed"))).toEqual([
        "venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it",
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");

      expect(await w.s.run("venvhook allow")).toBe(`allowed ${env}: 'proj' is active in ${proj} and below`);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe("proj");
      expect(await w.s.run(`python -c 'import sys; print(sys.prefix)'`)).toBe(env);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
      await showsPrompt("(proj) vh>");

      await w.cd(path.join(proj, "sub", "deeper"));
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);

      await w.cd(w.root);
      for (const name of ["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "VENVHOOK_STATE"]) expect(await w.get(name)).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
    });

    it("works the same loaded from the file init --write writes, through the rc line it prints", async () => {
      w = await openWorld(shell, { setup: withProject, noInit: true });
      const proj = path.join(w.root, "proj");
      w.venvhook("allow", proj);
      const written = w.venvhook("init", shell, "--write");
      expect(written.status).toBe(0);
      expect(readFileSync(path.join(w.home, ".local", "share", "venvhook", "init", shellAdapter(shell)!.file), "utf8")).toBe(w.venvhook("init", shell).stdout);
      await w.s.run(written.stdout.trim());
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      await showsPrompt("(proj) vh>");
    });

    it("at the next prompt, not the next cd: a switch of the project's central env from another shell, and an edit of its pointer", async () => {
      w = await openWorld(shell, { setup: (root) => void mkdirSync(path.join(root, "shop", "src"), { recursive: true }) });
      const shop = path.join(w.root, "shop");
      for (const label of ["one", "two"]) expect(w.venvhook("create", shop, "--central", "--name", label, "--backend", AUTO_BACKEND).status).toBe(0);
      await w.cd(path.join(shop, "src"));
      const pointer = path.join(shop, ".venv");
      expect(readFileSync(pointer, "utf8").trim()).toBe("two");
      expect(await w.get("VIRTUAL_ENV")).toMatch(/\/two$/);
      // `venvhook use`, run by another shell (here: no shell at all).
      expect(w.venvhook("use", "one", shop).status).toBe(0);
      await w.s.run(w.d.noop);
      expect(await w.get("VIRTUAL_ENV")).toMatch(/\/one$/);
      // The pointer edited by hand, to an env not allowed: off at the next prompt, and said why.
      const mine = makeVenv(path.join(w.root, "mine"));
      writeFileSync(pointer, `${mine}\n`);
      expect(await w.said(() => w.s.run(w.d.noop), "not allowed")).toContain("not allowed");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });

    it("unignore brings the offer back at the next prompt, without a cd", async () => {
      w = await openWorld(shell, { setup: (root) => void writeFileSync(path.join(root, "requirements.txt"), "") });
      expect(w.venvhook("ignore", w.root).status).toBe(0);
      await w.cd(w.root);
      expect(await w.said(() => w.s.run("venvhook unignore"), "no environment")).toContain(`has a requirements.txt but no environment`);
    });

    it("keeps PATH edits made inside the project when leaving", async () => {
      w = await openWorld(shell, { setup: withProject });
      const proj = path.join(w.root, "proj");
      w.venvhook("allow", proj);
      const before = await w.path();
      await w.cd(proj);
      await w.s.run(w.d.editPath("/mine/first", "/mine/last"));
      await w.cd(path.join(proj, "sub"));
      expect(await w.path()).toBe(`/mine/first:${path.join(proj, ".venv", "bin")}:${before}:/mine/last`);
      await w.cd(w.root);
      expect(await w.path()).toBe(`/mine/first:${before}:/mine/last`);
    });

    it("switches between projects and leaves a VIRTUAL_ENV the user set alone", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          withProject(root);
          makeVenv(path.join(root, "other", ".venv"));
          makeVenv(path.join(root, "mine"));
        },
      });
      for (const project of ["proj", "other"]) w.venvhook("allow", path.join(w.root, project));
      const before = await w.path();
      await w.cd(path.join(w.root, "proj"));
      await w.cd(path.join(w.root, "other"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "other", ".venv"));
      expect(await w.path()).toBe(`${path.join(w.root, "other", ".venv", "bin")}:${before}`);
      await w.cd(w.root);

      await w.s.run(w.d.set("VIRTUAL_ENV", path.join(w.root, "mine")));
      await w.cd(path.join(w.root, "proj"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "mine"));
      expect(await w.path()).toBe(before);
    });

    it.skipIf(dialectOf(shell).status === undefined)("keeps the last status when the hook runs the binary and when it does not", async () => {
      w = await openWorld(shell, { setup: withProject });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.s.type("sh -c 'exit 3'");
      await w.s.waitForPrompt();
      expect(await w.s.run(w.d.status!)).toBe("3");
      await w.s.type("cd proj; sh -c 'exit 4'");
      await w.s.waitForPrompt();
      expect(await w.s.run(w.d.status!)).toBe("4");
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
    });

    it("starts no process on an unchanged prompt and runs the binary once per cd, even when loaded twice", async () => {
      w = await openWorld(shell, { setup: withProject, after: dialectOf(shell).initLine(BIN) });
      w.venvhook("allow", path.join(w.root, "proj"));
      const log = path.join(w.root, "calls.log");
      writeFileSync(log, "");
      const logging = fakeBinary(w.root, "logging", `echo "$*" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`);
      await w.s.run(w.d.useBinary(logging));
      for (let i = 0; i < 10; i++) await w.s.run(w.d.noop);
      expect(readFileSync(log, "utf8")).toBe("");
      await w.cd(path.join(w.root, "proj"));
      // --defer: a cd holds what there is to say until the prompt.
      expect(readFileSync(log, "utf8")).toMatch(new RegExp(`^export ${shell}( --defer)?\n$`));
      for (let i = 0; i < 5; i++) await w.s.run(w.d.noop);
      await showsPrompt("(proj) vh>");
      await w.cd(w.root);
      expect(readFileSync(log, "utf8")).toMatch(new RegExp(`^(export ${shell}( --defer)?\n){2}$`));
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });

    it("runs the binary without JavaScriptCore's JIT, leaving the shell's own BUN_JSC_useJIT as it was", async () => {
      w = await openWorld(shell, { setup: withProject });
      const proj = path.join(w.root, "proj");
      w.venvhook("allow", proj);
      const log = path.join(w.root, "jit.log");
      writeFileSync(log, "");
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "jit-logging", `echo "\${BUN_JSC_useJIT-unset}" >> ${quoteFor("bash", log)}\nexec ${quoteFor("bash", BIN)} "$@"`)));
      await w.s.run(w.d.set("BUN_JSC_useJIT", "1"));
      await w.cd(proj);
      // Some hooks (xonsh's, on a busy machine) run the binary from the prompt after the cd: wait until every prompt hook is done.
      await w.s.waitForPrompt();
      expect(readFileSync(log, "utf8")).toBe("0\n");
      expect(await w.get("BUN_JSC_useJIT")).toBe("1");
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
    });

    it("survives Ctrl-C while the binary runs, and does not run it again until something changes", async () => {
      w = await openWorld(shell, { setup: withProject });
      const proj = path.join(w.root, "proj");
      w.venvhook("allow", proj);
      const log = path.join(w.root, "calls.log");
      writeFileSync(log, "");
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "slow", `echo "$*" >> ${quoteFor("bash", log)}\nsleep 30\nexec ${quoteFor("bash", BIN)} "$@"`)));
      const mark = w.s.mark();
      await w.s.type("cd proj");
      await w.s.waitFor(() => readFileSync(log, "utf8") !== "");
      w.s.sendKeys("C-c");
      await w.s.waitForPrompt();
      for (let i = 0; i < 3; i++) await w.s.run(w.d.noop);
      // Interrupted, and not retried when the shell draws the prompt again: nothing was applied.
      expect(readFileSync(log, "utf8")).toMatch(new RegExp(`^export ${shell}( --defer)?\n$`));
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(w.s.screen({ since: mark })).not.toMatch(/venvhook: .*failed/);
      await w.s.run(w.d.useBinary(BIN));
      await w.cd(w.root);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
    });

    it("a missing binary says so once and the shell carries on", async () => {
      w = await openWorld(shell, { setup: withProject });
      await w.s.run(w.d.useBinary(path.join(w.root, "gone", "venvhook")));
      const mark = w.s.mark();
      const first = await w.cd(path.join(w.root, "proj"));
      const second = await w.cd(w.root);
      const said = heard(`${first.stderr}\n${second.stderr}\n${w.s.screen({ since: mark })}`).filter((line) => line.includes("is missing"));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(w.d.missingBinary);
      expect(await w.s.run("echo 'still here'")).toBe("still here");
    });

    it("never evaluates the output of a failing or killed binary", async () => {
      w = await openWorld(shell, { setup: withProject });
      const marker = path.join(w.root, "EVALUATED");
      // What a binary that died halfway might have printed: this shell's own code.
      const partial = [w.d.set("VH_PWNED", "1"), `touch ${w.d.typed(marker)}`]
        .map((line) => `printf '%s\\n' ${quoteFor("bash", line)}`)
        .join("\n");
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "failing", `${partial}\nexit 1`)));
      await w.cd(path.join(w.root, "proj"));
      await w.s.run(w.d.useBinary(fakeBinary(w.root, "killed", `${partial}\nkill -9 $$`)));
      const mark = w.s.mark();
      const killed = await w.cd(w.root);
      expect(`${killed.stderr}\n${w.s.screen({ since: mark })}`).toMatch(/venvhook: .*killed failed \(status 137\); environment left as it was/);
      expect(await w.get("VH_PWNED")).toBe("<unset>");
      expect(existsSync(marker)).toBe(false);
    });

    it("the venvhook command re-applies at once after deny, allow, create and link", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          withProject(root);
          mkdirSync(path.join(root, "shop"));
          writeFileSync(path.join(root, "shop", "pyproject.toml"), '[project]\nname = "shop"\nversion = "0.1"\n');
          makeVenv(path.join(root, "shared", "py"));
          mkdirSync(path.join(root, "linked"));
        },
      });
      const proj = path.join(w.root, "proj");
      w.venvhook("allow", proj);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      await w.s.run("venvhook deny");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      await w.s.run("venvhook allow");
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));

      await w.cd(path.join(w.root, "shop"));
      const created = await w.s.runWithStatus("venvhook create", { timeoutMs: 60_000 });
      expect(created.status).toBe(0);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "shop", ".venv"));
      await showsPrompt("(shop) vh>");

      await w.cd(path.join(w.root, "linked"));
      expect(await w.s.run("venvhook link ../shared/py")).toBe(`${path.join(w.root, "linked")}/.venv now points to ${path.join(w.root, "shared", "py")}, allowed`);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "shared", "py"));
    });

    it("a hostile folder name and env prompt are exported and shown exactly as they are, and nothing in them runs", async () => {
      // PowerShell reads `\` in a path as `/` on every platform, by design (PowerShell/PowerShell#9244): it cannot cd into such a folder.
      const folder = shell === "pwsh" ? HOSTILE.replaceAll("\\", "") : HOSTILE;
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, folder, ".venv"), `${HOSTILE}!`) });
      const proj = path.join(w.root, folder);
      const env = path.join(proj, ".venv");
      const before = await w.path();
      await w.cd(proj);
      expect(await w.s.run("venvhook allow")).toBe(`allowed ${env}: '${HOSTILE}!' is active in ${proj} and below`);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(`${HOSTILE}!`);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
      await showsPrompt(`(${HOSTILE}!) vh>`);
      await w.cd(w.root);
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
      expect(pwned(w.root, w.home, w.s.dir)).toEqual([]);
    });

    it("hides the prefix with VIRTUAL_ENV_DISABLE_PROMPT, keeping the env", async () => {
      w = await openWorld(shell, { setup: withProject, env: { VIRTUAL_ENV_DISABLE_PROMPT: "1" } });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.cd(path.join(w.root, "proj"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "proj", ".venv"));
      expect(promptLine(w.s.screen())).toBe("vh>");
    });
  });
}
