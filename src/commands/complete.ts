// `venvhook __complete [--folders] [--plain] (-- <words...> | --line <text>)`: what TAB offers, asked by
// the hooks' completion functions at TAB time (as cobra's `__complete` is),
// so the hooks stay a few lines each and the values are current. The words
// are the command line after `venvhook`, the last one the word being
// completed (empty for a new word). The subcommands and options are read
// from commander's registered commands, so new commands complete at once.
//
// Output, one item a line: first how the shell should add folders ("folders":
// its own folder completion, or "none"), then each candidate, "value<TAB>what
// it is". With --folders the binary lists the folders itself (for shells
// without a folder completion to call) and says "none"; --plain prints only
// the values (tcsh splits what a command prints into words). Names come from
// folders nobody vetted: one holding a control character (a newline, a tab,
// an escape) or undecodable bytes is left out, never passed on.
import type { Argument, Command, Option } from "commander";
import { homedir } from "node:os";
import path from "node:path";
import { projectRoot } from "../discovery/project.ts";
import { namesIn, statOrUndefined } from "../shared/fs-quiet.ts";
import { workingFolder } from "../discovery/venv.ts";
import { SHELL_NAMES } from "../shells/index.ts";
import { badLabel, subfolders } from "../store/central.ts";
import { storeLabels } from "../store/link.ts";
import { out } from "./common.ts";

interface Candidate {
  value: string;
  note: string;
}

interface Completion {
  candidates: Candidate[];
  /** Whether folders are among what fits here. */
  folders: boolean;
}

export function completeCommand(program: Command): void {
  program
    .command("__complete", { hidden: true })
    .argument("[words...]", "the command line after 'venvhook', the last word the one being completed")
    .option("--folders", "list the folders that fit instead of leaving them to the shell")
    .option("--line <text>", "the command line up to the cursor, split at blanks here (instead of words)")
    .option("--plain", "only the values that are plain words, one a line, nothing else (for tcsh, which splits and globs them)")
    .description("print what TAB offers (the hooks' completion functions run this)")
    .action((given: string[], options: { folders?: boolean; line?: string; plain?: boolean }) => {
      const words = options.line === undefined ? given : lineWords(options.line);
      const cwd = workingFolder();
      const completion = complete(program, words.length ? words : [""], cwd);
      const candidates = [...completion.candidates];
      if (completion.folders && options.folders) candidates.push(...folderCandidates(words.at(-1) ?? "", cwd));
      const fit = candidates.filter(({ value }) => safe(value));
      const lines = options.plain
        ? fit.filter(({ value }) => PLAIN.test(value)).map(({ value }) => value)
        : [completion.folders && !options.folders ? "folders" : "none", ...fit.map(({ value, note }) => `${value}\t${note.replace(/[\p{Cc}]/gu, " ")}`)];
      out(lines.map((line) => `${line}\n`).join(""));
    });
}

/** A word no shell quotes, splits or globs. */
const PLAIN = /^[\w./:+-]+$/;

/** The words after the command's name in a line that ends at the cursor: a blank at the end starts a new, empty word. */
export function lineWords(line: string): string[] {
  return line.trimStart().split(/\s+/).slice(1);
}

/** A value a shell may be handed as it is: no control character, nothing undecoded. */
function safe(value: string): boolean {
  return value !== "" && !/[\p{Cc}\u2028\u2029\ufffd]/u.test(value);
}

/** What fits the last word of `words` (the command line after `venvhook`). */
export function complete(program: Command, words: readonly string[], cwd: string): Completion {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  const help = program.createHelp();
  const index = before.findIndex((word) => !word.startsWith("-"));
  if (index < 0) {
    if (current.startsWith("-")) return fitting(current, help.visibleOptions(program).flatMap(optionNames));
    return fitting(current, subcommands(program));
  }
  const name = before[index]!;
  // `help <command>`: commander's help command is not among program.commands.
  if (name === "help" && index === before.length - 1) return fitting(current, subcommands(program));
  const command = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
  if (!command) return { candidates: [], folders: false };

  // Which positional argument, or which option's value, the current word is.
  let positional = 0;
  let onlyPositionals = false;
  let valueOf: Option | undefined;
  for (const word of before.slice(index + 1)) {
    if (valueOf) {
      valueOf = undefined;
    } else if (onlyPositionals || !word.startsWith("-") || word === "-") {
      positional++;
    } else if (word === "--") {
      onlyPositionals = true;
    } else if (!word.includes("=")) {
      const option = command.options.find((o) => o.long === word || o.short === word);
      if (option?.required) valueOf = option;
    }
  }
  if (valueOf) return optionValue(valueOf, current);
  if (!onlyPositionals && current.startsWith("-")) return fitting(current, help.visibleOptions(command).flatMap(optionNames));
  const args = command.registeredArguments;
  const argument = args[positional] ?? (args.at(-1)?.variadic ? args.at(-1) : undefined);
  return argument ? argumentValue(argument, current, cwd) : { candidates: [], folders: false };
}

