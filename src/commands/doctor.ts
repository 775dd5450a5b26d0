// `venvhook doctor`: why venvhook does or does not work in this shell, one
// finding per line, with the fix for each that is wrong. Exit 1 when one is.
import type { Command } from "commander";
import { workingFolder } from "../discovery/venv.ts";
import { activatorFindings } from "../doctor/activators.ts";
import { filesFindings } from "../doctor/files.ts";
import { ok, problem, type Finding } from "../doctor/finding.ts";
import { binaryFinding, caller, hookFileFindings, hookFinding, readProc } from "../doctor/hook.ts";
import { rcFindings, readRcFiles } from "../doctor/rcfiles.ts";
import { printable, UserError } from "../shared/messages.ts";
import { example, out } from "./common.ts";
import { statusReport } from "./status.ts";

export function doctorCommand(program: Command): void {
  program
    .command("doctor")
    .option("--json", "machine-readable output")
    .description("say why venvhook does or does not work in this shell, and what to fix")
    .addHelpText("after", example("venvhook doctor"))
    .action(async (options: { json?: boolean }) => {
      const env = process.env;
      const cwd = workingFolder();
      const who = caller(env, process.ppid, readProc);
      const files = readRcFiles(env);
      const findings = [
        hookFinding(who, files),
        binaryFinding(who, process.execPath, env),
        ...hookFileFindings(who.shell),
        ...rcFindings(files),
        ...activatorFindings(env, cwd, files),
        ...filesFindings(env),
        await hereFinding(cwd, env),
      ];
      const healthy = findings.every((finding) => finding.level !== "problem");
      out(options.json ? `${JSON.stringify({ ok: healthy, shell: who.shell ?? null, findings }, null, 2)}\n` : renderFindings(findings));
      process.exitCode = healthy ? 0 : 1;
    });
}

/** What `status` says of this folder, in one line: fine when the env here is active, or there is none. */
async function hereFinding(cwd: string, env: NodeJS.ProcessEnv): Promise<Finding> {
  try {
    const report = await statusReport(cwd, env, cwd);
    const fine = report.active || (!report.found && !report.expected && !report.problems);
    const text = [report.why, ...(report.problems ?? [])].join("; ");
    return fine ? ok("here", text) : problem("here", text);
  } catch (error) {
    // A store that cannot be read, said above too.
    if (error instanceof UserError) return problem("here", `status cannot tell: ${error.message}`);
    throw error;
  }
}

const MARK = { ok: "ok", note: "note", problem: "FIX" } as const;

export function renderFindings(findings: Finding[]): string {
  return findings.map(({ level, topic, text, fix }) => printable(`${MARK[level].padEnd(5)}${topic.padEnd(10)}${text}${fix ? `; ${fix}` : ""}`)).join("\n") + "\n";
}
