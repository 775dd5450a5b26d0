// `venvhook rm <label-or-path>`: remove an env, and forget that it was allowed.
import type { Command } from "commander";
import { writeSync } from "node:fs";
import path from "node:path";
import { foreignEnv } from "../activation/plan.ts";
import { findProject } from "../discovery/project.ts";
import { findVenv, isPathLike, resolvePointer, workingFolder } from "../discovery/venv.ts";
import { ask, canAsk } from "../shared/ask.ts";
import { printable, shownPath, UserError } from "../shared/messages.ts";
import { badLabel, labelPath, readMeta, realOr } from "../store/central.ts";
import { diskUsage, formatSize, isActive, leadsTo, notAnEnv, removeEnv } from "../store/inventory.ts";
import { loadTrust, pointersTo } from "../trust/trust.ts";
import { example } from "./common.ts";

export function rmCommand(program: Command): void {
  program
    .command("rm")
    .argument("<label-or-path>", "a label of this project's envs in venvhook's store, or the path of any env")
    .option("-y, --yes", "do not ask")
    .option("--force", "remove it even when a .venv pointer leads to it (the pointer then leads nowhere)")
    .description("remove an env, and forget that it was allowed")
    .addHelpText("after", example("venvhook rm py313"))
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
