// The xonsh hook and its adapter, in the real xonsh: the hook loads as the
// README says to load it, the binary's path round-trips through its Python
// string literal, and any values the adapter renders come back unchanged once
// the hook's own code has applied them. Each xonsh start costs about 0.3 s,
// so the properties hand xonsh a batch of cases per start.
import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { Change } from "../../../src/activation/plan.ts";
import { PLACEHOLDER, renderHook } from "../../../src/shells/adapter.ts";
import { quotePython as q, xonsh } from "../../../src/shells/xonsh.ts";
import { hostile } from "../../support/hostile.ts";
import { describeNeeding, runScript } from "../../support/shells.ts";

const EXE = "/opt/venv hook/it's $(bin) $HOME ~ {x} \"q\" \\ é 🐍/venvhook";
const work = mkdtempSync(path.join(tmpdir(), "venvhook-xonsh-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let files = 0;
function file(text: string): string {
  const name = path.join(work, `f${files++}`);
  writeFileSync(name, text);
  return name;
}

/** Loads a hook as the init line does: executed in the session's namespace. */
/** Loads the hook as an interactive xonsh does (in a script it installs nothing). */
const load = (hook: string) => `$XONSH_INTERACTIVE = True\nexecx(open(${q(file(hook))}).read(), 'exec', __xonsh__.ctx, filename='venvhook')`;
/** Prints each value followed by NUL, for runScript. */
const print = (...exprs: string[]) => exprs.map((e) => `print(${e}, end='\\0')`).join("\n");
const exported = (name: string) => `__xonsh__.env.detype().get(${q(name)}, '<unset>')`;
/** The hook's own way to apply what the binary printed. */
const apply = (output: string) => `__venvhook_apply(__import__('json').loads(open(${q(file(output))}, 'rb').read()))`;

const rendered = renderHook(xonsh, "/usr/local/bin/venvhook");

describeNeeding("xonsh hook", ["xonsh"], () => {
  const text = readFileSync("shells/venvhook.xsh", "utf8");

  it("carries one placeholder, as a string literal, which the quoted path replaces", () => {
    expect(text.split(PLACEHOLDER).length).toBe(2);
    expect(text).toContain(`__venvhook_bin = '${PLACEHOLDER}'`);
    const hook = renderHook(xonsh, EXE);
    expect(hook).not.toContain(PLACEHOLDER);
    expect(hook).toContain(`__venvhook_bin = ${q(EXE)}\n`);
  });

  it("loads without a word as it stands and rendered with a hostile path", () => {
    for (const [hook, bin] of [[text, PLACEHOLDER], [renderHook(xonsh, EXE), EXE]] as const) {
      const { values, stderr } = runScript("xonsh", `${load(hook)}\n${print("__venvhook_bin")}`);
      expect(stderr).toBe("");
      expect(values).toEqual([bin]);
    }
  });

  it("quotes any binary path into the hook", () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 8 }), (paths) => {
        const script = paths.map((exe) => `${load(renderHook(xonsh, exe))}\n${print("__venvhook_bin")}`).join("\n");
        expect(runScript("xonsh", script).values).toEqual(paths);
      }),
      { numRuns: 8 },
    );
  });

  it("applies any values as they are, running none of them", () => {
    // PATH entries cannot hold the separator. venvhook's own entries are
    // absolute: xonsh expands a leading ~ whenever it reads PATH.
    const entry = hostile.filter((s) => !s.includes(":")).map((s) => `/${s}`);
    const values = fc.record({ env: hostile, prompt: hostile, told: hostile, path: fc.array(entry, { minLength: 1, maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 12 }), (cases) => {
        const script = cases.map(({ env, prompt, told, path }) => {
          const changes: Change[] = [
            { name: "VIRTUAL_ENV", value: env },
            { name: "VIRTUAL_ENV_PROMPT", value: prompt },
            { name: "PATH", value: path.join(":") },
          ];
          return `${apply(xonsh.render(changes, { __venvhook_told: told }))}\n${print(...["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT"].map(exported), "__venvhook_told", exported("PATH"))}`;
        });
        const { values, stderr } = runScript("xonsh", [`cd ${q(work)}`, load(rendered), ...script].join("\n"));
        expect(stderr).toBe("");
        expect(values).toEqual(cases.flatMap(({ env, prompt, told, path }) => [env, prompt, told, path.join(":")]));
        expect(readdirSync(work).filter((f) => f.includes("pwned"))).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });

  it("unsets what it is told to unset, and prints nothing when nothing changes", () => {
    expect(xonsh.render([], {})).toBe("");
    const script = [load(rendered), "$VIRTUAL_ENV = 'x'", apply(xonsh.render([{ name: "VIRTUAL_ENV", value: undefined }], {})), print(exported("VIRTUAL_ENV"))];
    expect(runScript("xonsh", script.join("\n")).values).toEqual(["<unset>"]);
  });

  it("applies nothing when xonsh would expand a PATH entry, and says so", () => {
    const changes: Change[] = [
      { name: "PATH", value: "/projects/$HOME/.venv/bin:/usr/bin" },
      { name: "VIRTUAL_ENV", value: "/projects/$HOME/.venv" },
    ];
    const script = [load(rendered), "$PATH = ['/usr/bin']", apply(xonsh.render(changes, {})), print(exported("PATH"), exported("VIRTUAL_ENV"))];
    const { values, stderr } = runScript("xonsh", script.join("\n"));
    expect(values).toEqual(["/usr/bin", "<unset>"]);
    expect(stderr).toBe("venvhook: xonsh would expand ~ or $NAME in PATH as venvhook sets it (see $EXPAND_ENV_VARS); environment left as it was\n");
  });

  it("shows venvhook's env in {env_name} literally, through xonsh's own prompt formatting", () => {
    const format = "''.join(text for _, text in __import__('xonsh.style_tools').style_tools.partial_color_tokenize(__import__('xonsh.prompt.base').prompt.base.PromptFormatter()('{env_name}vh> ')))";
    // Fields, colors, conversions and specs are what xonsh's formatters look for.
    const braces = fc.string({ unit: fc.constantFrom("{", "}", "{{", "}}", "{RED}", "{user}", "{x!r}", "{cwd:{}}", "x", " ") });
    fc.assert(
      fc.property(fc.array(fc.oneof(hostile, braces), { minLength: 1, maxLength: 12 }), (names) => {
        // Field values are cached until the next prompt: reset as xonsh does before each.
        const script = names.map((name) => `$VIRTUAL_ENV_PROMPT = ${q(name)}\n$PROMPT_FIELDS.reset()\n${print(format)}`);
        const { values } = runScript("xonsh", [load(rendered), "$VIRTUAL_ENV = '/p/.venv'", "$VENVHOOK_STATE = 'e30:/p/.venv'", ...script].join("\n"));
        expect(values).toEqual(names.map((name) => `(${name}) vh> `));
      }),
      { numRuns: 8 },
    );
  });

  it("loads twice with one handler per event, keeping the user's handlers and {env_name}", () => {
    const script = [
      "@events.on_chdir",
      "def mine(**_): pass",
      "$PROMPT_FIELDS['env_name'] = lambda: 'MINE '",
      load(rendered),
      load(rendered),
      print(
        "sorted(h.__name__ for h in events.on_chdir)",
        "[h.__name__ for h in events.on_pre_prompt_format]",
        "[h.__name__ for h in events.on_postcommand]",
        "aliases['venvhook'] == [__venvhook_bin]",
        "$PROMPT_FIELDS['env_name']()",
      ),
      // Someone else's env, then venvhook's own (the state ends with ':' and the env).
      "$VIRTUAL_ENV = '/p/.venv'",
      "$VIRTUAL_ENV_PROMPT = 'p'",
      print("$PROMPT_FIELDS['env_name']()"),
      "$VENVHOOK_STATE = 'e30:/p/.venv'",
      print("$PROMPT_FIELDS['env_name']()"),
      "$VIRTUAL_ENV_DISABLE_PROMPT = '1'",
      print("$PROMPT_FIELDS['env_name']()"),
    ];
    const { values, stderr } = runScript("xonsh", script.join("\n"));
    expect(stderr).toBe("");
    expect(values).toEqual(["['__venvhook_on_chdir', 'mine']", "['__venvhook_on_prompt']", "['__venvhook_on_postcommand']", "True", "MINE ", "MINE ", "(p) ", ""]);
  });
});
