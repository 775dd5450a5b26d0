// The rc files doctor reads, where venvhook's line sits in them, and where it
// sits against the prompt frameworks it knows. The order each framework needs
// is the README's ("put the line last, after your prompt framework", with the
// exceptions it names), which test/e2e/frameworks.test.ts holds to.
import { homedir } from "node:os";
import path from "node:path";
import { namesIn, readHead } from "../shared/fs-quiet.ts";
import { SET_UP } from "../commands/init.ts";
import { ok, problem, type Finding } from "./finding.ts";

/** Far larger than any rc file. */
const RC_READ_LIMIT = 1 << 20;

export interface RcFile {
  shell: string;
  file: string;
  /** The file as the user knows it: ~/.bashrc. */
  shown: string;
  /** Its lines, numbered from 1 (index + 1). */
  lines: string[];
}

/** The lines of the files a shell of that kind reads at start, that exist. */
export function readRcFiles(env: NodeJS.ProcessEnv): RcFile[] {
  const home = homeOf(env);
  const config = configHome(env);
  const zdotdir = env.ZDOTDIR && path.isAbsolute(env.ZDOTDIR) ? env.ZDOTDIR : home;
  const fish = path.join(config, "fish");
  const candidates: [string, string][] = [
    ["bash", path.join(home, ".bashrc")],
    ["zsh", path.join(zdotdir, ".zshrc")],
    ...namesIn(path.join(fish, "conf.d"))
      .filter((name) => name.endsWith(".fish"))
      .sort()
      .map((name): [string, string] => ["fish", path.join(fish, "conf.d", name)]),
    ["fish", path.join(fish, "config.fish")],
    ["pwsh", pwshProfile(home, config)],
  ];
  return candidates.flatMap(([shell, file]) => {
    const text = readHead(file, RC_READ_LIMIT);
    if (text === undefined) return [];
    return [{ shell, file, shown: tilde(file, home), lines: text.split(/\r?\n/) }];
  });
}

/** $PROFILE: PowerShell 7's CurrentUserCurrentHost profile. */
function pwshProfile(home: string, config: string): string {
  const folder = process.platform === "win32" ? path.join(home, "Documents", "PowerShell") : path.join(config, "powershell");
  return path.join(folder, "Microsoft.PowerShell_profile.ps1");
}

/** The home folder the shell has, which may not be the account's. */
export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME && path.isAbsolute(env.HOME) ? env.HOME : homedir();
}

/** Where fish, PowerShell and mise keep their config on Linux and macOS. */
export function configHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeOf(env), ".config");
}

/** A file in the home folder as ~/..., as the user writes it. */
export function tilde(file: string, home: string): string {
  const relative = path.relative(home, file);
  const inHome = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return inHome ? `~/${relative}` : file;
}

