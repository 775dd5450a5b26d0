import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { quoteNu } from "../../../src/shells/nu.ts";
import type { Dialect } from "../dialect.ts";

const q = quoteNu;
/**
 * quoteNu already writes a tab as an escape; `!` is escaped too, because
 * reedline replaces `!!` and other `!` references with history on Enter, even inside quotes.
 */
const typed = (value: string) => q(value).replaceAll("!", "\\u{21}");

/** Where the README's init line puts the hook: loaded after config.nu. */
const AUTOLOAD = "($nu.data-dir | path join vendor autoload)";

export const nu: Dialect = {
  start(rc, { env }) {
    const configDir = path.join(env.XDG_CONFIG_HOME!, "nushell");
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, "config.nu"), rc);
    return { args: ["-i"] };
  },
  script: (script) => ["-n", "-c", script],
  // Reedline runs a bound command as a whole command line: the REPL then sets
  // LAST_EXIT_CODE (to 0) and runs the prompt hooks. So the mark keeps the
  // status it saw, and the first pre_prompt hook puts it back; the same hook
  // writes a wrapped command's status, once the REPL has set it.
  // crossterm reads xterm's F20 (`\e[34~`) as F17.
  preamble: (markFile) =>
    [
      "$env.config.show_banner = false",
      `def --env __vh_e2e_mark [] { "\\n" | save -a ${q(markFile)}; $env.__vh_e2e = {status: $env.LAST_EXIT_CODE} }`,
      "$env.config.keybindings ++= [{name: vh_e2e_mark, modifier: none, keycode: f17, mode: [emacs vi_insert vi_normal], event: {send: executehostcommand, cmd: __vh_e2e_mark}}]",
      "$env.config.hooks.pre_prompt ++= [{||",
      "  let e2e = $env.__vh_e2e?",
      "  if $e2e == null { return }",
      "  hide-env __vh_e2e",
      `  if 'done' in $e2e { $"($env.LAST_EXIT_CODE)\\n" | save -f $e2e.done }`,
      "  if 'status' in $e2e { $env.LAST_EXIT_CODE = $e2e.status }",
      "}]",
    ].join("\n"),
  // The REPL sets the status of the whole command (0 after a nushell command,
  // the program's status, 1 after an error); the record is not passed to
  // programs. The command's value becomes text through `to text` (`o>` cannot
  // write the nothing an assignment gives), and the outer `o>` takes what
  // programs inside it write. `do --env` keeps `cd` and `$env` changes.
  wrap: (command, { out, err, done }) =>
    `$env.__vh_e2e = {done: ${q(done)}}; do --env {\ndo --env {\n${command}\n} | to text\n} o> ${q(out)} e> ${q(err)}`,
  typed,
  get: (name) => `if ${q(name)} in $env { $env.${name} } else { '<unset>' }`,
  set: (name, value) => `$env.${name} = ${typed(value)}`,
  path: () => "$env.PATH | str join ':'",
  editPath: (before, after) => `$env.PATH = ($env.PATH | prepend ${typed(before)} | append ${typed(after)})`,
  status: "$env.LAST_EXIT_CODE",
  noop: "ignore",
  prompt: "$env.PROMPT_COMMAND = {|| 'vh> ' }\n$env.PROMPT_INDICATOR = ''\n$env.PROMPT_COMMAND_RIGHT = ''",
  initLine: (bin) => `mkdir ${AUTOLOAD}; ^${q(bin)} init nu | save -f (${AUTOLOAD} | path join venvhook.nu)`,
  useBinary: (file) => `$env.__venvhook.bin = ${typed(file)}`,
  missingBinary: /is missing; reinstall venvhook or remove \/\S+\/vendor\/autoload\/venvhook\.nu and the line that writes it from your config\.nu$/,
};
