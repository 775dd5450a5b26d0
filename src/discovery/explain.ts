// What venvhook tells a person about a `.venv` it will not activate. Shared
// by the hook's one-line notices and `status`, so both say the same thing.
import path from "node:path";
import type { Found } from "./venv.ts";
import { realpathOrUndefined } from "../shared/fs-quiet.ts";
import { TOOL_NAMES } from "./tools/names.ts";
import { printable, shownPath, type Notice } from "../shared/messages.ts";
import type { Verdict } from "../trust/trust.ts";

type Refusal = Extract<Verdict, { ok: false }>;

export function refusalNotice(found: Found & { kind: "env" }, verdict: Refusal, cwd: string): Notice {
  const shown = shownPath(found.venv, cwd);
  const key = `${verdict.reason}\0${found.venv}\0${found.pointer?.text ?? ""}`;
  switch (verdict.reason) {
    case "not-allowed":
      return { key, text: `found ${describeFound(found, cwd)} (not allowed); run 'venvhook allow' to use it` };
    case "pointer-changed":
      return {
        key,
        text: `${shown} changed since it was allowed (it now points to ${printable(found.env)}); run 'venvhook allow' if that is right`,
      };
    case "unsafe":
      return { key, text: `refusing ${shown}: ${printable(verdict.detail ?? "unsafe permissions")}` };
    case "recreated":
      return { key, text: `${shown} was re-created since it was allowed, so it is not the env you allowed; run 'venvhook allow' again if you trust it` };
    case "unidentified":
      return {
        key,
        text: `${shown} was allowed by an older venvhook, which did not record which folder it was (it may have been re-created since); run 'venvhook allow' again to use it`,
      };
  }
}

export function brokenNotice(found: Found & { kind: "broken" }, cwd: string): Notice {
  return {
    key: `broken\0${found.venv}\0${found.problem}`,
    text: `${shownPath(found.venv, cwd)} is not usable: ${found.problem}; see 'venvhook status'`,
  };
}

/**
 * What was found, in a few words, naming the env that would go on PATH:
 * `./.venv`, "./.venv, pointing to /path/to/env", "./.venv, leading to
 * /real/env" for a link, or "Poetry's env for shop, /path/to/env".
 */
export function describeFound(found: Found & { kind: "env" }, cwd: string): string {
  const { managed } = found;
  if (!managed) {
    const shown = shownPath(found.venv, cwd);
    if (found.pointer) return `${shown}, pointing to ${printable(found.env)}`;
    const real = realpathOrUndefined(found.env);
    return real && real !== found.env ? `${shown}, leading to ${printable(real)}` : shown;
  }
  return `${TOOL_NAMES[managed.tool]}'s env for ${printable(path.basename(managed.project))}, ${printable(found.env)}`;
}
