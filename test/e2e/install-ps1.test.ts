// install.ps1 end to end, in a real pwsh (.ci/run installs it with dotnet;
// test/unit/install-ps1.test.ts checks the parts that touch Windows). On Linux and
// macOS install.ps1 installs to ~/.local/bin and edits pwsh's $PROFILE, so
// everything but the Windows Path runs here: the binary, -Binary with a
// folder and SHA256SUMS or its URL (served on 127.0.0.1 by the test), the
// profile's lines once, and an -Uninstall that leaves the profile byte for
// byte as it was.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf } from "../support/dialects/index.ts";
import { describeNeeding, quoteFor, shellExecutable, which } from "../support/shells.ts";
import { startShell } from "./driver.ts";
import { BIN, fakeBinary, makeVenv } from "./fixture.ts";
import { run, serveTestReleases, type ReleaseServer } from "../support/release-server.ts";

const base = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-install-ps1-")));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const version: string = JSON.parse(readFileSync("package.json", "utf8")).version;
const BEGIN = "# >>> added by venvhook install.ps1 >>>";
const END = "# <<< added by venvhook install.ps1 <<<";
const LINE = 'Invoke-Expression ((& venvhook init pwsh) -join "`n")';

interface Home {
  home: string;
  env: NodeJS.ProcessEnv;
  bin: string;
  /** pwsh's $PROFILE (CurrentUserCurrentHost) in this home. */
  profile: string;
}

function makeHome(name: string): Home {
  const home = path.join(base, name);
  mkdirSync(home, { recursive: true });
  const env = {
    HOME: home,
    PATH: process.env.PATH,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    LOCALAPPDATA: path.join(home, "AppData", "Local"),
    POWERSHELL_TELEMETRY_OPTOUT: "1",
    POWERSHELL_UPDATECHECK: "Off",
    LANG: "C.UTF-8",
  };
  return { home, env, bin: path.join(home, ".local", "bin", "venvhook"), profile: path.join(env.XDG_CONFIG_HOME, profileInConfig()) };
}

let profileRelative: string | undefined;
/** Where pwsh keeps $PROFILE under XDG_CONFIG_HOME, asked once (pwsh starts slowly). */
function profileInConfig(): string {
  if (profileRelative === undefined) {
    const config = path.join(base, "asked", ".config");
    const asked = spawnSync(shellExecutable("pwsh") ?? "pwsh", ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", "$PROFILE"], {
      env: { HOME: path.dirname(config), PATH: process.env.PATH, XDG_CONFIG_HOME: config, POWERSHELL_TELEMETRY_OPTOUT: "1", POWERSHELL_UPDATECHECK: "Off" },
      encoding: "utf8",
    });
    profileRelative = path.relative(config, asked.stdout.trim());
    if (profileRelative.startsWith("..") || path.isAbsolute(profileRelative)) throw new Error(`pwsh's $PROFILE is not under XDG_CONFIG_HOME: ${asked.stdout}${asked.stderr}`);
  }
  return profileRelative;
}

