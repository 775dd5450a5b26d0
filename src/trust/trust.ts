// Trust before PATH: an env is activated only if the user allowed it (or
// venvhook made it), and never if others can write into it.
import { opendirSync, readlinkSync, realpathSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import type { Found, Pointer } from "../discovery/venv.ts";
import { lstatOrUndefined, readHead, realpathOrUndefined, statOrUndefined } from "../shared/fs-quiet.ts";
import { isRecord, loadStore, updateStore, type JsonStore, type StoreKind } from "../shared/jsonfile.ts";
import { printable, UserError } from "../shared/messages.ts";
import { trustFile } from "../shared/paths.ts";
import { host, windows, type Platform } from "../activation/platform.ts";
import { sha256 } from "../shared/sha256.ts";
import { quotePosix } from "../shells/posix.ts";

type FoundEnv = Extract<Found, { kind: "env" }>;

export interface TrustStore {
  version: 1;
  /** Allowed envs, by real path. */
  envs: Record<string, { allowed: string; created?: true; identity?: Identity }>;
  /** Allowed pointer files, by real path, with the hash of what they said when allowed. */
  pointers: Record<string, { sha256: string; target: string; allowed: string }>;
}

export type Verdict =
  /** env and bin are the real paths that were judged: what goes into VIRTUAL_ENV and on PATH. */
  | { ok: true; since: string; env: string; bin: string }
  | { ok: false; reason: "not-allowed" | "pointer-changed" | "unsafe" | "recreated" | "unidentified"; detail?: string };

const TRUST: StoreKind = { name: "the trust store", ifDeleted: "every env then waits for 'venvhook allow' again" };

function trustStore(file: string): JsonStore<TrustStore> {
  return {
    file,
    format: 1,
    kind: TRUST,
    parse: (data) => {
      if (data === undefined) return { version: 1, envs: {}, pointers: {} };
      const store = data as Partial<TrustStore> | null;
      return store?.version === 1 && isRecord(store.envs) && isRecord(store.pointers) ? (store as TrustStore) : undefined;
    },
  };
}

/** The trust store as it is now; a StoreError when it cannot be used. */
export function loadTrust(file = trustFile()): TrustStore {
  return loadStore(trustStore(file));
}

/** Changes the trust store under its lock, from what it holds at that moment; returns what `change` returned. */
export function updateTrust<T>(change: (store: TrustStore) => T, file = trustFile()): T {
  return updateStore(trustStore(file), change);
}

export interface JudgeOptions {
  /** The env venvhook has active in this shell: its bin/ files were checked when it was activated, and are not listed again on every cd. */
  active?: string | undefined;
  accounts?: Accounts;
}

export function judge(found: FoundEnv, store: TrustStore, { active, accounts = thisSystem }: JudgeOptions = {}): Verdict {
  const real = resolveEnv(found.env);
  if ("problem" in real) return { ok: false, reason: "unsafe", detail: real.problem };
  const entry = store.envs[real.env];
  if (!entry) return { ok: false, reason: "not-allowed" };
  if (found.pointer) {
    const pointer = store.pointers[realpathOrUndefined(found.venv) ?? found.venv];
    if (!pointer) return { ok: false, reason: "not-allowed" };
    if (pointer.sha256 !== hashPointer(found.pointer) || pointer.target !== real.env) {
      return { ok: false, reason: "pointer-changed" };
    }
  }
  if (!entry.identity) return { ok: false, reason: "unidentified" };
  const identity = identityOf(real);
  if (identity?.env !== entry.identity.env || identity.bin !== entry.identity.bin) return { ok: false, reason: "recreated" };
  const unsafe = unsafeReason(real, accounts, real.env !== active);
  if (unsafe) return { ok: false, reason: "unsafe", detail: unsafe };
  return { ok: true, since: entry.allowed, env: real.env, bin: real.bin };
}

/** Allows the env (and the pointer that leads to it), as the folders they are now. Returns the real paths allowed. */
export function allow(found: FoundEnv, store: TrustStore, now = new Date()): RealEnv {
  const real = identifiedEnv(found.env);
  const allowed = now.toISOString();
  store.envs[real.env] = { ...store.envs[real.env], allowed, identity: real.identity };
  if (found.pointer) {
    store.pointers[realpathSync(found.venv)] = { sha256: hashPointer(found.pointer), target: real.env, allowed };
  }
  return real;
}

/** Envs venvhook made itself are allowed from the start, as the folders just made. */
export function allowCreated(env: string, store: TrustStore, now = new Date()): void {
  const real = identifiedEnv(env);
  store.envs[real.env] = { allowed: now.toISOString(), created: true, identity: real.identity };
}

function identifiedEnv(env: string): RealEnv & { identity: Identity } {
  const real = resolveEnv(env);
  if ("problem" in real) throw new UserError(`cannot allow ${printable(env)}: ${printable(real.problem)}`);
  const identity = identityOf(real);
  if (!identity) throw new UserError(`cannot allow ${printable(env)}: ${printable(real.bin)} is missing`);
  return { ...real, identity };
}

/** Withdraws what makes this `.venv` active: the pointer for a pointer file, else the env. Returns false if nothing was allowed. */
export function deny(found: Found, store: TrustStore): boolean {
  if (found.pointer) {
    const key = realpathOrUndefined(found.venv) ?? found.venv;
    if (!store.pointers[key]) return false;
    delete store.pointers[key];
    return true;
  }
  if (found.kind !== "env") return false;
  const env = realpathOrUndefined(found.env) ?? found.env;
  if (!store.envs[env]) return false;
  delete store.envs[env];
  return true;
}

/** The allowed pointer files (real paths) that lead to this env (a real path). */
export function pointersTo(env: string, store: TrustStore): string[] {
  return Object.keys(store.pointers).filter((pointer) => store.pointers[pointer]!.target === env);
}

/** Forgets an env (a real path) and every pointer to it, as when it is removed. */
export function forgetEnv(env: string, store: TrustStore): void {
  delete store.envs[env];
  for (const pointer of pointersTo(env, store)) delete store.pointers[pointer];
}

/** An env's folder and its bin/, as real paths: no symbolic link left, nothing that depends on who resolves it. */
export interface RealEnv {
  env: string;
  bin: string;
}

/** Which folders the user allowed: an env deleted and re-created at the same path is another folder. */
interface Identity {
  env: string;
  bin: string;
}

const MAX_LINKS = 40;
/** Paths that mean something different in every process (`/proc/self/cwd`, `/dev/fd/3`), or in another one's (`/proc/<pid>/cwd`). */
const PER_PROCESS = /^\/(proc|dev\/(fd|stdin|stdout|stderr))(\/|$)/;

/**
 * Where an env and its bin/ really are, or why they may not be used. PATH gets
 * these real paths, so every later process runs what was judged here: a link
 * through /proc/self would lead each process somewhere else, so it is refused.
 */
export function resolveEnv(env: string): RealEnv | { problem: string } {
  const real = realFolder(env);
  if (typeof real !== "string") return real;
  const bin = realFolder(host.path.join(real, host.bin));
  if (typeof bin !== "string") return bin;
  const problem = binPathProblem(bin);
  return problem ? { problem } : { env: real, bin };
}

/** A PATH entry must be one absolute path: a delimiter in it would make two entries, neither of which was judged. */
export function binPathProblem(bin: string, platform: Platform = host): string | undefined {
  const { delimiter, isAbsolute } = platform.path;
  if (bin.includes(delimiter)) return `${bin} contains '${delimiter}', which separates PATH entries; move the env to a folder without it`;
  if (!isAbsolute(bin)) return `${bin} is not an absolute path`;
  return undefined;
}

/** The real path of a folder, following links one component at a time so that each link's target is seen. */
function realFolder(file: string): string | { problem: string } {
  // Windows has no /proc; its own resolution is the one to trust.
  if (host === windows) return realpathOrUndefined(file) ?? { problem: `${file} is missing` };
  if (!path.posix.isAbsolute(file)) return { problem: `${file} is not an absolute path` };
  // The usual case, a path with no link on the way: one realpath says so, and the walk below is not needed.
  if (!PER_PROCESS.test(file) && realpathOrUndefined(file) === file) return statOrUndefined(file)?.isDirectory() ? file : { problem: `${file} is not a folder` };
  const rest = file.split("/").reverse();
  let done = "/";
  let links = 0;
  let lastLink = "";
  while (rest.length) {
    const part = rest.pop()!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      done = path.posix.dirname(done);
      continue;
    }
    const next = path.posix.join(done, part);
    if (PER_PROCESS.test(next)) return { problem: `${lastLink || file} leads through ${next}, which is a different folder in every process` };
    const stats = lstatOrUndefined(next);
    if (!stats) return { problem: `${file} is missing` };
    if (!stats.isSymbolicLink()) {
      done = next;
      continue;
    }
    if (++links > MAX_LINKS) return { problem: `${file} leads through too many symbolic links` };
    const target = readLink(next);
    if (target === undefined) return { problem: `${file} is missing` };
    lastLink = `the link ${next} -> ${target}`;
    if (target.startsWith("/")) done = "/";
    rest.push(...target.split("/").reverse());
  }
  if (!statOrUndefined(done)?.isDirectory()) return { problem: `${file} is not a folder` };
  return done;
}

