// Entry point. `export` runs on every directory change and `init` in every
// new shell, so both are dispatched before the CLI framework and the other
// commands are loaded, and each loads only its own modules. (No top-level
// await: `bun build --bytecode` compiles to CommonJS.)
import { failure, warn } from "./shared/messages.ts";

const args = process.argv.slice(2);

function fail(error: unknown): void {
  // The reader of stdout went away (`venvhook init fish | true`, `| head -1`): nothing to tell anyone.
  if ((error as NodeJS.ErrnoException | undefined)?.code === "EPIPE") return;
  warn(failure(args.find((arg) => !arg.startsWith("-")) ?? "venvhook", error));
  process.exitCode = 1;
}

function cli(): Promise<void> {
  return import("./cli.ts").then(({ runCli }) => runCli(args));
}

const [command, shell] = args;
// Help, no shell named, or anything more goes to the CLI, which answers them as for every command.
const fast = shell !== undefined && !args.includes("--help") && !args.includes("-h");
if (fast && command === "export") {
  import("./commands/export.ts")
    .then(({ runExport }) => runExport(args.slice(1)))
    .then((code) => {
      process.exitCode = code;
    }, fail);
} else if (fast && command === "init" && args.length === 2) {
  // An unknown shell is the CLI's to report.
  import("./commands/init.ts")
    .then(({ runInit }) => (runInit(shell) ? undefined : cli()))
    .catch(fail);
} else if (command === "__keys-waiting" && args.length === 1) {
  // Asked by the offer before it asks (shared/typeahead.ts): no CLI framework for it.
  import("./shared/typeahead.ts")
    .then(({ keysWaitingStatus }) => {
      process.exitCode = keysWaitingStatus();
    })
    .catch(fail);
} else {
  cli().catch(fail);
}
