// install.sh end to end: it installs the binary, hooks each shell's rc file
// once, a new real shell then activates envs, and --uninstall puts every rc
// file back byte for byte. Also the npm `bin`, under plain Node.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeNeeding, describeShell, SHELLS } from "../support/shells.ts";
import { dialectOf } from "../support/dialects/index.ts";
import { BIN, makeVenv } from "./fixture.ts";
import { startShell } from "./driver.ts";

const base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-install-")));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A home that has each shell's rc file, with the user's own content. */
function makeHome(name: string): { home: string; env: NodeJS.ProcessEnv; rc: Record<string, string> } {
  const home = path.join(base, name);
  mkdirSync(path.join(home, ".config", "fish"), { recursive: true });
  const rc = {
    [path.join(home, ".bashrc")]: "# my bashrc\nalias ll='ls -l'\n",
    [path.join(home, ".zshrc")]: "# my zshrc\n",
    [path.join(home, ".config", "fish", "config.fish")]: "# my config.fish\n",
  };
  for (const [file, text] of Object.entries(rc)) writeFileSync(file, text);
  const env = {
    HOME: home,
    PATH: process.env.PATH,
    SHELL: "/bin/bash",
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
  };
  return { home, env, rc };
}

function install(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync("./install.sh", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describeNeeding("install.sh", ["sh"], () => {
  it("installs once, says what it did, and uninstalls to exactly what was there", () => {
    const { home, env, rc } = makeHome("once");
    const prefix = path.join(home, "prefix");
    const first = install(env, "--binary", BIN, "--prefix", prefix);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("added to ~/.bashrc");
    expect(first.stdout).toMatch(/open a new shell/i);
    const installed = path.join(prefix, "bin", "venvhook");
    expect(spawnSync(installed, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(
      JSON.parse(readFileSync("package.json", "utf8")).version,
    );
    const bashrc = readFileSync(path.join(home, ".bashrc"), "utf8");
    expect(bashrc.match(/# added by venvhook install\.sh/g)).toHaveLength(1);
    expect(bashrc).toContain(`init bash)"`);
    const fishFile = path.join(home, ".config", "fish", "conf.d", "venvhook.fish");
    expect(readFileSync(fishFile, "utf8")).toContain("init fish | source");

    const snapshot = (files: string[]) => files.map((f) => readFileSync(f, "utf8"));
    const hooked = [...Object.keys(rc), fishFile];
    const after = snapshot(hooked);
    const again = install(env, "--binary", BIN, "--prefix", prefix);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("already present");
    expect(snapshot(hooked)).toEqual(after);

    const removed = install(env, "--uninstall", "--prefix", prefix);
    expect(removed.status).toBe(0);
    expect(existsSync(installed)).toBe(false);
    expect(existsSync(fishFile)).toBe(false);
    for (const [file, text] of Object.entries(rc)) expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("--no-modify-rc installs the binary only and prints the lines to add", () => {
    const { home, env, rc } = makeHome("norc");
    const result = install(env, "--binary", BIN, "--prefix", path.join(home, "p"), "--no-modify-rc");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("init bash");
    for (const [file, text] of Object.entries(rc)) expect(readFileSync(file, "utf8")).toBe(text);
    expect(existsSync(path.join(home, "p", "bin", "venvhook"))).toBe(true);
  });

  it("rejects an unknown option with one line on stderr", () => {
    const result = install(makeHome("bad").env, "--frobnicate");
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^venvhook install: unknown option: --frobnicate/)]);
  });
});

// A user with a quote and a space in their home folder, installing, then opening a new shell.
describe("after install.sh, a new shell", () => {
  let home: string;
  let project: string;
  beforeAll(() => {
    const made = makeHome("it's my home");
    home = made.home;
    expect(install(made.env, "--binary", BIN).status).toBe(0);
    project = path.join(home, "proj");
    makeVenv(path.join(project, ".venv"));
  });

  for (const shell of SHELLS) {
    describeShell(shell, () => {
      it("activates an env after venvhook allow", async () => {
        // The driver loads its own rc; it sources the user's real one, as a login would.
        const rc = shell === "fish" ? dialectOf(shell).prompt : `source ~/.${shell}rc\n${dialectOf(shell).prompt}`;
        const s = await startShell({ shell, home, rc, cwd: home });
        try {
          await s.run("cd proj");
          await s.run("venvhook allow");
          expect(await s.run(dialectOf(shell).get("VIRTUAL_ENV"))).toBe(path.join(project, ".venv"));
          expect(await s.run(shell === "zsh" ? "whence -w venvhook" : "type -t venvhook")).toMatch(/function$/);
          await s.run(`venvhook deny`);
        } finally {
          await s.close();
        }
      });
    });
  }
});

describe("the npm bin under plain Node", () => {
  it("embeds its own path in the hook and prints what the compiled binary prints", () => {
    const script = path.resolve("bin/venvhook.js");
    const { home, env } = makeHome("node");
    const project = path.join(home, "proj");
    makeVenv(path.join(project, ".venv"));
    const run = (command: string, ...args: string[]) =>
      spawnSync(command, args, { cwd: project, env: { ...env, PWD: project }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(run("node", script, "init", "bash").stdout).toContain(`__venvhook_bin='${script}'`);
    expect(run("node", script, "allow").status).toBe(0);
    const viaNode = run("node", script, "export", "bash");
    const viaBinary = run(BIN, "export", "bash");
    expect(viaNode.status).toBe(0);
    expect(viaNode.stdout).toContain(`export VIRTUAL_ENV='${path.join(project, ".venv")}'`);
    expect(viaNode.stdout).toBe(viaBinary.stdout);
  });
});
