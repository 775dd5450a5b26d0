// `venvhook doctor` through the compiled binary in real interactive shells:
// whether the hook is loaded in the shell that runs it (not in a child shell
// that only inherited its marker), rc files against a prompt framework,
// an .envrc that activates, a corrupt trust store, exit codes and --json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeShell, MORE_SHELLS, SHELLS } from "../support/shells.ts";
import { BIN, makeVenv, openWorld, type World } from "./fixture.ts";

let w: World;
afterEach(async () => w?.close());

/** The compiled binary first on PATH, as an installed venvhook would be. */
const onPath = { PATH: `${path.dirname(BIN)}${path.delimiter}${process.env.PATH}` };

interface Report {
  ok: boolean;
  shell: string | null;
  findings: { topic: string; level: string; text: string; fix?: string }[];
}

async function doctor(json = false): Promise<{ status: number; stdout: string; report?: Report }> {
  const result = await w.s.runWithStatus(json ? "venvhook doctor --json" : "venvhook doctor");
  expect(result.stderr).toBe("");
  return { status: result.status, stdout: result.stdout, ...(json ? { report: JSON.parse(result.stdout) as Report } : {}) };
}

for (const shell of SHELLS) {
  describeShell(shell, () => {
    it("says the hook is loaded in this shell and runs the venvhook on PATH; an active env here; exit 0; --json parses", async () => {
      w = await openWorld(shell, { env: onPath, setup: (root) => void makeVenv(path.join(root, "proj", ".venv")) });
      w.venvhook("allow", path.join(w.root, "proj"));
      await w.cd(path.join(w.root, "proj"));
      const { status, stdout } = await doctor();
      expect(stdout).toMatch(new RegExp(`^ok   hook      loaded in this ${shell} \\(pid \\d+\\)$`, "m"));
      expect(stdout).toContain(`ok   binary    the hook runs ${BIN}: the venvhook first on PATH, and this one\n`);
      expect(stdout).toMatch(/^ok   here      active in this shell$/m);
      expect(stdout).not.toContain("FIX");
      expect(status).toBe(0);

      const { report } = await doctor(true);
      expect(report).toMatchObject({ ok: true, shell });
      // zsh and fish read the rc the driver wrote where they look for it ($ZDOTDIR, config.fish); bash was given --rcfile.
      const rc = shell === "bash" ? [] : ["rc"];
      expect(report!.findings.map((finding) => finding.topic)).toEqual(["hook", "binary", ...rc, "files", "here"]);
    });
  });
}

describeShell("bash", () => {
  it("names a hook file init --write wrote that another venvhook would write otherwise, and stops once it is written again", async () => {
    w = await openWorld("bash", { env: onPath });
    expect(w.venvhook("init", "bash", "--write").status).toBe(0);
    expect((await doctor()).stdout).not.toContain("--write");
    const file = path.join(w.home, ".local", "share", "venvhook", "init", "venvhook.bash");
    writeFileSync(file, "# an older venvhook's hook\n");
    const { status, stdout } = await doctor();
    expect(stdout).toContain(`FIX  hook      ${file}, which new shells may load, holds the hook another venvhook wrote (another version, or another binary); run: venvhook init bash --write\n`);
    expect(status).toBe(1);
    expect(w.venvhook("init", "bash", "--write").status).toBe(0);
    expect((await doctor()).stdout).not.toContain("--write");
  });

  it("in a child bash --norc, which inherited the marker: not loaded, with the line to add; exit 1", async () => {
    w = await openWorld("bash", { env: onPath });
    const parent = await w.s.run("echo $$");
    const child = await w.s.run(`bash --norc -c 'venvhook doctor; echo "status $?"'`);
    expect(child).toMatch(
      new RegExp(
        `^FIX  hook      not loaded in this bash \\(pid \\d+\\); VENVHOOK_HOOK is inherited from a bash above it \\(pid ${parent}\\); add this line to ~/\\.bashrc, then start a new bash: eval "\\$\\(venvhook init bash\\)"$`,
        "m",
      ),
    );
    expect(child).toMatch(/^status 1$/m);
    // In a pipeline bash runs the function in a forked copy of itself: still this shell.
    expect(await w.s.run("venvhook doctor | grep hook")).toMatch(/^ok   hook      loaded in this bash/);
  });

  it("~/.bashrc with venvhook's line above starship's: the finding and its fix, exit 1; in the right order, exit 0", async () => {
    w = await openWorld("bash", { env: onPath });
    const bashrc = path.join(w.home, ".bashrc");
    writeFileSync(bashrc, `# my bashrc\neval "$(venvhook init bash)"\neval "$(starship init bash)"\n`);
    const wrong = await doctor();
    expect(wrong.stdout).toContain("FIX  rc        ~/.bashrc: venvhook's line (line 2) is above starship's (line 3); move the venvhook line below the starship line\n");
    expect(wrong.status).toBe(1);

    writeFileSync(bashrc, `eval "$(starship init bash)"\neval "$(venvhook init bash)"\n`);
    const right = await doctor();
    expect(right.stdout).toContain("ok   rc        ~/.bashrc loads venvhook at line 2, after starship (line 1)\n");
    expect(right.status).toBe(0);
  });

  it("finds an .envrc above the folder that activates a venv, and a corrupt trust store", async () => {
    w = await openWorld("bash", { env: onPath, setup: (root) => mkdirSync(path.join(root, "proj", "src"), { recursive: true }) });
    const envrc = path.join(w.root, "proj", ".envrc");
    writeFileSync(envrc, "export FOO=1\nlayout python3\n");
    await w.cd(path.join(w.root, "proj", "src"));
    const direnv = await doctor();
    expect(direnv.stdout).toContain(
      `FIX  activator ${envrc} activates a venv (line 2: layout python3); with direnv's hook, direnv and venvhook both set VIRTUAL_ENV; take that line out of ${envrc} and let venvhook activate the project's .venv\n`,
    );
    expect(direnv.status).toBe(1);

    writeFileSync(envrc, "export FOO=1\n");
    const trust = path.join(w.home, ".local", "share", "venvhook", "trust.json");
    mkdirSync(path.dirname(trust), { recursive: true });
    writeFileSync(trust, "{ not json");
    const { status, report } = await doctor(true);
    expect(report!.findings.filter((finding) => finding.level === "problem")).toEqual([
      { topic: "files", level: "problem", text: `the trust store ${trust} is not valid JSON; fix it, or delete it (every env then waits for 'venvhook allow' again)` },
    ]);
    expect(status).toBe(1);
  });
});

// Every hook leaves the marker: doctor finds it loaded in each shell.
for (const shell of MORE_SHELLS) {
  describeShell(shell, () => {
    it("says the hook is loaded in this shell", async () => {
      w = await openWorld(shell, { env: onPath });
      const { stdout } = await w.s.runWithStatus("venvhook doctor");
      expect(stdout).toMatch(new RegExp(`^ok   hook      loaded in this ${shell} \\(pid \\d+\\)$`, "m"));
    });
  });
}
