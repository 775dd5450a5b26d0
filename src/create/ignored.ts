// Projects the user told venvhook never to offer an env for (`venvhook ignore`).
import { realpathOrUndefined } from "../shared/fs-quiet.ts";
import { isRecord, loadStore, updateStore, type JsonStore, type StoreKind } from "../shared/jsonfile.ts";
import { ignoredFile } from "../shared/paths.ts";

interface IgnoredStore {
  version: 1;
  /** By the project's real path. */
  projects: Record<string, { ignored: string }>;
  /** When each project was last unignored, by real path: the offer is said again after it, in the same shell session too. */
  unignored?: Record<string, string>;
}

const IGNORED: StoreKind = { name: "the list of ignored projects", ifDeleted: "venvhook then offers to create envs there again" };

function ignoredStore(file: string): JsonStore<IgnoredStore> {
  return {
    file,
    format: 1,
    kind: IGNORED,
    parse: (data) => {
      if (data === undefined) return { version: 1, projects: {} };
      const store = data as Partial<IgnoredStore> | null;
      return store?.version === 1 && isRecord(store.projects) ? (store as IgnoredStore) : undefined;
    },
  };
}

export function isIgnored(root: string, file = ignoredFile()): boolean {
  return ignoreState(root, file).ignored;
}

/** Whether the project is ignored, and when it was last unignored (if it was). */
export function ignoreState(root: string, file = ignoredFile()): { ignored: boolean; unignored?: string } {
  const key = realpathOrUndefined(root) ?? root;
  const store = loadStore(ignoredStore(file));
  const unignored = store.unignored?.[key];
  return { ignored: key in store.projects, ...(typeof unignored === "string" && { unignored }) };
}

/** Records or withdraws the project; returns false when that changed nothing. */
export function setIgnored(root: string, ignored: boolean, file = ignoredFile(), now = new Date()): boolean {
  const key = realpathOrUndefined(root) ?? root;
  return updateStore(ignoredStore(file), (store) => {
    if (ignored === key in store.projects) return false;
    if (ignored) store.projects[key] = { ignored: now.toISOString() };
    else {
      delete store.projects[key];
      (store.unignored ??= {})[key] = now.toISOString();
    }
    return true;
  });
}
