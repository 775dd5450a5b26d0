// Envs kept elsewhere, end to end in real shells: the central store through a
// `.venv` pointer, switching labels with `use`, `link`, and name pointers to
// envs made by real virtualenvwrapper and virtualenv in $WORKON_HOME.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeNeeding, describeShell, quoteFor, SHELLS } from "../support/shells.ts";
import { makeVenv, openWorld, promptLine, type World, AUTO_BACKEND } from "./fixture.ts";

/** A project with a pyproject.toml; the store and $WORKON_HOME live in the world's own folders. */
function setup(root: string): void {
  mkdirSync(path.join(root, "shop", "src"), { recursive: true });
  writeFileSync(path.join(root, "shop", "pyproject.toml"), '[project]\nname = "shop"\nversion = "0.1"\n');
  mkdirSync(path.join(root, "workon"));
}

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());
    it("create --central activates through the pointer; use switches labels at once; an edited pointer waits for allow", async () => {
      w = await openWorld(shell, { setup });
      const store = path.join(w.root, "store");
      await w.s.run(shell === "fish" ? `set -gx VENVHOOK_HOME ${quoteFor(shell, store)}` : `export VENVHOOK_HOME=${quoteFor(shell, store)}`);
      const proj = path.join(w.root, "shop");
      await w.cd(proj);
      const created = await w.s.runWithStatus("venvhook create --central", { timeoutMs: 60_000 });
      expect(created.status).toBe(0);
      expect(readFileSync(path.join(proj, ".venv"), "utf8")).toBe("default\n");
      const env = await w.get("VIRTUAL_ENV");
      expect(env).toMatch(new RegExp(`^${store}/shop-[A-Za-z0-9_-]{8}/default$`));
      expect(JSON.parse(readFileSync(path.join(env, "venvhook.json"), "utf8"))).toMatchObject({ project: proj, label: "default", backend: AUTO_BACKEND });
      expect(await w.s.run(`python -c 'import sys; print(sys.prefix)'`)).toBe(env);
      // Where the central env is: its folder's name is only a label.
      expect(created.stdout).toMatch(new RegExp(`^created ${env} with Python 3[.0-9]+ using ${AUTO_BACKEND} in [0-9.]+s: 'shop' is active in ${proj} and below$`));

      await w.s.runWithStatus("venvhook create --central --name next", { timeoutMs: 60_000 });
      const next = path.join(path.dirname(env), "next");
      expect(await w.get("VIRTUAL_ENV")).toBe(next);
      await w.s.waitFor((screen) => promptLine(screen) === "(shop-next) vh>");
      expect(await w.s.run("venvhook use default")).toBe(`using 'default': ${env}`);
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      await w.s.waitFor((screen) => promptLine(screen) === "(shop) vh>");
      const missing = await w.s.runWithStatus("venvhook use nope");
      expect(missing.stderr).toBe("venvhook: shop has no env labelled 'nope'; its envs are: default, next");

      // Someone edits the pointer by hand: not followed until allowed again.
      await w.cd(w.root);
      writeFileSync(path.join(proj, ".venv"), "next\n");
      const heard = await w.said(() => w.cd(proj), "changed since it was allowed");
      expect(heard).toContain("venvhook: ./.venv changed since it was allowed");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      await w.s.run("venvhook allow");
      expect(await w.get("VIRTUAL_ENV")).toBe(next);

      // Removing the env the pointer leads to needs --force; then it is deactivated at once, through the shell function.
      const before = (await w.path()).split(":").filter((entry) => !entry.startsWith(store)).join(":");
      expect((await w.s.runWithStatus("venvhook rm next --yes")).stderr).toContain(`not removing ${next}: ./.venv points to it`);
      expect(await w.get("VIRTUAL_ENV")).toBe(next);
      expect(await w.s.run("venvhook rm next --yes --force")).toContain(`removed ${next}`);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(await w.path()).toBe(before);
    });

    it("link points the project at an env by path, and refuses a name with '..'", async () => {
      w = await openWorld(shell, { setup });
      const proj = path.join(w.root, "shop");
      const shared = makeVenv(path.join(w.root, "shared", "py311"));
      await w.cd(proj);
      expect(await w.s.run(`venvhook link ${quoteFor(shell, "../shared/py311")}`)).toBe(`${proj}/.venv now points to ${shared}, allowed`);
      expect(readFileSync(path.join(proj, ".venv"), "utf8")).toBe(`${shared}\n`);
      expect(await w.get("VIRTUAL_ENV")).toBe(shared);

      const refused = await w.s.runWithStatus("venvhook link a..b");
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe("venvhook: cannot link a..b: it names an env, but it contains '..'");
      await w.cd(w.root);
      writeFileSync(path.join(proj, ".venv"), "a..b\n");
      const heard = await w.said(() => w.cd(proj), "contains '..'");
      expect(heard).toContain("venvhook: ./.venv is not usable: it names an env, but it contains '..'");
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });
  });
}