/** The commands --help lists (commander's own `help` too), not the hidden ones. */
function subcommands(program: Command): Candidate[] {
  return program.createHelp().visibleCommands(program).map((command) => ({ value: command.name(), note: command.description() }));
}

/** An option's long name, or its short one when it has none. */
function optionNames(option: Option): Candidate[] {
  const name = option.long ?? option.short;
  return name ? [{ value: name, note: option.description }] : [];
}

/** An option's value: its choices, or folders where it takes one (--dir <dir>). */
function optionValue(option: Option, current: string): Completion {
  if (option.argChoices) return fitting(current, option.argChoices.map((value) => ({ value, note: "" })));
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? "";
  if (isFolder(valueName)) return { candidates: [], folders: true };
  if (valueName === "shell") return fitting(current, shellNames());
  return { candidates: [], folders: false };
}

/** A positional argument's value, by what its name says it is. */
function argumentValue(argument: Argument, current: string, cwd: string): Completion {
  const name = argument.name();
  if (argument.argChoices) return fitting(current, argument.argChoices.map((value) => ({ value, note: "" })));
  if (name === "shell") return fitting(current, shellNames());
  if (isFolder(name)) return { candidates: [], folders: true };
  // use <label>, rm <label-or-path>: the project's envs in the store.
  if (name.startsWith("label")) return { ...fitting(current, labels(cwd)), folders: name !== "label" };
  // link <path-or-name>: a name as a pointer file holds one, or a path.
  if (name === "path-or-name") return { ...fitting(current, envNames(cwd)), folders: true };
  return { candidates: [], folders: false };
}

function isFolder(name: string): boolean {
  return name === "dir" || name === "folder";
}

function shellNames(): Candidate[] {
  return SHELL_NAMES.map((value) => ({ value, note: "shell" }));
}

/** The labels of this project's envs in venvhook's store. */
function labels(cwd: string): Candidate[] {
  return storeLabels(projectRoot(cwd)).sort().map((value) => ({ value, note: "env in venvhook's store" }));
}

/** What `link` finds by name: the project's store labels, then $WORKON_HOME, then ~/.virtualenvs. */
function envNames(cwd: string): Candidate[] {
  const places = [process.env.WORKON_HOME, path.join(homedir(), ".virtualenvs")].filter((place): place is string => !!place);
  const named = places.flatMap((place) => subfolders(place).map((value) => ({ value, note: `env in ${place}` })));
  const all = [...labels(cwd), ...named].filter(({ value }) => !badLabel(value));
  return all.filter((candidate, i) => all.findIndex((other) => other.value === candidate.value) === i);
}

function fitting(current: string, candidates: Candidate[]): Completion {
  return { candidates: candidates.filter(({ value }) => value.startsWith(current)), folders: false };
}

/**
 * The folders the word being completed can grow into, as the word writes them
 * (`~/` and relative parts kept), each ending with a slash; hidden ones only
 * when the word names a dot.
 */
export function folderCandidates(word: string, cwd: string): Candidate[] {
  const cut = Math.max(word.lastIndexOf("/"), path.sep === "\\" ? word.lastIndexOf("\\") : -1) + 1;
  const head = word.slice(0, cut);
  const prefix = word.slice(cut);
  const expanded = head === "~/" || head.startsWith("~/") ? path.join(homedir(), head.slice(2)) : head;
  const dir = path.resolve(cwd, expanded || ".");
  return namesIn(dir)
    .filter((name) => name.startsWith(prefix) && (prefix.startsWith(".") || !name.startsWith(".")))
    .filter((name) => statOrUndefined(path.join(dir, name))?.isDirectory() === true)
    .sort()
    .map((name) => ({ value: `${head}${name}/`, note: "folder" }));
}
