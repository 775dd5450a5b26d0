import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { elvish as adapter } from "../../../src/shells/elvish.ts";
import type { Dialect } from "../dialect.ts";

const q = adapter.quote;
/** A literal tab would complete: tabs go in as elvish's double-quoted escape. */
const typed = (value: string) => value.split("\t").map(q).join('"\\t"');

export const elvish: Dialect = {
  start(rc, { dir, env }) {
    const configDir = path.join(env.XDG_CONFIG_HOME!, "elvish");
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, "rc.elv"), rc);
    // elvish keeps history in a daemon listening on /tmp/elvish-$UID/sock,
    // shared by every elvish of the user: each session gets its own.
    return { args: ["-sock", path.join(dir, "elvish.sock"), "-db", path.join(dir, "elvish.db")] };
  },
  script: (script) => ["-norc", "-c", script],
  // elvish's terminal reader does not know F20; Ctrl-Alt-Shift-F12 is bound to nothing.
  markKey: "\x1b[24;8~",
  preamble: (markFile) =>
    [
      `set edit:insert:binding[Ctrl-Alt-Shift-F12] = { echo >> ${q(markFile)} }`,
      // A command's status as the other shells report it: elvish throws instead.
      "fn __vh_e2e_status {|e| var r = $e[reason]; if (and (has-key $r type) (eq $r[type] external-cmd/exited)) { put $r[exit-status] } elif (and (has-key $r type) (eq $r[type] external-cmd/signaled)) { + 128 $r[signal-number] } else { put 1 } }",
    ].join("\n"),
  // Runs at the top level of the REPL, so cd and set stick. Only byte output
  // goes to a file in elvish: commands print values (echo, print), not put them.
  wrap: (command, { out, err, done }) =>
    `var __vh_e2e_s = 0; try { ${command}\n} catch __vh_e2e_e { set __vh_e2e_s = (__vh_e2e_status $__vh_e2e_e) } > ${q(out)} 2> ${q(err)}; echo $__vh_e2e_s > ${q(done)}`,
  typed,
  get: (name) => `if (has-env ${name}) { print (get-env ${name}) } else { print '<unset>' }`,
  set: (name, value) => `set-env ${name} ${typed(value)}`,
  path: () => "print $E:PATH",
  editPath: (before, after) => `set paths = [${typed(before)} $@paths ${typed(after)}]`,
  noop: "nop",
  prompt: "set edit:prompt = { put 'vh> ' }\nset edit:rprompt = (constantly '')",
  initLine: (bin) => `eval (${q(bin)} init elvish | slurp)`,
  useBinary: (file) => `set __venvhook:bin = ${typed(file)}`,
  missingBinary: /is missing; reinstall venvhook or remove the line that loads it from your rc\.elv$/,
};
