// What the user made is never lost unannounced, and every word reaches the
// terminal escaped (issue 11, items 15-18): `link` and `rm` say what they
// would leave behind and need --force; a pointer reads back to exactly what
// was checked; a relative pointer is anchored at its file's real folder; and
// messages, progress lines and unexpected errors are one printable line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { labelPath, writeMeta } from "../../src/store/central.ts";
import { describeNeeding, describeShell, SHELLS } from "../support/shells.ts";
import { BIN, fakeBinary, makeVenv, openWorld, runBinary, type World } from "./fixture.ts";

let root: string;
let env: Record<string, string>;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-userdata-")));
  env = {
    PATH: process.env.PATH!,
    HOME: path.join(root, "home"),
    XDG_DATA_HOME: path.join(root, "data"),
    XDG_STATE_HOME: path.join(root, "state"),
    VENVHOOK_HOME: path.join(root, "store"),
    WORKON_HOME: path.join(root, "workon"),
  };
  mkdirSync(env.HOME!);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const venvhook = (cwd: string, args: string[], extra: Record<string, string> = {}) => runBinary(cwd, args, { ...env, ...extra });

const trusted = () => readFileSync(path.join(root, "data", "venvhook", "trust.json"), "utf8");

/** shop with two envs in the store, its `.venv` naming `default`, all allowed, as `create --central` leaves them. */
function shopWithStoreEnvs(): { shop: string; store: string[] } {
  const shop = path.join(root, "shop");
  mkdirSync(shop);
  writeFileSync(path.join(shop, "pyproject.toml"), '[project]\nname = "shop"\nversion = "0.1"\n');
  const store = ["default", "next"].map((label) => {
    const dir = makeVenv(labelPath(shop, label, env));
    writeMeta(dir, { project: shop, label, python: "3", backend: "venv", created: "2026-01-01T00:00:00.000Z" });
    return dir;
  });
  writeFileSync(path.join(shop, ".venv"), "default\n");
  expect(venvhook(shop, ["allow"]).status).toBe(0);
  return { shop, store };
}

describe("losing what the user made", () => {
  it("link away from the project's store envs says which would be left for gc, and needs --force", () => {
    const { shop, store } = shopWithStoreEnvs();
    const shared = makeVenv(path.join(root, "shared"));
    const refused = venvhook(shop, ["link", "../shared"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^venvhook: not linking: nothing would point at shop's envs in venvhook's store \(default, next; \d+(\.\d)? [kM]?B\), and 'venvhook gc --yes' would remove them; add --force to link anyway\n$/,
    );
    expect(readFileSync(path.join(shop, ".venv"), "utf8")).toBe("default\n");
    expect(venvhook(root, ["gc"]).stdout).toBe(`no orphan envs in ${env.VENVHOOK_HOME}\n`);

    const forced = venvhook(shop, ["link", "../shared", "--force"]);
    expect(forced).toMatchObject({ status: 0, stdout: `${shop}/.venv now points to ${shared}, allowed\n` });
    expect(venvhook(root, ["gc"]).stdout).toContain(`2 orphan envs in ${env.VENVHOOK_HOME}:\n`);
    expect(store.every((dir) => existsSync(dir))).toBe(true);

    // Switching among its own store envs leaves none behind.
    expect(venvhook(shop, ["link", store[1]!, "--force"]).status).toBe(0);
    expect(venvhook(shop, ["link", "default"]).status).toBe(0);
  });

  it("rm of the env a pointer leads to says so and needs --force; the pointer is not left leading nowhere", () => {
    const { shop, store } = shopWithStoreEnvs();
    const [active, other] = store as [string, string];
    const refused = venvhook(path.join(shop), ["rm", "default", "--yes"], { VIRTUAL_ENV: active });
    expect(refused).toEqual({
      status: 1,
      stdout: "",
      stderr: `venvhook: not removing ${active}: ./.venv points to it and would lead nowhere; point it elsewhere first ('venvhook use <label>' or 'venvhook link'), or add --force\n`,
    });
    expect(existsSync(active)).toBe(true);
    // An alternate nothing points at goes as before.
    expect(venvhook(shop, ["rm", "next", "--yes"]).status).toBe(0);
    expect(existsSync(other)).toBe(false);
    const forced = venvhook(shop, ["rm", "default", "--yes", "--force"]);
    expect(forced.status).toBe(0);
    expect(existsSync(active)).toBe(false);
  });

  it("link refuses a target that the pointer file would read back as another env", () => {
    const shop = path.join(root, "shop");
    mkdirSync(shop);
    const evil = makeVenv(path.join(root, "envs", "evil"));
    makeVenv(path.join(root, "envs", "evil\nx", "good"));
    const newline = venvhook(shop, ["link", "../envs/evil\nx/good"]);
    expect(newline).toEqual({
      status: 1,
      stdout: "",
      stderr: `venvhook: a .venv file cannot hold '${root}/envs/evil\\nx/good': it would be read as '${root}/envs/evil'; rename the env's folder\n`,
    });
    makeVenv(path.join(root, "home", ".virtualenvs", "web "));
    makeVenv(path.join(root, "home", ".virtualenvs", "web"));
    const spaced = venvhook(shop, ["link", "web "]);
    expect(spaced).toEqual({
      status: 1,
      stdout: "",
      stderr: "venvhook: cannot link web : it names an env, but it starts or ends with a space, or holds a line break\n",
    });
    const spacedPath = makeVenv(path.join(root, "envs", "good "));
    makeVenv(path.join(root, "envs", "good"));
    expect(venvhook(shop, ["link", "../envs/good "]).stderr).toBe(
      `venvhook: a .venv file cannot hold '${spacedPath}': it would be read as '${root}/envs/good'; rename the env's folder\n`,
    );
    expect(existsSync(path.join(shop, ".venv"))).toBe(false);
    expect(existsSync(path.join(root, "data", "venvhook", "trust.json")) && trusted().includes(evil)).toBe(false);
  });
});

describe("words that reach the terminal", () => {
  it("create --install shows a hostile project folder's name escaped, in every line", () => {
    const name = "shop\x1b]0;pwned\x07\x1b[31mred\nvenvhook fake";
    const shown = "shop\\x1b]0;pwned\\x07\\x1b[31mred\\nvenvhook fake";
    const project = path.join(root, name);
    mkdirSync(project);
    writeFileSync(path.join(project, "pyproject.toml"), '[project]\nname = "shop"\nversion = "0.1"\n');
    // A stand-in for uv (venv and pip install), so no network and no waiting.
    const bin = path.join(root, "bin");
    mkdirSync(bin);
    fakeBinary(bin, "uv", 'if [ "$1" = venv ]; then eval "dir=\\${$#}"; mkdir -p "$dir/bin"; echo "home = /usr/bin" > "$dir/pyvenv.cfg"; fi');
    const result = venvhook(project, ["create", "--install"], { PATH: `${bin}:${env.PATH}` });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^venvhook: creating \\.venv with Python \\S+ using uv\\nvenvhook: installing ${escapeRegex(shown)} \\(editable\\) into \\.venv\\n$`,
      ),
    );
    expect(result.stdout.replace(/ with Python \S+ using uv in \d+\.\ds:/, " with Python X using uv in Ns:")).toBe(
      `created ${root}/${shown}/.venv with Python X using uv in Ns: '${shown}' will be active in ${root}/${shown} and below in shells that load venvhook's hook ('venvhook init --help')\n`,
    );
  });

  it("an unexpected error is one line naming the action, the call and the file", () => {
    expect(venvhook(root, ["create", "/dev/zero"])).toEqual({
      status: 1,
      stdout: "",
      stderr: "venvhook: create failed: cannot mkdir /dev/zero: file already exists\n",
    });
    expect(venvhook(root, ["frob\x1b]0;pwned\x07"]).stderr).toBe("venvhook: unknown command 'frob\\x1b]0;pwned\\x07'\n");
  });

  it("in a deleted working folder, a command says so in its own one line", () => {
    const gone = path.join(root, "gone");
    mkdirSync(gone);
    const result = spawnSync("sh", ["-c", 'cd "$1" && rmdir "$1" && exec "$0" status', BIN, gone], { env, encoding: "utf8" });
    expect(result).toMatchObject({
      status: 1,
      stdout: "",
      stderr: "venvhook: status failed: the current folder was deleted; cd to a folder that exists\n",
    });
  });
});

