// `venvhook use <label> [dir]`: switch the project to another of its envs in the store.
import type { Command } from "commander";
import { workingFolder } from "../discovery/venv.ts";
import { printable } from "../shared/messages.ts";
import { useLabel } from "../store/link.ts";
import { example, folderArgument, out } from "./common.ts";

export function useCommand(program: Command): void {
  program
    .command("use")
    .argument("<label>", "one of the project's envs in venvhook's store")
    .argument("[dir]", "folder in the project", ".")
    .description("make another of the project's central envs the active one")
    .addHelpText("after", example("venvhook use py313"))
    .action((label: string, dir: string) => {
      const linked = useLabel(folderArgument(dir, workingFolder()), label);
      out(`using '${printable(label)}': ${printable(linked.env)}\n`);
    });
}
