// `venvhook export <shell>`: the hot path, run by the hook when the folder or
// VIRTUAL_ENV changed. It prints only shell code on stdout, in one write and
// only once everything is computed, and nothing at all when nothing changes.
// Keep it lean: no CLI framework, no process spawned, nothing it does not use.
import { writeSync } from "node:fs";
import { foreignEnv, planActivation, type Change, type Env, type Plan, type Wanted } from "../activation/plan.ts";
import { projectFolder, watchablePointer, workingFolder, type Found } from "../discovery/venv.ts";
import { wantedOrWhyNot } from "../activation/wanted.ts";
import { StoreError } from "../shared/jsonfile.ts";
import { discover, toolContext } from "../discovery/index.ts";
import { Memo } from "../discovery/tools/memo.ts";
import { printable, warn, warningLine, type Notice } from "../shared/messages.ts";
import { decideOffer, hintNotice } from "../create/offer.ts";
import { configFile, memoDir } from "../shared/paths.ts";
import { shellAdapter, unknownShell } from "../shells/index.ts";
import { decodeState, isNewerState, OFF_VAR, STATE_LIMIT, STATE_VAR } from "../activation/state.ts";
import { addTold, TOLD_ENV, TOLD_SHELL_VAR, toldKey, wasTold } from "../shared/told.ts";
import { undecodableNotice, undecodableVariables } from "../activation/undecodable.ts";

/** Notices held back under --defer, one per line, for the hook to print. */
const LATER_SHELL_VAR = "__venvhook_later";
/** The folder the hook last ran the binary for; emptied, the hook runs it again at the next prompt. */
const SEEN_PWD_SHELL_VAR = "__venvhook_pwd";
/**
 * The pointer file that led to what was found here (a `.venv` file, PDM's
 * `.pdm-python`). The hook empties it before each run and, while it is set,
 * reads its first line at each prompt: an edit (`venvhook use` in another
 * shell, say) runs the binary again at the next prompt, not at the next cd.
 */
const POINTER_SHELL_VAR = "__venvhook_pointer";

export async function runExport(args: readonly string[], vars: Env = process.env): Promise<number> {
  const [name = "", ...flags] = args;
  const shell = shellAdapter(name);
  if (!shell) {
    warn(unknownShell(name));
    return 2;
  }
  const turnOff = flags.includes("--off");
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
  /** The shell code for these changes and what the session heard: printed in one write, once everything is computed. */
  let pointer: string | undefined;
  const finish = (changes: readonly Change[]): number => {
    const locals: Record<string, string> = toldChanged && told ? { [TOLD_SHELL_VAR]: told } : {};
    if (later.length) locals[LATER_SHELL_VAR] = later.join("\n");
    if (askLater) locals[SEEN_PWD_SHELL_VAR] = "";
    if (pointer) locals[POINTER_SHELL_VAR] = pointer;
    const code = shell.render(changes, locals);
    if (code) writeSync(1, code);
    return 0;
  };

  // A newer venvhook applied this shell's env (and this one was installed over it): its state cannot be read, so change nothing.
  if (isNewerState(vars[STATE_VAR])) {
    tell({ key: "newer-state", text: "this shell's env was applied by a newer venvhook than this one, which leaves it as it is; open a new shell, or install the newer venvhook again" });
    return finish([]);
  }
  // The user's own activation wins: nothing to look up, nothing to say.
  const foreign = foreignEnv(vars);
  if (foreign) {
    if (!turnOff) return 0;
    warn(`${printable(foreign)} was not activated by venvhook; deactivate it the way it was activated`);
    return 1;
  }

  /** A store that cannot be read is said once; nothing it would allow is active (fail closed). */
  const storeBroken = (error: unknown): undefined => {
    if (!(error instanceof StoreError)) throw error;
    tell(error.notice);
    return undefined;
  };

  const cwd = workingFolder(vars);
  const discovery = await discover(toolContext(cwd, vars), configFile(), new Memo(memoDir));
  for (const problem of discovery.problems) tell(problem);
  let found = discovery.found;
  // A broken `.venv` too: a pointer file being written may be empty for a moment.
  pointer = watchablePointer(found);
  if (!found) {
    const offer = await decideOffer(cwd, vars, discovery.expected).catch(storeBroken);
    for (const problem of offer?.problems ?? []) tell(problem);
    const project = offer?.project;
    const key = offer?.key;
    if (project && key && (offer.mode === "hint" || offer.mode === "ask") && !wasTold(told, toldKey(key))) {
      // Asking loads the create command; it answers "not asked" when there is no terminal to ask on.
      if (offer.mode === "ask" && defer && !quiet) askLater = true;
      else {
        const asked = offer.mode === "ask" && !quiet ? await (await import("../create/create.ts")).offerToCreate(project, vars) : "not asked";
        if (asked === "not asked") tell(hintNotice(project, key, discovery.expected));
        else tell({ key, text: "" }, false);
        if (asked === "created") found = (await discover(toolContext(cwd, vars))).found;
      }
    }
  }
  // Off until the user leaves the project it was turned off for (or turns it on).
  let off = flags.includes("--on") ? undefined : vars[OFF_VAR];
  if (off !== undefined && (!found || projectFolder(found) !== off)) off = undefined;
  if (turnOff) {
    // What venvhook applied is the real path it judged, which may differ from the path it was found by.
    const applied = decodeState(vars[STATE_VAR]);
    if (!found || found.kind !== "env" || !applied || vars.VIRTUAL_ENV !== applied.env) {
      warn("no env of venvhook's is active here; nothing to deactivate");
      return 1;
    }
    off = projectFolder(found);
    warn(`${printable(applied.name)} is off in this shell until you leave ${printable(off)}; 'venvhook on' turns it back on`);
  }
  let wanted: Wanted | undefined;
  try {
    wanted = found && off === undefined ? wantedFrom(found, cwd, vars, tell) : undefined;
  } catch (error) {
    storeBroken(error);
  }

  let plan = planActivation(vars, wanted, undefined, off);
  if (wanted && stateTooLong(plan)) {
    tell({ key: `state-limit\0${wanted.env}`, text: `not activating ${printable(wanted.env)}: PYTHONHOME is too long to be kept and restored on leaving; unset it` });
    plan = planActivation(vars, undefined, undefined, off);
  }
  let changes = plan.kind === "changes" ? plan.changes : [];
  // A value bun read lossily would be written back changed: change nothing instead.
  const undecodable = undecodableVariables(changes, vars);
  if (undecodable.length > 0) {
    tell(undecodableNotice(undecodable));
    changes = [];
  }
  return finish(changes);
}

/** Whether the plan exports a VENVHOOK_STATE over STATE_LIMIT: only a huge PYTHONHOME, kept for leaving, can make it so. */
function stateTooLong(plan: Plan): boolean {
  // Loops, not some(): each array builtin's first call costs the hot path ~0.1 M instructions.
  if (plan.kind !== "changes") return false;
  for (const { name, value } of plan.changes) if (name === STATE_VAR && value !== undefined && value.length > STATE_LIMIT) return true;
  return false;
}

/** The env to activate, if it may be; otherwise says why not. */
function wantedFrom(found: Found, cwd: string, vars: Env, tell: (notice: Notice) => boolean): Wanted | undefined {
  // VIRTUAL_ENV, if set, is venvhook's own here (a foreign one returned early).
  const outcome = wantedOrWhyNot(found, cwd, { active: vars.VIRTUAL_ENV });
  if ("wanted" in outcome) return outcome.wanted;
  tell(outcome.whyNot);
  return undefined;
}
