// This venvhook as a command: the compiled binary, or the script that bun or
// Node runs (npm's fallback where there is no binary, and development).

export function isCompiled(): boolean {
  const script = process.argv[1];
  return !script || script.startsWith("/$bunfs/") || script.includes("~BUN");
}

/** The command and arguments that run this venvhook again with `args`. */
export function selfCommand(args: readonly string[]): { command: string; args: string[] } {
  return isCompiled() ? { command: process.execPath, args: [...args] } : { command: process.execPath, args: [process.argv[1]!, ...args] };
}
