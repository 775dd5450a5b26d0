// fish is not POSIX: inside single quotes only \\ and \' are escapes, and
// PATH is a list, set element by element.
import hook from "../../shells/venvhook.fish" with { type: "text" };
import type { Change } from "../activation/plan.ts";
import type { ShellAdapter } from "./adapter.ts";

function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, "\\$&")}'`;
}

function renderFish(changes: readonly Change[], locals: Readonly<Record<string, string>>): string {
  const lines = changes.map(({ name, value }) => {
    if (value === undefined) return `set -e ${name}`;
    if (name === "PATH") return ["set -gx PATH", ...(value ? value.split(":") : []).map(quoteFish)].join(" ");
    return `set -gx ${name} ${quoteFish(value)}`;
  });
  for (const [name, value] of Object.entries(locals)) lines.push(`set -g ${name} ${quoteFish(value)}`);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

export const fish: ShellAdapter = { name: "fish", hook, quote: quoteFish, render: renderFish, file: "venvhook.fish", load: (file) => `source ${file}` };
