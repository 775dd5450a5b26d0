// Release binaries: install.sh --binary <folder> picks this machine's one and
// checks it against SHA256SUMS, and scripts/build-all.sh compiles with exactly
// the flags of the local build. `npm run build:all` itself is not run here (it
// is slow and fetches bun runtimes from the npm registry): the folder is made
// from dist/venvhook, named as build:all names this platform's binary.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeNeeding } from "../support/shells.ts";
import { BIN } from "./fixture.ts";

const base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-build-all-")));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** build:all's name for this machine's binary: venvhook-<os>-<arch>. */
const releaseName = `venvhook-${process.platform}-${process.arch}`;
const version: string = JSON.parse(readFileSync("package.json", "utf8")).version;

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** A folder as build:all makes it: this machine's binary, another's, and SHA256SUMS for both. */
function makeRelease(name: string): { dir: string; binary: string } {
  const dir = path.join(base, name, "release");
  mkdirSync(dir, { recursive: true });
  const binary = path.join(dir, releaseName);
  copyFileSync(BIN, binary);
  const other = path.join(dir, "venvhook-plan9-mips");
  writeFileSync(other, "not for this machine\n");
  writeFileSync(path.join(dir, "SHA256SUMS"), `${sha256(other)}  venvhook-plan9-mips\n${sha256(binary)}  ${releaseName}\n`);
  return { dir, binary };
}

function install(name: string, ...args: string[]) {
  const home = path.join(base, name, "home");
  mkdirSync(home, { recursive: true });
  const prefix = path.join(home, "prefix");
  const result = spawnSync("./install.sh", [...args, "--prefix", prefix, "--no-modify-rc"], {
    env: { HOME: home, PATH: process.env.PATH, SHELL: "/bin/sh" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { ...result, prefix, installed: path.join(prefix, "bin", "venvhook") };
}

describeNeeding("install.sh --binary <folder of release binaries>", ["sh"], () => {
  it("installs this machine's binary after checking it against SHA256SUMS", () => {
    const { dir } = makeRelease("good");
    const result = install("good", "--binary", dir);
    expect(result.stderr).not.toMatch(/venvhook install: (?!warning)/);
    expect(result.status).toBe(0);
    expect(spawnSync(result.installed, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(version);
  });

  it("refuses a binary whose checksum does not match, in one line, and installs nothing", () => {
    const { dir, binary } = makeRelease("tampered");
    appendFileSync(binary, "\0");
    const result = install("tampered", "--binary", dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^venvhook install: checksum mismatch for .*\/release\/venvhook-/)]);
    expect(existsSync(result.installed)).toBe(false);
    expect(existsSync(result.prefix)).toBe(false);
  });

  it("says which binary it looked for when the folder has none for this machine", () => {
    const { dir, binary } = makeRelease("missing");
    rmSync(binary);
    const result = install("missing", "--binary", dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(`venvhook install: no ${releaseName} in `)]);
    expect(existsSync(result.prefix)).toBe(false);
  });
});

describe("scripts/build-all.sh", () => {
  it("compiles with exactly the flags of package.json's build script", () => {
    const build: string = JSON.parse(readFileSync("package.json", "utf8")).scripts.build;
    const local = build.match(/\bbun build --compile (.*?) src\/main\.ts --outfile dist\/venvhook(?: |$)/)?.[1]?.split(/\s+/);
    const script = readFileSync("scripts/build-all.sh", "utf8");
    const all = script.match(/^flags='([^']*)'$/m)?.[1]?.split(/\s+/);
    expect(local).toBeDefined();
    expect(all).toBeDefined();
    expect([...all!].sort()).toEqual([...local!].sort());
    expect(script).toMatch(/ build --compile \$flags --target=/);
  });
});
