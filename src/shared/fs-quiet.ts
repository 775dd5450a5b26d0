// File-system questions whose "no" is an answer, not an error: a missing or
// unreadable file gives undefined (or nothing), never an exception.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from "node:fs";

// Asking not to throw on ENOENT matters on the hot path: a walk up meets dozens
// of missing files, and each thrown error costs ~4x the stat itself.
export function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Like statOrUndefined, without following a final symbolic link. */
export function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** The names in a folder; none when it cannot be read. */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Opening for reading without waiting: a FIFO would wait for a writer, a
 * terminal or a device may never answer. (Windows has no such flag, nor FIFOs.)
 */
const READ_NOW = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** At most `limit` bytes of a regular file, as UTF-8; nothing from a FIFO, a device or a folder, which could block or never end. */
export function readHead(file: string, limit: number): string | undefined {
  // Asked first, so that nothing else is even opened (opening a device can do things).
  if (!statOrUndefined(file)?.isFile()) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(file, READ_NOW);
    // What was opened, which may not be what was asked about a moment ago.
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    // Sized by the file, not the limit: zeroing a 1 MiB buffer for a 200-byte pyproject.toml shows on every cd.
    let buffer = Buffer.allocUnsafe(Math.min(limit, stats.size + 1));
    let length = 0;
    for (let n; (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) {
      length += n;
      if (length === buffer.length) {
        if (length >= limit) break;
        // It grew since stat: make room, up to the limit.
        const larger = Buffer.allocUnsafe(Math.min(limit, length * 2));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
    }
    return buffer.subarray(0, length).toString("utf8");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
