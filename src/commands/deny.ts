// `venvhook deny [dir]`: withdraw what allow gave.
import type { Command } from "commander";
import { workingFolder } from "../discovery/venv.ts";
import { deny, updateTrust } from "../trust/trust.ts";
import { example, folderArgument, out, requireFound, shownFound } from "./common.ts";

export function denyCommand(program: Command): void {
  program
    .command("deny")
    .argument("[dir]", "folder to look from", ".")
    .description("withdraw the permission given by allow; the env is deactivated at once")
    .addHelpText("after", example("venvhook deny ~/src/shop"))
    .action(async (dir: string) => {
      const found = await requireFound(folderArgument(dir, workingFolder()));
      if (updateTrust((store) => deny(found, store))) {
        out(`denied ${shownFound(found)}; it will not be activated until you allow it again\n`);
      } else {
        out(`${shownFound(found)} was not allowed; nothing to do\n`);
      }
    });
}
