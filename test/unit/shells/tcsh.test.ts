// The tcsh hook and escaper, in real tcsh. Values reach tcsh as the hook reads
// them (captured with "`...`", joined, eval'd) and come back unchanged; the
// hook loads from what `init` prints (eval of backquote output) and as a file.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { PLACEHOLDER, renderHook } from "../../../src/shells/adapter.ts";
import { quoteTcsh, tcsh } from "../../../src/shells/tcsh.ts";
import { hostile } from "../../support/hostile.ts";
import { describeNeeding, runScript, which } from "../../support/shells.ts";

const work = mkdtempSync(path.join(tmpdir(), "venvhook-tcsh-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EXE = "/opt/venv hook/it's $(bin) `b` !x \\ %/venvhook";
const file = readFileSync("shells/venvhook.tcsh", "utf8");
let n = 0;

/** Writes text to a fresh file under work and returns its path. */
function put(text: string): string {
  const name = path.join(work, `f${n++}`);
  writeFileSync(name, text);
  return name;
}

/** How the hook applies the binary's output: "`...`" keeps one word per line, eval joins them. */
const apply = (output: string) => `set __vh_out = "\`cat ${quoteTcsh(output)}\`"; eval $__vh_out:q;`;

/** What `eval \`venvhook init tcsh\`` in ~/.tcshrc does with init's output. */
const init = (executable: string) => `eval \`cat ${quoteTcsh(put(tcsh.init!(renderHook(tcsh, executable))))}\``;

/** PATH entries cannot hold the separator, and tcsh's path shows an empty one as `.`. */
const pathEntry = hostile.filter((s) => !s.includes(":") && s.length > 0);

describeNeeding("tcsh hook", ["tcsh"], () => {
  it("has exactly one placeholder, replaced by the quoted binary path", () => {
    expect(file.split(PLACEHOLDER).length).toBe(2);
    const hook = renderHook(tcsh, EXE);
    expect(hook).not.toContain(PLACEHOLDER);
    expect(hook).toContain(`set __venvhook_bin = ${quoteTcsh(EXE)}\n`);
  });

  it("passes tcsh's own syntax check as it stands, once rendered, and as init prints it", () => {
    for (const text of [file, renderHook(tcsh, EXE), tcsh.init!(renderHook(tcsh, EXE))]) {
      const result = spawnSync("tcsh", ["-f", "-n", put(text)], { encoding: "utf8" });
      expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: "" });
    }
  });

  it("init prints one line: eval and one word, without blanks or glob characters, holding the hook less its comment lines", () => {
    const printed = tcsh.init!(renderHook(tcsh, EXE));
    expect(printed).toMatch(/^eval \$'[^\s*?[\]{}~!']*'\n$/);
    const { values } = runScript("tcsh", `set code = ${printed.slice("eval ".length, -1)}; printf '%s\\0' $code:q`);
    expect(values).toEqual([renderHook(tcsh, EXE).replace(/^#.*\n/gm, "")]);
  });

  it("has no ! that history substitution would take (eval does it in an interactive shell)", () => {
    const code = file.replace(/^#.*\n/gm, "");
    expect(code.match(/(?<!\\)![^ =]/g)).toBeNull();
  });

  /** A non-interactive tcsh has no prompt; with one set, the hook installs itself as in an interactive shell. */
  const interactive = "set prompt = 'vh> '";

  it("loads without a word on stderr, as a file, from init, and twice", () => {
    const aliases = `printf '%s\\0' "\`alias precmd\`" "\`alias cwdcmd\`" "\`alias venvhook\`"`;
    const expected = ["__venvhook_precmd", "__venvhook_update", "set __venvhook_argv = ( !* ); eval $__venvhook_command:q; $__venvhook_bin:q !*"];
    for (const load of [`source ${quoteTcsh(put(file))}`, init(EXE), `${init(EXE)}\n${init(EXE)}`]) {
      expect(runScript("tcsh", `${interactive}\n${load}\n${aliases}`)).toEqual({ values: expected, stderr: "" });
    }
  });

  it("goes after the user's precmd and before their cwdcmd, keeping both, and is installed once", () => {
    const { values, stderr } = runScript(
      "tcsh",
      `${interactive}\nalias precmd 'echo "a  b" > /dev/null'\nalias cwdcmd 'echo cd > /dev/null'\n${init(EXE)}\n${init(EXE)}\nprintf '%s\\0' "\`alias precmd\`" "\`alias cwdcmd\`"`,
    );
    expect(stderr).toBe("");
    expect(values).toEqual(['echo "a  b" > /dev/null; __venvhook_precmd', "__venvhook_update; echo cd > /dev/null"]);
  });

  it("leaves precmd and cwdcmd alone in a script (tcsh reads ~/.tcshrc there too)", () => {
    const { values, stderr } = runScript("tcsh", `alias cwdcmd 'echo cd > /dev/null'\n${init(EXE)}\nprintf '%s\\0' x"\`alias precmd\`" x"\`alias cwdcmd\`"`);
    expect({ values, stderr }).toEqual({ values: ["x", "xecho cd > /dev/null"], stderr: "" });
  });

  it("quotes the binary's path into the hook, whatever it is called", () => {
    fc.assert(
      fc.property(hostile, (executable) => {
        const { values } = runScript("tcsh", `${init(executable)}\nprintf '%s\\0' $__venvhook_bin:q`);
        expect(values).toEqual([executable]);
        expect(readdirSync(work).filter((f) => f.includes("pwned"))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

describeNeeding("tcsh escaper", ["tcsh"], () => {
  // By its full path: PATH is one of the values. :Q keeps an empty value as an empty word (:q drops it).
  const printf = quoteTcsh(which("printf") ?? "printf");
  const printed = `${printf} '%s\\0' $VIRTUAL_ENV:Q $VIRTUAL_ENV_PROMPT:Q $__venvhook_told:Q $PATH:Q $path:gQ`;

  it("renders one statement per line, with no newline or ! inside a value", () => {
    fc.assert(
      fc.property(hostile, hostile, (env, told) => {
        const code = tcsh.render([{ name: "VIRTUAL_ENV", value: env }], { __venvhook_told: told });
        expect(code.split("\n")).toEqual([expect.stringMatching(/^setenv VIRTUAL_ENV \$'[^!']*';$/), expect.stringMatching(/^set __venvhook_told = \$'[^!']*';$/), ""]);
      }),
    );
  });

  for (const locale of ["C.UTF-8", "C"]) {
    it(`round-trips any value through real tcsh as the hook applies it, running none of it (${locale})`, () => {
      fc.assert(
        fc.property(hostile, hostile, hostile, fc.array(pathEntry, { minLength: 1, maxLength: 4 }), (env, prompt, told, entries) => {
          const code = tcsh.render(
            [
              { name: "VIRTUAL_ENV", value: env },
              { name: "VIRTUAL_ENV_PROMPT", value: prompt },
              { name: "PATH", value: entries.join(":") },
            ],
            { __venvhook_told: told },
          );
          const { values, stderr } = runScript("tcsh", `cd ${quoteTcsh(work)}; ${apply(put(code))} ${printed}`, { LANG: locale, LC_ALL: locale });
          expect(stderr).toBe("");
          // PATH as exported, then tcsh's path array, which it keeps in step.
          expect(values).toEqual([env, prompt, told, entries.join(":"), ...entries]);
          expect(readdirSync(work).filter((f) => f.includes("pwned"))).toEqual([]);
        }),
        { numRuns: locale === "C" ? 40 : 120 },
      );
    });
  }

  it("unsets what it is told to unset", () => {
    const code = tcsh.render([{ name: "VIRTUAL_ENV", value: undefined }], {});
    const { values } = runScript("tcsh", `setenv VIRTUAL_ENV x; ${apply(put(code))} printf '%s\\0' $?VIRTUAL_ENV`);
    expect(values).toEqual(["0"]);
  });
});
