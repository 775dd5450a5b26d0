// The Windows rules, run here: the same code with path.win32 and an
// in-memory file system (drive letters, UNC paths, Scripts\, Path with `;`).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planActivation, type Wanted } from "../../src/activation/plan.ts";
import { binDir, envName, findVenv, isPathLike, type Surroundings } from "../../src/discovery/venv.ts";
import { windows } from "../../src/activation/platform.ts";

/** Folders, and files with their text, by Windows path (case as given). */
function fakeWindows(entries: Record<string, string | null>, extra: Partial<Surroundings> = {}): Surroundings {
  const kind = (file: string) => {
    const normal = path.win32.normalize(file);
    if (!(normal in entries)) return undefined;
    const isFolder = entries[normal] === null;
    return { isDirectory: () => isFolder, isFile: () => !isFolder, isSymbolicLink: () => false };
  };
  return {
    platform: windows,
    stat: kind,
    lstat: kind,
    readHead: (file) => entries[path.win32.normalize(file)] ?? undefined,
    home: "C:\\Users\\me",
    workonHome: undefined,
    storeEnv: (folder, label) => path.win32.join("C:\\Users\\me\\AppData\\Local\\venvhook\\Data\\envs", path.win32.basename(folder), label),
    ...extra,
  };
}

const env = (dir: string) => ({ [dir]: null, [`${dir}\\Scripts`]: null, [`${dir}\\pyvenv.cfg`]: "home = C:\\Python312\nversion = 3.12.1\n" });

describe("on Windows", () => {
  it("finds .venv from a subfolder up, and puts its Scripts folder on PATH", () => {
    const s = fakeWindows({ ...env("C:\\Users\\me\\shop\\.venv"), "C:\\Users\\me\\shop\\src\\app": null });
    const found = findVenv("C:\\Users\\me\\shop\\src\\app", s);
    expect(found).toMatchObject({ kind: "env", env: "C:\\Users\\me\\shop\\.venv", config: { version: "3.12.1" } });
    expect(binDir("C:\\Users\\me\\shop\\.venv", windows)).toBe("C:\\Users\\me\\shop\\.venv\\Scripts");
    expect(envName("C:\\Users\\me\\shop\\.venv", {}, windows)).toBe("shop");
  });

  it("stops at a drive's root and at a UNC share's root", () => {
    expect(findVenv("D:\\work\\deep\\er", fakeWindows({}))).toBeUndefined();
    expect(findVenv("\\\\server\\share\\team\\proj", fakeWindows({}))).toBeUndefined();
    const s = fakeWindows(env("\\\\server\\share\\team\\.venv"));
    expect(findVenv("\\\\server\\share\\team\\proj", s)).toMatchObject({ env: "\\\\server\\share\\team\\.venv" });
  });

  it("follows pointers: relative with either slash, another drive, UNC, and ~\\", () => {
    const cases: Array<[string, string]> = [
      ["..\\envs\\web", "C:\\Users\\me\\envs\\web"],
      ["../envs/web", "C:\\Users\\me\\envs\\web"],
      ["D:\\envs\\web", "D:\\envs\\web"],
      ["\\\\server\\share\\envs\\web", "\\\\server\\share\\envs\\web"],
      ["~\\envs\\web", "C:\\Users\\me\\envs\\web"],
    ];
    for (const [text, target] of cases) {
      const s = fakeWindows({ "C:\\Users\\me\\shop\\.venv": `${text}\r\n`, ...env(target) });
      expect(findVenv("C:\\Users\\me\\shop", s), text).toMatchObject({ kind: "env", env: target, pointer: { text, target } });
    }
  });

  it("tells names from paths, drives included", () => {
    expect(isPathLike("web", windows)).toBe(false);
    for (const text of ["C:envs", "C:\\envs\\web", "..\\web", ".\\web", "envs\\web", "envs/web"]) expect(isPathLike(text, windows), text).toBe(true);
    const s = fakeWindows({ "C:\\Users\\me\\shop\\.venv": "web\n", ...env("C:\\Users\\me\\.virtualenvs\\web") });
    expect(findVenv("C:\\Users\\me\\shop", s)).toMatchObject({ env: "C:\\Users\\me\\.virtualenvs\\web" });
  });

  it("activates and reverts on Path with ';', keeping the variable's spelling and the user's edits", () => {
    const wanted: Wanted = { env: "C:\\Users\\me\\shop\\.venv", bin: "C:\\Users\\me\\shop\\.venv\\Scripts", name: "shop" };
    const vars: Record<string, string | undefined> = { Path: "C:\\Windows\\system32;C:\\Python312" };
    const plan = planActivation(vars, wanted, windows);
    if (plan.kind !== "changes") throw new Error("foreign");
    const active: Record<string, string | undefined> = { ...vars };
    for (const { name, value } of plan.changes) active[name] = value;
    expect(plan.changes.map((c) => c.name)).not.toContain("PATH");
    expect(active.Path).toBe("C:\\Users\\me\\shop\\.venv\\Scripts;C:\\Windows\\system32;C:\\Python312");

    active.Path = `D:\\tools;${active.Path};E:\\more`;
    const left = planActivation(active, undefined, windows);
    if (left.kind !== "changes") throw new Error("foreign");
    const after: Record<string, string | undefined> = { ...active };
    for (const { name, value } of left.changes) after[name] = value;
    expect(after.Path).toBe("D:\\tools;C:\\Windows\\system32;C:\\Python312;E:\\more");
    expect(after.VIRTUAL_ENV).toBeUndefined();
  });
});
