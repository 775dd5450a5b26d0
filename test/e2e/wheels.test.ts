// Python wheels: `npm run build:wheels` runs the real build:all (bun fetches
// each target's runtime from the npm registry the first time), then writes a
// wheel per release target. Python's own zipfile reads them back; pip and
// pipx install this machine's one offline, and its binary activates an env
// in a real bash.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { releaseFile, TARGETS, type Target } from "../../scripts/release.ts";
import { describeNeeding } from "../support/shells.ts";
import { activatesInBash, sha256 } from "./installed.ts";

const version: string = JSON.parse(readFileSync("package.json", "utf8")).version;
const RELEASE = path.resolve("dist/release");
const WHEELS = path.resolve("dist/wheels");
const wheelName = (t: Target) => `venvhook-${version}-py3-none-${t.wheelTag}.whl`;
const here = TARGETS.find((t) => t.os === process.platform && t.cpu === process.arch);

/** What Python's zipfile reads in a wheel: each entry's mode, size, sha256 (hex and RECORD's base64url), and the text of dist-info files. */
interface Entry {
  name: string;
  mode: number;
  size: number;
  hex: string;
  record: string;
  text?: string;
}
const READ_WHEEL = `
import base64, hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "a damaged entry"
out = []
for info in z.infolist():
    data = z.read(info)
    digest = hashlib.sha256(data).digest()
    entry = {"name": info.filename, "mode": info.external_attr >> 16, "size": len(data), "hex": digest.hex(),
             "record": "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()}
    if ".dist-info/" in info.filename: entry["text"] = data.decode("utf-8")
    out.append(entry)
print(json.dumps(out))
`;
const read = new Map<string, Entry[]>();
const readWheel = (file: string): Entry[] => {
  if (!read.has(file)) read.set(file, JSON.parse(spawnSync("python3", ["-c", READ_WHEEL, file], { encoding: "utf8", maxBuffer: 1 << 26 }).stdout));
  return read.get(file)!;
};

/** The release's SHA256SUMS as a map from file name to checksum. */
const releaseSums = () => new Map(readFileSync(path.join(RELEASE, "SHA256SUMS"), "utf8").trim().split("\n").map((line) => [line.slice(66), line.slice(0, 64)] as const));

/** The version numbers in a platform tag: manylinux_2_17_x86_64 -> [2, 17], macosx_13_0_arm64 -> [13, 0]. */
const tagVersion = (tag: string): number[] => (tag.match(/^(?:manylinux|macosx)_(\d+)_(\d+)_/)?.slice(1) ?? []).map(Number);
const notAfter = (a: number[], b: number[]) => a[0]! < b[0]! || (a[0] === b[0] && a[1]! <= b[1]!);

/** The newest glibc symbol version named in an ELF file (the dynamic string table has them all; other text may only add some). */
const newestGlibc = (file: string): number[] =>
  [...readFileSync(file).toString("latin1").matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]).reduce((a, b) => (notAfter(a, b) ? b : a));

/** The macOS version a 64-bit Mach-O file needs (LC_BUILD_VERSION's minos). */
function macosMinimum(file: string): number[] {
  const data = readFileSync(file);
  expect(data.readUInt32LE(0)).toBe(0xfeedfacf);
  let offset = 32;
  for (let i = 0; i < data.readUInt32LE(16); i++) {
    if (data.readUInt32LE(offset) === 0x32) {
      const minos = data.readUInt32LE(offset + 12);
      return [minos >>> 16, (minos >>> 8) & 0xff];
    }
    offset += data.readUInt32LE(offset + 4);
  }
  throw new Error(`${file} has no LC_BUILD_VERSION`);
}

