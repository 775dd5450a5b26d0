// `venvhook init <shell>`: the hook for the shell's rc file.
import type { Command } from "commander";
import { realpathSync, writeSync } from "node:fs";
import { renderHook } from "../shells/adapter.ts";
import { SHELL_NAMES, shellAdapter, unknownShell } from "../shells/index.ts";
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
  xonsh   execx($(venvhook init xonsh), 'exec', __xonsh__.ctx, filename='venvhook')`;

export function initCommand(program: Command): void {
  program
    .command("init")
    .argument("<shell>", SHELL_NAMES.join(" | "))
    .description("print the hook for your shell's rc file")
    .addHelpText("after", SET_UP)
    .action((name: string) => {
      if (!runInit(name)) throw new UserError(unknownShell(name));
    });
}

/**
 * Prints the hook for a shell; false for a shell it does not know. Every new
 * shell runs this, so main.ts calls it before the CLI framework is loaded.
 */
export function runInit(name: string): boolean {
  const shell = shellAdapter(name);
  if (!shell) return false;
  const hook = renderHook(shell, executablePath());
  writeSync(1, shell.init ? shell.init(hook) : hook);
  return true;
}

/** The path the hook calls: this executable when compiled, else the script Node runs. */
function executablePath(): string {
  const script = process.argv[1];
  const compiled = !script || script.startsWith("/$bunfs/") || script.includes("~BUN");
  return compiled ? process.execPath : realpathSync(script);
}