function readLink(link: string): string | undefined {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
}

/** Device and inode of the env and of bin/, with their birth time where the file system keeps one; never mtime or ctime, which pip changes. */
function identityOf(real: RealEnv): Identity | undefined {
  const env = folderIdentity(real.env);
  const bin = folderIdentity(real.bin);
  return env && bin ? { env, bin } : undefined;
}

function folderIdentity(folder: string): string | undefined {
  let stats;
  try {
    stats = statSync(folder, { bigint: true });
  } catch {
    return undefined;
  }
  const born = stats.birthtimeNs > 0n ? `:${stats.birthtimeNs}` : "";
  return `${stats.dev}:${stats.ino}${born}`;
}

/** The account database, read only when a group-writable folder needs it. Injectable for tests. */
export interface Accounts {
  uid: number | undefined;
  passwd(): string;
  group(): string;
}

const ACCOUNTS_READ_LIMIT = 16 * 1024 * 1024;
let passwdText: string | undefined;
let groupText: string | undefined;
const thisSystem: Accounts = {
  uid: process.getuid?.(),
  passwd: () => (passwdText ??= readHead("/etc/passwd", ACCOUNTS_READ_LIMIT) ?? ""),
  group: () => (groupText ??= readHead("/etc/group", ACCOUNTS_READ_LIMIT) ?? ""),
};

