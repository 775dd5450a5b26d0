// PDM records the project's interpreter in .pdm-python (written by `pdm use`);
// without it, PDM reuses an env of the project: venv/ or env/ in the project
// (.venv is the walk's), else one of its named envs, {venv.location}/{folder}-{hash8}-{name},
// hash8 being urlsafe base64 of md5 of the root's path. Follows pdm-project/pdm
// src/pdm/project/core.py (_saved_python, resolve_interpreter),
// src/pdm/cli/commands/venv/utils.py (hash_path, get_venv_prefix, iter_venvs)
// and src/pdm/project/config.py (venv.location, platformdirs "pdm"), PDM 2.x.
import { printable, type Notice } from "../../shared/messages.ts";
import { md5 } from "../../shared/sha256.ts";
import { envAt, expandUser, fromCwd, getString, readToml, userDir, variable, type Outcome, type ToolContext } from "./context.ts";

/** The env of the PDM project rooted here: it has .pdm-python, [tool.pdm] or pdm.lock. */
export function pdmEnv(ctx: ToolContext, root: string, isPdm: boolean): Outcome {
  const { path } = ctx.s.platform;
  const saved = path.join(root, ".pdm-python");
  const text = ctx.s.stat(saved)?.isFile() ? ctx.s.readHead(saved, 4096) : undefined;
  if (text !== undefined) return savedInterpreter(ctx, saved, text);
  if (!isPdm) return undefined;

  for (const folder of ["venv", "env"]) {
    const env = path.join(root, folder);
    const config = envAt(ctx, env);
    if (config) return { env, config, rule: `${folder}/ in the project` };
  }
  const real = ctx.realpath(root);
  if (real === undefined) return "no env";
  const location = venvLocation(ctx);
  const prefix = `${path.basename(real)}-${md5(real.replace(/\\/g, "/"), "base64url").slice(0, 8)}-`;
  const named = ctx.list(location).filter((entry) => entry.startsWith(prefix)).sort();
  const envs = named.flatMap((entry) => {
    const env = path.join(location, entry);
    const config = envAt(ctx, env);
    return config ? [{ env, config }] : [];
  });
  if (envs.length > 1) {
    ctx.problems.push(severalNotice(path.basename(root), envs.map(({ env }) => path.basename(env))));
    return "no env";
  }
  const [only] = envs;
  return only ? { ...only, rule: `{venv.location}/{folder}-{hash of the project's path}-{name}, venv.location ${location}` } : "no env";
}

/** .pdm-python names an interpreter (absolute, in an env's bin/ or Scripts\); its env is trusted like a `.venv` pointer's. */
function savedInterpreter(ctx: ToolContext, file: string, text: string): Outcome {
  const { path } = ctx.s.platform;
  const line = text.split(/\r?\n/, 1)[0]!.trim();
  if (!line || line.includes("\0") || !path.isAbsolute(line)) return "no env";
  const interpreter = path.normalize(line);
  const bin = path.dirname(interpreter);
  if (path.basename(bin) !== ctx.s.platform.bin) return "no env";
  const env = path.dirname(bin);
  const config = envAt(ctx, env);
  return config ? { env, config, rule: "the interpreter in .pdm-python", pointer: { file, text: line } } : "no env";
}

/** venv.location from PDM's config.toml, else venvs/ in PDM's data folder. */
function venvLocation(ctx: ToolContext): string {
  const { path } = ctx.s.platform;
  // PDM names no app author, so platformdirs repeats the app's name on Windows.
  const author = ctx.os === "win32" ? { author: "pdm" } : {};
  const configFile = variable(ctx, "PDM_CONFIG_FILE") ?? path.join(userDir(ctx, "config", "pdm", author), "config.toml");
  const configured = getString(readToml(ctx, configFile), "venv", "location");
  return fromCwd(ctx, configured ? expandUser(ctx, configured) : path.join(userDir(ctx, "data", "pdm", author), "venvs"));
}

/** PDM would take the first that suits the project's Python; which one that is, only PDM can tell. */
function severalNotice(project: string, names: string[]): Notice {
  const text = `${printable(project)} has ${names.length} PDM envs (${names.map(printable).join(", ")}) and no .pdm-python; run 'pdm use' to choose one`;
  return { key: `pdm-several\0${text}`, text };
}
