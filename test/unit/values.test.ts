// Values that break shells (issue 11, items 12-14): what the prompt shows of
// an env's name, how big venvhook's exported state can get, and when venvhook
// refuses to write back a variable bun could not read as it is.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { planActivation } from "../../src/activation/plan.ts";
import { envName } from "../../src/discovery/venv.ts";
import { shownName } from "../../src/shared/messages.ts";
import { parsePyvenvCfg } from "../../src/discovery/pyvenv.ts";
import { undecodableVariables } from "../../src/activation/undecodable.ts";
import { hostile } from "../support/hostile.ts";

/** C0, DEL, C1 and the Unicode line separators: what may never reach a prompt raw. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe("an env's name as the prompt shows it", () => {
  it("escapes NUL, ESC, DEL, C1, newline and tab the way Python's repr does", () => {
    const repr = String.raw`ab\x00cd\x1b]0;title\x07\x1b]52;c;UFdORUQ=\x07\n\t\x7f\x9bef`;
    const name = parsePyvenvCfg(`prompt = '${repr}'`).prompt!;
    expect(name).toContain("\0");
    expect(envName("/p/proj/.venv", { prompt: name })).toBe(repr);
    expect(envName("/p/a\x1b[2Jb\u2028c/.venv", {})).toBe(String.raw`a\x1b[2Jb\u2028c`);
  });

  it("keeps names of up to 100 characters whole, emoji counted as one", () => {
    expect(shownName("x".repeat(100))).toBe("x".repeat(100));
    expect(shownName("🐍".repeat(100))).toBe("🐍".repeat(100));
    expect(shownName("日本")).toBe("日本");
  });

  it("cuts longer names to 100 characters ending in an ellipsis, never inside an escape", () => {
    expect(shownName("x".repeat(60000))).toBe(`${"x".repeat(99)}\u2026`);
    expect(shownName("🐍".repeat(101))).toBe(`${"🐍".repeat(99)}\u2026`);
    expect(shownName(`${"x".repeat(97)}\x1bxx`)).toBe(`${"x".repeat(97)}\u2026`);
    expect(shownName(`${"x".repeat(95)}\x1byy`)).toBe(`${"x".repeat(95)}\\x1b\u2026`);
  });

  it("whatever the name, what is shown has no control character and at most 100 characters", () => {
    const long = fc.array(hostile, { minLength: 3, maxLength: 10 }).map((parts) => parts.join(""));
    const controls = fc.string({
      unit: fc.oneof(fc.integer({ min: 0, max: 0xa0 }).map((code) => String.fromCharCode(code)), fc.constantFrom("🐍", "é", "\u2028")),
      maxLength: 300,
    });
    fc.assert(
      fc.property(fc.oneof(hostile, long, controls), (name) => {
        const shown = shownName(name);
        expect(shown).not.toMatch(CONTROL);
        expect([...shown].length).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe("what venvhook exports", () => {
  it("stays small with the longest paths and names: VENVHOOK_STATE well under the kernel's 128 KiB per variable", () => {
    const env = `/${"d".repeat(250)}`.repeat(16).slice(0, 4090);
    const prompt = '\\"'.repeat(25000); // JSON doubles every character
    const wanted = { env, bin: `${env}/bin`, name: envName(env, { prompt }) };
    const plan = planActivation({ PATH: "/usr/bin", PYTHONHOME: "/opt/python" }, wanted);
    if (plan.kind !== "changes") throw new Error("expected changes");
    const exported = Object.fromEntries(plan.changes.map(({ name, value }) => [name, value ?? ""]));
    expect(exported.VIRTUAL_ENV_PROMPT).toBe(`${prompt.slice(0, 99)}\u2026`);
    expect(exported.VENVHOOK_STATE!.length).toBeLessThan(16 * 1024);
  });
});

describe("a PYTHONHOME too long to keep in VENVHOOK_STATE", () => {
  const BIN = path.resolve("dist/venvhook");
  const dir = mkdtempSync(path.join(tmpdir(), "vh-values-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = path.join(dir, "proj", ".venv");
  mkdirSync(path.join(env, "bin"), { recursive: true });
  writeFileSync(path.join(env, "pyvenv.cfg"), "home = /usr/bin\n");
  const data = path.join(dir, "data");
  const home = { HOME: dir, PATH: "/usr/bin", XDG_DATA_HOME: data, XDG_CONFIG_HOME: data, XDG_CACHE_HOME: data, XDG_STATE_HOME: data };
  const exportWith = (pythonHome: string) =>
    spawnSync(BIN, ["export", "bash"], { cwd: path.join(dir, "proj"), env: { ...home, PYTHONHOME: pythonHome }, encoding: "utf8" });

  it("is not activated over (the state would pass the kernel's limit and no command would start); venvhook says why", () => {
    expect(spawnSync(BIN, ["allow", path.join(dir, "proj")], { env: home }).status).toBe(0);
    expect(exportWith("/opt/python").stdout).toContain(`export VIRTUAL_ENV='${env}'`);
    const long = exportWith("/opt/python".repeat(10000));
    expect(long.stderr).toBe(`venvhook: not activating ${env}: PYTHONHOME is too long to be kept and restored on leaving; unset it\n`);
    expect(long.stdout).toMatch(/^__venvhook_told='[^']*'\n$/);
  });
});

describe("variables bun could not read byte for byte", () => {
  it("a value without U+FFFD is never suspect", () => {
    expect(undecodableVariables([{ name: "PATH" }, { name: "VIRTUAL_ENV" }], { PATH: "/usr/bin", VIRTUAL_ENV: "/é/日本" })).toEqual([]);
  });

  it("a value with U+FFFD that is not what this process received cannot be checked, so it is treated as not UTF-8", () => {
    expect(undecodableVariables([{ name: "PATH" }, { name: "NO_SUCH_VARIABLE" }], { PATH: "/bad\uFFFDdir:/usr/bin", NO_SUCH_VARIABLE: "\uFFFD" })).toEqual([
      "PATH",
      "NO_SUCH_VARIABLE",
    ]);
  });

  describe("through the binary", () => {
    const BIN = path.resolve("dist/venvhook");
    const dir = mkdtempSync(path.join(tmpdir(), "vh-values-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const env = path.join(dir, "proj", ".venv");
    mkdirSync(path.join(env, "bin"), { recursive: true });
    writeFileSync(path.join(env, "pyvenv.cfg"), "home = /usr/bin\n");
    const data = path.join(dir, "data");
    const home = { HOME: dir, XDG_DATA_HOME: data, XDG_CONFIG_HOME: data, XDG_CACHE_HOME: data, XDG_STATE_HOME: data };
    /** `venvhook export bash` in the project, with PATH's bytes set by sh's printf from `pathFormat`. */
    const exportWithPath = (pathFormat: string) =>
      spawnSync("sh", ["-c", `PATH="$(printf '${pathFormat}')" exec "$0" export bash`, BIN], {
        cwd: path.join(dir, "proj"),
        env: home,
        encoding: "utf8",
      });

    it.skipIf(!existsSync("/proc/self/environ"))("rewrites a PATH holding a real U+FFFD, refuses one holding bytes that are not UTF-8", () => {
      expect(spawnSync(BIN, ["allow", path.join(dir, "proj")], { env: home }).status).toBe(0);
      const literal = exportWithPath(String.raw`/real\357\277\275dir:/usr/bin`);
      expect(literal.stderr).toBe("");
      expect(literal.stdout).toContain(`export PATH='${env}/bin:/real\uFFFDdir:/usr/bin'`);
      const bytes = exportWithPath(String.raw`/bad\377dir:/usr/bin`);
      expect(bytes.stderr).toMatch(/^venvhook: PATH holds bytes that are not UTF-8, .*\n$/);
      expect(bytes.stdout).toMatch(/^__venvhook_told='[^']*'\n$/);
    });
  });
});
