// Every command but the hook's `export` calls (see main.ts): the CLI
// wiring. Each command is one file in src/commands/, registered here in the
// order --help lists them.
import { Command, Option } from "commander";
import { writeSync } from "node:fs";
import pkg from "../package.json" with { type: "json" };
import { allowCommand } from "./commands/allow.ts";
import { allowedCommand } from "./commands/allowed.ts";
import { completeCommand } from "./commands/complete.ts";
import { createCommand } from "./commands/create.ts";
import { denyCommand } from "./commands/deny.ts";
import { doctorCommand } from "./commands/doctor.ts";
import { runExport } from "./commands/export.ts";
import { gcCommand } from "./commands/gc.ts";
import { ignoreCommands } from "./commands/ignore.ts";
import { initCommand, SET_UP } from "./commands/init.ts";
import { linkCommand } from "./commands/link.ts";
import { listCommand } from "./commands/list.ts";
import { onOffCommands } from "./commands/on-off.ts";
import { pruneCommand } from "./commands/prune.ts";
import { pythonCommand } from "./commands/python.ts";
import { rmCommand } from "./commands/rm.ts";
import { runCommand } from "./commands/run.ts";
import { statusCommand } from "./commands/status.ts";
import { useCommand } from "./commands/use.ts";
import { SHELL_NAMES } from "./shells/index.ts";
import { printable, UserError } from "./shared/messages.ts";

export async function runCli(args: readonly string[]): Promise<void> {
  const program = new Command("venvhook")
    .description("Python virtual environments that follow your working directory")
    .version(pkg.version, "-v, --version")
    // -V, as commander spells it by default, still works.
    .addOption(new Option("-V").hideHelp())
    .on("option:V", () => {
      writeSync(1, `${pkg.version}\n`);
      process.exit(0);
    })
    // `run` passes what follows its command to it, which needs options placed by command.
    .enablePositionalOptions()
    // One line: commander's "error: " prefix becomes ours, its suggestion joins the line.
    .configureOutput({
      outputError: (text, write) => write(`venvhook: ${printable(text.replace(/^error: /, "").trim().replace(/\n+/g, " "))}\n`),
    })
    .showSuggestionAfterError()
    .addHelpText("after", SET_UP);

  initCommand(program);
  exportCommand(program);
  for (const add of [onOffCommands, statusCommand, runCommand, pythonCommand, allowCommand, denyCommand, allowedCommand, pruneCommand, createCommand, linkCommand, useCommand, ignoreCommands, listCommand, gcCommand, rmCommand, doctorCommand, completeCommand]) {
    add(program);
  }

  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (error) {
    if (error instanceof UserError) {
      writeSync(2, `venvhook: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

/**
 * The CLI's view of export, for --help and a missing shell: the hook's calls
 * take the fast path in main.ts, and this wiring in commands/export.ts costs every cd.
 */
function exportCommand(program: Command): void {
  program
    .command("export")
    .argument("<shell>", SHELL_NAMES.join(" | "))
    .option("--quiet", "do not print notices")
    .option("--off", "turn venvhook's env off in this shell until it leaves the project (venvhook off)")
    .option("--on", "turn it back on (venvhook on)")
    .option("--defer", "hold notices and questions back for the prompt (the hook's cd handler)")
    .description("print the shell code that moves this shell to what should be active here (the hook runs this)")
    .action(async (name: string, options: { quiet?: boolean; off?: boolean; on?: boolean; defer?: boolean }) => {
      const flags = (["quiet", "off", "on", "defer"] as const).filter((flag) => options[flag]).map((flag) => `--${flag}`);
      process.exitCode = await runExport([name, ...flags]);
    });
}
