// What a folder's contents can cost venvhook: nothing it reads may make it
// hang or slow a prompt down without bound (issue 11, items 8-11). The
// bounds here are on work that can be counted; the time limits are only
// liveness bounds, far above what each step takes.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { find, makeEnv, useWorld, write } from "./discovery/tools/fixture.ts";

const world = useWorld();

describe("uv workspace globs", () => {
  /** A uv workspace at `ws` whose members are these globs, and a member project at `member` (relative to ws). */
  function workspace(root: string, members: string[], member: string) {
    const ws = path.join(root, "ws");
    write(path.join(ws, "pyproject.toml"), `[project]\nname = "ws"\n\n[tool.uv.workspace]\nmembers = ${JSON.stringify(members)}\n`);
    write(path.join(ws, "uv.lock"), "");
    const env = makeEnv(path.join(ws, ".venv"));
    const proj = path.join(ws, member);
    write(path.join(proj, "pyproject.toml"), '[project]\nname = "m"\n');
    return { env, proj };
  }

  it("hostile globs are matched at once: 12 `**` before a name, and `*a` twelve times against a folder of 40 a's", { timeout: 10_000 }, async () => {
    const w = world();
    const deep = Array.from({ length: 12 }, (_, i) => `d${i}`).join("/");
    // Each hostile glob misses; the one after it names the member, so its env is the workspace's.
    const stars = workspace(w.root, ["**/**/**/**/**/**/**/**/**/**/**/**/zzz", `${deep}/*`], `${deep}/member`);
    expect((await find(w, stars.proj)).found).toMatchObject({ env: stars.env, managed: { tool: "uv", project: stars.proj } });

    const w2 = path.join(w.root, "second");
    const letters = workspace(w2, ["*a*a*a*a*a*a*a*a*a*a*a*a*c", "a*"], "a".repeat(40));
    expect((await find(w, letters.proj)).found).toMatchObject({ env: letters.env, managed: { tool: "uv", project: letters.proj } });
  });

  it("match what the glob crate matches: `*` and `?` within a name, `[...]`, `[!...]`, `**` for any folders; invalid globs match nothing", async () => {
    const w = world();
    const cases: Array<[glob: string, member: string, matches: boolean]> = [
      ["packages/*", "packages/a", true],
      ["packages/*", "packages/a/b", false],
      ["packages/*", "packages/.hidden", true],
      ["./packages/*", "packages/a", true],
      ["p?ckages/a", "packages/a", true],
      ["p?ckages/a", "pckages/a", false],
      ["libs/**", "libs/x/y", true],
      ["**/leaf", "a/b/c/leaf", true],
      ["**/**/leaf", "leaf", true],
      ["a/**/b/**/c", "a/x/b/y/z/c", true],
      ["a/**/b/**/c", "a/x/c/b", false],
      ["*a*b*c", "xaybzc", true],
      ["*a*b*c", "xaybzcd", false],
      ["abc*abc*abc", "abcabcabcabcabcabcabc", true],
      ["abc*abc*abc", "abcabcabcabcabcabcabca", false],
      ["pkg-[a-c]", "pkg-b", true],
      ["pkg-[a-c]", "pkg-d", false],
      ["pkg-[!a-c]", "pkg-d", true],
      ["pkg-[!a-c]", "pkg-a", false],
      ["pkg[]]", "pkg]", true],
      ["pkg[-x]", "pkg-", true],
      ["pkg[é]", "pkgé", true],
      ["pkg/**a", "pkg/a", false],
      ["pkg/a**", "pkg/a", false],
      ["pkg/***", "pkg/a", false],
      ["pkg/[a", "pkg/[a", false],
    ];
    for (const [i, [glob, member, matches]] of cases.entries()) {
      const { env, proj } = workspace(path.join(w.root, String(i)), [glob], member);
      const { found } = await find(w, proj);
      if (matches) expect(found, `${glob} ${member}`).toMatchObject({ env, managed: { tool: "uv" } });
      else {
        // Not a member: the project is its own workspace, not uv's, and the walk goes on to the .venv above.
        expect(found, `${glob} ${member}`).toMatchObject({ env, venv: env });
        expect(found?.kind === "env" ? found.managed : "broken", `${glob} ${member}`).toBeUndefined();
      }
    }
  });
});

describe("the TOML a project may cost a cd", () => {
  const filler = (bytes: number) => {
    const lines: string[] = [];
    for (let i = 0, length = 0; length < bytes; i++) length += lines[lines.push(`k${i} = ${i}\n`) - 1]!.length;
    return lines.join("");
  };

  it("all of a project's TOML files together: past 256 KiB, the next file is given up on, with a notice", async () => {
    const w = world();
    const proj = path.join(w.root, "shop");
    write(path.join(proj, "pyproject.toml"), `[tool.poetry]\nname = "shop"\n\n[tool.filler]\n${filler(200 * 1024)}`);
    write(path.join(proj, "poetry.toml"), `[virtualenvs]\nin-project = true\n\n[filler]\n${filler(100 * 1024)}`);
    expect(await find(w, proj)).toEqual({
      problems: [
        {
          key: expect.any(String),
          text: "gave up on ./poetry.toml: a project's TOML files over 256 KiB in all would slow every cd; venvhook goes on without it",
        },
      ],
      expected: { tool: "poetry", project: proj },
    });
    // With a small pyproject.toml the same poetry.toml is read.
    write(path.join(proj, "pyproject.toml"), '[tool.poetry]\nname = "shop"\n');
    expect(await find(w, proj)).toEqual({ problems: [], expected: { tool: "poetry", project: proj } });
  });
});
