import type { ShellAdapter, ShellName } from "./adapter.ts";
import { SHELL_NAMES } from "./adapter.ts";
import { printable } from "../shared/messages.ts";
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

/** Names people type for a shell venvhook calls otherwise. */
const OTHER_NAMES: Readonly<Record<string, ShellName>> = { powershell: "pwsh", "powershell.exe": "pwsh", "pwsh.exe": "pwsh", nushell: "nu" };

/** Why `name` is not a shell venvhook knows, in one line: what it may have meant, and the names it knows. */
export function unknownShell(name: string): string {
  const meant = OTHER_NAMES[name.toLowerCase()];
  const hint = meant ? `: venvhook calls it '${meant}'` : "";
  return `unknown shell '${printable(name)}'${hint}; use one of ${SHELL_NAMES.join(", ")}`;
}
