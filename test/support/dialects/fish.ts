import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fish as adapter } from "../../../src/shells/fish.ts";
import type { Dialect } from "../dialect.ts";

const q = adapter.quote;
const typed = (value: string) => value.split("\t").map(q).join("\\t");

export const fish: Dialect = {
  start(rc, { env }) {
    const configDir = path.join(env.XDG_CONFIG_HOME!, "fish");
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, "config.fish"), rc);
    // An existing generated_completions dir stops fish from spawning a
    // background python job that parses all man pages on first start.
    mkdirSync(path.join(env.XDG_DATA_HOME!, "fish", "generated_completions"), { recursive: true });
    return { args: ["-i"] };
  },
  script: (script) => ["--no-config", "-c", script],
  preamble: (markFile) =>
    [
      "set -g fish_greeting ''",
      `function __vh_e2e_mark; builtin echo >> ${q(markFile)}; end`,
      "bind \\e\\[34~ __vh_e2e_mark",
      "bind -M insert \\e\\[34~ __vh_e2e_mark",
      "bind -M visual \\e\\[34~ __vh_e2e_mark",
    ].join("\n"),
  wrap: (command, { out, err, done }) => `begin\n${command}\nend > ${q(out)} 2> ${q(err)}; builtin echo $status > ${q(done)}`,
  typed,
  get: (name) => `if set -q ${name}; printf '%s' "$${name}"; else; printf '<unset>'; end`,
  set: (name, value) => `set -gx ${name} ${typed(value)}`,
  path: () => "string join : -- $PATH",
  editPath: (before, after) => `set -gx PATH ${typed(before)} $PATH ${typed(after)}`,
  status: "echo $status",
  noop: "true",
  prompt: "function fish_prompt; printf 'vh> '; end",
  initLine: (bin) => `status is-interactive; and ${q(bin)} init fish | source`,
  useBinary: (file) => `set -g __venvhook_bin ${typed(file)}`,
  missingBinary: /is missing; reinstall venvhook or remove the line that loads it from your fish config$/,
};
