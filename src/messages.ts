// Everything venvhook says to a person goes to stderr as one line, prefixed
// `venvhook:`. Paths come from folder names and files nobody vetted, so
// control characters are shown escaped: a name can never move the cursor,
// clear the screen or fake a second line.
import { writeSync } from "node:fs";
import path from "node:path";

/** A failure to tell the user in one line, naming the thing and what to do; nothing was left half done. */
export class UserError extends Error {}

export function warn(message: string): void {
  writeSync(2, `${warningLine(message)}\n`);
}

/** A message as warn() shows it, without the newline. */
export function warningLine(message: string): string {
  return `venvhook: ${message}`;
}

export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}

/** A path as the user would type it from `from`: `./.venv`, `../../.venv`, or absolute when that is shorter. */
export function shownPath(file: string, from: string): string {
  const relative = path.relative(from, file);
  const shown = relative.startsWith("..") ? relative : `./${relative}`;
  return printable(shown.length < file.length ? shown : file);
}
