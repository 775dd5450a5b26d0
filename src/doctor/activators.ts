// Other tools that activate envs by folder or at start-up, and so fight
// venvhook over VIRTUAL_ENV and PATH here.
import path from "node:path";
import { foreignEnv } from "../activation/plan.ts";
import { upFrom } from "../discovery/venv.ts";
import { readHead } from "../shared/fs-quiet.ts";
import { problem, type Finding } from "./finding.ts";
import { configHome, findLine, homeOf, tilde, type RcFile } from "./rcfiles.ts";

/** Far larger than any .envrc, mise.toml or .condarc. */
const READ_LIMIT = 1 << 20;

/** An .envrc line that activates a venv: direnv's stdlib layouts for Python, an activate script, or VIRTUAL_ENV set by hand. */
const DIRENV_ACTIVATES = /^\s*(?:layout(?:\s+|_)(?:python3?|pyenv|uv|poetry|pipenv|pdm|hatch|anaconda)\b|(?:source|\.)\s+\S*activate\b|(?:export\s+)?VIRTUAL_ENV=)/;

/** mise's venv activation: `_.python.venv = ...`, `_.python = { venv = ... }`, or an `[env._.python]` table. */
const MISE_VENV = /_\.python\.venv\b|_\.python\s*=\s*\{[^}]*\bvenv\b|^\s*\[env\._\.python\]/;

/** mise's project config files, in a folder (mise reads them all from here up). */
const MISE_FILES = ["mise.toml", ".mise.toml", "mise.local.toml", ".mise.local.toml", ".config/mise.toml", ".config/mise/config.toml", "mise/config.toml", ".mise/config.toml"];

export function activatorFindings(env: NodeJS.ProcessEnv, cwd: string, files: RcFile[]): Finding[] {
  return [foreign(env), direnv(cwd, env), mise(cwd, env), autoswitch(env, files), pyenvVirtualenv(env, files), conda(env, files)].filter(
    (finding): finding is Finding => finding !== undefined,
  );
}

function foreign(env: NodeJS.ProcessEnv): Finding | undefined {
  const active = foreignEnv(env);
  if (!active) return undefined;
  // A stock activate script saves PATH in _OLD_VIRTUAL_PATH (the hook passes it on) and defines deactivate.
  const fix = env._OLD_VIRTUAL_PATH ? "run 'deactivate'" : "take out what sets it (an rc file, direnv, mise), or unset it";
  return problem("activator", `VIRTUAL_ENV is ${active}, from your own activation: venvhook stands aside while it is on`, fix);
}

/** The nearest .envrc, the one direnv loads. */
function direnv(cwd: string, env: NodeJS.ProcessEnv): Finding | undefined {
  for (const dir of upFrom(cwd)) {
    const file = path.join(dir, ".envrc");
    const text = readHead(file, READ_LIMIT);
    if (text === undefined) continue;
    const lines = text.split(/\r?\n/);
    const at = lines.findIndex((line) => DIRENV_ACTIVATES.test(line));
    if (at < 0) return undefined;
    const shown = tilde(file, homeOf(env));
    return problem(
      "activator",
      `${shown} activates a venv (line ${at + 1}: ${lines[at]!.trim()}); with direnv's hook, direnv and venvhook both set VIRTUAL_ENV`,
      `take that line out of ${shown} and let venvhook activate the project's .venv`,
    );
  }
  return undefined;
}

function mise(cwd: string, env: NodeJS.ProcessEnv): Finding | undefined {
  const home = homeOf(env);
  const global = path.join(configHome(env), "mise", "config.toml");
  const candidates = [...[...upFrom(cwd)].flatMap((dir) => MISE_FILES.map((name) => path.join(dir, name))), global];
  for (const file of candidates) {
    const text = readHead(file, READ_LIMIT);
    if (text === undefined) continue;
    const at = text.split(/\r?\n/).findIndex((line) => MISE_VENV.test(line));
    if (at < 0) continue;
    const shown = tilde(file, home);
    return problem(
      "activator",
      `${shown} has mise activate a venv (_.python.venv, line ${at + 1}); with mise's hook, mise and venvhook both set VIRTUAL_ENV`,
      `take _.python.venv out of ${shown} and let venvhook activate the project's .venv`,
    );
  }
  return undefined;
}

/** zsh-autoswitch-virtualenv exports AUTOSWITCH_VERSION when it loads. */
function autoswitch(env: NodeJS.ProcessEnv, files: RcFile[]): Finding | undefined {
  const rc = findLine(files, /autoswitch[-_]virtualenv/);
  if (env.AUTOSWITCH_VERSION === undefined && !rc) return undefined;
  const where = rc ? `${rc.rc.shown}, line ${rc.line}` : "AUTOSWITCH_VERSION is set";
  return problem("activator", `zsh-autoswitch-virtualenv is loaded (${where}); it activates .venv folders too`, `remove it from ${rc?.rc.shown ?? "~/.zshrc"} (its plugins=(...) entry or source line)`);
}

/** `pyenv virtualenv-init` exports PYENV_VIRTUALENV_INIT=1 and activates the env a .python-version names. */
function pyenvVirtualenv(env: NodeJS.ProcessEnv, files: RcFile[]): Finding | undefined {
  const rc = findLine(files, /\bpyenv\s+virtualenv-init\b/);
  if (env.PYENV_VIRTUALENV_INIT !== "1" && !rc) return undefined;
  const where = rc ? `${rc.rc.shown}, line ${rc.line}` : "PYENV_VIRTUALENV_INIT is set";
  return problem(
    "activator",
    `pyenv-virtualenv's auto-activation is on (${where}); it activates the env a .python-version names`,
    `remove the 'pyenv virtualenv-init' line from ${rc?.rc.shown ?? "your rc file"} (pyenv's shims work without it)`,
  );
}

/** conda activates its base env in every shell unless a .condarc turns auto_activate_base off. */
function conda(env: NodeJS.ProcessEnv, files: RcFile[]): Finding | undefined {
  const rc = findLine(files, /conda initialize|\bconda\.sh\b|\bconda\s+shell\./);
  if (!env.CONDA_EXE && !rc) return undefined;
  const home = homeOf(env);
  const condarcs = [env.CONDARC, path.join(home, ".condarc"), path.join(home, ".config", "conda", ".condarc"), path.join(home, ".config", "conda", "condarc"), path.join(home, ".conda", ".condarc"), path.join(home, ".conda", "condarc")];
  const off = condarcs.some((file) => file && /^\s*auto_activate(?:_base)?\s*:\s*false\b/m.test(readHead(file, READ_LIMIT) ?? ""));
  if (off) return undefined;
  return problem("activator", `conda activates its base env in every new shell (auto_activate_base is on${rc ? `; conda is set up in ${rc.rc.shown}, line ${rc.line}` : ""})`, "run 'conda config --set auto_activate_base false'");
}
