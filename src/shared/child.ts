// Runs a program in venvhook's place: its stdio and terminal are venvhook's,
// signals sent to venvhook reach it, and its status becomes venvhook's.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { isatty } from "node:tty";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;
type Forwarded = (typeof FORWARDED)[number];

/** What a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\), the child included. */
const FROM_TERMINAL: ReadonlySet<Forwarded> = new Set(["SIGINT", "SIGQUIT"]);

/**
 * Runs `file` and resolves with the status venvhook should exit with: the
 * child's, or 128+N for a death by signal N, as a shell reports it. A death
 * by SIGINT is first raised on venvhook itself: a shell running a loop stops
 * at Ctrl-C only when its command died of that signal, not when it exited 130.
 */
export function runChild(file: string, args: readonly string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: "inherit" });
    const forward = (signal: Forwarded) => {
      // Windows' console sends Ctrl-C to every process attached to it, and kill() there would end the child outright.
      if (process.platform === "win32") return;
      // Sent twice, a Ctrl-C would interrupt the child's own clean-up from it.
      if (FROM_TERMINAL.has(signal) && inTerminalForeground()) return;
      child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const stop = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.on("error", (error) => {
      stop();
      reject(error);
    });
    child.on("exit", (code, signal) => {
      stop();
      if (signal === "SIGINT") process.kill(process.pid, signal);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

/**
 * Whether venvhook (and so its child, in the same process group) is in its
 * terminal's foreground, where a Ctrl-C reaches the child without venvhook's
 * help. Linux says so in /proc (tpgid against pgrp); elsewhere a terminal on
 * stdin is taken to mean it.
 */
function inTerminalForeground(): boolean {
  let stat: string;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return isatty(0);
  }
  // After "pid (comm) ": state ppid pgrp session tty_nr tpgid; comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[2] !== undefined && fields[2] === fields[5];
}
