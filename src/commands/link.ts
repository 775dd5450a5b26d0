// `venvhook link <path-or-name> [dir]`: point the project's .venv at an existing env.
import type { Command } from "commander";
import { workingFolder } from "../discovery/venv.ts";
import { printable } from "../shared/messages.ts";
import { linkEnv } from "../store/link.ts";
import { example, folderArgument, out } from "./common.ts";

export function linkCommand(program: Command): void {
  program
    .command("link")
    .argument("<path-or-name>", "an env: a path, or a name in $WORKON_HOME, ~/.virtualenvs or this project's store envs")
    .argument("[dir]", "folder in the project", ".")
    .option("--force", "link even when that leaves the project's envs in venvhook's store unused, for 'gc' to remove")
    .description("point the project's .venv at an existing env, and allow it")
    .addHelpText("after", example("venvhook link ~/.virtualenvs/shop"))
    .action((spec: string, dir: string, options: { force?: boolean }) => {
      const cwd = workingFolder();
      const linked = linkEnv(folderArgument(dir, cwd), spec, cwd, options.force);
      out(`${printable(linked.pointer)} now points to ${printable(linked.env)}, allowed\n`);
    });
}
