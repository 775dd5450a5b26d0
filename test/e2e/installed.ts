// What the packaging suites (wheels, npm) check of an installed venvhook: the
// hook that its `init` prints calls the binary it should, and a real bash
// with that hook in its rc activates a project's env.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { initLine, makeVenv, openWorld, promptLine } from "./fixture.ts";

export const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

/**
 * Loads `eval "$(<command> init bash)"` in an interactive bash and activates a
 * project through it; `hookBinary` is the path the hook must call.
 * Returns what the shell showed, for the caller's own checks.
 */
export async function activatesInBash(command: string, hookBinary: string): Promise<string> {
  const w = await openWorld("bash", { noInit: true, after: initLine("bash", command), setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
  try {
    expect(await w.get("__venvhook_bin")).toBe(hookBinary);
    const proj = path.join(w.root, "proj");
    expect(await w.said(() => w.cd(proj))).toContain("venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it");
    expect(await w.s.run("venvhook allow")).toContain(`allowed ${path.join(proj, ".venv")}`);
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
    expect(await w.s.run("command -v python")).toBe(path.join(proj, ".venv", "bin", "python"));
    await w.s.waitFor((screen) => promptLine(screen) === "(proj) vh>");
    await w.cd(w.root);
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    return w.s.screen({ scrollback: true });
  } finally {
    await w.close();
  }
}
