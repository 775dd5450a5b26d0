// What tests need to know to drive one shell: how the e2e driver starts it
// and types into it, and how to spell the few things tests ask of it.
// One file per shell under dialects/, registered in dialects/index.ts.

export interface RunFiles {
  out: string;
  err: string;
  done: string;
}

export interface Dialect {
  // -- driving a real interactive shell (test/e2e/driver.ts) --------------
  /**
   * Writes `rc` where the interactive shell reads it at startup (under `dir`,
   * the session's private folder, or under HOME/XDG dirs from `env`) and
   * returns the arguments to start it with, plus variables it needs.
   */
  start(rc: string, session: { dir: string; env: Readonly<Record<string, string>> }): { args: string[]; env?: Record<string, string> };
  /**
   * rc text that binds `markKey` in the line editor to append one line to
   * `markFile`, without touching the prompt or the last status. The driver
   * presses that key to learn that the shell is idle at a prompt, with every
   * prompt hook finished.
   */
  preamble(markFile: string): string;
  /** Default: xterm F20, `\e[34~`, which no line editor binds. */
  markKey?: string;
  /**
   * The text typed for run(): runs `command` in the interactive shell itself
   * (so cd and variables stick) with stdout to `out` and stderr to `err`, then
   * writes its exit status and a newline to `done`. Newlines become Enter.
   */
  wrap(command: string, files: RunFiles): string;

  /** Arguments that run `script` non-interactively, reading no user config. */
  script(script: string): string[];

  // -- spelling ---------------------------------------------------------------
  /** A quoted word that is safe to type at the line editor (a literal tab would complete). */
  typed(value: string): string;
  /** Prints a variable's value, or `<unset>`. */
  get(name: string): string;
  /** Sets and exports a variable. */
  set(name: string, value: string): string;
  /** Prints PATH joined with ':'. */
  path(): string;
  /** Puts `before` first and `after` last on PATH. */
  editPath(before: string, after: string): string;
  /** Prints the last command's exit status; undefined when the shell has none. */
  status?: string;
  /** A command that does nothing and succeeds. */
  noop: string;
  /** rc text that makes the prompt exactly `vh> `. */
  prompt: string;
  /** The rc line that loads venvhook's hook from `bin`. */
  initLine(bin: string): string;
  /** Points the loaded hook at another binary (tests use stand-ins). */
  useBinary(file: string): string;
  /** What the hook says when its binary is missing, as a pattern. */
  missingBinary: RegExp;
}
