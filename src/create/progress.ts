// What `create` shows while it works (its result is the command's to print): a spinner with the elapsed time when
// stderr is a terminal, plain `venvhook:` lines otherwise (logs, CI, pipes).
// Steps name folders nobody vetted: they are shown as printable, like every message.
import { isatty } from "node:tty";
import { writeSync } from "node:fs";
import { printable } from "../shared/messages.ts";

export interface Progress {
  step(text: string): void;
  /** Ends the spinner, leaving nothing. */
  stop(): void;
  /** The time since it started, as shown: "2.1s". */
  elapsed(): string;
}

const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

export function progress(fd = 2): Progress {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  if (!isatty(fd)) {
    return {
      step: (text) => writeSync(fd, `venvhook: ${printable(text)}\n`),
      stop: () => {},
      elapsed,
    };
  }
  let text = "";
  let frame = 0;
  const draw = () => writeSync(fd, `\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${text} ${elapsed()}`);
  const timer = setInterval(draw, 100);
  const clear = () => {
    clearInterval(timer);
    writeSync(fd, "\r\x1b[K");
  };
  return {
    step: (next) => {
      text = printable(next);
      draw();
    },
    stop: clear,
    elapsed,
  };
}
