// Living with the activators users already have, in real interactive shells:
// the activate scripts venv ships (activate, activate.fish, activate.csh) and
// virtualenv's (activate.xsh, activate.nu), virtualenvwrapper's workon, a
// conda-style activate. The user's own activation wins, whether venvhook had
// the same env active, another one or none; after their deactivate
// everything is as before and venvhook takes over again. `deactivate` typed
// in venvhook's env turns it off until the project is left.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, MORE_SHELLS, SHELLS, type ShellName } from "../support/shells.ts";
import { makeVenv, openWorld, promptLine, type World } from "./fixture.ts";

/**
 * The shells venv or virtualenv ships an activate script for, and how it is
 * sourced there. Not nushell: Debian's virtualenv ships an activate.nu that
 * nushell 0.115 cannot parse, and the driver runs each command in a block,
 * which an overlay (what activate.nu is) does not outlive.
 */
const ACTIVATE: Partial<Record<ShellName, (env: string, w: World) => string>> = {
  bash: (env, w) => `. ${w.quote(path.join(env, "bin", "activate"))}`,
  zsh: (env, w) => `. ${w.quote(path.join(env, "bin", "activate"))}`,
  fish: (env, w) => `source ${w.quote(path.join(env, "bin", "activate.fish"))}`,
  tcsh: (env, w) => `source ${w.quote(path.join(env, "bin", "activate.csh"))}`,
  xonsh: (env, w) => `source ${w.quote(path.join(env, "bin", "activate.xsh"))}`,
  // venv's is Activate.ps1, virtualenv's activate.ps1.
  pwsh: (env, w) => `. ${w.quote(path.join(env, "bin", existsSync(path.join(env, "bin", "Activate.ps1")) ? "Activate.ps1" : "activate.ps1"))}`,
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
      it(`an activate script over venvhook's env (venv's where venv ships one), and virtualenv's over another: the user's wins, and deactivate leaves all as before`, async () => {
        w = await openWorld(shell, {
          setup: (root) => {
            // venv ships no activate.xsh.
            (shell === "xonsh" ? makeVirtualenv : makeVenv)(path.join(root, "shop", ".venv"));
            makeVirtualenv(path.join(root, "other"));
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
          expect(w.s.screen({ since: mark })).not.toMatch(/Unknown command|call stack|venvhook:/);

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
      expect(await w.s.run("venvhook status")).toContain(`turned off in this shell (deactivate, or 'venvhook off') until you leave ${shop}`);

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

/**
 * A stand-in for conda's activate, written from conda 4.x: the `conda` shell
 * function of conda/shell/etc/profile.d/conda.sh evaluates what
 * conda/activate.py prints: _Activator.build_activate (_add_prefix_to_path:
 * the env's bin before PATH as it is; CONDA_PREFIX, CONDA_DEFAULT_ENV,
 * CONDA_SHLVL, CONDA_PROMPT_MODIFIER), build_deactivate
 * (_remove_prefix_from_path: that entry taken out wherever it is) and
 * PosixActivator._update_prompt (the old modifier cut out of PS1, the new one
 * put first). conda keeps no copy of PATH to put back.
 */
const STAND_IN_CONDA = [
  "conda() {",
  "  case $1 in",
  "    activate)",
  '      PS1="($(basename "$2")) ${PS1/"${CONDA_PROMPT_MODIFIER-}"/}"',
  '      export PATH="$2/bin:$PATH" CONDA_PREFIX="$2" CONDA_DEFAULT_ENV="$(basename "$2")" CONDA_SHLVL=1',
  '      export CONDA_PROMPT_MODIFIER="($CONDA_DEFAULT_ENV) " ;;',
  "    deactivate)",
  '      local kept= rest="$PATH:" entry',
  '      while [ -n "$rest" ]; do entry=${rest%%:*}; rest=${rest#*:}; [ "$entry" = "$CONDA_PREFIX/bin" ] || kept=${kept:+$kept:}$entry; done',
  "      export PATH=$kept",
  '      PS1=${PS1/"$CONDA_PROMPT_MODIFIER"/}',
  "      export CONDA_SHLVL=0",
  "      unset CONDA_PREFIX CONDA_DEFAULT_ENV CONDA_PROMPT_MODIFIER ;;",
  "  esac",
  "}",
].join("\n");

for (const shell of shells.filter((name) => name === "bash" || name === "zsh")) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());
    const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });

    const projects = (root: string) => {
      makeVenv(path.join(root, "shop", ".venv"));
      makeVenv(path.join(root, "b", ".venv"));
    };

    it("virtualenvwrapper's workon and deactivate over venvhook's env: the user's wins, and all is as before after", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          projects(root);
          makeVenv(path.join(root, "workon", "wk"));
        },
        env: { VIRTUALENVWRAPPER_PYTHON: "/usr/bin/python3" },
        after: "export WORKON_HOME=\"$PWD/workon\"\n. /usr/share/virtualenvwrapper/virtualenvwrapper.sh",
      });
      const shop = path.join(w.root, "shop");
      const wk = path.join(w.root, "workon", "wk");
      expect(w.venvhook("allow", shop).status).toBe(0);
      expect(w.venvhook("allow", path.join(w.root, "b")).status).toBe(0);
      const before = await w.path();

      await w.cd(shop);
      await w.s.run("workon wk");
      expect(await w.get("VIRTUAL_ENV")).toBe(wk);
      await showsPrompt("(wk) vh>");
      await w.cd(path.join(w.root, "b"));
      expect(await w.s.run(PREFIX)).toBe(wk);
      await w.cd(w.root);
      await w.s.run("deactivate");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
      await w.cd(path.join(w.root, "b"));
      expect(await w.path()).toBe(`${path.join(w.root, "b", ".venv", "bin")}:${before}`);
      await showsPrompt("(b) vh>");
    });

    it("a stand-in for conda's activate over venvhook's env: venvhook steps down, adds nothing, and comes back after conda deactivate", async () => {
      w = await openWorld(shell, {
        setup: (root) => {
          projects(root);
          makeVenv(path.join(root, "conda", "envs", "ml"));
        },
        after: STAND_IN_CONDA,
      });
      const shop = path.join(w.root, "shop");
      const ml = path.join(w.root, "conda", "envs", "ml");
      const b = path.join(w.root, "b", ".venv");
      expect(w.venvhook("allow", shop).status).toBe(0);
      expect(w.venvhook("allow", path.join(w.root, "b")).status).toBe(0);
      const before = await w.path();

      await w.cd(shop);
      await w.s.run(`conda activate ${w.quote(ml)}`);
      await showsPrompt("(ml) vh>");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(`${ml}/bin:${before}`);
      await w.cd(path.join(w.root, "b"));
      expect(await w.s.run(PREFIX)).toBe(ml);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");

      await w.s.run("conda deactivate");
      expect(await w.get("VIRTUAL_ENV")).toBe(b);
      expect(await w.path()).toBe(`${path.join(b, "bin")}:${before}`);
      await showsPrompt("(b) vh>");
      await w.cd(w.root);
      expect(await w.path()).toBe(before);
      await showsPrompt("vh>");
    });
  });
}

