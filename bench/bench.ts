// Benchmark: run with `npm run bench` (builds dist/venvhook, then `bun bench/bench.ts`).
//
// a) The cost of one activation: `venvhook export bash` in a folder 12 levels
//    below a project with a real venv, against `mise hook-env -s bash` and
//    `direnv export bash` set up to activate the same venv (hyperfine medians).
//    Beside it, venvhook as `npm i -g` installs it (the packages in dist/npm,
//    packed and installed offline into the temporary folder), run as its hook
//    runs it: through the path that its `init bash` prints.
// b) How many processes a prompt starts when nothing changed: interactive
//    bash, zsh and fish under strace, 100 extra prompts in the same folder.
// c) The cost of finding a tool-managed env: a Poetry project (its env in
//    Poetry's cache folder, named by Poetry's rule) against the plain .venv
//    project, both 12 folders down, in alternating hyperfine rounds; then,
//    for the record, the first cd after a change (nothing kept yet).
// d) What each tool's rc line adds to a new shell, up to its first prompt:
//    `bash -i` with venvhook's (install.sh's, and the eval form), mise's and
//    direnv's line against an empty rc file.
//
// Builds nothing (`npm run bench` runs build:npm first). Everything it creates lives in one temporary folder, removed
// at the end. Options:
//   --runs N    hyperfine runs per command (default 100)
//   --strict    exit 1 when a target is missed (default: report only)
// VENVHOOK_BENCH_BINARY=/path/to/venvhook measures that binary instead of
// dist/venvhook (for trying the bench against a stand-in).

import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { poetryBaseName } from "../src/discovery/tools/poetry.ts";

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const DEPTH = 12;
const EXTRA_PROMPTS = 100;
const REPEATS = 3; // runs per strace count (the smallest is kept)

class BenchError extends Error {}
const fail = (message: string): never => {
  throw new BenchError(message);
};

// ------------------------------------------------------------------ options
let runs = 100;
let strict = false;
{
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--strict") strict = true;
    else if (arg === "--runs" || arg?.startsWith("--runs=")) {
      const value = arg === "--runs" ? args[++i] : arg.slice("--runs=".length);
      runs = Number(value);
      if (!Number.isInteger(runs) || runs < 10) {
        console.error(`bench: --runs needs a whole number >= 10, got ${value ?? "nothing"}`);
        process.exit(2);
      }
    } else if (arg === "-h" || arg === "--help") {
      console.log("usage: bun bench/bench.ts [--runs N] [--strict]");
      process.exit(0);
    } else {
      console.error(`bench: unknown option: ${arg}`);
      process.exit(2);
    }
  }
}

