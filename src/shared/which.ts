// Where a command name leads on a given PATH, as a shell looks it up: the
// child's PATH, not venvhook's, so that the env's bin folder is searched first.
import { accessSync, constants } from "node:fs";
import { host, windows, type Platform } from "../activation/platform.ts";
import { statOrUndefined } from "./fs-quiet.ts";

/** What Windows runs without an extension named, when PATHEXT is not set. */
const DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";

/** A regular file this user may run (on Windows: any regular file). */
export function isExecutable(file: string): boolean {
  if (!statOrUndefined(file)?.isFile()) return false;
  if (host === windows) return true;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file `command` runs, or undefined. A name with a slash (or on Windows a
 * backslash) is a path, from `cwd`. Empty PATH entries are skipped: POSIX
 * reads them as the working folder, which nobody means to search first.
 */
export function findCommand(command: string, pathValue: string | undefined, cwd: string, platform: Platform = host, executable = isExecutable, pathext?: string): string | undefined {
  const { path } = platform;
  const names = platform === windows ? withExtensions(command, pathext ?? DEFAULT_PATHEXT) : [command];
  if (command.includes("/") || command.includes(path.sep)) return names.map((name) => path.resolve(cwd, name)).find(executable);
  for (const dir of (pathValue ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const found = names.map((name) => path.join(dir, name)).find(executable);
    if (found) return found;
  }
  return undefined;
}

/** `pytest` as Windows would try it: pytest.COM, pytest.EXE, …; a name with one of those extensions as it is. */
function withExtensions(command: string, pathext: string): string[] {
  const extensions = pathext.split(";").filter(Boolean);
  if (extensions.some((ext) => command.toUpperCase().endsWith(ext.toUpperCase()))) return [command];
  return extensions.map((ext) => command + ext.toLowerCase());
}
