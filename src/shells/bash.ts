import hook from "../../shells/venvhook.bash" with { type: "text" };
import type { ShellAdapter } from "./adapter.ts";
import { quotePosix, renderPosix } from "./posix.ts";

export const bash: ShellAdapter = { name: "bash", hook, quote: quotePosix, render: renderPosix, file: "venvhook.bash", load: (file) => `. ${file}` };
