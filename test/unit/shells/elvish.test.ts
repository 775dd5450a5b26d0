// The elvish hook and escaper, through the real elvish: the hook compiles and
// loads as it stands and rendered, loads twice without doubling anything,
// and whatever the adapter prints, evaluated as the hook evaluates it, sets
// exactly the values given and runs none of them.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { PLACEHOLDER, renderHook } from "../../../src/shells/adapter.ts";
import { elvish } from "../../../src/shells/elvish.ts";
import { hostile } from "../../support/hostile.ts";
import { describeNeeding, runScript, which } from "../../support/shells.ts";

const EXE = "/opt/venv hook/it's $(bin)/venvhook";
const work = mkdtempSync(path.join(tmpdir(), "venvhook-elvish-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** PATH entries cannot hold the separator. */
const pathEntry = hostile.filter((s) => !s.includes(":") && s.length > 0);

/** The hook is loaded as the init line loads it: the text, evaluated. */
const load = "eval $E:VH_HOOK";

/**
 * A stand-in for the line editor of an interactive elvish, which a script
 * does not have: the hook finds it as it finds the real one.
 */
const fakeEditor = [
  "var added = []",
  "var edit: = (ns [&before-readline=[{ nop }] &prompt={ put 'mine> ' } &add-var~={|name _| set added = [$@added $name] }])",
].join("\n");

describeNeeding("elvish hook", ["elvish"], () => {
  const file = readFileSync("shells/venvhook.elv", "utf8");

  it("has exactly one placeholder, replaced by the quoted binary path", () => {
    expect(file.split(PLACEHOLDER).length).toBe(2);
    const hook = renderHook(elvish, EXE);
    expect(hook).not.toContain(PLACEHOLDER);
    expect(hook).toContain(elvish.quote(EXE));
  });

  it("compiles as it stands and once rendered, and loads in a script", () => {
    for (const text of [file, renderHook(elvish, EXE)]) {
      const hook = path.join(work, "hook.elv");
      writeFileSync(hook, text);
      const compiled = spawnSync("elvish", ["-norc", "-compileonly", hook], { encoding: "utf8" });
      expect({ status: compiled.status, output: `${compiled.stdout}${compiled.stderr}` }).toEqual({ status: 0, output: "" });
      expect(runScript("elvish", `${load}; print loaded"\\x00"`, { VH_HOOK: text })).toEqual({ values: ["loaded"], stderr: "" });
    }
  });

  it("loads twice without complaint, after the handlers already there, once", () => {
    const { values, stderr } = runScript(
      "elvish",
      [
        fakeEditor,
        "set after-chdir = [{|_| nop }]",
        load,
        load,
        "put (count $after-chdir) (count $edit:before-readline) $@added | to-terminated \"\\x00\"",
      ].join("\n"),
      { VH_HOOK: renderHook(elvish, EXE) },
    );
    expect(stderr).toBe("");
    expect(values).toEqual(["2", "2", "venvhook~", "deactivate~", "__venvhook:"]);
  });

  it("puts (name) before the prompt it finds, literally, only for venvhook's own env", () => {
    // A binary that prints nothing and succeeds: the prompt is all that changes.
    const hook = renderHook(elvish, which("true")!);
    const prompt = (env: Record<string, string>) =>
      runScript(
        "elvish",
        [fakeEditor, load, "for f $edit:before-readline { $f }", "put ($edit:prompt) | to-terminated \"\\x00\""].join("\n"),
        { VH_HOOK: hook, ...env },
      );
    fc.assert(
      fc.property(hostile, (name) => {
        const { values, stderr } = prompt({ VIRTUAL_ENV: "/e:v", VENVHOOK_STATE: "c3RhdGU=:/e:v", VIRTUAL_ENV_PROMPT: name });
        expect(stderr).toBe("");
        expect(values).toEqual([`(${name}) `, "mine> "]);
      }),
      { numRuns: 30 },
    );
    const theirs = { VIRTUAL_ENV: "/e", VIRTUAL_ENV_PROMPT: "e" };
    expect(prompt(theirs).values).toEqual(["mine> "]);
    expect(prompt({ ...theirs, VENVHOOK_STATE: "c3RhdGU=:/e", VIRTUAL_ENV_DISABLE_PROMPT: "1" }).values).toEqual(["mine> "]);
    expect(prompt({ ...theirs, VENVHOOK_STATE: "c3RhdGU=:/other:/e" }).values).toEqual(["mine> "]);
  });
});

describeNeeding("elvish escaper", ["elvish"], () => {
  /** What the hook does with the binary's output: eval in a namespace holding only the shell-local variable. */
  const apply = (file: string) =>
    `var locals = (ns [&__venvhook_told=old]); eval (slurp < '${file}') &ns=$locals;`;

  it("round-trips any value through the real shell, running none of it", () => {
    let n = 0;
    fc.assert(
      fc.property(hostile, hostile, hostile, fc.array(pathEntry, { minLength: 1, maxLength: 4 }), (env, prompt, told, entries) => {
        const file = path.join(work, `values-${n++}.elv`);
        const code = elvish.render(
          [
            { name: "VIRTUAL_ENV", value: env },
            { name: "VIRTUAL_ENV_PROMPT", value: prompt },
            { name: "PATH", value: entries.join(":") },
          ],
          { __venvhook_told: told },
        );
        writeFileSync(file, code);
        const { values, stderr } = runScript(
          "elvish",
          `cd '${work}'; ${apply(file)} put $E:VIRTUAL_ENV $E:VIRTUAL_ENV_PROMPT $locals[__venvhook_told] $E:PATH | to-terminated "\\x00"`,
        );
        expect(stderr).toBe("");
        expect(values).toEqual([env, prompt, told, entries.join(":")]);
        expect(readdirSync(work).filter((f) => f.includes("pwned"))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("unsets what it is told to unset", () => {
    const file = path.join(work, "unset.elv");
    writeFileSync(file, elvish.render([{ name: "VIRTUAL_ENV", value: undefined }], {}));
    expect(runScript("elvish", `set-env VIRTUAL_ENV x; ${apply(file)} if (not (has-env VIRTUAL_ENV)) { print unset"\\x00" }`).values).toEqual(["unset"]);
  });

  it("quotes the binary's path into the hook, whatever it is called", () => {
    fc.assert(
      fc.property(hostile, (executable) => {
        const { values } = runScript("elvish", `eval $E:VH_HOOK &on-end={|ns| put $ns['__venvhook:'][bin] | to-terminated "\\x00" }`, {
          VH_HOOK: renderHook(elvish, executable),
        });
        expect(values).toEqual([executable]);
      }),
      { numRuns: 40 },
    );
  });
});
