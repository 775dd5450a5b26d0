// `venvhook status`: what is found from a folder, whether it is allowed and
// active, and if not, why not. One report, rendered as words or JSON.
import type { Command } from "commander";
import { foreignEnv, type Env } from "../activation/plan.ts";
import { envName, projectFolder, workingFolder, type Found } from "../discovery/venv.ts";
import { type Tool } from "../discovery/tools/names.ts";
import { discover, toolContext } from "../discovery/index.ts";
import { TOOL_COMMANDS, TOOL_NAMES } from "../discovery/tools/names.ts";
import { settingProblems } from "../shared/config.ts";
import { printable } from "../shared/messages.ts";
import { decideOffer, type OfferDecision } from "../create/offer.ts";
import { resolveBackend } from "../create/create.ts";
import { choosePython } from "../create/python.ts";
import { OFF_VAR } from "../activation/state.ts";
import { interpreterIn } from "../activation/wanted.ts";
import { example, folderArgument, out } from "./common.ts";
import { judge, loadTrust, type Verdict } from "../trust/trust.ts";

export function statusCommand(program: Command): void {
  program
    .command("status")
    .argument("[dir]", "folder to look from", ".")
    .option("--json", "machine-readable output")
    .description("explain what is found from a folder, whether it is allowed and active, and why")
    .addHelpText("after", example("venvhook status ~/src/shop --json"))
    .action(async (dir: string, options: { json?: boolean }) => {
      const cwd = workingFolder();
      const report = await statusReport(folderArgument(dir, cwd), process.env, cwd);
      out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
    });
}

type Refusal = Extract<Verdict, { ok: false }>;

export interface StatusReport {
  dir: string;
  found: null | {
    kind: Found["kind"];
    venv: string;
    env?: string;
    pointer?: { text: string; target: string };
    problem?: string;
    name?: string;
    python?: string;
    /** The interpreter `venvhook python` prints: only when the env is allowed. */
    interpreter?: string;
    /** When a tool's rule found it: which tool, for which project, by what rule. */
    managed?: { tool: Tool; toolName: string; project: string; rule: string };
  };
  /** When nothing is found: the nearest tool's project on the way, whose env that tool has not made yet. */
  expected?: { tool: Tool; toolName: string; project: string; command: string };
  /** Files on the way that could not be used (a malformed pyproject.toml, say) and settings that could not, one line each. */
  problems?: string[];
  trust: null | { allowed: boolean; since?: string; reason?: Refusal["reason"]; detail?: string };
  active: boolean;
  activeBy?: "venvhook" | "user";
  /** When no env is found: what the offer to create one does here. */
  offer?: { mode: OfferDecision["mode"]; why: string; project?: string; marker?: string };
  /** In plain words: why it is or is not active. */
  why: string;
}

