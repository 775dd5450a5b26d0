// install.sh end to end: it installs the binary, hooks the rc file of each
// shell the user has once, a new real shell then activates envs, and
// --uninstall puts every rc file back byte for byte and names (or, asked to,
// deletes) venvhook's folders. From a checkout it builds with only what the
// build needs, and not again when nothing changed; --binary takes a release
// folder's URL. Also the npm `bin`, under plain Node.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeNeeding, describeShell, SHELLS } from "../support/shells.ts";
import { dialectOf } from "../support/dialects/index.ts";
import { BIN, fakeBinary, makeVenv, runBinary } from "./fixture.ts";
import { releaseFolder, run, serveTestReleases, type ReleaseServer } from "../support/release-server.ts";
import { startShell } from "./driver.ts";

const base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-install-")));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A home that has each shell's rc file, with the user's own content. */
function makeHome(name: string): { home: string; env: NodeJS.ProcessEnv; rc: Record<string, string> } {
  const home = path.join(base, name);
  mkdirSync(path.join(home, ".config", "fish"), { recursive: true });
  const rc = {
    [path.join(home, ".bashrc")]: "# my bashrc\nalias ll='ls -l'\n",
    [path.join(home, ".zshrc")]: "# my zshrc\n",
    [path.join(home, ".config", "fish", "config.fish")]: "# my config.fish\n",
  };
  for (const [file, text] of Object.entries(rc)) writeFileSync(file, text);
  const env = {
    HOME: home,
    PATH: process.env.PATH,
    SHELL: "/bin/bash",
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
  };
  return { home, env, rc };
}

/** A home with exactly these files (path relative to it -> text), and $SHELL set to `shell`. */
function bareHome(name: string, shell: string, files: Record<string, string> = {}): { home: string; env: NodeJS.ProcessEnv } {
  const home = path.join(base, name);
  mkdirSync(home, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    writeFileSync(path.join(home, file), text);
  }
  return { home, env: { HOME: home, PATH: process.env.PATH, SHELL: shell } };
}

