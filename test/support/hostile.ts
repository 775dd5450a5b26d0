import fc from "fast-check";

/** Strings built to hurt: quotes, expansions, escapes, newlines, non-ASCII; never NUL (no shell variable holds one). */
export const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom("'", '"', "$", "`", "\\", "\n", "\r", "\t", " ", "(", ")", "{", "}", ";", "&", "|", "!", "%", "*", "?", "~", "#", "$(touch pwned)", "`touch pwned`", "\\'", "é", "日本", "🐍", "\u00a0", "\u001b[31m", "\uf600", "\uf6ff", "\ufffd", "\ufeff"),
    fc
      .integer({ min: 1, max: 0x10ffff })
      .filter((code) => code < 0xd800 || code > 0xdfff)
      .map((code) => String.fromCodePoint(code)),
  ),
  maxLength: 40,
});
