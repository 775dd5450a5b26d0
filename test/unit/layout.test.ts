// The layout docs/architecture.md draws: no module imports one that imports it
// back; export and init (main.ts dispatches both before the CLI) load, before
// any lazy import, none of what only other commands or a project need.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve("src");

interface Imports {
  /** Imports that load the module at start (not `import type`, not `import()`). */
  eager: string[];
  /** Every module named, eager, lazy or for types. */
  all: string[];
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

function importsOf(file: string): Imports {
  const text = readFileSync(file, "utf8");
  const resolve = (spec: string) => (spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : spec);
  const eager = [...text.matchAll(/^import (?!type )[^;]*?from "([^"]+)"/gms)].map((m) => resolve(m[1]!));
  const all = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => resolve(m[1]!));
  return { eager, all };
}

const graph = new Map(sourceFiles().map((file) => [file, importsOf(file)]));
const shown = (file: string) => (path.isAbsolute(file) ? path.relative(SRC, file) : file);

describe("the source layout", () => {
  it("has no import cycles, counting type-only and lazy imports", () => {
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, stack: string[]): void => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map(shown).join(" -> "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file)?.all ?? []) if (graph.has(next)) visit(next, [...stack, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  /** What a command loads from main.ts before any lazy import of its own. */
  const loadedBy = (command: string): string[] => {
    const loaded = new Set<string>();
    const load = (file: string): void => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const next of graph.get(file)?.eager ?? []) load(next);
    };
    load(path.join(SRC, "main.ts"));
    load(path.join(SRC, "commands", command));
    return [...loaded].map(shown);
  };

  it("loads for export only what the hot path needs, before any lazy import", () => {
    const names = loadedBy("export.ts");
    // The CLI framework, the other commands, creating an env, and the TOML parser (loaded when a project is met).
    for (const heavy of ["commander", "smol-toml", "cli.ts", "commands/status.ts", "create/create.ts", "create/python.ts", "shared/toml.ts", "shared/config.ts"]) {
      expect(names).not.toContain(heavy);
    }
  });

  it("loads for init, which every new shell runs, only the shell adapters", () => {
    const names = loadedBy("init.ts");
    for (const heavy of ["commander", "cli.ts", "commands/export.ts", "discovery/index.ts", "trust/trust.ts", "activation/state.ts"]) {
      expect(names).not.toContain(heavy);
    }
  });
});

describe("docs/architecture.md", () => {
  it("names every module in src/", () => {
    const map = readFileSync("docs/architecture.md", "utf8");
    const missing = [...graph.keys()].map(shown).filter((file) => !map.includes(`\`${file}\``) && !map.includes(` ${file}`));
    expect(missing).toEqual([]);
  });
});
