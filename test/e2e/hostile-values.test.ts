// Values that break shells (issue 11, items 12-14), in real interactive
// shells: control characters and NUL in a name, names of tens of thousands of
// characters, and bytes that are not UTF-8 in PATH and in folder names.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, MORE_SHELLS, SHELLS, type ClassicShell } from "../support/shells.ts";
import { makeVenv, openWorld, promptLine, pwned, type World } from "./fixture.ts";

const shells = (process.env.VENVHOOK_TEST_SHELLS?.split(",") as typeof MORE_SHELLS | undefined) ?? [...SHELLS, ...MORE_SHELLS];

/**
 * A prompt as Python's repr writes it into pyvenv.cfg: NUL, an OSC 0 that
 * would set the window title, an OSC 52 that would write "PWNED" to the
 * clipboard, a newline, a tab, DEL and a C1 CSI. Escaped the way repr does
 * it, which is also how the prompt must show it.
 */
const CONTROL_PROMPT = String.raw`ab\x00cd\x1b]0;PWNED-TITLE\x07\x1b]52;c;UFdORUQ=\x07\n\t\x7f\x9bef`;
/** 50000 characters that JSON doubles: VENVHOOK_STATE grew past the kernel's 128 KiB for one variable. */
const PROMPT_50K = '\\"'.repeat(25000);
/** 60000 plain characters: crashed bash's readline and tcsh, stalled zsh and xonsh. */
const PROMPT_60K = "x".repeat(60000);
/** What the prompt shows of a long name: 99 characters and an ellipsis. */
const cut = (name: string) => `${name.slice(0, 99)}\u2026`;

/** Writes pyvenv.cfg's prompt line as it stands: the file holds `text`, not a value to quote. */
function setCfgPrompt(env: string, text: string): void {
  const cfg = path.join(env, "pyvenv.cfg");
  const lines = readFileSync(cfg, "utf8").split("\n").filter((line) => !line.startsWith("prompt"));
  writeFileSync(cfg, [...lines, `prompt = ${text}`, ""].join("\n"));
}

for (const shell of shells) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });
    /** Leaving puts back everything, and the shell runs commands as before. */
    const leftCleanly = async (before: string) => {
      await w.cd(w.root);
      for (const name of ["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "VENVHOOK_STATE"]) expect(await w.get(name), name).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
      expect(await w.s.run("echo still-here")).toBe("still-here");
      expect(await w.s.run("venvhook --version")).toMatch(/^\d+\.\d+\.\d+/);
    };

    it("NUL and escape sequences in pyvenv.cfg's prompt are shown escaped, as repr writes them, and leaving restores everything", async () => {
      w = await openWorld(shell, {
        setup: (root) => setCfgPrompt(makeVenv(path.join(root, "proj", ".venv")), `'${CONTROL_PROMPT}'`),
      });
      const proj = path.join(w.root, "proj");
      expect(w.venvhook("allow", proj).status).toBe(0);
      const before = await w.path();

      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(CONTROL_PROMPT);
      expect(await w.path()).toBe(`${path.join(proj, ".venv", "bin")}:${before}`);
      await showsPrompt(`(${CONTROL_PROMPT}) vh>`);
      expect(await w.s.run("echo still-here")).toBe("still-here");
      await leftCleanly(before);
      expect(pwned(w.root, w.home)).toEqual([]);
    });

    it("50000- and 60000-character prompts are cut to 100 characters; the shell stays usable and leaving restores PATH", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          setCfgPrompt(makeVenv(path.join(root, "p50k", ".venv")), PROMPT_50K);
          setCfgPrompt(makeVenv(path.join(root, "p60k", ".venv")), PROMPT_60K);
        },
      });
      const before = await w.path();
      for (const [project, prompt] of [["p50k", PROMPT_50K], ["p60k", PROMPT_60K]] as const) {
        const proj = path.join(w.root, project);
        expect(w.venvhook("allow", proj).status, project).toBe(0);
        await w.cd(proj);
        expect(await w.get("VIRTUAL_ENV"), project).toBe(path.join(proj, ".venv"));
        expect(await w.get("VIRTUAL_ENV_PROMPT"), project).toBe(cut(prompt));
        expect((await w.get("VENVHOOK_STATE")).length, project).toBeLessThan(4096);
        await showsPrompt(`(${cut(prompt)}) vh>`);
        expect(await w.s.run("echo still-here"), project).toBe("still-here");
        await leftCleanly(before);
      }
    });
  });
}

