// A real PowerShell parser for tests on a machine without PowerShell:
// tree-sitter with the tree-sitter-powershell grammar, both as WebAssembly
// (web-tree-sitter and the .wasm the grammar's package ships), so installing
// the dev dependencies compiles nothing.
// Its grammar is close to PowerShell's own but not identical: it knows
// neither `-cin`/`-cnotin` nor the typographic quotes PowerShell reads as
// quotes, so tests check those on their own (see test/unit/shells/pwsh.test.ts).
import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

export type SyntaxNode = Node;

// Loading WebAssembly is asynchronous; a top-level await here lets the helpers
// below stay synchronous for the tests that import them.
await Parser.init();
const grammar = createRequire(import.meta.url).resolve("tree-sitter-powershell/tree-sitter-powershell.wasm");
const parser = new Parser();
parser.setLanguage(await Language.load(grammar));

/**
 * The syntax tree of a PowerShell text. A script with no statement at all is
 * valid PowerShell but an ERROR for this grammar: check for that before parsing.
 */
export function powerShellTree(text: string): SyntaxNode {
  const tree = parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree (no language set)");
  return tree.rootNode;
}

/** Every ERROR or MISSING node, with its position (line:column, from 1). */
export function syntaxErrors(root: SyntaxNode): string[] {
  const errors: string[] = [];
  const visit = (node: SyntaxNode): void => {
    if (node.isError || node.isMissing) {
      const { row, column } = node.startPosition;
      const what = node.isMissing ? `missing ${node.type}` : `unexpected ${JSON.stringify(node.text.slice(0, 60))}`;
      errors.push(`${row + 1}:${column + 1}: ${what}`);
    }
    // A MISSING node has no children; an ERROR node may hold more errors.
    for (const child of node.children) visit(child);
  };
  visit(root);
  if (root.hasError && errors.length === 0) errors.push("the parser reports an error it did not place");
  return errors;
}

/** The top-level statements of a script: the children of its statement list, comments left out. */
export function topLevelStatements(root: SyntaxNode): SyntaxNode[] {
  return root.namedChildren
    .filter((node) => node.type === "statement_list")
    .flatMap((list) => list.namedChildren)
    .filter((node) => node.type !== "comment");
}

/** Parses a PowerShell text: its syntax errors, and the text of each top-level statement. */
export function parsePowerShell(text: string): { errors: string[]; statements: string[] } {
  if (!text.trim()) return { errors: [], statements: [] };
  const root = powerShellTree(text);
  return { errors: syntaxErrors(root), statements: topLevelStatements(root).map((node) => node.text) };
}

const QUOTES = new Set(["'", "\u2018", "\u2019", "\u201a", "\u201b"]);

/**
 * The value of a verbatim string token, read as PowerShell's tokenizer reads it
 * (Tokenizer.ScanStringLiteral: a pair of any two quote characters stands for
 * the second; a lone one ends the string); throws where PowerShell would end it early.
 */
export function decodeVerbatim(token: string): string {
  if (!QUOTES.has(token[0] ?? "")) throw new Error(`not a verbatim string: ${token}`);
  let value = "";
  for (let i = 1; i < token.length; i++) {
    const c = token[i]!;
    if (!QUOTES.has(c)) {
      value += c;
    } else if (i + 1 < token.length && QUOTES.has(token[i + 1]!)) {
      value += token[++i];
    } else if (i === token.length - 1) {
      return value;
    } else {
      throw new Error(`PowerShell ends this string at offset ${i}, inside the token: ${JSON.stringify(token)}`);
    }
  }
  throw new Error(`unterminated verbatim string: ${JSON.stringify(token)}`);
}

/** What the escapers join in outside verbatim strings: PowerShell's escapes for them. */
const JOINED: Readonly<Record<string, string>> = { '"`r"': "\r", '"`t"': "\t" };

/**
 * The value of an expression that is one verbatim string, or verbatim strings
 * joined by + with "`r" (the escaper's CR) and "`t" (a tab the e2e dialect
 * types) in parentheses; throws on anything else in it.
 */
export function decodeJoined(expression: SyntaxNode): string {
  const parts = expression.descendantsOfType(["verbatim_string_characters", "expandable_string_literal"]);
  const value = parts.map((part) => {
    if (part.type === "verbatim_string_characters") return decodeVerbatim(part.text);
    const escaped = JOINED[part.text];
    if (escaped === undefined) throw new Error(`unexpected expandable string ${part.text}`);
    return escaped;
  });
  // Nothing else: only those strings, + and parentheses.
  const rest = expression.text.replace(/'(?:[^'\u2018\u2019\u201a\u201b]|['\u2018\u2019\u201a\u201b]{2})*'|"`[rt]"|[\s()+]/g, "");
  if (rest !== "") throw new Error(`more than joined strings in ${JSON.stringify(expression.text)}: ${JSON.stringify(rest)}`);
  return value.join("");
}

/** Goes down through nodes that only wrap one child (no token of their own) to the one of that type. */
export function sole(node: SyntaxNode, type: string): SyntaxNode {
  let at = node;
  while (at.type !== type) {
    if (at.childCount !== 1) throw new Error(`expected only a ${type} in ${at.type}: ${JSON.stringify(node.text)}`);
    at = at.child(0)!;
  }
  return at;
}

/**
 * Double-quoted strings with `$name:` not followed by a name, such as "$dir: x":
 * PowerShell rejects the whole script ("Variable reference is not valid. ':' was
 * not followed by a valid variable name character"), but this grammar accepts it.
 */
export function invalidVariableReferences(root: SyntaxNode): string[] {
  return root
    .descendantsOfType(["expandable_string_literal", "expandable_here_string_literal"])
    .filter((node) => /(^|[^`])\$[A-Za-z_]\w*:(?![\w?{])/.test(node.text))
    .map((node) => node.text);
}
