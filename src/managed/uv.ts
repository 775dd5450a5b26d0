// uv: a project's env is `.venv` in its workspace root, or UV_PROJECT_ENVIRONMENT
// (absolute, or relative to the workspace root). The workspace root is the
// project itself, or the first pyproject.toml above it when that one has
// [tool.uv.workspace] whose `members` globs match the project and whose
// `exclude` globs do not. Follows astral-sh/uv crates/uv-workspace/src/workspace.rs
// (Workspace::venv, find_workspace, is_included_in_workspace,
// is_excluded_from_workspace; uv 0.5). A project counts as uv's when its
// workspace root has uv.lock or either pyproject.toml has [tool.uv]: any
// [project] could be run by uv, but only those are known to be.
import { envAt, exists, get, isTable, readToml, variable, type Outcome, type Table, type ToolContext } from "./context.ts";

export function uvEnv(ctx: ToolContext, root: string, pyproject: Table): Outcome {
  if (get(pyproject, "tool", "uv", "managed") === false) return undefined;
  const workspace = workspaceOf(ctx, root, pyproject);
  if (!workspace) return undefined;
  const { path } = ctx.s.platform;
  const isUv = exists(ctx, path.join(workspace.root, "uv.lock")) || get(pyproject, "tool", "uv") !== undefined || get(workspace.pyproject, "tool", "uv") !== undefined;
  if (!isUv) return undefined;
  const setting = variable(ctx, "UV_PROJECT_ENVIRONMENT");
  const env = setting ? path.resolve(workspace.root, setting) : path.join(workspace.root, ".venv");
  const config = envAt(ctx, env);
  if (!config) return "no env";
  const where = workspace.root === root ? "the project" : `the workspace root ${workspace.root}`;
  const rule = setting
    ? `UV_PROJECT_ENVIRONMENT=${setting}${path.isAbsolute(setting) ? "" : `, relative to ${where}`}`
    : `.venv in ${where}`;
  return { env, config, rule };
}

interface Workspace {
  root: string;
  pyproject: Table;
}

/** The project's workspace root; undefined where uv would refuse (neither a workspace nor a project). */
function workspaceOf(ctx: ToolContext, root: string, pyproject: Table): Workspace | undefined {
  if (isTable(get(pyproject, "tool", "uv", "workspace"))) return { root, pyproject };
  if (!isTable(get(pyproject, "project"))) return undefined;
  const { path } = ctx.s.platform;
  // Only the first pyproject.toml above counts: a project inside another project is its own workspace.
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "pyproject.toml");
    if (ctx.s.stat(file)?.isFile()) {
      const above = readToml(ctx, file);
      const definition = get(above, "tool", "uv", "workspace");
      if (above && isTable(definition) && matchesAny(ctx, definition.members, dir, root) && !matchesAny(ctx, definition.exclude, dir, root)) {
        return { root: dir, pyproject: above };
      }
      return { root, pyproject };
    }
    if (path.dirname(dir) === dir) return { root, pyproject };
  }
}

/** Whether one of the globs (relative to `base`, or absolute) names `target`. */
function matchesAny(ctx: ToolContext, globs: unknown, base: string, target: string): boolean {
  if (!Array.isArray(globs)) return false;
  const { path } = ctx.s.platform;
  const targetParts = parts(target, path.sep);
  return globs.some((glob) => {
    if (typeof glob !== "string" || glob === "") return false;
    const full = path.isAbsolute(glob) ? parts(glob, path.sep) : [...parts(base, path.sep), ...parts(glob, path.sep)];
    // uv joins the glob to the root without normalising: a `..` can never equal a member's path.
    return !full.includes("..") && matchParts(full, targetParts);
  });
}

function parts(file: string, sep: string): string[] {
  return file.split(sep === "\\" ? /[\\/]/ : "/").filter((part) => part !== "" && part !== ".");
}

/** The glob crate's matching, one path component at a time: `**` is any number of folders. */
function matchParts(pattern: string[], target: string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return target.length === 0;
  if (head === "**") return target.some((_, i) => matchParts(rest, target.slice(i))) || matchParts(rest, []);
  return target.length > 0 && componentRegex(head).test(target[0]!) && matchParts(rest, target.slice(1));
}

function componentRegex(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negated = body.startsWith("!");
      if (negated) body = body.slice(1);
      source += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "su");
}
