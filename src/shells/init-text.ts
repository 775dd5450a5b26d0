// What `venvhook init <shell>` prints: the shell's hook, calling this executable.
import { realpathSync } from "node:fs";
import { renderHook, type ShellAdapter } from "./adapter.ts";

export function initText(shell: ShellAdapter): string {
  const hook = renderHook(shell, executablePath());
  return shell.init ? shell.init(hook) : hook;
}

/** The path the hook calls: this executable when compiled, else the script Node runs. */
function executablePath(): string {
  const script = process.argv[1];
  const compiled = !script || script.startsWith("/$bunfs/") || script.includes("~BUN");
  return compiled ? process.execPath : realpathSync(script);
}
