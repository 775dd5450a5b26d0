// `venvhook init <shell>`: the hook for the shell's rc file.
import type { Command } from "commander";
import { writeSync } from "node:fs";
import { SHELL_NAMES, shellAdapter, unknownShell } from "../shells/index.ts";
import { initText } from "../shells/init-text.ts";
import { UserError } from "../shared/messages.ts";

/** The line for each shell's rc file, shown by --help and init --help (status points there). */
export const SET_UP = `\nSet up: add to your shell's rc file
  bash    eval "$(venvhook init bash)"
  zsh     eval "$(venvhook init zsh)"
  fish    status is-interactive; and venvhook init fish | source
  pwsh    Invoke-Expression ((& venvhook init pwsh) -join "\`n")
  nu      mkdir ($nu.data-dir | path join vendor autoload); venvhook init nu | save -f ($nu.data-dir | path join vendor autoload venvhook.nu)
  elvish  eval (venvhook init elvish | slurp)
  tcsh    if ( $?prompt ) eval \`venvhook init tcsh\`
  xonsh   execx(__import__('subprocess').check_output(['venvhook', 'init', 'xonsh'], text=True), 'exec', __xonsh__.ctx, filename='venvhook')
A faster start: 'venvhook init <shell> --write' writes the hook to a file and
prints the line that loads it, to use instead (no process in a new shell).`;

export function initCommand(program: Command): void {
  program
    .command("init")
    .argument("<shell>", SHELL_NAMES.join(" | "))
    .description("print the hook for your shell's rc file")
    .option("--write", `write the hook to a file instead, and print the rc line that loads it: a new shell then starts without running venvhook (install.sh does this; run it again after upgrading venvhook another way)`)
    .addHelpText("after", SET_UP)
    .action((name: string, options: { write?: boolean }) => {
      const shell = shellAdapter(name);
      if (!shell) throw new UserError(unknownShell(name));
      if (!options.write) return void runInit(name);
      // Loaded here only: every new shell runs init, and the fast path needs none of this.
      return import("../shells/hook-file.ts").then(({ writeHook }) => void writeSync(1, `${writeHook(shell)}\n`));
    });
}

/**
 * Prints the hook for a shell; false for a shell it does not know. Every new
 * shell runs this, so main.ts calls it before the CLI framework is loaded.
 */
export function runInit(name: string): boolean {
  const shell = shellAdapter(name);
  if (!shell) return false;
  writeSync(1, initText(shell));
  return true;
}