/** bin/ usually holds a few dozen files; past this many, checking each on activation costs too much. */
export const MAX_BIN_ENTRIES = 1000;

/**
 * Putting bin/ first on PATH runs its files for every command: refuse an env
 * that another user can change. As OpenSSH's StrictModes: every folder from
 * the env (and from bin/) up to / belongs to the user or root, and is not
 * writable by group or others unless sticky (/tmp) or the group is the
 * owner's private group; bin/'s files likewise.
 */
export function unsafeReason(real: RealEnv, accounts: Accounts = thisSystem, withBinFiles = true): string | undefined {
  // Windows has ACLs, not these mode bits; this check does not apply there.
  if (process.platform === "win32") return undefined;
  // Every writable one is named at once, so one chmod fixes them all.
  const writable: Writable[] = [];
  const seen = new Set<string>();
  for (const start of [real.bin, real.env]) {
    for (let folder = start; !seen.has(folder); folder = path.dirname(folder)) {
      seen.add(folder);
      const stats = statOrUndefined(folder);
      if (!stats) return `${folder} is missing`;
      const problem = writers(folder, stats, accounts, true);
      if (typeof problem === "string") return problem;
      if (problem) writable.push(problem);
    }
  }
  const files = withBinFiles ? binFiles(real.bin, accounts, writable) : undefined;
  if (files) return files;
  if (!writable.length) return undefined;
  const who = writable.map(({ file, by }) => `${file} is writable by ${by}`).join(", ");
  return `${who} (fix with: chmod go-w ${writable.map(({ file }) => quotePosix(file)).join(" ")})`;
}

/** A file or folder others can write to, and who. */
interface Writable {
  file: string;
  by: string;
}

