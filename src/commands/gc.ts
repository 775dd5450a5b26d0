// `venvhook gc`: the store's envs no project points to, listed, and removed with --yes.
import type { Command } from "commander";
import { writeSync } from "node:fs";
import { formatSize, knownEnvs, removeEnv, type KnownEnv } from "../store/inventory.ts";
import { printable, warn } from "../shared/messages.ts";
import { storeRoot } from "../store/central.ts";
import { example } from "./common.ts";

export function gcCommand(program: Command): void {
  program
    .command("gc")
    .option("-y, --yes", "remove them")
    .description("list the store's orphaned envs, and remove them with --yes")
    .addHelpText("after", example("venvhook gc --yes"))
    .action((options: { yes?: boolean }) => {
      const orphans = knownEnvs().filter((env) => env.orphan);
      const root = printable(storeRoot());
      if (orphans.length === 0) {
        writeSync(1, `no orphan envs in ${root}\n`);
        return;
      }
      const lines = orphans.map((env) => `  ${formatSize(env.size)}  ${printable(env.path)}  ${printable(env.why ?? "")}\n`);
      writeSync(1, `${count(orphans)} in ${root}:\n${lines.join("")}`);
      if (!options.yes) {
        writeSync(1, `total ${total(orphans)}; run 'venvhook gc --yes' to remove ${orphans.length === 1 ? "it" : "them"}\n`);
        return;
      }
      const removed = orphans.filter((env) => {
        try {
          removeEnv(env.path);
          return true;
        } catch (error) {
          warn(`could not remove ${printable(env.path)}: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        }
      });
      if (removed.length < orphans.length) process.exitCode = 1;
      writeSync(1, `removed ${count(removed)}, ${total(removed)}\n`);
    });
}

function count(envs: KnownEnv[]): string {
  return envs.length === 1 ? "1 orphan env" : `${envs.length} orphan envs`;
}

function total(envs: KnownEnv[]): string {
  return formatSize(envs.reduce((sum, env) => sum + env.size, 0));
}