const base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-wheels-")));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describeNeeding("npm run build:wheels", ["python3", "pipx", "bash", "tmux"], () => {
  beforeAll(() => {
    const started = Date.now();
    const built = spawnSync("npm", ["run", "build:wheels"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(built.stderr).not.toMatch(/^venvhook:/m);
    expect(built.status).toBe(0);
    console.log(`npm run build:wheels (build:all, then the wheels) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);

  it("writes one wheel per release target, each holding exactly build:all's binary for it as its console script", () => {
    const buildAll = readFileSync("scripts/build-all.sh", "utf8").match(/^targets='([^']*)'$/m)?.[1]?.split(" ");
    expect(TARGETS.map((t) => t.release)).toEqual(buildAll);
    expect(readdirSync(WHEELS).sort()).toEqual(TARGETS.map(wheelName).sort());
    const sums = releaseSums();
    for (const target of TARGETS) {
      const entries = readWheel(path.join(WHEELS, wheelName(target)));
      const dist = `venvhook-${version}`;
      expect(entries.map((e) => e.name)).toEqual([`${dist}.data/scripts/${target.exe}`, ...["METADATA", "WHEEL", "RECORD"].map((f) => `${dist}.dist-info/${f}`)]);
      const script = entries[0]!;
      expect(script.mode).toBe(0o100755);
      expect(script.hex).toBe(sums.get(releaseFile(target)));
      expect(script.hex).toBe(sha256(path.join(RELEASE, releaseFile(target))));
    }
  });

  it("has the metadata pip shows and PyPI needs, the README as its description, and a RECORD that hashes every file", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    for (const target of TARGETS) {
      const entries = readWheel(path.join(WHEELS, wheelName(target)));
      const text = (name: string) => entries.find((e) => e.name.endsWith(`.dist-info/${name}`))?.text ?? "";
      const [head, ...body] = text("METADATA").split("\n\n");
      const headers = head!.split("\n");
      expect(headers).toEqual(
        expect.arrayContaining([
          "Name: venvhook",
          `Version: ${pkg.version}`,
          `Summary: ${pkg.description}`,
          "License: MIT",
          expect.stringMatching(/^Requires-Python: >=3\.\d+$/),
          expect.stringMatching(/^Description-Content-Type: text\/markdown(;|$)/),
        ]),
      );
      expect(headers[0]).toMatch(/^Metadata-Version: 2\.\d$/);
      expect(body.join("\n\n")).toBe(readFileSync("README.md", "utf8"));

      const wheel = text("WHEEL").trim().split("\n");
      expect(wheel).toContain("Wheel-Version: 1.0");
      expect(wheel).toContain("Root-Is-Purelib: false");
      expect(wheel.filter((l) => l.startsWith("Tag: "))).toEqual(target.wheelTag.split(".").map((p) => `Tag: py3-none-${p}`));

      const record = text("RECORD").trim().split("\n");
      expect(record).toEqual([...entries.filter((e) => !e.name.endsWith("/RECORD")).map((e) => `${e.name},${e.record},${e.size}`), `venvhook-${version}.dist-info/RECORD,,`]);
    }
  });

  it("tags each wheel for no older a system than its binary needs (glibc, macOS version)", () => {
    for (const target of TARGETS) {
      const binary = path.join(RELEASE, releaseFile(target));
      const promised = tagVersion(target.wheelTag);
      if (target.os === "linux") expect(notAfter(newestGlibc(binary), promised), `${binary} needs glibc ${newestGlibc(binary).join(".")}`).toBe(true);
      if (target.os === "darwin") expect(notAfter(macosMinimum(binary), promised), `${binary} needs macOS ${macosMinimum(binary).join(".")}`).toBe(true);
    }
  });

  it("refuses, in one line, a binary that is not the one SHA256SUMS lists, and writes no wheel", () => {
    const release = path.join(base, "tampered");
    mkdirSync(release);
    const sums = TARGETS.map((target) => {
      writeFileSync(path.join(release, releaseFile(target)), `a stand-in for ${target.release}\n`);
      return `${sha256(path.join(release, releaseFile(target)))}  ${releaseFile(target)}\n`;
    });
    writeFileSync(path.join(release, "SHA256SUMS"), sums.join(""));
    appendFileSync(path.join(release, releaseFile(TARGETS[1]!)), "changed\n");
    const out = path.join(base, "tampered-wheels");
    const result = spawnSync("node_modules/.bin/bun", ["scripts/build-wheels.ts", "--release", release, "--out", out], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`venvhook: ${path.join(release, releaseFile(TARGETS[1]!))} does not match its line in SHA256SUMS; run 'npm run build:all' again\n`);
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(!here)("pip installs this machine's wheel offline; its venvhook is build:all's binary and activates an env in bash", async () => {
    const venv = path.join(base, "t");
    spawnSync("python3", ["-m", "venv", venv]);
    const pip = spawnSync(path.join(venv, "bin", "pip"), ["install", "--no-index", "--disable-pip-version-check", path.join(WHEELS, wheelName(here!))], { encoding: "utf8" });
    expect(pip.stderr).toBe("");
    expect(pip.status).toBe(0);
    const installed = path.join(venv, "bin", "venvhook");
    expect(spawnSync(installed, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(version);
    expect(sha256(installed)).toBe(releaseSums().get(releaseFile(here!)));
    const screen = await activatesInBash(installed, installed);
    expect(screen).not.toMatch(/venvhook: (?!found \.\/\.venv)/);
  });

  it.skipIf(!here)("pipx installs it offline too", () => {
    const pipx = path.join(base, "pipx");
    const env = { ...process.env, PIPX_HOME: path.join(pipx, "home"), PIPX_BIN_DIR: path.join(pipx, "bin"), PIP_NO_INDEX: "1" };
    // pipx also tries to upgrade pip in its shared env, which offline fails and pipx goes on without.
    const result = spawnSync("pipx", ["install", path.join(WHEELS, wheelName(here!))], { env, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const installed = path.join(pipx, "bin", "venvhook");
    expect(spawnSync(installed, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(version);
    expect(sha256(realpathSync(installed))).toBe(releaseSums().get(releaseFile(here!)));
    const init = spawnSync(installed, ["init", "bash"], { encoding: "utf8" }).stdout;
    expect(init).toContain(`__venvhook_bin='${realpathSync(installed)}'`);
  });
});
