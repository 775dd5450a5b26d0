// PowerShell 7+. A value goes in a verbatim (single-quoted) string, where
// nothing is expanded and the only escape is a doubled quote. PowerShell reads
// the typographic quotes U+2018..U+201B as single quotes too (a pair of any two
// of them stands for the second), so those are doubled as well. A CR is joined
// in as "`r", outside the verbatim strings: PowerShell splits a program's
// output into lines at CR as well as LF, and the hook joins them back with LF.
import hook from "../../shells/venvhook.ps1" with { type: "text" };
import type { Change } from "../activation/plan.ts";
import type { ShellAdapter } from "./adapter.ts";

/** Every character PowerShell's tokenizer takes for a single quote. */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

export function quotePwsh(value: string): string {
  const verbatim = (part: string) => `'${part.replace(SINGLE_QUOTES, "$&$&")}'`;
  return value.includes("\r") ? `(${value.split("\r").map(verbatim).join(' + "`r" + ')})` : verbatim(value);
}

/** `$env:NAME` and `Env:\NAME` take a name as it stands; venvhook only ever has plain ones. */
function plainName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a variable name venvhook can print for PowerShell: ${JSON.stringify(name)}`);
  return name;
}

export function renderPwsh(changes: readonly Change[], locals: Readonly<Record<string, string>>): string {
  const lines = changes.map(({ name, value }) =>
    value === undefined
      ? `Remove-Item -LiteralPath Env:\\${plainName(name)} -ErrorAction Ignore`
      : `$env:${plainName(name)} = ${quotePwsh(value)}`,
  );
  // The hook evaluates this inside a function: shell-local variables are the session's globals.
  for (const [name, value] of Object.entries(locals)) lines.push(`$global:${plainName(name)} = ${quotePwsh(value)}`);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

export const pwsh: ShellAdapter = { name: "pwsh", hook, quote: quotePwsh, render: renderPwsh, file: "venvhook.ps1", load: (file) => `. ${file}` };
