import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { choosePython, findInterpreters, readPythonVersionFile, requiresPython, type Interpreter } from "../../../src/create/python.ts";

const QUERY = "import sys; print('.'.join(map(str, sys.version_info[:3])))";

let root: string;
let log: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "venvhook-python-")));
  log = path.join(root, "runs.log");
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/**
 * A stand-in for an interpreter: logs each run, answers only the exact version query,
 * with `behaviour`: a version, or "fail", "garbage" or "hang".
 */
function fakePython(file: string, behaviour: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const answer =
    behaviour === "fail"
      ? "echo 3.11.0; exit 1"
      : behaviour === "garbage"
        ? "echo 'Python 3.11'"
        : behaviour === "hang"
          ? "trap '' TERM; PATH=/usr/bin:/bin exec sleep 30"
          : `echo ${behaviour}`;
  writeFileSync(
    file,
    `#!/bin/sh\necho "$0" >> "${log}"\n[ "$#" = 2 ] && [ "$1" = "-c" ] && [ "$2" = "${QUERY}" ] || exit 3\n${answer}\n`,
    { mode: 0o755 },
  );
  return file;
}

/** The programs that ran, in order. */
function runs(): string[] {
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
}

/** bin1: python3.9, python3.11; bin2: python3.12 and python3 linked to it; pyenv: 3.13.1. */
function machine(): { env: NodeJS.ProcessEnv; bin1: string; bin2: string; pyenv: string } {
  const bin1 = path.join(root, "bin1");
  const bin2 = path.join(root, "bin2");
  const pyenv = path.join(root, "pyenv");
  fakePython(path.join(bin1, "python3.9"), "3.9.18");
  fakePython(path.join(bin1, "python3.11"), "3.11.7");
  fakePython(path.join(bin2, "python3.12"), "3.12.1");
  symlinkSync("python3.12", path.join(bin2, "python3"));
  fakePython(path.join(pyenv, "versions", "3.13.1", "bin", "python3"), "3.13.1");
  return { env: { PATH: [bin1, bin2].join(":"), PYENV_ROOT: pyenv, HOME: root }, bin1, bin2, pyenv };
}

