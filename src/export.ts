// `venvhook export <shell>`: the hot path, run by the hook when the folder or
// VIRTUAL_ENV changed. It prints only shell code on stdout, in one write and
// only once everything is computed, and nothing at all when nothing changes.
// Keep it lean: no CLI framework, no process spawned, nothing it does not use.
import { writeSync } from "node:fs";
import { foreignEnv, planActivation, type Env, type Wanted } from "./activation.ts";
import { binDir, envName, findVenv, workingFolder, type Found } from "./discovery.ts";
import { brokenNotice, refusalNotice, type Notice } from "./explain.ts";
import { discover, toolContext } from "./managed/index.ts";
import { Memo } from "./managed/memo.ts";
import { printable, warn, warningLine } from "./messages.ts";
import { decideOffer, hintNotice, offerKey } from "./offer.ts";
import { configFile, memoDir } from "./paths.ts";
import { shellAdapter, SHELL_NAMES } from "./shells/index.ts";
import { addTold, TOLD_ENV, TOLD_SHELL_VAR, toldKey, wasTold } from "./told.ts";
import { judge, loadTrust } from "./trust.ts";

/** Notices held back under --defer, one per line, for the hook to print. */
const LATER_SHELL_VAR = "__venvhook_later";
/** The folder the hook last ran the binary for; emptied, the hook runs it again at the next prompt. */
const SEEN_PWD_SHELL_VAR = "__venvhook_pwd";

export async function runExport(args: readonly string[], vars: Env = process.env): Promise<number> {
  const [name = "", ...flags] = args;
  const shell = shellAdapter(name);
  if (!shell) {
    warn(`unknown shell '${printable(name)}'; use one of ${SHELL_NAMES.join(", ")}`);
    return 2;
  }
  // The user's own activation wins: nothing to look up, nothing to say.
  if (foreignEnv(vars)) return 0;

  const quiet = flags.includes("--quiet");
  // --defer: the hook runs mid-command-line (on cd) or while the shell starts
  // (a prompt framework may be capturing the terminal): notices come back in
  // __venvhook_later for the hook to say at the prompt, and a question waits
  // for the next prompt (clearing __venvhook_pwd makes the hook run again).
  const defer = flags.includes("--defer");
  const later: string[] = [];
  let askLater = false;
  let told = vars[TOLD_ENV];
  let toldChanged = false;
  /** Says a notice once per shell session; returns false if it was said before. */
  const tell = (notice: Notice, say = !quiet): boolean => {
    const key = toldKey(notice.key);
    if (wasTold(told, key)) return false;
    if (say && defer) later.push(warningLine(notice.text));
    else if (say) warn(notice.text);
    told = addTold(told, key);
    toldChanged = true;
    return true;
  };

  const cwd = workingFolder(vars);
  const discovery = await discover(toolContext(cwd, vars), configFile(), new Memo(memoDir));
  for (const problem of discovery.problems) tell(problem);
  let found = discovery.found;
  if (!found) {
    const offer = await decideOffer(cwd, vars, discovery.expected);
    if (offer.problem) tell(offer.problem);
    const { project } = offer;
    if (project && (offer.mode === "hint" || offer.mode === "ask") && !wasTold(told, toldKey(offerKey(project)))) {
      // Asking loads the create command; it answers "not asked" when there is no terminal to ask on.
      if (offer.mode === "ask" && defer && !quiet) askLater = true;
      else {
        const asked = offer.mode === "ask" && !quiet ? await (await import("./create.ts")).offerToCreate(project, vars) : "not asked";
        if (asked === "not asked") tell(hintNotice(project, discovery.expected));
        else tell({ key: offerKey(project), text: "" }, false);
        if (asked === "created") found = findVenv(cwd);
      }
    }
  }
  const wanted = found ? wantedFrom(found, cwd, tell) : undefined;

  const plan = planActivation(vars, wanted);
  const changes = plan.kind === "changes" ? plan.changes : [];
  const locals: Record<string, string> = toldChanged && told ? { [TOLD_SHELL_VAR]: told } : {};
  if (later.length) locals[LATER_SHELL_VAR] = later.join("\n");
  if (askLater) locals[SEEN_PWD_SHELL_VAR] = "";
  const code = shell.render(changes, locals);
  if (code) writeSync(1, code);
  return 0;
}

/** The env to activate, if it may be; otherwise says why not. */
function wantedFrom(found: Found, cwd: string, tell: (notice: Notice) => boolean): Wanted | undefined {
  if (found.kind === "broken") {
    tell(brokenNotice(found, cwd));
    return undefined;
  }
  const verdict = judge(found, loadTrust());
  if (verdict.ok) return { env: found.env, bin: binDir(found.env), name: envName(found.env, found.config) };
  tell(refusalNotice(found, verdict, cwd));
  return undefined;
}
