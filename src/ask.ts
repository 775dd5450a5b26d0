// Questions on the terminal. Never asked when input or stderr is not a
// terminal: scripts, pipes and CI get the answer `undefined`.
import { readSync, writeSync } from "node:fs";
import { isatty } from "node:tty";

export function canAsk(): boolean {
  return isatty(0) && isatty(2);
}

/** Shows `question` on stderr and reads one line from the terminal (trimmed, lower-cased). */
export function ask(question: string): string | undefined {
  if (!canAsk()) return undefined;
  writeSync(2, question);
  const bytes: number[] = [];
  const buffer = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, 1, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      return undefined;
    }
    if (n === 0) return undefined; // end of input
    if (buffer[0] === 0x0a) break;
    bytes.push(buffer[0]!);
  }
  return Buffer.from(bytes).toString("utf8").trim().toLowerCase();
}
