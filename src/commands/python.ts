// `venvhook python [DIR]`: the interpreter of the env that applies to a
// folder, and nothing else, for editors, Makefiles and hooks to run.
import type { Command } from "commander";
import { interpreterIn, requireWanted } from "../activation/wanted.ts";
import { workingFolder } from "../discovery/venv.ts";
import { statOrUndefined } from "../shared/fs-quiet.ts";
import { printable, UserError } from "../shared/messages.ts";
import { example, folderArgument, out, requireFound } from "./common.ts";

export function pythonCommand(program: Command): void {
  program
    .command("python")
    .argument("[dir]", "folder to look from", ".")
    .description("print the path of the interpreter of the env that applies to a folder")
    .addHelpText("after", example("$(venvhook python) -m pytest"))
    .action(async (dir: string) => {
      const cwd = workingFolder();
      const wanted = requireWanted(await requireFound(folderArgument(dir, cwd)), cwd);
      const python = interpreterIn(wanted.bin);
      if (!statOrUndefined(python)?.isFile()) {
        throw new UserError(`${printable(wanted.env)} has no ${printable(python)}; re-create the env`);
      }
      out(`${python}\n`);
    });
}
