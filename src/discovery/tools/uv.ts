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
  const targetParts = parts(target, path.sep).map(codePoints);
  return globs.some((glob) => {
    if (typeof glob !== "string" || glob === "") return false;
    const full = path.isAbsolute(glob) ? parts(glob, path.sep) : [...parts(base, path.sep), ...parts(glob, path.sep)];
    // uv joins the glob to the root without normalising: a `..` can never equal a member's path.
    if (full.includes("..")) return false;
    const pattern = folderPattern(full);
    return pattern !== undefined && matchSegments(pattern, targetParts, matchesName);
  });
}

function parts(file: string, sep: string): string[] {
  return file.split(sep === "\\" ? /[\\/]/ : "/").filter((part) => part !== "" && part !== ".");
}

function codePoints(text: string): string[] {
  const points: string[] = [];
  for (const point of text) points.push(point);
  return points;
}

// The glob crate's patterns (rust-lang/glob src/lib.rs, Pattern::new, 0.3),
// as uv 0.5's glob() walk meets them: one folder name at a time, `**` a whole
// name standing for any number of folders. Matched without backtracking: the
// parts between wildcards have fixed lengths, so taking each at its leftmost
// place is enough, and a match costs at most (names in the path)^2 name
// matches, each at most (letters in the name)^2, whatever the glob holds.

/** One letter of a name: itself, `?`, or a `[...]` set. */
type Letter = string | { any: true } | { negated: boolean; ranges: Array<[string, string]> };
/** A glob between its wildcards (`*` in a name, `**` in a path). */
type Segments<T> = T[][];

/** A glob's folder names, split at `**`; undefined when the glob crate would refuse it. */
function folderPattern(names: string[]): Segments<Segments<Letter>> | undefined {
  const segments: Segments<Segments<Letter>> = [[]];
  for (const name of names) {
    if (name === "**") {
      // Consecutive `**` are one (the glob crate collapses them too).
      if (segments[segments.length - 1]!.length > 0 || segments.length === 1) segments.push([]);
      continue;
    }
    const pattern = namePattern(name);
    if (!pattern) return undefined;
    segments[segments.length - 1]!.push(pattern);
  }
  return segments;
}

/** One folder name's pattern, split at `*`; undefined when invalid (`**` inside a name, `***`, an unclosed `[`). */
function namePattern(name: string): Segments<Letter> | undefined {
  const chars = codePoints(name);
  const segments: Segments<Letter> = [[]];
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!;
    if (c === "*") {
      if (chars[i + 1] === "*") return undefined;
      segments.push([]);
      i++;
    } else if (c === "?") {
      segments[segments.length - 1]!.push({ any: true });
      i++;
    } else if (c === "[") {
      // A `]` right after `[` or `[!` is one of the set.
      const negated = chars[i + 1] === "!";
      const first = negated ? i + 2 : i + 1;
      const close = chars.indexOf("]", first + 1);
      if (first >= chars.length || close < 0) return undefined;
      segments[segments.length - 1]!.push({ negated, ranges: ranges(chars.slice(first, close)) });
      i = close + 1;
    } else {
      segments[segments.length - 1]!.push(c);
      i++;
    }
  }
  return segments;
}

/** `a-z` is a range, a `-` first or last is itself. */
function ranges(set: string[]): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (let i = 0; i < set.length; ) {
    if (i + 2 < set.length && set[i + 1] === "-") {
      found.push([set[i]!, set[i + 2]!]);
      i += 3;
    } else {
      found.push([set[i]!, set[i]!]);
      i++;
    }
  }
  return found;
}

function matchesName(pattern: Segments<Letter>, name: string[]): boolean {
  return matchSegments(pattern, name, matchesLetter);
}

function matchesLetter(letter: Letter, c: string): boolean {
  if (typeof letter === "string") return letter === c;
  if ("any" in letter) return true;
  // Ranges compare code points, as Rust's chars do.
  const point = c.codePointAt(0)!;
  let inSet = false;
  for (const [low, high] of letter.ranges) if (point >= low.codePointAt(0)! && point <= high.codePointAt(0)!) inSet = true;
  return inSet !== letter.negated;
}

/**
 * Whether `items` is the segments with anything between them: the first at
 * the start, the last at the end, each other at its leftmost place after the
 * one before. Each item is looked at a bounded number of times: no backtracking.
 */
function matchSegments<P, T>(segments: Segments<P>, items: T[], matches: (pattern: P, item: T) => boolean): boolean {
  const at = (segment: P[], start: number) => {
    for (let k = 0; k < segment.length; k++) if (!matches(segment[k]!, items[start + k]!)) return false;
    return true;
  };
  const first = segments[0]!;
  if (segments.length === 1) return first.length === items.length && at(first, 0);
  const last = segments[segments.length - 1]!;
  const end = items.length - last.length;
  if (end < first.length || !at(first, 0) || !at(last, end)) return false;
  let next = first.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s]!;
    let start = next;
    while (start + segment.length <= end && !at(segment, start)) start++;
    if (start + segment.length > end) return false;
    next = start + segment.length;
  }
  return true;
}
