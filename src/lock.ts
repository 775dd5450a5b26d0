// A lock two venvhook processes can share, as a folder in venvhook's state
// folder (mkdir is atomic). A lock whose owner died is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { lockDir } from "./paths.ts";
import { sha256 } from "./sha256.ts";

export interface Lock {
  /** Whether another process held it first (and this one waited). */
  waited: boolean;
  release(): void;
}

/** Takes the lock named after `subject`, waiting while a live process holds it. */
export async function acquireLock(subject: string, onWait: (pid: number) => void, dir = lockDir()): Promise<Lock> {
  const folder = path.join(dir, `${sha256(subject).slice(0, 16)}.lock`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let waited = false;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(folder);
      writeFileSync(path.join(folder, "pid"), String(process.pid));
      return { waited, release: () => rmSync(folder, { recursive: true, force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = ownerOf(folder);
    if (owner !== undefined && !isAlive(owner)) {
      rmSync(folder, { recursive: true, force: true });
      continue;
    }
    if (!announced && owner !== undefined) {
      onWait(owner);
      announced = true;
    }
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function ownerOf(folder: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path.join(folder, "pid"), "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // just made, pid not written yet
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
