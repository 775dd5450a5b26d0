// `venvhook prune`: forget the allowed envs and pointer files that are gone.
import type { Command } from "commander";
import { printable } from "../shared/messages.ts";
import { prune, updateTrust } from "../trust/trust.ts";
import { example, out } from "./common.ts";

export function pruneCommand(program: Command): void {
  program
    .command("prune")
    .description("forget the allowed envs and pointer files that no longer exist (see 'venvhook allowed')")
    .addHelpText("after", example("venvhook prune"))
    .action(() => {
      const forgotten = updateTrust(prune);
      if (forgotten.length === 0) out("nothing to prune\n");
      for (const entry of forgotten) out(`forgot ${entry.kind} ${printable(entry.path)}: ${printable(entry.gone ?? "")}\n`);
    });
}
