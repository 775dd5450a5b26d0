#!/usr/bin/env node
// venvhook from npm. npm installs the compiled binary for this platform as an
// optional dependency, @venvhook/<platform>-<arch> (the esbuild and biome
// pattern; `npm run build:npm` lays the packages out): this runs it, so that
// `venvhook init` prints a hook that calls that binary (its process.execPath)
// and never Node. Where there is none (a platform without a release binary,
// or optional dependencies left out), the same program runs under Node
// (dist/venvhook.mjs, bundled by `npm run build`), which costs ~170 ms a cd
// instead of a few: that is said once.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { constants, homedir } from "node:os";
import path from "node:path";

const platform = `${process.platform}-${process.arch}`;
const exe = process.platform === "win32" ? "venvhook.exe" : "venvhook";

function nativeBinary() {
  try {
    return createRequire(import.meta.url).resolve(`@venvhook/${platform}/bin/${exe}`);
  } catch {
    return undefined;
  }
}

/** env-paths' cache folder for venvhook, where src/shared/paths.ts keeps its cache too. */
function cacheDir() {
  if (process.platform === "darwin") return path.join(homedir(), "Library", "Caches", "venvhook");
  if (process.platform === "win32") return path.join(process.env.LOCALAPPDATA || path.join(homedir(), "AppData", "Local"), "venvhook", "Cache");
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "venvhook");
}

/** One line on stderr, the first time only: every prompt would repeat it otherwise. */
function sayOnce(message) {
  const marker = path.join(cacheDir(), "node-fallback-said");
  if (existsSync(marker)) return;
  console.error(message);
  try {
    mkdirSync(path.dirname(marker), { recursive: true });
    writeFileSync(marker, `${message}\n`);
  } catch {
    // An unwritable cache folder: it will be said again next time, which is better than never.
  }
}

const binary = nativeBinary();
let why = `@venvhook/${platform} is not installed`;
if (binary) {
  // Ctrl-C reaches this process too: live on until the binary has dealt with it, and end as it did.
  const wait = () => {};
  process.on("SIGINT", wait);
  try {
    execFileSync(binary, process.argv.slice(2), { stdio: "inherit" });
    process.exit(0);
  } catch (error) {
    process.off("SIGINT", wait);
    // Killed by a signal: die of the same one, so the caller sees what the binary's caller would.
    if (error.signal) {
      process.kill(process.pid, error.signal);
      process.exit(128 + (constants.signals[error.signal] ?? 0));
    }
    if (typeof error.status === "number") process.exit(error.status);
    why = `${binary} does not run here (${error.code})`;
  }
}
sayOnce(`venvhook: ${why}, so venvhook runs under Node, about 170 ms a cd instead of a few; reinstall it with optional dependencies to get the binary, where ${platform} has one (said once)`);
await import("../dist/venvhook.mjs");
