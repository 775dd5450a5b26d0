import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vitest/config";

// The hook files are embedded as text by bun at build time (`with { type: "text" }`); do the same under vitest.
const hookFilesAsText: Plugin = {
  name: "venvhook-hook-files-as-text",
  enforce: "pre",
  load(id) {
    return /\.(bash|zsh|fish|ps1|nu|elv|tcsh|xsh)$/.test(id) ? `export default ${JSON.stringify(readFileSync(id, "utf8"))};` : undefined;
  },
};

export default defineConfig({
  plugins: [hookFilesAsText],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The e2e tests mostly wait on shells in tmux: two workers on 2 cores
    // take the suite from ~9.5 to ~6 minutes (the default is one fewer than the cores).
    maxWorkers: 2,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
