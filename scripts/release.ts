// The release targets as build:all (scripts/build-all.sh) names them, with what
// each packaging needs to know, and the one way to read their binaries: checked
// against the folder's SHA256SUMS, so a package holds exactly what build:all made.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface Target {
  /** build:all's name: dist/release/venvhook-<this>[.exe]. */
  release: string;
  /** Node's process.platform and process.arch, the npm package's name and its os/cpu fields. */
  os: NodeJS.Platform;
  cpu: string;
  /**
   * The wheel's platform tags (PEP 425/600), joined by dots. What each
   * promises is what the binary needs (test/e2e/wheels.test.ts reads both):
   * bun's Linux binaries need glibc 2.17, its macOS ones macOS 13.0.
   */
  wheelTag: string;
  exe: string;
}

export const TARGETS: readonly Target[] = [
  { release: "linux-x64", os: "linux", cpu: "x64", wheelTag: "manylinux_2_17_x86_64.manylinux2014_x86_64", exe: "venvhook" },
  { release: "linux-arm64", os: "linux", cpu: "arm64", wheelTag: "manylinux_2_17_aarch64.manylinux2014_aarch64", exe: "venvhook" },
  { release: "darwin-x64", os: "darwin", cpu: "x64", wheelTag: "macosx_13_0_x86_64", exe: "venvhook" },
  { release: "darwin-arm64", os: "darwin", cpu: "arm64", wheelTag: "macosx_13_0_arm64", exe: "venvhook" },
  { release: "windows-x64", os: "win32", cpu: "x64", wheelTag: "win_amd64", exe: "venvhook.exe" },
];

export const releaseFile = (target: Target): string => `venvhook-${target.release}${target.exe.endsWith(".exe") ? ".exe" : ""}`;

export class ReleaseError extends Error {}

/** The target's binary from a build:all folder, refused unless SHA256SUMS lists it with this checksum. */
export function releaseBinary(dir: string, target: Target): Buffer {
  const name = releaseFile(target);
  const sums = path.join(dir, "SHA256SUMS");
  if (!existsSync(sums)) throw new ReleaseError(`no SHA256SUMS in ${dir}; run 'npm run build:all' first`);
  const listed = readFileSync(sums, "utf8")
    .split("\n")
    .map((line) => line.match(/^([0-9a-f]{64}) [ *](.+)$/))
    .find((m) => m?.[2] === name)?.[1];
  if (!listed) throw new ReleaseError(`${sums} lists no ${name}; run 'npm run build:all' again`);
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new ReleaseError(`no ${name} in ${dir}; run 'npm run build:all' again`);
  const data = readFileSync(file);
  if (createHash("sha256").update(data).digest("hex") !== listed) throw new ReleaseError(`${file} does not match its line in SHA256SUMS; run 'npm run build:all' again`);
  return data;
}

export type PackageJson = Record<string, unknown> & { name: string; version: string; description: string; license: string; files: string[] };

/**
 * Runs a packaging script from the repository's root with package.json and
 * `--release DIR` (default dist/release, what build:all writes) and `--out DIR`
 * (default dist/<out>); a ReleaseError ends it with one line.
 */
export function packaging(out: string, build: (pkg: PackageJson, dirs: { release: string; out: string }) => void): void {
  const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const option = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(name);
    const value = i >= 0 ? process.argv[i + 1] : undefined;
    return path.resolve(value ?? path.join(repo, fallback));
  };
  const dirs = { release: option("--release", "dist/release"), out: option("--out", `dist/${out}`) };
  process.chdir(repo);
  try {
    build(JSON.parse(readFileSync("package.json", "utf8")), dirs);
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    console.error(`venvhook: ${e.message}`);
    process.exit(1);
  }
}
