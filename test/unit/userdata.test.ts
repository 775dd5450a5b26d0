// Words that reach the terminal, and pointers that lead where they say
// (issue 11, items 16-18): the pieces, with the end-to-end proof in
// test/e2e/userdata.test.ts.
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findVenv } from "../../src/discovery/venv.ts";
import { failure, UserError } from "../../src/shared/messages.ts";
import { progress } from "../../src/create/progress.ts";
import { badLabel } from "../../src/store/central.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "venvhook-userdata-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const HOSTILE = "shop\x1b]0;pwned\x07\x1b[31mred\nvenvhook: fake";
const SHOWN = "shop\\x1b]0;pwned\\x07\\x1b[31mred\\nvenvhook: fake";

function errno(message: string, fields: Partial<NodeJS.ErrnoException>): NodeJS.ErrnoException {
  return Object.assign(new Error(message), fields);
}

describe("failure", () => {
  it("names the action, the call, the file and the reason of a system error", () => {
    const mkdir = errno("EEXIST: file already exists, mkdir", { code: "EEXIST", syscall: "mkdir", path: "/dev/zero" });
    expect(failure("create", mkdir)).toBe("create failed: cannot mkdir /dev/zero: file already exists");
    const write = errno("ENOSPC: no space left on device, write", { code: "ENOSPC", syscall: "write" });
    expect(failure("allow", write)).toBe("allow failed: cannot write: no space left on device");
    const cwd = errno("ENOENT: process.cwd failed with error no such file or directory, …, uv_cwd", { code: "ENOENT", syscall: "uv_cwd" });
    expect(failure("status", cwd)).toBe("status failed: the current folder was deleted; cd to a folder that exists");
  });

  it("keeps a UserError as it is, and names the action of any other error", () => {
    expect(failure("link", new UserError("cannot link x: it is not an env"))).toBe("cannot link x: it is not an env");
    expect(failure("status", new Error("the trust store /t is not in a format this venvhook knows"))).toBe(
      "status failed: the trust store /t is not in a format this venvhook knows",
    );
    expect(failure("list", "thrown text")).toBe("list failed: thrown text");
  });
});

describe("escaping", () => {
  it("a UserError's message is printable, whoever built it", () => {
    expect(new UserError(`cannot use ${HOSTILE}`).message).toBe(`cannot use ${SHOWN}`);
  });

  it("progress lines are printable", () => {
    const file = path.join(root, "progress");
    const fd = openSync(file, "w");
    const show = progress(fd);
    show.step(`installing ${HOSTILE} (editable) into .venv`);
    show.stop();
    closeSync(fd);
    expect(readFileSync(file, "utf8")).toBe(`venvhook: installing ${SHOWN} (editable) into .venv\n`);
  });
});

describe("pointers", () => {
  it("a label a pointer file could not hold exactly is refused", () => {
    for (const label of ["web ", " web", "a\nb", "a\rb"]) {
      expect(badLabel(label), JSON.stringify(label)).toBe("it starts or ends with a space, or holds a line break");
    }
    expect(badLabel("web")).toBeUndefined();
  });

  it("a relative pointer is anchored at its file's real folder, not the path it was reached by", () => {
    mkdirSync(path.join(root, "proj"));
    mkdirSync(path.join(root, "other"));
    for (const env of [path.join(root, "envs", "py"), path.join(root, "other", "envs", "py")]) {
      mkdirSync(env, { recursive: true });
      writeFileSync(path.join(env, "pyvenv.cfg"), "home = /usr/bin\n");
    }
    writeFileSync(path.join(root, "proj", ".venv"), "../envs/py\n");
    symlinkSync("../proj", path.join(root, "other", "L"));
    const found = findVenv(path.join(root, "other", "L"));
    expect(found).toMatchObject({ kind: "env", venv: path.join(root, "other", "L", ".venv"), env: path.join(root, "envs", "py") });
  });
});
