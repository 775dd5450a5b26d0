// `venvhook export <shell>`: the hot path, run by the hook when the folder or
// VIRTUAL_ENV changed. It prints only shell code on stdout, in one write and
// only once everything is computed, and nothing at all when nothing changes.
// Keep it lean: no CLI framework, no process spawned, nothing it does not use.
import { writeSync } from "node:fs";
import { foreignEnv, planActivation, type Env, type Wanted } from "./activation.ts";
import { binDir, envName, findVenv, workingFolder } from "./discovery.ts";
import { brokenNotice, refusalNotice, type Notice } from "./explain.ts";
import { printable, warn } from "./messages.ts";
import { shellAdapter, SHELL_NAMES } from "./shells/index.ts";
import { addTold, TOLD_ENV, TOLD_SHELL_VAR, toldKey, wasTold } from "./told.ts";
import { judge, loadTrust } from "./trust.ts";

export function runExport(args: readonly string[], vars: Env = process.env): number {
  const [name = "", ...flags] = args;
  const shell = shellAdapter(name);
  if (!shell) {
    warn(`unknown shell '${printable(name)}'; use one of ${SHELL_NAMES.join(", ")}`);
    return 2;
  }
  // The user's own activation wins: nothing to look up, nothing to say.
  if (foreignEnv(vars)) return 0;

  const cwd = workingFolder(vars);
  const found = findVenv(cwd);
  let wanted: Wanted | undefined;
  let notice: Notice | undefined;
  if (found?.kind === "env") {
    const verdict = judge(found, loadTrust());
    if (verdict.ok) wanted = { env: found.env, bin: binDir(found.env), name: envName(found.env, found.config) };
    else notice = refusalNotice(found, verdict, cwd);
  } else if (found?.kind === "broken") {
    notice = brokenNotice(found, cwd);
  }

  const plan = planActivation(vars, wanted);
  const changes = plan.kind === "changes" ? plan.changes : [];
  const locals: Record<string, string> = {};
  const told = vars[TOLD_ENV];
  if (notice) {
    const key = toldKey(notice.key);
    if (!wasTold(told, key)) {
      if (!flags.includes("--quiet")) warn(notice.text);
      locals[TOLD_SHELL_VAR] = addTold(told, key);
    }
  }
  const code = shell.render(changes, locals);
  if (code) writeSync(1, code);
  return 0;
}
