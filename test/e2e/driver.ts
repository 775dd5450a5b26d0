/**
 * End-to-end test driver: runs REAL interactive shell sessions
 * inside a private tmux server and reads results back from the shell itself.
 *
 * How it works
 * ------------
 * - Every Session owns a private temp dir (rc files, command output files,
 *   markers) and a private tmux server whose socket lives in that dir
 *   (`tmux -S <dir>/tmux.sock -f /dev/null`: `-L name` would leave a stale
 *   socket in /tmp/tmux-UID after every test, kill-server does not remove it;
 *   this way close() removes everything). The shell
 *   is started through `env -i` with a small, fully controlled environment.
 * - `run(cmd)` types the command exactly as a user would (`send-keys -l`),
 *   wrapped by the shell's dialect (test/support/dialects/<shell>.ts, `wrap`)
 *   so that it runs in the interactive shell itself (`cd`, variables and the
 *   last status stick) with its output in files, e.g. for bash and zsh:
 *       { <cmd>⏎} > out.N 2> err.N; builtin echo $? > done.N⏎
 *   (⏎ = a real Enter key). The wrapper sees the status of the previous
 *   command, so `type('false')` followed by `run('echo $?')` yields 1.
 * - Prompt detection does not depend on PS1 and does not touch `$?`: the rc
 *   preamble (the dialect's `preamble`) binds an otherwise unused key sequence (F20, `\e[34~`) to a tiny
 *   line-editor widget that appends a line to a marker file. Keys are consumed
 *   strictly in order, so after sending that key the marker fires only once the
 *   line editor is reading input again, i.e. after the previous command AND all
 *   prompt hooks (PROMPT_COMMAND, precmd, fish_prompt events) have finished.
 *   Before sending the key we wait until the pane's tty is in raw mode
 *   (`stty -a` shows `-icanon`) so the key is not echoed as `^[[34~` garbage.
 *   Consequence: a command that reads stdin (cat, read) would eat that key;
 *   and waitForPrompt() only works for the session's top-level shell (not for
 *   a nested shell started with type('bash')).
 * - `run()` returns after the next prompt is ready (so hook side effects and
 *   hook messages on the terminal are visible), unless `{ waitForPrompt: false }`.
 *
 * Conventions for tests
 * ---------------------
 * - Write commands on one line. Newlines are sent as Enter key presses, which
 *   works inside the run() wrapper's group, but a one-liner is far easier to
 *   read in failure output. `$'...'` escapes are fine: text is sent literally.
 * - History expansion (`!`) is disabled in bash (`set +H`) and zsh
 *   (`unsetopt BANG_HIST`) by the preamble, before the caller's rc runs.
 * - fish has no `$?`: use `$status`. zsh treats `#` as a literal in
 *   interactive shells unless `setopt interactive_comments`. An `exit` in
 *   config.fish does not end an interactive fish (it only stops sourcing).
 * - nushell: the status is `$env.LAST_EXIT_CODE`; `echo a b` is a list, not a
 *   line (say `echo 'a b'`); reedline expands `!!` even in quotes (the
 *   dialect's typed() escapes `!`); `let` in run() is local to it, `$env`
 *   and `cd` stick; nushell's own errors go to the terminal, not to stderr.
 * - Each wrapped run() puts its `{ …; } > …` line into the shell history.
 * - stdout/stderr returned by run()/runWithStatus() have ONE final newline
 *   stripped (like execa); everything else is returned verbatim.
 * - What the prompt hooks print goes to the terminal, not to run()'s files:
 *   read it with screen() / waitFor(), optionally since a mark().
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dialect } from '../support/dialect.ts';
import { dialectOf } from '../support/dialects/index.ts';
import { shellExecutable, type ShellName } from '../support/shells.ts';

export { describeShell, SHELLS, type ShellName } from '../support/shells.ts';


export interface StartOptions {
  shell: ShellName;
  /** Temp dir used as HOME; created (and removed) by the caller. */
  home: string;
  /** Text of the rc file (bashrc / .zshrc / config.fish). */
  rc: string;
  /** Initial working directory (default: home). */
  cwd?: string;
  /** Extra environment variables; they override the driver's defaults (PATH, TERM, XDG_*, …). */
  env?: Record<string, string>;
  /** Terminal size; default 200x50. */
  width?: number;
  height?: number;
  /** How long to wait for the first prompt; default 30 s. */
  startTimeoutMs?: number;
}

