// Every hook is rendered, linted and loaded in its real shell (as zoxide does).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { PLACEHOLDER, renderHook } from "../../../src/shells/adapter.ts";
import { shellAdapter } from "../../../src/shells/index.ts";
import { describeNeeding, runScript } from "../../support/shells.ts";

const EXE = "/opt/venv hook/it's $(bin)/venvhook";

/** Runs a checker on a script written to a file. */
function check(command: string, args: string[], text: string): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "venvhook-hooks-"));
  try {
    const file = path.join(dir, "hook");
    writeFileSync(file, text);
    const result = spawnSync(command, [...args, file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const name of ["bash", "zsh", "fish"] as const) {
  describeNeeding(`${name} hook`, name === "bash" ? [name, "shellcheck"] : [name], () => {
    const shell = shellAdapter(name)!;
    const file = readFileSync(`shells/venvhook.${name}`, "utf8");

    it("has exactly one placeholder, replaced by the quoted binary path", () => {
      expect(file.split(PLACEHOLDER).length).toBe(2);
      const hook = renderHook(shell, EXE);
      expect(hook).not.toContain(PLACEHOLDER);
      expect(hook).toContain(shell.quote(EXE));
    });

    it("is valid shell as it stands and once rendered", () => {
      for (const text of [file, renderHook(shell, EXE)]) {
        const parsed = name === "fish" ? check("fish", ["--no-execute"], text) : check(name, ["-n"], text);
        expect(parsed).toEqual({ status: 0, output: "" });
      }
    });

    if (name === "bash") {
      it("passes shellcheck", () => {
        // A plain path: with a hostile one shellcheck rightly notes that `$(...)` stays literal in single quotes.
        expect(check("shellcheck", ["-s", "bash"], renderHook(shell, "/usr/local/bin/venvhook"))).toEqual({ status: 0, output: "" });
      });

      it("goes last in PROMPT_COMMAND, once, with a string or an array, under set -u; not at all in a script", () => {
        const hook = renderHook(shell, EXE);
        const interactive = { interactive: true };
        const asString = runScript("bash", `set -u; PROMPT_COMMAND='mine;'\n${hook}\n${hook}\nprintf '%s\\0' "$PROMPT_COMMAND"`, {}, interactive);
        expect(asString.values).toEqual(["mine;\n__venvhook_precmd"]);
        const asArray = runScript("bash", `set -u; PROMPT_COMMAND=(one two)\n${hook}\n${hook}\nprintf '%s\\0' "\${PROMPT_COMMAND[@]}"`, {}, interactive);
        expect(asArray.values).toEqual(["one", "two", "__venvhook_precmd"]);
        const sparse = runScript("bash", `set -u; PROMPT_COMMAND=([0]=one [5]=two)\n${hook}\nprintf '%s\\0' "\${PROMPT_COMMAND[@]}"`, {}, interactive);
        expect(sparse.values).toEqual(["one", "two", "__venvhook_precmd"]);
        const unset = runScript("bash", `set -u; unset PROMPT_COMMAND\n${hook}\nprintf '%s\\0' "$PROMPT_COMMAND"`, {}, interactive);
        expect(unset.values).toEqual(["__venvhook_precmd"]);
        const script = runScript("bash", `set -u; PROMPT_COMMAND=mine\n${hook}\nprintf '%s\\0' "$PROMPT_COMMAND" "$(type -t cd)"`);
        expect(script.values).toEqual(["mine", "builtin"]);
      });
    }

    if (name === "zsh") {
      it("goes first and last in precmd_functions and into chpwd_functions, once, under nounset", () => {
        const hook = renderHook(shell, EXE);
        const { values } = runScript(
          "zsh",
          `setopt nounset; precmd_functions=(mine)\n${hook}\n${hook}\nprintf '%s\\0' "\${precmd_functions[@]}" -- "\${chpwd_functions[@]}"`,
          {},
          { interactive: true },
        );
        expect(values).toEqual(["__venvhook_precmd", "mine", "__venvhook_prompt", "--", "__venvhook_chpwd"]);
      });
    }

    if (name === "fish") {
      it("loads twice without complaint and defines its handlers", () => {
        const hook = renderHook(shell, EXE);
        const { values, stderr } = runScript(
          "fish",
          `${hook}\n${hook}\nfor f in __venvhook_on_cd __venvhook_on_prompt venvhook; functions -q $f; and printf '%s\\0' $f; end`,
          { TERM: "xterm-256color" },
          { interactive: true },
        );
        expect(stderr).toBe("");
        expect(values).toEqual(["__venvhook_on_cd", "__venvhook_on_prompt", "venvhook"]);
      });
    }
  });
}
