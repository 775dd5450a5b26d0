// tcsh quotes nothing reliably in plain quotes: single quotes still do history
// substitution on `!`, need a backslash before a newline, and the hook reads
// the binary's output through backquotes, which split it at newlines. So every
// value goes in a $'...' string (man tcsh: Escape sequences) with all but a few
// plain characters as a \xHH escape: the output is one line per statement,
// with no newline, no `!` and no quote inside a value. Non-ASCII characters are
// written as they are: tcsh reads \xHH above 0x7f as a code point, not a byte,
// and \U escapes depend on the locale, while UTF-8 bytes pass unchanged in a
// UTF-8 and in the C locale.
import hook from "../../shells/venvhook.tcsh" with { type: "text" };
import type { Change } from "../activation/plan.ts";
import type { ShellAdapter } from "./adapter.ts";

/** Written as they are: not special to tcsh inside $'...', in a word or to glob. */
const PLAIN = /[A-Za-z0-9_./,:+=@-]/;

export function quoteTcsh(value: string): string {
  let out = "$'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += code > 0x7f || PLAIN.test(ch) ? ch : `\\x${code.toString(16).padStart(2, "0")}`;
  }
  return `${out}'`;
}

/** One statement per line, each ending in `;`: the hook joins the lines with spaces before eval. */
export function renderTcsh(changes: readonly Change[], locals: Readonly<Record<string, string>>): string {
  const lines = changes.map(({ name, value }) =>
    value === undefined ? `unsetenv ${name};` : `setenv ${name} ${quoteTcsh(value)};`,
  );
  for (const [name, value] of Object.entries(locals)) lines.push(`set ${name} = ${quoteTcsh(value)};`);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/**
 * What `init` prints: backquote output is split at blanks and newlines and
 * globbed before eval sees it, so the hook goes as one $'...' word (no blank,
 * no glob character) to an eval of its own, which gets it back whole. Without
 * its comment lines: typed at the prompt (and in an eval from there) a # is
 * not a comment to tcsh.
 */
function initTcsh(rendered: string): string {
  const code = rendered.replace(/^[ \t]*#.*\n/gm, "");
  return `eval ${quoteTcsh(code)}\n`;
}

export const tcsh: ShellAdapter = { name: "tcsh", hook, quote: quoteTcsh, render: renderTcsh, init: initTcsh, file: "venvhook.tcsh", load: (file) => `if ( $?prompt ) source ${file}` };
