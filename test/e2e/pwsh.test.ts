// What is particular to PowerShell, live in an interactive pwsh with
// PSReadLine, as a user has it (the guarantees every shell shares are in
// more-shells.test.ts, which runs in pwsh too): cd is hooked on the command
// itself, the prompt is the user's whenever they define it, and the user's
// strictest preferences change nothing.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { shownName } from "../../src/shared/messages.ts";
import { pwsh, quotePwsh } from "../../src/shells/pwsh.ts";
import { describeShell, quoteFor, runScript } from "../support/shells.ts";
import { BIN, fakeBinary, initLine, makeVenv, openWorld, promptLine, pwned, type World } from "./fixture.ts";

/** Folder names that would run something if PowerShell read them as code: every quote it knows, expansions, separators, line breaks. */
const HOSTILE_NAMES = [
  "it's \u2018a\u2019 \u201ab\u201b \u201cc\u201d \"d\" ''",
  // No colon: venv refuses a PATH separator in its path.
  "$(New-Item PWNED1) ${HOME} @(x) $PSHOME $_",
  "`$(New-Item PWNED2)` `n `",
  "a; New-Item PWNED3 & b | c && d",
  "two\nlines; New-Item PWNED4",
  "carriage\rreturn",
  "crlf\r\nNew-Item PWNED5",
];

/** Under these a failing native command throws, and any sloppy variable read is an error. */
const STRICT = ["Set-StrictMode -Version Latest", "$ErrorActionPreference = 'Stop'", "$PSNativeCommandUseErrorActionPreference = $true"].join("\n");

