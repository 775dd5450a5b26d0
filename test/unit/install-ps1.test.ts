// install.ps1, read by a real PowerShell parser (tree-sitter-powershell),
// everywhere, including what cannot run on Linux (Windows PowerShell 5.1, the
// registry): it parses, Windows PowerShell 5.1 can read it, it never asks anything, the lines it adds to the profile and the ones it
// removes are the same three strings, the init line is the README's, and the
// user's Path is read and written as rustup and scoop do. What it does when it
// runs on Linux is tested in test/e2e/install-ps1.test.ts, in a real pwsh.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  decodeVerbatim,
  invalidVariableReferences,
  parsePowerShell,
  powerShellTree,
  syntaxErrors,
  topLevelStatements,
  type SyntaxNode,
} from "../support/powershell-parser.ts";

const text = readFileSync("install.ps1", "utf8");
const root = powerShellTree(text);
const readme = readFileSync("README.md", "utf8");

/** Every function of the script, by name. */
const functions = new Map(
  root.descendantsOfType("function_statement").map((node) => [node.descendantsOfType("function_name")[0]!.text, node] as const),
);

/** The statements at the top of the script, after its param block. */
const top = topLevelStatements(root);

/** The top-level assignments of a string literal: `$Name = '...'`. */
function assignedStrings(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const node of root.descendantsOfType("assignment_expression")) {
    const [left, , right] = node.children;
    const name = left?.text ?? "";
    const literal = right?.descendantsOfType("verbatim_string_characters") ?? [];
    if (literal.length !== 1 || literal[0]!.text !== right?.text) continue;
    found.set(name, [...(found.get(name) ?? []), decodeVerbatim(literal[0]!.text)]);
  }
  return found;
}

/** `.Name(...)` calls: the member name and the text of each argument. */
function calls(node: SyntaxNode, member: string): string[][] {
  return node
    .descendantsOfType("invokation_expression")
    .filter((call) => call.namedChildren.some((child) => child.type === "member_name" && child.text === member))
    .map((call) => {
      const list = call.namedChildren.find((child) => child.type === "argument_list");
      const args = list?.namedChildren.find((child) => child.type === "argument_expression_list");
      return args?.namedChildren.filter((arg) => arg.type === "argument_expression").map((arg) => arg.text) ?? [];
    });
}

/** The variables a function reads, by name. */
const variablesIn = (node: SyntaxNode): Set<string> => new Set(node.descendantsOfType("variable").map((v) => v.text.toLowerCase()));

/** Names of the functions a function calls (commands that are functions of this script). */
const callees = (node: SyntaxNode): Set<string> =>
  new Set(node.descendantsOfType("command_name").map((n) => n.text).filter((name) => functions.has(name)));

/** Every function reachable from `name`, itself included. */
function reachable(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const callee of callees(functions.get(name)!)) reachable(callee, seen);
  return seen;
}

