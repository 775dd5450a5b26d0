// bun reads the environment and file names as UTF-8 and puts U+FFFD where
// the bytes are not UTF-8, so a value venvhook wrote back would lose them:
// PATH=$'/opt/bad\xffdir:...' would come back with EF BF BD in place of FF
// and that folder's commands would be gone. Only a value holding U+FFFD can
// have been changed; for those the bytes the process got decide (Linux:
// /proc/self). Where they cannot be read, venvhook cannot tell, and treats
// the value as changed: better to do nothing than to lose a PATH entry.
import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { printable, type Notice } from "../shared/messages.ts";

const REPLACEMENT = "\uFFFD";

type Env = Readonly<Record<string, string | undefined>>;

/** The variables `changes` rewrite whose bytes are not UTF-8, or may not be: not what this process received, or no /proc to tell. */
export function undecodableVariables(changes: readonly { name: string }[], vars: Env): string[] {
  // A loop, not filter(): this runs on every export, and each array builtin's first call costs ~0.1 M instructions.
  const suspects: string[] = [];
  for (const { name } of changes) if (mayBeUndecodable(vars[name] ?? "")) suspects.push(name);
  if (suspects.length === 0) return [];
  const raw = rawValues(suspects);
  return suspects.filter((name) => {
    const bytes = raw?.get(name);
    return bytes === undefined || !isUtf8(bytes) || bytes.toString("utf8") !== vars[name];
  });
}

/** Said instead of changing anything while a variable venvhook would rewrite is not UTF-8. */
export function undecodableNotice(names: readonly string[]): Notice {
  const list = names.join(" and ");
  const [it, holds] = names.length === 1 ? ["it", "holds"] : ["them", "hold"];
  return {
    key: `undecodable\0${list}`,
    text: `${list} ${holds} bytes that are not UTF-8, which venvhook cannot write back unchanged: it activates and deactivates nothing while they are there; take them out of ${it} (or rename that folder) to let it work`,
  };
}

/** Why a folder venvhook was given (as bun decoded it: with U+FFFD) cannot be found. */
export function undecodableFolder(folder: string): string {
  return `${printable(folder)} cannot be opened by that name: its path is not UTF-8 (each \uFFFD stands for bytes that are not), and venvhook works only in folders whose paths are UTF-8; rename the folder`;
}

/** Whether bun may have decoded a name with bytes that are not UTF-8. */
export function mayBeUndecodable(text: string): boolean {
  return text.includes(REPLACEMENT);
}

/** The bytes of the named variables as this process received them, or undefined when they cannot be read. */
function rawValues(names: readonly string[]): Map<string, Buffer> | undefined {
  let environ: Buffer;
  try {
    environ = readFileSync("/proc/self/environ");
  } catch {
    return undefined;
  }
  const values = new Map<string, Buffer>();
  for (let start = 0; start < environ.length; ) {
    const end = environ.indexOf(0, start);
    const entry = environ.subarray(start, end < 0 ? environ.length : end);
    const eq = entry.indexOf(0x3d);
    const name = eq > 0 ? entry.subarray(0, eq).toString("latin1") : "";
    if (names.includes(name) && !values.has(name)) values.set(name, entry.subarray(eq + 1));
    start = end < 0 ? environ.length : end + 1;
  }
  return values;
}
