// `venvhook ignore` and `unignore`: whether to offer an env for a project.
import type { Command } from "commander";
import { setIgnored } from "../create/ignored.ts";
import { projectRoot } from "../discovery/project.ts";
import { workingFolder } from "../discovery/venv.ts";
import { printable } from "../shared/messages.ts";
import { example, folderArgument, out } from "./common.ts";

export function ignoreCommands(program: Command): void {
  program
    .command("ignore")
    .argument("[dir]", "folder in the project", ".")
    .description("never offer to create an env for this project")
    .addHelpText("after", example("venvhook ignore ~/src/scratch"))
    .action((dir: string) => ignore(dir, true));

  program
    .command("unignore")
    .argument("[dir]", "folder in the project", ".")
    .description("offer to create an env for this project again")
    .addHelpText("after", example("venvhook unignore ~/src/scratch"))
    .action((dir: string) => ignore(dir, false));
}

function ignore(dir: string, ignored: boolean): void {
  const root = projectRoot(folderArgument(dir, workingFolder()));
  const shown = printable(root);
  const changed = setIgnored(root, ignored);
  if (ignored) out(changed ? `ignoring ${shown}: no more offers to create an env there\n` : `${shown} was already ignored\n`);
  else out(changed ? `${shown} is no longer ignored\n` : `${shown} was not ignored\n`);
}
