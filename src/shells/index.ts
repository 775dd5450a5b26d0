import type { ShellAdapter, ShellName } from "./adapter.ts";
import { SHELL_NAMES } from "./adapter.ts";
import { bash } from "./bash.ts";
import { fish } from "./fish.ts";
import { pwsh } from "./pwsh.ts";
import { tcsh } from "./tcsh.ts";
import { zsh } from "./zsh.ts";

const adapters: Record<ShellName, ShellAdapter> = { bash, zsh, fish, pwsh, tcsh };

export function shellAdapter(name: string): ShellAdapter | undefined {
  return (SHELL_NAMES as readonly string[]).includes(name) ? adapters[name as ShellName] : undefined;
}

export { SHELL_NAMES };
