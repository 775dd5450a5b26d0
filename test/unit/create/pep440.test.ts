import { describe, expect, it } from "vitest";
import { parseSpecifier, satisfies } from "../../../src/create/pep440.ts";

// [specifier, versions it admits, versions it rejects]; the expectations agree with pypa/packaging 26.
const cases: [string, string[], string[]][] = [
  ["", ["2.7.18", "3.12.1"], []],
  [">=3.10", ["3.10.0", "3.10.13", "3.11.7", "4.0.0"], ["3.9.18", "2.7.18"]],
  [">=3.10.0", ["3.10.0"], ["3.9.99"]],
  [">3.10", ["3.10.1", "3.11.0"], ["3.10.0", "3.9.18"]],
  ["<=3.11", ["3.11.0", "3.10.13"], ["3.11.1", "3.12.0"]],
  ["<3.12", ["3.11.7", "3.6.15"], ["3.12.0", "3.12.1", "3.13.0"]],
  ["<4", ["3.99.99"], ["4.0.0"]],
  [">=3.8, <4", ["3.8.0", "3.13.0"], ["3.7.16", "4.0.0"]],
  [">=3.8,<3.12,!=3.10.*", ["3.8.18", "3.9.18", "3.11.7"], ["3.10.0", "3.10.13", "3.12.0", "3.7.16"]],
  ["==3.11", ["3.11.0"], ["3.11.7", "3.1.1"]],
  ["==3.11.0.0", ["3.11.0"], ["3.11.1"]],
  ["==3.11.7", ["3.11.7"], ["3.11.70", "3.11.6"]],
  ["==3.11.*", ["3.11.0", "3.11.7"], ["3.1.1", "3.12.0", "3.10.11"]],
  ["==3.*", ["3.0.0", "3.13.0"], ["2.7.18", "4.0.0"]],
  ["==3.1.*", ["3.1.0", "3.1.4"], ["3.11.7", "3.10.0"]],
  ["==3.11.0.*", ["3.11.0"], ["3.11.1"]],
  ["!=3.11", ["3.11.1", "3.10.0"], ["3.11.0"]],
  ["!=3.10.*", ["3.9.18", "3.11.0"], ["3.10.0", "3.10.13"]],
  ["~=3.11", ["3.11.0", "3.12.1", "3.99.0"], ["3.10.13", "4.0.0"]],
  ["~=3.11.2", ["3.11.2", "3.11.7"], ["3.11.1", "3.12.0"]],
  ["~=3.11.0", ["3.11.0", "3.11.7"], ["3.12.0", "3.10.13"]],
  ["~=2.7.0.0", ["2.7.0"], ["2.7.1", "2.8.0"]],
  ["===3.12.1", ["3.12.1"], ["3.12.10", "3.12.01", "3.12.1.0"]],
  ["===3.12.*", [], ["3.12.1"]],
  // Pre-, post-, dev-release and local parts on the specifier side.
  [">=3.13.0a1", ["3.13.0", "3.13.1"], ["3.12.9"]],
  [">=3.13.0rc1", ["3.13.0"], ["3.12.9"]],
  [">=3.13.dev0", ["3.13.0"], ["3.12.9"]],
  [">3.12.post1", ["3.12.1", "3.13.0"], ["3.12.0"]],
  ["<3.13.0rc1", ["3.12.9"], ["3.13.0"]],
  ["<=3.12.post1", ["3.12.0"], ["3.12.1"]],
  ["==3.11.7+ubuntu1", [], ["3.11.7"]],
  ["!=3.11.7+ubuntu1", ["3.11.7"], []],
  ["==3.11.0rc1", [], ["3.11.0"]],
  ["~=3.13.0a1", ["3.13.0", "3.13.4"], ["3.14.0", "3.12.9"]],
  ["~=3.12.post1", ["3.12.1", "3.13.0"], ["3.12.0", "4.0.0"]],
  [">=1!1.0", [], ["3.12.1"]],
  ["<1!0", ["3.12.1"], []],
  // Spellings packaging accepts.
  ["  >=  3.10 ,\t< 4 ", ["3.10.0"], ["4.0.0"]],
  [">=3.8,", ["3.8.0"], ["3.7.0"]],
  [",, >=3.8 ,,", ["3.8.0"], ["3.7.0"]],
  [">=v3.10", ["3.10.0"], ["3.9.0"]],
  [">=3.13.0RC1", ["3.13.0"], ["3.12.0"]],
  [">=3.13-alpha.1", ["3.13.0"], ["3.12.0"]],
  [">3.12-1", ["3.12.1"], ["3.12.0"]],
  ["== 3.11.*", ["3.11.7"], ["3.12.0"]],
  [">=3.10\n", ["3.10.0"], ["3.9.0"]],
  // Numbers longer than a double holds exactly.
  ["==3.99999999999999999999", ["3.99999999999999999999"], ["3.100000000000000000000"]],
];

