// What TAB offers, from the commands as cli.ts registers them: positions,
// option values, `--`, and the folders listed for shells without their own.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { complete, folderCandidates, lineWords } from "../../../src/commands/complete.ts";
import { createCommand } from "../../../src/commands/create.ts";
import { initCommand } from "../../../src/commands/init.ts";
import { linkCommand } from "../../../src/commands/link.ts";
import { rmCommand } from "../../../src/commands/rm.ts";
import { statusCommand } from "../../../src/commands/status.ts";
import { useCommand } from "../../../src/commands/use.ts";

const program = new Command("venvhook");
for (const add of [initCommand, statusCommand, createCommand, linkCommand, useCommand, rmCommand]) add(program);
program.command("hidden", { hidden: true });
program.command("run").option("--dir <dir>", "folder").argument("<command>").argument("[args...]");

const work = realpathSync(mkdtempSync(path.join(tmpdir(), "vh-complete-unit-")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const values = (words: string[]) => complete(program, words, work).candidates.map((c) => c.value);
const folders = (words: string[]) => complete(program, words, work).folders;

describe("complete", () => {
  it("offers the commands --help lists, hidden ones and all, by prefix", () => {
    expect(values([""])).toEqual(["init", "status", "create", "link", "use", "rm", "run", "help"]);
    expect(values(["st"])).toEqual(["status"]);
    expect(values(["help", "cr"])).toEqual(["create"]);
  });

  it("offers a command's options after it, and the program's before it", () => {
    expect(values(["status", "--"])).toEqual(["--json", "--help"]);
    expect(values(["create", "--b"])).toEqual(["--backend"]);
    expect(values(["--"])).toEqual(["--help"]);
  });

  it("offers an option's value: choices, folders; a value given is not a positional", () => {
    expect(values(["create", "--backend", "v"])).toEqual(["virtualenv", "venv"]);
    expect(folders(["run", "--dir", ""])).toBe(true);
    expect(folders(["create", "--python", "3.12", ""])).toBe(true);
    expect(complete(program, ["create", "--prompt", ""], work)).toEqual({ candidates: [], folders: false });
  });

  it("offers by argument: shells, folders, nothing past the last", () => {
    expect(values(["init", "f"])).toEqual(["fish"]);
    expect(folders(["status", ""])).toBe(true);
    expect(folders(["status", "a", ""])).toBe(false);
    expect(values(["init", "--", "-"])).toEqual([]);
    expect(folders(["run", "python", ""])).toBe(false);
  });

  it("treats words after -- as arguments, options and all", () => {
    expect(values(["init", "--", "b"])).toEqual(["bash"]);
    expect(folders(["status", "--", ""])).toBe(true);
  });

  it("offers nothing for an unknown command", () => {
    expect(complete(program, ["nope", ""], work)).toEqual({ candidates: [], folders: false });
  });
});

describe("lineWords", () => {
  it("drops the command's name, and a blank at the end starts an empty word", () => {
    expect(lineWords("venvhook sta")).toEqual(["sta"]);
    expect(lineWords("  venvhook  use ")).toEqual(["use", ""]);
    expect(lineWords("venvhook")).toEqual([]);
  });
});

describe("folderCandidates", () => {
  mkdirSync(path.join(work, "src", "deep"), { recursive: true });
  mkdirSync(path.join(work, ".hidden"));
  writeFileSync(path.join(work, "setup.py"), "");

  it("lists the folders the word grows into, as the word writes them, hidden ones only for a dot", () => {
    expect(folderCandidates("", work).map((c) => c.value)).toEqual(["src/"]);
    expect(folderCandidates("s", work).map((c) => c.value)).toEqual(["src/"]);
    expect(folderCandidates("src/", work).map((c) => c.value)).toEqual(["src/deep/"]);
    expect(folderCandidates(".h", work).map((c) => c.value)).toEqual([".hidden/"]);
    expect(folderCandidates(`${work}/s`, "/").map((c) => c.value)).toEqual([`${work}/src/`]);
    expect(folderCandidates("nowhere/", work)).toEqual([]);
  });
});