export interface RunOptions {
  /** Default 15 s. */
  timeoutMs?: number;
  /** Wait for the next prompt (all prompt hooks done) before resolving. Default true. */
  waitForPrompt?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

export interface ScreenOptions {
  /** Include the whole scrollback, not just the visible pane. */
  scrollback?: boolean;
  /** Only lines from this mark() on (implies scrollback). */
  since?: number;
}

export interface WaitForOptions extends ScreenOptions {
  /** Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_RUN_TIMEOUT = 15_000;
const DEFAULT_WAIT_TIMEOUT = 10_000;
const DEFAULT_START_TIMEOUT = 30_000;
const POLL_MS = 20;
/** xterm F20; not bound by default in readline, zle or fish. */
const MARK_KEY = '\x1b[34~';
const PREAMBLE_START = '# --- venvhook e2e driver preamble ---';
const PREAMBLE_END = '# --- end of preamble ---';
const TARGET = 'main';

// ---------------------------------------------------------------------------
// helpers

/**
 * tmux treats an argv element ending in ';' as a command separator (and
 * turns a trailing '\;' into ';'), so escape a trailing ';'.
 */
function tmuxArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

function stripFinalNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tmuxEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}

/** True if the process exists and is not a zombie. */
function processRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs (macOS): kill(0) succeeded
  }
}

