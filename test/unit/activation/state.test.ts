import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeState, encodeState, isNewerState, type Applied } from "../../../src/activation/state.ts";

describe("VENVHOOK_STATE", () => {
  it("round-trips any values, colons and newlines included", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.option(fc.string(), { nil: undefined }), (env, bin, name, home) => {
        const applied: Applied = { env, bin, name };
        if (home !== undefined) applied.pythonHome = home;
        expect(decodeState(encodeState(applied))).toEqual(applied);
      }),
    );
  });

  it("ends with the env path in clear, after the first colon, for the hook", () => {
    const state = encodeState({ env: "/a:b/.venv", bin: "/a:b/.venv/bin", name: "b" });
    expect(state.slice(state.indexOf(":") + 1)).toBe("/a:b/.venv");
  });

  it("treats garbage as nothing applied", () => {
    for (const value of [undefined, "", "nocolon", "!!!:/x", `${Buffer.from("[]").toString("base64url")}:/x`]) {
      expect(decodeState(value)).toBeUndefined();
    }
  });

  it("knows a later format by its number and dot, which format 1 never starts with, and does not read it", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (env, bin, name) => {
        expect(isNewerState(encodeState({ env, bin, name }))).toBe(false);
      }),
    );
    expect(isNewerState("2.eyJ9:/p/.venv")).toBe(true);
    expect(decodeState("2.eyJ9:/p/.venv")).toBeUndefined();
  });
});
