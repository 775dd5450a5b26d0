// Living with the activators users already have, in real interactive shells:
// the activate scripts venv ships (activate, activate.fish, activate.csh) and
// virtualenv's (activate.xsh, activate.nu), virtualenvwrapper's workon, a
// conda-style activate. The user's own activation wins, whether venvhook had
// the same env active, another one or none; after their deactivate
// everything is as before and venvhook takes over again. `deactivate` typed
// in venvhook's env turns it off until the project is left.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, MORE_SHELLS, SHELLS, type ShellName } from "../support/shells.ts";
import { makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

/** The shells venv or virtualenv ships an activate script for, and how it is sourced there. */
const ACTIVATE: Partial<Record<ShellName, (env: string, w: World) => string>> = {
  bash: (env, w) => `. ${w.quote(path.join(env, "bin", "activate"))}`,
  zsh: (env, w) => `. ${w.quote(path.join(env, "bin", "activate"))}`,
  fish: (env, w) => `source ${w.quote(path.join(env, "bin", "activate.fish"))}`,
  tcsh: (env, w) => `source ${w.quote(path.join(env, "bin", "activate.csh"))}`,
  xonsh: (env, w) => `source ${w.quote(path.join(env, "bin", "activate.xsh"))}`,
};

/** virtualenv (Debian's python3-virtualenv) ships activate.xsh, which venv does not. */
function makeVirtualenv(dir: string): string {
  execFileSync("/usr/bin/python3", ["-m", "virtualenv", "--no-pip", "--no-setuptools", "--no-wheel", "--no-periodic-update", dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return dir;
}

/** Which env's python runs, in every shell's syntax. */
const PREFIX = `python -c 'import sys; print(sys.prefix)'`;

const shells = (process.env.VENVHOOK_TEST_SHELLS?.split(",") as ShellName[] | undefined) ?? [...SHELLS, ...MORE_SHELLS];

for (const shell of shells) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());
    const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });
    const activateLine = ACTIVATE[shell];

    if (activateLine) {
      it("an activate script over venvhook's env, the same one or another: the user's wins, and deactivate leaves all as before", async () => {
        const make = shell === "xonsh" ? makeVirtualenv : makeVenv;
        w = await openWorld(shell, {
          setup: (root) => {
            make(path.join(root, "shop", ".venv"));
            make(path.join(root, "other"));
          },
        });
        const shop = path.join(w.root, "shop");
        const env = path.join(shop, ".venv");
        const other = path.join(w.root, "other");
        expect(w.venvhook("allow", shop).status).toBe(0);
        const before = await w.path();

        for (const activated of [env, other]) {
          await w.cd(shop);
          await showsPrompt("(shop) vh>");
          const mark = w.s.mark();
          await w.s.run(activateLine(activated, w));
          expect(await w.get("VIRTUAL_ENV")).toBe(activated);
          expect(await w.s.run(PREFIX)).toBe(activated);
          if (shell !== "xonsh") await showsPrompt(`(${path.basename(activated)}) vh>`);

          await w.cd(w.root);
          expect(await w.get("VIRTUAL_ENV")).toBe(activated);
          expect(await w.s.run(PREFIX)).toBe(activated);

          await w.s.run("deactivate");
          expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
          expect(await w.get("VENVHOOK_STATE")).toBe("<unset>");
          expect(await w.path()).toBe(before);
          await showsPrompt("vh>");
          expect(w.s.screen({ since: mark })).not.toMatch(/Unknown command|call stack|venvhook:/);

          await w.cd(shop);
          expect(await w.get("VIRTUAL_ENV")).toBe(env);
          expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
          await showsPrompt("(shop) vh>");

          // deactivate inside the project: venvhook's env again, exactly.
          await w.s.run(activateLine(activated, w));
          await w.s.run("deactivate");
          expect(await w.get("VIRTUAL_ENV")).toBe(env);
          expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);
          await showsPrompt("(shop) vh>");
          await w.cd(w.root);
          expect(await w.path()).toBe(before);
        }
      });
    }

    it("deactivate in venvhook's env turns it off until the project is left; venvhook on turns it back on", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          makeVenv(path.join(root, "shop", ".venv"));
          mkdirSync(path.join(root, "shop", "sub"));
        },
      });
      const shop = path.join(w.root, "shop");
      const env = path.join(shop, ".venv");
      expect(w.venvhook("allow", shop).status).toBe(0);
      const before = await w.path();

      await w.cd(shop);
      await showsPrompt("(shop) vh>");
      expect(await w.said(() => w.s.runWithStatus("deactivate"), "is off")).toContain(
        `venvhook: shop is off in this shell until you leave ${shop}; 'venvhook on' turns it back on`,
      );
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
      await w.cd(path.join(shop, "sub"));
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");

      await w.s.run("venvhook on");
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      await showsPrompt("(shop) vh>");
      await w.s.run("venvhook off");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");

      await w.cd(w.root);
      expect(await w.get("VENVHOOK_OFF")).toBe("<unset>");
      await w.cd(shop);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);

      await w.cd(w.root);
      const outside = await w.s.runWithStatus("deactivate");
      expect(outside.status).not.toBe(0);
      expect(`${outside.stderr}\n${w.s.screen()}`).toContain("venvhook: no env of venvhook's is active here; nothing to deactivate");
      expect(await w.path()).toBe(before);
    });
  });
}