/** Debian's virtualenvwrapper (its own Python module is installed for /usr/bin/python3). */
const VIRTUALENVWRAPPER = "/usr/share/virtualenvwrapper/virtualenvwrapper.sh";

/** Every file's path, size and modification time below a folder. */
function snapshot(dir: string): string[] {
  const lines: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      const stats = lstatSync(file);
      lines.push(`${file} ${stats.size} ${stats.mtimeMs}`);
      if (entry.isDirectory()) walk(file);
    }
  };
  walk(dir);
  return lines.sort();
}

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => {
      if (w) chmodRecursive(w.root, 0o755);
      await w?.close();
    });

    it("activates a read-only shared env and never writes into it", async () => {
      w = await openWorld(shell, { setup });
      const shared = makeVenv(path.join(w.root, "team", "py311"));
      const before = snapshot(shared);
      chmodRecursive(shared, 0o555);
      const proj = path.join(w.root, "shop");
      writeFileSync(path.join(proj, ".venv"), "../team/py311\n");
      w.venvhook("allow", proj);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV")).toBe(shared);
      await w.cd(w.root);
      expect(snapshot(shared)).toEqual(before);
    });
  });
}

function chmodRecursive(dir: string, mode: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) chmodRecursive(path.join(dir, entry.name), mode);
  }
  chmodSync(dir, mode);
}

// Envs made by the real tools, found through a name in `.venv`, as virtualfish and zsh-autoswitch-virtualenv write it.
for (const shell of SHELLS) {
  const maker = shell === "fish" ? "virtualenv" : "mkvirtualenv";
  const needs = [shell, "tmux", "virtualenv", ...(shell === "fish" ? [] : [VIRTUALENVWRAPPER])];
  describeNeeding(`${shell}: a name pointer to an env made by ${maker}`, needs, () => {
    let w: World;
    afterEach(async () => w?.close());

    it(`finds $WORKON_HOME/web made by ${maker}`, async () => {
      w = await openWorld(shell, { setup });
      const workon = path.join(w.root, "workon");
      if (shell === "fish") {
        await w.s.run(`set -gx WORKON_HOME ${quoteFor(shell, workon)}`);
        await w.s.run(`virtualenv --quiet ${quoteFor(shell, path.join(workon, "web"))}`, { timeoutMs: 60_000 });
      } else {
        await w.s.run(`export WORKON_HOME=${quoteFor(shell, workon)} VIRTUALENVWRAPPER_PYTHON=/usr/bin/python3`);
        await w.s.run(`source ${VIRTUALENVWRAPPER}`, { timeoutMs: 30_000 });
        await w.s.run("mkvirtualenv web >/dev/null 2>&1", { timeoutMs: 60_000 });
        expect(await w.get("VIRTUAL_ENV")).toBe(path.join(workon, "web")); // mkvirtualenv activates it: venvhook stands aside
        await w.s.run("deactivate");
      }
      const proj = path.join(w.root, "shop");
      if (shell === "fish") {
        // By name, with link: it writes the name and allows it.
        await w.cd(proj);
        expect(await w.s.run("venvhook link web")).toBe(`${proj}/.venv now points to ${path.join(workon, "web")}, allowed`);
        expect(readFileSync(path.join(proj, ".venv"), "utf8")).toBe("web\n");
      } else {
        // By name, written by hand as other tools do: found, and activated once allowed.
        writeFileSync(path.join(proj, ".venv"), "web\n");
        await w.cd(proj);
        expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
        await w.s.run("venvhook allow");
      }
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(workon, "web"));
      expect(await w.s.run("command -v python")).toBe(path.join(workon, "web", "bin", "python"));
      await w.cd(w.root);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });
  });
}
