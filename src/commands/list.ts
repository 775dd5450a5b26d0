// `venvhook list`: the envs venvhook knows, as a table or JSON.
import type { Command } from "commander";
import { writeSync } from "node:fs";
import { formatSize, knownEnvs, type KnownEnv } from "../store/inventory.ts";
import { printable } from "../shared/messages.ts";
import { storeRoot } from "../store/central.ts";
import { example } from "./common.ts";

export function listCommand(program: Command): void {
  program
    .command("list")
    .option("--json", "machine-readable output")
    .description("list the envs kept outside projects: in venvhook's store, $WORKON_HOME and ~/.virtualenvs ('venvhook allowed' lists every env you allowed)")
    .addHelpText("after", example("venvhook list --json"))
    .action((options: { json?: boolean }) => {
      const envs = knownEnvs();
      if (options.json) writeSync(1, `${JSON.stringify(envs, null, 2)}\n`);
      else if (envs.length === 0) writeSync(1, `no envs in ${printable(storeRoot())}, $WORKON_HOME or ~/.virtualenvs\n`);
      else writeSync(1, table(envs));
    });
}

/** One row per env: active, project, label, Python, size, and why it is an orphan (or cannot be told). */
function table(envs: KnownEnv[]): string {
  const where = { store: "?", workon: "($WORKON_HOME)", virtualenvs: "(~/.virtualenvs)" };
  const rows = [
    ["", "project", "label", "python", "size", ""],
    ...envs.map((env) => [
      env.active ? "*" : "",
      env.project ?? where[env.source],
      env.label ?? "",
      env.python ?? "?",
      formatSize(env.size),
      env.orphan ? `orphan: ${env.why}` : (env.why ?? ""),
    ]),
  ].map((row) => row.map(printable));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()}\n`).join("");
}
