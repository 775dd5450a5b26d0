import hook from "../../shells/venvhook.zsh" with { type: "text" };
import type { ShellAdapter } from "./adapter.ts";
import { quotePosix, renderPosix } from "./posix.ts";

export const zsh: ShellAdapter = { name: "zsh", hook, quote: quotePosix, render: renderPosix, file: "venvhook.zsh", load: (file) => `. ${file}` };
