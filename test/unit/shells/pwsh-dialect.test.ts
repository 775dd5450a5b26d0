// The e2e driver's PowerShell (test/support/dialects/pwsh.ts), read by
// tree-sitter-powershell, so that it holds for any file name and value, also
// where pwsh is not installed: everything it types or writes into a pwsh
// session (the rc preamble, run()'s wrapper around commands, each spelling),
// with hostile file names and values that must come back unchanged.
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { quotePwsh } from "../../../src/shells/pwsh.ts";
import { dialectOf } from "../../support/dialects/index.ts";
import { pwsh } from "../../support/dialects/pwsh.ts";
import {
  decodeJoined,
  decodeVerbatim,
  invalidVariableReferences,
  powerShellTree,
  syntaxErrors,
  topLevelStatements,
  type SyntaxNode,
} from "../../support/powershell-parser.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "vh-pwsh-dialect-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** File names that hurt PowerShell: every quote it knows, expansions, escapes, wildcards, non-ASCII. */
const hostileName = fc.string({
  unit: fc.constantFrom(
    "a", "/", " ", "'", "\u2018", "\u2019", "\u201a", "\u201b", '"', "\u201c", "$", "`", "(", ")", "{", "}", "[", "]", "*", "?",
    ";", "&", "|", "#", "<#", "é", "日本", "🐍", "$(Remove-Item x)", "${x}", "@'", "\t", "\n",
  ),
  minLength: 1,
  maxLength: 30,
});

/** Values: the same, and any character but NUL. */
const hostileValue = fc.oneof(
  hostileName,
  fc.string({ unit: fc.integer({ min: 1, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)) }),
);

/** A text the dialect makes must parse whole, with nothing PowerShell would reject that the grammar takes. */
function parsed(text: string): SyntaxNode {
  const root = powerShellTree(text);
  expect(syntaxErrors(root), text).toEqual([]);
  expect(invalidVariableReferences(root), text).toEqual([]);
  return root;
}

/** Every verbatim string in a text, decoded. */
const verbatims = (root: SyntaxNode): string[] => root.descendantsOfType("verbatim_string_characters").map((n) => decodeVerbatim(n.text));

