// Hatch keeps a project's default env in {data}/env/virtual/{name}/{hash8}/{name},
// hash8 of the project root's path. Follows pypa/hatch src/hatch/env/virtual.py
// (VirtualEnvironment.__init__: the path option, the flat layout when the
// env folder is inside the project or is ~/.virtualenvs), src/hatch/cli/application.py
// (get_env_directory: dirs.env.virtual, relative to the project),
// src/hatch/cli/__init__.py (HATCH_DATA_DIR, dirs.data), src/hatch/config/user.py
// (HATCH_CONFIG, platformdirs "hatch") and src/hatch/project/core.py (the root:
// the nearest pyproject.toml or setup.py), Hatch 1.x; the name as hatchling
// normalises it. Hatch's own project settings come from hatch.toml over [tool.hatch].
import { pathHash8 } from "../../store/central.ts";
import {
  envAt,
  expandUser,
  fromCwd,
  expandVars,
  get,
  getString,
  isInside,
  isOneFolderName,
  isTable,
  readToml,
  userDir,
  variable,
  type Outcome,
  type Table,
  type ToolContext,
} from "./context.ts";

/** The default env of the Hatch project rooted here (it has [tool.hatch] or a hatch.toml). */
export function hatchEnv(ctx: ToolContext, root: string, pyproject: Table | undefined): Outcome {
  const { path } = ctx.s.platform;
  const hatchToml = readToml(ctx, path.join(root, "hatch.toml"));
  if (!hatchToml && !isTable(get(pyproject, "tool", "hatch"))) return undefined;
  const raw = pyproject ? getString(pyproject, "project", "name") : path.basename(root);
  if (raw === undefined) return "no env";
  const name = raw.replace(/[-_.]+/g, "-").toLowerCase();
  if (!isOneFolderName(name)) return "no env";
  const settings = get(hatchToml, "envs", "default") ?? get(pyproject, "tool", "hatch", "envs", "default");
  if ((getString(settings, "type") ?? "virtual") !== "virtual") return undefined;

  const real = ctx.realpath(root);
  if (real === undefined) return undefined;
  const chosen = variable(ctx, "HATCH_ENV_TYPE_VIRTUAL_PATH") ?? getString(settings, "path");
  if (chosen) {
    const env = path.resolve(root, chosen);
    // A path from the project's own files may only lead into the project.
    if (chosen !== variable(ctx, "HATCH_ENV_TYPE_VIRTUAL_PATH") && !isInside(ctx, env, root)) return "no env";
    const config = envAt(ctx, env);
    return config ? { env, config, rule: `the default env's path, ${chosen}` } : "no env";
  }

  const { dir, from } = virtualDir(ctx, root);
  const realDir = ctx.realpath(dir) ?? dir;
  const flat = (realDir !== real && isInside(ctx, realDir, real)) || dir === path.join(ctx.s.home, ".virtualenvs");
  const env = flat ? path.join(dir, name) : path.join(dir, name, pathHash8(real), name);
  const config = envAt(ctx, env);
  const rule = flat ? "{env folder}/{name}" : "{env folder}/{name}/{hash of the project's path}/{name}";
  return config ? { env, config, rule: `${rule}, env folder ${from}` } : "no env";
}

/** Where Hatch keeps virtual envs: dirs.env.virtual from Hatch's config.toml, else {data}/env/virtual. */
function virtualDir(ctx: ToolContext, root: string): { dir: string; from: string } {
  const { path } = ctx.s.platform;
  const configFile = variable(ctx, "HATCH_CONFIG") ?? path.join(userDir(ctx, "config", "hatch"), "config.toml");
  const config = readToml(ctx, configFile);
  const expand = (value: string) => expandUser(ctx, expandVars(ctx, value));
  const configured = getString(config, "dirs", "env", "virtual");
  if (configured) return { dir: path.resolve(root, expand(configured)), from: `${configured} (dirs.env.virtual)` };
  const fromVariable = variable(ctx, "HATCH_DATA_DIR");
  const data = expand(fromVariable ?? getString(config, "dirs", "data") ?? userDir(ctx, "data", "hatch"));
  const dir = fromCwd(ctx, data, "env", "virtual");
  return { dir, from: fromVariable ? `in HATCH_DATA_DIR` : "in Hatch's data folder" };
}
