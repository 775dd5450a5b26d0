// Hostile input end to end, in real interactive shells. Folder names, pointer
// files and pyvenv.cfg are text nobody vetted: nothing they say may ever run,
// and every value reaches the shell (variables, PATH, the prompt) unchanged.
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, quoteFor, SHELLS } from "../support/shells.ts";
import { makeVenv, openWorld, promptLine, pwned, type World } from "./fixture.ts";

/** Quotes, command substitutions, separators, prompt escapes of all three shells, non-ASCII. */
const HOSTILE = `a'b"c $(touch PWNED1) \`touch PWNED2\` ; & | é 日本 🐍 %F{red}%n !! \\ {x}`;
/** bash prompt escapes: `\u` `\w` `\$` `\\` must show as typed. */
const BACKSLASHES = "b\\u\\w\\$\\\\x";
/** A name over two lines, with a tab. */
const MULTILINE = "a\n$(touch PWNED6)\tb";
/** How the prompt shows it: on one line, with escapes. */
const MULTILINE_SHOWN = "a\\n$(touch PWNED6)\\tb";
/** What `python -m venv --prompt` is given; it writes it to pyvenv.cfg in repr quotes. */
const CFG_PROMPT = "$(touch PWNED3) %F{red}`x`";
/** A pointer's first line, then junk the pointer must ignore. */
const POINTER_TARGET = "$(touch PWNED4) 'q'";
const POINTER_TEXT = `../envs/${POINTER_TARGET}`;

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    const notices = (text: string) => text.split("\n").filter((line) => line.startsWith("venvhook:"));
    const showsPrompt = (prompt: string) =>
      w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });
    /** The hook runs in these folders: a command smuggled in a name would leave its file here. */
    const nothingRan = () => expect(pwned(w.root, w.home, w.s.dir)).toEqual([]);

    it("a hostile folder name is exported, put on PATH and shown exactly as it is, and nothing in it runs", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, HOSTILE, ".venv")) });
      const proj = path.join(w.root, HOSTILE);
      const env = path.join(proj, ".venv");
      const before = await w.path();

      expect(notices(await w.said(() => w.cd(proj), "not allowed"))).toEqual([
        "venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it",
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.s.run("venvhook allow")).toBe(`allowed ${env}: '${HOSTILE}' is active in ${proj} and below`);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(HOSTILE);
      expect(await w.s.run("command -v python")).toBe(path.join(env, "bin", "python"));
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
      await showsPrompt(`(${HOSTILE}) vh>`);

      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
      await w.cd(proj); // and once more, allowed from the start
      await showsPrompt(`(${HOSTILE}) vh>`);
      nothingRan();
    });

    if (shell === "zsh") {
      it("under prompt_subst and prompt_bang the name is still shown literally, and the prefix follows option changes", async () => {
        w = await openWorld(shell, {
          after: "setopt prompt_subst prompt_bang",
          setup: (root) => void makeVenv(path.join(root, HOSTILE, ".venv")),
        });
        const proj = path.join(w.root, HOSTILE);
        expect(w.venvhook("allow", proj).status).toBe(0);
        await w.cd(proj);
        expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
        await showsPrompt(`(${HOSTILE}) vh>`);
        await w.s.run("unsetopt prompt_bang");
        await showsPrompt(`(${HOSTILE}) vh>`);
        await w.s.run("unsetopt prompt_subst; setopt prompt_bang");
        await showsPrompt(`(${HOSTILE}) vh>`);
        await w.s.run("setopt prompt_subst");
        await showsPrompt(`(${HOSTILE}) vh>`);
        await w.cd(w.root);
        await showsPrompt("vh>");
        nothingRan();
      });
    }

    if (shell === "bash") {
      it("without promptvars the name is still shown literally: backslashes are not prompt escapes", async () => {
        w = await openWorld(shell, {
          after: "shopt -u promptvars",
          setup: (root) => {
            makeVenv(path.join(root, HOSTILE, ".venv"));
            makeVenv(path.join(root, BACKSLASHES, ".venv"));
          },
        });
        for (const name of [HOSTILE, BACKSLASHES]) expect(w.venvhook("allow", path.join(w.root, name)).status).toBe(0);
        await w.cd(path.join(w.root, HOSTILE));
        await showsPrompt(`(${HOSTILE}) vh>`);
        await w.cd(path.join(w.root, BACKSLASHES));
        expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(BACKSLASHES);
        await showsPrompt(`(${BACKSLASHES}) vh>`);
        await w.s.run("shopt -s promptvars");
        await showsPrompt(`(${BACKSLASHES}) vh>`);
        await w.s.run("shopt -u promptvars");
        await showsPrompt(`(${BACKSLASHES}) vh>`);
        await w.cd(w.root);
        await showsPrompt("vh>");
        nothingRan();
      });
    }

    it("a folder name with a newline and a tab activates, exports the path exactly, shows the name escaped and reverts PATH exactly", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, MULTILINE, ".venv")) });
      const proj = path.join(w.root, MULTILINE);
      const env = path.join(proj, ".venv");
      expect(w.venvhook("allow", proj).status).toBe(0);
      const before = await w.path();

      const heard = await w.said(() => w.cd(proj));
      expect(notices(heard)).toEqual([]);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(MULTILINE_SHOWN);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
      await showsPrompt(`(${MULTILINE_SHOWN}) vh>`);

      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
      nothingRan();
    });

    it("pyvenv.cfg's prompt is exported without its quotes and shown literally", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv"), CFG_PROMPT) });
      const proj = path.join(w.root, "proj");
      const cfg = readFileSync(path.join(proj, ".venv", "pyvenv.cfg"), "utf8");
      expect(cfg.split("\n")).toContain(`prompt = '${CFG_PROMPT}'`); // as Python writes it
      expect(w.venvhook("allow", proj).status).toBe(0);

      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(CFG_PROMPT);
      await showsPrompt(`(${CFG_PROMPT}) vh>`);
      await w.cd(w.root);
      await showsPrompt("vh>");
      nothingRan();
    });

    it("a pointer file to a hostile-named env: allow, status, a changed pointer is refused until allowed again", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          makeVenv(path.join(root, "envs", POINTER_TARGET));
          makeVenv(path.join(root, "other", ".venv"));
          mkdirSync(path.join(root, "proj"));
          writeFileSync(path.join(root, "proj", ".venv"), `${POINTER_TEXT}\n$(touch PWNED5)\n\`touch PWNED5\`\n`);
        },
      });
      const proj = path.join(w.root, "proj");
      const venv = path.join(proj, ".venv");
      const target = path.join(w.root, "envs", POINTER_TARGET);
      const other = path.join(w.root, "other", ".venv");
      expect(w.venvhook("allow", path.join(w.root, "other")).status).toBe(0);
      const before = await w.path();

      // The notice names where the pointer leads, as it is: nothing in the name runs.
      expect(notices(await w.said(() => w.cd(proj), "not allowed"))).toEqual([
        `venvhook: found ./.venv, pointing to ${target} (not allowed); run 'venvhook allow' to use it`,
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.s.run("venvhook allow")).toBe(
        `allowed ${venv} (pointing to ${target}): '${POINTER_TARGET}' is active in ${proj} and below`,
      );
      expect(await w.get("VIRTUAL_ENV")).toBe(target);
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(POINTER_TARGET);
      expect(await w.path()).toBe(`${path.join(target, "bin")}:${before}`);
      await showsPrompt(`(${POINTER_TARGET}) vh>`);
      const status = JSON.parse(await w.s.run("venvhook status --json"));
      expect(status.found).toMatchObject({ kind: "env", venv, env: target, pointer: { text: POINTER_TEXT, target } });
      expect(status.trust.allowed).toBe(true);
      expect(status.active).toBe(true);

      // The pointer now names another env, one that is itself allowed.
      writeFileSync(venv, "../other/.venv\n");
      await w.cd(w.root);
      expect(await w.path()).toBe(before);
      expect(notices(await w.said(() => w.cd(proj), "changed"))).toEqual([
        `venvhook: ./.venv changed since it was allowed (it now points to ${other}); run 'venvhook allow' if that is right`,
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      const changed = JSON.parse(await w.s.run("venvhook status --json"));
      expect(changed.found.pointer).toEqual({ text: "../other/.venv", target: other });
      expect(changed.trust).toEqual({ allowed: false, reason: "pointer-changed" });
      expect(changed.active).toBe(false);

      await w.s.run("venvhook allow");
      expect(await w.get("VIRTUAL_ENV")).toBe(other);
      expect(await w.path()).toBe(`${path.join(other, "bin")}:${before}`);
      nothingRan();
    });

    it("a broken .venv never activates, is named in one notice and by status, and cannot be allowed", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          mkdirSync(path.join(root, "nocfg", ".venv", "bin"), { recursive: true });
          mkdirSync(path.join(root, "missing"));
          writeFileSync(path.join(root, "missing", ".venv"), "../nowhere\n");
          mkdirSync(path.join(root, "empty"));
          writeFileSync(path.join(root, "empty", ".venv"), "");
          mkdirSync(path.join(root, "dangling"));
          symlinkSync(path.join(root, "gone"), path.join(root, "dangling", ".venv"));
          makeVenv(path.join(root, "parent", ".venv"));
          mkdirSync(path.join(root, "parent", "sub"));
          writeFileSync(path.join(root, "parent", "sub", ".venv"), "$(touch PWNED7)\n");
        },
      });
      expect(w.venvhook("allow", path.join(w.root, "parent")).status).toBe(0);
      const before = await w.path();
      await w.cd(path.join(w.root, "parent"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "parent", ".venv"));

      const cases = [
        ["parent/sub", "no env named '$(touch PWNED7)' in venvhook's store, $WORKON_HOME or ~/.virtualenvs"], // nearer than the allowed parent: it wins
        ["nocfg", "it is a folder without pyvenv.cfg, so not an environment"],
        ["missing", "it points to a folder that does not exist"],
        ["empty", "the pointer file is empty"],
        ["dangling", "it is a symbolic link to nothing"],
      ] as const;
      for (const [dir, problem] of cases) {
        const venv = path.join(w.root, dir, ".venv");
        const heard = await w.said(() => w.cd(path.join(w.root, dir)), problem);
        expect(notices(heard), dir).toEqual([`venvhook: ./.venv is not usable: ${problem}; see 'venvhook status'`]);
        expect(await w.get("VIRTUAL_ENV"), dir).toBe("<unset>");
        expect(await w.path(), dir).toBe(before);
        const status = await w.s.run("venvhook status");
        expect(status, dir).toContain(`${venv} is not usable: ${problem}`);
        expect(status, dir).toContain("  active no");
        const allowed = await w.s.runWithStatus("venvhook allow");
        expect(allowed.status, dir).toBe(1);
        expect(allowed.stderr, dir).toBe(`venvhook: ${venv} is not usable: ${problem}`);
        expect(await w.get("VIRTUAL_ENV"), dir).toBe("<unset>");
      }
      await showsPrompt("vh>");
      nothingRan();
    });

    it("refuses an allowed env once its bin/ is world-writable, and takes it back once fixed", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      const proj = path.join(w.root, "proj");
      const env = path.join(proj, ".venv");
      const bin = path.join(env, "bin");
      expect(w.venvhook("allow", proj).status).toBe(0);
      const before = await w.path();
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      await w.cd(w.root);

      // Not group-writable: that is fine in the owner's private group (test/unit/trust-hardening.test.ts).
      chmodSync(bin, 0o757);
      const [notice, ...more] = notices(await w.said(() => w.cd(proj), "writable by"));
      expect(more).toEqual([]);
      expect(notice).toContain(`venvhook: refusing ./.venv: ${bin} is writable by others`);
      expect(notice).toContain(`chmod go-w ${quoteFor("bash", bin)}`);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      const allowed = await w.s.runWithStatus("venvhook allow");
      expect(allowed.status).toBe(1);
      expect(allowed.stderr).toMatch(/^venvhook: not allowing .*writable by others.*chmod go-w [^\n]*$/);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");

      chmodSync(bin, 0o755);
      await w.cd(w.root);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.path()).toBe(`${bin}:${before}`);
    });

    it("notices a .venv appearing in the current folder and its removal at the next prompt, without a cd", async () => {
      w = await openWorld(shell, { setup: (root) => void mkdirSync(path.join(root, "proj")) });
      const proj = path.join(w.root, "proj");
      const env = path.join(proj, ".venv");
      const before = await w.path();
      expect(notices(await w.said(() => w.cd(proj)))).toEqual([]);

      makeVenv(env);
      expect(notices(await w.said(() => w.s.run("true"), "not allowed"))).toEqual([
        "venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it",
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      await w.s.run("venvhook allow");
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
      await showsPrompt("(proj) vh>");

      await w.s.run("rm -rf .venv");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe("<unset>");
      expect(await w.get("VENVHOOK_STATE")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
    });
  });
}
