// `venvhook list`, `gc` and `rm`: the CLI wiring of inventory.ts.
import type { Command } from "commander";
import { writeSync } from "node:fs";
import path from "node:path";
import { foreignEnv } from "../activation/plan.ts";
import { ask, canAsk } from "../shared/ask.ts";
import { findVenv, isPathLike, resolvePointer, workingFolder } from "../discovery/venv.ts";
import { diskUsage, formatSize, isActive, knownEnvs, leadsTo, notAnEnv, removeEnv, type KnownEnv } from "../store/inventory.ts";
import { printable, shownPath, UserError, warn } from "../shared/messages.ts";
import { findProject } from "../discovery/project.ts";
import { badLabel, labelPath, readMeta, realOr, storeRoot } from "../store/central.ts";
import { loadTrust, pointersTo } from "../trust/trust.ts";

export function addInventoryCommands(program: Command): void {
  program
    .command("list")
    .option("--json", "machine-readable output")
    .description("list the envs venvhook knows: its store's, $WORKON_HOME's and ~/.virtualenvs'")
    .action((options: { json?: boolean }) => {
      const envs = knownEnvs();
      if (options.json) writeSync(1, `${JSON.stringify(envs, null, 2)}\n`);
      else if (envs.length === 0) writeSync(1, `no envs in ${printable(storeRoot())}, $WORKON_HOME or ~/.virtualenvs\n`);
      else writeSync(1, table(envs));
    });

  program
    .command("gc")
    .option("-y, --yes", "remove them")
    .description("list the store's orphaned envs, and remove them with --yes")
    .action((options: { yes?: boolean }) => {
      const orphans = knownEnvs().filter((env) => env.orphan);
      const root = printable(storeRoot());
      if (orphans.length === 0) {
        writeSync(1, `no orphan envs in ${root}\n`);
        return;
      }
      const lines = orphans.map((env) => `  ${formatSize(env.size)}  ${printable(env.path)}  ${printable(env.why ?? "")}\n`);
      writeSync(1, `${count(orphans)} in ${root}:\n${lines.join("")}`);
      if (!options.yes) {
        writeSync(1, `total ${total(orphans)}; run 'venvhook gc --yes' to remove ${orphans.length === 1 ? "it" : "them"}\n`);
        return;
      }
      const removed = orphans.filter((env) => {
        try {
          removeEnv(env.path);
          return true;
        } catch (error) {
          warn(`could not remove ${printable(env.path)}: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        }
      });
      if (removed.length < orphans.length) process.exitCode = 1;
      writeSync(1, `removed ${count(removed)}, ${total(removed)}\n`);
    });

  program
    .command("rm")
    .argument("<label-or-path>", "a label of this project's envs in venvhook's store, or the path of any env")
    .option("-y, --yes", "do not ask")
    .option("--force", "remove it even when a .venv pointer leads to it (the pointer then leads nowhere)")
    .description("remove an env, and forget that it was allowed")
    .action((spec: string, options: { yes?: boolean; force?: boolean }) => {
      const cwd = workingFolder();
      // As in a pointer file: a path, or a label.
      const env = isPathLike(spec) ? resolvePointer(cwd, spec) : labelEnv(cwd, spec);
      const shown = printable(env);
      const problem = notAnEnv(env);
      if (problem) throw new UserError(`not removing ${shown}: ${problem}`);
      const pointers = options.force ? [] : pointersLeadingTo(env);
      if (pointers.length > 0) {
        const which = pointers.map((pointer) => shownPath(pointer, cwd)).join(", ");
        throw new UserError(
          `not removing ${shown}: ${which} ${pointers.length === 1 ? "points" : "point"} to it and would lead nowhere; point ${pointers.length === 1 ? "it" : "them"} elsewhere first ('venvhook use <label>' or 'venvhook link'), or add --force`,
        );
      }
      const size = formatSize(diskUsage(env));
      if (!options.yes) {
        if (!canAsk()) throw new UserError(`not removing ${shown} without asking; add --yes to remove it`);
        if (ask(`Remove ${shown} (${size})? [y/N] `) !== "y") throw new UserError(`kept ${shown}`);
      }
      const active = isActive(env, process.env.VIRTUAL_ENV);
      removeEnv(env);
      let note = "";
      if (active) {
        note = foreignEnv(process.env)
          ? "; it was active in this shell: run 'deactivate' to leave it"
          : "; it was active, and the shell function deactivates it at once";
      }
      writeSync(1, `removed ${shown} (${size})${note}\n`);
    });
}

/** The pointer files that lead to an env: those allowed, and its store project's `.venv`. */
function pointersLeadingTo(env: string): string[] {
  const real = realOr(env);
  const project = readMeta(env)?.project;
  const candidates = [...pointersTo(real, loadTrust()), ...(project ? [realOr(path.join(project, ".venv"))] : [])];
  return [...new Set(candidates)].filter((pointer) => leadsTo(pointer, real));
}

/** The env with this label in the store for the project here. */
function labelEnv(cwd: string, label: string): string {
  const bad = badLabel(label);
  if (bad) throw new UserError(`'${printable(label)}' is not a label: ${bad}`);
  const project = projectRoot(cwd);
  const env = labelPath(project, label);
  if (notAnEnv(env)) throw new UserError(`${printable(project)} has no env labelled '${printable(label)}' in venvhook's store`);
  return env;
}

/**
 * The project whose store a label is looked up in: the nearest folder upward
 * with a `.venv` (where discovery looks a name up) or a project marker, else
 * here. Both are at or above `cwd`, so the longer is the nearer.
 */
function projectRoot(cwd: string): string {
  const found = findVenv(cwd);
  const candidates = [found ? path.dirname(found.venv) : "", findProject(cwd)?.root ?? ""];
  return candidates.reduce((a, b) => (b.length > a.length ? b : a)) || cwd;
}

/** One row per env: active, project, label, Python, size, and why it is an orphan (or cannot be told). */
function table(envs: KnownEnv[]): string {
  const where = { store: "?", workon: "($WORKON_HOME)", virtualenvs: "(~/.virtualenvs)" };
  const rows = [
    ["", "project", "label", "python", "size", ""],
    ...envs.map((env) => [
      env.active ? "*" : "",
      env.project ?? where[env.source],
      env.label ?? "",
      env.python ?? "?",
      formatSize(env.size),
      env.orphan ? `orphan: ${env.why}` : (env.why ?? ""),
    ]),
  ].map((row) => row.map(printable));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()}\n`).join("");
}

function count(envs: KnownEnv[]): string {
  return envs.length === 1 ? "1 orphan env" : `${envs.length} orphan envs`;
}

function total(envs: KnownEnv[]): string {
  return formatSize(envs.reduce((sum, env) => sum + env.size, 0));
}
