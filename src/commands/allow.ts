// `venvhook allow [dir]`: let the env found from a folder be activated.
import type { Command } from "commander";
import { envName, projectFolder, workingFolder } from "../discovery/venv.ts";
import { printable, UserError } from "../shared/messages.ts";
import { allow, resolveEnv, unsafeReason, updateTrust } from "../trust/trust.ts";
import { activeIn, example, folderArgument, out, requireFound, shownFound } from "./common.ts";

export function allowCommand(program: Command): void {
  program
    .command("allow")
    .argument("[dir]", "folder to look from", ".")
    .description("allow the env found from a folder upward (a .venv, or one a tool keeps for the project) to be activated")
    .addHelpText("after", example("venvhook allow"))
    .action(async (dir: string) => {
      const from = folderArgument(dir, workingFolder());
      const found = await requireFound(from);
      if (found.kind === "broken") throw new UserError(`${printable(found.venv)} is not usable: ${found.problem}`);
      const real = resolveEnv(found.env);
      const unsafe = "problem" in real ? real.problem : unsafeReason(real);
      if (unsafe) throw new UserError(`not allowing ${shownFound(found)}: ${printable(unsafe)}`);
      const allowed = updateTrust((store) => allow(found, store));
      // Where a pointer or a symbolic link really leads: what will go on PATH.
      const leads = found.pointer ? "pointing" : "leading";
      const target = allowed.env !== found.venv ? ` (${leads} to ${printable(allowed.env)})` : "";
      const where = projectFolder(found);
      out(`allowed ${shownFound(found)}${target}: ${activeIn(envName(found.env, found.config), where)}\n`);
    });
}
