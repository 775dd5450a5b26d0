// Projects the user told venvhook never to offer an env for (`venvhook ignore`).
import { realpathOrUndefined } from "./fs-quiet.ts";
import { readJson, writeJsonAtomic } from "./jsonfile.ts";
import { ignoredFile } from "./paths.ts";

interface IgnoredStore {
  version: 1;
  /** By the project's real path. */
  projects: Record<string, { ignored: string }>;
}

function loadIgnored(file = ignoredFile()): IgnoredStore {
  const store = readJson(file) as Partial<IgnoredStore> | undefined;
  if (store === undefined) return { version: 1, projects: {} };
  if (store?.version !== 1 || typeof store.projects !== "object") {
    throw new Error(`${file} is not in a format this venvhook knows; fix or delete it`);
  }
  return store as IgnoredStore;
}

export function isIgnored(root: string, file = ignoredFile()): boolean {
  return (realpathOrUndefined(root) ?? root) in loadIgnored(file).projects;
}

/** Records or withdraws the project; returns false when that changed nothing. */
export function setIgnored(root: string, ignored: boolean, file = ignoredFile(), now = new Date()): boolean {
  const store = loadIgnored(file);
  const key = (realpathOrUndefined(root) ?? root);
  if (ignored === key in store.projects) return false;
  if (ignored) store.projects[key] = { ignored: now.toISOString() };
  else delete store.projects[key];
  writeJsonAtomic(file, store);
  return true;
}

