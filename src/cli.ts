// Every command but `export` (see main.ts): the CLI wiring, apart from the logic.
import { Command, Option } from "commander";
import { realpathSync, writeSync } from "node:fs";
import path from "node:path";
import pkg from "../package.json" with { type: "json" };
import { envName, projectFolder, workingFolder, type Found } from "./discovery/venv.ts";
import { BACKENDS, createEnv, type CreateOptions } from "./create/create.ts";
import { runExport } from "./commands/export.ts";
import { setIgnored } from "./create/ignored.ts";
import { addInventoryCommands } from "./commands/inventory.ts";
import { linkEnv, useLabel } from "./store/link.ts";
import { discover, toolContext } from "./discovery/index.ts";
import { TOOL_COMMANDS, TOOL_NAMES } from "./discovery/tools/names.ts";
import { projectRoot } from "./discovery/project.ts";
import { printable, UserError } from "./shared/messages.ts";
import { renderHook } from "./shells/adapter.ts";
import { SHELL_NAMES, shellAdapter, unknownShell } from "./shells/index.ts";
import { renderStatus, statusReport } from "./commands/status.ts";
import { allow, deny, resolveEnv, unsafeReason, updateTrust } from "./trust/trust.ts";
import { mayBeUndecodable, undecodableFolder } from "./activation/undecodable.ts";

/** The line for each shell's rc file, shown by --help and init --help (status points there). */
const SET_UP = `\nSet up: add to your shell's rc file
  bash    eval "$(venvhook init bash)"
  zsh     eval "$(venvhook init zsh)"
  fish    status is-interactive; and venvhook init fish | source
  pwsh    Invoke-Expression ((& venvhook init pwsh) -join "\`n")
  nu      mkdir ($nu.data-dir | path join vendor autoload); venvhook init nu | save -f ($nu.data-dir | path join vendor autoload venvhook.nu)
  elvish  eval (venvhook init elvish | slurp)
  tcsh    if ( $?prompt ) eval \`venvhook init tcsh\`
  xonsh   execx($(venvhook init xonsh), 'exec', __xonsh__.ctx, filename='venvhook')`;

