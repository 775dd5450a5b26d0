// Where venvhook keeps its files (env-paths: XDG on Linux, Library on macOS, AppData on Windows).
import envPaths from "env-paths";
import path from "node:path";

const dirs = envPaths("venvhook", { suffix: "" });

export const trustFile = (): string => path.join(dirs.data, "trust.json");
