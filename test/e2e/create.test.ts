// Creating envs and the offer to, end to end: in real interactive shells for
// what a user sees, and with the binary directly for races and failures.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { describeShell, SHELLS, which } from "../support/shells.ts";
import { AUTO_BACKEND, BIN, openWorld, promptLine, type World } from "./fixture.ts";

/** A project with a pyproject.toml and no env. */
function pyproject(root: string, name = "shop", extra = ""): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "pyproject.toml"), `[project]\nname = "${name}"\nversion = "0.1"\n${extra}`);
  return dir;
}

/** What is next to the env: a create must leave nothing but `.venv`. */
const leftovers = (dir: string) => readdirSync(dir).filter((name) => name.includes("venvhook-tmp") || name.includes("venvhook-old"));

for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());

    it("hints once per project per session, then create makes a working env, active at once", async () => {
      w = await openWorld(shell, { setup: (root) => void pyproject(root) });
      const proj = path.join(w.root, "shop");
      const hint = "venvhook: shop has a pyproject.toml but no environment; run 'venvhook create' (or 'venvhook ignore')";
      let heard = await w.said(() => w.cd(proj), hint);
      for (const dir of [w.root, path.join(proj, "src"), proj]) heard += await w.said(() => w.cd(dir));
      expect(heard.split("\n").filter((line) => line.includes("venvhook:"))).toEqual([hint]);

      const created = await w.s.runWithStatus("venvhook create", { timeoutMs: 60_000 });
      expect(created.status).toBe(0);
      // The result, on stdout, in one line; only notices on stderr.
      expect(created.stdout).toMatch(new RegExp(`^created ${proj}/\\.venv with Python 3\\.\\d+\\.\\d+ using ${AUTO_BACKEND} in \\d+\\.\\ds: 'shop' is active in ${proj} and below$`));
      expect(created.stderr).not.toContain("created");
      const env = path.join(proj, ".venv");
      expect(await w.get("VIRTUAL_ENV")).toBe(env);
      expect(await w.s.run(`python -c 'import sys; print(sys.prefix)'`)).toBe(env);
      // Built elsewhere and moved: the scripts were rewritten to the final path.
      expect(await w.s.run("command -v pip")).toBe(path.join(env, "bin", "pip"));
      expect(await w.s.run("pip --version")).toContain(path.join(env, "lib"));
      expect(readFileSync(path.join(env, "bin", "activate"), "utf8")).toContain(env);
      expect(leftovers(proj)).toEqual([]);
      await w.s.waitFor((screen) => promptLine(screen) === "(shop) vh>");
      expect(w.venvhook("status", "--json", proj).stdout).toContain('"allowed": true');
    });

    it("ignore silences the offer for good, across new shells; unignore brings it back", async () => {
      w = await openWorld(shell, { setup: (root) => void pyproject(root) });
      const proj = path.join(w.root, "shop");
      await w.cd(proj);
      expect(await w.s.run("venvhook ignore")).toBe(`ignoring ${proj}: no more offers to create an env there`);
      const again = { bash: `exec bash --noprofile --rcfile '${path.join(w.s.dir, "bashrc")}' -i`, zsh: "exec zsh -d -i", fish: "exec fish -i" }[shell];
      await w.s.type(again);
      await w.s.waitForPrompt();
      const heard = (await w.said(() => w.cd(w.root))) + (await w.said(() => w.cd(proj)));
      expect(heard).not.toContain("venvhook:");
      expect(await w.s.run("venvhook status")).toContain("is ignored");
      // The offer is back at the next prompt, without a cd.
      expect(await w.said(() => w.s.run("venvhook unignore"), "no environment")).toContain("venvhook: shop has a pyproject.toml but no environment");
    });

    it("offer = ask: asks on the terminal; yes creates and activates, never ignores", async () => {
      w = await openWorld(shell, {
        env: { VENVHOOK_OFFER: "ask" },
        setup: (root) => {
          pyproject(root, "yes");
          pyproject(root, "no");
        },
      });
      // Typed as a user would, so the hook has the terminal (run() redirects output).
      await w.s.type("cd yes");
      await w.s.waitFor(/Create \.venv for yes with Python 3\.\d+\.\d+\? \[Y\/n\/never\]$/m, { timeoutMs: 10_000 });
      w.s.sendKeys("y", "Enter");
      await w.s.waitForPrompt(60_000);
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "yes", ".venv"));

      await w.s.type(`cd ${path.join(w.root, "no")}`);
      await w.s.waitFor(/Create \.venv for no with/, { timeoutMs: 10_000 });
      // An answer it does not know is asked again, not taken for no.
      let mark = w.s.mark();
      w.s.sendKeys("maybe", "Enter");
      await w.s.waitFor(/Please answer y, n or never\. Create \.venv for no with/, { since: mark, timeoutMs: 10_000 });
      w.s.sendKeys("never", "Enter");
      await w.s.waitForPrompt();
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
      expect(existsSync(path.join(w.root, "no", ".venv"))).toBe(false);
      expect(await w.s.run("venvhook status")).toContain("is ignored");

      // unignore brings the offer back in this same shell session, at the next prompt.
      mark = w.s.mark();
      await w.s.type("venvhook unignore");
      await w.s.waitFor(/Create \.venv for no with/, { since: mark, timeoutMs: 10_000 });
      w.s.sendKeys("n", "Enter");
      await w.s.waitForPrompt();
      expect(existsSync(path.join(w.root, "no", ".venv"))).toBe(false);
    });

    it("offer = ask: keys typed ahead, a whole line or part of one, are left for the shell and the hint is said instead", async () => {
      w = await openWorld(shell, {
        env: { VENVHOOK_OFFER: "ask" },
        setup: (root) => {
          pyproject(root, "ahead");
          pyproject(root, "partly");
        },
      });
      // A whole command typed while the shell is busy, as after `exec bash -i`: it runs, and answers nothing.
      await w.s.type("sleep 1; cd ahead");
      await sleep(300);
      await w.s.type("echo TYPED-AHEAD");
      await w.s.waitFor(/^TYPED-AHEAD$/m, { timeoutMs: 10_000 });
      await w.s.waitForPrompt();
      let screen = w.s.screen({ scrollback: true });
      expect(screen).toContain("venvhook: ahead has a pyproject.toml but no environment; run 'venvhook create'");
      expect(screen).not.toContain("Create .venv for ahead");
      expect(await w.get("PWD")).toBe(path.join(w.root, "ahead"));

      // Part of a line, not yet ended by Enter: it stays on the command line.
      await w.s.type(`sleep 1; cd ${path.join(w.root, "partly")}`);
      await sleep(300);
      w.s.sendText("echo PART");
      await w.s.waitFor(/venvhook: partly has a pyproject\.toml but no environment/, { timeoutMs: 10_000 });
      w.s.sendText("LY-TYPED");
      w.s.sendKeys("Enter");
      await w.s.waitFor(/^PARTLY-TYPED$/m, { timeoutMs: 10_000 });
      await w.s.waitForPrompt();
      screen = w.s.screen({ scrollback: true });
      expect(screen).not.toContain("Create .venv for partly");
      expect(existsSync(path.join(w.root, "partly", ".venv"))).toBe(false);
    });

    it("an interrupted create leaves nothing behind", async () => {
      w = await openWorld(shell, { setup: (root) => void pyproject(root) });
      const proj = path.join(w.root, "shop");
      await w.cd(proj);
      await w.s.type("venvhook create");
      // Wait until the env is being built next to its final place, then press Ctrl-C.
      await waitUntil(() => readdirSync(proj).some((name) => name.includes("venvhook-tmp")));
      w.s.sendKeys("C-c");
      await w.s.waitFor(/venvhook: stopped; nothing was left behind/);
      await w.s.waitForPrompt();
      expect(readdirSync(proj).sort()).toEqual(["pyproject.toml", "src"]);
      expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    });
  });
}