/** `unshare -Urm`: a mount namespace of one's own, where a tiny tmpfs is a full disk without root. */
describeNeeding("a full disk", ["unshare"], () => {
  it("allow on a full disk says what failed in one line", () => {
    const shop = path.join(root, "shop");
    makeVenv(path.join(shop, ".venv"));
    const data = path.join(root, "data");
    mkdirSync(data);
    const script = `mount -t tmpfs -o size=16k tmpfs "$XDG_DATA_HOME" && mkdir "$XDG_DATA_HOME/venvhook" && (head -c 1M /dev/zero > "$XDG_DATA_HOME/fill" 2>/dev/null; "$0" allow)`;
    const result = spawnSync("unshare", ["-Urm", "sh", "-c", script, BIN], {
      cwd: shop,
      env: { ...env, PWD: shop },
      encoding: "utf8",
    });
    // The write that fails is the lock's, beside the trust store; the message names it.
    expect(result.stderr).toMatch(/^venvhook: allow failed: cannot write \/\S+\/venvhook\/trust\.json\.lock: no space left on device\n$/);
    expect(result.status).toBe(1);
  });
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// A relative pointer is anchored at the pointer file's real folder, whatever path the shell came in by.
for (const shell of SHELLS) {
  describeShell(shell, () => {
    let w: World;
    afterEach(async () => w?.close());
    it("a relative pointer reached through a symlinked folder leads where it says from its real folder", async () => {
      w = await openWorld(shell, {
        setup: (dir) => {
          mkdirSync(path.join(dir, "proj"));
          mkdirSync(path.join(dir, "other"));
          makeVenv(path.join(dir, "envs", "py"));
          makeVenv(path.join(dir, "other", "envs", "py"));
          writeFileSync(path.join(dir, "proj", ".venv"), "../envs/py\n");
          symlinkSync("../proj", path.join(dir, "other", "L"));
        },
      });
      expect(w.venvhook("allow", path.join(w.root, "proj")).status).toBe(0);
      await w.cd(path.join(w.root, "other", "L"));
      expect(await w.get("VIRTUAL_ENV")).toBe(path.join(w.root, "envs", "py"));
      expect((await w.path()).split(":")[0]).toBe(path.join(w.root, "envs", "py", "bin"));
    });
  });
}
