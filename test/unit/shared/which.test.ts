// Looking a command up on the child's PATH, on POSIX and (with path.win32) on Windows.
import { describe, expect, it } from "vitest";
import { posix, windows } from "../../../src/activation/platform.ts";
import { findCommand } from "../../../src/shared/which.ts";

const only = (...files: string[]) => (file: string) => files.includes(file);

describe("findCommand", () => {
  it("takes the first PATH entry that has it, skipping empty entries", () => {
    const executable = only("/env/bin/pytest", "/usr/bin/pytest", "/cwd/pytest");
    expect(findCommand("pytest", "/env/bin:/usr/bin", "/cwd", posix, executable)).toBe("/env/bin/pytest");
    expect(findCommand("pytest", "::/usr/bin", "/cwd", posix, executable)).toBe("/usr/bin/pytest");
    expect(findCommand("nope", "/env/bin:/usr/bin", "/cwd", posix, executable)).toBeUndefined();
  });

  it("a name with a slash is a path from the working folder", () => {
    expect(findCommand("./pytest", "/env/bin", "/cwd", posix, only("/cwd/pytest"))).toBe("/cwd/pytest");
  });

  it("on Windows tries PATHEXT's extensions, and takes a name that has one as it is", () => {
    const executable = only("C:\\env\\Scripts\\pytest.exe", "C:\\Windows\\where.exe", "C:\\tools\\build.cmd");
    const pathValue = "C:\\env\\Scripts;C:\\Windows;C:\\tools";
    expect(findCommand("pytest", pathValue, "C:\\p", windows, executable)).toBe("C:\\env\\Scripts\\pytest.exe");
    expect(findCommand("where.exe", pathValue, "C:\\p", windows, only("C:\\Windows\\where.exe"))).toBe("C:\\Windows\\where.exe");
    expect(findCommand("build", pathValue, "C:\\p", windows, executable, ".EXE;.CMD")).toBe("C:\\tools\\build.cmd");
    expect(findCommand(".\\pytest", pathValue, "C:\\env\\Scripts", windows, executable)).toBe("C:\\env\\Scripts\\pytest.exe");
  });
});
