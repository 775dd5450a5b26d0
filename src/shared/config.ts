// config.toml in venvhook's config folder. Read only when a setting is needed.
import { readHead } from "./fs-quiet.ts";
import { parseToml } from "./toml.ts";
import { TOOLS, type Tool } from "../discovery/tools/names.ts";
import { printable, type Notice } from "./messages.ts";
import { configFile } from "./paths.ts";

/** Far larger than any settings file venvhook reads. */
const CONFIG_READ_LIMIT = 1 << 20;

export const OFFER_MODES = ["hint", "ask", "off"] as const;
export type OfferMode = (typeof OFFER_MODES)[number];

/** The settings config.toml may hold; any other key is a mistake worth saying. */
const KNOWN_KEYS = ["offer", "tools"];

export interface Offer {
  mode: OfferMode;
  /** Where the mode comes from, for status. */
  from: string;
  /** Settings that could not be used, one line each, to say once. */
  problems: Notice[];
}

/** `offer`: VENVHOOK_OFFER, else config.toml, else "hint". */
export function offerSetting(env: NodeJS.ProcessEnv = process.env, file = configFile()): Offer {
  const config = readConfig(file);
  const fromEnv = env.VENVHOOK_OFFER;
  if (fromEnv !== undefined && fromEnv !== "") return checked(fromEnv, "VENVHOOK_OFFER", config.problems);
  const value = config.table?.offer;
  if (value === undefined) return { mode: "hint", from: "default", problems: config.problems };
  return checked(value, `offer in ${file}`, config.problems);
}

function checked(value: unknown, from: string, problems: Notice[]): Offer {
  if (typeof value === "string" && (OFFER_MODES as readonly string[]).includes(value)) return { mode: value as OfferMode, from, problems };
  const problem = `${from} is ${printable(JSON.stringify(value))}, not one of ${OFFER_MODES.join(", ")}; using hint`;
  return { mode: "hint", from: "default", problems: [...problems, settingNotice(problem)] };
}

export interface ToolsSetting {
  /** Whether each tool's rule is used to find envs (all are, unless `[tools]` says `false`). */
  enabled: Record<Tool, boolean>;
  problems: Notice[];
}

/** `[tools]`: `poetry = false` (and so on) turns that tool's rule off. */
export function toolsSetting(file = configFile()): ToolsSetting {
  const enabled: Record<Tool, boolean> = { uv: true, poetry: true, pipenv: true, hatch: true, pdm: true };
  const config = readConfig(file);
  const { problems } = config;
  const tools = config.table?.tools;
  if (tools === undefined) return { enabled, problems };
  if (typeof tools !== "object" || tools === null || Array.isArray(tools)) {
    return { enabled, problems: [...problems, settingNotice(`tools in ${file} is not a table; write [tools] with poetry = false and the like`)] };
  }
  const wrong: string[] = [];
  for (const [key, value] of Object.entries(tools)) {
    if ((TOOLS as readonly string[]).includes(key) && typeof value === "boolean") enabled[key as Tool] = value;
    else wrong.push(`${printable(key)} = ${printable(JSON.stringify(value) ?? String(value))}`);
  }
  if (!wrong.length) return { enabled, problems };
  return { enabled, problems: [...problems, settingNotice(`[tools] in ${file} has ${wrong.join(", ")}; use ${TOOLS.join(", ")} = true or false`)] };
}

/** Every problem with the settings, from the environment and the file, one line each: what status lists. */
export function settingProblems(env: NodeJS.ProcessEnv = process.env, file = configFile()): string[] {
  return [...new Set([...offerSetting(env, file).problems, ...toolsSetting(file).problems].map((notice) => notice.text))];
}

/** Said once per shell session, by the offer or the tool rules, whichever reads the setting first. */
function settingNotice(text: string): Notice {
  return { key: `config\0${text}`, text };
}

/** The file's top-level table (none when it does not exist or cannot be used), and what is wrong with it. */
function readConfig(file: string): { table?: Record<string, unknown>; problems: Notice[] } {
  // No file (or none that can be read): the defaults.
  const text = readHead(file, CONFIG_READ_LIMIT + 1);
  if (text === undefined) return { problems: [] };
  if (text.length > CONFIG_READ_LIMIT) return { problems: [settingNotice(`${file} is too large to be read (over 1 MiB); shorten it`)] };
  let table: Record<string, unknown>;
  try {
    table = parseToml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { problems: [settingNotice(`${file} is not valid TOML (${printable(reason ?? "")}); fix it`)] };
  }
  const unknown = Object.keys(table).filter((key) => !KNOWN_KEYS.includes(key));
  if (unknown.length === 0) return { table, problems: [] };
  const keys = unknown.map((key) => `'${printable(key)}'`).join(", ");
  const them = unknown.length === 1 ? "it" : "them";
  return { table, problems: [settingNotice(`${file} has ${keys}, which venvhook does not know (its settings are ${KNOWN_KEYS.join(" and ")}); fix or remove ${them}`)] };
}
