import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePyvenvCfg } from "../../../src/discovery/pyvenv.ts";
import { hostile } from "../../support/hostile.ts";

describe("parsePyvenvCfg", () => {
  it("reads what python -m venv writes", () => {
    const cfg = parsePyvenvCfg(
      "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\nexecutable = /usr/bin/python3.11\ncommand = /usr/bin/python3 -m venv --prompt 'my env' /p/.venv\nprompt = 'my env'\n",
    );
    expect(cfg).toEqual({ home: "/usr/bin", version: "3.11.7", prompt: "my env" });
  });

  it("reads virtualenv's unquoted prompt and version_info, with the version as Python prints it", () => {
    expect(parsePyvenvCfg("version_info = 3.12.1.final.0\r\nprompt = web\r\n")).toEqual({
      version: "3.12.1",
      prompt: "web",
    });
    expect(parsePyvenvCfg("version_info = 3.13.0.candidate.2\n").version).toBe("3.13.0rc2");
    expect(parsePyvenvCfg("version_info = 3.14.0.alpha.1\n").version).toBe("3.14.0a1");
    expect(parsePyvenvCfg("version_info = 3.12.1+\n").version).toBe("3.12.1+");
  });

  it("strips one pair of matching quotes only", () => {
    expect(parsePyvenvCfg(`prompt = "it's"`).prompt).toBe("it's");
    expect(parsePyvenvCfg(`prompt = 'a"`).prompt).toBe(`'a"`);
    expect(parsePyvenvCfg(`prompt = ''`).prompt).toBeUndefined();
  });

  it("keys are case-insensitive, the first one wins, junk is ignored", () => {
    expect(parsePyvenvCfg("garbage\nPrompt = one\nprompt = two\n= x\n")).toEqual({ prompt: "one" });
  });

  it("keeps hostile text as plain text", () => {
    expect(parsePyvenvCfg("prompt = $(touch /tmp/pwned) `id`").prompt).toBe("$(touch /tmp/pwned) `id`");
  });

  it("decodes the repr venv writes back to the prompt it was given, whatever it holds", () => {
    const prompts = fc.sample(hostile.filter((p) => p.trim() === p && p !== "" && !/[\n\r]/.test(p)), 300);
    prompts.push(`a'b"c \\ {x}`, "it's", 'say "hi"', "\u001b[31m", "tab\there");
    // The prompt line exactly as Lib/venv/__init__.py writes it: f'prompt = {prompt!r}'.
    const script = "import json,sys\nfor p in json.load(sys.stdin): print(f'prompt = {p!r}')";
    const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(prompts), encoding: "utf8" });
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n").slice(0, -1);
    expect(lines.map((line) => parsePyvenvCfg(line).prompt)).toEqual(prompts);
  });
});
