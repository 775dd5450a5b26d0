// `venvhook create [dir]`: a new env for the project, allowed (the work is in src/create/).
import { Option, type Command } from "commander";
import { BACKENDS, createdLine, createEnv, type CreateOptions } from "../create/create.ts";
import { workingFolder } from "../discovery/venv.ts";
import { printable } from "../shared/messages.ts";
import { activeIn, example, folderArgument, out } from "./common.ts";

/** A repeatable option's values, in order. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function createCommand(program: Command): void {
  program
    .command("create")
    .argument("[dir]", "folder in the project", ".")
    .description("create .venv in the project's root, allowed and, through the shell function, active at once")
    .addHelpText("after", example("venvhook create --python 3.12 --install"))
    .option("--python <version-or-path>", "the interpreter: a version (3.12) or a path; default: .python-version, then requires-python")
    .addOption(new Option("--backend <backend>", "how to make it; auto uses uv if it is on PATH, else virtualenv if it is installed, else venv ('venvhook status' says which)").choices(BACKENDS).default("auto"))
    .option("--prompt <name>", "the name shown in the prompt (default: the project folder's name)")
    .option("--install [extras]", "install the project into it (editable; with extras: --install dev,test or '.[dev]'), or its requirements.txt")
    .option("--group <name>", "with --install: a dependency group to install too (pip 25.1+ or uv); repeat for more", collect, [])
    .option("--installer-arg <arg>", "with --install: passed to pip (or uv pip) as it is, e.g. --installer-arg=--no-deps; repeat for more", collect, [])
    .option("--central", "create it in venvhook's store, and point the project's .venv at it")
    .option("--name <label>", "with --central: the env's label, to keep several per project (default: default)")
    .option("--force", "replace an existing env (asks first, unless --yes)")
    .option("-y, --yes", "do not ask")
    .action(async (dir: string, options: CreateOptions) => {
      const created = await createEnv(folderArgument(dir, workingFolder()), options);
      const made = created.byOther ? `${printable(created.env)} was just created by another venvhook` : createdLine(created);
      out(`${made}: ${activeIn(created.name, created.root)}\n`);
    });
}
