// What venvhook applied, carried in one exported variable so that subshells,
// nested shells and `exec $SHELL` can revert it exactly with no state file.
// Layout: `<base64url JSON>:<env path>`. The env path comes last and in clear
// so the hook can tell with builtins alone whether VIRTUAL_ENV is still ours
// (`${VENVHOOK_STATE#*:}`); base64url never contains a colon.
//
// Versioned for shells left open across an upgrade or a downgrade: this is
// format 1, which carries no mark (it is what venvhook 0.1.0 wrote). A later
// format starts with its number and a dot (`2.<…>:<env>`), which neither
// base64url nor format 1 ever does, so this venvhook knows a newer one when
// it sees it and leaves the shell alone (isNewerState) instead of misreading it.

export const STATE_VAR = "VENVHOOK_STATE";

/**
 * The longest VENVHOOK_STATE venvhook exports: with one variable over
 * 128 KiB the kernel starts no program at all, venvhook included. Names are
 * cut short (messages.ts, NAME_LIMIT) and paths are bounded by PATH_MAX, so
 * only a PYTHONHOME kept to be restored could come near it.
 */
export const STATE_LIMIT = 32 * 1024;

/**
 * The project folder the user turned venvhook's env off for (`venvhook off`,
 * or `deactivate` with no activate script in force): exported, like the
 * state, and cleared by the first export that finds another project or none.
 */
export const OFF_VAR = "VENVHOOK_OFF";

/**
 * Set by every activate script of venv and virtualenv (bash, zsh, fish, csh,
 * xonsh, nu, PowerShell), and by what runs one (virtualenvwrapper's workon,
 * `pipenv shell`, `poetry shell`): its deactivate puts this PATH back. While
 * it is set the env is the user's own, even when it is the one venvhook had
 * activated. The hooks pass it where the shell keeps it unexported.
 */
export const ACTIVATE_SCRIPT_VAR = "_OLD_VIRTUAL_PATH";

/**
 * What venvhook sets for an env a tool uses, so the tool is at ease in it:
 * Pipenv prints a two-line "Courtesy Notice" on every command run with a
 * VIRTUAL_ENV it did not activate, unless PIPENV_ACTIVE (which `pipenv shell`
 * sets, and which makes a later `pipenv shell` refuse to start) or
 * PIPENV_IGNORE_VIRTUALENVS is set; the latter has Pipenv find its env by its
 * own rules, which is the env venvhook found by them. Poetry says nothing.
 */
export const TOOL_VARS = ["PIPENV_IGNORE_VIRTUALENVS"] as const;
export type ToolVar = (typeof TOOL_VARS)[number];

export interface Applied {
  /** The env folder, as exported in VIRTUAL_ENV. */
  env: string;
  /** The PATH entry venvhook added. */
  bin: string;
  /**
   * Fingerprint of the PATH block venvhook made (its entry and everything
   * after it), so that leaving removes its own entry even when the user put
   * the same folder on PATH too: users add before or after that block.
   */
  block?: { length: number; hash: string };
  /** The name exported in VIRTUAL_ENV_PROMPT. */
  name: string;
  /** PYTHONHOME as it was before activation, restored after; absent when it was unset. */
  pythonHome?: string;
  /** The tool variables venvhook set, each with its value before (null: it was unset), restored after. */
  toolVars?: Partial<Record<ToolVar, string | null>>;
}

export function encodeState(applied: Applied): string {
  const { env, ...rest } = applied;
  return `${Buffer.from(JSON.stringify(rest)).toString("base64url")}:${env}`;
}

export function decodeState(value: string | undefined): Applied | undefined {
  if (!value) return undefined;
  const colon = value.indexOf(":");
  if (colon < 0 || isNewerState(value)) return undefined;
  try {
    const rest: unknown = JSON.parse(Buffer.from(value.slice(0, colon), "base64url").toString("utf8"));
    if (!isRecord(rest) || typeof rest.bin !== "string" || typeof rest.name !== "string") return undefined;
    const applied: Applied = { env: value.slice(colon + 1), bin: rest.bin, name: rest.name };
    if (typeof rest.pythonHome === "string") applied.pythonHome = rest.pythonHome;
    if (isRecord(rest.block) && typeof rest.block.length === "number" && typeof rest.block.hash === "string") {
      applied.block = { length: rest.block.length, hash: rest.block.hash };
    }
    if (isRecord(rest.toolVars)) {
      const toolVars: Partial<Record<ToolVar, string | null>> = {};
      for (const name of TOOL_VARS) {
        const before = rest.toolVars[name];
        if (typeof before === "string" || before === null) toolVars[name] = before;
      }
      applied.toolVars = toolVars;
    }
    return applied;
  } catch {
    return undefined;
  }
}

/** Whether a VENVHOOK_STATE was written in a later format than this venvhook's (by a newer venvhook). */
export function isNewerState(value: string | undefined): boolean {
  return value !== undefined && /^[0-9]+\./.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
