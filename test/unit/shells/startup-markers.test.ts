// A new bash, zsh or fish decides with builtins whether the binary has
// anything to do (__venvhook_nothing_here): it must say "something" wherever
// the binary could find an env or a project, or a shell started there would
// miss its env. The cases come from the binary's own list of fixed names
// (project.ts), so a name added there and not to the hooks fails here.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { FIXED_NAMES } from "../../../src/discovery/project.ts";
import { renderHook } from "../../../src/shells/adapter.ts";
import { shellAdapter } from "../../../src/shells/index.ts";
import { describeNeeding, quoteFor, runScript, SHELLS } from "../../support/shells.ts";

const root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-startup-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Folders from the temporary folder up: nothing there may look like a project, or every case says "something". */
const clean = (() => {
  for (let dir = root; ; dir = path.dirname(dir)) {
    for (const name of [".venv", ...FIXED_NAMES]) {
      try {
        realpathSync(path.join(dir, name));
        return false;
      } catch {
        // not there
      }
    }
    if (path.dirname(dir) === dir) return true;
  }
})();

/** A project with `name` at its root, started from two folders below it. */
function project(name: string, make: (file: string) => void = (file) => writeFileSync(file, "")): string {
  // A name no glob may take as a pattern.
  const top = mkdtempSync(path.join(root, "p [*?] "));
  make(path.join(top, name));
  const start = path.join(top, "a", "b");
  mkdirSync(start, { recursive: true });
  return start;
}

const SOMETHING: Record<string, () => string> = {
  ".venv folder": () => project(".venv", (file) => mkdirSync(file)),
  ".venv pointer file": () => project(".venv"),
  ".venv link to nowhere": () => project(".venv", (file) => symlinkSync(path.join(root, "gone"), file)),
  ...Object.fromEntries(FIXED_NAMES.map((marker) => [marker, () => project(marker)])),
};

for (const shell of SHELLS) {
  describeNeeding(`${shell}: a new shell with nothing to do runs no binary`, [shell], () => {
    const hook = path.join(root, `hook.${shell}`);
    // fish's hook ends at once outside an interactive shell; runScript starts fish with -i.
    writeFileSync(hook, renderHook(shellAdapter(shell)!, "/nonexistent/venvhook"));
    const strict = { bash: "set -u", zsh: "setopt nounset", fish: "" }[shell];
    const verdict = (dir: string, env: NodeJS.ProcessEnv = {}) => {
      const test = shell === "fish" ? "__venvhook_nothing_here; and printf 'none\\0'; or printf 'something\\0'" : "if __venvhook_nothing_here; then printf 'none\\0'; else printf 'something\\0'; fi";
      const { values } = runScript(shell, `${strict}\nsource ${quoteFor(shell, hook)}\ncd ${quoteFor(shell, dir)}\n${test}`, env, { interactive: shell === "fish" });
      return values;
    };

    it.skipIf(!clean)("says nothing to do outside any project", () => {
      const plain = path.join(root, "plain", "a", "b");
      mkdirSync(plain, { recursive: true });
      expect(verdict(plain)).toEqual(["none"]);
      expect(verdict("/")).toEqual(["none"]);
    });

    it("lists no folder: a project known only by a requirements-*.txt gets its offer at the first cd", () => {
      expect(verdict(project("requirements-dev.txt"))).toEqual(["none"]);
    });

    for (const [what, make] of Object.entries(SOMETHING)) {
      it(`says something to do under a ${what}`, () => {
        expect(verdict(make())[0]).toBe("something");
      });
    }

    it.skipIf(!clean)("says something to do when the shell inherits an env", () => {
      const plain = path.join(root, "plain", "a", "b");
      mkdirSync(plain, { recursive: true });
      for (const name of ["VENVHOOK_STATE", "VIRTUAL_ENV", "CONDA_PREFIX"]) expect(verdict(plain, { [name]: "/somewhere" })[0]).toBe("something");
    });
  });
}
