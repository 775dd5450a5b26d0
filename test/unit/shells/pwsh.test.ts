// What venvhook prints for PowerShell, read by a real PowerShell parser
// (tree-sitter-powershell), a second line of defence behind the live tests
// (test/e2e/pwsh.test.ts) that also holds where pwsh is not installed: the
// hook, and any output of render(). Where that grammar is looser than PowerShell (it does not know that
// PowerShell reads the typographic quotes U+2018..U+201B as single quotes), the
// string literals are also decoded here exactly as PowerShell's tokenizer does
// (Tokenizer.ScanStringLiteral: a pair of any two quote characters stands for
// the second; a lone one ends the string).
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Change } from "../../../src/activation/plan.ts";
import { PLACEHOLDER, renderHook } from "../../../src/shells/adapter.ts";
import { pwsh, quotePwsh } from "../../../src/shells/pwsh.ts";
import { decodeJoined, decodeVerbatim, invalidVariableReferences, parsePowerShell, powerShellTree, sole, syntaxErrors, topLevelStatements, type SyntaxNode } from "../../support/powershell-parser.ts";

const EXE = "/opt/venv hook/it's $(bin) `x` \u2019q\u2018 \"d\"/venvhook";

/** Strings built to hurt PowerShell: every quote it knows, expansions, escapes, newlines, non-ASCII; never NUL. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "'", "\u2018", "\u2019", "\u201a", "\u201b", "''", "'\u2019", '"', "\u201c", "\u201d", "\u201e",
      "$", "`", "\\", "\n", "\r", "\r\n", "\t", " ", "(", ")", "{", "}", ";", "&", "|", "@", "#", "<#", "#>",
      "$(Remove-Item pwned)", "`$(x)", "$env:HOME", "${x}", "@'", "'@", "\u2014", "\u00a0", "\u2028", "\u0085",
      "é", "日本", "🐍", "\u001b[31m", "\ufeff",
    ),
    fc
      .integer({ min: 1, max: 0x10ffff })
      .filter((code) => code < 0xd800 || code > 0xdfff)
      .map((code) => String.fromCodePoint(code)),
  ),
  maxLength: 40,
});

type Statement = { kind: "set"; target: string; value: string } | { kind: "remove"; name: string };

/** What a top-level statement does, if it is one of the forms the adapter prints; throws otherwise. */
function readStatement(statement: SyntaxNode): Statement {
  const assignment = statement.namedChildren[0];
  if (statement.type === "pipeline" && statement.namedChildCount === 1 && assignment?.type === "assignment_expression") {
    // $env:NAME = '...'   or   $global:NAME = '...'
    const [left, operator, right] = assignment.children;
    if (assignment.childCount !== 3 || !left || !operator || !right || operator.text !== "=") {
      throw new Error(`not a plain assignment: ${statement.text}`);
    }
    const variable = sole(left, "variable");
    if (variable.text !== left.text || !/^\$(env|global):[A-Za-z_]\w*$/.test(variable.text)) {
      throw new Error(`assigns to something else: ${left.text}`);
    }
    return { kind: "set", target: variable.text, value: decodeJoined(right) };
  }
  // Remove-Item -LiteralPath Env:\NAME -ErrorAction Ignore
  const command = sole(statement, "command");
  const name = command.childForFieldName("command_name");
  const elements = command.childForFieldName("command_elements")?.namedChildren.filter((n) => n.type !== "command_argument_sep");
  const words = elements?.map((n) => `${n.type} ${n.text}`);
  const removed = /^generic_token Env:\\([A-Za-z_]\w*)$/.exec(words?.[1] ?? "");
  if (
    name?.text !== "Remove-Item" ||
    words?.length !== 4 ||
    words[0] !== "command_parameter -LiteralPath" ||
    !removed ||
    words[2] !== "command_parameter -ErrorAction" ||
    words[3] !== "generic_token Ignore"
  ) {
    throw new Error(`not a statement the adapter prints: ${statement.text}`);
  }
  return { kind: "remove", name: removed[1]! };
}

/** What render() was asked to print, as statements. */
function expected(changes: readonly Change[], locals: Readonly<Record<string, string>>): Statement[] {
  return [
    ...changes.map(({ name, value }): Statement => (value === undefined ? { kind: "remove", name } : { kind: "set", target: `$env:${name}`, value })),
    ...Object.entries(locals).map(([name, value]): Statement => ({ kind: "set", target: `$global:${name}`, value })),
  ];
}

/** Parses and reads a text made only of the adapter's statements. */
function readAll(text: string): { errors: string[]; statements: Statement[] } {
  // Nothing to do is printed as nothing, which the hook does not evaluate (and which this grammar cannot parse).
  if (!text.trim()) return { errors: [], statements: [] };
  const root = powerShellTree(text);
  return { errors: syntaxErrors(root), statements: topLevelStatements(root).map(readStatement) };
}