/** Adds bin/'s writable files to `writable`; returns why bin/ itself cannot be used, if it cannot. */
function binFiles(bin: string, accounts: Accounts, writable: Writable[]): string | undefined {
  let dir;
  try {
    dir = opendirSync(bin);
  } catch {
    return `${bin} cannot be read`;
  }
  try {
    for (let count = 0, entry; (entry = dir.readSync()); count++) {
      if (count === MAX_BIN_ENTRIES) return `${bin} has more than ${MAX_BIN_ENTRIES} entries, too many to check`;
      const file = path.join(bin, entry.name);
      // A link is judged by what it leads to; one that leads nowhere runs nothing.
      const stats = statOrUndefined(file);
      const problem = stats && writers(file, stats, accounts, false);
      if (typeof problem === "string") return problem;
      if (problem) writable.push(problem);
    }
  } finally {
    dir.closeSync();
  }
  return undefined;
}

/** Who besides its owner can change this file or folder: another owner (a reason to refuse), or the writers. */
function writers(file: string, stats: Stats, accounts: Accounts, isFolder: boolean): string | Writable | undefined {
  const { uid } = accounts;
  if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) return `${file} is owned by another user (uid ${stats.uid})`;
  // The sticky bit lets others add entries but not replace ours: /tmp is fine.
  if (isFolder && stats.mode & 0o1000) return undefined;
  if (stats.mode & 0o002) return { file, by: "others" };
  if (stats.mode & 0o020 && !isPrivateGroup(stats.uid, stats.gid, accounts)) {
    return { file, by: `its group (gid ${stats.gid}), which is not its owner's private group` };
  }
  return undefined;
}

/**
 * A user private group (umask 002 on Fedora and RHEL): named as its user, the
 * user's primary group, no other member listed and no other user's primary group.
 */
export function isPrivateGroup(uid: number, gid: number, accounts: Accounts): boolean {
  const users = accounts.passwd().split("\n").map((line) => line.split(":"));
  const owner = users.find((fields) => Number(fields[2]) === uid && fields[2] !== "");
  if (!owner || Number(owner[3]) !== gid) return false;
  if (users.some((fields) => Number(fields[3]) === gid && fields[3] !== "" && Number(fields[2]) !== uid)) return false;
  const groups = accounts.group().split("\n").map((line) => line.split(":")).filter((fields) => fields[2] !== "" && Number(fields[2]) === gid);
  return (
    groups.length > 0 &&
    groups.every(([name, , , members = ""]) => name === owner[0] && members.split(",").every((member) => member === "" || member === owner[0]))
  );
}

function hashPointer(pointer: Pointer): string {
  return sha256(pointer.text);
}


/** One thing the user allowed, as `venvhook allowed` lists it; `gone` says why it no longer exists. */
export type AllowedEntry = { path: string; allowed: string; exists: boolean; gone?: string } & (
  | { kind: "env"; created: boolean }
  | { kind: "pointer"; target: string }
);

/** What the store allows, envs first, each with whether it is still there: an env's folder, a pointer file and the env it leads to. */
export function allowedEntries(store: TrustStore): AllowedEntry[] {
  const isFolder = (file: string) => statOrUndefined(file)?.isDirectory() === true;
  const entry = (gone: string | undefined) => (gone ? { exists: false, gone } : { exists: true });
  const envs = Object.entries(store.envs).map(([env, { allowed, created }]): AllowedEntry => ({
    kind: "env",
    path: env,
    allowed,
    created: created === true,
    ...entry(isFolder(env) ? undefined : "its folder is gone"),
  }));
  const pointers = Object.entries(store.pointers).map(([pointer, { allowed, target }]): AllowedEntry => {
    const gone = !statOrUndefined(pointer)?.isFile() ? "the file is gone" : !isFolder(target) ? `the env it led to, ${target}, is gone` : undefined;
    return { kind: "pointer", path: pointer, target, allowed, ...entry(gone) };
  });
  return [...envs, ...pointers];
}

/** Forgets what is gone (as allowedEntries says), like `direnv prune`; returns what it forgot. */
export function prune(store: TrustStore): AllowedEntry[] {
  const gone = allowedEntries(store).filter((entry) => !entry.exists);
  for (const entry of gone) {
    if (entry.kind === "env") delete store.envs[entry.path];
    else delete store.pointers[entry.path];
  }
  return gone;
}
