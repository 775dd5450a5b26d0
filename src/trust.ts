// Trust before PATH: an env is activated only if the user allowed it (or
// venvhook made it), and never if others can write into it.
import { realpathSync, statSync } from "node:fs";
import { binDir, type Found, type Pointer } from "./discovery.ts";
import { realpathOrUndefined } from "./fs-quiet.ts";
import { isRecord, loadStore, updateStore, type JsonStore, type StoreKind } from "./jsonfile.ts";
import { trustFile } from "./paths.ts";
import { sha256 } from "./sha256.ts";
import { quotePosix } from "./shells/posix.ts";

type FoundEnv = Extract<Found, { kind: "env" }>;

interface TrustStore {
  version: 1;
  /** Allowed envs, by real path. */
  envs: Record<string, { allowed: string; created?: true }>;
  /** Allowed pointer files, by real path, with the hash of what they said when allowed. */
  pointers: Record<string, { sha256: string; target: string; allowed: string }>;
}

export type Verdict =
  | { ok: true; since: string }
  | { ok: false; reason: "not-allowed" | "pointer-changed" | "unsafe"; detail?: string };

const TRUST: StoreKind = { name: "the trust store", ifDeleted: "every env then waits for 'venvhook allow' again" };

function trustStore(file: string): JsonStore<TrustStore> {
  return {
    file,
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

export function judge(found: FoundEnv, store: TrustStore): Verdict {
  const env = realpathOrUndefined(found.env);
  const entry = env === undefined ? undefined : store.envs[env];
  if (env === undefined || !entry) return { ok: false, reason: "not-allowed" };
  if (found.pointer) {
    const pointer = store.pointers[realpathOrUndefined(found.venv) ?? found.venv];
    if (!pointer) return { ok: false, reason: "not-allowed" };
    if (pointer.sha256 !== hashPointer(found.pointer) || pointer.target !== env) {
      return { ok: false, reason: "pointer-changed" };
    }
  }
  const unsafe = unsafeReason(env);
  if (unsafe) return { ok: false, reason: "unsafe", detail: unsafe };
  return { ok: true, since: entry.allowed };
}

export function allow(found: FoundEnv, store: TrustStore, now = new Date()): void {
  const env = realpathSync(found.env);
  const allowed = now.toISOString();
  store.envs[env] = { ...store.envs[env], allowed };
  if (found.pointer) {
    store.pointers[realpathSync(found.venv)] = { sha256: hashPointer(found.pointer), target: env, allowed };
  }
}

/** Envs venvhook made itself are allowed from the start. */
export function allowCreated(env: string, store: TrustStore, now = new Date()): void {
  store.envs[realpathSync(env)] = { allowed: now.toISOString(), created: true };
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

/** Putting bin/ first on PATH runs its files for every command: refuse envs that others can change. */
export function unsafeReason(env: string): string | undefined {
  // Windows has ACLs, not these mode bits; this check does not apply there.
  if (process.platform === "win32") return undefined;
  const uid = process.getuid?.();
  for (const folder of [env, binDir(env)]) {
    let stats;
    try {
      stats = statSync(folder);
    } catch {
      return `${folder} is missing`;
    }
    if (stats.mode & 0o022) {
      const who = stats.mode & 0o020 ? "its group" : "others";
      return `${folder} is writable by ${who} (fix with: chmod go-w ${quotePosix(folder)})`;
    }
    if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) return `${folder} is owned by another user (uid ${stats.uid})`;
  }
  return undefined;
}

function hashPointer(pointer: Pointer): string {
  return sha256(pointer.text);
}