export async function runCli(args: readonly string[]): Promise<void> {
  const program = new Command("venvhook")
    .description("Python virtual environments that follow your working directory")
    .version(pkg.version, "-V, --version")
    // One line: commander's "error: " prefix becomes ours, its suggestion joins the line.
    .configureOutput({
      outputError: (text, write) => write(`venvhook: ${printable(text.replace(/^error: /, "").trim().replace(/\n+/g, " "))}\n`),
    })
    .showSuggestionAfterError()
    .addHelpText("after", SET_UP);

  program
    .command("init")
    .argument("<shell>", SHELL_NAMES.join(" | "))
    .description("print the hook for your shell's rc file")
    .addHelpText("after", SET_UP)
    .action((name: string) => {
      const shell = shellAdapter(name);
      if (!shell) throw new UserError(unknownShell(name));
      const hook = renderHook(shell, executablePath());
      out(shell.init ? shell.init(hook) : hook);
    });

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

  // The shell function `venvhook` runs these as `export --off/--on`: only the
  // shell can change its own environment. Run as the binary, they say so.
  for (const [name, description] of [
    ["off", "turn venvhook's env off in this shell until you leave its project (what `deactivate` does)"],
    ["on", "turn it back on"],
  ] as const) {
    program
      .command(name)
      .description(description)
      .action(() => {
        // tcsh's hook has done it already and runs the binary last only so pipes and redirections work: end with its status.
        const done = process.env.VENVHOOK_DONE;
        if (done !== undefined && /^\d+$/.test(done)) {
          process.exitCode = Number(done);
          return;
        }
        throw new UserError(`'venvhook ${name}' changes your shell, so it goes through the shell hook: load it with the line 'venvhook --help' shows`);
      });
  }

  program
    .command("status")
    .argument("[dir]", "folder to look from", ".")
    .option("--json", "machine-readable output")
    .description("explain what is found from a folder, whether it is allowed and active, and why")
    .action(async (dir: string, options: { json?: boolean }) => {
      const cwd = workingFolder();
      const report = await statusReport(folderArgument(dir, cwd), process.env, cwd);
      out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
    });

  program
    .command("allow")
    .argument("[dir]", "folder to look from", ".")
    .description("allow the env found from a folder upward (a .venv, or one a tool keeps for the project) to be activated")
    .action(async (dir: string) => {
      const from = folderArgument(dir, workingFolder());
      const found = await requireFound(from);
      if (found.kind === "broken") throw new UserError(`${printable(found.venv)} is not usable: ${found.problem}`);
      const real = resolveEnv(found.env);
      const unsafe = "problem" in real ? real.problem : unsafeReason(real);
      if (unsafe) throw new UserError(`not allowing ${shown(found)}: ${printable(unsafe)}`);
      const allowed = updateTrust((store) => allow(found, store));
      // Where a pointer or a symbolic link really leads: what will go on PATH.
      const leads = found.pointer ? "pointing" : "leading";
      const target = allowed.env !== found.venv ? ` (${leads} to ${printable(allowed.env)})` : "";
      const where = projectFolder(found);
      out(`allowed ${shown(found)}${target}: '${printable(envName(found.env, found.config))}' is active in ${printable(where)} and below\n`);
    });

  program
    .command("deny")
    .argument("[dir]", "folder to look from", ".")
    .description("withdraw the permission given by allow; the env is deactivated at once")
    .action(async (dir: string) => {
      const found = await requireFound(folderArgument(dir, workingFolder()));
      if (updateTrust((store) => deny(found, store))) {
        out(`denied ${shown(found)}; it will not be activated until you allow it again\n`);
      } else {
        out(`${shown(found)} was not allowed; nothing to do\n`);
      }
    });

  program
    .command("create")
    .argument("[dir]", "folder in the project", ".")
    .description("create .venv in the project's root, allowed and, through the shell function, active at once")
    .option("--python <version-or-path>", "the interpreter: a version (3.12) or a path; default: .python-version, then requires-python")
    .addOption(new Option("--backend <backend>", "how to make it; auto uses uv when it is on PATH").choices(BACKENDS).default("auto"))
    .option("--prompt <name>", "the name shown in the prompt (default: the project folder's name)")
    .option("--install", "install the project into it (editable), or its requirements.txt")
    .option("--central", "create it in venvhook's store, and point the project's .venv at it")
    .option("--name <label>", "with --central: the env's label, to keep several per project (default: default)")
    .option("--force", "replace an existing env (asks first, unless --yes)")
    .option("-y, --yes", "do not ask")
    .action(async (dir: string, options: CreateOptions) => {
      const created = await createEnv(folderArgument(dir, workingFolder()), options);
      out(
        created.byOther
          ? `${printable(created.env)} was just created by another venvhook; it is allowed\n`
          : `'${printable(created.name)}' is active in ${printable(created.root)} and below\n`,
      );
    });

  program
    .command("link")
    .argument("<path-or-name>", "an env: a path, or a name in $WORKON_HOME, ~/.virtualenvs or this project's store envs")
    .argument("[dir]", "folder in the project", ".")
    .option("--force", "link even when that leaves the project's envs in venvhook's store unused, for 'gc' to remove")
    .description("point the project's .venv at an existing env, and allow it")
    .action((spec: string, dir: string, options: { force?: boolean }) => {
      const cwd = workingFolder();
      const linked = linkEnv(folderArgument(dir, cwd), spec, cwd, options.force);
      out(`${printable(linked.pointer)} now points to ${printable(linked.env)}, allowed\n`);
    });

  program
    .command("use")
    .argument("<label>", "one of the project's envs in venvhook's store")
    .argument("[dir]", "folder in the project", ".")
    .description("make another of the project's central envs the active one")
    .action((label: string, dir: string) => {
      const linked = useLabel(folderArgument(dir, workingFolder()), label);
      out(`using '${printable(label)}': ${printable(linked.env)}\n`);
    });

  program
    .command("ignore")
    .argument("[dir]", "folder in the project", ".")
    .description("never offer to create an env for this project")
    .action((dir: string) => ignoreCommand(dir, true));

  program
    .command("unignore")
    .argument("[dir]", "folder in the project", ".")
    .description("offer to create an env for this project again")
    .action((dir: string) => ignoreCommand(dir, false));

  addInventoryCommands(program);

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

function ignoreCommand(dir: string, ignored: boolean): void {
  const from = folderArgument(dir, workingFolder());
  const root = projectRoot(from);
  const shown = printable(root);
  const changed = setIgnored(root, ignored);
  if (ignored) out(changed ? `ignoring ${shown}: no more offers to create an env there\n` : `${shown} was already ignored\n`);
  else out(changed ? `${shown} is no longer ignored\n` : `${shown} was not ignored\n`);
}

function out(text: string): void {
  writeSync(1, text);
}

function folderArgument(dir: string, cwd: string): string {
  const folder = path.resolve(cwd, dir);
  try {
    realpathSync(folder);
  } catch {
    if (mayBeUndecodable(folder)) throw new UserError(undecodableFolder(folder));
    throw new UserError(`${printable(dir)} is not a folder that exists`);
  }
  return folder;
}

async function requireFound(from: string): Promise<Found> {
  const { found, expected } = await discover(toolContext(from, process.env));
  if (found) return found;
  if (expected) {
    const tool = TOOL_NAMES[expected.tool];
    throw new UserError(`${tool} has not made the env of ${printable(expected.project)} yet; run '${TOOL_COMMANDS[expected.tool]}' there first`);
  }
  throw new UserError(`no .venv in ${printable(from)} or any folder above it; make one with 'python3 -m venv .venv'`);
}

/** The `.venv` (or pointer) path, or for a tool's env: "Poetry's env /path/to/env". */
function shown(found: Found): string {
  if (found.kind === "env" && found.managed && !found.pointer) return `${TOOL_NAMES[found.managed.tool]}'s env ${printable(found.env)}`;
  return printable(found.venv);
}

/** The path the hook calls: this executable when compiled, else the script Node runs. */
function executablePath(): string {
  const script = process.argv[1];
  const compiled = !script || script.startsWith("/$bunfs/") || script.includes("~BUN");
  return compiled ? process.execPath : realpathSync(script);
}
