import { writeFileSync } from "node:fs";
import path from "node:path";
import { quoteTcsh } from "../../../src/shells/tcsh.ts";
import type { Dialect } from "../dialect.ts";

// $'...' with escapes: no `!` for history substitution, no tab for completion,
// no newline for the line editor.
const q = quoteTcsh;

export const tcsh: Dialect = {
  start(rc, { env }) {
    // tcsh -i reads /etc/csh.cshrc, then ~/.tcshrc; HOME is the test's.
    writeFileSync(path.join(env.HOME!, ".tcshrc"), rc);
    return { args: ["-i"] };
  },
  script: (script) => ["-f", "-c", script],
  // bindkey -c evals a command from the line editor: it starts a new line and
  // redraws the prompt, and eval sets the status to 0, so the status is put back.
  preamble: (markFile) =>
    [
      `set __vh_e2e_mark = ${q(markFile)}`,
      `bindkey -c '^[[34~' 'set __vh_e2e_status = $status; echo >> $__vh_e2e_mark:q; set status = $__vh_e2e_status'`,
    ].join("\n"),
  // eval runs in this shell with its output redirected (a ( ... ) group would
  // be a subshell); only >& exists for stderr, so an inner eval takes stdout
  // first. eval sets the status to 0: the last one is handed in.
  wrap: (command, { out, err, done }) =>
    `set __vh_e2e_status = $status; eval ${q(`eval ${q(`set status = $__vh_e2e_status; ${command}`)} > ${q(out)}`)} >& ${q(err)}; echo $status > ${q(done)}`,
  typed: q,
  get: (name) => `eval ${q(`if ( $?${name} ) then\nprintf '%s' $${name}:q\nelse\nprintf '<unset>'\nendif`)}`,
  set: (name, value) => `setenv ${name} ${q(value)}`,
  path: () => "printf '%s' $PATH:q",
  editPath: (before, after) => `setenv PATH ${q(before)}:\${PATH:q}:${q(after)}`,
  status: "echo $status",
  noop: ":",
  prompt: "set prompt = 'vh> '",
  initLine: (bin) => `if ( $?prompt ) eval \`${q(bin)} init tcsh\``,
  useBinary: (file) => `set __venvhook_bin = ${q(file)}`,
  missingBinary: /is missing; reinstall venvhook or remove the line that loads it from ~\/\.tcshrc$/,
};