// ------------------------------------------------------------------ helpers
function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of a program: repo's node_modules/.bin first, then PATH. */
function which(name: string): string | undefined {
  const dirs = [join(repo, "node_modules", ".bin"), ...(process.env.PATH ?? "").split(delimiter)];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** POSIX shell single quotes (also what hyperfine -N's word splitting reads). */
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** fish single quotes: only \ and ' are special. */
const fishq = (s: string): string => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], options: SpawnSyncOptions & { input?: string } = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 90_000, maxBuffer: 64 << 20, ...options });
  if (r.error) fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  return { status: r.status, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

/** Runs and fails unless the exit status is 0. */
function must(what: string, cmd: string, args: string[], options: SpawnSyncOptions & { input?: string } = {}): RunResult {
  const r = run(cmd, args, options);
  if (r.status !== 0) {
    const detail = (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ");
    fail(`${what} failed (status ${r.status}): ${detail}`);
  }
  return r;
}

const firstLine = (s: string): string => s.trim().split("\n")[0] ?? "";
const ms = (seconds: number): string => (seconds * 1000).toFixed(2);
const perPrompt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

// ------------------------------------------------------------------ temp dirs
const root = realpathSync(mkdtempSync(join(tmpdir(), "venvhook-bench-")));
let cleaned = false;
function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  rmSync(root, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const home = join(root, "home");
const xdg = {
  XDG_DATA_HOME: join(root, "xdg", "data"),
  XDG_CONFIG_HOME: join(root, "xdg", "config"),
  XDG_STATE_HOME: join(root, "xdg", "state"),
  XDG_CACHE_HOME: join(root, "xdg", "cache"),
};
const miseDirs = {
  MISE_DATA_DIR: join(root, "mise", "data"),
  MISE_CONFIG_DIR: join(root, "mise", "config"),
  MISE_STATE_DIR: join(root, "mise", "state"),
  MISE_CACHE_DIR: join(root, "mise", "cache"),
};
const proj = join(root, "proj");
const deep = join(proj, ...Array.from({ length: DEPTH }, (_, i) => `d${i + 1}`));
const poetryProj = join(root, "shop");
const poetryDeep = join(poetryProj, ...Array.from({ length: DEPTH }, (_, i) => `d${i + 1}`));

/**
 * The environment every measured command runs in: temp HOME and XDG dirs,
 * and nothing that tells a tool an env is already active (VIRTUAL_ENV,
 * VENVHOOK_STATE, __MISE_DIFF/__MISE_SESSION, DIRENV_DIFF/DIR/WATCHES), so
 * each run computes a full activation.
 */
function benchEnv(cwd: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const drop = new Set(["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PROMPT_COMMAND", "BASH_ENV", "ENV", "ZDOTDIR", "CONDA_PREFIX", "PYTHONHOME", "OLDPWD", "HISTFILE"]);
  for (const key of Object.keys(env)) {
    if (drop.has(key) || /^(VENVHOOK_|__VENVHOOK|__MISE_|MISE_|DIRENV_|XDG_)/.test(key)) delete env[key];
  }
  // Every hook runs venvhook with the JIT off (shells/); mise and direnv do not read it.
  return { ...env, HOME: home, ...xdg, ...miseDirs, MISE_OFFLINE: "1", TERM: "dumb", PWD: cwd, BUN_JSC_useJIT: "0", ...extra };
}

// ------------------------------------------------------------------ main
interface Tool {
  name: string;
  bin: string;
  args: string[];
}

function main(): number {
  const venvhookOverride = process.env.VENVHOOK_BENCH_BINARY;
  const venvhook = venvhookOverride ? resolve(venvhookOverride) : join(repo, "dist", "venvhook");
  if (!isExecutable(venvhook)) {
    fail(venvhookOverride ? `VENVHOOK_BENCH_BINARY=${venvhookOverride} is not an executable file` : `${venvhook} is missing; run 'npm run bench' (it builds first) or 'npm run build'`);
  }
  const hyperfine = which("hyperfine") ?? fail("hyperfine is not installed (apt-get install hyperfine)");
  const python = which("python3") ?? fail("python3 is not installed (apt-get install python3-venv)");
  const mise = which("mise");
  const direnv = which("direnv");
  const strace = which("strace");

  const version = (bin: string, args: string[]): string => firstLine(run(bin, args, { env: benchEnv(root) }).stdout) || "?";
  console.log(`venvhook bench: ${cpus().length} cores, ${runs} runs per command, project ${DEPTH} folders up`);
  console.log(`  venvhook ${version(venvhook, ["--version"])} (${venvhook})`);
  if (mise) console.log(`  mise     ${version(mise, ["--version"])}`);
  if (direnv) console.log(`  direnv   ${version(direnv, ["version"])}`);
  console.log(`  ${version(hyperfine, ["--version"])}`);

  // ---- the project: a real venv, plus the config each competitor needs
  for (const dir of [home, deep, ...Object.values(xdg), ...Object.values(miseDirs)]) mkdirSync(dir, { recursive: true });
  // The user's own environment here: pyenv-style shims need the real HOME.
  must("python3 -m venv --without-pip", python, ["-m", "venv", "--without-pip", join(proj, ".venv")], { cwd: proj });
  if (!existsSync(join(proj, ".venv", "bin", "activate"))) fail(`python3 -m venv made no ${join(proj, ".venv", "bin", "activate")}`);
  writeFileSync(join(proj, "mise.toml"), '[env]\n_.python.venv = ".venv"\n');
  writeFileSync(join(proj, ".envrc"), "source .venv/bin/activate\n");

  must("venvhook allow", venvhook, ["allow", proj], { cwd: proj, env: benchEnv(proj) });
  if (mise) must("mise trust", mise, ["trust", join(proj, "mise.toml")], { cwd: proj, env: benchEnv(proj) });
  if (direnv) must("direnv allow", direnv, ["allow", proj], { cwd: proj, env: benchEnv(proj) });

  // ---- a) one activation
  const tools: Tool[] = [{ name: "venvhook", bin: venvhook, args: ["export", "bash"] }];
  const npmHook = npmInstalledHook();
  if (npmHook) tools.push({ name: "npm i -g", bin: npmHook, args: ["export", "bash"] });
  if (mise) tools.push({ name: "mise", bin: mise, args: ["hook-env", "-s", "bash"] });
  if (direnv) tools.push({ name: "direnv", bin: direnv, args: ["export", "bash"] });

  console.log(`\n== a) one activation, ${DEPTH} folders below the project (full activation each run)`);
  for (const tool of tools) {
    const r = must(`${tool.name} ${tool.args.join(" ")}`, tool.bin, tool.args, { cwd: deep, env: benchEnv(deep) });
    if (!r.stdout.trim()) fail(`${tool.name} ${tool.args.join(" ")} printed nothing in ${deep}: the setup is broken, timing it would be meaningless`);
    if (!r.stdout.includes("VIRTUAL_ENV")) fail(`${tool.name} ${tool.args.join(" ")} printed no VIRTUAL_ENV in ${deep} (it did not activate the venv): ${firstLine(r.stdout)}`);
    console.log(`  ${tool.name.padEnd(8)} activates the venv (${Buffer.byteLength(r.stdout)} bytes of shell code)`);
  }
  if (npmHook) console.log(`  npm i -g: its hook calls ${npmHook}`);
  if (!mise) console.log("  mise: not installed, skipped");
  if (!direnv) console.log("  direnv: not installed, skipped");

  const json = join(root, "hyperfine.json");
  const hfArgs = ["-N", "--warmup", "5", "--runs", String(runs), "--style", "none", "--export-json", json];
  for (const tool of tools) hfArgs.push("--command-name", tool.name, [tool.bin, ...tool.args].map(shq).join(" "));
  console.log(`  timing with hyperfine -N (warmup 5, ${runs} runs each)...`);
  must("hyperfine", hyperfine, hfArgs, { cwd: deep, env: benchEnv(deep), stdio: ["ignore", "pipe", "pipe"] });
  const results = (JSON.parse(readFileSync(json, "utf8")) as { results: { median: number; stddev: number | null }[] }).results;
  const medians = new Map<string, { median: number; stddev: number }>();
  tools.forEach((tool, i) => {
    const r = results[i] ?? fail(`hyperfine's JSON has no result for ${tool.name}`);
    medians.set(tool.name, { median: r.median, stddev: r.stddev ?? 0 });
  });
  const base = medians.get("venvhook")?.median ?? fail("no venvhook result");

  console.log(`\n  ${"tool".padEnd(10)}${"median ms".padStart(10)}${"± stddev".padStart(10)}${"× venvhook".padStart(12)}`);
  for (const tool of tools) {
    const m = medians.get(tool.name);
    if (!m) continue;
    console.log(`  ${tool.name.padEnd(10)}${ms(m.median).padStart(10)}${ms(m.stddev).padStart(10)}${(m.median / base).toFixed(2).padStart(12)}`);
  }
  let missed = 0;
  const ratioLine = (other: string, target: number, installed: boolean): void => {
    const m = medians.get(other);
    if (!installed || !m) {
      console.log(`venvhook/${other} = n/a (${other} not installed) (target <= ${target.toFixed(1)}x)`);
      return;
    }
    const ratio = base / m.median;
    const ok = ratio <= target;
    if (!ok) missed++;
    console.log(`venvhook/${other} = ${ratio.toFixed(2)}x (target <= ${target.toFixed(1)}x)${ok ? "" : "  MISSED"}`);
  };
  console.log("");
  ratioLine("mise", 1.0, Boolean(mise));
  ratioLine("direnv", 0.3, Boolean(direnv));
  const npm = medians.get("npm i -g");
  console.log(npm ? `npm i -g/venvhook = ${(npm.median / base).toFixed(2)}x (the same binary, installed by npm)` : "npm i -g/venvhook = n/a (no dist/npm: npm run build:npm)");

  // ---- b) processes per unchanged prompt
  console.log(`\n== b) processes started by ${EXTRA_PROMPTS} prompts in an unchanged folder (strace, interactive shells)`);
  if (!strace) {
    console.log("  strace is not installed, skipped (apt-get install strace)");
    console.log("processes per unchanged prompt: n/a (target 0)");
  } else {
    const parts: string[] = [];
    for (const shell of ["bash", "zsh", "fish", "pwsh"] as const) {
      const r = countPrompts(shell, venvhook, strace);
      if (typeof r === "string") {
        console.log(`  ${shell}: ${r}`);
        parts.push(`${shell} n/a`);
        continue;
      }
      if (r.perPrompt !== 0) missed++;
      parts.push(`${shell} ${perPrompt(r.perPrompt)}`);
      console.log(`  ${shell}: ${r.detail}`);
    }
    console.log(`processes per unchanged prompt: ${parts.join(", ")} (target 0)`);
  }

  // ---- c) a tool-managed env
  missed += toolManaged(venvhook, hyperfine, python);

  // ---- d) a new shell's start-up
  missed += startUp(venvhook, hyperfine, mise, direnv);

  if (missed > 0) console.log(`\n${missed} target(s) missed${strict ? "" : " (report only; --strict makes this fail)"}`);
  return strict && missed > 0 ? 1 : 0;
}

// ------------------------------------------------------------------ d) start-up

/** The target for what venvhook's rc line adds to a new bash (issue 16). */
const START_UP_TARGET_MS = 6;

/**
 * Times a new interactive bash up to its first prompt and out (`bash -i`
 * reading an empty stdin: the rc file, then PROMPT_COMMAND once, then exit)
 * with an rc file holding each tool's line, against an empty one, in a folder
 * outside any project: what every new shell pays for the line and its first
 * prompt. venvhook's line is the one install.sh writes, which loads the hook
 * from the file `init --write` wrote; `eval "$(venvhook init bash)"` is shown
 * beside it. Returns how many targets were missed (0 or 1).
 */
function startUp(venvhook: string, hyperfine: string, mise: string | undefined, direnv: string | undefined): number {
  console.log("\n== d) a new shell's start-up: bash -i to its first prompt, with each tool's rc line, against an empty rc file");
  const bash = which("bash") ?? fail("bash is not installed");
  const written = must("venvhook init bash --write", venvhook, ["init", "bash", "--write"], { cwd: home, env: benchEnv(home), stdio: ["ignore", "pipe", "pipe"] });
  const lines: Array<[string, string]> = [
    ["bare", ""],
    ["venvhook", written.stdout.trim()],
    ["(eval)", `eval "$(${shq(venvhook)} init bash)"`],
  ];
  if (mise) lines.push(["mise", `eval "$(${shq(mise)} activate bash)"`]);
  if (direnv) lines.push(["direnv", `eval "$(${shq(direnv)} hook bash)"`]);
  const json = join(root, "start-up.json");
  const hfArgs = ["-N", "--warmup", "5", "--runs", String(runs), "--style", "none", "--export-json", json];
  for (const [name, line] of lines) {
    const rc = join(root, `rc-${name.replace(/\W/g, "")}.bash`);
    writeFileSync(rc, line ? `${line}\n` : "");
    // The line must work, or its time means nothing.
    must(`bash with ${name}'s rc line`, bash, ["--rcfile", rc, "-i", "-c", "exit"], { cwd: home, env: benchEnv(home) });
    // hyperfine gives the command an empty stdin.
    hfArgs.push("--command-name", name, [bash, "--rcfile", rc, "-i"].map(shq).join(" "));
  }
  must("hyperfine", hyperfine, hfArgs, { cwd: home, env: benchEnv(home), stdio: ["ignore", "pipe", "pipe"] });
  const results = (JSON.parse(readFileSync(json, "utf8")) as { results: { median: number }[] }).results;
  const bare = results[0]?.median ?? fail("hyperfine's JSON has no result for the empty rc file");
  console.log(`\n  ${"rc line".padEnd(10)}${"median ms".padStart(10)}${"added ms".padStart(10)}`);
  lines.forEach(([name], i) => {
    const median = results[i]?.median ?? fail(`hyperfine's JSON has no result for ${name}`);
    console.log(`  ${name.padEnd(10)}${ms(median).padStart(10)}${(i === 0 ? "" : ms(median - bare)).padStart(10)}`);
  });
  const added = (results[1]?.median ?? bare) - bare;
  const ok = added * 1000 <= START_UP_TARGET_MS;
  console.log(`venvhook's rc line (install.sh's) adds ${ms(added)} ms to bash's start-up (target <= ${START_UP_TARGET_MS} ms)${ok ? "" : "  MISSED"}`);
  return ok ? 0 : 1;
}

// ------------------------------------------------------------------ a) npm i -g

/**
 * Installs dist/npm's main package and this platform's (scripts/npm-packages.ts)
 * as `npm i -g` would, offline, into the temporary folder, and returns the
 * binary its hook calls: what `venvhook init bash` prints as __venvhook_bin.
 * Undefined, said, when dist/npm has no package for this platform.
 */
function npmInstalledHook(): string | undefined {
  const packages = join(repo, "dist", "npm");
  const platform = join(packages, `${process.platform}-${process.arch}`);
  if (!existsSync(join(packages, "venvhook")) || !existsSync(platform)) {
    console.log(`  npm i -g: no ${platform} (npm run build:npm makes it), skipped`);
    return undefined;
  }
  const npm = which("npm") ?? fail("npm is not installed");
  const dir = join(root, "npm");
  const prefix = join(dir, "prefix");
  mkdirSync(dir, { recursive: true });
  // Nothing of the npm that runs this (npm_config_* of `npm run bench`) reaches the install.
  const env = Object.fromEntries(Object.entries(benchEnv(dir)).filter(([key]) => !/^npm_/i.test(key)));
  const cache = ["--cache", join(dir, "cache")];
  const packed = must("npm pack", npm, ["pack", "--json", "--pack-destination", dir, ...cache, join(packages, "venvhook"), platform], { cwd: dir, env });
  const tarballs = (JSON.parse(packed.stdout) as { filename: string }[]).map((p) => join(dir, p.filename));
  must("npm i -g --offline", npm, ["i", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", ...cache, ...tarballs], { cwd: dir, env });
  const init = must("venvhook init bash (npm)", join(prefix, "bin", "venvhook"), ["init", "bash"], { cwd: dir, env: benchEnv(dir) });
  const hook = /^__venvhook_bin='([^']*)'$/m.exec(init.stdout)?.[1] ?? fail(`the npm-installed venvhook's init bash sets no __venvhook_bin: ${firstLine(init.stdout)}`);
  if (hook.endsWith(".js")) fail(`the npm-installed venvhook's hook calls ${hook}, under Node, not the native binary`);
  return hook;
}

// ------------------------------------------------------------------ c) a Poetry project

/**
 * Lays out a Poetry project as Poetry would (pyproject.toml with [tool.poetry],
 * the env in {cache}/pypoetry/virtualenvs/{name}-{hash8}-py{X.Y}, envs.toml),
 * allows it, and times `venvhook export bash` there against the plain .venv
 * project. Both run through `env -C`, so the difference is venvhook's own.
 * Returns how many targets were missed (0 or 1).
 */
function toolManaged(venvhook: string, hyperfine: string, python: string): number {
  console.log(`\n== c) a tool-managed env: a Poetry project against the plain .venv, ${DEPTH} folders below each`);
  mkdirSync(poetryDeep, { recursive: true });
  writeFileSync(join(poetryProj, "pyproject.toml"), '[tool.poetry]\nname = "shop"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n');
  const minor = must("python3 version", python, ["-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"]).stdout.trim();
  const envs = join(xdg.XDG_CACHE_HOME, "pypoetry", "virtualenvs");
  const base = poetryBaseName("shop", poetryProj, "linux") ?? fail("no Poetry env name for shop");
  const env = join(envs, `${base}-py${minor}`);
  must("python3 -m venv --without-pip (Poetry's env)", python, ["-m", "venv", "--without-pip", env]);
  writeFileSync(join(envs, "envs.toml"), `[${base}]\nminor = "${minor}"\npatch = "${minor}.0"\n`);
  must("venvhook allow (Poetry's env)", venvhook, ["allow"], { cwd: poetryProj, env: benchEnv(poetryProj) });
  const check = must("venvhook export bash (Poetry)", venvhook, ["export", "bash"], { cwd: poetryDeep, env: benchEnv(poetryDeep) });
  if (!check.stdout.includes(`VIRTUAL_ENV=${shq(env)}`)) fail(`venvhook did not activate Poetry's env ${env} from ${poetryDeep}: ${firstLine(check.stdout)}`);
  console.log(`  venvhook activates Poetry's env ${env}`);
  // What the rules find is kept, but never from a file changed in the last 2 s
  // (src/discovery/tools/memo.ts): past that, a cd is what users meet every day.
  spawnSync("sleep", ["2.1"]);
  must("venvhook export bash (Poetry, kept)", venvhook, ["export", "bash"], { cwd: poetryDeep, env: benchEnv(poetryDeep) });
  const memo = join(xdg.XDG_CACHE_HOME, "venvhook", "projects");
  if (!existsSync(memo)) fail(`venvhook kept nothing in ${memo}`);

  // Rounds of both cases, back to back: on a loaded machine the load drifts
  // between one case's runs and the other's by more than the 1 ms measured;
  // the median of the rounds' differences does not.
  const json = join(root, "hyperfine-managed.json");
  const cases = [
    ["plain .venv", deep],
    ["Poetry", poetryDeep],
  ] as const;
  const rounds = 10;
  type Result = { median: number; user: number; system: number };
  const cpu = (r: Result) => r.user + r.system;
  const perRound: [Result, Result][] = [];
  for (let round = 0; round < rounds; round++) {
    const hfArgs = ["-N", "--warmup", "2", "--runs", String(Math.max(3, Math.ceil(runs / rounds))), "--style", "none", "--export-json", json];
    for (const [name, dir] of round % 2 ? [...cases].reverse() : cases) hfArgs.push("--command-name", name, ["env", "-C", dir, venvhook, "export", "bash"].map(shq).join(" "));
    must("hyperfine", hyperfine, hfArgs, { cwd: root, env: benchEnv(root), stdio: ["ignore", "pipe", "pipe"] });
    const results = (JSON.parse(readFileSync(json, "utf8")) as { results: (Result & { command: string })[] }).results;
    const of = (name: string) => results.find((r) => r.command === name) ?? fail(`hyperfine's JSON has no result for ${name}`);
    perRound.push([of("plain .venv"), of("Poetry")]);
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  console.log(`\n  ${"case".padEnd(13)}${"median ms".padStart(10)}${"cpu ms".padStart(9)}   (medians of ${rounds} rounds)`);
  cases.forEach(([name], i) => {
    const own = perRound.map((pair) => pair[i]!);
    console.log(`  ${name.padEnd(13)}${ms(median(own.map((r) => r.median))).padStart(10)}${ms(median(own.map(cpu))).padStart(9)}`);
  });
  const wall = median(perRound.map(([plain, poetry]) => poetry.median - plain.median));
  const over = median(perRound.map(([plain, poetry]) => cpu(poetry) - cpu(plain)));
  const ok = over <= 0.001;
  console.log(`Poetry - plain .venv = ${ms(wall)} ms median (median of the rounds' differences)`);
  console.log(`Poetry - plain .venv = ${ms(over)} ms cpu (target <= 1 ms)${ok ? "" : "  MISSED"}`);

  // The first cd after anything it read changed: nothing kept, the rules run and their outcome is written.
  const firstArgs = ["-N", "--warmup", "2", "--runs", String(runs), "--style", "none", "--export-json", json];
  firstArgs.push("--prepare", ["rm", "-rf", memo].map(shq).join(" "), "--command-name", "first", ["env", "-C", poetryDeep, venvhook, "export", "bash"].map(shq).join(" "));
  firstArgs.push("--prepare", "true", "--command-name", "plain", ["env", "-C", deep, venvhook, "export", "bash"].map(shq).join(" "));
  must("hyperfine", hyperfine, firstArgs, { cwd: root, env: benchEnv(root), stdio: ["ignore", "pipe", "pipe"] });
  const first = (JSON.parse(readFileSync(json, "utf8")) as { results: (Result & { command: string })[] }).results;
  const [miss, plain] = ["first", "plain"].map((name) => first.find((r) => r.command === name) ?? fail(`hyperfine's JSON has no result for ${name}`));
  console.log(`Poetry, first cd (nothing kept) - plain .venv = ${ms(cpu(miss!) - cpu(plain!))} ms cpu (once per change; not the target)`);
  return ok ? 0 : 1;
}

// ------------------------------------------------------------------ b) prompts
interface Counts {
  processes: number; // fork/vfork/clone that make a process (not a thread)
  programs: number; // successful execve/execveat
}

/** Counts process creations and successful execs in an `strace -f -o` log. */
function countStrace(log: string): Counts {
  let processes = 0;
  let programs = 0;
  const pendingExec = new Set<string>();
  for (const line of log.split("\n")) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = m[1] ?? "";
    const call = m[2] ?? "";
    if (/^(clone3?|v?fork)\(/.test(call)) {
      if (!call.includes("CLONE_THREAD") && !/= -1 /.test(call)) processes++;
    } else if (/^execve(at)?\(/.test(call)) {
      if (call.endsWith("<unfinished ...>")) pendingExec.add(pid);
      else if (/\) = 0$/.test(call)) programs++;
    } else if (/^<\.\.\. execve(at)? resumed>/.test(call) && pendingExec.has(pid)) {
      pendingExec.delete(pid);
      if (/= 0$/.test(call)) programs++;
    }
  }
  return { processes, programs };
}

type Shell = "bash" | "zsh" | "fish" | "pwsh";

/**
 * Runs one interactive shell under strace in the deep folder, feeding it
 * `extra` lines of `:` (one prompt each), then a line that saves
 * $VIRTUAL_ENV to a file, then `exit`.
 */
function traceShell(shell: Shell, withHook: boolean, extra: number, venvhook: string, strace: string, shellBin: string, scriptBin: string | undefined): Counts & { venv: string } {
  const dir = join(root, "shells", `${shell}-${withHook ? "hook" : "plain"}`);
  mkdirSync(dir, { recursive: true });
  const veFile = join(dir, `ve-${extra}`);
  const log = join(dir, `strace-${extra}`);
  if (shell === "pwsh") return tracePwsh(dir, withHook, extra, venvhook, strace, shellBin, veFile, log);
  const env: Record<string, string> = {};
  let argv: string[];
  let saveLine: string;
  if (shell === "bash") {
    const rc = join(dir, "bashrc");
    writeFileSync(rc, withHook ? `eval "$(${shq(venvhook)} init bash)"\n` : "");
    argv = [shellBin, "--noprofile", "--rcfile", rc, "-i"];
    saveLine = `printf '%s\\n' "$VIRTUAL_ENV" > ${shq(veFile)}`;
  } else if (shell === "zsh") {
    writeFileSync(join(dir, ".zshrc"), withHook ? `eval "$(${shq(venvhook)} init zsh)"\n` : "");
    env.ZDOTDIR = dir;
    argv = [shellBin, "-d", "-i"]; // -d: no /etc/zsh/* files
    saveLine = `printf '%s\\n' "$VIRTUAL_ENV" > ${shq(veFile)}`;
  } else {
    // fish ignores its prompt events when stdin is not a terminal: run it in a pty.
    const config = join(dir, "config");
    for (const d of ["conf.d", "functions", "completions"]) mkdirSync(join(config, "fish", d), { recursive: true });
    // No man page scan on first start (fish runs python in the background for it).
    mkdirSync(join(xdg.XDG_DATA_HOME, "fish", "generated_completions"), { recursive: true });
    // A prompt that starts nothing (the default one runs git), no greeting.
    writeFileSync(join(config, "fish", "conf.d", "00-bench.fish"), "set -g fish_greeting\nfunction fish_prompt; echo '> '; end\nfunction fish_right_prompt; end\n");
    if (withHook) writeFileSync(join(config, "fish", "conf.d", "venvhook.fish"), `${fishq(venvhook)} init fish | source\n`);
    Object.assign(env, { XDG_CONFIG_HOME: config, SHELL: "/bin/sh" });
    if (!scriptBin) fail("script is not installed");
    argv = [scriptBin as string, "-qec", `exec ${shq(shellBin)} -i`, "/dev/null"];
    saveLine = `printf '%s\\n' "$VIRTUAL_ENV" > ${fishq(veFile)}`;
  }
  const input = `${":\n".repeat(extra)}${saveLine}\nexit\n`;
  const r = run(strace, ["-f", "-qq", "-e", "trace=process", "-e", "signal=none", "-o", log, ...argv], { cwd: deep, env: benchEnv(deep, env), input });
  if (r.status !== 0) fail(`${shell} -i under strace exited with status ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}`);
  if (!existsSync(veFile)) fail(`${shell} -i never ran the line that saves $VIRTUAL_ENV (did it read its input?): ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`);
  return { ...countStrace(readFileSync(log, "utf8")), venv: readFileSync(veFile, "utf8").trim() };
}

/**
 * pwsh in tmux: .NET's console asks the terminal where the cursor is (ESC[6n)
 * and waits for the answer, which a pipe or `script` never gives. Empty lines
 * are the unchanged prompts; the user's profile and PSReadLine load as usual.
 */
function tracePwsh(dir: string, withHook: boolean, extra: number, venvhook: string, strace: string, shellBin: string, veFile: string, log: string): Counts & { venv: string } {
  const tmux = which("tmux");
  if (!tmux) fail("tmux is not installed");
  const rc = join(dir, "rc.ps1");
  const pwshq = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  writeFileSync(rc, `function prompt { '> ' }\n${withHook ? `Invoke-Expression ((& ${pwshq(venvhook)} init pwsh) -join "\`n")\n` : ""}`);
  rmSync(veFile, { force: true });
  const socket = join(dir, "tmux");
  const env = benchEnv(deep, { TERM: "xterm-256color" });
  const shellLine = [strace, "-f", "-qq", "-e", "trace=process", "-e", "signal=none", "-o", log, shellBin, "-NoLogo", "-NoProfile", "-NoExit", "-Command", `. ${pwshq(rc)}`].map(shq).join(" ");
  must("tmux new-session (pwsh)", tmux as string, ["-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "30", "-c", deep, shellLine], { env });
  const pane = () => run(tmux as string, ["-S", socket, "capture-pane", "-p"], { env }).stdout;
  const alive = () => run(tmux as string, ["-S", socket, "has-session"], { env }).status === 0;
  const waitFor = (done: () => boolean, what: string) => {
    const until = Date.now() + 90_000;
    while (!done()) {
      if (Date.now() > until) fail(`pwsh: timed out waiting for ${what}: ${pane().trim().split("\n").slice(-3).join(" | ")}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  };
  waitFor(() => /^.*>$/m.test(pane()), "the first prompt"); // capture-pane drops the trailing space
  const keys = (...k: string[]) => must("tmux send-keys", tmux as string, ["-S", socket, "send-keys", ...k], { env });
  for (let i = 0; i < extra; i++) keys("Enter");
  keys("-l", `Set-Content -LiteralPath ${pwshq(veFile)} -Value "$env:VIRTUAL_ENV"`);
  keys("Enter");
  waitFor(() => existsSync(veFile), "the line that saves $VIRTUAL_ENV");
  keys("-l", "exit");
  keys("Enter");
  waitFor(() => !alive(), "pwsh to exit");
  return { ...countStrace(readFileSync(log, "utf8")), venv: readFileSync(veFile, "utf8").trim() };
}

function countPrompts(shell: Shell, venvhook: string, strace: string): { perPrompt: number; detail: string } | string {
  const shellBin = which(shell);
  if (!shellBin) return "not installed, skipped";
  const scriptBin = shell === "fish" ? which("script") : undefined;
  if (shell === "fish" && !scriptBin) return "skipped: fish needs a terminal and 'script' (util-linux) is not installed";

  // Shells sometimes start a helper process at random (fish does, about one
  // run in three), so each count is the smallest of a few runs: noise only adds.
  const smallest = (withHook: boolean, extra: number) => {
    let best: (Counts & { venv: string }) | undefined;
    for (let i = 0; i < REPEATS; i++) {
      const r = traceShell(shell, withHook, extra, venvhook, strace, shellBin, scriptBin);
      if (!best) best = r;
      else best = { processes: Math.min(best.processes, r.processes), programs: Math.min(best.programs, r.programs), venv: best.venv && r.venv };
    }
    return best as Counts & { venv: string };
  };
  const measure = (withHook: boolean) => {
    traceShell(shell, withHook, 0, venvhook, strace, shellBin, scriptBin); // first start: creates the shell's own files
    return { one: smallest(withHook, 0), many: smallest(withHook, EXTRA_PROMPTS) };
  };
  const hook = measure(true);
  if (!hook.one.venv || !hook.many.venv) fail(`${shell}: the hook did not activate the venv in ${deep} (VIRTUAL_ENV is empty after the first prompt), so counting its processes would be meaningless`);
  const plain = measure(false);
  const dProc = hook.many.processes - hook.one.processes - (plain.many.processes - plain.one.processes);
  const dProg = hook.many.programs - hook.one.programs - (plain.many.programs - plain.one.programs);
  const n = EXTRA_PROMPTS;
  const detail =
    `2 prompts: ${hook.one.processes} processes (${hook.one.programs} programs); ` +
    `${2 + n} prompts: ${hook.many.processes} (${hook.many.programs}); ` +
    `without the hook: ${plain.one.processes} (${plain.one.programs}) and ${plain.many.processes} (${plain.many.programs}) ` +
    `=> ${perPrompt(dProc / n)} processes, ${perPrompt(dProg / n)} programs per prompt`;
  return { perPrompt: dProc / n, detail };
}

// ------------------------------------------------------------------ run
let code: number;
const started = Date.now();
try {
  code = main();
  console.log(`\n(bench took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
} catch (e) {
  if (e instanceof BenchError) {
    console.error(`bench: ${e.message}`);
    code = 1;
  } else {
    cleanup();
    throw e;
  }
} finally {
  cleanup();
}
process.exit(code);