function cleanScreen(text: string): string {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Session

export class Session {
  readonly shell: ShellName;
  readonly home: string;
  /** Per-session temp dir (removed by close()). */
  readonly dir: string;
  /** The tmux socket path (`tmux -S <socket>`), inside `dir`. */
  readonly socket: string;
  /** The exact environment the shell was started with. */
  readonly env: Readonly<Record<string, string>>;

  private readonly markFile: string;
  private readonly dialect: Dialect;
  private readonly markKey: string;
  private tty = '';
  /** pid of the shell (env -i execs it, so it is the pane's pid). */
  private pid = Number.NaN;
  private sttyUsable = true;
  private seq = 0;
  private marksSent = 0;
  private closed = false;

  /** Use startShell(). */
  constructor(opts: StartOptions) {
    this.shell = opts.shell;
    this.home = opts.home;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `vh-e2e-${opts.shell}-`));
    this.socket = path.join(this.dir, 'tmux.sock');
    this.markFile = path.join(this.dir, 'prompt-marks');
    this.dialect = dialectOf(opts.shell);
    this.markKey = this.dialect.markKey ?? MARK_KEY;
    fs.writeFileSync(this.markFile, '');

    const home = opts.home;
    const env: Record<string, string> = {
      HOME: home,
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      TERM: 'screen-256color',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      USER: process.env.USER ?? os.userInfo().username,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_STATE_HOME: path.join(home, '.local', 'state'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    };
    Object.assign(env, opts.env ?? {});

    const rcText = [PREAMBLE_START, this.dialect.preamble(this.markFile), PREAMBLE_END, opts.rc, ''].join('\n');
    const started = this.dialect.start(rcText, { dir: this.dir, env });
    Object.assign(env, started.env ?? {}, opts.env ?? {});
    this.env = env;
    const shellPath = shellExecutable(opts.shell) ?? opts.shell;
    const argv = [shellPath, ...started.args];

    const width = opts.width ?? 200;
    const height = opts.height ?? 50;
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    try {
      this.launch(width, height, opts.cwd ?? home, [...envArgs, ...argv]);
    } catch (e) {
      void this.close();
      throw e;
    }
  }

  private launch(width: number, height: number, cwd: string, envAndArgv: string[]): void {
    // One tmux invocation, several commands separated by bare ';' elements, so
    // that the options (history-limit!) are in place before the pane exists.
    const commands: string[][] = [
      ['start-server'],
      ['set-option', '-g', 'history-limit', '100000'],
      ['set-option', '-g', 'status', 'off'],
      ['set-option', '-g', 'remain-on-exit', 'on'],
      ['set-option', '-g', 'default-size', `${width}x${height}`],
      ['new-session', '-d', '-s', TARGET, '-x', String(width), '-y', String(height), '-c', cwd,
        '--', 'env', '-i', ...envAndArgv],
    ];
    this.tmuxExec(commands.flatMap((c, i) => [...(i > 0 ? [';'] : []), ...c.map(tmuxArg)]));
    const [tty, pid] = this.tmux('display-message', '-p', '-t', TARGET, '#{pane_tty} #{pane_pid}').trim().split(' ');
    this.tty = tty ?? '';
    this.pid = Number.parseInt(pid ?? '', 10);
  }

  // -- low level -------------------------------------------------------------

  /** Run a tmux command against this session's private server; returns stdout. */
  tmux(...args: string[]): string {
    return this.tmuxExec(args.map(tmuxArg));
  }

  /** Arguments passed as is: a trailing ';' separates tmux commands. */
  private tmuxExec(args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      env: tmuxEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`${this.shell} session already closed`);
  }

  /** Send literal text (no Enter). */
  sendText(text: string): void {
    this.assertOpen();
    if (text !== '') this.tmux('send-keys', '-t', TARGET, '-l', '--', text);
  }

  /** Send tmux key names, e.g. sendKeys('C-c'), sendKeys('Tab'), sendKeys('Enter'). */
  sendKeys(...keys: string[]): void {
    this.assertOpen();
    this.tmux('send-keys', '-t', TARGET, ...keys);
  }

  /** Literal text followed by Enter; every '\n' in the text becomes an Enter too. One tmux write. */
  private sendLine(text: string): void {
    this.sendText(`${text.split('\n').join('\r')}\r`);
  }

  private isRaw(): boolean {
    if (!this.sttyUsable) return true;
    const flag = process.platform === 'darwin' || process.platform.endsWith('bsd') ? '-f' : '-F';
    const r = spawnSync('stty', [flag, this.tty, '-a'], { encoding: 'utf8' });
    if (r.status !== 0 || typeof r.stdout !== 'string') {
      // Cannot inspect the tty: fall back to sending keys without waiting.
      this.sttyUsable = false;
      return true;
    }
    return /(^|[\s;])-icanon([\s;]|$)/.test(r.stdout);
  }

  private marksSeen(): number {
    try {
      const text = fs.readFileSync(this.markFile, 'utf8');
      let n = 0;
      for (const ch of text) if (ch === '\n') n++;
      return n;
    } catch {
      return 0;
    }
  }

  /** '' while the shell runs, else a description like 'exited with status 7'. */
  private deadReason(): string {
    try {
      const [dead, status] = this.tmux('display-message', '-p', '-t', TARGET, '#{pane_dead} #{pane_dead_status}')
        .trim()
        .split(' ');
      return dead === '1' ? `exited with status ${status ?? '?'}` : '';
    } catch (e) {
      return `is gone (${(e as Error).message.split('\n')[0]})`;
    }
  }

  private async poll<T>(what: string, timeoutMs: number, fn: () => T | undefined): Promise<T> {
    const start = Date.now();
    let nextDeadCheck = start + 250;
    for (;;) {
      const v = fn();
      if (v !== undefined) return v;
      const now = Date.now();
      if (now >= start + timeoutMs) throw this.failure(`timed out after ${timeoutMs} ms ${what}`);
      if (now >= nextDeadCheck) {
        nextDeadCheck = now + 250;
        const reason = this.deadReason();
        if (reason) throw this.failure(`the shell ${reason} while ${what}`);
      }
      await sleep(POLL_MS);
    }
  }

  private failure(message: string): Error {
    let pane: string;
    try {
      pane = this.screen({ scrollback: true }).split('\n').slice(-40).join('\n');
    } catch (e) {
      pane = `<could not capture pane: ${(e as Error).message}>`;
    }
    return new Error(`${this.shell} e2e: ${message}\n--- pane (last 40 lines) ---\n${pane}\n--- end of pane ---`);
  }

  // -- startup -----------------------------------------------------------------

  /** Wait for the first prompt (called by startShell). */
  async ready(timeoutMs: number = DEFAULT_START_TIMEOUT): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.poll('waiting for the shell to start its line editor', timeoutMs, () =>
      this.isRaw() ? true : undefined,
    );
    // Normally the first marker fires at once. If the shell discarded it
    // (typeahead flushed during init), send another one.
    let retries = 0;
    for (;;) {
      const remaining = deadline - Date.now();
      const target = ++this.marksSent;
      this.sendText(this.markKey);
      try {
        await this.poll('waiting for the first prompt', Math.max(0, Math.min(3000, remaining)), () =>
          this.marksSeen() >= target ? true : undefined,
        );
        break;
      } catch (e) {
        this.marksSent = this.marksSeen();
        if (Date.now() >= deadline || this.deadReason()) throw e;
        retries++;
      }
    }
    if (retries > 0) {
      // A marker we gave up on may still fire late; let it, then resync.
      await sleep(300);
      this.marksSent = this.marksSeen();
    }
  }

  // -- public API ----------------------------------------------------------------

  /**
   * Wait until the shell is idle at a prompt with all prompt hooks finished.
   * Does not execute anything and does not change `$?`.
   */
  async waitForPrompt(timeoutMs: number = DEFAULT_WAIT_TIMEOUT): Promise<void> {
    this.assertOpen();
    const deadline = Date.now() + timeoutMs;
    // The line editor may still be in raw mode for a moment after Enter, before
    // the command runs: a marker sent then is read by the command or flushed
    // with the tty's input when the mode changes. So a marker not seen within
    // 3 s is sent again, only while the line editor has the terminal (raw
    // mode), never into a running command; then resync, as ready() does.
    let resent = false;
    for (;;) {
      await this.poll('waiting for the line editor (tty raw mode)', Math.max(0, deadline - Date.now()), () =>
        this.isRaw() ? true : undefined,
      );
      const target = ++this.marksSent;
      this.sendText(this.markKey);
      try {
        await this.poll('waiting for the prompt', Math.max(0, Math.min(3000, deadline - Date.now())), () =>
          this.marksSeen() >= target ? true : undefined,
        );
        break;
      } catch (e) {
        this.marksSent = this.marksSeen();
        if (Date.now() >= deadline || this.deadReason()) throw e;
        resent = true;
      }
    }
    if (resent) {
      // A marker we gave up on may still fire late; let it, then resync.
      await sleep(300);
      this.marksSent = this.marksSeen();
    }
  }

  /**
   * Type `text` and press Enter, exactly like a user, without any wrapping.
   * Does not wait: follow with waitForPrompt() or run() (which queues behind it).
   */
  async type(text: string): Promise<void> {
    this.sendLine(text);
  }

  /** Run a command in the interactive shell; resolves with its stdout (one final newline stripped). */
  async run(command: string, opts: RunOptions = {}): Promise<string> {
    return (await this.runWithStatus(command, opts)).stdout;
  }

  /** Run a command in the interactive shell; stdout/stderr have one final newline stripped. */
  async runWithStatus(command: string, opts: RunOptions = {}): Promise<RunResult> {
    this.assertOpen();
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT;
    const deadline = Date.now() + timeoutMs;
    const n = ++this.seq;
    const out = path.join(this.dir, `out.${n}`);
    const err = path.join(this.dir, `err.${n}`);
    const done = path.join(this.dir, `done.${n}`);
    this.sendLine(this.dialect.wrap(command, { out, err, done }));

    const read = (f: string) => {
      try {
        return fs.readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    };
    let status: number;
    try {
      status = await this.poll(`running ${JSON.stringify(command)}`, timeoutMs, () => {
        const text = read(done);
        if (!text.endsWith('\n')) return undefined; // not there yet, or still being written
        return Number.parseInt(text.trim(), 10);
      });
    } catch (e) {
      const error = e as Error;
      error.message += `\n--- stdout so far ---\n${read(out)}\n--- stderr so far ---\n${read(err)}`;
      throw error;
    }
    const result: RunResult = {
      stdout: stripFinalNewline(read(out)),
      stderr: stripFinalNewline(read(err)),
      status,
    };
    for (const f of [out, err, done]) fs.rmSync(f, { force: true });
    if (opts.waitForPrompt !== false) {
      await this.waitForPrompt(Math.max(1000, deadline - Date.now()));
    }
    return result;
  }

  /**
   * The terminal contents (capture-pane -p -J), trailing blanks trimmed.
   * Visible pane by default; whole scrollback with { scrollback: true };
   * from a mark() on with { since }.
   */
  screen(opts: ScreenOptions = {}): string {
    this.assertOpen();
    const args = ['capture-pane', '-p', '-J', '-t', TARGET];
    if (opts.since !== undefined) {
      const hsize = Number.parseInt(this.tmux('display-message', '-p', '-t', TARGET, '#{history_size}'), 10);
      args.push('-S', String(opts.since - hsize), '-E', '-');
    } else if (opts.scrollback) {
      args.push('-S', '-', '-E', '-');
    }
    return cleanScreen(this.tmux(...args));
  }

  /** Absolute line number of the cursor line, for screen({ since }) / waitFor({ since }). */
  mark(): number {
    this.assertOpen();
    const [h, y] = this.tmux('display-message', '-p', '-t', TARGET, '#{history_size} #{cursor_y}')
      .trim()
      .split(' ')
      .map((s) => Number.parseInt(s, 10));
    return (h ?? 0) + (y ?? 0);
  }

  /** Poll the screen until `pattern` matches; resolves with the screen text. */
  async waitFor(
    pattern: RegExp | string | ((screen: string) => boolean),
    opts: WaitForOptions = {},
  ): Promise<string> {
    const test =
      typeof pattern === 'function'
        ? pattern
        : typeof pattern === 'string'
          ? (s: string) => s.includes(pattern)
          : (s: string) => {
              pattern.lastIndex = 0;
              return pattern.test(s);
            };
    return this.poll(`waiting for ${String(pattern)} on screen`, opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT, () => {
      const s = this.screen(opts);
      return test(s) ? s : undefined;
    });
  }

  /** False once the shell process has exited (the pane stays around for inspection). */
  alive(): boolean {
    this.assertOpen();
    return this.tmux('display-message', '-p', '-t', TARGET, '#{pane_dead}').trim() !== '1';
  }

  /** Kill the private tmux server and remove the temp dir. Never throws; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', 'kill-server'], {
        env: tmuxEnv(),
        stdio: 'ignore',
      });
    } catch {
      // server already gone
    }
    // The shell gets SIGHUP and may still be writing (history files in HOME…):
    // wait for it to exit so callers can remove HOME right after close().
    const deadline = Date.now() + 3000;
    while (processRunning(this.pid) && Date.now() < deadline) await sleep(10);
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // ignore
    }
  }
}

/**
 * Start an interactive shell in a private tmux server and wait for its first
 * prompt. On failure the session is closed and the error shows the pane.
 */
export async function startShell(opts: StartOptions): Promise<Session> {
  const session = new Session(opts);
  try {
    await session.ready(opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT);
  } catch (e) {
    await session.close();
    throw e;
  }
  return session;
}
