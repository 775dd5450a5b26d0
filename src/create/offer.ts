// The offer: entering a Python project that has no env, the user hears once
// per project per shell session that venvhook can create one (or, with
// offer = "ask", is asked right there).
import path from "node:path";
import type { OfferMode } from "../shared/config.ts";
import { ignoreState } from "./ignored.ts";
import { type Discovery } from "../discovery/index.ts";
import { TOOL_COMMANDS, TOOL_NAMES, USES_PROJECT_VENV } from "../discovery/tools/names.ts";
import { printable, type Notice } from "../shared/messages.ts";
import { findProject, type Project } from "../discovery/project.ts";

type Expected = Discovery["expected"];

export interface OfferDecision {
  /** What the offer does here, and why, in words for status. */
  mode: OfferMode | "ignored" | "none";
  why: string;
  project?: Project;
  /** What the session remembers the offer by, once said (offerKey). */
  key?: string;
  /** Settings that could not be used, to say once each. */
  problems: Notice[];
}

/**
 * Reads the config (and loads its TOML parser) only inside a project. For a
 * project a tool keeps the env of (`expected`: Poetry's, say), whose env is
 * not made yet, the offer hints at the tool's command (which installs the
 * project too) and never asks; `venvhook create` is named as well where the
 * tool would use the `.venv` it makes (USES_PROJECT_VENV).
 */
export async function decideOffer(cwd: string, env: NodeJS.ProcessEnv, expected?: Expected): Promise<OfferDecision> {
  const project = findProject(cwd);
  if (!project) return { mode: "none", why: "no Python project here (no pyproject.toml, setup.py, setup.cfg, Pipfile or requirements*.txt)", problems: [] };
  const { offerSetting } = await import("../shared/config.ts");
  const setting = offerSetting(env);
  const { problems } = setting;
  if (setting.mode === "off") return { mode: "none", why: `the offer is off (${setting.from})`, project, problems };
  const state = ignoreState(project.root);
  if (state.ignored) {
    return { mode: "ignored", why: `${printable(project.root)} is ignored ('venvhook unignore' brings the offer back)`, project, problems };
  }
  const key = offerKey(project, state.unignored);
  if (expected) {
    const also = USES_PROJECT_VENV[expected.tool] ? ` or 'venvhook create' (${TOOL_NAMES[expected.tool]} uses a .venv in the project)` : "";
    const why = `${TOOL_NAMES[expected.tool]} keeps this project's env and has not made it yet; venvhook suggests '${TOOL_COMMANDS[expected.tool]}'${also} (offer = ${setting.mode}, ${setting.from})`;
    return { mode: "hint", why, project, key, problems };
  }
  const how = setting.mode === "ask" ? "asks to create one" : "suggests 'venvhook create'";
  return { mode: setting.mode, why: `no environment; venvhook ${how} (offer = ${setting.mode}, ${setting.from})`, project, key, problems };
}

export function hintNotice(project: Project, key: string, expected?: Expected): Notice {
  const name = printable(path.basename(project.root));
  if (expected) {
    return {
      key,
      text: USES_PROJECT_VENV[expected.tool]
        ? `${name} is a ${TOOL_NAMES[expected.tool]} project with no environment yet; run '${TOOL_COMMANDS[expected.tool]}' then 'venvhook allow', or 'venvhook create' (${TOOL_NAMES[expected.tool]} uses the .venv it makes); or 'venvhook ignore'`
        : `${name} is a ${TOOL_NAMES[expected.tool]} project with no environment yet; run '${TOOL_COMMANDS[expected.tool]}', then 'venvhook allow' (or 'venvhook ignore')`,
    };
  }
  return {
    key,
    text: `${name} has ${article(project.marker)} ${printable(project.marker)} but no environment; run 'venvhook create' (or 'venvhook ignore')`,
  };
}

/** Said once per project per session, whatever the answer; again after the project is unignored. */
function offerKey(project: Project, unignored = ""): string {
  return `offer\0${project.root}\0${unignored}`;
}

function article(marker: string): string {
  return /^[aeiou]/i.test(marker) ? "an" : "a";
}
