// `list`, `gc` and `rm` through the compiled binary, run directly: what is
// listed is accurate, gc removes orphans and nothing else, rm removes one env
// and refuses anything that is not one.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { labelPath, writeMeta } from "../../src/store/central.ts";
import { makeVenv, runBinary } from "./fixture.ts";

let root: string;
let env: Record<string, string>;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-inventory-")));
  env = {
    PATH: process.env.PATH!,
    HOME: path.join(root, "home"),
    XDG_DATA_HOME: path.join(root, "data"),
    VENVHOOK_HOME: path.join(root, "store"),
    WORKON_HOME: path.join(root, "workon"),
  };
  mkdirSync(env.HOME!);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const venvhook = (cwd: string, args: string[], extra: Record<string, string> = {}) => runBinary(cwd, args, { ...env, ...extra });

const python3Version = execFileSync("python3", ["-c", "import platform; print(platform.python_version())"], { encoding: "utf8" }).trim();

const oneLine = (text: string) => expect(text).toMatch(/^venvhook: [^\n]+\n$/);

/** A project with a pyproject.toml and a real env in the store, its `.venv` naming `pointTo`, as `create --central` leaves it. */
function centralEnv(name: string, label = "default", pointTo = label): string {
  const project = path.join(root, name);
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, "pyproject.toml"), `[project]\nname = "${name}"\nversion = "0.1"\n`);
  writeFileSync(path.join(project, ".venv"), `${pointTo}\n`);
  const dir = makeVenv(labelPath(project, label, { VENVHOOK_HOME: env.VENVHOOK_HOME }));
  writeMeta(dir, { project, label, python: python3Version, backend: "venv", created: new Date().toISOString() });
  return dir;
}

/** Every folder in the store, $WORKON_HOME and ~/.virtualenvs, as the file system has them. */
function envsOnDisk(): string[] {
  const inside = (dir: string) => (existsSync(dir) ? readdirSync(dir).map((name) => path.join(dir, name)) : []);
  const store = inside(env.VENVHOOK_HOME!).flatMap(inside);
  return [...store, ...inside(env.WORKON_HOME!), ...inside(path.join(env.HOME!, ".virtualenvs"))].sort();
}

describe("venvhook list", () => {
  it("says where it looked when there is nothing", () => {
    const result = venvhook(root, ["list"]);
    expect(result).toEqual({ status: 0, stdout: `no envs in ${env.VENVHOOK_HOME}, $WORKON_HOME or ~/.virtualenvs\n`, stderr: "" });
    expect(JSON.parse(venvhook(root, ["list", "--json"]).stdout)).toEqual([]);
  });

  it("--json: the store's envs, $WORKON_HOME's and ~/.virtualenvs', with labels, Python, sizes and the active one", () => {
    const shop = centralEnv("shop");
    const next = centralEnv("shop", "next", "default");
    const tools = makeVenv(path.join(env.WORKON_HOME!, "tools"));
    writeFileSync(path.join(tools, ".project"), `${path.join(root, "shop")}\n`);
    const old = makeVenv(path.join(env.HOME!, ".virtualenvs", "old"));
    const result = venvhook(root, ["list", "--json"], { VIRTUAL_ENV: next });
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout) as { path: string; size: number }[];
    const project = path.join(root, "shop");
    expect(listed).toEqual([
      { path: shop, source: "store", project, label: "default", python: python3Version, size: expect.any(Number), active: false, orphan: false },
      { path: next, source: "store", project, label: "next", python: python3Version, size: expect.any(Number), active: true, orphan: false },
      { path: tools, source: "workon", project, label: "tools", python: python3Version, size: expect.any(Number), active: false, orphan: false },
      { path: old, source: "virtualenvs", label: "old", python: python3Version, size: expect.any(Number), active: false, orphan: false },
    ]);
    for (const known of listed) expect(known.size, known.path).toBeGreaterThan(1000);

    const table = venvhook(root, ["list"], { VIRTUAL_ENV: next }).stdout.split("\n");
    expect(table[0]).toMatch(/^ +project +label +python +size$/);
    const version = python3Version.replaceAll(".", "\\.");
    expect(table.find((line) => line.startsWith("*"))).toMatch(new RegExp(`^\\* +${project} +next +${version} +\\d+(\\.\\d)? [kM]B$`));
    expect(table.find((line) => line.includes("(~/.virtualenvs)"))).toMatch(/ old /);
  });
});

