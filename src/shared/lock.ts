// A lock two venvhook processes can share: a folder, in venvhook's state
// folder or beside the file it guards. It is made under a temporary name with
// its owner's pid inside, then renamed into place: the rename fails while
// another lock is there, so a lock never exists without its owner's pid. A
// lock whose owner died is taken over.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { named, temporaryName } from "./atomic.ts";
import { lstatOrUndefined } from "./fs-quiet.ts";
import { lockDir } from "./paths.ts";
import { sha256 } from "./sha256.ts";

export interface Lock {
  /** Whether another process held it first (and this one waited). */
  waited: boolean;
  release(): void;
}

/** Takes the lock named after `subject`, waiting while a live process holds it; `onWait` is told once, at once. */
export async function acquireLock(subject: string, onWait: (pid: number) => void, dir = lockDir()): Promise<Lock> {
  const folder = lockFolder(subject, dir);
  let waited = false;
  for (;;) {
    const owner = tryLock(folder);
    if (typeof owner !== "number") return { waited, release: owner.release };
    if (!waited) onWait(owner);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Takes the lock that is this folder, for work that takes a moment (a read
 * and a write of a small file): it polls often, and `onWait` is told only if the wait lasts.
 */
export function acquireLockSync(folder: string, onWait: (pid: number) => void): Lock {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; ; tries++) {
    const owner = tryLock(folder);
    if (typeof owner !== "number") return { waited: tries > 0, release: owner.release };
    if (tries === 200) onWait(owner); // about 2 s
    Atomics.wait(pause, 0, 0, 10);
  }
}

function lockFolder(subject: string, dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${sha256(subject).slice(0, 16)}.lock`);
}

/** The lock, or the pid of the process that holds it (to wait for). */
function tryLock(folder: string): Pick<Lock, "release"> | number {
  let owner: number | undefined;
  // A few rounds, not more: a lock that cannot be taken over is waited for, and said.
  for (let round = 0; round < 3; round++) {
    if (put(folder)) return { release: () => remove(folder) };
    owner = ownerOf(folder);
    if (owner === undefined) continue; // released meanwhile
    if (isAlive(owner)) return owner;
    takeOver(folder, owner);
  }
  return owner ?? 0;
}

/** Puts a lock folder holding this process's pid in place; false when one is there. */
function put(folder: string): boolean {
  const made = temporaryName(folder);
  mkdirSync(made, { mode: 0o700 });
  try {
    writeFileSync(path.join(made, "pid"), String(process.pid));
    renameSync(made, folder);
    return true;
  } catch (error) {
    rmSync(made, { recursive: true, force: true });
    // Something is there (EEXIST, ENOTEMPTY, ENOTDIR; EPERM on Windows).
    if (["EEXIST", "ENOTEMPTY", "ENOTDIR", "EPERM"].includes((error as NodeJS.ErrnoException).code ?? "")) return false;
    throw named(error, folder, path.join(made, "pid"));
  }
}

/**
 * Removes the lock of a dead owner. Two processes may find the same dead
 * owner; only the one holding the breaker (a lock of its own) removes it, and
 * only if that owner still holds it: the other one could already have put a
 * lock of its own in its place.
 */
function takeOver(folder: string, dead: number): void {
  const breaker = `${folder}.breaker`;
  if (!put(breaker)) {
    const owner = ownerOf(breaker);
    // A breaker is held for a few system calls: one whose owner died is stale.
    if (owner === undefined || isAlive(owner)) return;
    remove(breaker);
    if (!put(breaker)) return;
  }
  try {
    if (ownerOf(folder) === dead) remove(folder);
  } finally {
    remove(breaker);
  }
}

/** Renamed away first: a lock folder is never empty while in place, where the rename in `put` would replace it. */
function remove(folder: string): void {
  const gone = temporaryName(folder, ".gone-");
  try {
    renameSync(folder, gone);
  } catch {
    return; // already removed
  }
  rmSync(gone, { recursive: true, force: true });
}

/** The pid in a lock folder; 0 (never a live process) when it has none; undefined when the folder is gone. */
function ownerOf(folder: string): number | undefined {
  let text;
  try {
    text = readFileSync(path.join(folder, "pid"), "utf8");
  } catch {
    return lstatOrUndefined(folder) ? 0 : undefined;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
