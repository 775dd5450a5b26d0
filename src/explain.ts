// What venvhook tells a person about a `.venv` it will not activate. Shared
// by the hook's one-line notices and `status`, so both say the same thing.
import type { Found } from "./discovery.ts";
import { printable, shownPath } from "./messages.ts";
import type { Verdict } from "./trust.ts";

export interface Notice {
  /** Identifies what was said, so a shell session hears it once. */
  key: string;
  text: string;
}

type Refusal = Extract<Verdict, { ok: false }>;

export function refusalNotice(found: Found & { kind: "env" }, verdict: Refusal, cwd: string): Notice {
  const shown = shownPath(found.venv, cwd);
  const key = `${verdict.reason}\0${found.venv}\0${found.pointer?.text ?? ""}`;
  switch (verdict.reason) {
    case "not-allowed":
      return { key, text: `found ${shown} (not allowed); run 'venvhook allow' to use it` };
    case "pointer-changed":
      return {
        key,
        text: `${shown} changed since it was allowed (it now points to ${printable(found.env)}); run 'venvhook allow' if that is right`,
      };
    case "unsafe":
      return { key, text: `refusing ${shown}: ${printable(verdict.detail ?? "unsafe permissions")}` };
  }
}

export function brokenNotice(found: Found & { kind: "broken" }, cwd: string): Notice {
  return {
    key: `broken\0${found.venv}\0${found.problem}`,
    text: `${shownPath(found.venv, cwd)} is not usable: ${found.problem}; see 'venvhook status'`,
  };
}
