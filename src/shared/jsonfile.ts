// venvhook's own small JSON files: the stores (trust, ignored projects),
// changed only under a lock and from what they hold at that moment, so two
// venvhooks at once never lose an update; and the memo's entries, each
// written whole and checked against its inputs when read, so they need none.
// Both are replaced in one step (src/shared/atomic.ts).
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { replaceFile } from "./atomic.ts";
import { acquireLockSync } from "./lock.ts";
import { printable, UserError, warn, type Notice } from "./messages.ts";

/** What one of the stores is, for the line that says it is broken. */
export interface StoreKind {
  /** "the trust store" */
  name: string;
  /** What deleting it costs the user. */
  ifDeleted: string;
}

/** A store that cannot be used: venvhook acts as if it allowed nothing, and says so. */
export class StoreError extends UserError {
  /** Said once per shell session by the hook, keyed by the file. */
  readonly notice: Notice;

  constructor(file: string, kind: StoreKind, problem: string, fix = `fix it, or delete it (${kind.ifDeleted})`) {
    super(`${kind.name} ${printable(file)} ${problem}; ${fix}`);
    this.notice = { key: `store\0${file}`, text: this.message };
  }
}

/** One of venvhook's stores: its file, and how to check what was read. */
export interface JsonStore<S> {
  file: string;
  kind: StoreKind;
  /** The format this venvhook writes, in the file's `version`: a higher one is a newer venvhook's (after a downgrade). */
  format: number;
  /** The store in what was read (undefined: there is no file yet), or undefined when it is not in a format this venvhook knows. */
  parse(data: unknown): S | undefined;
}

/** The store as it is now; a StoreError when it cannot be used. */
export function loadStore<S>(store: JsonStore<S>): S {
  const data = readJson(store.file, store.kind);
  const parsed = store.parse(data);
  if (parsed !== undefined) return parsed;
  const version = isRecord(data) ? data.version : undefined;
  if (typeof version === "number" && version > store.format) {
    throw new StoreError(store.file, store.kind, `was written by a newer venvhook (format ${version}; this one reads format ${store.format}), so it is left as it is`, "install the newer venvhook again");
  }
  throw new StoreError(store.file, store.kind, "is not in a format this venvhook knows");
}

/**
 * Reads a store, lets `change` change it and writes it back if it did, all
 * under the store's lock; returns what `change` returned.
 */
export function updateStore<S, T>(store: JsonStore<S>, change: (data: S) => T): T {
  const { file } = store;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const folder = `${file}.lock`;
  const lock = acquireLockSync(folder, (pid) =>
    warn(`waiting for another venvhook (pid ${pid}) to finish with ${printable(file)}; if none is running, remove ${printable(folder)}`),
  );
  try {
    const data = loadStore(store);
    const before = JSON.stringify(data);
    const result = change(data);
    if (JSON.stringify(data) !== before) writeJsonAtomic(file, data);
    return result;
  } finally {
    lock.release();
  }
}

/** A JSON object (not null, not an array): what every store and its records are. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The parsed file, or undefined when it does not exist; otherwise a StoreError. */
function readJson(file: string, kind: StoreKind): unknown {
  let text;
  try {
    // Not blocking, and checked to be a file before it is read: a FIFO there must not hang the prompt.
    const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      if (!fstatSync(fd).isFile()) throw new StoreError(file, kind, "is not a file");
      text = readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new StoreError(file, kind, code === "EISDIR" ? "is not a file" : `cannot be read (${code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new StoreError(file, kind, "is not valid JSON");
  }
}

export function writeJsonAtomic(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  replaceFile(file, `${JSON.stringify(data, null, 2)}\n`);
}
