// What doctor reports: one finding per line, and for what is wrong, the fix.

/** ok: as it should be; note: worth knowing, nothing to do; problem: wrong, with the fix. */
export type Level = "ok" | "note" | "problem";

export type Topic = "hook" | "binary" | "rc" | "activator" | "files" | "here";

export interface Finding {
  topic: Topic;
  level: Level;
  text: string;
  /** What to do about it: problems only, and not when the text, said by another part of venvhook, already says it. */
  fix?: string;
}

export const ok = (topic: Topic, text: string): Finding => ({ topic, level: "ok", text });
export const note = (topic: Topic, text: string): Finding => ({ topic, level: "note", text });
export const problem = (topic: Topic, text: string, fix?: string): Finding => ({ topic, level: "problem", text, ...(fix ? { fix } : {}) });
