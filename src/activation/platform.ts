// What differs on Windows: paths (drive letters, UNC, `\`), an env's
// executables in Scripts\ rather than bin/, PATH spelled Path with `;`
// between entries. The rest of venvhook takes a Platform, so tests run the
// Windows rules on any machine, with path.win32.
import path from "node:path";

export interface Platform {
  path: path.PlatformPath;
  /** The folder holding an env's executables. */
  bin: "bin" | "Scripts";
  /** The name of the PATH variable as this environment spells it. */
  pathVar(vars: Readonly<Record<string, string | undefined>>): string;
}

export const posix: Platform = { path: path.posix, bin: "bin", pathVar: () => "PATH" };

export const windows: Platform = {
  path: path.win32,
  bin: "Scripts",
  // Windows variable names ignore case; keep the spelling the environment has.
  pathVar: (vars) => Object.keys(vars).find((name) => name.toUpperCase() === "PATH") ?? "Path",
};

export const host: Platform = process.platform === "win32" ? windows : posix;
