import type { Change } from "../activation/plan.ts";

export const SHELL_NAMES = ["bash", "zsh", "fish", "pwsh", "nu", "elvish", "tcsh", "xonsh"] as const;
export type ShellName = (typeof SHELL_NAMES)[number];

/** One per shell, as in direnv: the hook, how to quote a value, how to render a change. */
export interface ShellAdapter {
  name: ShellName;
  /** The hook file from shells/, with PLACEHOLDER where the binary's quoted path goes. */
  hook: string;
  quote(value: string): string;
  /** Exported changes, then shell-local variables (not exported), as code for `eval`. */
  render(changes: readonly Change[], locals: Readonly<Record<string, string>>): string;
  /** What `init` prints, when the rendered hook cannot be evaluated as it stands (default: the hook). */
  init?(rendered: string): string;
  /** The name `init --write` gives the file: the hook's own, in shells/. */
  file: string;
  /** The rc line that loads that file, quoted. */
  load(quotedFile: string): string;
}

/** A bare word, valid shell as it stands, replaced by the binary's quoted path. */
export const PLACEHOLDER = "::VENVHOOK::";

export function renderHook(shell: ShellAdapter, executable: string): string {
  if (!shell.hook.includes(PLACEHOLDER)) throw new Error(`the ${shell.name} hook has no ${PLACEHOLDER}`);
  return shell.hook.replace(PLACEHOLDER, () => shell.quote(executable));
}
