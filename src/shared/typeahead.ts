// Keys typed ahead: bytes on the terminal that the shell's line editor has
// not read yet (`cd web` typed while a new shell starts). A question the hook
// asked now would take them as its answer, so the offer asks only when none
// wait. Telling needs poll(2), which bun reaches through bun:ffi, and bun:ffi
// needs the JIT that the hook turns off: the check runs in a child venvhook
// (`venvhook __keys-waiting`, with the terminal as its stdin) that has it on.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { selfCommand } from "./self.ts";

const POLLIN = 1;

/** For `venvhook __keys-waiting`: 0 when bytes wait on stdin, 1 when none do, 2 when that cannot be told. */
export function keysWaitingStatus(): number {
  const libcName = { linux: "libc.so.6", darwin: "libSystem.B.dylib" }[process.platform as string];
  if (!libcName || !process.versions.bun) return 2;
  try {
    const { dlopen, FFIType } = createRequire(import.meta.url)("bun:ffi");
    const libc = dlopen(libcName, { poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 } });
    try {
      // struct pollfd { int fd; short events; short revents; } on a little-endian machine: stdin, POLLIN, and no wait.
      const pollfd = new Int32Array([0, POLLIN]);
      const ready = libc.symbols.poll(pollfd, 1, 0) as number;
      return ready < 0 ? 2 : ready > 0 ? 0 : 1;
    } finally {
      libc.close();
    }
  } catch {
    return 2;
  }
}

/**
 * Whether keys wait on the terminal (stdin), asked of a child venvhook with
 * the JIT on. True also when it cannot be told (Windows, venvhook under
 * Node): then nothing is asked, and no typed key is ever taken for an answer.
 */
export function keysWaiting(): boolean {
  if (!process.versions.bun) return true;
  const { command, args } = selfCommand(["__keys-waiting"]);
  const { BUN_JSC_useJIT: _, ...env } = process.env;
  const child = spawnSync(command, args, { stdio: [0, "ignore", "ignore"], env, timeout: 5000 });
  return child.status !== 1;
}
