// Whether the hook is loaded in the shell that ran venvhook, and whether the
// binary it runs is the `venvhook` on PATH. Each hook exports VENVHOOK_HOOK,
// "<shell>:<pid>:<binary>", when it loads; a child shell inherits it with its
// own pid, so only a match with the shell that ran us counts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { realpathOrUndefined } from "../shared/fs-quiet.ts";
import { findCommand, isExecutable } from "../shared/which.ts";
import { hookFile, hookFileState } from "../shells/hook-file.ts";
import { SHELL_NAMES, shellAdapter } from "../shells/index.ts";
import { ok, note, problem, type Finding } from "./finding.ts";
import { initLineFor, initLineIn, RC_FILE, type RcFile } from "./rcfiles.ts";

export const HOOK_VAR = "VENVHOOK_HOOK";

export interface Marker {
  shell: string;
  pid: number;
  /** The binary the hook runs. */
  bin: string;
}

export function parseMarker(value: string | undefined): Marker | undefined {
  const match = /^([a-z]+):(\d+):(.+)$/s.exec(value ?? "");
  return match ? { shell: match[1]!, pid: Number(match[2]), bin: match[3]! } : undefined;
}

/** What doctor asks of a process: its name, parent and command line. */
export interface Proc {
  name: string;
  ppid: number;
  cmdline: string;
}

export type ProcReader = (pid: number) => Proc | undefined;

/** A process as Linux's /proc shows it; nothing elsewhere. */
export function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (name) state ppid ...": the name may hold spaces and parentheses.
    const close = stat.lastIndexOf(")");
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    return { name: stat.slice(stat.indexOf("(") + 1, close), ppid, cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8") };
  } catch {
    return undefined;
  }
}

export interface Caller {
  /** The shell that ran us, when known. */
  shell?: string;
  pid: number;
  /** The hook's marker when it names that shell. */
  loaded?: Marker;
  /** A marker from a shell further up, inherited. */
  inherited?: Marker;
}

/**
 * Who ran us. Through the `venvhook` function or typed at the prompt, our
 * parent is the shell; in a pipeline or $(...) bash runs us from a forked copy
 * of itself (same name and command line), whose parent is the shell.
 */
export function caller(env: NodeJS.ProcessEnv, ppid: number, proc: ProcReader): Caller {
  const marker = parseMarker(env[HOOK_VAR]);
  if (marker && isShellOrItsFork(marker.pid, ppid, proc)) return { shell: marker.shell, pid: marker.pid, loaded: marker };
  return { shell: shellName(proc(ppid)?.name) ?? shellName(path.basename(env.SHELL ?? "")), pid: ppid, ...(marker ? { inherited: marker } : {}) };
}

function isShellOrItsFork(shellPid: number, ppid: number, proc: ProcReader): boolean {
  if (shellPid === ppid) return true;
  const shell = proc(shellPid);
  for (let pid = ppid, depth = 0; shell && depth < 8; depth++) {
    const between = proc(pid);
    if (!between || between.name !== shell.name || between.cmdline !== shell.cmdline) return false;
    if (between.ppid === shellPid) return true;
    pid = between.ppid;
  }
  return false;
}

/** venvhook's name for a shell from its process name (a login shell's starts with "-"). */
function shellName(name: string | undefined): string | undefined {
  const bare = name?.replace(/^-/, "").replace(/\.exe$/i, "");
  if (bare === "csh") return "tcsh";
  return bare && (SHELL_NAMES as readonly string[]).includes(bare) ? bare : undefined;
}

export function hookFinding(who: Caller, files: RcFile[]): Finding {
  const shell = who.shell ?? "shell";
  if (who.loaded) return ok("hook", `loaded in this ${shell} (pid ${who.pid})`);
  const from = who.inherited ? `; VENVHOOK_HOOK is inherited from a ${who.inherited.shell} above it (pid ${who.inherited.pid})` : "";
  const text = `not loaded in this ${shell} (pid ${who.pid})${from}`;
  const line = who.shell ? initLineFor(who.shell) : undefined;
  if (!who.shell || !line) return problem("hook", text, "add your shell's line from 'venvhook init --help' to its rc file, and start a new shell");
  const has = initLineIn(files, who.shell);
  if (has) return problem("hook", text, `${has.rc.shown} has venvhook's line (line ${has.line}), but this ${shell} did not read it: start a new ${shell} (without --norc), or run: ${line}`);
  return problem("hook", text, `add this line to ${RC_FILE[who.shell]}, then start a new ${shell}: ${line}`);
}

/** The binary the hook runs, the `venvhook` first on PATH and this one: the same file, by real path. */
export function binaryFinding(who: Caller, self: string, env: NodeJS.ProcessEnv): Finding {
  const onPath = findCommand("venvhook", env.PATH, process.cwd());
  const hookBin = who.loaded?.bin;
  if (hookBin !== undefined && !isExecutable(hookBin)) {
    return problem("binary", `the hook runs ${hookBin}, which is missing`, `reinstall venvhook, or start a new shell to load the hook from ${onPath ?? "the venvhook you have"}`);
  }
  if (!onPath) return problem("binary", `no venvhook on PATH, so the rc line cannot run in a new shell`, `add ${path.dirname(self)} to PATH before that line`);
  const same = (a: string, b: string) => (realpathOrUndefined(a) ?? a) === (realpathOrUndefined(b) ?? b);
  if (hookBin !== undefined && !same(hookBin, onPath)) {
    return problem("binary", `the hook runs ${hookBin}, but the venvhook first on PATH is ${onPath}`, `start a new shell to load the hook from ${onPath}, or remove the venvhook you do not use`);
  }
  if (!same(self, onPath)) return note("binary", `this is ${self}, not the venvhook first on PATH (${onPath}), which the hook${hookBin ? "" : " would"} run`);
  return ok("binary", hookBin ? `the hook runs ${onPath}: the venvhook first on PATH, and this one` : `${onPath} is the venvhook first on PATH, and this one`);
}

/** A hook file `init --write` wrote that is not what this venvhook would write: new shells load that older hook. */
export function hookFileFindings(shell: string | undefined): Finding[] {
  const adapter = shell ? shellAdapter(shell) : undefined;
  if (!adapter || hookFileState(adapter) !== "stale") return [];
  const text = `${hookFile(adapter)}, which new shells may load, holds the hook another venvhook wrote (another version, or another binary)`;
  return [problem("hook", text, `run: venvhook init ${adapter.name} --write`)];
}