describe("venvhook gc", () => {
  it("lists orphans, and with --yes removes them and nothing else", () => {
    const shop = centralEnv("shop");
    const alternate = centralEnv("shop", "next", "default");
    const blog = centralEnv("blog");
    const tools = makeVenv(path.join(env.WORKON_HOME!, "tools"));
    writeFileSync(path.join(tools, ".project"), path.join(root, "gone-too"));
    expect(venvhook(path.join(root, "blog"), ["allow"]).status).toBe(0);
    const trustFile = path.join(env.XDG_DATA_HOME!, "venvhook", "trust.json");
    expect(readFileSync(trustFile, "utf8")).toContain(blog);
    const before = envsOnDisk();

    expect(venvhook(root, ["gc"]).stdout).toBe(`no orphan envs in ${env.VENVHOOK_HOME}\n`);
    rmSync(path.join(root, "blog"), { recursive: true });

    const listed = venvhook(root, ["gc"]);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^1 orphan env in ${env.VENVHOOK_HOME}:\n` +
          `  \\S+ [kM]B  ${blog}  its project ${root}/blog is gone\n` +
          `total \\S+ [kM]B; run 'venvhook gc --yes' to remove it\n$`,
      ),
    );
    expect(envsOnDisk()).toEqual(before);

    const removed = venvhook(root, ["gc", "--yes"]);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/\nremoved 1 orphan env, \S+ [kM]B\n$/);
    expect(envsOnDisk()).toEqual([shop, alternate, tools].sort());
    expect(existsSync(path.dirname(blog))).toBe(false);
    expect(readFileSync(trustFile, "utf8")).not.toContain(blog);
    expect(venvhook(root, ["gc", "--yes"]).stdout).toBe(`no orphan envs in ${env.VENVHOOK_HOME}\n`);
  });

  it("an env whose project points at none of its store envs is an orphan", () => {
    const shop = centralEnv("shop");
    const other = makeVenv(path.join(env.WORKON_HOME!, "other"));
    writeFileSync(path.join(root, "shop", ".venv"), "other\n");
    const result = venvhook(root, ["gc", "--yes"]);
    expect(result.stdout).toContain(`${shop}  nothing points at it: ${root}/shop/.venv points elsewhere\n`);
    expect(envsOnDisk()).toEqual([other]);
  });
});

describe("venvhook rm", () => {
  it("removes this project's env by label, with --yes, from anywhere in the project", () => {
    const shop = centralEnv("shop");
    const next = centralEnv("shop", "next", "default");
    const src = path.join(root, "shop", "src");
    mkdirSync(src);

    const unasked = venvhook(src, ["rm", "next"]);
    expect(unasked.status).toBe(1);
    expect(unasked.stderr).toBe(`venvhook: not removing ${next} without asking; add --yes to remove it\n`);
    expect(existsSync(next)).toBe(true);

    const removed = venvhook(src, ["rm", "next", "--yes"]);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(new RegExp(`^removed ${next} \\(\\S+ [kM]B\\)\n$`));
    expect(envsOnDisk()).toEqual([shop]);

    const unknown = venvhook(src, ["rm", "next", "--yes"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`venvhook: ${root}/shop has no env labelled 'next' in venvhook's store\n`);
  });

  it("removes an env by path, never what a link inside it leads to, and says when it was active", () => {
    const tools = makeVenv(path.join(env.WORKON_HOME!, "tools"));
    const precious = path.join(root, "precious");
    mkdirSync(precious);
    writeFileSync(path.join(precious, "data"), "keep");
    symlinkSync(precious, path.join(tools, "lib", "linked"));
    const result = venvhook(root, ["rm", "./workon/tools", "-y"], { VIRTUAL_ENV: tools });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/; it was active in this shell: run 'deactivate' to leave it\n$/);
    expect(existsSync(tools)).toBe(false);
    expect(readdirSync(precious)).toEqual(["data"]);
  });

  it("refuses anything that is not an env folder", () => {
    const plain = path.join(root, "plain");
    mkdirSync(plain);
    writeFileSync(path.join(plain, "notes.txt"), "mine");
    symlinkSync(makeVenv(path.join(root, "real")), path.join(root, "link"));
    const cases: [string, string][] = [
      ["./plain", `not removing ${plain}: it has no pyvenv.cfg, so it is not an environment`],
      ["~", `not removing ${env.HOME}: it has no pyvenv.cfg, so it is not an environment`],
      ["./link", `not removing ${root}/link: it is a symbolic link; give the env folder itself`],
      ["./nowhere", `not removing ${root}/nowhere: it does not exist`],
      ["a..b", "'a..b' is not a label: it contains '..'"],
    ];
    for (const [spec, message] of cases) {
      const result = venvhook(root, ["rm", spec, "--yes"]);
      expect(result.status, spec).toBe(1);
      expect(result.stdout).toBe("");
      oneLine(result.stderr);
      expect(result.stderr).toBe(`venvhook: ${message}\n`);
    }
    expect(readdirSync(plain)).toEqual(["notes.txt"]);
    expect(existsSync(path.join(root, "real", "pyvenv.cfg"))).toBe(true);
  });
});