describe("satisfies", () => {
  for (const [specifier, admitted, rejected] of cases) {
    it(`${JSON.stringify(specifier)} admits ${admitted.join(", ") || "none of these"}; rejects ${rejected.join(", ") || "none"}`, () => {
      for (const version of admitted) expect(satisfies(version, specifier), `${version}`).toBe(true);
      for (const version of rejected) expect(satisfies(version, specifier), `${version}`).toBe(false);
    });
  }

  it("compares release numbers zero-padded on both sides", () => {
    expect(satisfies("3.11", "==3.11.0")).toBe(true);
    expect(satisfies("3", ">=3.0.0")).toBe(true);
    expect(satisfies("3.11.0.0", "<=3.11")).toBe(true);
  });

  it("orders pre-, post-, dev-release and local candidates as packaging does", () => {
    const expectations: [string, string, boolean][] = [
      ["3.13.0rc1", "<3.13", false],
      ["3.13.dev0", "<3.13", false],
      ["3.13.0rc1", "<3.13.0rc2", true],
      ["3.13.0a1", "<3.13.post2", true],
      ["3.12.post1", ">3.12", false],
      ["3.12+local", ">3.12", false],
      ["3.13a1.post1", ">3.13a1", false],
      ["3.13.post1", ">3.13a1", true],
      ["3.12.post2", ">3.12.post1", true],
      ["3.12.dev1", ">3.12.dev0", true],
      ["3.13.dev0", "<3.13a1", true],
      ["3.13a1", ">=3.13.dev5", true],
      ["3.13.post1.dev0", ">=3.13", true],
      ["3.13.post1.dev0", "<3.13.post1", false],
      ["3.11.7+local", "==3.11.7", true],
      ["3.11.7+local", "<=3.11.7", true],
      ["3.11.7+Local-1", "==3.11.7+local.1", true],
      ["3.11.7+local", "==3.11.*", true],
      ["1!3.12", ">=4", true],
      ["1!3.12", "==3.*", false],
    ];
    for (const [version, specifier, expected] of expectations) {
      expect(satisfies(version, specifier), `${version} ${specifier}`).toBe(expected);
    }
  });

  it("rejects a candidate that is not a version", () => {
    expect(() => satisfies("three", ">=3")).toThrow('"three" is not a PEP 440 version');
  });

  it("rejects an invalid specifier", () => {
    expect(() => satisfies("3.12.1", "^3.8")).toThrow(/invalid version specifier/);
  });
});

describe("parseSpecifier", () => {
  it("splits clauses, drops whitespace and empty clauses, marks wildcards", () => {
    expect(parseSpecifier(" >= 3.8 , !=3.10.* ,, ~=3.9 , ===3.12.*")).toEqual([
      { operator: ">=", version: "3.8", wildcard: false },
      { operator: "!=", version: "3.10", wildcard: true },
      { operator: "~=", version: "3.9", wildcard: false },
      { operator: "===", version: "3.12.*", wildcard: false },
    ]);
  });

  it("parses every operator", () => {
    const operators = ["~=", "==", "!=", "<=", ">=", "<", ">", "==="];
    expect(parseSpecifier(operators.map((op) => `${op}3.11`).join(",")).map((c) => c.operator)).toEqual(operators);
  });

  it("is empty for an empty or blank specifier", () => {
    expect(parseSpecifier("")).toEqual([]);
    expect(parseSpecifier("  ,  ")).toEqual([]);
  });

  const invalid: [string, string][] = [
    ["3.8", '"3.8" does not start with an operator'],
    ["^3.8", '"^3.8" does not start with an operator'],
    ["=3.8", '"=3.8" does not start with an operator'],
    ["=>3.8", '"=>3.8" does not start with an operator'],
    [">=3.8 <4", '">=3.8 <4": "3.8 <4" is not a PEP 440 version'],
    ["> =3.8", '"> =3.8": "=3.8" is not a PEP 440 version'],
    [">=", '">=" has no version'],
    [">=3.8, ", ""],
    ["~=3", '"~=3": ~= needs at least two release numbers'],
    ["~=3.*", '"~=3.*": only == and != take a .* wildcard'],
    [">=3.8.*", '">=3.8.*": only == and != take a .* wildcard'],
    ["==3.*.*", '"==3.*.*": a .* wildcard must follow a release such as 3.11'],
    ["==3.11a1.*", '"==3.11a1.*": a .* wildcard must follow a release such as 3.11'],
    ["==*", '"==*": "*" is not a PEP 440 version'],
    [">=3.11+local", '">=3.11+local": only == and != take a local version'],
    ["~=3.11+local", '"~=3.11+local": only == and != take a local version'],
    [">=three", '">=three": "three" is not a PEP 440 version'],
    [">=3..8", '"3..8" is not a PEP 440 version'],
    [">=3.8.", '"3.8." is not a PEP 440 version'],
    [">=3.8;python_version>'3'", "is not a PEP 440 version"],
    [">=3.8 or <2", "is not a PEP 440 version"],
    [">=3.\u00a08", "is not a PEP 440 version"],
    [">=\u0663.8", "is not a PEP 440 version"],
    ["===", '"===" has no version'],
    ["===a b", '"===a b" is not a single word'],
  ];
  for (const [specifier, message] of invalid) {
    if (!message) {
      it(`accepts ${JSON.stringify(specifier)}`, () => expect(() => parseSpecifier(specifier)).not.toThrow());
      continue;
    }
    it(`rejects ${JSON.stringify(specifier)}`, () => {
      expect(() => parseSpecifier(specifier)).toThrow(message);
      expect(() => parseSpecifier(specifier)).toThrow(`invalid version specifier ${JSON.stringify(specifier)}: `);
    });
  }

  it("cuts long input short in an error message", () => {
    const long = `>=3.8,${"9".repeat(10_000)}`;
    expect(() => parseSpecifier(long)).toThrow(`invalid version specifier ${JSON.stringify(`${long.slice(0, 100)}…`)}: `);
    try {
      parseSpecifier(long);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(400);
    }
  });

  it("keeps an error message on one line whatever the input holds", () => {
    try {
      parseSpecifier(">=3.8\n\u001b[2J,^4");
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toMatch(/[\n\u001b]/);
    }
  });
});
