// Envs that tools keep for their projects, found by computing where each tool
// keeps them (never by running the tool). discover() walks up from a folder:
// in each folder the `.venv` first, then, where a project's root is, the tools'
// rules in order: uv, Poetry, Pipenv, Hatch, PDM. Each tool looks where it
// would itself: the nearest pyproject.toml (Hatch: or setup.py) is the
// project for uv, Poetry, Hatch and PDM; Pipenv's is the nearest Pipfile
// within its search depth. A rule that finds no env lets the walk go on.
import type { Env } from "../../activation/plan.ts";
import { findEnv, here, type Found, type ProjectRules, type Surroundings, type Tool } from "../venv.ts";
import type { Notice } from "../explain.ts";
import { namesIn, realpathOrUndefined } from "../../shared/fs-quiet.ts";
import { configFile } from "../../shared/paths.ts";
import type { ToolsSetting } from "../../shared/config.ts";
import { get, isTable, readToml, TOML_BUDGET, type Outcome, type Table, type ToolContext, type ToolEnv } from "./context.ts";
import { hatchEnv } from "./hatch.ts";
import type { Memo, RulesOutcome } from "./memo.ts";
import { pdmEnv } from "./pdm.ts";
import { pipenvEnv, pipenvSearches } from "./pipenv.ts";
import { poetryEnv } from "./poetry.ts";
import { uvEnv } from "./uv.ts";

export const TOOL_NAMES: Record<Tool, string> = { uv: "uv", poetry: "Poetry", pipenv: "Pipenv", hatch: "Hatch", pdm: "PDM" };
/** What makes the env, for a project that has none yet. */
export const TOOL_COMMANDS: Record<Tool, string> = {
  uv: "uv sync",
  poetry: "poetry install",
  pipenv: "pipenv install",
  hatch: "hatch env create",
  pdm: "pdm install",
};

export interface Discovery {
  found?: Found;
  /** When nothing is found: the nearest tool's project on the way, whose env is not made yet. */
  expected?: { tool: Tool; project: string };
  /** Files that could not be read, and the like: to say once. */
  problems: Notice[];
}

/** This machine's tool context for a walk from `cwd`. */
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
  const rules = new Rules(ctx, config, memo);
  const found = await findEnv(ctx.cwd, rules, ctx.s);
  const discovery: Discovery = { problems: ctx.problems };
  if (found) discovery.found = found;
  else if (rules.expected) discovery.expected = rules.expected;
  return discovery;
}

class Rules implements ProjectRules {
  expected: Discovery["expected"];
  private setting: ToolsSetting | undefined;
  private pyprojectSeen = false;
  private hatchRootSeen = false;
  private pipfileSeen = false;

  constructor(
    private readonly ctx: ToolContext,
    private readonly config: string,
    private readonly memo: Memo | undefined,
  ) {}

  async at(dir: string): Promise<Found | undefined> {
    const { path } = this.ctx.s.platform;
    const isFile = (name: string) => this.ctx.s.stat(path.join(dir, name))?.isFile() === true;
    const pyproject = !this.pyprojectSeen && isFile("pyproject.toml");
    const setupPy = !this.hatchRootSeen && !pyproject && isFile("setup.py");
    const pipfile = !this.pipfileSeen && pipenvSearches(this.ctx, dir) && isFile("Pipfile");
    if (!pyproject && !setupPy && !pipfile) return undefined;
    this.pyprojectSeen ||= pyproject;
    this.hatchRootSeen ||= pyproject || setupPy;
    this.pipfileSeen ||= pipfile;

    const project: Project = { dir, pyproject, setupPy, pipfile };
    const flags = `${+pyproject}${+setupPy}${+pipfile}`;
    let outcome = this.memo?.recall(this.ctx, dir, flags);
    if (!outcome) {
      // Noted before it is read, like every input: a change in between is then seen next time.
      const recording = this.memo?.record(this.ctx, dir, flags);
      recording?.note(this.config);
      const setting = await this.load();
      outcome = evaluate(recording?.ctx ?? { ...this.ctx, problems: [] }, project, setting);
      recording?.keep(outcome);
    }
    // The config's problem may come with each project's outcome: pass each on once.
    for (const problem of outcome.problems) if (!hasKey(this.ctx.problems, problem.key)) this.ctx.problems.push(problem);
    this.expected ??= outcome.expected;
    return outcome.found;
  }

  /** The TOML parser and which rules are on, once per walk, when the first project is met. */
  private async load(): Promise<ToolsSetting> {
    if (this.setting) return this.setting;
    const { parseToml } = await import("../../shared/toml.ts");
    this.ctx.parseToml = parseToml;
    const { toolsSetting } = await import("../../shared/config.ts");
    this.setting = toolsSetting(this.config);
    return this.setting;
  }
}

/** The rules that apply to a project folder, in order, until one finds an env. */
function evaluate(ctx: ToolContext, { dir, pyproject, setupPy, pipfile }: Project, setting: ToolsSetting): RulesOutcome {
  const { path } = ctx.s.platform;
  const outcome: RulesOutcome = { problems: ctx.problems };
  // Per project, not per walk: a kept outcome then depends only on what the project's rules read.
  ctx.tomlLeft = TOML_BUDGET;
  if (setting.problem) ctx.problems.push({ key: `config\0${setting.problem}`, text: setting.problem });
  const data = pyproject ? readToml(ctx, path.join(dir, "pyproject.toml")) : undefined;
  const rules: Array<[Tool, () => Outcome]> = [];
  if (data) {
    rules.push(["uv", () => uvEnv(ctx, dir, data)], ["poetry", () => poetryEnv(ctx, dir, data)]);
  }
  if (pipfile) rules.push(["pipenv", () => pipenvEnv(ctx, dir)]);
  if (data || setupPy) rules.push(["hatch", () => hatchEnv(ctx, dir, data)]);
  if (data) rules.push(["pdm", () => pdmEnv(ctx, dir, isPdm(data) || ctx.s.stat(path.join(dir, "pdm.lock"))?.isFile() === true)]);

  for (const [tool, rule] of rules) {
    if (!setting.enabled[tool]) continue;
    const found = rule();
    if (found === "no env") outcome.expected ??= { tool, project: dir };
    else if (found) {
      outcome.found = foundBy(tool, dir, found);
      break;
    }
  }
  return outcome;
}

interface Project {
  dir: string;
  pyproject: boolean;
  setupPy: boolean;
  pipfile: boolean;
}

function hasKey(notices: readonly Notice[], key: string): boolean {
  for (const notice of notices) if (notice.key === key) return true;
  return false;
}

function isPdm(pyproject: Table): boolean {
  return isTable(get(pyproject, "tool", "pdm"));
}

function foundBy(tool: Tool, project: string, found: ToolEnv): Found {
  const managed = { tool, project, rule: found.rule };
  if (!found.pointer) return { kind: "env", venv: found.env, env: found.env, config: found.config, managed };
  const pointer = { text: found.pointer.text, target: found.env };
  return { kind: "env", venv: found.pointer.file, env: found.env, config: found.config, pointer, managed };
}
