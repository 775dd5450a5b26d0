// Other activators that would fight venvhook: each found from the files it
// reads or the variables it exports, with the fix.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { activatorFindings } from "../../../src/doctor/activators.ts";
import type { RcFile } from "../../../src/doctor/rcfiles.ts";

let home: string;
let project: string;
beforeEach(() => {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-act-")));
  onTestFinished(() => rmSync(base, { recursive: true, force: true }));
  home = path.join(base, "home");
  project = path.join(base, "work", "proj");
  mkdirSync(path.join(project, "src"), { recursive: true });
  mkdirSync(home);
});

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const texts = (env: NodeJS.ProcessEnv, files: RcFile[] = [], cwd = path.join(project, "src")) =>
  activatorFindings({ HOME: home, ...env }, cwd, files).map(({ text, fix }) => `${text}; ${fix}`);
const zshrc = (lines: string[]): RcFile => ({ shell: "zsh", file: path.join(home, ".zshrc"), shown: "~/.zshrc", lines });

describe("other activators", () => {
  it("finds none in a plain folder", () => {
    expect(texts({})).toEqual([]);
  });

  it("a VIRTUAL_ENV that is not venvhook's: deactivate when an activate script set it", () => {
    expect(texts({ VIRTUAL_ENV: "/e/.venv", _OLD_VIRTUAL_PATH: "/usr/bin" })).toEqual([
      "VIRTUAL_ENV is /e/.venv, from your own activation: venvhook stands aside while it is on; run 'deactivate'",
    ]);
    expect(texts({ VIRTUAL_ENV: "/e/.venv" })).toEqual([
      "VIRTUAL_ENV is /e/.venv, from your own activation: venvhook stands aside while it is on; take out what sets it (an rc file, direnv, mise), or unset it",
    ]);
  });

  it("only the nearest .envrc, direnv's, and only when it activates", () => {
    write(path.join(project, "..", ".envrc"), "layout python\n");
    write(path.join(project, ".envrc"), "dotenv\n");
    expect(texts({})).toEqual([]);
    write(path.join(project, ".envrc"), "dotenv\nsource .venv/bin/activate\n");
    expect(texts({})).toEqual([
      `${project}/.envrc activates a venv (line 2: source .venv/bin/activate); with direnv's hook, direnv and venvhook both set VIRTUAL_ENV; take that line out of ${project}/.envrc and let venvhook activate the project's .venv`,
    ]);
  });

  it("mise's _.python.venv in a project's config or the global one, in each of its spellings", () => {
    for (const [file, text, line] of [
      [path.join(project, "mise.toml"), '[env]\n_.python.venv = ".venv"\n', 2],
      [path.join(project, ".config", "mise", "config.toml"), '[env]\n_.python = { venv = { path = ".venv", create = true } }\n', 2],
      [path.join(home, ".config", "mise", "config.toml"), '[env._.python]\nvenv = ".venv"\n', 1],
    ] as const) {
      write(file, text);
      expect(texts({}), file).toEqual([expect.stringContaining(`has mise activate a venv (_.python.venv, line ${line})`)]);
      rmSync(file);
    }
    write(path.join(project, "mise.toml"), '[tools]\npython = "3.12"\n');
    expect(texts({})).toEqual([]);
  });

  it("zsh-autoswitch-virtualenv and pyenv-virtualenv, by their variables or their rc lines", () => {
    expect(texts({ AUTOSWITCH_VERSION: "3.9.0", PYENV_VIRTUALENV_INIT: "1" })).toEqual([
      "zsh-autoswitch-virtualenv is loaded (AUTOSWITCH_VERSION is set); it activates .venv folders too; remove it from ~/.zshrc (its plugins=(...) entry or source line)",
      "pyenv-virtualenv's auto-activation is on (PYENV_VIRTUALENV_INIT is set); it activates the env a .python-version names; remove the 'pyenv virtualenv-init' line from your rc file (pyenv's shims work without it)",
    ]);
    expect(texts({}, [zshrc(["plugins=(git autoswitch_virtualenv)", 'eval "$(pyenv virtualenv-init -)"'])])).toEqual([
      expect.stringContaining("zsh-autoswitch-virtualenv is loaded (~/.zshrc, line 1)"),
      expect.stringContaining("pyenv-virtualenv's auto-activation is on (~/.zshrc, line 2)"),
    ]);
  });

  it("conda's base in every shell, unless a .condarc turns auto_activate_base off", () => {
    expect(texts({ CONDA_EXE: "/opt/conda/bin/conda" })).toEqual([
      "conda activates its base env in every new shell (auto_activate_base is on); run 'conda config --set auto_activate_base false'",
    ]);
    write(path.join(home, ".condarc"), "channels:\n  - conda-forge\nauto_activate_base: false\n");
    expect(texts({ CONDA_EXE: "/opt/conda/bin/conda" })).toEqual([]);
    // Without conda set up, a .condarc says nothing.
    write(path.join(home, ".condarc"), "auto_activate_base: true\n");
    expect(texts({})).toEqual([]);
  });
});
