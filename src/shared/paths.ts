// Where venvhook keeps its files (env-paths: XDG on Linux, Library on macOS, AppData on Windows).
import envPaths from "env-paths";
import path from "node:path";

const dirs = envPaths("venvhook", { suffix: "" });

export const dataDir = (): string => dirs.data;
export const trustFile = (): string => path.join(dirs.data, "trust.json");
export const ignoredFile = (): string => path.join(dirs.data, "ignored.json");
export const configFile = (): string => path.join(dirs.config, "config.toml");
/** The hooks `init --write` writes, which rc lines load instead of running `venvhook init`. */
export const hookDir = (): string => path.join(dirs.data, "init");
/** What the tool rules found at each project, kept while its inputs are unchanged (src/discovery/tools/memo.ts). */
export const memoDir = (): string => path.join(dirs.cache, "projects");
// env-paths calls it log; on Linux it is XDG_STATE_HOME.
/** Locks, for work two shells must not do at once. */
export const lockDir = (): string => path.join(dirs.log, "locks");
/** What the backend said when the last `create` failed. */
export const createLog = (): string => path.join(dirs.log, "create.log");
