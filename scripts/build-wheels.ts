// npm run build:wheels: one Python wheel per release target, into dist/wheels/,
// each carrying build:all's binary for that target as its console script, in
// the layout maturin gives ruff's and uv's wheels: the binary in
// venvhook-<version>.data/scripts/ (pip and pipx put it in the env's bin/ or
// Scripts\ as it is), and no Python code at all.
//
//   bun scripts/build-wheels.ts [--release DIR] [--out DIR]
//
// DIR defaults: dist/release (what build:all writes) and dist/wheels.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packaging, releaseBinary, TARGETS, type PackageJson, type Target } from "./release.ts";
import { zip, type ZipEntry } from "./zip.ts";

/** RECORD's hash: sha256, urlsafe base64 without padding (PEP 376/427). */
const recordHash = (data: Uint8Array): string => `sha256=${createHash("sha256").update(data).digest("base64url")}`;

/** Core metadata 2.1 (what every pip and pipx in use reads), README as the description. */
function metadata(pkg: PackageJson, readme: string): string {
  const headers = [
    "Metadata-Version: 2.1",
    `Name: ${pkg.name}`,
    `Version: ${pkg.version}`,
    `Summary: ${pkg.description}`,
    `License: ${pkg.license}`,
    // The binary itself needs no Python; as ruff and uv do, ask for one whose pip reads these tags.
    "Requires-Python: >=3.7",
    "Classifier: Environment :: Console",
    `Classifier: License :: OSI Approved :: ${pkg.license} License`,
    "Classifier: Programming Language :: Python :: 3",
    "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM",
  ];
  return `${headers.join("\n")}\n\n${readme}`;
}

function wheel(pkg: PackageJson, readme: string, target: Target, binary: Buffer): { file: string; data: Buffer } {
  const dist = `${pkg.name}-${pkg.version}`;
  const tags = target.wheelTag.split(".").map((platform) => `Tag: py3-none-${platform}`);
  const files: ZipEntry[] = [
    { name: `${dist}.data/scripts/${target.exe}`, data: binary, executable: true },
    { name: `${dist}.dist-info/METADATA`, data: Buffer.from(metadata(pkg, readme)) },
    { name: `${dist}.dist-info/WHEEL`, data: Buffer.from(["Wheel-Version: 1.0", "Generator: venvhook scripts/build-wheels.ts", "Root-Is-Purelib: false", ...tags, ""].join("\n")) },
  ];
  const recordName = `${dist}.dist-info/RECORD`;
  const record = [...files.map((f) => `${f.name},${recordHash(f.data)},${f.data.length}`), `${recordName},,`, ""].join("\n");
  files.push({ name: recordName, data: Buffer.from(record) });
  return { file: `${dist}-py3-none-${target.wheelTag}.whl`, data: zip(files) };
}

packaging("wheels", (pkg, { release, out }) => {
  const readme = readFileSync("README.md", "utf8");
  const binaries = TARGETS.map((target) => ({ target, binary: releaseBinary(release, target) }));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const { target, binary } of binaries) {
    const { file, data } = wheel(pkg, readme, target, binary);
    writeFileSync(path.join(out, file), data);
    console.log(`${path.join(out, file)} (${(data.length / 2 ** 20).toFixed(1)} MiB)`);
  }
});
