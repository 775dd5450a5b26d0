// Every value venvhook prints is quoted by its shell's own escaper. These
// properties send arbitrary strings through the real shells and read them
// back unchanged: nothing a folder or file says may ever run.
import fc from "fast-check";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { renderHook } from "../../../src/shells/adapter.ts";
import { shellAdapter } from "../../../src/shells/index.ts";
import { hostile } from "../../support/hostile.ts";
import { runScript, describeNeeding, type ClassicShell } from "../../support/shells.ts";

const work = mkdtempSync(path.join(tmpdir(), "venvhook-quoting-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** PATH entries cannot hold the separator. */
const pathEntry = hostile.filter((s) => !s.includes(":") && s.length > 0);

const printers: Record<ClassicShell, string> = {
  bash: `printf '%s\\0' "$VIRTUAL_ENV" "$VIRTUAL_ENV_PROMPT" "$__venvhook_told"; printf '%s\\0' "$PATH"`,
  zsh: `printf '%s\\0' "$VIRTUAL_ENV" "$VIRTUAL_ENV_PROMPT" "$__venvhook_told"; printf '%s\\0' "$PATH"`,
  fish: `printf '%s\\0' "$VIRTUAL_ENV" "$VIRTUAL_ENV_PROMPT" "$__venvhook_told"; printf '%s\\0' $PATH`,
};

/** How each hook evaluates the binary's output. */
const evaluators: Record<ClassicShell, (file: string) => string> = {
  bash: (file) => `out=$(<'${file}'); eval "$out"; unset out;`,
  zsh: (file) => `out=$(<'${file}'); eval "$out"; unset out;`,
  fish: (file) => `set -l out (string collect < '${file}'); eval $out; set -e out;`,
};

for (const name of ["bash", "zsh", "fish"] as const) {
  describeNeeding(`${name} escaper`, [name], () => {
    const shell = shellAdapter(name)!;

    it("round-trips any value through the real shell, running none of it", () => {
      let n = 0;
      fc.assert(
        fc.property(hostile, hostile, hostile, fc.array(pathEntry, { minLength: 1, maxLength: 4 }), (env, prompt, told, entries) => {
          const dir = path.join(work, `${name}-${n++}`);
          const file = `${dir}.sh`;
          const code = shell.render(
            [
              { name: "VIRTUAL_ENV", value: env },
              { name: "VIRTUAL_ENV_PROMPT", value: prompt },
              { name: "PATH", value: entries.join(":") },
            ],
            { __venvhook_told: told },
          );
          writeFileSync(file, code);
          const { values, stderr } = runScript(name, `cd '${work}'; ${evaluators[name](file)} ${printers[name]}`);
          expect(stderr).toBe("");
          expect([...values.slice(0, 3), values.slice(3).join(":")]).toEqual([env, prompt, told, entries.join(":")]);
          expect(readdirSync(work).filter((f) => f.includes("pwned"))).toEqual([]);
        }),
        { numRuns: name === "fish" ? 60 : 120 },
      );
    });

    it("unsets what it is told to unset", () => {
      const code = shell.render([{ name: "VIRTUAL_ENV", value: undefined }], {});
      const script =
        name === "fish"
          ? `set -gx VIRTUAL_ENV x; ${code}; set -q VIRTUAL_ENV; or printf 'unset\\0'`
          : `export VIRTUAL_ENV=x; ${code} printf '%s\\0' "\${VIRTUAL_ENV-unset}"`;
      expect(runScript(name, script).values).toEqual(["unset"]);
    });

    it("quotes the binary's path into the hook, whatever it is called", () => {
      fc.assert(
        fc.property(hostile, (executable) => {
          const hook = renderHook(shell, executable);
          // fish: interactive, where the hook loads.
          const { values } = runScript(name, `${hook}\nprintf '%s\\0' "$__venvhook_bin"`, {}, { interactive: name === "fish" });
          expect(values).toEqual([executable]);
        }),
        { numRuns: name === "fish" ? 30 : 60 },
      );
    });
  });
}
