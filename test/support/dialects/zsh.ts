import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { quotePosix } from "../../../src/shells/posix.ts";
import type { Dialect } from "../dialect.ts";
import { initLinePosix, posixSpelling } from "./posix.ts";

export const zsh: Dialect = {
  ...posixSpelling,
  start(rc, { dir }) {
    const zdotdir = path.join(dir, "zdotdir");
    mkdirSync(zdotdir, { recursive: true });
    writeFileSync(path.join(zdotdir, ".zshrc"), rc);
    // -d: skip the global rc files (/etc/zsh/zshrc …); /etc/zsh/zshenv is always read.
    return { args: ["-d", "-i"], env: { ZDOTDIR: zdotdir } };
  },
  script: (script) => ["-f", "-c", script],
  preamble: (markFile) =>
    [
      "unsetopt BANG_HIST",
      `__vh_e2e_mark() { builtin print >> ${quotePosix(markFile)}; }`,
      "zle -N __vh_e2e_mark",
      `bindkey -M emacs '\\e[34~' __vh_e2e_mark`,
      `bindkey -M viins '\\e[34~' __vh_e2e_mark`,
      `bindkey -M vicmd '\\e[34~' __vh_e2e_mark`,
    ].join("\n"),
  initLine: (bin) => initLinePosix("zsh", bin),
  missingBinary: /is missing; reinstall venvhook or remove its line from ~\/\.zshrc$/,
};