export async function statusReport(dir: string, vars: Env, cwd: string): Promise<StatusReport> {
  const discovery = await discover(toolContext(dir, vars));
  const { found, expected } = discovery;
  const report: StatusReport = { dir, found: null, trust: null, active: false, why: "" };
  // The settings' problems always, not only where a project makes the hook read them.
  const problems = new Set([...discovery.problems.map((problem) => problem.text), ...settingProblems(vars)]);
  if (problems.size) report.problems = [...problems];
  const current = vars.VIRTUAL_ENV;
  const foreign = foreignEnv(vars);
  if (!found) {
    const offer = await decideOffer(dir, vars, expected);
    report.offer = { mode: offer.mode, why: offer.why };
    if (offer.project) Object.assign(report.offer, { project: offer.project.root, marker: offer.project.marker });
    // Suggest create only where it can work: the hook does not look (it would run every Python found), status does.
    if (offer.project && !expected && (offer.mode === "hint" || offer.mode === "ask")) {
      const choice = choosePython(offer.project.root, { env: vars });
      if (!choice.ok) report.offer.why = `no environment, and 'venvhook create' cannot make one here: ${choice.message}`;
      else report.offer.why += `; create would use Python ${choice.interpreter.version} (${choice.why}) and ${resolveBackend("auto", choice.interpreter, vars)}`;
    }
    report.why = `there is no .venv in ${printable(dir)} or any folder above it`;
    if (expected) {
      const toolName = TOOL_NAMES[expected.tool];
      const command = TOOL_COMMANDS[expected.tool];
      report.expected = { tool: expected.tool, toolName, project: expected.project, command };
      report.why += `, and ${toolName} has not made the env of ${printable(expected.project)} yet ('${command}' does)`;
    }
    if (foreign) report.why += `; your own activation of ${printable(foreign)} is active`;
    return report;
  }
  report.found = { kind: found.kind, venv: found.venv };
  if (found.pointer) report.found.pointer = { ...found.pointer };
  if (found.kind === "env" && found.managed) {
    const { tool, project, rule } = found.managed;
    report.found.managed = { tool, toolName: TOOL_NAMES[tool], project, rule };
  }
  if (found.kind === "broken") {
    report.found.problem = found.problem;
    report.why = `${printable(found.venv)} is not usable: ${found.problem}`;
    return report;
  }
  report.found.env = found.env;
  report.found.name = envName(found.env, found.config);
  if (found.config.version) report.found.python = found.config.version;

  const verdict: Verdict = judge(found, loadTrust());
  if (verdict.ok) report.found.interpreter = interpreterIn(verdict.bin);
  report.trust = verdict.ok
    ? { allowed: true, since: verdict.since }
    : { allowed: false, reason: verdict.reason, ...(verdict.detail ? { detail: verdict.detail } : {}) };

  // venvhook activates the real path it judged; the user's own activation may use the path with links.
  if (current === found.env || (verdict.ok && current === verdict.env)) {
    report.active = true;
    report.activeBy = foreign ? "user" : "venvhook";
    report.why = report.activeBy === "venvhook" ? "active in this shell" : "active in this shell, by your own activation";
  } else if (foreign) {
    report.why = `your own activation of ${printable(foreign)} is active, and venvhook stands aside until you deactivate it`;
  } else if (!verdict.ok) {
    report.why = {
      "not-allowed": "not allowed yet: run 'venvhook allow' to use it",
      "pointer-changed": "the pointer changed since it was allowed: run 'venvhook allow' if its new target is right",
      unsafe: `refused: ${printable(verdict.detail ?? "")}`,
      recreated: "re-created since it was allowed, so it is not the env you allowed: run 'venvhook allow' again if you trust it",
      unidentified: "allowed by an older venvhook, which did not record which folder it was: run 'venvhook allow' again to use it",
    }[verdict.reason];
  } else if (vars[OFF_VAR] !== undefined && vars[OFF_VAR] === projectFolder(found)) {
    report.why = `turned off in this shell (deactivate, or 'venvhook off') until you leave ${printable(projectFolder(found))}; 'venvhook on' turns it back on`;
  } else if (dir !== cwd) {
    report.why = "allowed; it becomes active when you cd there";
  } else {
    report.why = "allowed but not active in this shell: is the hook loaded? (see 'venvhook init --help')";
  }
  return report;
}

/** An ISO time as the user's clock shows it, with its offset: 2026-12-03 10:15 (UTC+01:00). JSON keeps the ISO time. */
export function localTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return printable(iso);
  const two = (n: number) => String(n).padStart(2, "0");
  const offset = -time.getTimezoneOffset();
  const zone = `UTC${offset < 0 ? "-" : "+"}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${time.getFullYear()}-${two(time.getMonth() + 1)}-${two(time.getDate())} ${two(time.getHours())}:${two(time.getMinutes())} (${zone})`;
}

export function renderStatus(report: StatusReport): string {
  const lines = [`From ${printable(report.dir)}:`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(7)}${text}`);
  const { found } = report;
  if (found?.managed) {
    row("env", printable(found.env ?? ""));
    row("found", `by ${found.managed.toolName}'s rule for ${printable(found.managed.project)}: ${printable(found.managed.rule)}`);
    if (found.pointer) row("via", `${printable(found.venv)}, saying "${printable(found.pointer.text)}"`);
  } else if (found) {
    if (found.pointer) {
      row(".venv", `${printable(found.venv)}, a pointer file saying "${printable(found.pointer.text)}"`);
      row("env", printable(found.pointer.target));
    } else {
      row(".venv", `${printable(found.venv)}, ${found.kind === "env" ? "an environment folder" : "not an environment"}`);
    }
  }
  if (found?.name !== undefined) row("name", printable(found.name));
  if (found?.python) row("python", printable(found.python));
  const { trust } = report;
  if (trust) {
    const refused = {
      "not-allowed": "not allowed",
      "pointer-changed": "not allowed (the pointer changed)",
      unsafe: "refused",
      recreated: "not allowed (re-created since it was allowed)",
      unidentified: "not allowed (allowed by an older venvhook; allow it again)",
    };
    row("trust", trust.allowed ? `allowed since ${localTime(trust.since ?? "")}` : refused[trust.reason ?? "not-allowed"]);
  }
  row("active", report.active ? "yes" : "no");
  if (report.offer) row("offer", report.offer.why);
  for (const problem of report.problems ?? []) row("note", problem);
  lines.push(`  ${report.why}`);
  return `${lines.join("\n")}\n`;
}
