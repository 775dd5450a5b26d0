// `venvhook allowed`: what the trust store allows, and whether each is still there.
import type { Command } from "commander";
import { printable } from "../shared/messages.ts";
import { allowedEntries, loadTrust, type AllowedEntry } from "../trust/trust.ts";
import { example, out } from "./common.ts";
import { localTime } from "./status.ts";

export function allowedCommand(program: Command): void {
  program
    .command("allowed")
    .option("--json", "machine-readable output")
    .description("list the envs and pointer files allowed, since when, and whether each still exists")
    .addHelpText("after", example("venvhook allowed --json"))
    .action((options: { json?: boolean }) => {
      const entries = allowedEntries(loadTrust());
      if (options.json) out(`${JSON.stringify(entries, null, 2)}\n`);
      else if (entries.length === 0) out("nothing is allowed yet; 'venvhook allow' in a project allows its env\n");
      else out(entries.map((entry) => `${shownEntry(entry)}\n`).join(""));
    });
}

/** `env /p/.venv, allowed 2026-12-03 10:15 (UTC+01:00), made by venvhook`, with `; gone: …` when it is. */
export function shownEntry(entry: AllowedEntry): string {
  const what = entry.kind === "env" ? `env ${printable(entry.path)}` : `pointer ${printable(entry.path)} -> ${printable(entry.target)}`;
  const made = entry.kind === "env" && entry.created ? ", made by venvhook" : "";
  const gone = entry.gone ? `; gone: ${printable(entry.gone)}` : "";
  return `${what}, allowed ${localTime(entry.allowed)}${made}${gone}`;
}