describe("venvhook create", () => {
  let w: World;
  afterEach(async () => w?.close());
  // No test needs a package index, and none is reachable here: do not let pip wait for one.
  const world = (setup: (root: string) => void) => openWorld("bash", { setup, env: { PIP_NO_INDEX: "1" } });

  it("a mistyped setting and a bad value are said once per shell session by the hook, and always by status, with the file", async () => {
    w = await world((root) => void pyproject(root, "shop", ""));
    const config = path.join(w.home, ".config", "venvhook", "config.toml");
    mkdirSync(path.dirname(config), { recursive: true });
    writeFileSync(config, 'ofer = "ask"\noffer = "maybe"\n');
    const unknown = `venvhook: ${config} has 'ofer', which venvhook does not know (its settings are offer and tools); fix or remove it`;
    const bad = `venvhook: offer in ${config} is "maybe", not one of hint, ask, off; using hint`;
    const heard = await w.said(() => w.cd(path.join(w.root, "shop")), bad);
    expect(heard).toContain(unknown);
    expect(await w.said(() => w.cd(w.root))).not.toContain("venvhook:");
    expect(await w.said(() => w.cd(path.join(w.root, "shop")))).not.toContain("does not know");
    // status, from a folder with no project at all.
    const status = w.venvhook("status", w.home).stdout;
    expect(status).toContain(unknown.replace("venvhook: ", ""));
    expect(status).toContain(bad.replace("venvhook: ", ""));
  });

  it("auto makes the env with virtualenv where it is installed (.ci/run installs it), and status says what create would use", async () => {
    expect(AUTO_BACKEND).toBe("virtualenv");
    w = await world((root) => void pyproject(root, "shop", ""));
    const proj = path.join(w.root, "shop");
    expect(JSON.parse(w.venvhook("status", "--json", proj).stdout).offer.why).toMatch(/; create would use Python 3\.\d+\.\d+ \(python3 on PATH\) and virtualenv$/);
    const created = w.venvhook("create", proj);
    expect(created.stdout).toMatch(/^created .* using virtualenv in /);
    expect(readFileSync(path.join(proj, ".venv", "pyvenv.cfg"), "utf8")).toContain("virtualenv");
  });

  it("fails cleanly, creating nothing, when no Python satisfies requires-python", async () => {
    w = await world((root) => void pyproject(root, "future", 'requires-python = ">=3.99"\n'));
    const proj = path.join(w.root, "future");
    const result = w.venvhook("create", proj);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^venvhook: no Python satisfies requires-python "?>=3\.99"?.*found 3\.\d+\.\d+ [^\n]*\n$/);
    // status does not suggest what cannot work.
    expect(JSON.parse(w.venvhook("status", "--json", proj).stdout).offer.why).toMatch(/^no environment, and 'venvhook create' cannot make one here: no Python satisfies requires-python/);
    expect(readdirSync(proj).sort()).toEqual(["pyproject.toml", "src"]);
  });

  it("two creates at once end with one valid env", async () => {
    w = await world((root) => void pyproject(root));
    const proj = path.join(w.root, "shop");
    const create = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(BIN, ["create", proj], { env: w.s.env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", (code) => resolve({ code, out }));
      });
    const results = await Promise.all([create(), create()]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const said = results.map((r) => r.out).join("\n");
    expect(said).toMatch(/waiting for another venvhook \(pid \d+\) creating/);
    expect(said).toContain("was just created by another venvhook");
    const python = path.join(proj, ".venv", "bin", "python");
    expect(spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).stdout.trim()).toBe(path.join(proj, ".venv"));
    expect(leftovers(proj)).toEqual([]);
  });

  it("refuses to replace an env without --force, and replaces it with --force --yes", async () => {
    w = await world((root) => void pyproject(root));
    const proj = path.join(w.root, "shop");
    expect(w.venvhook("create", proj, "--prompt", "first").status).toBe(0);
    const refused = w.venvhook("create", proj);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`venvhook: ${proj}/.venv already exists; use --force to replace it\n`);
    expect(w.venvhook("create", proj, "--force").stderr).toBe(`venvhook: ${proj}/.venv already exists; add --yes to replace it without asking\n`);
    expect(w.venvhook("create", proj, "--force", "--yes", "--prompt", "second").status).toBe(0);
    // venv writes the prompt quoted, virtualenv (what auto picks where it is installed) bare.
    expect(readFileSync(path.join(proj, ".venv", "pyvenv.cfg"), "utf8")).toMatch(/^prompt = '?second'?$/m);
    expect(leftovers(proj)).toEqual([]);
  });

  it("--install installs requirements.txt into the new env", async () => {
    w = await world((root) => {
      const proj = path.join(root, "app");
      mkdirSync(proj);
      writeWheel(proj, "hello_vh", "GREETING = 'hi'\n");
      writeFileSync(path.join(proj, "requirements.txt"), "./hello_vh-0.1-py3-none-any.whl\n");
    });
    const proj = path.join(w.root, "app");
    const result = w.venvhook("create", proj, "--install");
    expect(result.stderr).toContain("installing requirements.txt");
    expect(result.status).toBe(0);
    const python = path.join(proj, ".venv", "bin", "python");
    expect(spawnSync(python, ["-c", "import hello_vh; print(hello_vh.GREETING)"], { encoding: "utf8" }).stdout.trim()).toBe("hi");
  });

  it("--install installs the project itself, editable", async () => {
    w = await world((root) => {
      const proj = path.join(root, "edpkg");
      mkdirSync(path.join(proj, "src", "edpkg"), { recursive: true });
      writeFileSync(path.join(proj, "src", "edpkg", "__init__.py"), "X = 1\n");
      writeFileSync(
        path.join(proj, "pyproject.toml"),
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n[project]\nname = "edpkg"\nversion = "0.1"\n',
      );
      writeFileSync(path.join(proj, "backend.py"), EDITABLE_BACKEND);
    });
    const proj = path.join(w.root, "edpkg");
    const result = w.venvhook("create", proj, "--install");
    expect(result.stderr).toContain("installing edpkg (editable) into .venv");
    expect(result.status).toBe(0);
    // With extras and options for the installer: offline, and with no dependencies to fetch.
    const extras = w.venvhook("create", proj, "--force", "--yes", "--install", ".[dev]", "--installer-arg=--no-deps");
    expect(extras.stderr).toContain("installing edpkg[dev] (editable) into .venv");
    expect(extras.status).toBe(0);
    writeFileSync(path.join(proj, "src", "edpkg", "__init__.py"), "X = 2\n");
    const python = path.join(proj, ".venv", "bin", "python");
    expect(spawnSync(python, ["-c", "import edpkg; print(edpkg.X)"], { encoding: "utf8" }).stdout.trim()).toBe("2");
  });

  it("a failed install leaves nothing behind and names the log with the backend's output", async () => {
    w = await world((root) => {
      mkdirSync(path.join(root, "app"));
      writeFileSync(path.join(root, "app", "requirements.txt"), "no-such-package-vh==1.0\n");
    });
    const proj = path.join(w.root, "app");
    const result = w.venvhook("create", proj, "--install");
    expect(result.status).toBe(1);
    const last = result.stderr.trim().split("\n").at(-1) ?? "";
    // The installer's last line, to act on at once, and where the rest is.
    expect(last).toMatch(/^venvhook: installing requirements\.txt into \.venv failed \(status 1\): ERROR: .*no-such-package-vh.*; its whole output is in (.*create\.log)$/);
    const log = /its whole output is in (.*)$/.exec(last)![1]!;
    expect(readFileSync(log, "utf8")).toContain("no-such-package-vh");
    expect(readdirSync(proj)).toEqual(["requirements.txt"]);

    // Replacing an env, a failure says the old one is kept, and it is.
    expect(w.venvhook("create", proj).status).toBe(0);
    const replaced = w.venvhook("create", proj, "--force", "--yes", "--install");
    expect(replaced.status).toBe(1);
    expect(replaced.stderr.trim().split("\n").at(-1)).toMatch(new RegExp(`; ${proj}/\\.venv is kept as it was$`));
    expect(existsSync(path.join(proj, ".venv", "pyvenv.cfg"))).toBe(true);
  });

  it("the virtualenv backend makes a working env, moved into place with its scripts rewritten", async () => {
    w = await world((root) => void pyproject(root));
    const proj = path.join(w.root, "shop");
    const result = w.venvhook("create", proj, "--backend", "virtualenv");
    expect(result.stderr).toContain("using virtualenv");
    expect(result.status).toBe(0);
    const env = path.join(proj, ".venv");
    expect(spawnSync(path.join(env, "bin", "python"), ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).stdout.trim()).toBe(env);
    expect(spawnSync(path.join(env, "bin", "pip"), ["--version"], { encoding: "utf8" }).stdout).toContain(env);
    for (const script of readdirSync(path.join(env, "bin"))) {
      const file = path.join(env, "bin", script);
      if (lstatSync(file).isFile()) expect(readFileSync(file, "utf8"), script).not.toContain("venvhook-tmp");
    }
    expect(leftovers(proj)).toEqual([]);
  });

  const uv = which("uv");
  (uv ? it : it.skip)(`the uv backend makes a working env${uv ? "" : " (skipped: uv is not on PATH)"}`, async () => {
    w = await world((root) => void pyproject(root));
    const proj = path.join(w.root, "shop");
    const result = w.venvhook("create", proj, "--backend", "uv");
    expect(result.status).toBe(0);
    expect(existsSync(path.join(proj, ".venv", "pyvenv.cfg"))).toBe(true);
  });
  if (!uv) console.warn("skipping the uv backend test: uv is not on PATH");
});

