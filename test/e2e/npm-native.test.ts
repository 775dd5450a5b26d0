// npm with native binaries: scripts/npm-packages.ts (npm run build:npm) lays
// out the main package and one per platform; `npm pack` packs the main one and
// this machine's, and `npm i -g` installs both offline into a scratch prefix.
// The release folder is dist/venvhook under build:all's name for this machine,
// beside stand-ins for the other targets (test/e2e/wheels.test.ts runs the
// real build:all).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { releaseFile, TARGETS } from "../../scripts/release.ts";
import { describeNeeding } from "../support/shells.ts";
import { BIN, fakeBinary } from "./fixture.ts";
import { activatesInBash, sha256 } from "./installed.ts";

const version: string = JSON.parse(readFileSync("package.json", "utf8")).version;
const here = TARGETS.find((t) => t.os === process.platform && t.cpu === process.arch);
const platform = `${process.platform}-${process.arch}`;

const base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-npm-")));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const home = path.join(base, "home");
const prefix = path.join(base, "prefix");
const modules = path.join(prefix, "lib", "node_modules");
/** npm's and the shim's environment: nothing of the caller's npm configuration, a scratch HOME. */
const env = { PATH: process.env.PATH ?? "", HOME: home, XDG_CACHE_HOME: path.join(home, ".cache") };

function must(command: string, args: string[], cwd = base) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  expect(result.status, `${command} ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
}

/** A copy of the installed packages (in a node_modules folder, where Node looks for them), with `change` applied, and its venvhook command. */
function installedCopy(name: string, change: (modules: string) => void): string {
  const copy = path.join(base, name, "node_modules");
  cpSync(modules, copy, { recursive: true, verbatimSymlinks: true });
  change(copy);
  return path.join(copy, "venvhook", "bin", "venvhook.js");
}

describeNeeding("npm i -g venvhook with this platform's binary package", ["npm", "bash", "tmux"], () => {
  beforeAll(() => {
    const release = path.join(base, "release");
    mkdirSync(release, { recursive: true });
    mkdirSync(home);
    const sums = TARGETS.map((target) => {
      const file = path.join(release, releaseFile(target));
      if (target === here) copyFileSync(BIN, file);
      else writeFileSync(file, `a stand-in for ${target.release}\n`);
      return `${sha256(file)}  ${releaseFile(target)}\n`;
    });
    writeFileSync(path.join(release, "SHA256SUMS"), sums.join(""));
    must(path.resolve("node_modules/.bin/bun"), ["scripts/npm-packages.ts", "--release", release, "--out", path.join(base, "npm")], process.cwd());
    const packs = path.join(base, "packs");
    mkdirSync(packs);
    const cache = ["--cache", path.join(base, "npm-cache")];
    must("npm", ["pack", "--pack-destination", packs, ...cache, path.join(base, "npm", "venvhook"), path.join(base, "npm", platform)]);
    must("npm", ["i", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", ...cache, `./venvhook-${version}.tgz`, `./venvhook-${platform}-${version}.tgz`], packs);
  }, 180_000);

  it("lays out one package per platform with os and cpu, and a main package that lists them all as optional dependencies and needs nothing else", () => {
    const json = (dir: string) => JSON.parse(readFileSync(path.join(base, "npm", dir, "package.json"), "utf8"));
    for (const target of TARGETS) {
      const pkg = json(`${target.os}-${target.cpu}`);
      expect(pkg).toMatchObject({ name: `@venvhook/${target.os}-${target.cpu}`, version, os: [target.os], cpu: [target.cpu] });
      expect(statSync(path.join(base, "npm", `${target.os}-${target.cpu}`, "bin", target.exe)).mode & 0o777).toBe(0o755);
    }
    const main = json("venvhook");
    expect(main.optionalDependencies).toEqual(Object.fromEntries(TARGETS.map((t) => [`@venvhook/${t.os}-${t.cpu}`, version])));
    expect(main.dependencies).toBeUndefined();
    expect(main.bin).toEqual({ venvhook: "bin/venvhook.js" });
  });

  it.skipIf(!here)("installs offline; venvhook init points the hook at the native binary, and an env activates in bash", async () => {
    const command = path.join(prefix, "bin", "venvhook");
    const native = path.join(modules, "@venvhook", platform, "bin", "venvhook");
    expect(sha256(native)).toBe(sha256(BIN));
    const run = must(command, ["--version"]);
    expect(run.stdout.trim()).toBe(version);
    expect(run.stderr).toBe("");
    const screen = await activatesInBash(command, native);
    expect(screen).not.toMatch(/venvhook: (?!found \.\/\.venv)/);
  });

  it.skipIf(!here)("passes the binary's output, exit status and death by a signal through", () => {
    const shim = installedCopy("stand-in", (copy) => {
      fakeBinary(path.join(copy, "@venvhook", platform, "bin"), "venvhook", `case $1 in status) exit 7 ;; signal) kill -"$2" $$ ;; *) printf '[%s]' "$@" ;; esac`);
    });
    expect(spawnSync(shim, ["a b", "c"], { env, encoding: "utf8" }).stdout).toBe("[a b][c]");
    expect(spawnSync(shim, ["status"], { env }).status).toBe(7);
    expect(spawnSync(shim, ["signal", "TERM"], { env }).signal).toBe("SIGTERM");
    expect(spawnSync(shim, ["signal", "INT"], { env }).signal).toBe("SIGINT");
  });

  it.skipIf(!here)("outlives a Ctrl-C to its process group until the binary is done with it, then exits as the binary did", () => {
    const shim = installedCopy("ctrl-c", (copy) => {
      // Ctrl-C reaches every process in the terminal's foreground group: the shim and the binary.
      fakeBinary(path.join(copy, "@venvhook", platform, "bin"), "venvhook", `trap 'echo cleaned up >&2; exit 130' INT\nkill -INT 0\nsleep 5`);
    });
    // In a process group of its own (setsid), which kill 0 then signals whole.
    const result = spawnSync("setsid", [shim], { env, encoding: "utf8" });
    expect(result.stderr).toBe("cleaned up\n");
    expect(result.status).toBe(130);
  });

  it("runs under Node where this platform's package is missing, and says so once", () => {
    const shim = installedCopy("no-binary", (copy) => rmSync(path.join(copy, "@venvhook"), { recursive: true, force: true }));
    const first = spawnSync(shim, ["--version"], { env, encoding: "utf8" });
    expect(first.stdout.trim()).toBe(version);
    expect(first.stderr.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^venvhook: @venvhook/${platform} is not installed, so venvhook runs under Node`))]);
    const again = spawnSync(shim, ["--version"], { env, encoding: "utf8" });
    expect(again.stdout.trim()).toBe(version);
    expect(again.stderr).toBe("");
    expect(spawnSync(shim, ["init", "bash"], { env, encoding: "utf8" }).stdout).toContain(`__venvhook_bin='${realpathSync(shim)}'`);
    expect(existsSync(path.join(env.XDG_CACHE_HOME, "venvhook"))).toBe(true);
  });

  it.skipIf(!here)("runs under Node where the platform's binary cannot run, and says why", () => {
    let binary = "";
    const shim = installedCopy("not-executable", (copy) => {
      binary = path.join(copy, "@venvhook", platform, "bin", "venvhook");
      chmodSync(binary, 0o644);
    });
    const result = spawnSync(shim, ["--version"], { env: { ...env, XDG_CACHE_HOME: path.join(base, "not-executable", "cache") }, encoding: "utf8" });
    expect(result.stdout.trim()).toBe(version);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`venvhook: ${binary} does not run here (EACCES), so venvhook runs under Node`);
  });
});
