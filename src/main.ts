// Entry point. `export` runs on every directory change, so it is dispatched
// before the CLI framework and the other commands are loaded. (No top-level
// await: `bun build --bytecode` compiles to CommonJS.)
import { runExport } from "./commands/export.ts";
import { failure, warn } from "./shared/messages.ts";

const args = process.argv.slice(2);

function fail(error: unknown): void {
  // The reader of stdout went away (`venvhook init fish | true`, `| head -1`): nothing to tell anyone.
  if ((error as NodeJS.ErrnoException | undefined)?.code === "EPIPE") return;
  warn(failure(args.find((arg) => !arg.startsWith("-")) ?? "venvhook", error));
  process.exitCode = 1;
}

// Help, or no shell named, goes to the CLI, which answers them as for every command.
if (args[0] === "export" && args[1] && !args.includes("--help") && !args.includes("-h")) {
  runExport(args.slice(1)).then((code) => {
    process.exitCode = code;
  }, fail);
} else {
  import("./cli.ts").then(({ runCli }) => runCli(args)).catch(fail);
}