/** How a classic shell spells what these tests type; `folder` and `format` hold \xHH escapes for the bytes that must not be typed. */
interface Spelling {
  /** cd to the folder printf makes of `format`. */
  cdPrintf(format: string): string;
  /** Puts `folder` first on PATH. */
  prependBytes(folder: string): string;
  /** Takes the first entry off PATH. */
  dropFirst: string;
  cdBytes(folder: string): string;
}

const POSIX: Spelling = {
  cdPrintf: (format) => `cd "$(printf '${format}')"`,
  prependBytes: (folder) => `export PATH=$'${folder}':"$PATH"`,
  dropFirst: 'export PATH="${PATH#*:}"',
  cdBytes: (folder) => `cd $'${folder}'`,
};

const SPELL: Record<ClassicShell, Spelling> = {
  bash: POSIX,
  zsh: POSIX,
  fish: {
    cdPrintf: (format) => `cd (printf '${format}')`,
    // Outside quotes fish reads \xHH as that byte.
    prependBytes: (folder) => `set -gx PATH ${folder} $PATH`,
    dropFirst: "set -e PATH[1]",
    cdBytes: (folder) => `cd ${folder}`,
  },
};

const classic = shells.filter((shell): shell is ClassicShell => (SHELLS as readonly string[]).includes(shell));
for (const shell of classic) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());
    const spell = SPELL[shell];
    const notices = (text: string) => text.split("\n").filter((line) => line.startsWith("venvhook:"));

    it("a folder named with ESC goes into VIRTUAL_ENV and PATH as it is, and its name is shown escaped", async () => {
      const folder = "proj\x1b]0;PWNED-TITLE\x07";
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, folder, ".venv")) });
      const proj = path.join(w.root, folder);
      expect(w.venvhook("allow", proj).status).toBe(0);
      const before = await w.path();
      await w.s.run(spell.cdPrintf(String.raw`${w.root}/proj\x1b]0;PWNED-TITLE\x07`));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
      expect(await w.path()).toBe(`${path.join(proj, ".venv", "bin")}:${before}`);
      expect(await w.get("VIRTUAL_ENV_PROMPT")).toBe(String.raw`proj\x1b]0;PWNED-TITLE\x07`);
      await w.s.waitFor((screen) => promptLine(screen) === String.raw`(proj\x1b]0;PWNED-TITLE\x07) vh>`, { timeoutMs: 3000 });
      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
    });

    it("a PATH entry that is not UTF-8 survives going in and out of an allowed project; venvhook says once why it does nothing", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          makeVenv(path.join(root, "proj", ".venv"));
          // `bad\xffdir`: a folder name that is not UTF-8, with a command in it.
          const bad = Buffer.concat([Buffer.from(`${root}/bad`), Buffer.from([0xff]), Buffer.from("dir")]);
          mkdirSync(bad);
          const tool = Buffer.concat([bad, Buffer.from("/badtool")]);
          writeFileSync(tool, "#!/bin/sh\necho badtool-ran\n");
          chmodSync(tool, 0o755);
        },
      });
      const proj = path.join(w.root, "proj");
      const env = path.join(proj, ".venv");
      expect(w.venvhook("allow", proj).status).toBe(0);
      await w.s.run(spell.prependBytes(`${w.root}/bad\\xffdir`));
      expect(await w.s.run("badtool")).toBe("badtool-ran");

      const heard = notices(await w.said(() => w.cd(proj), "not UTF-8"));
      expect(heard).toEqual([
        "venvhook: PATH holds bytes that are not UTF-8, which venvhook cannot write back unchanged: it activates and deactivates nothing while they are there; take them out of it (or rename that folder) to let it work",
      ]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.s.run("badtool")).toBe("badtool-ran");
      await w.cd(w.root);
      expect(await w.s.run("badtool")).toBe("badtool-ran");
      expect(notices(await w.said(() => w.cd(proj)))).toEqual([]); // said once
      expect(await w.s.run("badtool")).toBe("badtool-ran");

      // In the folder whose name is not UTF-8: allow and status say why they cannot work there.
      await w.s.run(spell.cdBytes(`${w.root}/bad\\xffdir`));
      const why = `venvhook: ${w.root}/bad\uFFFDdir cannot be opened by that name: its path is not UTF-8 (each \uFFFD stands for bytes that are not), and venvhook works only in folders whose paths are UTF-8; rename the folder`;
      for (const command of ["venvhook allow", "venvhook status"]) {
        expect(await w.s.runWithStatus(command), command).toEqual({ stdout: "", stderr: why, status: 1 });
      }

      // Without that entry, venvhook works again.
      await w.s.run(spell.dropFirst);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });
  });
}
