// bash and zsh share POSIX quoting: inside single quotes every byte is
// literal (newlines too) except the single quote, which closes, escapes and reopens.
import type { Change } from "../activation/plan.ts";

export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function renderPosix(changes: readonly Change[], locals: Readonly<Record<string, string>>): string {
  const lines = changes.map(({ name, value }) =>
    value === undefined ? `unset ${name}` : `export ${name}=${quotePosix(value)}`,
  );
  for (const [name, value] of Object.entries(locals)) lines.push(`${name}=${quotePosix(value)}`);
  return lines.length ? `${lines.join("\n")}\n` : "";
}
