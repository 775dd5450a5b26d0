import { writeFileSync } from "node:fs";
import path from "node:path";
import { quotePython as q } from "../../../src/shells/xonsh.ts";
import type { Dialect } from "../dialect.ts";

export const xonsh: Dialect = {
  start(rc, { dir }) {
    const rcFile = path.join(dir, "rc.xsh");
    writeFileSync(rcFile, rc);
    // --rc loads this file and no other. XONSHRC names it too: with no rc file
    // there xonsh prints its welcome screen. No history file, no script cache.
    return {
      args: ["--no-script-cache", "--shell-type", "prompt_toolkit", "--rc", rcFile, "-i"],
      env: { XONSHRC: rcFile, XONSH_HISTORY_BACKEND: "dummy" },
    };
  },
  script: (script) => ["--no-rc", "--no-script-cache", "-c", script],
  preamble: (markFile) =>
    [
      "$XONSH_SHOW_TRACEBACK = True",
      // xonsh writes the terminal's title to fd 1 before each command, which would land in run()'s output files.
      "@events.on_pre_cmdloop",
      "def __vh_e2e_no_title(**_):",
      "    __xonsh__.shell.shell.settitle = lambda: None",
      "",
      // prompt_toolkit runs key bindings only while it reads a line: after on_pre_prompt_format and on_pre_prompt.
      "@events.on_ptk_create",
      "def __vh_e2e_bindings(bindings, **_):",
      "    @bindings.add('f20')",
      "    def mark(event):",
      `        with open(${q(markFile)}, 'a') as f:`,
      "            f.write('\\n')",
      "",
      // run(): one line that runs the command in this shell with fds 1 and 2 on
      // files. xonsh sets $LAST_RETURN_CODE once the whole line is done, so the
      // command still sees the previous line's.
      "def __vh_e2e_run(src, out, err, done):",
      "    import os, sys, traceback",
      "    history = __xonsh__.history",
      "    history.last_cmd_rtn = None",
      "    sys.stdout.flush()",
      "    sys.stderr.flush()",
      "    saved = [os.dup(1), os.dup(2)]",
      "    for fd, name in ((1, out), (2, err)):",
      "        file = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)",
      "        os.dup2(file, fd)",
      "        os.close(file)",
      "    status = None",
      "    try:",
      // A typed line goes through on_transform_command first (xonsh 0.13 base_shell.py, push()).
      "        from xonsh.shell import transform_command",
      "        execx(transform_command(src), 'exec', __xonsh__.ctx)",
      "    except BaseException:",
      "        traceback.print_exc()",
      "        status = 1",
      "    finally:",
      "        sys.stdout.flush()",
      "        sys.stderr.flush()",
      "        for fd, copy in zip((1, 2), saved):",
      "            os.dup2(copy, fd)",
      "            os.close(copy)",
      "    with open(done, 'w') as f:",
      "        f.write(f'{status or history.last_cmd_rtn or 0}\\n')",
      "",
    ].join("\n"),
  wrap: (command, { out, err, done }) => `__vh_e2e_run(${q(command)}, ${q(out)}, ${q(err)}, ${q(done)})`,
  // In subprocess mode a quoted word gets $NAME and ~ expanded; @(...) is Python.
  typed: (value) => `@(${q(value)})`,
  get: (name) => `print(__xonsh__.env.detype().get(${q(name)}, '<unset>'), end='')`,
  set: (name, value) => `__xonsh__.env[${q(name)}] = ${q(value)}`,
  path: () => "print(__xonsh__.env.detype()['PATH'], end='')",
  editPath: (before, after) => `$PATH.insert(0, ${q(before)}); $PATH.append(${q(after)})`,
  status: "print(__xonsh__.env['LAST_RETURN_CODE'])",
  noop: "pass",
  prompt: "$PROMPT = '{env_name}vh> '",
  initLine: (bin) => `execx(__import__('subprocess').check_output([${q(bin)}, 'init', 'xonsh'], text=True), 'exec', __xonsh__.ctx, filename='venvhook')`,
  useBinary: (file) => `__venvhook_bin = ${q(file)}`,
  missingBinary: /is missing; reinstall venvhook or remove the line that loads it from your xonsh rc file$/,
};