/** A PEP 660 build backend that needs nothing from an index, so an editable install works offline. */
const EDITABLE_BACKEND = `import base64, hashlib, os, zipfile

NAME, VERSION = "edpkg", "0.1"
INFO = f"{NAME}-{VERSION}.dist-info"
METADATA = f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n"
WHEEL = "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"

def get_requires_for_build_editable(config_settings=None):
    return []

def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    os.makedirs(os.path.join(metadata_directory, INFO))
    with open(os.path.join(metadata_directory, INFO, "METADATA"), "w") as f:
        f.write(METADATA)
    return INFO

def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")
    files = {f"{NAME}.pth": src + "\\n", f"{INFO}/METADATA": METADATA, f"{INFO}/WHEEL": WHEEL}
    digest = lambda t: "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b"=").decode()
    record = "".join(f"{p},{digest(t)},{len(t.encode())}\\n" for p, t in files.items()) + f"{INFO}/RECORD,,\\n"
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as whl:
        for p, t in files.items():
            whl.writestr(p, t)
        whl.writestr(f"{INFO}/RECORD", record)
    return name
`;

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A minimal pure-Python wheel, made with Python's zipfile: installable offline. */
function writeWheel(dir: string, name: string, code: string): void {
  const script = `
import sys, zipfile, hashlib, base64
name, code, out = sys.argv[1], sys.argv[2], sys.argv[3]
info = f"{name}-0.1.dist-info"
files = {f"{name}.py": code, f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: 0.1\\n", f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
def digest(text):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
record = "".join(f"{path},{digest(text)},{len(text.encode())}\\n" for path, text in files.items()) + f"{info}/RECORD,,\\n"
with zipfile.ZipFile(out, "w") as wheel:
    for path, text in files.items():
        wheel.writestr(path, text)
    wheel.writestr(f"{info}/RECORD", record)
`;
  const result = spawnSync("python3", ["-c", script, name, code, path.join(dir, `${name}-0.1-py3-none-any.whl`)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
}
