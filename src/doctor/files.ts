// venvhook's own folders and files: the folders can be used, and the stores
// and config.toml are ones this venvhook can read.
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { isIgnored } from "../create/ignored.ts";
import { settingProblems } from "../shared/config.ts";
import { StoreError } from "../shared/jsonfile.ts";
import { configFile, dataDir, lockDir, memoDir } from "../shared/paths.ts";
import { statOrUndefined } from "../shared/fs-quiet.ts";
import { loadTrust } from "../trust/trust.ts";
import { ok, problem, type Finding } from "./finding.ts";

export function filesFindings(env: NodeJS.ProcessEnv): Finding[] {
  const folders: [string, string][] = [
    ["data", dataDir()],
    ["config", path.dirname(configFile())],
    ["state", path.dirname(lockDir())],
    ["cache", path.dirname(memoDir())],
  ];
  const findings = folders.flatMap(([what, dir]) => folderProblem(what, dir));
  for (const load of [() => loadTrust(), () => isIgnored(dataDir())]) {
    try {
      load();
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      // Its message says what to do.
      findings.push(problem("files", error.message));
    }
  }
  for (const setting of settingProblems(env)) findings.push(problem("files", setting));
  return findings.length ? findings : [ok("files", "venvhook's data, config, state and cache folders are usable, and its stores and config.toml valid")];
}

/** A folder that is not there yet is fine: venvhook makes it when it needs it. */
function folderProblem(what: string, dir: string): Finding[] {
  const stats = statOrUndefined(dir);
  if (!stats) return [];
  if (!stats.isDirectory()) return [problem("files", `venvhook's ${what} folder ${dir} is not a folder`, "move it away; venvhook makes the folder when it needs it")];
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    return [];
  } catch {
    return [problem("files", `venvhook's ${what} folder ${dir} cannot be read and written by you`, `make it yours with read, write and search permission (chmod u+rwx ${dir})`)];
  }
}
