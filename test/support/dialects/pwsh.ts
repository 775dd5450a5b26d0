// PowerShell 7 (pwsh), driven through PSReadLine, as a user has it (.ci/run
// installs pwsh with dotnet). What it generates is also parsed for hostile
// names and values in test/unit/pwsh-dialect.test.ts.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { quotePwsh as q } from "../../../src/shells/pwsh.ts";
import type { Dialect } from "../dialect.ts";

/** A quoted value safe to type at PSReadLine: a literal tab would complete, so tabs are joined in as "`t". */
const typed = (value: string): string => (value.includes("\t") ? `(${value.split("\t").map(q).join(' + "`t" + ')})` : q(value));

export const pwsh: Dialect = {
  start(rc, { dir }) {
    const rcFile = path.join(dir, "rc.ps1");
    writeFileSync(rcFile, rc);
    // Dot-sourced, as a profile is: what the rc defines is the session's.
    return {
      args: ["-NoLogo", "-NoProfile", "-NoExit", "-Command", `. ${q(rcFile)}`],
      env: { POWERSHELL_TELEMETRY_OPTOUT: "1", POWERSHELL_UPDATECHECK: "Off", DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
    };
  },
  script: (script) => ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script],
  // F20 (\e[34~, .NET reads it as ConsoleKey.F20) appends a line to the mark file,
  // and leaves $? as it found it (PSReadLine runs the handler in the session).
  // __vh_e2e_begin and __vh_e2e_done are run()'s: they keep $? and
  // $LASTEXITCODE for the command and write its status.
  preamble: (markFile) =>
    [
      "Set-PSReadLineOption -HistorySaveStyle SaveNothing -BellStyle None",
      "try { Set-PSReadLineOption -PredictionSource None } catch { }",
      "if (Get-Variable -Name PSStyle -ErrorAction Ignore) { $PSStyle.OutputRendering = 'PlainText' }",
      `Set-PSReadLineKeyHandler -Chord F20 -ScriptBlock { $ok = $?; [System.IO.File]::AppendAllText(${q(markFile)}, "\`n"); if (-not $ok) { Write-Error -Message '' -ErrorAction Ignore } }`,
      "function global:__vh_e2e_begin([bool] $ok) { $global:__vh_e2e = @{ q = $ok; last = $global:LASTEXITCODE; ok = $false } }",
      "function global:__vh_e2e_done([string] $file) {",
      "    $code = $global:LASTEXITCODE",
      "    $status = if (-not $global:__vh_e2e.ok) { if ($code -is [int] -and $code -ne 0) { $code } else { 1 } } elseif ($code -is [int] -and $code -ne $global:__vh_e2e.last) { $code } else { 0 }",
      '    [System.IO.File]::WriteAllText($file, "$status`n")',
      "}",
      // Tests cd into folders named with backticks and brackets, which Set-Location -Path reads as wildcards.
      "function global:__vh_e2e_cd([string] $dir) { Set-Location -LiteralPath $dir }",
      "Set-Alias -Name cd -Value __vh_e2e_cd -Option AllScope -Scope Global -Force",
    ].join("\n"),
  // The command runs dot-sourced at the prompt (the global scope), seeing $? and
  // $LASTEXITCODE as the last command left them; its status is $? false ->
  // $LASTEXITCODE or 1, else a $LASTEXITCODE it changed, else 0.
  wrap: (command, { out, err, done }) =>
    [
      "__vh_e2e_begin $?; try { . { if (-not $__vh_e2e.q) { Write-Error -Message '' -ErrorAction Ignore }",
      command,
      `$global:__vh_e2e.ok = $? } 2> ${typed(err)} | Out-File -LiteralPath ${typed(out)} -Width 100000 } ` +
        `catch { $_ | Out-File -LiteralPath ${typed(err)} -Append -Width 100000 }; __vh_e2e_done ${typed(done)}`,
    ].join("\n"),
  typed,
  get: (name) => `if (Test-Path -LiteralPath Env:\\${name}) { $env:${name} } else { '<unset>' }`,
  set: (name, value) => `$env:${name} = ${typed(value)}`,
  path: () => "$env:PATH",
  editPath: (before, after) => `$env:PATH = (${typed(before)}, $env:PATH, ${typed(after)}) -join [System.IO.Path]::PathSeparator`,
  status: "$LASTEXITCODE",
  noop: "$null",
  prompt: "function prompt { 'vh> ' }",
  initLine: (bin) => `Invoke-Expression ((& ${q(bin)} init pwsh) -join "\`n")`,
  useBinary: (file) => `$global:__venvhook_bin = ${typed(file)}`,
  missingBinary: /is missing; reinstall venvhook or remove its line from \$PROFILE$/,
};
