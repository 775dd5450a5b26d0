// Self-test of the e2e driver with plain shells (no venvhook binary involved).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClassicShell } from '../support/shells.ts';
import { describeShell, SHELLS, startShell, type Session } from './driver.ts';

/** rc: an exported variable plus a prompt hook that reports $PWD on stderr (and keeps $?). */
function rcFor(shell: ClassicShell): string {
  switch (shell) {
    case 'bash':
      return [
        'export FOO=bar',
        `__hook() { local s=$?; echo "hook:$PWD" >&2; return $s; }`,
        'PROMPT_COMMAND=__hook',
        "PS1='bash$ '",
      ].join('\n');
    case 'zsh':
      return [
        'export FOO=bar',
        '__hook() { local s=$?; print -u2 "hook:$PWD"; return $s; }',
        'precmd_functions+=(__hook)',
        "PS1='zsh%# '",
      ].join('\n');
    case 'fish':
      return [
        'set -gx FOO bar',
        'function __hook --on-event fish_prompt; echo "hook:$PWD" >&2; end',
        "function fish_prompt; echo -n 'fish> '; end",
      ].join('\n');
  }
}

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let home: string;
    let s: Session;
    const lastStatus = shell === 'fish' ? 'echo $status' : 'echo $?';

    beforeAll(async () => {
      home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `vh-e2e-home-${shell}-`)));
      fs.mkdirSync(path.join(home, 'proj'));
      s = await startShell({ shell, home, rc: rcFor(shell), env: { VH_EXTRA: 'x y' } });
    });

    afterAll(async () => {
      await s?.close();
      if (home) fs.rmSync(home, { recursive: true, force: true });
    });

    it('reads exported variables from the rc and a clean environment', async () => {
      expect(await s.run('echo $FOO')).toBe('bar');
      expect(await s.run('echo "$HOME|$VH_EXTRA|$TMUX|$LC_ALL"')).toBe(`${home}|x y||C.UTF-8`);
    });

    it('keeps state (cd) in the interactive shell itself', async () => {
      await s.run('cd /tmp');
      expect(await s.run('pwd')).toBe('/tmp');
      await s.run(shell === 'fish' ? 'set -gx BAZ qux' : 'export BAZ=qux');
      expect(await s.run('echo $BAZ')).toBe('qux');
    });

    it('preserves the status of a typed command', async () => {
      await s.type('false');
      expect(await s.run(lastStatus)).toBe('1');
      await s.type('true');
      expect(await s.run(lastStatus)).toBe('0');
      // waitForPrompt() must not disturb $? either
      await s.type('false');
      await s.waitForPrompt();
      expect(await s.run(lastStatus)).toBe('1');
    });

    it('round-trips quotes, non-ASCII, $, backticks and semicolons', async () => {
      expect(await s.run(`printf '%s' 'héllo "w"'`)).toBe('héllo "w"');
      expect(await s.run("printf '%s|' 'a;b' '$HOME' '`x`' 'ünï €';")).toBe('a;b|$HOME|`x`|ünï €|');
      if (shell !== 'fish') expect(await s.run(`printf '%s' $'a\\tb'`)).toBe('a\tb');
    });

    it('reports stdout, stderr and status separately', async () => {
      expect(await s.runWithStatus(`echo out; echo err >&2; sh -c 'exit 3'`)).toEqual({
        stdout: 'out',
        stderr: 'err',
        status: 3,
      });
    });

    it('shows prompt-hook output on the screen once run() resolves', async () => {
      const proj = path.join(home, 'proj');
      const m = s.mark();
      expect(s.screen({ since: m })).not.toContain(`hook:${proj}`);
      await s.run(`cd ${proj}`);
      expect(s.screen({ since: m })).toContain(`hook:${proj}`);
      expect(s.screen()).toContain(`hook:${proj}`);
      await s.waitFor(/hook:.*proj/, { timeoutMs: 1000 });
      expect(s.alive()).toBe(true);
    });
  });
}
