// The compiled binary's commands, run directly: exit codes, one-line errors on
// stderr, nothing but shell code on export's stdout, status in words and JSON.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHELL_NAMES } from "../../src/shells/adapter.ts";
import { BIN, makeVenv } from "./fixture.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-cli-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function venvhook(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(BIN, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: root, XDG_DATA_HOME: path.join(root, "data"), PWD: cwd, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const oneLine = (text: string) => expect(text).toMatch(/^venvhook: [^\n]+\n$/);

describe("venvhook", () => {
  it("--version and --help", () => {
    expect(venvhook(root, ["--version"]).stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
    const help = venvhook(root, ["--help"]).stdout;
    for (const command of ["init", "export", "status", "allow", "deny"]) expect(help).toContain(command);
  });

  it("says one line, and fails, for what it does not know", () => {
    for (const args of [["frob"], ["stat"], ["init", "ksh"], ["init"], ["status", "--bogus"], ["status", "nowhere"]]) {
      const result = venvhook(root, args);
      expect(result.status, args.join(" ")).not.toBe(0);
      expect(result.stdout).toBe("");
      oneLine(result.stderr);
    }
  });

  it("export prints nothing on stdout when it cannot, and nothing when nothing changes", () => {
    const bad = venvhook(root, ["export", "ksh"]);
    expect(bad).toEqual({ status: 2, stdout: "", stderr: `venvhook: unknown shell 'ksh'; use one of ${SHELL_NAMES.join(", ")}\n` });
    expect(venvhook(root, ["export", "bash"])).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("export names a pointer file for the hook to watch only when it is a regular file within the 4 KiB discovery reads", () => {
    const env = makeVenv(path.join(root, "envs", "one"));
    const small = path.join(root, "small");
    mkdirSync(small);
    writeFileSync(path.join(small, ".venv"), `${env}\n`);
    expect(venvhook(small, ["export", "bash"]).stdout).toContain(`__venvhook_pointer='${path.join(small, ".venv")}'`);
    // A planted pointer of a few megabytes with no line break: a hook that cannot bound its read (elvish's) would read it whole at every prompt.
    const big = path.join(root, "big");
    mkdirSync(big);
    writeFileSync(path.join(big, ".venv"), "x".repeat(4 * 1024 * 1024));
    const planted = venvhook(big, ["export", "bash"]);
    expect(planted.status).toBe(0);
    expect(planted.stdout).not.toContain("__venvhook_pointer");
  });

  it("init --write under umask 002 leaves the hook, and the folders it made, writable by the user only", () => {
    const data = path.join(root, "data");
    const line = spawnSync("sh", ["-c", 'umask 002; exec "$0" init bash --write', BIN], { env: { PATH: process.env.PATH, HOME: root, XDG_DATA_HOME: data }, encoding: "utf8" });
    expect(line.status, line.stderr).toBe(0);
    for (const made of [path.join(data, "venvhook"), path.join(data, "venvhook", "init"), path.join(data, "venvhook", "init", "venvhook.bash")]) {
      expect(statSync(made).mode & 0o022, made).toBe(0);
    }
  });

  it("--help and init --help show the rc line for every shell", () => {
    for (const args of [["--help"], ["init", "--help"]]) {
      const help = venvhook(root, args).stdout;
      for (const name of SHELL_NAMES) expect(help, `${args.join(" ")}: ${name}`).toMatch(new RegExp(`^  ${name} +\\S.*venvhook['", ]+init['", ]+${name}\\b`, "m"));
    }
  });

  it("export answers --help, -h and a missing shell as init does, and names the shell meant by another name", () => {
    const usage = venvhook(root, ["help", "export"]).stdout;
    expect(usage).toContain("Usage: venvhook export [options] <shell>");
    for (const args of [["export", "--help"], ["export", "-h"], ["export", "bash", "--help"]]) {
      expect(venvhook(root, args), args.join(" ")).toEqual({ status: 0, stdout: usage, stderr: "" });
    }
    for (const command of ["export", "init"]) {
      expect(venvhook(root, [command]), command).toEqual({ status: 1, stdout: "", stderr: "venvhook: missing required argument 'shell'\n" });
    }
    const known = SHELL_NAMES.join(", ");
    expect(venvhook(root, ["init", "powershell"]).stderr).toBe(`venvhook: unknown shell 'powershell': venvhook calls it 'pwsh'; use one of ${known}\n`);
    expect(venvhook(root, ["export", "nushell"]).stderr).toBe(`venvhook: unknown shell 'nushell': venvhook calls it 'nu'; use one of ${known}\n`);
  });

  it("status says when an env was allowed in the user's own time zone; --json keeps the ISO time", () => {
    makeVenv(path.join(root, "proj", ".venv"));
    const proj = path.join(root, "proj");
    expect(venvhook(proj, ["allow"]).status).toBe(0);
    const since: string = JSON.parse(venvhook(proj, ["status", "--json"]).stdout).trust.since;
    expect(since).toMatch(/Z$/);
    // India's offset has minutes, and no summer time.
    const local = new Date(Date.parse(since) + 330 * 60_000).toISOString().slice(0, 16).replace("T", " ");
    expect(venvhook(proj, ["status"], { TZ: "Asia/Kolkata" }).stdout).toContain(`allowed since ${local} (UTC+05:30)`);
  });

  it("export says in one line that the trust store is damaged, and activates nothing", () => {
    makeVenv(path.join(root, "proj", ".venv"));
    mkdirSync(path.join(root, "data", "venvhook"), { recursive: true });
    writeFileSync(path.join(root, "data", "venvhook", "trust.json"), "{oops");
    const result = venvhook(path.join(root, "proj"), ["export", "bash"]);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain("VIRTUAL_ENV=");
    oneLine(result.stderr);
    expect(result.stderr).toContain("is not valid JSON; fix it, or delete it");
  });

  it("allow and deny say what they did; allow refuses what it cannot use", () => {
    expect(venvhook(root, ["allow"]).stderr).toBe(
      `venvhook: no .venv in ${root} or any folder above it; make one with 'python3 -m venv .venv'\n`,
    );
    const proj = path.join(root, "proj");
    makeVenv(path.join(proj, ".venv"));
    expect(venvhook(proj, ["deny"]).stdout).toContain("was not allowed; nothing to do");
    const allowed = venvhook(proj, ["allow"]);
    expect(allowed.status).toBe(0);
    // Run from no shell with the hook, it does not claim the env is active.
    expect(allowed.stdout).toBe(`allowed ${proj}/.venv: 'proj' will be active in ${proj} and below in shells that load venvhook's hook ('venvhook init --help')\n`);
    expect(venvhook(proj, ["deny"]).stdout).toContain("denied");
    chmodSync(path.join(proj, ".venv", "bin"), 0o777);
    const unsafe = venvhook(proj, ["allow"]);
    expect(unsafe.status).toBe(1);
    oneLine(unsafe.stderr);
    expect(unsafe.stderr).toContain("is writable by others (fix with: chmod go-w");
  });

  it("status explains, in words and in JSON", () => {
    const proj = path.join(root, "proj");
    makeVenv(path.join(proj, ".venv"), "shop");
    mkdirSync(path.join(proj, "src"));
    const words = venvhook(path.join(proj, "src"), ["status"]).stdout;
    expect(words).toContain(`.venv  ${proj}/.venv, an environment folder`);
    expect(words).toContain("name   shop");
    expect(words).toContain("not allowed yet: run 'venvhook allow' to use it");
    venvhook(proj, ["allow"]);
    const json = JSON.parse(venvhook(path.join(proj, "src"), ["status", "--json"]).stdout);
    expect(json).toMatchObject({
      dir: path.join(proj, "src"),
      found: { kind: "env", venv: `${proj}/.venv`, env: `${proj}/.venv`, name: "shop" },
      trust: { allowed: true },
      active: false,
    });
    expect(json.why).toMatch(/not active in this shell/);
    const other = JSON.parse(venvhook(root, ["status", "--json", "proj"]).stdout);
    expect(other.why).toBe("allowed; it becomes active when you cd there");
    const own = JSON.parse(venvhook(proj, ["status", "--json"], { VIRTUAL_ENV: "/elsewhere" }).stdout);
    expect(own.why).toContain("your own activation of /elsewhere is active");
  });

  it("reads no bunfig.toml or .env from the folder it runs in (a project could run code or forge trust with them)", () => {
    const proj = path.join(root, "proj");
    makeVenv(path.join(proj, ".venv"));
    const forged = path.join(proj, "forged");
    mkdirSync(path.join(forged, "venvhook"), { recursive: true });
    const env = `${proj}/.venv`;
    writeFileSync(path.join(forged, "venvhook", "trust.json"), JSON.stringify({ version: 1, envs: { [env]: { allowed: "x" } }, pointers: {} }));
    writeFileSync(path.join(proj, ".env"), `XDG_DATA_HOME=${forged}\n`);
    writeFileSync(path.join(proj, "bunfig.toml"), 'preload = ["./evil.js"]\n');
    writeFileSync(path.join(proj, "evil.js"), `require("fs").writeFileSync(${JSON.stringify(path.join(proj, "PWNED"))}, "")`);
    for (const args of [["export", "bash"], ["status"], ["--version"]]) {
      const result = venvhook(proj, args);
      expect(result.status, args.join(" ")).toBe(0);
      expect(result.stdout).not.toContain("VIRTUAL_ENV");
    }
    expect(readdirSync(proj)).not.toContain("PWNED");
  });
});


describe("venvhook for PowerShell (parsed: PowerShell cannot run here)", () => {
  it("init pwsh and export pwsh of the compiled binary, on a hostile project, parse without an error and print only assignments", async () => {
    const { parsePowerShell } = await import("../support/powershell-parser.ts");
    const proj = path.join(root, "it's `$(x)` ‘q’ é");
    makeVenv(path.join(proj, ".venv"));
    expect(venvhook(proj, ["allow"]).status).toBe(0);
    const hook = venvhook(proj, ["init", "pwsh"]);
    expect(parsePowerShell(hook.stdout).errors).toEqual([]);
    const exported = venvhook(proj, ["export", "pwsh"]);
    expect(exported.status).toBe(0);
    const parsed = parsePowerShell(exported.stdout);
    expect(parsed.errors).toEqual([]);
    expect(parsed.statements.length).toBeGreaterThan(0);
    for (const statement of parsed.statements) expect(statement).toMatch(/^\$env:[A-Z_]+ = '/);
    expect(exported.stdout).toContain(`$env:VIRTUAL_ENV = '${path.join(proj, ".venv").replace(/['‘’]/g, "$&$&")}'`);
  });
});
