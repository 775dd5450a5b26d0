// What `create` shows while it works: a spinner with the elapsed time when
// stderr is a terminal, plain `venvhook:` lines otherwise (logs, CI, pipes).
// Steps name folders nobody vetted: they are shown as printable, like every message.
import { isatty } from "node:tty";
import { writeSync } from "node:fs";
import { printable } from "../shared/messages.ts";

export interface Progress {
  step(text: string): void;
  /** Ends the spinner, leaving `text` as a line. */
  done(text: string): void;
  /** Ends the spinner, leaving nothing. */
  stop(): void;
}

const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

export function progress(fd = 2): Progress {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  if (!isatty(fd)) {
    return {
      step: (text) => writeSync(fd, `venvhook: ${printable(text)}\n`),
      done: (text) => writeSync(fd, `venvhook: ${printable(text)} in ${elapsed()}\n`),
      stop: () => {},
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
    done: (line) => {
      clear();
      writeSync(fd, `venvhook: ${printable(line)} in ${elapsed()}\n`);
    },
    stop: clear,
  };
}