const name = fc.oneof(
  fc.constantFrom("PATH", "Path", "VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PYTHONHOME", "VENVHOOK_STATE"),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/),
);
const changes = fc.array(fc.record({ name, value: fc.option(hostile, { nil: undefined }) }), { maxLength: 6 });
const locals = fc.option(hostile, { nil: undefined }).map((told): Record<string, string> => (told === undefined ? {} : { __venvhook_told: told }));

describe("pwsh escaper", () => {
  it("doubles the ASCII quote and the four typographic single quotes, and nothing else", () => {
    expect(quotePwsh("")).toBe("''");
    expect(quotePwsh("it's")).toBe("'it''s'");
    expect(quotePwsh("\u2018a\u2019b\u201ac\u201bd")).toBe("'\u2018\u2018a\u2019\u2019b\u201a\u201ac\u201b\u201bd'");
    expect(quotePwsh("'\u2019")).toBe("'''\u2019\u2019'");
    // Double quotes, typographic ones too, mean nothing inside single quotes.
    expect(quotePwsh('"\u201c\u201d\u201e $(x) `n $env:HOME')).toBe(`'"\u201c\u201d\u201e $(x) \`n $env:HOME'`);
    for (const value of ["\u2019", "\u2018\u2018", "a\u201b", "'\u201a'", "x\u2019; Remove-Item pwned; \u2019"]) {
      expect(decodeVerbatim(quotePwsh(value))).toBe(value);
    }
  });

  it("would be wrong without doubling the typographic quotes: PowerShell ends the string there", () => {
    expect(() => decodeVerbatim("'it\u2019s'")).toThrow(/ends this string/);
    // tree-sitter-powershell does not know that, which is why values are decoded here too.
    expect(parsePowerShell("$env:X = 'it\u2019s'").errors).toEqual([]);
  });

  it("prints assignments, removals and the session's own variable, one statement a line", () => {
    const text = pwsh.render(
      [
        { name: "VIRTUAL_ENV", value: "/p/.venv" },
        { name: "PYTHONHOME", value: undefined },
      ],
      { __venvhook_told: "k1 k2" },
    );
    expect(text).toBe(
      "$env:VIRTUAL_ENV = '/p/.venv'\nRemove-Item -LiteralPath Env:\\PYTHONHOME -ErrorAction Ignore\n$global:__venvhook_told = 'k1 k2'\n",
    );
    expect(parsePowerShell(text)).toEqual({ errors: [], statements: text.trimEnd().split("\n") });
    expect(pwsh.render([], {})).toBe("");
  });

  it("refuses a name it could not print as it stands", () => {
    for (const bad of ["", "A-B", "X}", "1X", "A:B", "Env:\\X", "X Y", "\u00e9"]) {
      expect(() => pwsh.render([{ name: bad, value: "v" }], {})).toThrow(/not a variable name/);
      expect(() => pwsh.render([], { [bad]: "v" })).toThrow(/not a variable name/);
    }
  });

  it("prints, for any values, only its own statements, each value one verbatim string that reads back unchanged", () => {
    fc.assert(
      fc.property(changes, locals, (changes, locals) => {
        const { errors, statements } = readAll(pwsh.render(changes, locals));
        expect(errors).toEqual([]);
        expect(statements).toEqual(expected(changes, locals));
      }),
      { numRuns: 500 },
    );
  });

  it("prints no CR, so the hook's capture (lines split on CR and LF, joined with LF) changes nothing", () => {
    // `$out = & $bin export pwsh` splits the output into lines, `-join "`n"` puts them back.
    expect(quotePwsh("a\rb\r\n'")).toBe(`('a' + "\`r" + 'b' + "\`r" + '\n''')`);
    fc.assert(
      fc.property(changes, locals, (changes, locals) => {
        const printed = pwsh.render(changes, locals);
        expect(printed).not.toContain("\r");
        expect(readAll(printed.split(/\r\n|\r|\n/).join("\n")).statements).toEqual(expected(changes, locals));
      }),
      { numRuns: 200 },
    );
  });
});

