// elvish: inside single quotes every character is literal, newlines too,
// and a single quote is written twice. The hook evaluates this with `eval`
// in a namespace holding only the shell-local variables, so the code can set
// those and the environment, and nothing of the hook's own.
import hook from "../../shells/venvhook.elv" with { type: "text" };
import type { Change } from "../activation/plan.ts";
import type { ShellAdapter } from "./adapter.ts";

export function quoteElvish(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A variable name as `set` takes it, bare; venvhook only ever has plain ones. */
function plainName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a variable name venvhook can print for elvish: ${JSON.stringify(name)}`);
  return name;
}

function renderElvish(changes: readonly Change[], locals: Readonly<Record<string, string>>): string {
  const lines = changes.map(({ name, value }) =>
    value === undefined ? `unset-env ${quoteElvish(name)}` : `set-env ${quoteElvish(name)} ${quoteElvish(value)}`,
  );
  for (const [name, value] of Object.entries(locals)) lines.push(`set ${plainName(name)} = ${quoteElvish(value)}`);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

export const elvish: ShellAdapter = { name: "elvish", hook, quote: quoteElvish, render: renderElvish, file: "venvhook.elv", load: (file) => `eval (slurp < ${file})` };
