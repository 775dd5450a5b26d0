// Every shell the tests can drive. A shell's adapter (src/shells/) and its
// dialect come together: adding a shell adds one line here.
import type { Dialect } from "../dialect.ts";
import type { ShellName } from "../shells.ts";
import { bash } from "./bash.ts";
import { elvish } from "./elvish.ts";
import { fish } from "./fish.ts";
import { nu } from "./nu.ts";
import { pwsh } from "./pwsh.ts";
import { tcsh } from "./tcsh.ts";
import { xonsh } from "./xonsh.ts";
import { zsh } from "./zsh.ts";

const dialects: Partial<Record<ShellName, Dialect>> = { bash, zsh, fish, nu, elvish, tcsh, xonsh, pwsh };

export function dialectOf(shell: ShellName): Dialect {
  const dialect = dialects[shell];
  if (!dialect) throw new Error(`no test dialect for ${shell}: add test/support/dialects/${shell}.ts`);
  return dialect;
}
