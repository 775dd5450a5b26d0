// Files venvhook writes whole: made under a temporary name next to their
// place, then renamed into it, so a crash never leaves half a file. Folders
// it writes to can hold names a repository planted (a symbolic link to
// ~/.bashrc, say), so a temporary name is unpredictable, is only ever made
// new (never opened if something is there, link or not), and is removed when
// the write fails.
import { closeSync, constants, openSync, renameSync, rmSync, writeFileSync } from "node:fs";

/** `<file><infix><16 random hex digits>`: a name nobody can plant in advance. */
export function temporaryName(file: string, infix = ".tmp-"): string {
  // The global Web Crypto: importing node:crypto would cost the hot path ~3 ms (see sha256.ts).
  let suffix = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(8))) suffix += byte.toString(16).padStart(2, "0");
  return `${file}${infix}${suffix}`;
}

// O_EXCL alone already refuses an existing link; O_NOFOLLOW says so where the platform has it.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** Makes a file that must not exist yet, not even as a link; when writing fails, nothing is left. */
export function writeNewFile(file: string, text: string, mode = 0o600): void {
  const fd = openSync(file, CREATE_NEW, mode);
  try {
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    rmSync(file, { force: true });
    throw named(error, file);
  }
}

/** Replaces a file (or makes it) in one step, through a new temporary file beside it. */
export function replaceFile(file: string, text: string, mode = 0o600): void {
  const temporary = temporaryName(file);
  try {
    writeNewFile(temporary, text, mode);
  } catch (error) {
    throw named(error, file, temporary);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A write error carries no path: name the file the user knows (not its temporary name), so the message can. */
export function named(error: unknown, file: string, temporary?: string): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (errno instanceof Error && (errno.path === undefined || errno.path === temporary)) errno.path = file;
  return error;
}
