// Poetry keeps a project's env in {virtualenvs.path}/{name}-{hash8}-py{X.Y}.
// Follows python-poetry/poetry src/poetry/utils/env/env_manager.py
// (generate_env_name, get, the envs.toml section per base name, in-project),
// src/poetry/config/config.py (settings, POETRY_* variables, {cache-dir}) and
// src/poetry/locations.py (platformdirs "pypoetry") as of Poetry 2.x, which
// read the name from [project] before [tool.poetry]; Poetry 1.3 (Debian's)
// names the env the same way from [tool.poetry].
import { pathHash8 } from "../../store/central.ts";
import { envAt, expandUser, firstCodePoints, get, getString, isTable, readToml, userDir, variable, type Outcome, type Table, type ToolContext } from "./context.ts";

/** Poetry's project file is the nearest pyproject.toml; it is Poetry's when it has [tool.poetry] or a poetry.lock beside it. */
export function poetryEnv(ctx: ToolContext, root: string, pyproject: Table): Outcome {
  const { path } = ctx.s.platform;
  if (!isTable(get(pyproject, "tool", "poetry")) && !ctx.s.stat(path.join(root, "poetry.lock"))?.isFile()) return undefined;
  const name = getString(pyproject, "project", "name") ?? getString(pyproject, "tool", "poetry", "name") ?? "non-package-mode";
  const real = ctx.realpath(root);
  if (real === undefined) return undefined;
  const base = poetryBaseName(name, real, ctx.os);
  if (base === undefined) return "no env";

  const settings = new Settings(ctx, root);
  // In-project: Poetry uses the project's .venv alone (the walk has looked there already). Not creating: no env.
  if (settings.flag("virtualenvs.in-project") === true || settings.flag("virtualenvs.create") === false) return "no env";
  const { dir, from } = settings.virtualenvsPath();

  const section = get(readToml(ctx, path.join(dir, "envs.toml")), base);
  const chosen = getString(section, "minor");
  const minor = chosen !== undefined && /^\d+\.\d+$/.test(chosen) ? chosen : undefined;
  const candidates = minor ? [minor] : versionsOf(ctx, dir, `${base}-py`);
  for (const version of candidates) {
    const env = path.join(dir, `${base}-py${version}`);
    const config = envAt(ctx, env);
    const why = minor ? `Python ${minor} from envs.toml` : "the newest of its envs";
    if (config) return { env, config, rule: `{virtualenvs.path}/{name}-{hash}-py{X.Y}, virtualenvs.path ${from}, ${why}` };
  }
  return "no env";
}

/**
 * {name}-{hash8}: the project name normalised (PEP 503), lower-cased, unsafe
 * characters to `_`, cut to 42 characters; hash8 of the project's real path
 * (normcase'd on Windows). Undefined for a name that could leave the folder.
 */
export function poetryBaseName(name: string, realRoot: string, os: ToolContext["os"]): string | undefined {
  const normalised = name.replace(/[-_.]+/g, "-").toLowerCase();
  const sanitised = firstCodePoints(normalised.replace(/[ $`!*@"\\\r\n\t]/g, "_"), 42);
  if (/[/\0]/.test(sanitised)) return undefined;
  const normcase = os === "win32" ? realRoot.replace(/\//g, "\\").toLowerCase() : realRoot;
  return `${sanitised}-${pathHash8(normcase)}`;
}

/** The X.Y suffixes of the envs named `{prefix}X.Y`, newest first. (Loops, not filter/map: each array builtin costs ~0.1 M instructions cold.) */
function versionsOf(ctx: ToolContext, dir: string, prefix: string): string[] {
  const found: Array<{ version: string; major: number; minor: number }> = [];
  for (const entry of ctx.list(dir)) {
    const version = entry.startsWith(prefix) ? entry.slice(prefix.length) : "";
    const match = /^(\d+)\.(\d+)$/.exec(version);
    if (match) found.push({ version, major: Number(match[1]), minor: Number(match[2]) });
  }
  found.sort((a, b) => b.major - a.major || b.minor - a.minor);
  const versions: string[] = [];
  for (const { version } of found) versions.push(version);
  return versions;
}

/** Poetry's settings: a POETRY_* variable, else the project's poetry.toml, else Poetry's config.toml, else the default. */
class Settings {
  private readonly local: Table | undefined;
  private readonly global: Table | undefined;

  constructor(
    private readonly ctx: ToolContext,
    private readonly root: string,
  ) {
    const { path } = ctx.s.platform;
    this.local = readToml(ctx, path.join(root, "poetry.toml"));
    const configDir = variable(ctx, "POETRY_CONFIG_DIR") ?? userDir(ctx, "config", "pypoetry", { roaming: true });
    this.global = readToml(ctx, path.join(configDir, "config.toml"));
  }

  private raw(key: string): { value: unknown; from: string } | undefined {
    const variableName = `POETRY_${key.toUpperCase().replace(/[.-]/g, "_")}`;
    const fromEnv = this.ctx.vars[variableName];
    if (fromEnv !== undefined) return { value: fromEnv, from: `from ${variableName}` };
    const keys = key.split(".");
    for (const [table, from] of [
      [this.local, "from poetry.toml"],
      [this.global, "from Poetry's config.toml"],
    ] as const) {
      const value = get(table, ...keys);
      if (value !== undefined) return { value, from };
    }
    return undefined;
  }

  /** A boolean setting (variables: "true" or "1" are true); undefined when unset or not a boolean. */
  flag(key: string): boolean | undefined {
    const setting = this.raw(key);
    if (typeof setting?.value === "boolean") return setting.value;
    if (typeof setting?.value === "string") return setting.value === "true" || setting.value === "1";
    return undefined;
  }

  private text(key: string): { value: string; from: string } | undefined {
    const setting = this.raw(key);
    return typeof setting?.value === "string" ? { value: setting.value, from: setting.from } : undefined;
  }

  /** virtualenvs.path with {cache-dir} filled in and `~` expanded; a relative one is taken from the project's root. */
  virtualenvsPath(): { dir: string; from: string } {
    const { path } = this.ctx.s.platform;
    const cacheDir = this.text("cache-dir")?.value ?? userDir(this.ctx, "cache", "pypoetry");
    const setting = this.text("virtualenvs.path") ?? { value: path.join("{cache-dir}", "virtualenvs"), from: "by default" };
    const value = expandUser(this.ctx, setting.value.replace(/\{cache-dir\}/g, cacheDir));
    return { dir: path.resolve(this.root, value), from: setting.from };
  }
}
