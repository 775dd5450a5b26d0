import { quotePosix } from "../../../src/shells/posix.ts";
import type { Dialect } from "../dialect.ts";
import { initLinePosix, posixSpelling } from "./posix.ts";
import { writeFileSync } from "node:fs";
import path from "node:path";

export const bash: Dialect = {
  ...posixSpelling,
  start(rc, { dir }) {
    const rcFile = path.join(dir, "bashrc");
    writeFileSync(rcFile, rc);
    return { args: ["--noprofile", "--rcfile", rcFile, "-i"] };
  },
  script: (script) => ["-f", "-c", script],
  preamble: (markFile) =>
    [
      "set +o histexpand",
      `__vh_e2e_mark() { builtin echo >> ${quotePosix(markFile)}; }`,
      `bind -m emacs -x '"\\e[34~": __vh_e2e_mark'`,
      `bind -m vi-insert -x '"\\e[34~": __vh_e2e_mark'`,
      `bind -m vi-command -x '"\\e[34~": __vh_e2e_mark'`,
    ].join("\n"),
  initLine: (bin) => initLinePosix("bash", bin),
  missingBinary: /is missing; reinstall venvhook or remove its line from ~\/\.bashrc$/,
};
