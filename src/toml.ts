// TOML for files venvhook reads (pyproject.toml, tool configs, its own config).
// In the compiled binary bun's native parser answers first: smol-toml's cold
// JavaScript costs ~0.3 ms per cd in a tool-managed project. smol-toml stays
// the judge: whatever bun's parser refuses, smol-toml parses or explains. It
// is loaded only then: evaluating the module costs ~0.1 M instructions.
declare const Bun: { TOML: { parse(text: string): unknown } } | undefined;

export function parseToml(text: string): Record<string, unknown> {
  if (typeof Bun !== "undefined") {
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
