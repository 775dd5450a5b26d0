// What `venvhook init <shell>` prints: the shell's hook, calling this executable.
import { realpathSync } from "node:fs";
import { isCompiled } from "../shared/self.ts";
import { renderHook, type ShellAdapter } from "./adapter.ts";

export function initText(shell: ShellAdapter): string {
  const hook = renderHook(shell, executablePath());
  return shell.init ? shell.init(hook) : hook;
}

/** The path the hook calls: this executable when compiled, else the script Node runs. */
function executablePath(): string {
  return isCompiled() ? process.execPath : realpathSync(process.argv[1]!);
}