/** The first line (from 1) that matches, or undefined; a line that is all comment (a commented-out init line) does not count. */
function lineOf(rc: RcFile, pattern: RegExp): number | undefined {
  const index = rc.lines.findIndex((line) => !/^\s*#/.test(line) && pattern.test(line));
  return index < 0 ? undefined : index + 1;
}

/** venvhook's line, as install.sh recognises it: the binary's name, then `init <shell>`; or one loading the file `init --write` wrote. */
const VENVHOOK_LINE = /venvhook.*\sinit\s+\w|venvhook[\\/]init[\\/]venvhook\.\w+/;

/** Where each shell's line goes (README, "Use in each shell"). */
export const RC_FILE: Record<string, string> = {
  bash: "~/.bashrc",
  zsh: "~/.zshrc",
  fish: "~/.config/fish/conf.d/venvhook.fish",
  pwsh: "$PROFILE",
  nu: "config.nu",
  elvish: "~/.config/elvish/rc.elv",
  tcsh: "~/.tcshrc",
  xonsh: "~/.xonshrc",
};

/** The line to add for a shell, as `venvhook init --help` shows it. */
export function initLineFor(shell: string): string | undefined {
  return new RegExp(`^  ${shell} +(.+)$`, "m").exec(SET_UP)?.[1];
}

interface Framework {
  name: string;
  shells: string[];
  pattern: RegExp;
  /** venvhook's line must come after this one in the same file. */
  venvhookAfter: boolean;
}

const FRAMEWORKS: Framework[] = [
  // p10k's preamble must stay first: venvhook's start-up notice waits for the instant prompt to end.
  { name: "powerlevel10k's instant prompt", shells: ["zsh"], pattern: /p10k-instant-prompt/, venvhookAfter: true },
  { name: "oh-my-zsh", shells: ["zsh"], pattern: /(?:source|\.)\s+\S*oh-my-zsh\.sh\b/, venvhookAfter: true },
  // Anywhere after the instant prompt (README).
  { name: "powerlevel10k", shells: ["zsh"], pattern: /powerlevel10k\.zsh-theme|\.p10k\.zsh\b/, venvhookAfter: false },
  { name: "pure", shells: ["zsh"], pattern: /\bprompt\s+pure\b/, venvhookAfter: false },
  { name: "oh-my-bash", shells: ["bash"], pattern: /\boh-my-bash\.sh\b/, venvhookAfter: true },
  // bash: starship's precmd must run first, to read $? and PIPESTATUS; fish and
  // PowerShell: the hook wraps whatever prompt is defined, also one defined later.
  { name: "starship", shells: ["bash", "zsh"], pattern: /\bstarship\s+init\b/, venvhookAfter: true },
  { name: "starship", shells: ["fish", "pwsh"], pattern: /\bstarship\s+init\b/, venvhookAfter: false },
  // tide is a fisher plugin: its conf.d/_tide_init.fish, loaded before conf.d/venvhook.fish, is fine.
  { name: "tide", shells: ["fish"], pattern: /\b_tide_init\b|\btide\b.*\binit\b/, venvhookAfter: false },
];

/** One finding per rc file that loads venvhook: whether its line is where the frameworks there need it. */
export function rcFindings(files: RcFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const rc of files) {
    const own = lineOf(rc, VENVHOOK_LINE);
    if (own === undefined) continue;
    const found = FRAMEWORKS.filter((framework) => framework.shells.includes(rc.shell)).flatMap((framework) => {
      const at = lineOf(rc, framework.pattern);
      return at === undefined ? [] : [{ framework, at }];
    });
    const above = found.filter(({ framework, at }) => framework.venvhookAfter && at > own);
    if (above.length) {
      const names = above.map(({ framework, at }) => `${framework.name}'s (line ${at})`).join(" and ");
      const last = above.reduce((a, b) => (b.at > a.at ? b : a));
      findings.push(problem("rc", `${rc.shown}: venvhook's line (line ${own}) is above ${names}`, `move the venvhook line below the ${last.framework.name} line`));
      continue;
    }
    const after = found.filter(({ framework }) => framework.venvhookAfter).map(({ framework, at }) => `${framework.name} (line ${at})`);
    const anyOrder = found.filter(({ framework }) => !framework.venvhookAfter).map(({ framework }) => framework.name);
    const parts = [`${rc.shown} loads venvhook at line ${own}`];
    if (after.length) parts.push(`after ${after.join(" and ")}`);
    if (anyOrder.length) parts.push(`${anyOrder.join(" and ")} ${anyOrder.length > 1 ? "work" : "works"} in any order`);
    findings.push(ok("rc", parts.join(", ")));
  }
  return findings;
}

/** The first rc file (of `shell`, if given) with a matching line, and that line. */
export function findLine(files: RcFile[], pattern: RegExp, shell?: string): { rc: RcFile; line: number } | undefined {
  for (const rc of files) {
    if (shell !== undefined && rc.shell !== shell) continue;
    const line = lineOf(rc, pattern);
    if (line !== undefined) return { rc, line };
  }
  return undefined;
}

/** The rc file of `shell` that has venvhook's line, if one does. */
export function initLineIn(files: RcFile[], shell: string): { rc: RcFile; line: number } | undefined {
  return findLine(files, VENVHOOK_LINE, shell);
}
