// TOML for files venvhook reads (pyproject.toml, tool configs, its own config).
// In the compiled binary bun's native parser answers first: smol-toml's cold
// JavaScript costs ~0.3 ms per cd in a tool-managed project. smol-toml stays
// the judge: whatever bun's parser refuses, smol-toml parses or explains. It
// is loaded only then: evaluating the module costs ~0.1 M instructions.
//
// bun's parser takes time quadratic in a table's keys (40k one-line keys:
// 8.5 s; 1000 keys or tables: 2-4 ms), smol-toml's is linear (40k keys:
// 0.2 s in the hook's JIT-less binary). So bun's parser gets only documents
// too small to hold many keys: measured on this machine, 2026-12-03.
declare const Bun: { TOML: { parse(text: string): unknown } } | undefined;

const BUN_MAX_LENGTH = 64 * 1024;
/** Keys, tables, inline tables and dotted parts each need one of these characters. */
const STRUCTURE = ["=", "[", "{", "."];
const BUN_MAX_STRUCTURE = 1000;

export function parseToml(text: string): Record<string, unknown> {
  if (typeof Bun !== "undefined" && fewKeys(text)) {
    try {
      const table = Bun.TOML.parse(text);
      if (typeof table === "object" && table !== null) return table as Record<string, unknown>;
    } catch {
      // Refused: smol-toml decides, and says why.
    }
  }
  const { parse } = require("smol-toml") as typeof import("smol-toml");
  return parse(text);
}

/** Whether a document is small and has few keys: counted up to the bound, at most a few thousand steps. */
function fewKeys(text: string): boolean {
  if (text.length > BUN_MAX_LENGTH) return false;
  let count = 0;
  for (const c of STRUCTURE) {
    for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) if (++count > BUN_MAX_STRUCTURE) return false;
  }
  return true;
}
