// `venvhook off` and `venvhook on`. The shell function `venvhook` runs these
// as `export --off/--on`: only the shell can change its own environment. Run
// as the binary, they say so.
import type { Command } from "commander";
import { UserError } from "../shared/messages.ts";

export function onOffCommands(program: Command): void {
  for (const [name, description] of [
    ["off", "turn venvhook's env off in this shell until you leave its project (what `deactivate` does)"],
    ["on", "turn it back on"],
  ] as const) {
    program
      .command(name)
      .description(description)
      .action(() => {
        // tcsh's hook has done it already and runs the binary last only so pipes and redirections work: end with its status.
        const done = process.env.VENVHOOK_DONE;
        if (done !== undefined && /^\d+$/.test(done)) {
          process.exitCode = Number(done);
          return;
        }
        throw new UserError(`'venvhook ${name}' changes your shell, so it goes through the shell hook: load it with the line 'venvhook --help' shows`);
      });
  }
}
