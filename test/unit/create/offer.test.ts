import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { offerSetting, settingProblems } from "../../../src/shared/config.ts";
import { isIgnored, setIgnored } from "../../../src/create/ignored.ts";
import { hintNotice } from "../../../src/create/offer.ts";
import { findProject } from "../../../src/discovery/project.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "venvhook-offer-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("findProject", () => {
  it("finds the nearest folder with a project file, naming the most telling one", () => {
    mkdirSync(path.join(root, "p", "src", "deep"), { recursive: true });
    writeFileSync(path.join(root, "p", "requirements-dev.txt"), "");
    writeFileSync(path.join(root, "p", "setup.cfg"), "");
    expect(findProject(path.join(root, "p", "src", "deep"))).toEqual({ root: path.join(root, "p"), marker: "setup.cfg" });
    writeFileSync(path.join(root, "p", "pyproject.toml"), "");
    expect(findProject(path.join(root, "p"))?.marker).toBe("pyproject.toml");
  });

  it("counts any requirements*.txt, and nothing else", () => {
    mkdirSync(path.join(root, "r"));
    writeFileSync(path.join(root, "r", "requirements-test.txt"), "");
    expect(findProject(path.join(root, "r"))).toEqual({ root: path.join(root, "r"), marker: "requirements-test.txt" });
    mkdirSync(path.join(root, "n"));
    writeFileSync(path.join(root, "n", "requirements.md"), "");
    expect(findProject(path.join(root, "n"))?.root).not.toBe(path.join(root, "n"));
  });

  it("words the hint with the right article", () => {
    expect(hintNotice({ root: "/x/shop", marker: "pyproject.toml" }, "k").text).toBe(
      "shop has a pyproject.toml but no environment; run 'venvhook create' (or 'venvhook ignore')",
    );
    expect(hintNotice({ root: "/x/shop", marker: "requirements.txt" }, "k").text).toContain("has a requirements.txt");
  });
});

describe("offerSetting", () => {
  const file = () => path.join(root, "config.toml");

  const texts = (offer: { problems: { text: string }[] }) => offer.problems.map((problem) => problem.text);

  it("defaults to hint, reads config.toml, and VENVHOOK_OFFER wins", () => {
    expect(offerSetting({}, file())).toEqual({ mode: "hint", from: "default", problems: [] });
    writeFileSync(file(), 'offer = "ask"\n');
    expect(offerSetting({}, file())).toEqual({ mode: "ask", from: `offer in ${file()}`, problems: [] });
    expect(offerSetting({ VENVHOOK_OFFER: "off" }, file())).toEqual({ mode: "off", from: "VENVHOOK_OFFER", problems: [] });
  });

  it("says what is wrong with a bad setting, in one line, and falls back to hint", () => {
    writeFileSync(file(), 'offer = "always"\n');
    const bad = offerSetting({}, file());
    expect([bad.mode, bad.from, texts(bad)]).toEqual(["hint", "default", [`offer in ${file()} is "always", not one of hint, ask, off; using hint`]]);
    expect(texts(offerSetting({ VENVHOOK_OFFER: "yes" }, file()))[0]).toMatch(/^VENVHOOK_OFFER is "yes"/);
    writeFileSync(file(), "offer = \n[[[");
    const broken = offerSetting({}, file());
    expect(broken.mode).toBe("hint");
    expect(texts(broken)).toEqual([expect.stringMatching(new RegExp(`^${file()} is not valid TOML \\(.*\\); fix it$`))]);
    expect(texts(broken)[0]).not.toContain("\n");
    // Never half a file: one cut at the read limit could mean something else.
    writeFileSync(file(), `offer = "off"\n# ${"x".repeat(1 << 20)}\n`);
    expect(texts(offerSetting({}, file()))).toEqual([`${file()} is too large to be read (over 1 MiB); shorten it`]);
  });

  it("names a mistyped key, with the file, and every problem at once for status", () => {
    writeFileSync(file(), 'ofer = "ask"\noffer = "maybe"\n');
    const offer = offerSetting({}, file());
    expect(offer.mode).toBe("hint");
    expect(texts(offer)).toEqual([
      `${file()} has 'ofer', which venvhook does not know (its settings are offer and tools); fix or remove it`,
      `offer in ${file()} is "maybe", not one of hint, ask, off; using hint`,
    ]);
    expect(settingProblems({ VENVHOOK_OFFER: "bogus" }, file())).toEqual([
      `${file()} has 'ofer', which venvhook does not know (its settings are offer and tools); fix or remove it`,
      'VENVHOOK_OFFER is "bogus", not one of hint, ask, off; using hint',
    ]);
  });
});

describe("ignored projects", () => {
  it("records and withdraws a project by its real path", () => {
    const file = path.join(root, "data", "ignored.json");
    mkdirSync(path.join(root, "proj"));
    expect(isIgnored(path.join(root, "proj"), file)).toBe(false);
    expect(setIgnored(path.join(root, "proj"), true, file)).toBe(true);
    expect(setIgnored(path.join(root, "proj", "..", "proj"), true, file)).toBe(false);
    expect(isIgnored(path.join(root, "proj"), file)).toBe(true);
    expect(setIgnored(path.join(root, "proj"), false, file)).toBe(true);
    expect(isIgnored(path.join(root, "proj"), file)).toBe(false);
  });
});
