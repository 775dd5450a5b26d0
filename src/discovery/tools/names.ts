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

/**
 * The tools that use a `.venv` in the project when there is one, so one that
 * `venvhook create` makes is theirs too: uv's default env; Poetry's
 * EnvManager.use_in_project_venv and Pipenv's is_venv_in_project when their
 * in-project setting is unset; PDM's venv.in_project, on by default. Hatch
 * keeps its envs in its own folder.
 */
export const USES_PROJECT_VENV: Record<Tool, boolean> = { uv: true, poetry: true, pipenv: true, hatch: false, pdm: true };
