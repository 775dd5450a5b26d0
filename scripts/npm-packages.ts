// npm run build:npm: the npm packages, laid out in dist/npm/ ready for
// `npm pack` or `npm publish`, as esbuild and biome ship theirs:
//   dist/npm/<os>-<cpu>/  @venvhook/<os>-<cpu>: one release binary in bin/, with
//                         os/cpu (and libc) fields, so npm installs only the one
//                         for the machine;
//   dist/npm/venvhook/    venvhook: what package.json's "files" lists (bin/venvhook.js
//                         runs the platform's binary, or falls back to Node), and
//                         every platform package as an optional dependency.
// The main package has no dependencies: dist/venvhook.mjs is a bundle.
//
//   bun scripts/npm-packages.ts [--release DIR] [--out DIR]
//
// DIR defaults: dist/release (what build:all writes) and dist/npm.
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packaging, ReleaseError, releaseBinary, TARGETS, type Target } from "./release.ts";

const npmName = (target: Target): string => `@venvhook/${target.os}-${target.cpu}`;

const writeJson = (file: string, value: unknown) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

packaging("npm", (pkg, { release, out }) => {
  const { files } = pkg;
  for (const file of files) if (!existsSync(file)) throw new ReleaseError(`no ${file}, which package.json's "files" lists; run 'npm run build' first`);
  const binaries = TARGETS.map((target) => ({ target, binary: releaseBinary(release, target) }));
  rmSync(out, { recursive: true, force: true });

  for (const { target, binary } of binaries) {
    const dir = path.join(out, `${target.os}-${target.cpu}`);
    mkdirSync(path.join(dir, "bin"), { recursive: true });
    const file = path.join(dir, "bin", target.exe);
    writeFileSync(file, binary);
    chmodSync(file, 0o755);
    writeJson(path.join(dir, "package.json"), {
      name: npmName(target),
      version: pkg.version,
      description: `The ${target.os}-${target.cpu} binary of venvhook (installed by 'npm i -g venvhook')`,
      license: pkg.license,
      os: [target.os],
      cpu: [target.cpu],
      // bun's Linux binaries are built for glibc: on musl the package is skipped and Node runs venvhook.
      ...(target.os === "linux" ? { libc: ["glibc"] } : {}),
      files: ["bin/"],
      preferUnplugged: true,
    });
    console.log(`${dir}: ${npmName(target)}`);
  }

  const main = path.join(out, "venvhook");
  mkdirSync(main, { recursive: true });
  for (const file of files) cpSync(file, path.join(main, file), { recursive: true });
  const { name, version, description, type, license, bin, engines } = pkg;
  const optionalDependencies = Object.fromEntries(TARGETS.map((target) => [npmName(target), version]));
  writeJson(path.join(main, "package.json"), { name, version, description, type, license, bin, engines, files, optionalDependencies });
  console.log(`${main}: ${name}`);
});
