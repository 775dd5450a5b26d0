// The compiled binary reads TOML with bun's native parser first and falls back
// to smol-toml (src/shared/toml.ts). Whatever bun's parser accepts must mean what
// smol-toml (TOML 1.0) says it means: compared here on pyproject-like
// documents, hand-written and generated, with hostile strings and keys.
import { spawnSync } from "node:child_process";
import path from "node:path";
import fc from "fast-check";
import { parse, stringify } from "smol-toml";
import { expect, it } from "vitest";
import { hostile } from "../support/hostile.ts";

const BUN = path.resolve("node_modules/.bin/bun");

/** Each document through Bun.TOML.parse in a real bun: its table as JSON, or null when it refuses. */
function bunParses(documents: string[]): (unknown | null)[] {
  const script = "const docs = JSON.parse(await Bun.stdin.text()); console.log(JSON.stringify(docs.map((d) => { try { return Bun.TOML.parse(d); } catch { return null; } })));";
  const result = spawnSync(BUN, ["-e", script], { input: JSON.stringify(documents), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  if (result.status !== 0) throw new Error(`bun failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as (unknown | null)[];
}

const HAND_WRITTEN = [
  `[project]\nname = "shop"\nversion = "0.1"\nrequires-python = ">=3.9"\ndependencies = [\n  "requests>=2",  # a comment\n  'literal\\path',\n]\n`,
  `[tool.poetry]\nname = "shop"\npackages = [{ include = "shop", from = "src" }]\n\n[tool.poetry.dependencies]\npython = "^3.8"\n`,
  `tool.uv.workspace.members = ["packages/*"]\ntool.uv.workspace.exclude = ["packages/old"]\n`,
  `[tool.hatch.envs.default]\npath = ".hatch"\n[[tool.hatch.envs.test.matrix]]\npython = ["3.11", "3.12"]\n`,
  `name = """\nmulti\\\n  line"""\nraw = '''\nno \\escapes\n'''\n"quoted key" = 1\n'literal key' = true\n`,
  `[a]\nb.c = 1\n[a.d]\ne = 2.5\nf = 1_000\ng = 0xff\nh = -inf\n`,
];

const key = fc.oneof(fc.constantFrom("name", "tool", "poetry", "a.b", "", " ", "é"), hostile);
const scalar = fc.oneof(hostile, fc.boolean(), fc.integer());
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, fc.array(hostile, { maxLength: 3 }), tie("table")),
  table: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
})).table;

it("bun's TOML parser agrees with smol-toml on every document it accepts", () => {
  const generated = fc.sample(value, 300).map((table) => stringify(table));
  const documents = [...HAND_WRITTEN, ...generated];
  const fromBun = bunParses(documents);
  let accepted = 0;
  documents.forEach((document, i) => {
    if (fromBun[i] === null) return; // refused: src/shared/toml.ts asks smol-toml instead
    accepted++;
    expect(fromBun[i], document).toEqual(JSON.parse(JSON.stringify(parse(document))));
  });
  // The fast path is worth having only if bun accepts what projects write.
  expect(fromBun.slice(0, HAND_WRITTEN.length).every((table) => table !== null)).toBe(true);
  expect(accepted).toBeGreaterThan(documents.length / 2);
});
