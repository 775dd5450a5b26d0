// config.toml in venvhook's config folder. Read only when a setting is needed.
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { printable } from "./messages.ts";
import { configFile } from "./paths.ts";

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
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { mode: "hint", from: "default" };
  }
  let value: unknown;
  try {
    value = parse(text).offer;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { mode: "hint", from: "default", problem: `${file} is not valid TOML (${printable(reason ?? "")}); fix it` };
  }
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
