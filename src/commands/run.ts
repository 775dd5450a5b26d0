// `venvhook run [--dir DIR] [--] COMMAND [ARGS...]`: a command run in the env
// that applies to a folder, found and judged as the hook would, with the
// environment the hook would give a shell there. For scripts, Makefiles, git
// hooks, cron and CI, where no hook is loaded.
import type { Command } from "commander";
import { childEnv } from "../activation/child-env.ts";
import { host } from "../activation/platform.ts";
import { undecodableVariables } from "../activation/undecodable.ts";
import { requireWanted } from "../activation/wanted.ts";
import { workingFolder } from "../discovery/venv.ts";
import { runChild } from "../shared/child.ts";
import { printable, UserError, warn } from "../shared/messages.ts";
import { findCommand } from "../shared/which.ts";
import { example, folderArgument, requireFound } from "./common.ts";

/** A shell's statuses for a command it cannot find, and for one it cannot run. */
const NOT_FOUND = 127;
const NOT_RUNNABLE = 126;

export function runCommand(program: Command): void {
  program
    .command("run")
    .usage("[--dir DIR] [--] COMMAND [ARGS...]")
    .argument("<command>", "what to run, looked up on the env's PATH")
    .argument("[args...]", "its arguments, passed as they are (options included)")
    .option("--dir <dir>", "find the env from this folder instead of the current one")
    // Everything after COMMAND is COMMAND's: `venvhook run pytest -x` passes -x to pytest.
    .passThroughOptions()
    .description("run a command in the env that applies here, as the hook would activate it (no hook needed)")
    .addHelpText("after", example("venvhook run --dir ~/src/shop pytest -x"))
    .action(async (command: string, args: string[], options: { dir?: string }) => {
      const cwd = workingFolder();
      const wanted = requireWanted(await requireFound(folderArgument(options.dir ?? ".", cwd)), cwd);
      // bun read them with U+FFFD for the bytes that are not UTF-8: passed on, they would not be what the caller had.
      const undecodable = undecodableVariables(Object.keys(process.env).map((name) => ({ name })), process.env);
      if (undecodable.length > 0) {
        throw new UserError(`${undecodable.join(" and ")} ${undecodable.length === 1 ? "holds" : "hold"} bytes that are not UTF-8, which venvhook cannot pass on unchanged; take them out to run commands with it`);
      }
      const env = childEnv(process.env, wanted);
      const file = findCommand(command, env[host.pathVar(env)], process.cwd());
      if (!file) {
        warn(`no command '${printable(command)}' in ${printable(wanted.bin)} or on PATH; install it in the env, or name it by its path`);
        process.exitCode = NOT_FOUND;
        return;
      }
      try {
        process.exitCode = await runChild(file, args, env);
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        warn(`cannot run ${printable(file)} (${reason}); check that it is a program this system can start`);
        process.exitCode = NOT_RUNNABLE;
      }
    });
}