/** A project file each tool reads, and the variables that make it use the project's .venv. */
const SUBSHELL_TOOLS = {
  pipenv: {
    file: ["Pipfile", '[packages]\n\n[requires]\npython_version = "3"\n'],
    env: { PIPENV_VENV_IN_PROJECT: "1", PIPENV_VERBOSITY: "-1" },
  },
  poetry: {
    file: ["pyproject.toml", '[tool.poetry]\nname = "shop"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n\n[tool.poetry.dependencies]\npython = "^3.9"\n'],
    env: { POETRY_VIRTUALENVS_IN_PROJECT: "true" },
  },
} as const;

// pipenv shell and poetry shell start a new shell of the user's own (it reads
// the same rc files) and type `source <env>/bin/activate…` into it: fish and
// zsh, whose rc files the driver's shells share with the ones they start.
for (const shell of shells.filter((name) => name === "fish" || name === "zsh")) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());
    const showsPrompt = (prompt: string, timeoutMs = 3000) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs });

    for (const [tool, { file, env: toolEnv }] of Object.entries(SUBSHELL_TOOLS)) {
      it(`${tool} shell in venvhook's project: one prompt prefix, no loop; its deactivate and exit leave all as before`, async () => {
        w = await openWorld(shell, {
          setup: (root) => {
            makeVenv(path.join(root, "shop", ".venv"));
            writeFileSync(path.join(root, "shop", file[0]), file[1]);
          },
          env: { SHELL: `/usr/bin/${shell}`, ...toolEnv },
        });
        const shop = path.join(w.root, "shop");
        const env = path.join(shop, ".venv");
        expect(w.venvhook("allow", shop).status).toBe(0);
        const before = await w.path();
        await w.cd(shop);
        const mark = w.s.mark();
        await w.s.type(`${tool} shell`);
        // The tool starts Python, then the shell: a generous bound on a hang.
        await showsPrompt("(.venv) vh>", 30_000);
        expect(await w.get("VIRTUAL_ENV")).toBe(env);
        await w.cd(w.root);
        expect(await w.get("VIRTUAL_ENV")).toBe(env);
        await w.s.run("deactivate");
        expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
        expect(await w.path()).toBe(before);
        await showsPrompt("vh>");
        expect(w.s.screen({ since: mark })).not.toMatch(/Unknown command|call stack|venvhook:/);
        await w.s.type("exit");
        await showsPrompt("(shop) vh>", 10_000);
      });
    }
  });
}
