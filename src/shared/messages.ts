// Everything venvhook says to a person goes to stderr as one line, prefixed
// `venvhook:`. Paths come from folder names and files nobody vetted, so
// control characters are shown escaped: a name can never move the cursor,
// clear the screen or fake a second line.
import { writeSync } from "node:fs";
import path from "node:path";

/** A failure to tell the user in one line, naming the thing and what to do; nothing was left half done. */
/** Something to tell the person at the shell, once. */
export interface Notice {
  /** Identifies what was said, so a shell session hears it once. */
  key: string;
  text: string;
}

export class UserError extends Error {
  constructor(message: string) {
    super(printable(message));
  }
}

export function warn(message: string): void {
  writeSync(2, `${warningLine(message)}\n`);
}

/** A message as warn() shows it, without the newline. */
export function warningLine(message: string): string {
  return `venvhook: ${printable(message)}`;
}

/**
 * An error nobody foresaw, as one line: the action, and for a system error
 * the call, the file and the reason ("create failed: cannot mkdir /dev/zero:
 * file already exists"), not the runtime's "EEXIST: …, mkdir".
 */
export function failure(action: string, error: unknown): string {
  if (error instanceof UserError) return error.message;
  if (!(error instanceof Error)) return `${action} failed: ${String(error)}`;
  const { code, syscall, path: file } = error as NodeJS.ErrnoException;
  if (!code || !syscall) return `${action} failed: ${error.message}`;
  if (syscall === "uv_cwd") return `${action} failed: the current folder was deleted; cd to a folder that exists`;
  const reason = /^[A-Z0-9_]+: ([^,]+)/.exec(error.message)?.[1] ?? code;
  return `${action} failed: cannot ${syscall}${file ? ` ${file}` : ""}: ${reason}`;
}

export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}

/**
 * At most this many characters of an env's name are shown, in the prompt and
 * in VIRTUAL_ENV_PROMPT: a name of 60000 crashes bash's readline and tcsh and
 * stalls zsh and xonsh, and one exported variable over 128 KiB makes every
 * command fail with "Argument list too long".
 */
const NAME_LIMIT = 100;

/** One character of printable's output: an escape it wrote, or a code point. */
const SHOWN_CHARACTER = /\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|[nt])|[^]/gu;

/**
 * An env's name as the prompt shows it: printable (a name from a folder or
 * pyvenv.cfg could set the window title or write the clipboard with ESC, and
 * a tab throws off the line editor's idea of the prompt's width), and cut to
 * NAME_LIMIT characters, ending in an ellipsis, never inside an escape.
 */
export function shownName(name: string): string {
  const shown = printable(name);
  if (shown.length <= NAME_LIMIT) return shown;
  let count = 0;
  let cut = 0; // where the shown part ends when it must end in an ellipsis
  for (const { 0: character, index } of shown.matchAll(SHOWN_CHARACTER)) {
    count += character.length === 1 || character.codePointAt(0)! > 0xffff ? 1 : character.length;
    if (count > NAME_LIMIT) return `${shown.slice(0, cut)}\u2026`;
    if (count < NAME_LIMIT) cut = index + character.length;
  }
  return shown;
}

/** A path as the user would type it from `from`: `./.venv`, `../../.venv`, or absolute when that is shorter. */
export function shownPath(file: string, from: string): string {
  const relative = path.relative(from, file);
  const shown = relative.startsWith("..") ? relative : `./${relative}`;
  return printable(shown.length < file.length ? shown : file);
}
