import type { ShellAdapter, ShellName } from "./adapter.ts";
import { SHELL_NAMES } from "./adapter.ts";
import { bash } from "./bash.ts";
import { elvish } from "./elvish.ts";
import { fish } from "./fish.ts";
import { nu } from "./nu.ts";
import { pwsh } from "./pwsh.ts";
import { tcsh } from "./tcsh.ts";
import { xonsh } from "./xonsh.ts";
import { zsh } from "./zsh.ts";

const adapters: Record<ShellName, ShellAdapter> = { bash, zsh, fish, pwsh, nu, elvish, tcsh, xonsh };

export function shellAdapter(name: string): ShellAdapter | undefined {
  return (SHELL_NAMES as readonly string[]).includes(name) ? adapters[name as ShellName] : undefined;
}

export { SHELL_NAMES };
