// The tools whose envs venvhook finds by their own rules, in the order the
// rules apply, and how to speak of each: a leaf, so config, notices and the
// rules can all name a tool without importing the rules.
export const TOOLS = ["uv", "poetry", "pipenv", "hatch", "pdm"] as const;
export type Tool = (typeof TOOLS)[number];

export const TOOL_NAMES: Record<Tool, string> = { uv: "uv", poetry: "Poetry", pipenv: "Pipenv", hatch: "Hatch", pdm: "PDM" };

/** What makes the env, for a project that has none yet. */
export const TOOL_COMMANDS: Record<Tool, string> = {
  uv: "uv sync",
  poetry: "poetry install",
  pipenv: "pipenv install",
  hatch: "hatch env create",
  pdm: "pdm install",
};
