// Whether the hook's marker names the shell that ran venvhook: its parent, a
// forked copy of it (a pipeline's part), or only a shell further up.
import { describe, expect, it } from "vitest";
import { caller, hookFinding, parseMarker, type Proc } from "../../../src/doctor/hook.ts";
import type { RcFile } from "../../../src/doctor/rcfiles.ts";

/** A process table: the shell (100) that loaded the hook, started by a terminal (1). */
function table(extra: Record<number, Proc> = {}) {
  const procs: Record<number, Proc> = {
    1: { name: "tmux", ppid: 0, cmdline: "tmux\0" },
    100: { name: "bash", ppid: 1, cmdline: "bash\0-i\0" },
    ...extra,
  };
  return (pid: number) => procs[pid];
}

const env = { VENVHOOK_HOOK: "bash:100:/opt/bin/venvhook", SHELL: "/bin/zsh" };

describe("the hook's marker", () => {
  it("is the shell, its pid and the binary, which may hold colons", () => {
    expect(parseMarker("pwsh:42:C:\\venvhook\\venvhook.exe")).toEqual({ shell: "pwsh", pid: 42, bin: "C:\\venvhook\\venvhook.exe" });
    expect(parseMarker("bash:x:/bin/venvhook")).toBeUndefined();
    expect(parseMarker(undefined)).toBeUndefined();
  });

  it("names the calling shell when it is our parent", () => {
    expect(caller(env, 100, table())).toMatchObject({ shell: "bash", pid: 100, loaded: { bin: "/opt/bin/venvhook" } });
  });

  it("names it through forked copies of it (a pipeline, $(...)), which share its name and command line", () => {
    const who = caller(env, 102, table({ 101: { name: "bash", ppid: 100, cmdline: "bash\0-i\0" }, 102: { name: "bash", ppid: 101, cmdline: "bash\0-i\0" } }));
    expect(who.loaded).toBeDefined();
  });

  it("does not name a child shell that only inherited it, which is named from its process", () => {
    const who = caller(env, 200, table({ 200: { name: "bash", ppid: 100, cmdline: "bash\0--norc\0" } }));
    expect(who).toEqual({ shell: "bash", pid: 200, inherited: { shell: "bash", pid: 100, bin: "/opt/bin/venvhook" } });
  });

  it("falls back on $SHELL when the parent is not a shell venvhook knows, and a login shell's dash is dropped", () => {
    expect(caller({ SHELL: "/bin/zsh" }, 300, table({ 300: { name: "make", ppid: 1, cmdline: "make\0" } })).shell).toBe("zsh");
    expect(caller({}, 300, table({ 300: { name: "-fish", ppid: 1, cmdline: "-fish\0" } })).shell).toBe("fish");
  });
});

describe("the hook finding", () => {
  const bashrc = (lines: string[]): RcFile => ({ shell: "bash", file: "/home/u/.bashrc", shown: "~/.bashrc", lines });

  it("gives the line to add, or says the rc file has it but this shell did not read it", () => {
    const who = { shell: "bash", pid: 200 };
    expect(hookFinding(who, [bashrc(["alias ll='ls -l'"])])).toEqual({
      topic: "hook",
      level: "problem",
      text: "not loaded in this bash (pid 200)",
      fix: `add this line to ~/.bashrc, then start a new bash: eval "$(venvhook init bash)"`,
    });
    expect(hookFinding(who, [bashrc(["", 'eval "$(venvhook init bash)"'])]).fix).toBe(
      `~/.bashrc has venvhook's line (line 2), but this bash did not read it: start a new bash (without --norc), or run: eval "$(venvhook init bash)"`,
    );
  });

  it("points at venvhook init --help for a shell it cannot name", () => {
    expect(hookFinding({ pid: 5 }, []).fix).toBe("add your shell's line from 'venvhook init --help' to its rc file, and start a new shell");
  });
});