describe("pwsh dialect (the e2e driver's PowerShell)", () => {
  it("is the dialect registered for pwsh", () => {
    expect(dialectOf("pwsh")).toBe(pwsh);
  });

  it("preamble: parses, binds F20 to append to the mark file, and keeps $? in the handler", () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const mark = path.join("/tmp", name, "prompt-marks");
        const root = parsed(pwsh.preamble(mark));
        const handler = root
          .descendantsOfType("command")
          .find((c) => c.childForFieldName("command_name")?.text === "Set-PSReadLineKeyHandler");
        expect(handler?.text).toMatch(/^Set-PSReadLineKeyHandler -Chord F20 -ScriptBlock \{ \$ok = \$\?; /);
        expect(verbatims(handler!)).toContain(mark);
        expect(handler!.text).toMatch(/if \(-not \$ok\) \{ Write-Error -Message '' -ErrorAction Ignore \} \}$/);
      }),
      { numRuns: 100 },
    );
  });

  it("wrap: parses for any file names, reads them back, and runs the command as it was typed", () => {
    const commands = [
      "venvhook allow",
      "python -c 'import sys; print(sys.prefix)'",
      "cd 'it''s'; sh -c 'exit 4'",
      pwsh.get("VIRTUAL_ENV"),
      pwsh.set("VIRTUAL_ENV", "/x/it's\t$(y)"),
      pwsh.editPath("/mine/first", "/mine/last"),
      pwsh.status!,
      pwsh.noop,
      "# a comment",
      "if ($true) {\n  'two lines'\n}",
    ];
    fc.assert(
      fc.property(hostileName, fc.constantFrom(...commands), (name, command) => {
        const dir = path.join("/tmp", name);
        const files = { out: path.join(dir, "out.1"), err: path.join(dir, "err.1"), done: path.join(dir, "done.1") };
        const text = pwsh.wrap(command, files);
        const root = parsed(text);
        const top = topLevelStatements(root).filter((n) => n.type !== "empty_statement");
        expect(top.map((n) => n.type)).toEqual(["pipeline", "try_statement", "pipeline"]);
        expect(top[0]!.text).toBe("__vh_e2e_begin $?");
        expect(top[2]!.text).toBe(`__vh_e2e_done ${pwsh.typed(files.done)}`);
        const [doneArg, ...more] = top[2]!.descendantsOfType("command_elements")[0]!.namedChildren.filter((n) => n.type !== "command_argument_sep");
        expect(more).toEqual([]);
        expect(decodeJoined(doneArg!)).toBe(files.done);
        // The command is its own lines inside the dot-sourced block, between the wrapper's.
        const [first] = text.split("\n");
        expect(text.startsWith(`${first}\n${command}\n$global:__vh_e2e.ok = $? } 2> `)).toBe(true);
        // 2> err | Out-File -LiteralPath out, and err again in the catch.
        const targets = top[1]!.descendantsOfType("redirected_file_name").map(decodeJoined);
        expect(targets).toEqual([files.err]);
        const outFile = top[1]!
          .descendantsOfType("command")
          .filter((c) => c.childForFieldName("command_name")?.text === "Out-File")
          .map((c) => {
            const elements = c.descendantsOfType("command_elements")[0]!.namedChildren.filter((n) => n.type !== "command_argument_sep");
            const at = elements.findIndex((n) => n.text === "-LiteralPath");
            return decodeJoined(elements[at + 1]!);
          });
        expect(outFile).toEqual([files.out, files.err]);
        expect(text).not.toContain("\t");
      }),
      { numRuns: 200 },
    );
  });

  it("spells values so that they read back unchanged, tabs included", () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        const typed = pwsh.typed(value);
        if (!value.includes("\t")) expect(typed).not.toContain("\t");
        const [assignment] = topLevelStatements(parsed(`$x = ${typed}`));
        expect(decodeJoined(assignment!.namedChildren[0]!.children[2]!)).toBe(value);

        const [set] = topLevelStatements(parsed(pwsh.set("VIRTUAL_ENV", value)));
        expect(set!.text.startsWith("$env:VIRTUAL_ENV = ")).toBe(true);
        expect(decodeJoined(set!.namedChildren[0]!.children[2]!)).toBe(value);

        const [use] = topLevelStatements(parsed(pwsh.useBinary(value)));
        expect(use!.text.startsWith("$global:__venvhook_bin = ")).toBe(true);
        expect(decodeJoined(use!.namedChildren[0]!.children[2]!)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it("editPath puts both values around PATH; get, path, status, noop and prompt parse", () => {
    fc.assert(
      fc.property(hostileValue, hostileValue, (before, after) => {
        const root = parsed(pwsh.editPath(before, after));
        const list = root.descendantsOfType("array_literal_expression").find((n) => n.namedChildCount === 3);
        const items = list!.namedChildren.filter((n) => n.type !== "comment");
        expect(items).toHaveLength(3);
        expect(decodeJoined(items[0]!)).toBe(before);
        expect(items[1]!.text).toBe("$env:PATH");
        expect(decodeJoined(items[2]!)).toBe(after);
      }),
      { numRuns: 100 },
    );
    for (const text of [pwsh.get("VIRTUAL_ENV_PROMPT"), pwsh.path(), pwsh.status!, pwsh.noop, pwsh.prompt]) parsed(text);
  });

  it("initLine is the README's line with the binary's path, and the rc start() writes parses", () => {
    const readme = readFileSync("README.md", "utf8");
    const line = /^\| PowerShell 7\+ \| `\$PROFILE` \| ``(.+)`` \|$/m.exec(readme)![1]!;
    fc.assert(
      fc.property(hostileName, (name) => {
        const bin = path.join("/opt", name, "venvhook");
        const init = pwsh.initLine(bin);
        expect(init).toBe(line.replace("& venvhook init", () => `& ${quotePwsh(bin)} init`));
        expect(verbatims(parsed(init))).toEqual([bin]);
      }),
      { numRuns: 50 },
    );
    const rc = ["# --- preamble ---", pwsh.preamble(path.join(scratch, "it's", "marks")), pwsh.prompt, pwsh.initLine("/opt/it's/venvhook"), ""].join("\n");
    const { args } = pwsh.start(rc, { dir: scratch, env: {} });
    expect(args.slice(0, 4)).toEqual(["-NoLogo", "-NoProfile", "-NoExit", "-Command"]);
    const dotSource = parsed(args[4]!);
    const file = path.join(scratch, "rc.ps1");
    expect(dotSource.text).toBe(`. ${pwsh.typed(file)}`);
    expect(verbatims(dotSource)).toEqual([file]);
    expect(readFileSync(file, "utf8")).toBe(rc);
    parsed(rc);
  });
});
