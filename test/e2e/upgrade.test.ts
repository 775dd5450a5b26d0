// Upgrades and downgrades with shells open (issue 16): installing another
// venvhook over the one a shell loaded must not break that shell. A second
// build of this tree with another version is installed over the first at the
// same path, as install.sh does (a new file renamed into place), and back;
// a state or store in a format newer than the binary's is left alone, said once.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { describeShell } from "../support/shells.ts";
import { BIN, initLine, makeVenv, openWorld, type World } from "./fixture.ts";

const VERSION = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
const NEXT_VERSION = "99.0.0";
let scratch: string;
let next: string;

/** This tree built again as another version: what an upgrade installs. */
beforeAll(() => {
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-upgrade-")));
  const tree = path.join(scratch, "tree");
  for (const part of ["src", "shells", "tsconfig.json"]) cpSync(part, path.join(tree, part), { recursive: true });
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
  writeFileSync(path.join(tree, "package.json"), JSON.stringify({ ...pkg, version: NEXT_VERSION }));
  symlinkSync(path.resolve("node_modules"), path.join(tree, "node_modules"));
  next = path.join(scratch, "venvhook-next");
  execFileSync(path.resolve("node_modules/.bin/bun"), ["build", "--compile", "--bytecode", "--minify", "src/main.ts", "--outfile", next], { cwd: tree, stdio: "pipe" });
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Puts `binary` at `target` the way an installer does: a new file renamed over the old one. */
function install(binary: string, target: string): void {
  const temporary = `${target}.new`;
  copyFileSync(binary, temporary);
  renameSync(temporary, target);
}

for (const shell of ["bash", "fish"] as const) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    it("a shell keeps working when venvhook is upgraded under it, and after a downgrade", async () => {
      const bin = path.join(mkdtempSync(path.join(scratch, "prefix-")), "venvhook");
      install(BIN, bin);
      w = await openWorld(shell, { noInit: true, after: initLine(shell, bin), setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      const proj = path.join(w.root, "proj");
      const env = path.join(proj, ".venv");
      mkdirSync(path.join(proj, "sub"));
      const before = await w.path();
      expect(w.venvhook("allow", proj).status).toBe(0);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.s.run("venvhook --version")).toBe(VERSION);

      install(next, bin);
      expect(await w.s.run("venvhook --version")).toBe(NEXT_VERSION);
      await w.cd(path.join(proj, "sub"));
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.path()).toBe(`${path.join(env, "bin")}:${before}`);

      install(BIN, bin);
      expect(await w.s.run("venvhook --version")).toBe(VERSION);
      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.get("VENVHOOK_STATE")).toBe("<unset>");
      expect(await w.path()).toBe(before);
    });

    it("a state in a newer format is left as it is, and said once", async () => {
      w = await openWorld(shell, { setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      const env = path.join(w.root, "proj", ".venv");
      const before = await w.path();
      // What a later format looks like: its number and a dot first (src/activation/state.ts).
      await w.s.run(w.d.set("VENVHOOK_STATE", `2.eyJmdXR1cmUiOnRydWV9:${env}`));
      // The hook runs at the next prompt, since VIRTUAL_ENV changed.
      const heard = await w.said(() => w.s.run(w.d.set("VIRTUAL_ENV", env)), "applied by a newer venvhook");
      expect(heard).toContain("venvhook: this shell's env was applied by a newer venvhook than this one, which leaves it as it is; open a new shell, or install the newer venvhook again");
      expect(await w.said(() => w.cd(path.join(w.root, "proj")))).not.toContain("newer venvhook");
      expect(await w.said(() => w.cd(w.root))).not.toContain("newer venvhook");
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.path()).toBe(before);
    });
  });
}
