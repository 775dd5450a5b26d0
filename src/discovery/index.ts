// What env applies to a folder, and why: the one answer export, status and
// the other commands ask for. The walk goes from the folder up to the root;
// in each folder the `.venv` (./venv.ts) comes first, then, where a project's
// root is, the tools' rules in their order (./tools/). The nearest wins: a
// nearer project's tool-managed env beats a `.venv` further up.
import type { Env } from "../activation/plan.ts";
import { namesIn, realpathOrUndefined } from "../shared/fs-quiet.ts";
import type { Notice } from "../shared/messages.ts";
import { configFile } from "../shared/paths.ts";
import type { ToolContext } from "./tools/context.ts";
import { ToolRules } from "./tools/index.ts";
import type { Memo } from "./tools/memo.ts";
import type { Tool } from "./tools/names.ts";
import { here, upFrom, venvIn, type Found, type Surroundings } from "./venv.ts";

export interface Discovery {
  found?: Found;
  /** When nothing is found: the nearest tool's project on the way, whose env is not made yet. */
  expected?: { tool: Tool; project: string };
  /** Files that could not be read, and the like: to say once. */
  problems: Notice[];
}

/** This machine's context for a walk from `cwd`, with these environment variables. */
export function toolContext(cwd: string, vars: Env, s: Surroundings = here()): ToolContext {
  const os = process.platform === "win32" || process.platform === "darwin" ? process.platform : "linux";
  return {
    s,
    os,
    vars,
    cwd,
    realpath: realpathOrUndefined,
    list: namesIn,
    // Replaced by the TOML parser once a project is met (loading it costs on every cd otherwise).
    parseToml: () => {
      throw new Error("the TOML parser is not loaded");
    },
    problems: [],
  };
}

/**
 * What applies from ctx.cwd up: a `.venv` or a tool-managed env, with anything
 * worth saying. With a memo, what the rules found at a project is kept and
 * reused while nothing they read has changed (the hook's path; status asks afresh).
 */
export async function discover(ctx: ToolContext, config = configFile(), memo?: Memo): Promise<Discovery> {
  const rules = new ToolRules(ctx, config, memo);
  let found: Found | undefined;
  for (const dir of upFrom(ctx.cwd, ctx.s.platform)) {
    found = venvIn(dir, ctx.s) ?? (await rules.at(dir));
    if (found) break;
  }
  const discovery: Discovery = { problems: ctx.problems };
  if (found) discovery.found = found;
  else if (rules.expected) discovery.expected = rules.expected;
  return discovery;
}