/** Every file and folder below a folder, relative to it, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

function install(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync("./install.sh", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describeNeeding("install.sh", ["sh"], () => {
  it("installs once, says what it did, and uninstalls to exactly what was there", () => {
    const { home, env, rc } = makeHome("once");
    const prefix = path.join(home, "prefix");
    const first = install(env, "--binary", BIN, "--prefix", prefix);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("added to ~/.bashrc");
    expect(first.stdout).toMatch(/open a new shell/i);
    const installed = path.join(prefix, "bin", "venvhook");
    expect(spawnSync(installed, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(
      JSON.parse(readFileSync("package.json", "utf8")).version,
    );
    const bashrc = readFileSync(path.join(home, ".bashrc"), "utf8");
    expect(bashrc.match(/# added by venvhook install\.sh/g)).toHaveLength(1);
    // The rc line loads the hook from the file the installed binary wrote: a new shell runs no venvhook to start.
    const hooks = path.join(home, ".local", "share", "venvhook", "init");
    expect(bashrc).toContain(`. '${path.join(hooks, "venvhook.bash")}'\n`);
    expect(readFileSync(path.join(hooks, "venvhook.bash"), "utf8")).toBe(spawnSync(installed, ["init", "bash"], { encoding: "utf8" }).stdout);
    const fishFile = path.join(home, ".config", "fish", "conf.d", "venvhook.fish");
    expect(readFileSync(fishFile, "utf8")).toContain(`source '${path.join(hooks, "venvhook.fish")}'`);

    const snapshot = (files: string[]) => files.map((f) => readFileSync(f, "utf8"));
    const hooked = [...Object.keys(rc), fishFile];
    const after = snapshot(hooked);
    const again = install(env, "--binary", BIN, "--prefix", prefix);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("already present");
    expect(snapshot(hooked)).toEqual(after);

    const removed = install(env, "--uninstall", "--prefix", prefix);
    expect(removed.status).toBe(0);
    expect(existsSync(installed)).toBe(false);
    expect(existsSync(fishFile)).toBe(false);
    expect(existsSync(path.join(home, ".local", "share", "venvhook"))).toBe(false);
    for (const [file, text] of Object.entries(rc)) expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("replaces the init line an older install.sh wrote with the line that loads the hook file", () => {
    const { home, env } = bareHome("older", "/bin/bash");
    const bin = path.join(home, ".local", "bin", "venvhook");
    const older = `# mine\n# added by venvhook install.sh\neval "$('${bin}' init bash)"\n`;
    writeFileSync(path.join(home, ".bashrc"), older);
    const result = install(env, "--binary", BIN);
    expect(result.status).toBe(0);
    const line = `. '${path.join(home, ".local", "share", "venvhook", "init", "venvhook.bash")}'`;
    expect(result.stdout).toContain(`updated in ~/.bashrc: the line after the marker is now\n    ${line}\n`);
    expect(readFileSync(path.join(home, ".bashrc"), "utf8")).toBe(`# mine\n# added by venvhook install.sh\n${line}\n`);
    expect(install(env, "--uninstall").status).toBe(0);
    expect(readFileSync(path.join(home, ".bashrc"), "utf8")).toBe("# mine\n");
  });

  it("--no-modify-rc installs the binary only and prints the lines to add", () => {
    const { home, env, rc } = makeHome("norc");
    const result = install(env, "--binary", BIN, "--prefix", path.join(home, "p"), "--no-modify-rc");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("/venvhook/init/venvhook.bash'");
    for (const [file, text] of Object.entries(rc)) expect(readFileSync(file, "utf8")).toBe(text);
    expect(existsSync(path.join(home, "p", "bin", "venvhook"))).toBe(true);
  });

  it("rejects an unknown option with one line on stderr", () => {
    const result = install(makeHome("bad").env, "--frobnicate");
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^venvhook install: unknown option: --frobnicate/)]);
  });
});

describeNeeding("install.sh and .ci/run", ["shellcheck"], () => {
  it("pass shellcheck", () => {
    const result = spawnSync("shellcheck", ["install.sh", ".ci/run"], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describeNeeding("install.sh and the rc files of the shells the user has", ["sh"], () => {
  it("hooks only a shell whose rc file exists or that is the login shell, and prints each line it adds", () => {
    // zsh and fish may well be installed here: that alone is not a reason to write their config.
    const { home, env } = bareHome("only-bash", "/bin/bash", { ".bashrc": "# mine\n" });
    const result = install(env, "--binary", BIN);
    expect(result.status).toBe(0);
    const bin = path.join(home, ".local", "bin", "venvhook");
    const hook = path.join(home, ".local", "share", "venvhook", "init", "venvhook.bash");
    const line = `. '${hook}'`;
    expect(result.stdout).toContain(`added to ~/.bashrc, at the end:\n    # added by venvhook install.sh\n    ${line}\n`);
    expect(readFileSync(path.join(home, ".bashrc"), "utf8")).toBe(`# mine\n# added by venvhook install.sh\n${line}\n`);
    expect(readFileSync(hook, "utf8")).toContain(`__venvhook_bin='${bin}'`);
    expect(tree(home)).toEqual([".bashrc", ".local", ".local/bin", ".local/bin/venvhook", ".local/share", ".local/share/venvhook", ".local/share/venvhook/init", ".local/share/venvhook/init/venvhook.bash"]);
  });

  it("creates the login shell's rc file when it has none, and --uninstall deletes it again", () => {
    const { home, env } = bareHome("zsh-login", "/usr/bin/zsh");
    const result = install(env, "--binary", BIN);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("created ~/.zshrc (your login shell's), with:\n    # added by venvhook install.sh, which created this file\n");
    expect(existsSync(path.join(home, ".zshrc"))).toBe(true);
    expect(existsSync(path.join(home, ".bashrc"))).toBe(false);
    expect(existsSync(path.join(home, ".config"))).toBe(false);
    const removed = install(env, "--uninstall");
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain("removed ~/.zshrc (install.sh created it; it held only:)");
    expect(tree(home)).toEqual([".local", ".local/bin", ".local/share"]);
  });

  it("--uninstall restores files byte for byte: no final line break, an empty file, CRLF, and a line the user added after the block", () => {
    const files = {
      ".bashrc": "alias ll='ls -l'", // no line break at the end
      ".zshrc": "", // exists, empty
      ".config/fish/config.fish": "set -x A 1\r\n# no break",
    };
    const { home, env } = bareHome("bytes", "/bin/bash", files);
    const first = install(env, "--binary", BIN);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("added to ~/.bashrc, after a line break at the end of its last line (it had none):");
    expect(readFileSync(path.join(home, ".bashrc"), "utf8")).toMatch(/^alias ll='ls -l'\n# added by venvhook install\.sh, with the line break above\n\. '.*\/venvhook\/init\/venvhook\.bash'\n$/);
    // Installing again changes nothing.
    expect(install(env, "--binary", BIN).stdout).toContain("already present in ~/.bashrc");
    const removed = install(env, "--uninstall");
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain("removed from ~/.bashrc:\n    # added by venvhook install.sh, with the line break above\n");
    for (const [file, text] of Object.entries(files)) expect(readFileSync(path.join(home, file), "utf8"), file).toBe(text);
    expect(existsSync(path.join(home, ".config", "fish", "conf.d", "venvhook.fish"))).toBe(false);

    // A line the user wrote after the block stays a line of its own.
    expect(install(env, "--binary", BIN).status).toBe(0);
    appendFileSync(path.join(home, ".bashrc"), "export B=2");
    expect(install(env, "--uninstall").status).toBe(0);
    expect(readFileSync(path.join(home, ".bashrc"), "utf8")).toBe("alias ll='ls -l'\nexport B=2");
  });
});

describeNeeding("install.sh --uninstall and venvhook's folders", ["sh", "python3"], () => {
  it("names each folder and keeps it; --purge deletes all but the store's envs; --purge-envs lists those and what points to them, then deletes them", () => {
    const { home, env } = bareHome("folders", "/bin/bash", { ".bashrc": "" });
    // XDG variables move the folders, as they move the binary's.
    const xdg = {
      XDG_DATA_HOME: path.join(home, "xdg data"),
      XDG_CONFIG_HOME: path.join(home, "xdg config"),
      XDG_STATE_HOME: path.join(home, "xdg state"),
      XDG_CACHE_HOME: path.join(home, "xdg cache"),
    };
    Object.assign(env, xdg);
    expect(install(env, "--binary", BIN).status).toBe(0);
    // What a user leaves behind: an env in the store (with the project's .venv pointing at it), trust, config, a lock, a cache entry.
    const project = path.join(home, "shop");
    mkdirSync(project);
    writeFileSync(path.join(project, "pyproject.toml"), '[project]\nname = "shop"\n');
    const made = runBinary(project, ["create", "--central", "--backend", "venv"], { ...xdg, HOME: home, PATH: process.env.PATH! });
    expect(made.status, made.stderr).toBe(0);
    expect(runBinary(project, ["ignore"], { ...xdg, HOME: home, PATH: process.env.PATH! }).status).toBe(0);
    mkdirSync(path.join(xdg.XDG_CONFIG_HOME, "venvhook"), { recursive: true });
    writeFileSync(path.join(xdg.XDG_CONFIG_HOME, "venvhook", "config.toml"), "[tools]\n");
    mkdirSync(path.join(xdg.XDG_CACHE_HOME, "venvhook", "projects"), { recursive: true });
    const data = path.join(xdg.XDG_DATA_HOME, "venvhook");
    const [storeProject] = readdirSync(path.join(data, "envs"));
    const storeEnv = path.join(data, "envs", storeProject!, "default");
    expect(existsSync(path.join(storeEnv, "pyvenv.cfg"))).toBe(true);

    const kept = install(env, "--uninstall");
    expect(kept.status).toBe(0);
    const shown = (dir: string) => `~/${path.relative(home, dir)}`;
    for (const [kind, dir] of [
      ["data  ", data],
      ["store ", path.join(data, "envs")],
      ["config", path.join(xdg.XDG_CONFIG_HOME, "venvhook")],
      ["state ", path.join(xdg.XDG_STATE_HOME, "venvhook")],
      ["cache ", path.join(xdg.XDG_CACHE_HOME, "venvhook")],
    ]) {
      expect(kept.stdout).toContain(`  ${kind} ${shown(dir!)}: `);
      expect(existsSync(dir!), dir).toBe(true);
    }
    expect(kept.stdout).toContain("venvhook's central envs, 1 of them");

    const purged = install(env, "--uninstall", "--purge");
    expect(purged.status, purged.stderr).toBe(0);
    for (const dir of ["xdg config", "xdg state", "xdg cache"]) expect(existsSync(path.join(home, dir, "venvhook")), dir).toBe(false);
    expect(readdirSync(data)).toEqual(["envs"]);
    expect(existsSync(path.join(storeEnv, "pyvenv.cfg"))).toBe(true);
    expect(purged.stdout).toContain(`kept venvhook's store, ${shown(path.join(data, "envs"))}, with 1 envs`);

    // Allowed again (purge forgot it), so the trust store names the pointer.
    expect(runBinary(project, ["allow"], { ...xdg, HOME: home, PATH: process.env.PATH! }).status).toBe(0);
    const gone = install(env, "--uninstall", "--purge-envs");
    expect(gone.status, gone.stderr).toBe(0);
    expect(gone.stdout).toContain(
      `deleting venvhook's store, ${shown(path.join(data, "envs"))}, with these envs:\n  ${shown(storeEnv)}\n    made for the project ${project}\n    pointed to by ${path.join(project, ".venv")} (that project will have no env)\n`,
    );
    expect(existsSync(data)).toBe(false);
    expect(tree(home).filter((f) => f.startsWith("xdg"))).toEqual(["xdg cache", "xdg config", "xdg data", "xdg state"]);
  });

  it("--purge alone is a usage error", () => {
    const result = install(bareHome("purge-alone", "/bin/bash").env, "--purge");
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^venvhook install: --purge and --purge-envs go with --uninstall/)]);
  });
});

// A PATH without curl, to make install.sh use wget: a folder of links to everything else on PATH, made once.
let withoutCurl: string | undefined;
function pathWithoutCurl(): string {
  if (withoutCurl) return withoutCurl;
  const dir = path.join(base, "path-without-curl");
  mkdirSync(dir);
  // The first folder on PATH that has a name wins, as in a lookup.
  for (const from of (process.env.PATH ?? "").split(path.delimiter)) {
    let names: string[];
    try {
      names = readdirSync(from);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name !== "curl" && !existsSync(path.join(dir, name))) symlinkSync(path.join(from, name), path.join(dir, name));
    }
  }
  return (withoutCurl = dir);
}

const releaseName = `venvhook-${process.platform}-${process.arch}`;

describeNeeding("install.sh --binary with a release folder's URL", ["sh", "curl", "wget"], () => {
  let server: ReleaseServer;
  beforeAll(async () => {
    server = await serveTestReleases(releaseName, BIN);
  });
  afterAll(() => server.close());

  for (const downloader of ["curl", "wget"] as const) {
    describe(`with ${downloader}`, () => {
      const homeWith = (name: string) => {
        const made = bareHome(`${downloader}-${name}`, "/bin/bash");
        if (downloader === "wget") made.env.PATH = pathWithoutCurl();
        return made;
      };

      it("downloads only this machine's binary and SHA256SUMS, checks it and installs it", async () => {
        const { home, env } = homeWith("good");
        server.requests.length = 0;
        const result = await run("./install.sh", ["--binary", server.url("good"), "--no-modify-rc"], { env });
        expect(result.stderr).not.toMatch(/^venvhook install: (?!warning)/m);
        expect(result.status).toBe(0);
        expect(server.requests).toEqual(["/good/SHA256SUMS", `/good/${releaseName}`]);
        const bin = path.join(home, ".local", "bin", "venvhook");
        expect(spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
      });

      for (const [folder, error] of [
        ["tampered", /^venvhook install: checksum mismatch for http:\/\/127\.0\.0\.1:\d+\/tampered\/venvhook-\S+: SHA256SUMS says \w+, the file's is \w+; not installing it$/],
        ["truncated", /^venvhook install: downloading http:\/\/127\.0\.0\.1:\d+\/truncated\/venvhook-\S+ failed: .*(cut short|wget exit status \d).*; nothing installed$/],
        ["no binary", /^venvhook install: downloading http:\/\/127\.0\.0\.1:\d+\/no%20binary\/venvhook-\S+ failed: the server answered HTTP 404; nothing installed$/],
        ["missing", /^venvhook install: downloading http:\/\/127\.0\.0\.1:\d+\/missing\/SHA256SUMS failed: the server answered HTTP 404; nothing installed$/],
      ] as const) {
        it(`${folder}: one line on stderr, and nothing installed`, async () => {
          const { home, env } = homeWith(folder.replace(" ", "-"));
          const result = await run("./install.sh", ["--binary", server.url(folder), "--no-modify-rc"], { env });
          expect(result.status).toBe(1);
          expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(error)]);
          expect(existsSync(path.join(home, ".local"))).toBe(false);
        });
      }
    });
  }

  it("takes a file:// URL as the folder itself, and refuses plain http to another machine", async () => {
    const { home, env } = bareHome("file-url", "/bin/bash");
    const release = path.join(home, "my release");
    mkdirSync(release);
    for (const [name, file] of Object.entries(releaseFolder(releaseName, BIN))) writeFileSync(path.join(release, name), file.body);
    const result = await run("./install.sh", ["--binary", `file://${release}`, "--no-modify-rc"], { env });
    expect(result.stderr).not.toMatch(/^venvhook install: (?!warning)/m);
    expect(result.status).toBe(0);
    expect(existsSync(path.join(home, ".local", "bin", "venvhook"))).toBe(true);
    const http = await run("./install.sh", ["--binary", "http://example.com/release", "--no-modify-rc"], { env });
    expect(http.status).toBe(1);
    expect(http.stderr).toMatch(/^venvhook install: --binary takes https:\/\/ and file:\/\/ URLs \(http:\/\/ only to 127\.0\.0\.1 or localhost\), not http:\/\/example\.com\/release\n$/);
  });
});

describeNeeding("./install.sh in a checkout", ["sh", "node"], () => {
  it("installs only what the build needs, and a second run with nothing new runs no npm at all", () => {
    const { home, env } = bareHome("checkout", "/bin/bash");
    const checkout = path.join(home, "venvhook");
    mkdirSync(checkout);
    for (const file of ["install.sh", "package.json", "package-lock.json", "src", "shells"]) cpSync(file, path.join(checkout, file), { recursive: true });
    // A stand-in npm (a real one would fetch packages): it notes its arguments, and makes what each command would.
    const tools = path.join(home, "tools");
    mkdirSync(tools);
    const log = path.join(home, "npm.log");
    fakeBinary(
      tools,
      "npm",
      `echo "$*" >> '${log}'
case $1 in
ci) mkdir -p node_modules && echo '{}' > node_modules/.package-lock.json ;;
install) mkdir -p "$3/node_modules/.bin" && printf '#!/bin/sh\\n' > "$3/node_modules/.bin/bun" && chmod +x "$3/node_modules/.bin/bun" ;;
run) command -v bun >/dev/null || exit 9; mkdir -p dist && cp '${BIN}' dist/venvhook && : > dist/venvhook.mjs ;;
esac`,
    );
    const runInstall = () => {
      rmSync(log, { force: true });
      const result = spawnSync("./install.sh", ["--no-modify-rc"], { cwd: checkout, env: { ...env, PATH: `${tools}:${env.PATH}` }, encoding: "utf8" });
      expect(result.stderr).not.toMatch(/^venvhook install: (?!warning)/m);
      expect(result.status).toBe(0);
      return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
    };
    const everything = [
      "ci --omit=dev --no-audit --no-fund --no-update-notifier",
      "install --prefix node_modules/.venvhook-build --no-package-lock --no-audit --no-fund --no-update-notifier",
      "run build",
    ];
    expect(runInstall()).toEqual(everything);
    // bun at the version package-lock.json pins, with its postinstall allowed.
    const bun = JSON.parse(readFileSync("package-lock.json", "utf8")).packages["node_modules/bun"].version;
    expect(JSON.parse(readFileSync(path.join(checkout, "node_modules", ".venvhook-build", "package.json"), "utf8"))).toEqual({
      private: true,
      dependencies: { bun },
      allowScripts: { bun: true },
    });
    expect(existsSync(path.join(home, ".local", "bin", "venvhook"))).toBe(true);
    expect(runInstall()).toEqual([]);
    // A changed source: build again, with the packages already there.
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(checkout, "src", "main.ts"), later, later);
    expect(runInstall()).toEqual(["run build"]);
    // A changed lock file: everything again.
    appendFileSync(path.join(checkout, "package-lock.json"), "\n");
    const evenLater = new Date(Date.now() + 10000);
    utimesSync(path.join(checkout, "package-lock.json"), evenLater, evenLater);
    expect(runInstall()).toEqual(everything);
  });
});

// A user with a quote and a space in their home folder, installing, then opening a new shell.
describe("after install.sh, a new shell", () => {
  let home: string;
  let project: string;
  beforeAll(() => {
    const made = makeHome("it's my home");
    home = made.home;
    expect(install(made.env, "--binary", BIN).status).toBe(0);
    project = path.join(home, "proj");
    makeVenv(path.join(project, ".venv"));
  });

  for (const shell of SHELLS) {
    describeShell(shell, () => {
      it("activates an env after venvhook allow", async () => {
        // The driver loads its own rc; it sources the user's real one, as a login would.
        const rc = shell === "fish" ? dialectOf(shell).prompt : `source ~/.${shell}rc\n${dialectOf(shell).prompt}`;
        const s = await startShell({ shell, home, rc, cwd: home });
        try {
          await s.run("cd proj");
          await s.run("venvhook allow");
          expect(await s.run(dialectOf(shell).get("VIRTUAL_ENV"))).toBe(path.join(project, ".venv"));
          expect(await s.run(shell === "zsh" ? "whence -w venvhook" : "type -t venvhook")).toMatch(/function$/);
          await s.run(`venvhook deny`);
        } finally {
          await s.close();
        }
      });
    });
  }
});

describe("the npm bin under plain Node", () => {
  it("embeds its own path in the hook and prints what the compiled binary prints", () => {
    const script = path.resolve("bin/venvhook.js");
    const { home, env } = makeHome("node");
    const project = path.join(home, "proj");
    makeVenv(path.join(project, ".venv"));
    const run = (command: string, ...args: string[]) =>
      spawnSync(command, args, { cwd: project, env: { ...env, PWD: project }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(run("node", script, "init", "bash").stdout).toContain(`__venvhook_bin='${script}'`);
    expect(run("node", script, "allow").status).toBe(0);
    const viaNode = run("node", script, "export", "bash");
    const viaBinary = run(BIN, "export", "bash");
    expect(viaNode.status).toBe(0);
    expect(viaNode.stdout).toContain(`export VIRTUAL_ENV='${path.join(project, ".venv")}'`);
    expect(viaNode.stdout).toBe(viaBinary.stdout);
  });
});
