// config.toml in venvhook's config folder. Read only when a setting is needed.
import { readHead } from "./fs-quiet.ts";
import { parseToml } from "./toml.ts";
import { TOOLS, type Tool } from "../discovery/tools/names.ts";
import { printable } from "./messages.ts";
import { configFile } from "./paths.ts";

/** Far larger than any settings file venvhook reads. */
const CONFIG_READ_LIMIT = 1 << 20;

export const OFFER_MODES = ["hint", "ask", "off"] as const;
export type OfferMode = (typeof OFFER_MODES)[number];

export interface Offer {
  mode: OfferMode;
  /** Where the mode comes from, for status. */
  from: string;
  /** A setting that could not be used, in one line, to say once. */
  problem?: string;
}

/** `offer`: VENVHOOK_OFFER, else config.toml, else "hint". */
export function offerSetting(env: NodeJS.ProcessEnv = process.env, file = configFile()): Offer {
  const fromEnv = env.VENVHOOK_OFFER;
  if (fromEnv !== undefined && fromEnv !== "") return checked(fromEnv, "VENVHOOK_OFFER");
  const config = readConfig(file);
  if (config.problem) return { mode: "hint", from: "default", problem: config.problem };
  const value = config.table?.offer;
  if (value === undefined) return { mode: "hint", from: "default" };
  return checked(value, `offer in ${file}`);
}

function checked(value: unknown, from: string): Offer {
  if (typeof value === "string" && (OFFER_MODES as readonly string[]).includes(value)) return { mode: value as OfferMode, from };
  return {
    mode: "hint",
    from: "default",
    problem: `${from} is ${printable(JSON.stringify(value))}, not one of ${OFFER_MODES.join(", ")}; using hint`,
  };
}

export interface ToolsSetting {
  /** Whether each tool's rule is used to find envs (all are, unless `[tools]` says `false`). */
  enabled: Record<Tool, boolean>;
  problem?: string;
}

/** `[tools]`: `poetry = false` (and so on) turns that tool's rule off. */
export function toolsSetting(file = configFile()): ToolsSetting {
  const enabled: Record<Tool, boolean> = { uv: true, poetry: true, pipenv: true, hatch: true, pdm: true };
  const config = readConfig(file);
  if (config.problem) return { enabled, problem: config.problem };
  const tools = config.table?.tools;
  if (tools === undefined) return { enabled };
  if (typeof tools !== "object" || tools === null || Array.isArray(tools)) {
    return { enabled, problem: `tools in ${file} is not a table; write [tools] with poetry = false and the like` };
  }
  const wrong: string[] = [];
  for (const [key, value] of Object.entries(tools)) {
    if ((TOOLS as readonly string[]).includes(key) && typeof value === "boolean") enabled[key as Tool] = value;
    else wrong.push(`${printable(key)} = ${printable(JSON.stringify(value) ?? String(value))}`);
  }
  if (!wrong.length) return { enabled };
  return { enabled, problem: `[tools] in ${file} has ${wrong.join(", ")}; use ${TOOLS.join(", ")} = true or false` };
}

/** The file's top-level table (none when it does not exist), or why it cannot be used. */
function readConfig(file: string): { table?: Record<string, unknown>; problem?: string } {
  // No file (or none that can be read): the defaults.
  const text = readHead(file, CONFIG_READ_LIMIT + 1);
  if (text === undefined) return {};
  if (text.length > CONFIG_READ_LIMIT) return { problem: `${file} is too large to be read (over 1 MiB); shorten it` };
  try {
    return { table: parseToml(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { problem: `${file} is not valid TOML (${printable(reason ?? "")}); fix it` };
  }
}
