// The env the hook would activate for what discovery found, under the hook's
// trust rule, so a script never runs in an env the shell would refuse; and
// that env's interpreter.
import { brokenNotice, refusalNotice } from "../discovery/explain.ts";
import { envName, here, type Found, type Surroundings } from "../discovery/venv.ts";
import { UserError, type Notice } from "../shared/messages.ts";
import { judge, loadTrust, type JudgeOptions, type TrustStore } from "../trust/trust.ts";
import type { Wanted } from "./plan.ts";
import { host, type Platform } from "./platform.ts";

/** The env to activate for what was found, or the notice saying why not; `cwd` is where its paths are shown from. */
export function wantedOrWhyNot(found: Found, cwd: string, options: JudgeOptions = {}, trust: () => TrustStore = loadTrust): { wanted: Wanted } | { whyNot: Notice } {
  // A broken .venv needs no trust store read.
  if (found.kind === "broken") return { whyNot: brokenNotice(found, cwd) };
  const verdict = judge(found, trust(), options);
  if (!verdict.ok) return { whyNot: refusalNotice(found, verdict, cwd) };
  // The real paths judge checked, as the hook puts them on PATH, so no later process resolves them elsewhere.
  return { wanted: { env: verdict.env, bin: verdict.bin, name: envName(found.env, found.config), ...toolVarsFor(found) } };
}

/** The env to use, or a UserError with the line the hook would say. */
export function requireWanted(found: Found, cwd: string): Wanted {
  const outcome = wantedOrWhyNot(found, cwd);
  if ("whyNot" in outcome) throw new UserError(outcome.whyNot.text);
  return outcome.wanted;
}

/** The variables that put the tool that uses this env at ease (state.ts, TOOL_VARS): Pipenv's env, or a `.venv` beside a Pipfile (Pipenv uses it). */
function toolVarsFor(found: Found & { kind: "env" }, s: Pick<Surroundings, "stat" | "platform"> = here()): Pick<Wanted, "toolVars"> {
  const tool = found.managed?.tool;
  const pipfile = s.platform.path.join(s.platform.path.dirname(found.venv), "Pipfile");
  if (tool === "pipenv" || (!tool && s.stat(pipfile)?.isFile())) return { toolVars: { PIPENV_IGNORE_VIRTUALENVS: "1" } };
  return {};
}

/** The env's interpreter in its bin folder (the real path judged): bin/python, or Scripts\python.exe. */
export function interpreterIn(bin: string, platform: Platform = host): string {
  return platform.path.join(bin, platform.bin === "Scripts" ? "python.exe" : "python");
}
