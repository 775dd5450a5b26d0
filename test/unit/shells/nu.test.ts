// The nushell hook and adapter, through the real nushell: the hook parses and
// loads as it stands and rendered; what `export nu` prints, applied by the
// hook's own code, gives back every value unchanged and runs none of it.
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { PLACEHOLDER, renderHook } from "../../../src/shells/adapter.ts";
import { nu } from "../../../src/shells/nu.ts";
import { nu as nuDialect } from "../../support/dialects/nu.ts";
import { hostile } from "../../support/hostile.ts";
import { describeNeeding, runScript, shellExecutable } from "../../support/shells.ts";

const EXE = "/opt/venv hook/it's $(bin)/venvhook";
const work = mkdtempSync(path.join(tmpdir(), "venvhook-nu-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let files = 0;
/** The hook rendered for `bin`, in a file: `source` takes a path known when the script is parsed. */
function hookFile(bin: string): string {
  const file = path.join(work, `hook-${files++}.nu`);
  writeFileSync(file, renderHook(nu, bin));
  return file;
}

/**
 * A stand-in for the binary: prints the file named in $VH_OUTPUT, so the
 * hook's own code applies it, and keeps the PATH it was given next to it.
 */
const fake = path.join(work, "fake-venvhook");
writeFileSync(fake, '#!/bin/sh\nprintf %s "$PATH" > "$VH_OUTPUT.path"\nexec /bin/cat "$VH_OUTPUT"\n');
chmodSync(fake, 0o755);

/** Prints values for runScript, each followed by NUL. */
const printAll = (values: string) => `print -n (${values} | each {|v| $"($v)(char nul)" } | str join)`;

describeNeeding("nu hook", [shellExecutable("nu") ?? "nu"], () => {
  const file = readFileSync("shells/venvhook.nu", "utf8");

  it("has exactly one placeholder, replaced by the quoted binary path", () => {
    expect(file.split(PLACEHOLDER).length).toBe(2);
    const hook = renderHook(nu, EXE);
    expect(hook).not.toContain(PLACEHOLDER);
    expect(hook).toContain(nu.quote(EXE));
  });

  it("passes nu-check as it stands and once rendered, and loads without a word", () => {
    const raw = path.join(work, "raw.nu");
    writeFileSync(raw, file);
    for (const hook of [raw, hookFile(EXE)]) {
      const { values, stderr } = runScript("nu", `nu-check --debug ${nu.quote(hook)}; source ${nu.quote(hook)}; ${printAll("[ok]")}`);
      expect({ values, stderr }).toEqual({ values: ["ok"], stderr: "" });
    }
  });

  it("loads twice without adding its handlers twice, after the ones already there", () => {
    const hook = nu.quote(hookFile(EXE));
    const { values, stderr } = runScript(
      "nu",
      [
        "$env.config.hooks.pre_prompt = [{|| 'mine' }]",
        "$env.config.hooks.env_change.PWD = [{condition: {|before, after| true}, code: 'print mine'}]",
        `source ${hook}`,
        `source ${hook}`,
        printAll(
          "[...$env.config.hooks.pre_prompt ...$env.config.hooks.env_change.PWD] | each {|h| if ($h | describe) == closure { view source $h | str replace -ra '\\s+' ' ' } else { $h.code } }",
        ),
      ].join("\n"),
    );
    expect(stderr).toBe("");
    expect(values).toEqual(["{|| 'mine' }", "{|| __venvhook_update __venvhook_wrap_prompt }", "print mine", "{|before, after| __venvhook_update }"]);
  });

  it("applies any values exactly as the binary computed them, running none of them", () => {
    const hook = nu.quote(hookFile(fake));
    /** PATH entries cannot hold the separator. */
    const pathEntry = hostile.filter((s) => !s.includes(":") && s.length > 0);
    let n = 0;
    fc.assert(
      fc.property(hostile, hostile, hostile, fc.array(pathEntry, { minLength: 1, maxLength: 4 }), (env, prompt, told, entries) => {
        const output = path.join(work, `output-${n++}.json`);
        writeFileSync(
          output,
          nu.render(
            [
              { name: "VIRTUAL_ENV", value: env },
              { name: "VIRTUAL_ENV_PROMPT", value: prompt },
              { name: "VENVHOOK_STATE", value: `c3RhdGU:${env}` },
              { name: "PATH", value: entries.join(":") },
            ],
            { __venvhook_told: told },
          ),
        );
        const { values, stderr } = runScript(
          "nu",
          [
            `cd ${nu.quote(work)}`,
            `source ${hook}`,
            "__venvhook_export",
            printAll("[$env.VIRTUAL_ENV $env.VIRTUAL_ENV_PROMPT $env.__venvhook.told (__venvhook_prefix) ...$env.PATH]"),
            // Again: the binary is given the PATH it made.
            "__venvhook_export",
          ].join("\n"),
          { VH_OUTPUT: output },
        );
        expect(stderr).toBe("");
        expect(values).toEqual([env, prompt, told, env ? `(${prompt}) ` : "", ...entries]);
        expect(readFileSync(`${output}.path`, "utf8")).toBe(entries.join(":"));
        expect(readdirSync(work).filter((f) => f.includes("pwned"))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("hides what it is told to unset", () => {
    const output = path.join(work, "unset.json");
    writeFileSync(output, nu.render([{ name: "VIRTUAL_ENV", value: undefined }], {}));
    const { values } = runScript(
      "nu",
      `$env.VIRTUAL_ENV = 'x'; source ${nu.quote(hookFile(fake))}; __venvhook_export; ${printAll("[('VIRTUAL_ENV' in $env)]")}`,
      { VH_OUTPUT: output },
    );
    expect(values).toEqual(["false"]);
  });

  it("works under all of nushell's experimental options (pipefail, runtime type checks, cell path types...)", () => {
    const output = path.join(work, "strict.json");
    const venv = "/p/it's (x)/.venv";
    writeFileSync(
      output,
      nu.render(
        [
          { name: "VIRTUAL_ENV", value: venv },
          { name: "VIRTUAL_ENV_PROMPT", value: "$(x) %n" },
          { name: "VENVHOOK_STATE", value: `c3RhdGU:${venv}` },
          { name: "PATH", value: "/p/bin:/usr/bin:/bin" },
          { name: "PYTHONHOME", value: undefined },
        ],
        { __venvhook_told: "k1 k2" },
      ),
    );
    const hook = nu.quote(hookFile(fake));
    const script = [
      "$env.PYTHONHOME = '/py'",
      "$env.PROMPT_COMMAND = {|| 'mine> ' }",
      `source ${hook}`,
      `source ${hook}`,
      "__venvhook_update",
      "__venvhook_wrap_prompt",
      printAll("[$env.VIRTUAL_ENV ('PYTHONHOME' in $env) $env.__venvhook.told (do $env.PROMPT_COMMAND) ($env.config.hooks.pre_prompt | length)]"),
    ].join("\n");
    const result = spawnSync(shellExecutable("nu")!, ["--experimental-options", "all", ...nuDialect.script(script)], {
      env: { PATH: process.env.PATH, HOME: work, VH_OUTPUT: output },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\0").slice(0, -1)).toEqual([venv, "false", "k1 k2", "($(x) %n) mine> ", "1"]);
  });

  it("quotes the binary's path into the hook, whatever it is called", () => {
    fc.assert(
      fc.property(hostile, (executable) => {
        const { values } = runScript("nu", `source ${nu.quote(hookFile(executable))}; ${printAll("[$env.__venvhook.bin]")}`);
        expect(values).toEqual([executable]);
      }),
      { numRuns: 40 },
    );
  });
});
