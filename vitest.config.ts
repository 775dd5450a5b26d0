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
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