describe("pwsh hook", () => {
  const file = readFileSync("shells/venvhook.ps1", "utf8");

  /** The path the hook will run, read back from the first statement of its body. */
  const binOf = (hook: string): string => {
    const [first] = versionCheck(powerShellTree(hook)).body;
    const read = readStatement(first!);
    if (read.kind !== "set" || read.target !== "$global:__venvhook_bin") throw new Error(`first statement: ${first?.text}`);
    return read.value;
  };

  it("has exactly one placeholder, replaced by the quoted binary path", () => {
    expect(file.split(PLACEHOLDER).length).toBe(2);
    const hook = renderHook(pwsh, EXE);
    expect(hook).not.toContain(PLACEHOLDER);
    expect(hook).toContain(`$global:__venvhook_bin = ${quotePwsh(EXE)}\n`);
  });

  it("parses as it stands, the placeholder being a bare word (a command name)", () => {
    expect(parsePowerShell(file).errors).toEqual([]);
    const { body } = versionCheck(powerShellTree(file));
    expect(body[0]?.text).toBe(`$global:__venvhook_bin = ${PLACEHOLDER}`);
    const placeholder = powerShellTree(`$x = ${PLACEHOLDER}`).descendantsOfType("command_name");
    expect(placeholder.map((n) => n.text)).toEqual([PLACEHOLDER]);
  });

  it("parses once rendered with a hostile path, and runs exactly that path", () => {
    expect(parsePowerShell(renderHook(pwsh, EXE)).errors).toEqual([]);
    expect(binOf(renderHook(pwsh, EXE))).toBe(EXE);
    fc.assert(
      fc.property(hostile, (executable) => {
        const hook = renderHook(pwsh, executable);
        expect(syntaxErrors(powerShellTree(hook))).toEqual([]);
        expect(binOf(hook)).toBe(executable);
      }),
      { numRuns: 100 },
    );
  });

  it("defines its functions in the global scope, and puts its prompt before the user's with an alias", () => {
    const root = powerShellTree(file);
    const functions = root.descendantsOfType("function_name").map((n) => n.text);
    expect(functions).toEqual([
      "global:__venvhook_export",
      "global:__venvhook_define_deactivate",
      "global:deactivate",
      "global:__venvhook_pointer_line",
      "global:__venvhook_update",
      "global:__venvhook_prompt_prefix",
      "global:venvhook",
      "global:__venvhook_prompt",
    ]);
    const body = versionCheck(root).body;
    expect(body.filter((n) => n.type === "function_statement")).toHaveLength(7);
    expect(body.at(-1)?.text).toBe("Set-Alias -Name prompt -Value __venvhook_prompt -Scope Global -Force");
  });

  it("first checks the version: below 7 it says so in one line and defines, sets and hooks nothing", () => {
    const root = powerShellTree(file);
    // The whole hook is one statement: the check, with everything else in its else branch.
    expect(topLevelStatements(root).map((n) => n.type)).toEqual(["if_statement"]);
    const { check, unsupported, body } = versionCheck(root);
    expect(check.childForFieldName("condition")?.text).toBe("$PSVersionTable.PSVersion.Major -lt 7");
    expect(check.childForFieldName("elseif_clauses")).toBeNull();
    // Below 7: one call writing one line to the host's error output, and nothing else.
    expect(unsupported.map((n) => n.text)).toEqual([
      `$Host.UI.WriteErrorLine("venvhook: $(if ($PSVersionTable.PSEdition -ceq 'Core') { 'PowerShell' } else { 'Windows PowerShell' }) ` +
        `$($PSVersionTable.PSVersion) is not supported; use PowerShell 7 (pwsh)")`,
    ]);
    const effects = ["assignment_expression", "function_statement", "command", "pre_increment_expression", "post_increment_expression"];
    expect(unsupported.flatMap((n) => n.descendantsOfType(effects))).toEqual([]);
    // Everything the hook installs is in the supported branch.
    expect(body.length).toBeGreaterThan(10);
    expect(body.map((n) => n.text).join("\n")).toContain("LocationChangedAction");
  });

  it("uses no syntax newer than Windows PowerShell 5.1, which must parse the whole file to reach the check", () => {
    // tree-sitter-powershell knows PowerShell 7's && and || (a pipeline_chain_tail) and
    // fails on its other additions (?:, ??, ??=, ?.): no error and no chain operator means 5.1 parses it too.
    for (const text of [file, renderHook(pwsh, EXE)]) {
      const root = powerShellTree(text);
      expect(syntaxErrors(root)).toEqual([]);
      expect(root.descendantsOfType("pipeline_chain_tail").map((n) => n.text)).toEqual([]);
      expect(invalidVariableReferences(root)).toEqual([]);
    }
  });
});

/** The hook's one top-level statement: `if (<version> -lt 7) { <unsupported> } else { <body> }`. */
function versionCheck(root: SyntaxNode): { check: SyntaxNode; unsupported: SyntaxNode[]; body: SyntaxNode[] } {
  const [check, ...rest] = topLevelStatements(root);
  if (!check || check.type !== "if_statement" || rest.length) throw new Error("the hook is not one if statement");
  const statements = (block: SyntaxNode | null | undefined): SyntaxNode[] => {
    if (block?.type !== "statement_block") throw new Error(`not a block: ${block?.type}`);
    return (block.namedChildren.find((n) => n.type === "statement_list")?.namedChildren ?? []).filter((n) => n.type !== "comment");
  };
  const then = check.namedChildren.find((n) => n.type === "statement_block");
  const otherwise = check.childForFieldName("else_clause")?.namedChildren.find((n) => n.type === "statement_block");
  return { check, unsupported: statements(then), body: statements(otherwise) };
}