function project(files: Record<string, string>): string {
  const dir = path.join(root, "project");
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("findInterpreters", () => {
  it("finds python3.X and python3 on PATH and pyenv's versions, newest first, each run once", () => {
    const { env, bin1, bin2, pyenv } = machine();
    expect(findInterpreters(env)).toEqual([
      { path: path.join(pyenv, "versions", "3.13.1", "bin", "python3"), version: "3.13.1" },
      { path: path.join(bin2, "python3.12"), version: "3.12.1" },
      { path: path.join(bin1, "python3.11"), version: "3.11.7" },
      { path: path.join(bin1, "python3.9"), version: "3.9.18" },
    ]);
    expect(runs().sort()).toEqual(
      [
        path.join(bin1, "python3.9"),
        path.join(bin1, "python3.11"),
        path.join(bin2, "python3.12"),
        path.join(pyenv, "versions", "3.13.1", "bin", "python3"),
      ].sort(),
    );
  });

  it("runs one real file once, however many names and folders lead to it", () => {
    const { env, bin1, bin2 } = machine();
    const linkedFolder = path.join(root, "linked");
    symlinkSync(bin1, linkedFolder);
    const bin3 = path.join(root, "bin3");
    mkdirSync(bin3);
    symlinkSync(path.join(bin1, "python3.11"), path.join(bin3, "python3.11"));
    symlinkSync(path.join(bin1, "python3.9"), path.join(bin3, "python3"));
    const found = findInterpreters({ ...env, PATH: [bin1, bin2, bin1, linkedFolder, bin3, `${bin2}/`].join(":") });
    expect(found.map((i) => i.path)).toEqual([
      path.join(root, "pyenv", "versions", "3.13.1", "bin", "python3"),
      path.join(bin2, "python3.12"),
      path.join(bin1, "python3.11"),
      path.join(bin1, "python3.9"),
    ]);
    expect(runs()).toHaveLength(4);
    expect(new Set(runs()).size).toBe(4);
  });

  it("keeps PATH order for equal versions", () => {
    const { env, bin1, bin2 } = machine();
    fakePython(path.join(bin2, "python3.11"), "3.11.7");
    const found = findInterpreters(env).filter((i) => i.version === "3.11.7");
    expect(found.map((i) => i.path)).toEqual([path.join(bin1, "python3.11"), path.join(bin2, "python3.11")]);
    const swapped = findInterpreters({ ...env, PATH: [bin2, bin1].join(":") }).filter((i) => i.version === "3.11.7");
    expect(swapped.map((i) => i.path)).toEqual([path.join(bin2, "python3.11"), path.join(bin1, "python3.11")]);
  });

  it("skips candidates that fail, answer nonsense, cannot run or are not files", () => {
    const { env, bin1 } = machine();
    const bad = path.join(root, "bad");
    fakePython(path.join(bad, "python3.7"), "fail");
    fakePython(path.join(bad, "python3.8"), "garbage");
    writeFileSync(path.join(bad, "python3.6"), "#!/bin/sh\necho 3.6.15\n", { mode: 0o644 });
    mkdirSync(path.join(bad, "python3.5"));
    fakePython(path.join(bad, "python3.14t"), "3.14.0");
    fakePython(path.join(bad, "python3-config"), "3.11.7");
    const found = findInterpreters({ ...env, PATH: [bad, bin1].join(":") });
    expect(found.map((i) => i.version)).toEqual(["3.13.1", "3.11.7", "3.9.18"]);
    expect(runs()).toContain(path.join(bad, "python3.7"));
    expect(runs()).not.toContain(path.join(bad, "python3.14t"));
  });

  it("gives up on a candidate that hangs after 5 seconds", () => {
    const { env, bin1 } = machine();
    const slow = path.join(root, "slow");
    fakePython(path.join(slow, "python3.10"), "hang");
    const started = Date.now();
    const found = findInterpreters({ ...env, PATH: [slow, bin1].join(":") });
    const elapsed = Date.now() - started;
    expect(found.map((i) => i.version)).toEqual(["3.13.1", "3.11.7", "3.9.18"]);
    expect(elapsed).toBeGreaterThanOrEqual(4900);
    expect(elapsed).toBeLessThan(15_000);
  });

  it("skips pyenv virtualenvs, versions without python3 and pyenv's shims", () => {
    const { env, bin1, pyenv } = machine();
    const versions = path.join(pyenv, "versions");
    fakePython(path.join(versions, "3.13.1", "envs", "web", "bin", "python3"), "3.13.1");
    writeFileSync(path.join(versions, "3.13.1", "envs", "web", "pyvenv.cfg"), "home = x\n");
    symlinkSync(path.join(versions, "3.13.1", "envs", "web"), path.join(versions, "web"));
    fakePython(path.join(versions, "tools", "bin", "python3"), "3.12.0");
    writeFileSync(path.join(versions, "tools", "pyvenv.cfg"), "home = x\n");
    mkdirSync(path.join(versions, "2.7.18", "bin"), { recursive: true });
    fakePython(path.join(pyenv, "shims", "python3.10"), "3.10.99");
    const found = findInterpreters({ ...env, PATH: [path.join(pyenv, "shims"), bin1].join(":") });
    expect(found.map((i) => i.path)).toEqual([
      path.join(versions, "3.13.1", "bin", "python3"),
      path.join(bin1, "python3.11"),
      path.join(bin1, "python3.9"),
    ]);
    expect(runs()).toHaveLength(3);
  });

  it("uses ~/.pyenv when PYENV_ROOT is not set", () => {
    fakePython(path.join(root, ".pyenv", "versions", "3.10.4", "bin", "python3"), "3.10.4");
    expect(findInterpreters({ PATH: "", HOME: root })).toEqual([
      { path: path.join(root, ".pyenv", "versions", "3.10.4", "bin", "python3"), version: "3.10.4" },
    ]);
  });

  it("never looks in the current folder through an empty or relative PATH entry", () => {
    const here = path.join(root, "here");
    fakePython(path.join(here, "python3.10"), "3.10.4");
    fakePython(path.join(here, "sub", "python3.10"), "3.10.5");
    const cwd = process.cwd();
    process.chdir(here);
    try {
      expect(findInterpreters({ PATH: ":sub:.", HOME: root })).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    expect(runs()).toEqual([]);
  });

  it("finds the Pythons of this machine", () => {
    const found = findInterpreters();
    expect(found.length).toBeGreaterThan(0);
    const real = new Set<string>();
    for (const interpreter of found) {
      expect(existsSync(interpreter.path), interpreter.path).toBe(true);
      expect(interpreter.version).toMatch(/^3\.\d+\.\d+$/);
      real.add(realpathSync(interpreter.path));
    }
    expect(real.size).toBe(found.length);
  });
});

describe("readPythonVersionFile", () => {
  const read = (text: string) => readPythonVersionFile(project({ ".python-version": text }));

  it("reads the first word of the first line that is not blank or a comment", () => {
    expect(read("3.11\n")).toBe("3.11");
    expect(read("3.12.1")).toBe("3.12.1");
    expect(read("\n  # pinned for CI\n\n  3.12.1  \n3.11\n")).toBe("3.12.1");
    expect(read("\uFEFF3.11\r\n")).toBe("3.11");
    expect(read("3.11.7 3.10.13\n")).toBe("3.11.7");
    expect(read("\t pypy3.10-7.3.12\t# the fast one\n")).toBe("pypy3.10-7.3.12");
  });

  it("is undefined without a file or without a version in it", () => {
    expect(readPythonVersionFile(project({}))).toBeUndefined();
    expect(read("")).toBeUndefined();
    expect(read("# nothing\n\n   \n")).toBeUndefined();
  });

  it("drops control characters", () => {
    expect(read("\u001b[2J3.1\u00001\u0007\n")).toBe("[2J3.11");
    expect(read("\u0000\u0001\n3.12")).toBe("3.12");
    expect(read("3.1\u2028\u0085\r2\n")).toBe("3.1");
  });

  it("reads no more than 4 KiB", () => {
    expect(read(`${"\n".repeat(4090)}3.11\n`)).toBe("3.11");
    expect(read(`${"\n".repeat(4096)}3.11\n`)).toBeUndefined();
    expect(read(`${" ".repeat(4095)}3.11\n`)).toBe("3");
  });

  it("ignores a .python-version that is not a regular file", () => {
    const dir = project({});
    mkdirSync(path.join(dir, ".python-version"));
    expect(readPythonVersionFile(dir)).toBeUndefined();
    rmSync(path.join(dir, ".python-version"), { recursive: true });
    execFileSync("mkfifo", [path.join(dir, ".python-version")]);
    expect(readPythonVersionFile(dir)).toBeUndefined();
  });
});

describe("requiresPython", () => {
  it("reads project.requires-python", () => {
    expect(requiresPython(project({ "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10, <4"\n' }))).toBe(
      ">=3.10, <4",
    );
  });

  it("is undefined without pyproject.toml, [project] or requires-python", () => {
    expect(requiresPython(project({}))).toBeUndefined();
    expect(requiresPython(project({ "pyproject.toml": "[tool.black]\nline-length = 100\n" }))).toBeUndefined();
    expect(requiresPython(project({ "pyproject.toml": '[project]\nname = "x"\n' }))).toBeUndefined();
  });

  const broken: [string, string][] = [
    ['[project]\nname = "x\nrequires-python = ">=3.10"\n', "pyproject.toml is not valid TOML: line 2, column 10: "],
    ["[project\n", "pyproject.toml is not valid TOML: line 1, column 9: "],
    ["a = 1\na = 2\n", "pyproject.toml is not valid TOML: line 2, column 1: "],
    ["project = 3\n", "pyproject.toml: [project] is not a table"],
    ["[project]\nrequires-python = 3.10\n", "pyproject.toml: project.requires-python is not a string"],
    ['[project]\nrequires-python = "^3.10"\n', 'pyproject.toml: project.requires-python: invalid version specifier "^3.10": '],
  ];
  for (const [text, message] of broken) {
    it(`throws one line naming the file for ${JSON.stringify(text)}`, () => {
      const dir = project({ "pyproject.toml": text });
      expect(() => requiresPython(dir)).toThrow(`${path.join(dir, "pyproject.toml")}${message.slice("pyproject.toml".length)}`);
      try {
        requiresPython(dir);
      } catch (error) {
        expect((error as Error).message).not.toContain("\n");
      }
    });
  }

  it("throws for a pyproject.toml that is a folder", () => {
    const dir = project({});
    mkdirSync(path.join(dir, "pyproject.toml"));
    expect(() => requiresPython(dir)).toThrow(`${path.join(dir, "pyproject.toml")} is not a file`);
  });
});

describe("choosePython", () => {
  it("--python with a version picks the newest found with that prefix, component-wise", () => {
    const { env, bin1, bin2, pyenv } = machine();
    const dir = project({});
    expect(choosePython(dir, { python: "3.11", env })).toEqual({
      ok: true,
      interpreter: { path: path.join(bin1, "python3.11"), version: "3.11.7" },
      why: "--python 3.11",
    });
    expect(choosePython(dir, { python: "3.12.1", env })).toMatchObject({ ok: true, interpreter: { path: path.join(bin2, "python3.12") } });
    expect(choosePython(dir, { python: "3", env })).toMatchObject({
      ok: true,
      interpreter: { path: path.join(pyenv, "versions", "3.13.1", "bin", "python3"), version: "3.13.1" },
    });
    expect(choosePython(dir, { python: "3.1", env })).toEqual({
      ok: false,
      message:
        "--python 3.1: no Python 3.1 found; found 3.9.18 (~/bin1/python3.9), 3.11.7 (~/bin1/python3.11), 3.12.1 (~/bin2/python3.12), 3.13.1 (~/pyenv/versions/3.13.1/bin/python3)",
    });
  });

  it("--python with a path or a command runs just that one", () => {
    const { env, bin1 } = machine();
    const dir = project({});
    const other = fakePython(path.join(root, "elsewhere", "python"), "3.10.2");
    expect(choosePython(dir, { python: other, env })).toEqual({
      ok: true,
      interpreter: { path: other, version: "3.10.2" },
      why: `--python ${other}`,
    });
    const relative = path.relative(process.cwd(), other);
    expect(choosePython(dir, { python: relative, env })).toMatchObject({ ok: true, interpreter: { path: other } });
    expect(choosePython(dir, { python: "python3.9", env })).toMatchObject({
      ok: true,
      interpreter: { path: path.join(bin1, "python3.9"), version: "3.9.18" },
      why: "--python python3.9",
    });
    expect(runs()).toEqual([other, other, path.join(bin1, "python3.9")]);
  });

  it("--python that cannot be used says why", () => {
    const { env } = machine();
    const dir = project({});
    const failing = fakePython(path.join(root, "elsewhere", "python"), "fail");
    expect(choosePython(dir, { python: "pypy3", env })).toEqual({ ok: false, message: "--python pypy3: not found on PATH" });
    expect(choosePython(dir, { python: path.join(root, "nope"), env })).toEqual({
      ok: false,
      message: `--python ${path.join(root, "nope")}: no such file`,
    });
    expect(choosePython(dir, { python: failing, env })).toEqual({
      ok: false,
      message: `--python ${failing}: ${failing} did not run as Python`,
    });
  });

  it("--python wins over .python-version and pyproject.toml, which are not even read", () => {
    const { env, bin2 } = machine();
    const dir = project({ ".python-version": "3.9\n", "pyproject.toml": "[project\n" });
    expect(choosePython(dir, { python: "3.12", env })).toMatchObject({ ok: true, interpreter: { path: path.join(bin2, "python3.12") } });
  });

  it(".python-version is refused, both named, when requires-python excludes what it picks; used when within it", () => {
    const { env, bin2 } = machine();
    const dir = project({ ".python-version": "3.11\n", "pyproject.toml": '[project]\nrequires-python = ">=3.12"\n' });
    expect(choosePython(dir, { env })).toEqual({
      ok: false,
      message: '.python-version says 3.11 (found 3.11.7), but requires-python ">=3.12" in pyproject.toml excludes it; change one of them, or choose with --python',
    });
    const within = project({ ".python-version": "3.12\n", "pyproject.toml": '[project]\nrequires-python = ">=3.11"\n' });
    expect(choosePython(within, { env })).toEqual({
      ok: true,
      interpreter: { path: path.join(bin2, "python3.12"), version: "3.12.1" },
      why: ".python-version says 3.12",
    });
  });

  it("never takes an env's own python (the active env's) for a new env", () => {
    const { env } = machine();
    const active = path.join(root, "active-env");
    fakePython(path.join(active, "bin", "python3.14"), "3.14.0");
    writeFileSync(path.join(active, "pyvenv.cfg"), "home = /usr/bin\n");
    const withActive = { ...env, PATH: `${path.join(active, "bin")}:${env.PATH}` };
    const found = findInterpreters(withActive).map((interpreter) => interpreter.path);
    expect(found).not.toContain(path.join(active, "bin", "python3.14"));
    expect(found.length).toBe(findInterpreters(env).length);
  });

  it(".python-version with a version nobody has lists what was found", () => {
    const { env } = machine();
    const dir = project({ ".python-version": "3.99\n" });
    expect(choosePython(dir, { env })).toEqual({
      ok: false,
      message:
        ".python-version says 3.99, but no Python 3.99 was found; found 3.9.18 (~/bin1/python3.9), 3.11.7 (~/bin1/python3.11), 3.12.1 (~/bin2/python3.12), 3.13.1 (~/pyenv/versions/3.13.1/bin/python3)",
    });
  });

  it(".python-version with a pyenv version name runs that version's python3 only", () => {
    const { env, pyenv } = machine();
    const exe = fakePython(path.join(pyenv, "versions", "pypy3.10-7.3.12", "bin", "python3"), "3.10.12");
    const dir = project({ ".python-version": "pypy3.10-7.3.12\n" });
    expect(choosePython(dir, { env })).toEqual({
      ok: true,
      interpreter: { path: exe, version: "3.10.12" },
      why: ".python-version says pypy3.10-7.3.12",
    });
    expect(runs()).toEqual([exe]);
  });

  it(".python-version with a name pyenv does not have, or one that is a path, is refused", () => {
    const { env } = machine();
    expect(choosePython(project({ ".python-version": "miniconda3-latest\n" }), { env })).toEqual({
      ok: false,
      message: ".python-version says miniconda3-latest, which is not installed in pyenv (no ~/pyenv/versions/miniconda3-latest/bin/python3)",
    });
    fakePython(path.join(root, "evil", "bin", "python3"), "3.12.0");
    for (const name of ["../../evil", "..", ".", "a/b", "/usr"]) {
      expect(choosePython(project({ ".python-version": `${name}\n` }), { env })).toEqual({
        ok: false,
        message: `.python-version says ${name}, which is neither a version nor a pyenv version name`,
      });
    }
    expect(runs()).toEqual([]);
  });

  it("requires-python picks the newest Python that satisfies it", () => {
    const { env, bin2, bin1 } = machine();
    const dir = project({ "pyproject.toml": '[project]\nrequires-python = ">=3.10,<3.13"\n' });
    expect(choosePython(dir, { env })).toEqual({
      ok: true,
      interpreter: { path: path.join(bin2, "python3.12"), version: "3.12.1" },
      why: "newest Python satisfying requires-python >=3.10,<3.13",
    });
    const older = project({ "pyproject.toml": '[project]\nrequires-python = """\n  ~=3.9.0,\n  !=3.9.1 """\n' });
    expect(choosePython(older, { env })).toEqual({
      ok: true,
      interpreter: { path: path.join(bin1, "python3.9"), version: "3.9.18" },
      why: "newest Python satisfying requires-python ~=3.9.0, !=3.9.1",
    });
  });

  it("requires-python that nothing satisfies lists what was found, on one line", () => {
    const { env } = machine();
    const dir = project({ "pyproject.toml": '[project]\nrequires-python = ">=3.99"\n' });
    expect(choosePython(dir, { env })).toEqual({
      ok: false,
      message:
        'no Python satisfies requires-python ">=3.99" (in pyproject.toml); found 3.9.18 (~/bin1/python3.9), 3.11.7 (~/bin1/python3.11), 3.12.1 (~/bin2/python3.12), 3.13.1 (~/pyenv/versions/3.13.1/bin/python3)',
    });
  });

  it("a broken pyproject.toml throws, naming the file", () => {
    const { env } = machine();
    const dir = project({ "pyproject.toml": "[project]\nrequires-python = >=3.10\n" });
    expect(() => choosePython(dir, { env })).toThrow(`${path.join(dir, "pyproject.toml")} is not valid TOML: line 2`);
  });

  it("falls back to python3 on PATH", () => {
    const { env, bin2 } = machine();
    const dir = project({ "pyproject.toml": '[project]\nname = "x"\n' });
    expect(choosePython(dir, { env })).toEqual({
      ok: true,
      interpreter: { path: path.join(bin2, "python3"), version: "3.12.1" },
      why: "python3 on PATH",
    });
    expect(runs()).toEqual([path.join(bin2, "python3")]);
  });

  it("without python3 on PATH, lists what was found", () => {
    const { env, bin1 } = machine();
    expect(choosePython(project({}), { env: { ...env, PATH: bin1 } })).toEqual({
      ok: false,
      message: "no python3 on PATH; found 3.9.18 (~/bin1/python3.9), 3.11.7 (~/bin1/python3.11), 3.13.1 (~/pyenv/versions/3.13.1/bin/python3)",
    });
  });

  it("says so when there is no Python at all", () => {
    const env = { PATH: path.join(root, "empty"), HOME: root };
    const dir = project({});
    expect(choosePython(dir, { env })).toEqual({ ok: false, message: "no Python found on PATH or in pyenv" });
    writeFileSync(path.join(dir, "pyproject.toml"), '[project]\nrequires-python = ">=3.8"\n');
    expect(choosePython(dir, { env })).toEqual({
      ok: false,
      message: 'no Python satisfies requires-python ">=3.8" (in pyproject.toml); no Python found on PATH or in pyenv',
    });
    expect(choosePython(dir, { env, python: "3.12" })).toEqual({
      ok: false,
      message: "--python 3.12: no Python 3.12 found; no Python found on PATH or in pyenv",
    });
  });

  it("asks find() at most once, and only when it needs the list", () => {
    const interpreters: Interpreter[] = [
      { path: "/opt/py/3.12/bin/python3", version: "3.12.4" },
      { path: "/opt/py/3.10/bin/python3", version: "3.10.14" },
    ];
    let calls = 0;
    const find = () => {
      calls++;
      return interpreters;
    };
    const { env } = machine();
    const dir = project({ "pyproject.toml": '[project]\nrequires-python = "<3.11"\n' });
    expect(choosePython(dir, { env, find })).toMatchObject({ ok: true, interpreter: interpreters[1] });
    expect(calls).toBe(1);
    expect(choosePython(project({ "pyproject.toml": '[project]\nrequires-python = "<3"\n' }), { env, find })).toEqual({
      ok: false,
      message: 'no Python satisfies requires-python "<3" (in pyproject.toml); found 3.10.14 (/opt/py/3.10/bin/python3), 3.12.4 (/opt/py/3.12/bin/python3)',
    });
    expect(calls).toBe(2);
    choosePython(project({ "pyproject.toml": "" }), { env, find });
    expect(calls).toBe(2);
  });

  it("shows hostile names escaped, on one line", () => {
    const bin = path.join(root, "we\nird\u001b[2J");
    fakePython(path.join(bin, "python3.10"), "3.10.1");
    const dir = project({ "pyproject.toml": '[project]\nrequires-python = ">=3.11"\n' });
    const choice = choosePython(dir, { env: { PATH: bin, HOME: "/nonexistent" } });
    expect(choice).toEqual({
      ok: false,
      message: `no Python satisfies requires-python ">=3.11" (in pyproject.toml); found 3.10.1 (${root}/we\\nird\\x1b[2J/python3.10)`,
    });
  });
});