function install(home: Home, ...args: string[]) {
  const result = spawnSync(shellExecutable("pwsh") ?? "pwsh", ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", "install.ps1", ...args], {
    env: home.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const releaseName = `venvhook-${process.platform}-${process.arch}`;

function makeRelease(name: string, sums: "good" | "tampered" | "no line" | "no file"): string {
  const dir = path.join(base, name, "release");
  mkdirSync(dir, { recursive: true });
  const binary = path.join(dir, releaseName);
  copyFileSync(BIN, binary);
  const line = `${sha256(binary)}  ${releaseName}\n`;
  if (sums === "good" || sums === "tampered") writeFileSync(path.join(dir, "SHA256SUMS"), `${"0".repeat(64)}  venvhook-plan9-mips\n${line}`);
  if (sums === "no line") writeFileSync(path.join(dir, "SHA256SUMS"), `${"0".repeat(64)}  venvhook-plan9-mips\n`);
  if (sums === "tampered") appendFileSync(binary, "\0");
  return dir;
}

const errorLines = (stderr: string) => stderr.trim().split("\n").filter((line) => !line.startsWith("venvhook: warning:"));

describeNeeding("install.ps1", ["pwsh"], () => {
  it("installs once, says what it did, and uninstalls to exactly the profile that was there", () => {
    const home = makeHome("once");
    // The user's profile: CRLF, and no line ending after its last line.
    const mine = "# my profile\r\nSet-Alias ll Get-ChildItem";
    mkdirSync(path.dirname(home.profile), { recursive: true });
    writeFileSync(home.profile, mine);

    const first = install(home, "-Binary", BIN);
    expect(first.stderr).not.toMatch(/^venvhook: (?!warning)/m);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`installed venvhook ${version} to ${home.bin}`);
    expect(first.stdout).toContain(`added to ${home.profile}`);
    expect(spawnSync(home.bin, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(version);
    const hooked = readFileSync(home.profile, "utf8");
    expect(hooked).toBe(`${mine}\r\n${BEGIN}\r\n${LINE}\r\n${END}`);

    const again = install(home, "-Binary", BIN);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`already present in ${home.profile}`);
    expect(readFileSync(home.profile, "utf8")).toBe(hooked);

    const removed = install(home, "-Uninstall");
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain(`removed ${home.bin}`);
    // It names venvhook's folders, the central store of envs among them, and deletes none.
    const data = path.join(home.env.XDG_DATA_HOME!, "venvhook");
    expect(removed.stdout).toContain(`  data   ${data}: `);
    expect(removed.stdout).toContain(`  store  ${path.join(data, "envs")}: `);
    expect(removed.stdout).toContain(`  config ${path.join(home.env.XDG_CONFIG_HOME!, "venvhook")}: `);
    expect(removed.stdout).not.toMatch(/delete that folder/);
    expect(existsSync(home.bin)).toBe(false);
    expect(readFileSync(home.profile, "utf8")).toBe(mine);
  });

  it("creates a missing profile and deletes it again; keeps a UTF-16 profile's bytes", () => {
    const fresh = makeHome("fresh");
    expect(install(fresh, "-Binary", BIN).status).toBe(0);
    expect(readFileSync(fresh.profile, "utf8")).toBe(`${BEGIN}\n${LINE}\n${END}\n`);
    expect(install(fresh, "-Uninstall").stdout).toContain("it was left empty, so it was deleted");
    expect(existsSync(fresh.profile)).toBe(false);

    // What Windows PowerShell's `"..." > $PROFILE` writes: UTF-16 LE with a byte order mark.
    const utf16 = makeHome("utf16");
    mkdirSync(path.dirname(utf16.profile), { recursive: true });
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("# mine, é\n", "utf16le")]);
    writeFileSync(utf16.profile, bytes);
    expect(install(utf16, "-Binary", BIN).status).toBe(0);
    expect(readFileSync(utf16.profile).subarray(2).toString("utf16le")).toBe(`# mine, é\n${BEGIN}\n${LINE}\n${END}\n`);
    expect(install(utf16, "-Uninstall").status).toBe(0);
    expect(readFileSync(utf16.profile).equals(bytes)).toBe(true);
  });

  it("-Binary <folder> installs this machine's release binary only if SHA256SUMS says so", () => {
    const good = makeHome("release-good");
    const ok = install(good, "-Binary", makeRelease("good", "good"));
    expect(ok.status).toBe(0);
    expect(spawnSync(good.bin, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(version);

    for (const sums of ["tampered", "no line", "no file"] as const) {
      const home = makeHome(`release-${sums.replace(" ", "-")}`);
      const result = install(home, "-Binary", makeRelease(sums.replace(" ", "-"), sums), "-NoModifyProfile");
      expect(result.status, sums).toBe(1);
      expect(errorLines(result.stderr), sums).toEqual([
        expect.stringMatching(
          { tampered: /^venvhook: checksum mismatch for /, "no line": /^venvhook: .*SHA256SUMS has no line for /, "no file": /^venvhook: no SHA256SUMS in / }[sums],
        ),
      ]);
      expect(existsSync(home.bin), sums).toBe(false);
    }
  });

  describe("-Binary <URL>", () => {
    let server: ReleaseServer;
    beforeAll(async () => {
      server = await serveTestReleases(releaseName, BIN);
    });
    afterAll(() => server.close());
    const installFrom = (home: Home, url: string) =>
      run(shellExecutable("pwsh") ?? "pwsh", ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", "install.ps1", "-Binary", url, "-NoModifyProfile"], { env: home.env });

    it("downloads only this machine's binary and SHA256SUMS, checks it and installs it", async () => {
      const home = makeHome("url-good");
      server.requests.length = 0;
      const result = await installFrom(home, `${server.url("good")}/`);
      expect(result.stderr).not.toMatch(/^venvhook: (?!warning)/m);
      expect(result.status).toBe(0);
      expect(server.requests).toEqual(["/good/SHA256SUMS", `/good/${releaseName}`]);
      expect(spawnSync(home.bin, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(version);
    });

    for (const [folder, error] of [
      ["tampered", /^venvhook: checksum mismatch for venvhook-\S+: SHA256SUMS says \w+, the file's is \w+; not installing it$/],
      ["truncated", /^venvhook: downloading http:\/\/127\.0\.0\.1:\d+\/truncated\/venvhook-\S+ failed: .+; nothing installed$/],
      ["no binary", /^venvhook: downloading http:\/\/127\.0\.0\.1:\d+\/no%20binary\/venvhook-\S+ failed: the server answered HTTP 404; nothing installed$/],
      ["missing", /^venvhook: downloading http:\/\/127\.0\.0\.1:\d+\/missing\/SHA256SUMS failed: the server answered HTTP 404; nothing installed$/],
    ] as const) {
      it(`${folder}: one line on stderr, and nothing installed`, async () => {
        const home = makeHome(`url-${folder.replace(" ", "-")}`);
        const result = await installFrom(home, server.url(folder));
        expect(result.status).toBe(1);
        expect(errorLines(result.stderr), result.stderr).toEqual([expect.stringMatching(error)]);
        expect(existsSync(path.join(home.home, ".local"))).toBe(false);
      });
    }

    it("refuses plain http to another machine", async () => {
      const result = await installFrom(makeHome("url-http"), "http://example.com/release");
      expect(result.status).toBe(1);
      expect(errorLines(result.stderr)).toEqual([
        "venvhook: -Binary takes https:// and file:// URLs (http:// only to 127.0.0.1 or localhost), not http://example.com/release",
      ]);
    });
  });

  it("`pwsh ./install.ps1` in a checkout builds it with npm ci and npm run build, then installs what they made", () => {
    const home = makeHome("checkout");
    const checkout = path.join(home.home, "venvhook");
    mkdirSync(checkout);
    for (const file of ["install.ps1", "package.json"]) copyFileSync(file, path.join(checkout, file));
    // A stand-in npm (a real `npm ci` would fetch the dependencies): it notes its arguments, and its build puts the binary under test in dist/.
    const tools = path.join(home.home, "tools");
    mkdirSync(tools);
    const log = path.join(home.home, "npm.log");
    fakeBinary(tools, "npm", `echo "$(pwd) $*" >> ${quoteFor("bash", log)}\nif [ "$1" = run ]; then mkdir -p dist && cp ${quoteFor("bash", BIN)} dist/venvhook; fi`);
    const result = spawnSync(shellExecutable("pwsh") ?? "pwsh", ["-NoLogo", "-NoProfile", "-NonInteractive", "./install.ps1"], {
      cwd: checkout,
      env: { ...home.env, PATH: `${tools}${path.delimiter}${home.env.PATH}` },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(result.stderr).not.toMatch(/^venvhook: (?!warning)/m);
    expect(result.status).toBe(0);
    expect(readFileSync(log, "utf8")).toBe(`${checkout} ci --no-audit --no-fund\n${checkout} run build\n`);
    expect(result.stdout).toContain(`installed venvhook ${version} to ${home.bin}`);
    expect(spawnSync(home.bin, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(version);
    expect(readFileSync(home.profile, "utf8")).toBe(`${BEGIN}\n${LINE}\n${END}\n`);
  });

  it("-NoModifyProfile installs the binary only and prints the line", () => {
    const home = makeHome("noprofile");
    const result = install(home, "-Binary", BIN, "-NoModifyProfile");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`  ${LINE}`);
    expect(existsSync(home.profile)).toBe(false);
    expect(existsSync(home.bin)).toBe(true);
  });

  it("rejects an unknown option, and a missing binary, with one line on stderr", () => {
    const home = makeHome("bad");
    const unknown = install(home, "-Frobnicate");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^venvhook: unknown option: -Frobnicate/)]);
    const missing = install(home, "-Binary", path.join(home.home, "nothing"));
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split("\n")).toEqual([`venvhook: no venvhook binary at ${path.join(home.home, "nothing")}`]);
    expect(install(home, "-Help").stdout).toContain("-NoModifyProfile");
  });

  it("-Uninstall keeps the binary while install.sh's lines run it", () => {
    const home = makeHome("shared");
    expect(install(home, "-Binary", BIN).status).toBe(0);
    writeFileSync(path.join(home.home, ".bashrc"), `# added by venvhook install.sh\neval "$('${home.bin}' init bash)"\n`);
    const removed = install(home, "-Uninstall");
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain("install.sh's lines");
    expect(existsSync(home.bin)).toBe(true);
    expect(existsSync(home.profile)).toBe(false);
  });

  it.skipIf(which("tmux") === null)("after install.ps1, a new pwsh loading the profile activates an env after venvhook allow", async () => {
    const home = makeHome("it's a home");
    expect(install(home, "-Binary", BIN).status).toBe(0);
    const project = path.join(home.home, "proj");
    makeVenv(path.join(project, ".venv"));
    const d = dialectOf("pwsh");
    const s = await startShell({
      shell: "pwsh",
      home: home.home,
      // The driver starts pwsh without a profile; load it as pwsh would, after the prompt it wraps.
      rc: `${d.prompt}\n. ${d.typed(home.profile)}`,
      cwd: home.home,
      env: { PATH: `${path.dirname(home.bin)}${path.delimiter}${process.env.PATH}`, XDG_CONFIG_HOME: home.env.XDG_CONFIG_HOME! },
    });
    try {
      await s.run("cd proj");
      await s.run("venvhook allow");
      expect(await s.run(d.get("VIRTUAL_ENV"))).toBe(path.join(project, ".venv"));
      expect(await s.run("(Get-Command venvhook).CommandType")).toBe("Function");
      await s.run("venvhook deny");
    } finally {
      await s.close();
    }
  });
});