describe("install.ps1", () => {
  it("parses with no error node, and uses nothing Windows PowerShell 5.1 cannot read", () => {
    expect(syntaxErrors(root)).toEqual([]);
    // PowerShell 7's && and || (its ?:, ??, ?. are parse errors in this grammar).
    expect(root.descendantsOfType("pipeline_chain_tail").map((n) => n.text)).toEqual([]);
    // Windows PowerShell reads a script without a byte order mark in the ANSI code page.
    expect([...text].filter((c) => c.charCodeAt(0) > 0x7e || (c < " " && c !== "\n"))).toEqual([]);
    // What PowerShell rejects and this grammar does not: "$name: ..." in a string.
    expect(invalidVariableReferences(root)).toEqual([]);
  });

  it("takes -Binary, -NoModifyProfile, -Uninstall and -Help, and the docs (docs/shells.md, linked from the README) document them", () => {
    const params = root.children.find((n) => n.type === "param_block")!;
    expect(params.descendantsOfType("script_parameter").map((p) => p.descendantsOfType("variable")[0]!.text)).toEqual([
      "$Binary",
      "$NoModifyProfile",
      "$Uninstall",
      "$Help",
    ]);
    // No [CmdletBinding()]: an unknown option lands in $args and gets the script's own one-line error.
    expect(root.descendantsOfType("attribute_name").map((n) => n.text)).not.toContain("CmdletBinding");
    const shellsDoc = readFileSync("docs/shells.md", "utf8");
    for (const option of ["-Binary", "-NoModifyProfile", "-Uninstall"]) expect(shellsDoc).toContain(option);
  });

  it("stops at the first error, under strict mode, before doing anything else", () => {
    expect(top.slice(0, 2).map((n) => n.text)).toEqual(["$ErrorActionPreference = 'Stop'", "Set-StrictMode -Version Latest"]);
  });

  it("never asks anything", () => {
    const commands = root.descendantsOfType("command_name").map((n) => n.text.toLowerCase());
    for (const asks of ["read-host", "pause", "get-credential", "out-gridview", "show-command", "choice", "timeout"]) {
      expect(commands).not.toContain(asks);
    }
    const members = root.descendantsOfType("member_name").map((n) => n.text.toLowerCase());
    for (const asks of ["prompt", "promptforchoice", "promptforcredential", "readline", "readkey", "readlineassecurestring"]) {
      expect(members).not.toContain(asks);
    }
    // -Confirm, if ever given, only as -Confirm:$false.
    for (const param of root.descendantsOfType("command_parameter").filter((n) => /^-confirm/i.test(n.text))) {
      expect(`${param.text}${param.nextSibling?.text}${param.nextSibling?.nextSibling?.text}`).toBe("-Confirm:$false");
    }
    // Remove-Item on a folder with contents asks first; files and folders are removed with .NET calls.
    expect(commands).not.toContain("remove-item");
  });

  it("adds and removes the same three lines: one assignment each, used by both sides", () => {
    const strings = assignedStrings();
    const [begin, end, line] = ["$BeginMarker", "$EndMarker", "$InitLine"].map((name) => {
      expect(strings.get(name), name).toHaveLength(1);
      return strings.get(name)![0]!;
    });
    for (const marker of [begin!, end!]) {
      expect(marker).toMatch(/^# .*venvhook install\.ps1/);
      // The marker's text is written nowhere else: every use goes through the variable.
      expect(text.split(marker)).toHaveLength(2);
    }
    expect(begin).not.toBe(end);
    expect(text.split(line!)).toHaveLength(2);
    // The one pattern that finds the lines, for adding and for removing, is built from the three variables.
    const pattern = functions.get("Get-BlockPattern")!;
    expect([...variablesIn(pattern)].filter((v) => /marker|initline/.test(v)).sort()).toEqual(["$beginmarker", "$endmarker", "$initline"]);
    for (const side of ["Add-ProfileBlock", "Remove-ProfileBlock"]) {
      expect(callees(functions.get(side)!), side).toContain("Get-BlockPattern");
    }
    // What Add-ProfileBlock writes is exactly begin, line, end.
    const add = functions.get("Add-ProfileBlock")!;
    expect(add.text).toContain("$block = $BeginMarker + $nl + $InitLine + $nl + $EndMarker");
  });

  it("writes the README's PowerShell init line, which parses", () => {
    const row = /^\| PowerShell 7\+ \| `\$PROFILE` \| ``(.+)`` \|$/m.exec(readme);
    expect(row, "the README's PowerShell row").not.toBeNull();
    const line = assignedStrings().get("$InitLine")![0];
    expect(line).toBe(row![1]);
    expect(parsePowerShell(line!).errors).toEqual([]);
  });

  it("reads the user's Path unexpanded and writes it back with the kind it had, never through SetEnvironmentVariable or setx", () => {
    const reads = calls(root, "GetValue");
    expect(reads.length).toBeGreaterThan(0);
    for (const args of reads) expect(args.join(", ")).toContain("[Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames");
    const writes = calls(root, "SetValue");
    expect(writes.length).toBeGreaterThan(0);
    for (const args of writes) {
      expect(args).toHaveLength(3);
      // The kind read from the value itself, or REG_EXPAND_SZ for a Path that did not exist.
      expect(["$current.Kind", "[Microsoft.Win32.RegistryValueKind]::ExpandString"]).toContain(args[2]);
    }
    expect(text).toContain("$kind = $Key.GetValueKind($name)");
    // SetEnvironmentVariable(..., 'User') and setx turn %USERPROFILE% entries into fixed paths (setx also cuts at 1024 characters).
    expect(root.descendantsOfType("member_name").map((n) => n.text)).not.toContain("SetEnvironmentVariable");
    expect(root.descendantsOfType("command_name").map((n) => n.text.toLowerCase())).not.toContain("setx");
    expect(text).not.toMatch(/LocalMachine|HKLM/);
  });

  it("installs to $env:LOCALAPPDATA\\Programs\\venvhook, and removes from the Path only the entry it adds", () => {
    const dir = functions.get("Get-InstallDir")!.text;
    expect(dir).toContain("[System.IO.Path]::Combine((Get-LocalAppData), 'Programs', 'venvhook')");
    expect(functions.get("Get-LocalAppData")!.text).toContain("$env:LOCALAPPDATA");
    // Both sides compare entries with one function; removal takes exactly the entries equal to the folder.
    expect(callees(functions.get("Add-UserPath")!)).toContain("Test-SameFolder");
    expect(functions.get("Remove-UserPath")!.text).toContain("$kept = @($entries | Where-Object { -not (Test-SameFolder $_ $Folder) })");
  });

  it("says every error in one line starting with venvhook:, from one place", () => {
    // One throw, in Fail; one place that prints it.
    const throws = root.descendantsOfType("flow_control_statement").filter((n) => n.child(0)?.type === "throw");
    expect(throws).toHaveLength(1);
    let owner: SyntaxNode | null = throws[0]!;
    while (owner && owner.type !== "function_statement") owner = owner.parent;
    expect(owner?.descendantsOfType("function_name")[0]?.text).toBe("Fail");
    // Whatever goes to stderr starts with "venvhook: " (warnings: "venvhook: warning: ").
    const stderr = root.descendantsOfType("invokation_expression").filter((c) => c.text.startsWith("[Console]::Error.WriteLine("));
    expect(stderr.map((c) => c.text)).toEqual([
      '[Console]::Error.WriteLine("venvhook: warning: $Message")',
      '[Console]::Error.WriteLine("venvhook: $(Get-FirstLine $_)")',
    ]);
    for (const noisy of ["write-error", "write-warning"]) {
      expect(root.descendantsOfType("command_name").map((n) => n.text.toLowerCase())).not.toContain(noisy);
    }
  });

  it("runs programs with stderr not turned into errors, as Windows PowerShell 5.1 would under 'Stop'", () => {
    for (const name of ["Invoke-Program", "Get-BinaryVersion"]) {
      const body = functions.get(name)!;
      expect(body.text, name).toContain("$ErrorActionPreference = 'Continue'");
    }
    // Every program run by name (npm, node, chmod) goes through them, except `node --version`.
    const native = root
      .descendantsOfType("command")
      .filter((c) => c.childForFieldName("command_name")?.text.match(/^(npm|chmod|git|bun)$/));
    expect(native.map((c) => c.text)).toEqual([]);
    expect(reachable("Build-FromCheckout")).toContain("Invoke-Program");
  });

  it("keeps what it reads as text exactly: the profile is decoded to give back its bytes", () => {
    const read = functions.get("Read-TextFile")!.text;
    expect(read).toContain("[System.Text.Encoding]::GetEncoding(28591)");
    expect(read).toContain("StructuralEqualityComparer.Equals($bytes, $encoding.GetBytes($text))");
    const remove = functions.get("Remove-ProfileBlock")!;
    expect(callees(remove)).toEqual(new Set(["Read-TextFile", "Get-BlockPattern", "Say", "Test-ReadOnly", "Fail", "Get-FirstLine", "Write-TextFile"]));
  });

  it("checks a release binary against SHA256SUMS with Get-FileHash, and refuses it without a line there", () => {
    const select = functions.get("Select-ReleaseBinary")!.text;
    expect(select).toContain("'SHA256SUMS'");
    expect(select).toMatch(/Fail "no SHA256SUMS in/);
    expect(select).toMatch(/Fail "\$sums has no line for/);
    expect(functions.get("Get-Sha256")!.text).toContain("Get-FileHash -LiteralPath $File -Algorithm SHA256");
    expect(functions.get("Get-ReleaseName")!.text).toContain('"venvhook-windows-$arch.exe"');
    // The copy that is installed is checked again.
    expect(functions.get("Install-Binary")!.text).toContain("Assert-Checksum $tmp $ExpectedSum");
  });
});
