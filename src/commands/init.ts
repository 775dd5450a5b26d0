// `venvhook init <shell>`: the hook for the shell's rc file.
import type { Command } from "commander";
import { realpathSync } from "node:fs";
import { renderHook } from "../shells/adapter.ts";
import { SHELL_NAMES, shellAdapter, unknownShell } from "../shells/index.ts";
import { UserError } from "../shared/messages.ts";
import { out } from "./common.ts";

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
      const shell = shellAdapter(name);
      if (!shell) throw new UserError(unknownShell(name));
      const hook = renderHook(shell, executablePath());
      out(shell.init ? shell.init(hook) : hook);
    });
}

/** The path the hook calls: this executable when compiled, else the script Node runs. */
function executablePath(): string {
  const script = process.argv[1];
  const compiled = !script || script.startsWith("/$bunfs/") || script.includes("~BUN");
  return compiled ? process.execPath : realpathSync(script);
}
