// What bash and zsh share: POSIX quoting, `{ …; }` groups, `$?`.
import { quotePosix } from "../../../src/shells/posix.ts";
import type { Dialect } from "../dialect.ts";

const typed = (value: string) => value.split("\t").map(quotePosix).join("$'\\t'");

export const posixSpelling = {
  wrap: (command: string, { out, err, done }: { out: string; err: string; done: string }) =>
    `{ ${command}\n} > ${quotePosix(out)} 2> ${quotePosix(err)}; builtin echo $? > ${quotePosix(done)}`,
  typed,
  get: (name: string) => `printf '%s' "\${${name}-<unset>}"`,
  set: (name: string, value: string) => `export ${name}=${typed(value)}`,
  path: () => `printf '%s' "$PATH"`,
  editPath: (before: string, after: string) => `export PATH=${typed(before)}:"$PATH":${typed(after)}`,
  status: "echo $?",
  noop: ":",
  prompt: "PS1='vh> '",
  useBinary: (file: string) => `__venvhook_bin=${typed(file)}`,
} satisfies Partial<Dialect>;

export function initLinePosix(shell: "bash" | "zsh", bin: string): string {
  return `eval "$(${quotePosix(bin)} init ${shell})"`;
}
