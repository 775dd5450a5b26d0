// nushell cannot evaluate a string, so `export nu` prints data, as direnv's
// `export json` does for it: one JSON record that the hook parses with nushell's
// own `from json` and applies with load-env and hide-env. The only quoting of a
// value is JSON's, and it is read as data, never run:
//   {"set": {NAME: value, PATH: [entries]}, "unset": [NAME], "locals": {name: value}}
// PATH is a list in nushell (it converts it to the ':'-joined string for the
// programs it runs), so it is sent as one. Shell-local variables live in the
// hook's record $env.__venvhook, named without their `__venvhook_` prefix.
//
// quote() writes a nushell string literal, for the binary's path in the hook:
// in double quotes nothing is interpolated (only `$"..."` is) and a backslash
// starts an escape, so `\` and `"` are escaped; control characters are
// written as \u{...} too, so the hook holds no raw ones.
import hook from "../../shells/venvhook.nu" with { type: "text" };
import type { Change } from "../activation/plan.ts";
import { host } from "../activation/platform.ts";
import type { ShellAdapter } from "./adapter.ts";

export function quoteNu(value: string): string {
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) =>
    c === "\\" || c === '"' ? `\\${c}` : `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
  return `"${escaped}"`;
}

function renderNu(changes: readonly Change[], locals: Readonly<Record<string, string>>): string {
  if (changes.length === 0 && Object.keys(locals).length === 0) return "";
  const set: Record<string, string | string[]> = {};
  const unset: string[] = [];
  for (const { name, value } of changes) {
    if (value === undefined) unset.push(name);
    // PATH as this platform spells it (Path on Windows).
    else if (name === host.pathVar({ [name]: value })) set[name] = value ? value.split(host.path.delimiter) : [];
    else set[name] = value;
  }
  const local = Object.fromEntries(Object.entries(locals).map(([name, value]) => [name.replace(/^__venvhook_/, ""), value]));
  return `${JSON.stringify({ set, unset, locals: local })}\n`;
}

export const nu: ShellAdapter = { name: "nu", hook, quote: quoteNu, render: renderNu, file: "venvhook.nu", load: (file) => `source ${file}` };
