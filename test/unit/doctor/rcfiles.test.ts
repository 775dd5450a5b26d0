// Where venvhook's line sits in the rc files against the prompt frameworks,
// as the README orders them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { rcFindings, readRcFiles, type RcFile } from "../../../src/doctor/rcfiles.ts";

const rc = (shell: string, shown: string, text: string): RcFile => ({ shell, file: shown, shown, lines: text.split("\n") });
const LINE = { bash: 'eval "$(venvhook init bash)"', zsh: 'eval "$(venvhook init zsh)"', fish: "status is-interactive; and venvhook init fish | source" };

describe("rc findings", () => {
  it("zsh: below powerlevel10k's instant prompt and oh-my-zsh, and names the last one to move below", () => {
    const zshrc = rc("zsh", "~/.zshrc", [LINE.zsh, 'source "${XDG_CACHE_HOME:-$HOME/.cache}/p10k-instant-prompt-${(%):-%n}.zsh"', "source $ZSH/oh-my-zsh.sh"].join("\n"));
    expect(rcFindings([zshrc])).toEqual([
      {
        topic: "rc",
        level: "problem",
        text: "~/.zshrc: venvhook's line (line 1) is above powerlevel10k's instant prompt's (line 2) and oh-my-zsh's (line 3)",
        fix: "move the venvhook line below the oh-my-zsh line",
      },
    ]);
  });

  it("zsh: pure and the powerlevel10k theme may come before or after", () => {
    const zshrc = rc("zsh", "~/.zshrc", ["source $ZSH/oh-my-zsh.sh", LINE.zsh, "autoload -U promptinit; promptinit", "prompt pure", "[[ ! -f ~/.p10k.zsh ]] || source ~/.p10k.zsh"].join("\n"));
    expect(rcFindings([zshrc])).toEqual([
      { topic: "rc", level: "ok", text: "~/.zshrc loads venvhook at line 2, after oh-my-zsh (line 1), powerlevel10k and pure work in any order" },
    ]);
  });

  it("bash: oh-my-bash and starship before it; a commented-out line does not count", () => {
    const wrong = rc("bash", "~/.bashrc", ["# eval \"$(venvhook init bash)\"", LINE.bash, "source $OSH/oh-my-bash.sh"].join("\n"));
    expect(rcFindings([wrong])[0]).toMatchObject({ level: "problem", text: "~/.bashrc: venvhook's line (line 2) is above oh-my-bash's (line 3)" });
    const right = rc("bash", "~/.bashrc", ['eval "$(starship init bash)"', LINE.bash].join("\n"));
    expect(rcFindings([right])[0]).toMatchObject({ level: "ok", text: "~/.bashrc loads venvhook at line 2, after starship (line 1)" });
  });

  it("fish and PowerShell: the hook wraps any prompt, so starship and tide work in any order", () => {
    const fish = rc("fish", "~/.config/fish/config.fish", [LINE.fish, "starship init fish | source"].join("\n"));
    expect(rcFindings([fish])[0]).toMatchObject({ level: "ok", text: "~/.config/fish/config.fish loads venvhook at line 1, starship works in any order" });
  });

  it("says nothing of rc files without venvhook's line", () => {
    expect(rcFindings([rc("bash", "~/.bashrc", 'eval "$(starship init bash)"')])).toEqual([]);
  });
});

describe("the rc files read", () => {
  it("~/.bashrc, $ZDOTDIR/.zshrc, fish's conf.d and config.fish, and PowerShell's profile, that exist", () => {
    const home = mkdtempSync(path.join(tmpdir(), "vh-rc-"));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      writeFileSync(path.join(home, file), text);
    };
    write(".bashrc", "a\n# b\r\nc");
    write("zdot/.zshrc", "z");
    write(".config/fish/conf.d/venvhook.fish", "f");
    write(".config/fish/config.fish", "g");
    write(".config/powershell/Microsoft.PowerShell_profile.ps1", "p");
    const files = readRcFiles({ HOME: home, ZDOTDIR: path.join(home, "zdot") });
    expect(files.map(({ shell, shown, lines }) => [shell, shown, lines])).toEqual([
      ["bash", "~/.bashrc", ["a", "# b", "c"]],
      ["zsh", "~/zdot/.zshrc", ["z"]],
      ["fish", "~/.config/fish/conf.d/venvhook.fish", ["f"]],
      ["fish", "~/.config/fish/config.fish", ["g"]],
      ["pwsh", "~/.config/powershell/Microsoft.PowerShell_profile.ps1", ["p"]],
    ]);
  });
});
