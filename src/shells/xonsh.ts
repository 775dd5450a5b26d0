// xonsh runs Python, so its hook applies data instead of evaluating code:
// render() prints one JSON object, {"env": {NAME: value or null to unset},
// "locals": {NAME: value}}, which the hook reads with json.loads and assigns
// to __xonsh__.env and to its own variables. JSON is the only quoting there,
// and json.loads can only ever produce strings from it.
//
// quote() writes a Python string literal for the binary's path in the hook.
// Everything outside printable ASCII is escaped, so the literal is one line of
// ASCII whatever the locale that reads `venvhook init xonsh`, and it is only
// ever used in Python mode: in xonsh's subprocess mode a quoted word would
// also get $NAME and ~ expanded.
import fileText from "../../shells/venvhook.xsh" with { type: "text" };
import type { Change } from "../activation/plan.ts";
import { PLACEHOLDER, type ShellAdapter } from "./adapter.ts";

export function quotePython(value: string): string {
  let literal = "'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === "\\" || char === "'") literal += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) literal += char;
    else if (code < 0x100) literal += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) literal += `\\u${code.toString(16).padStart(4, "0")}`;
    else literal += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${literal}'`;
}

export function renderXonsh(changes: readonly Change[], locals: Readonly<Record<string, string>>): string {
  if (changes.length === 0 && Object.keys(locals).length === 0) return "";
  const env = Object.fromEntries(changes.map(({ name, value }) => [name, value ?? null]));
  return `${JSON.stringify({ env, locals })}\n`;
}

/**
 * A bare `::VENVHOOK::` is not Python, so the file carries it as a string
 * literal, which keeps the file valid as it stands; the whole literal is the
 * placeholder that the quoted path replaces.
 */
const hook = fileText.replace(`'${PLACEHOLDER}'`, PLACEHOLDER);

export const xonsh: ShellAdapter = { name: "xonsh", hook, quote: quotePython, render: renderXonsh, file: "venvhook.xsh", load: (file) => `source @(${file})` };
