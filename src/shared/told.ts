// Notices are said once per shell session: the hook keeps the keys of what
// was said in a shell variable and hands it to `export` in VENVHOOK_TOLD.
// A key is a short hash; a collision only silences a repeat.
import { shortHash } from "./hash.ts";

export const TOLD_ENV = "VENVHOOK_TOLD";
export const TOLD_SHELL_VAR = "__venvhook_told";

export const toldKey = shortHash;

export function wasTold(told: string | undefined, key: string): boolean {
  return told ? told.split(" ").includes(key) : false;
}

export function addTold(told: string | undefined, key: string): string {
  return told ? `${told} ${key}` : key;
}
