// What the tool rules found at a project, kept with everything they read to
// find it, so that the next directory change below the same project costs a
// few stats instead of loading the TOML parser, parsing, hashing and listing
// folders again (measured: ~0.7 ms of CPU per cd in a Poetry project). direnv
// decides whether to reload the same way, by the times of the files it
// watches (DIRENV_WATCHES).
//
// The rules read only through their ToolContext, so recording that context
// records every input: each file or folder they stat, read or list (kept as
// its stat fingerprint, taken before the read), each real path, each
// variable, the home folder, and the working folder if they used it. A kept
// outcome is used only while every one of those is as it was. It is a cache,
// not a trust decision: the env it leads to is judged afterwards like any other.
import path from "node:path";
import type { Found } from "../venv.ts";
import type { Tool } from "./names.ts";
import { lstatOrUndefined, statOrUndefined } from "../../shared/fs-quiet.ts";
import { shortHash } from "../../shared/hash.ts";
import { writeJsonAtomic } from "../../shared/jsonfile.ts";
import type { ToolContext } from "./context.ts";
import type { Notice } from "../../shared/messages.ts";

/** What the rules said at one project folder. */
export interface RulesOutcome {
  found?: Found;
  expected?: { tool: Tool; project: string };
  problems: Notice[];
}

interface Entry {
  version: typeof VERSION;
  dir: string;
  /** Which project files the walk saw there: the rules that ran depend on it. */
  flags: string;
  home: string;
  /** Set only when a rule used the working folder. */
  cwd?: string;
  files: Array<[file: string, fingerprint: string]>;
  /** Fingerprints of the links themselves, for what was asked with lstat. */
  links: Array<[file: string, fingerprint: string]>;
  realpaths: Array<[file: string, real: string | null]>;
  vars: Array<[name: string, value: string | null]>;
  outcome: RulesOutcome;
}

const VERSION = 1;
/** Kept outcomes are tiny; anything larger was not written by this code. */
const ENTRY_READ_LIMIT = 256 * 1024;

/**
 * A stat's identity: kind, size, times and inode; "-" when there is nothing
 * there. `changed` is when it last changed (0 for nothing), for the racy check.
 */
function identity(file: string, follow = true): { print: string; changed: number } {
  const stats = follow ? statOrUndefined(file) : lstatOrUndefined(file);
  if (!stats) return { print: "-", changed: 0 };
  const kind = stats.isFile() ? "f" : stats.isDirectory() ? "d" : stats.isSymbolicLink() ? "l" : "o";
  return { print: `${kind}${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`, changed: Math.max(stats.mtimeMs, stats.ctimeMs) };
}

/**
 * Timestamps are only as fine as the file system's clock (a few ms, 2 s on
 * FAT): a file changed this recently could change again, to the same size,
 * without its times moving. An outcome read from one is not kept (as git
 * treats "racily clean" files).
 */
const RACY_MS = 2000;

/** The program itself: another venvhook may follow other rules, so its outcomes are not reused. */
const program = (): string[] => [process.execPath, process.argv[1] ?? ""];

export class Memo {
  /** `folder()` holds one small JSON file per project folder; asked only once a project is met. */
  constructor(
    private readonly folder: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  private file(dir: string): string {
    return path.join(this.folder(), `${shortHash(dir)}.json`);
  }

  /** The kept outcome for this project folder, if everything it was computed from is unchanged. */
  recall(ctx: ToolContext, dir: string, flags: string): RulesOutcome | undefined {
    const text = ctx.s.readHead(this.file(dir), ENTRY_READ_LIMIT);
    if (text === undefined) return undefined;
    try {
      const entry = JSON.parse(text) as Entry;
      return isCurrent(entry, ctx, dir, flags) && Array.isArray(entry.outcome.problems) ? entry.outcome : undefined;
    } catch {
      // Not written by this code, or half written by something else: computed afresh, and kept anew.
      return undefined;
    }
  }

  /** A context that notes everything read through it, and `keep` to store what came of it. */
  record(ctx: ToolContext, dir: string, flags: string): Recording {
    const files = new Map<string, string>();
    const links = new Map<string, string>();
    const realpaths = new Map<string, string | null>();
    const vars = new Map<string, string | null>();
    let cwdUsed = false;
    let racy = false;
    const since = this.now() - RACY_MS;
    const noteIn = (map: Map<string, string>, file: string, follow: boolean) => {
      if (map.has(file)) return;
      const { print, changed } = identity(file, follow);
      map.set(file, print);
      racy ||= changed > since;
    };
    const note = (file: string) => noteIn(files, file, true);
    for (const file of program()) note(file);
    const s = ctx.s;
    const recording: ToolContext = {
      s: {
        ...s,
        stat: (file) => (note(file), s.stat(file)),
        lstat: (file) => (noteIn(links, file, false), s.lstat(file)),
        readHead: (file, limit) => (note(file), s.readHead(file, limit)),
      },
      os: ctx.os,
      vars: new Proxy(ctx.vars, {
        get(target, name) {
          const value = Reflect.get(target, name) as string | undefined;
          if (typeof name === "string" && !vars.has(name)) vars.set(name, value ?? null);
          return value;
        },
      }),
      get cwd() {
        cwdUsed = true;
        return ctx.cwd;
      },
      realpath(file) {
        const real = ctx.realpath(file);
        if (!realpaths.has(file)) realpaths.set(file, real ?? null);
        return real;
      },
      list: (dir) => (note(dir), ctx.list(dir)),
      parseToml: (text) => ctx.parseToml(text),
      problems: [],
    };
    return {
      ctx: recording,
      note,
      keep: (outcome) => {
        if (racy) return;
        const entry: Entry = {
          version: VERSION,
          dir,
          flags,
          home: s.home,
          ...(cwdUsed ? { cwd: ctx.cwd } : {}),
          files: [...files],
          links: [...links],
          realpaths: [...realpaths],
          vars: [...vars],
          outcome,
        };
        this.store(dir, entry);
      },
    };
  }

  /** Best effort: a folder that cannot be written only means no shortcut next time. */
  private store(dir: string, entry: Entry): void {
    try {
      writeJsonAtomic(this.file(dir), entry);
    } catch {
      // Not kept.
    }
  }
}

export interface Recording {
  ctx: ToolContext;
  /** Notes a file the outcome depends on that was read outside the context. */
  note(file: string): void;
  keep(outcome: RulesOutcome): void;
}

function isCurrent(entry: Entry, ctx: ToolContext, dir: string, flags: string): boolean {
  if (entry.version !== VERSION || entry.dir !== dir || entry.flags !== flags || entry.home !== ctx.s.home) return false;
  if (entry.cwd !== undefined && entry.cwd !== ctx.cwd) return false;
  for (const [name, value] of entry.vars) if ((ctx.vars[name] ?? null) !== value) return false;
  for (const [file, print] of entry.files) if (identity(file).print !== print) return false;
  for (const [file, print] of entry.links) if (identity(file, false).print !== print) return false;
  for (const [file, real] of entry.realpaths) if ((ctx.realpath(file) ?? null) !== real) return false;
  return true;
}