describeShell("pwsh", () => {
  let w: World;
  afterEach(async () => w?.close());

  const showsPrompt = (prompt: string) => w.s.waitFor((screen) => promptLine(screen) === prompt, { timeoutMs: 3000 });
  const withProject = (root: string) => void makeVenv(path.join(root, "proj", ".venv"));
  const env = () => path.join(w.root, "proj", ".venv");

  it("activates on cd, Set-Location, Push-Location and Pop-Location themselves: `cd shop; python app.py` on one line uses the env", async () => {
    w = await openWorld("pwsh", {
      setup: (root) => {
        makeVenv(path.join(root, "shop", ".venv"));
        writeFileSync(path.join(root, "shop", "app.py"), "import sys; print(sys.prefix)\n");
      },
    });
    const shop = path.join(w.root, "shop");
    const shopEnv = path.join(shop, ".venv");
    w.venvhook("allow", shop);
    const before = await w.path();
    // PowerShell's own cd (the driver's is Set-Location -LiteralPath).
    await w.s.run("Set-Alias -Name cd -Value Set-Location -Option AllScope -Scope Global -Force");
    expect(await w.s.run(`cd shop; python app.py; cd ..; "[$env:VIRTUAL_ENV]"`)).toBe(`${shopEnv}\n[]`);
    expect(await w.s.run(`Set-Location shop; python app.py; Set-Location ..; "[$env:VIRTUAL_ENV]"`)).toBe(`${shopEnv}\n[]`);
    expect(await w.s.run(`Push-Location shop; python app.py; Pop-Location; "[$env:VIRTUAL_ENV]"`)).toBe(`${shopEnv}\n[]`);
    expect(await w.path()).toBe(before);
    await w.s.run("Push-Location shop");
    expect(await w.s.run(`python app.py`)).toBe(shopEnv);
    await w.s.run("Pop-Location");
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    expect(await w.path()).toBe(before);
  });

  it("keeps running a LocationChangedAction the user already had", async () => {
    w = await openWorld("pwsh", {
      setup: withProject,
      before: "$global:seen = @(); $ExecutionContext.SessionState.InvokeCommand.LocationChangedAction = { param($sender, $e) $global:seen += $e.NewPath.Path }",
    });
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.cd(path.join(w.root, "proj"));
    await w.cd(w.root);
    expect(await w.s.run(`$global:seen -join '|'`)).toBe(`${path.join(w.root, "proj")}|${w.root}`);
    await w.cd(path.join(w.root, "proj"));
    expect(await w.get("VIRTUAL_ENV")).toBe(env());
  });

  it("shows `(name) ` once before the user's prompt, and before one defined after venvhook loads (as oh-my-posh and starship do)", async () => {
    w = await openWorld("pwsh", { setup: withProject });
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("(proj) vh>");
    // starship's init (src/init/starship.ps1) and oh-my-posh's define `function global:prompt` like this.
    await w.s.run("function global:prompt { 'star> ' }");
    await showsPrompt("(proj) star>");
    await w.cd(w.root);
    await showsPrompt("star>");
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("(proj) star>");
  });

  it("keeps $? and $LASTEXITCODE for the user's prompt and the next command, whether the binary runs at the prompt, on cd, or not at all", async () => {
    w = await openWorld("pwsh", { setup: withProject, after: `function prompt { "[$? $LASTEXITCODE] vh> " }` });
    w.venvhook("allow", path.join(w.root, "proj"));
    const status = `"$? $LASTEXITCODE"`;
    await w.s.type("sh -c 'exit 3'");
    await showsPrompt("[False 3] vh>");
    expect(await w.s.run(status)).toBe("False 3");
    // The binary runs during the command, on cd.
    await w.s.type("cd proj; sh -c 'exit 4'");
    await showsPrompt("(proj) [False 4] vh>");
    expect(await w.s.run(status)).toBe("False 4");
    await w.s.type("Get-Item -LiteralPath nothing-here");
    await showsPrompt("(proj) [False 4] vh>");
    expect(await w.s.run(status)).toBe("False 4");
    // The binary runs at the prompt: a .venv appeared where there was none.
    await w.cd(w.root);
    const mark = w.s.mark();
    await w.s.type("python3 -m venv --without-pip .venv; sh -c 'exit 5'");
    await w.s.waitFor(/venvhook: found \.\/\.venv \(not allowed\)/, { since: mark, timeoutMs: 15_000 });
    await showsPrompt("[False 5] vh>");
    expect(await w.s.run(status)).toBe("False 5");
    await w.s.type("sh -c 'exit 0'");
    await showsPrompt("[True 0] vh>");
  });

  it("works under Set-StrictMode -Version Latest, ErrorActionPreference Stop and PSNativeCommandUseErrorActionPreference", async () => {
    w = await openWorld("pwsh", { setup: withProject, before: STRICT });
    const mark = w.s.mark();
    const first = await w.cd(path.join(w.root, "proj"));
    expect(first.stderr).toBe("venvhook: found ./.venv (not allowed); run 'venvhook allow' to use it");
    expect(await w.s.run("venvhook allow")).toMatch(/^allowed /);
    expect(await w.get("VIRTUAL_ENV")).toBe(env());
    await showsPrompt("(proj) vh>");
    // No prompt function at all: PowerShell's fallback, with the prefix.
    await w.s.run("Remove-Item -LiteralPath Function:\\prompt");
    await showsPrompt("(proj) PS>");
    expect((await w.cd(w.root)).stderr).toBe("");
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    // A notice at the prompt: a .venv appeared.
    await w.s.type("python3 -m venv --without-pip .venv");
    await w.s.waitFor(/^venvhook: found \.\/\.venv \(not allowed\)/m, { since: mark, timeoutMs: 15_000 });
    // Nothing the hook did was an error, not even one PowerShell kept quiet.
    expect(await w.s.run("$Error.Count")).toBe("0");
    expect(w.s.screen({ since: mark })).not.toMatch(/Exception|InvalidOperation|VariableIsUndefined/);
  });

  it("loaded twice, hooks cd and the prompt once", async () => {
    w = await openWorld("pwsh", { setup: withProject, after: initLine("pwsh") });
    w.venvhook("allow", path.join(w.root, "proj"));
    const handlers = "$ExecutionContext.SessionState.InvokeCommand.LocationChangedAction.GetInvocationList().Count";
    expect(await w.s.run(handlers)).toBe("1");
    await w.cd(path.join(w.root, "proj"));
    await showsPrompt("(proj) vh>");
    // And a third time, in the running shell, with the env active.
    await w.s.run(initLine("pwsh"));
    expect(await w.s.run(handlers)).toBe("1");
    expect(await w.get("VIRTUAL_ENV")).toBe(env());
    await showsPrompt("(proj) vh>");
  });

  it("a missing, failing, killed or unrunnable binary under the strictest preferences: one line each, nothing evaluated, the shell carries on", async () => {
    w = await openWorld("pwsh", { setup: withProject, before: STRICT });
    const marker = path.join(w.root, "EVALUATED");
    // What a binary that died halfway might have printed.
    const partial = [w.d.set("VH_PWNED", "1"), `New-Item -Path ${w.d.typed(marker)}`].map((line) => `printf '%s\\n' ${quoteFor("bash", line)}`).join("\n");
    const unrunnable = path.join(w.root, "not-executable");
    writeFileSync(unrunnable, "#!/bin/sh\n");
    chmodSync(unrunnable, 0o644);
    // What each says on the way in and on the way out: a missing binary once, a failing one (status 1, as when it refuses) nothing.
    const binaries: [string, RegExp[], RegExp[]][] = [
      [path.join(w.root, "gone", "venvhook"), [w.d.missingBinary], []],
      [fakeBinary(w.root, "failing", `${partial}\nexit 1`), [], []],
      ...(["killed", "not-executable"] as const).map((name): [string, RegExp[], RegExp[]] => {
        const says = name === "killed" ? /^venvhook: .*\/killed failed \(status 137\); environment left as it was$/ : /^venvhook: .*\/not-executable could not run \(.+\); environment left as it was$/;
        return [name === "killed" ? fakeBinary(w.root, "killed", `${partial}\nkill -9 $$`) : unrunnable, [says], [says]];
      }),
    ];
    for (const [binary, ...says] of binaries) {
      await w.s.run(w.d.useBinary(binary));
      for (const [i, dir] of [path.join(w.root, "proj"), w.root].entries()) {
        const mark = w.s.mark();
        const moved = await w.cd(dir);
        expect(moved.status, binary).toBe(0);
        const said = `${moved.stderr}\n${w.s.screen({ since: mark })}`.split("\n").filter((line) => line.includes("venvhook:"));
        expect(said, binary).toEqual(says[i]!.map((pattern) => expect.stringMatching(pattern)));
      }
    }
    expect(await w.get("VH_PWNED")).toBe("<unset>");
    expect(existsSync(marker)).toBe(false);
    expect(await w.s.run("'still here'")).toBe("still here");
  });

  it("Ctrl-C while the binary runs at the prompt: a working prompt, and no second run until something changes", async () => {
    w = await openWorld("pwsh", { setup: (root) => mkdirSync(path.join(root, "proj")) });
    const log = path.join(w.root, "calls.log");
    writeFileSync(log, "");
    await w.cd(path.join(w.root, "proj"));
    await w.s.run(w.d.useBinary(fakeBinary(w.root, "slow", `echo "$*" >> ${quoteFor("bash", log)}\nsleep 30\nexec ${quoteFor("bash", BIN)} "$@"`)));
    // A .venv appears: the prompt runs the binary.
    await w.s.type("python3 -m venv --without-pip .venv");
    await w.s.waitFor(() => readFileSync(log, "utf8") !== "", { timeoutMs: 15_000 });
    w.s.sendKeys("C-c");
    await w.s.waitForPrompt();
    for (let i = 0; i < 3; i++) await w.s.run(w.d.noop);
    expect(readFileSync(log, "utf8")).toBe("export pwsh\n");
    expect(await w.s.run("'still here'")).toBe("still here");
    await w.s.run(w.d.useBinary(BIN));
    w.venvhook("allow", path.join(w.root, "proj"));
    await w.cd(w.root);
    await w.cd(path.join(w.root, "proj"));
    expect(await w.get("VIRTUAL_ENV")).toBe(env());
    await showsPrompt("(proj) vh>");
  });

  it("hostile folder names (every quote, $(...), backticks, ;, &, newlines, CR) are exported exactly and shown literally, and nothing in them runs", async () => {
    w = await openWorld("pwsh", { setup: (root) => HOSTILE_NAMES.forEach((name) => makeVenv(path.join(root, name, ".venv"))) });
    const before = await w.path();
    for (const name of HOSTILE_NAMES) {
      const proj = path.join(w.root, name);
      expect(w.venvhook("allow", proj).status, name).toBe(0);
      await w.cd(proj);
      expect(await w.get("VIRTUAL_ENV"), name).toBe(path.join(proj, ".venv"));
      // The name is shown with its line breaks escaped (shownName), on one prompt line.
      expect(await w.get("VIRTUAL_ENV_PROMPT"), name).toBe(shownName(name));
      expect(await w.path(), name).toBe(`${path.join(proj, ".venv", "bin")}:${before}`);
      await showsPrompt(`(${shownName(name)}) vh>`);
      await w.cd(w.root);
      expect(await w.path(), name).toBe(before);
      await showsPrompt("vh>");
    }
    expect(pwned(w.root, w.home, w.s.dir)).toEqual([]);
  });

  it("the stock Activate.ps1 wins, shows its own prefix once, and after its deactivate venvhook takes over again", async () => {
    w = await openWorld("pwsh", {
      setup: (root) => {
        withProject(root);
        makeVenv(path.join(root, "other"));
      },
    });
    const proj = path.join(w.root, "proj");
    const other = path.join(w.root, "other");
    w.venvhook("allow", proj);
    const before = await w.path();
    await w.cd(proj);
    await showsPrompt("(proj) vh>");
    await w.s.run(`. ${w.quote(path.join(other, "bin", "Activate.ps1"))}`);
    expect(await w.get("VIRTUAL_ENV")).toBe(other);
    await showsPrompt("(other) vh>");
    await w.cd(w.root);
    expect(await w.get("VIRTUAL_ENV")).toBe(other); // venvhook stands aside
    expect(await w.s.run("(Get-Command python).Source")).toBe(path.join(other, "bin", "python"));
    await showsPrompt("(other) vh>");
    await w.cd(proj);
    await w.s.run("deactivate");
    expect(await w.get("VIRTUAL_ENV")).toBe(path.join(proj, ".venv"));
    expect(await w.path()).toBe(`${path.join(proj, ".venv", "bin")}:${before}`);
    await showsPrompt("(proj) vh>");
    await w.cd(w.root);
    expect(await w.path()).toBe(before);
    expect(await w.get("VIRTUAL_ENV")).toBe("<unset>");
    await showsPrompt("vh>");
  });

  it("values with CR, LF and every quote come back unchanged through the hook's capture of the binary's output", () => {
    // The real hook, in a non-interactive pwsh; a stand-in binary prints what `export` prints for each value.
    const values = [...HOSTILE_NAMES, "\r", "\r\n", "a\r", "\rb", "\n\r", "\u2019\r\u2018", "'\r'", "\r\r\n\n"];
    const dir = mkdtempSync(path.join(tmpdir(), "vh-pwsh-capture-"));
    try {
      const files = values.map((value, i) => {
        const file = path.join(dir, `export.${i}`);
        writeFileSync(file, pwsh.render([{ name: "VH_VALUE", value }], {}));
        return file;
      });
      const printing = fakeBinary(dir, "printing", 'cat "$VH_EXPORT"');
      const { values: read } = runScript(
        "pwsh",
        [
          initLine("pwsh"),
          `$global:__venvhook_bin = ${quotePwsh(printing)}`,
          `foreach ($file in @(${files.map(quotePwsh).join(", ")})) { $env:VH_EXPORT = $file; __venvhook_export; [Console]::Out.Write("$env:VH_VALUE\`0") }`,
        ].join("\n"),
      );
      expect(read).toEqual(values);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
