// Pipenv keeps a project's env in {WORKON_HOME}/{folder}-{hash8}, the folder
// being the Pipfile's (sanitised, cut to 42) and hash8 the first 6 bytes of
// sha256 of the Pipfile's real path, in urlsafe base64. Follows pypa/pipenv
// pipenv/utils/venv_locator.py (VenvLocator: _sanitize, _get_virtualenv_hash,
// name, get_location, is_venv_in_project with the Pipfile's [pipenv]
// venv_in_project), pipenv/utils/shell.py (get_workon_home),
// pipenv/utils/pipfile.py (find_pipfile) and pipenv/environments.py
// (PIPENV_MAX_DEPTH, PIPENV_NO_INHERIT), 2025; Debian's 2022.12.19 names envs
// the same way.
import { pathHash8 } from "../../store/central.ts";
import { envAt, expandUser, fromCwd, expandVars, firstCodePoints, get, isOneFolderName, readToml, variable, type Outcome, type ToolContext } from "./context.ts";

/**
 * Whether Pipenv, run in `cwd`, looks for a Pipfile in `dir`: the folder and
 * PIPENV_MAX_DEPTH - 1 parents (3 folders by default; only the folder itself
 * under PIPENV_NO_INHERIT).
 */
export function pipenvSearches(ctx: ToolContext, dir: string): boolean {
  const { path } = ctx.s.platform;
  const configured = Number.parseInt(ctx.vars.PIPENV_MAX_DEPTH ?? "", 10);
  // Any value but a false one turns PIPENV_NO_INHERIT on.
  const noInherit = Boolean(ctx.vars.PIPENV_NO_INHERIT) && envFlag(ctx, "PIPENV_NO_INHERIT", false) !== false;
  const folders = noInherit ? 1 : Number.isNaN(configured) ? 3 : configured;
  let depth = 1;
  for (let at = ctx.cwd; at !== dir; at = path.dirname(at)) {
    if (path.dirname(at) === at) return false;
    depth++;
  }
  return depth <= folders;
}

/** The env of the project whose Pipfile is in `root`. */
export function pipenvEnv(ctx: ToolContext, root: string): Outcome {
  const { path } = ctx.s.platform;
  const pipfile = ctx.realpath(path.join(root, "Pipfile"));
  if (pipfile === undefined) return undefined;
  // In-project: the env is the project's .venv, which the walk has looked at already.
  const inProject = envFlag(ctx, "PIPENV_VENV_IN_PROJECT", true) ?? get(readToml(ctx, pipfile), "pipenv", "venv_in_project");
  if (inProject === true) return "no env";

  const workon = workonHome(ctx);
  const custom = variable(ctx, "PIPENV_CUSTOM_VENV_NAME");
  const name = custom ?? pipenvEnvName(pipfile, ctx);
  if (!isOneFolderName(name)) return "no env";
  const env = path.join(workon, name);
  const config = envAt(ctx, env);
  if (!config) return "no env";
  const rule = custom ? `{WORKON_HOME}/PIPENV_CUSTOM_VENV_NAME` : `{WORKON_HOME}/{folder}-{hash of the Pipfile's path}`;
  return { env, config, rule: `${rule}, WORKON_HOME ${workon}` };
}

/** {folder}-{hash8}[-{PIPENV_PYTHON}] for the Pipfile at this real path. */
export function pipenvEnvName(pipfile: string, ctx: ToolContext): string {
  const { path } = ctx.s.platform;
  const folder = path.basename(path.dirname(pipfile));
  const sanitised = firstCodePoints(folder.replace(/[ &$`!*@"()[\]\\\r\n\t]/g, "_"), 42);
  const python = variable(ctx, "PIPENV_PYTHON");
  const suffix = python === undefined ? "" : `-${path.isAbsolute(python) ? path.basename(python) : python}`;
  return `${sanitised}-${pathHash8(pipfile)}${suffix}`;
}

/** WORKON_HOME (with $VARS and ~ expanded), else ~/.virtualenvs on Windows, else $XDG_DATA_HOME/virtualenvs or ~/.local/share/virtualenvs. */
function workonHome(ctx: ToolContext): string {
  const { path } = ctx.s.platform;
  const setting = variable(ctx, "WORKON_HOME") ?? (ctx.os === "win32" ? "~/.virtualenvs" : path.join(ctx.vars.XDG_DATA_HOME ?? "~/.local/share", "virtualenvs"));
  return fromCwd(ctx, expandUser(ctx, expandVars(ctx, setting)));
}

/** A PIPENV_ boolean as Pipenv reads it (1/true/yes/on, 0/false/no/off), or its PIPENV_NO_ negation. */
function envFlag(ctx: ToolContext, name: string, negatable: boolean): boolean | undefined {
  const truth = (value: string | undefined) => {
    const lower = value?.toLowerCase();
    return lower === undefined ? undefined : ["1", "true", "yes", "on"].includes(lower) ? true : ["0", "false", "no", "off"].includes(lower) ? false : undefined;
  };
  const positive = truth(ctx.vars[name]);
  if (positive !== undefined || !negatable) return positive;
  const negative = truth(ctx.vars[name.replace(/^PIPENV_/, "PIPENV_NO_")]);
  return negative === undefined ? undefined : !negative;
}
