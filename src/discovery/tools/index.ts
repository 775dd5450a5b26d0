// The tools' rules, as one ordered list discover() consults at each project
// root on its walk: uv, Poetry, Pipenv, Hatch, PDM. Envs that tools keep are
// found by computing where each tool keeps them (never by running the tool).
// Each tool looks where it would itself: the nearest pyproject.toml (Hatch: or
// setup.py) is the project for uv, Poetry, Hatch and PDM; Pipenv's is the
// nearest Pipfile within its search depth. A rule that finds no env lets the walk go on.
import type { ToolsSetting } from "../../shared/config.ts";
import type { Notice } from "../../shared/messages.ts";
import type { Found } from "../venv.ts";
import { get, isTable, readToml, TOML_BUDGET, type Outcome, type Table, type ToolContext, type ToolEnv } from "./context.ts";
import { hatchEnv } from "./hatch.ts";
import type { Memo, RulesOutcome } from "./memo.ts";
import type { Tool } from "./names.ts";
import { pdmEnv } from "./pdm.ts";
import { pipenvEnv, pipenvSearches } from "./pipenv.ts";
import { poetryEnv } from "./poetry.ts";
import { uvEnv } from "./uv.ts";

/** A project root as the rules see it: which of the files that make one it has. */
interface Project {
  dir: string;
  pyproject: boolean;
  setupPy: boolean;
  pipfile: boolean;
}

interface Rule {
  tool: Tool;
  /** Whether the tool would call this folder its project. */
  applies(project: Project, data: Table | undefined): boolean;
  find(ctx: ToolContext, project: Project, data: Table | undefined): Outcome;
}

/**
 * The rules, in the order they apply: the first that finds an env wins. Made
 * when a project is met: built with the module, the list costs every cd (~20 k instructions).
 */
function rules(): readonly Rule[] {
  return [
    { tool: "uv", applies: (_, data) => data !== undefined, find: (ctx, { dir }, data) => uvEnv(ctx, dir, data!) },
    { tool: "poetry", applies: (_, data) => data !== undefined, find: (ctx, { dir }, data) => poetryEnv(ctx, dir, data!) },
    { tool: "pipenv", applies: ({ pipfile }) => pipfile, find: (ctx, { dir }) => pipenvEnv(ctx, dir) },
    { tool: "hatch", applies: ({ setupPy }, data) => data !== undefined || setupPy, find: (ctx, { dir }, data) => hatchEnv(ctx, dir, data) },
    {
      tool: "pdm",
      applies: (_, data) => data !== undefined,
      find: (ctx, { dir }, data) => pdmEnv(ctx, dir, isPdm(data!) || ctx.s.stat(ctx.s.platform.path.join(dir, "pdm.lock"))?.isFile() === true),
    },
  ];
}

/** The rules for the folders of one walk up; `at` is asked once per folder, nearest first. */
export class ToolRules {
  /** The nearest tool project met whose env is not made yet. */
  expected: RulesOutcome["expected"];
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
function evaluate(ctx: ToolContext, project: Project, setting: ToolsSetting): RulesOutcome {
  const outcome: RulesOutcome = { problems: ctx.problems };
  // Per project, not per walk: a kept outcome then depends only on what the project's rules read.
  ctx.tomlLeft = TOML_BUDGET;
  ctx.problems.push(...setting.problems);
  const data = project.pyproject ? readToml(ctx, ctx.s.platform.path.join(project.dir, "pyproject.toml")) : undefined;
  for (const rule of rules()) {
    if (!setting.enabled[rule.tool] || !rule.applies(project, data)) continue;
    const found = rule.find(ctx, project, data);
    if (found === "no env") outcome.expected ??= { tool: rule.tool, project: project.dir };
    else if (found) {
      outcome.found = foundBy(rule.tool, project.dir, found);
      break;
    }
  }
  return outcome;
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
