# venvhook for PowerShell 7+: Python virtual environments that follow the working directory.
# Load it from $PROFILE with:  Invoke-Expression ((& venvhook init pwsh) -join "`n")
#
# On cd (LocationChangedAction), and at each prompt, the hook compares the
# folder, VIRTUAL_ENV, the presence of ./.venv and the pointer file that led to
# the env with what it saw last time, without starting a process; the binary
# runs only when one of them changed.
# What the binary applied is in VENVHOOK_STATE. It works under
# Set-StrictMode -Version Latest and is safe to load twice.

# Windows PowerShell 5.1 (and PowerShell 6) is not supported: it has no
# LocationChangedAction and passes arguments to programs the legacy way. It
# still parses this file (so nothing here uses syntax newer than 5.1's), says
# so in one line, and nothing is defined, set or hooked in the session.
if ($PSVersionTable.PSVersion.Major -lt 7) {
    $Host.UI.WriteErrorLine("venvhook: $(if ($PSVersionTable.PSEdition -ceq 'Core') { 'PowerShell' } else { 'Windows PowerShell' }) $($PSVersionTable.PSVersion) is not supported; use PowerShell 7 (pwsh)")
} else {
    $global:__venvhook_bin = ::VENVHOOK::
    # For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
    $env:VENVHOOK_HOOK = "pwsh:${PID}:$global:__venvhook_bin"
    $global:__venvhook_pwd = $null
    $global:__venvhook_venv = $null
    $global:__venvhook_here = $null
    $global:__venvhook_pointer = ''
    $global:__venvhook_pointed = ''
    if (-not (Get-Variable -Name __venvhook_told -Scope Global -ErrorAction Ignore)) { $global:__venvhook_told = '' }
    if (-not (Get-Variable -Name __venvhook_missing -Scope Global -ErrorAction Ignore)) { $global:__venvhook_missing = $false }

    # Runs the binary and evaluates what it printed, only if it succeeded. Outside
    # the file system (Env:, HKLM:) it does nothing. -AtPrompt: PowerShell drops
    # what a program writes to stderr while the host draws the prompt, so there
    # the binary's notices are taken from it and written to the host.
    function global:__venvhook_export([switch] $AtPrompt) {
        $location = $ExecutionContext.SessionState.Path.CurrentLocation
        if ($location.Provider.Name -cne 'FileSystem') { return }
        # Recorded first: after Ctrl-C or a failure the prompt is drawn again, and
        # the binary must not run again until something changes.
        $global:__venvhook_pwd = $location.Path
        $global:__venvhook_venv = "$env:VIRTUAL_ENV"
        $global:__venvhook_here = Test-Path -LiteralPath .venv
        $global:__venvhook_pointer = ''
        $global:__venvhook_pointed = ''
        $bin = $global:__venvhook_bin
        if (-not (Test-Path -LiteralPath $bin -PathType Leaf)) {
            if (-not $global:__venvhook_missing) {
                $global:__venvhook_missing = $true
                $Host.UI.WriteErrorLine("venvhook: $bin is missing; reinstall venvhook or remove its line from `$PROFILE")
            }
            $global:__venvhook_code = 127
            return
        }
        # A failing binary is not an error record, whatever the user's preferences say.
        $PSNativeCommandUseErrorActionPreference = $false
        # $LASTEXITCODE, VENVHOOK_TOLD, BUN_JSC_useJIT, PWD and the console's
        # encoding are put back as they were, even after Ctrl-C.
        $last = Get-Variable -Name LASTEXITCODE -Scope Global -ErrorAction Ignore
        $lastCode = if ($last) { $last.Value } else { $null }
        $told = $env:VENVHOOK_TOLD
        $jit = $env:BUN_JSC_useJIT
        $logical = $env:PWD
        $encoding = [Console]::OutputEncoding
        $out = $null
        $code = $null
        try {
            # The binary prints UTF-8, and PowerShell decodes what it captures with the console's encoding.
            if ($encoding.CodePage -ne 65001) {
                try { [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false) } catch { }
            }
            $env:VENVHOOK_TOLD = $global:__venvhook_told
            # venvhook is a bun binary that lives a few ms: JavaScriptCore's JIT
            # would cost it ~2 ms of CPU per run and speed up nothing.
            $env:BUN_JSC_useJIT = '0'
            $env:PWD = $location.ProviderPath
            $out = if ($AtPrompt) {
                foreach ($item in (& $bin export pwsh @args 2>&1)) {
                    if ($item -is [System.Management.Automation.ErrorRecord]) { $Host.UI.WriteErrorLine("$item") } else { $item }
                }
            } else {
                & $bin export pwsh @args
            }
            $code = $global:LASTEXITCODE
        } catch {
            # One line: PowerShell's own message goes on with the failing line of this file.
            $why = ($_.Exception.GetBaseException().Message -split '\r?\n')[0]
            $Host.UI.WriteErrorLine("venvhook: $bin could not run ($why); environment left as it was")
        } finally {
            if ([Console]::OutputEncoding.CodePage -ne $encoding.CodePage) {
                try { [Console]::OutputEncoding = $encoding } catch { }
            }
            if ($null -eq $told) { Remove-Item -LiteralPath Env:\VENVHOOK_TOLD -ErrorAction Ignore } else { $env:VENVHOOK_TOLD = $told }
            if ($null -eq $jit) { Remove-Item -LiteralPath Env:\BUN_JSC_useJIT -ErrorAction Ignore } else { $env:BUN_JSC_useJIT = $jit }
            if ($null -eq $logical) { Remove-Item -LiteralPath Env:\PWD -ErrorAction Ignore } else { $env:PWD = $logical }
            if ($last) { $global:LASTEXITCODE = $lastCode } else { Remove-Variable -Name LASTEXITCODE -Scope Global -ErrorAction Ignore }
        }
        if ($code -eq 0) {
            $text = $out -join "`n"
            if ($text) { Invoke-Expression $text }
        } elseif ($null -ne $code -and (($code -gt 125 -and $code -ne 130) -or $code -lt 0)) {
            $Host.UI.WriteErrorLine("venvhook: $bin failed (status $code); environment left as it was")
        }
        $global:__venvhook_venv = "$env:VIRTUAL_ENV"
        $global:__venvhook_pointed = __venvhook_pointer_line
        $global:__venvhook_code = $code
        __venvhook_define_deactivate
    }

    # `deactivate`, typed by habit, turns venvhook's env off (venvhook off); an
    # activate script's own deactivate (Activate.ps1's) replaces it while that
    # script is in force, and once it has removed itself this one comes back.
    function global:__venvhook_define_deactivate {
        if (-not (Test-Path -LiteralPath Function:\deactivate)) {
            function global:deactivate { venvhook off }
        }
    }

    # The first line of the pointer file that led to what the binary found
    # ($global:__venvhook_pointer, which it sets): '' when there is none, it
    # cannot be read or it is not a regular file (never a FIFO, whose opening
    # would wait), and at most 4096 characters.
    function global:__venvhook_pointer_line {
        $file = $global:__venvhook_pointer
        if (-not $file) { return '' }
        try {
            $item = Get-Item -LiteralPath $file -Force -ErrorAction Ignore
            if ($item -and $item.LinkTarget) { $item = Get-Item -LiteralPath $item.ResolvedTarget -Force -ErrorAction Ignore }
            # Only the provider's UnixStat tells a FIFO from a file (.NET's
            # FileInfo does not); Windows has none, and no FIFO at a file's path.
            if ($item -isnot [System.IO.FileInfo] -or ($item.PSObject.Properties['UnixStat'] -and $item.UnixStat.ItemType -cne 'File')) { return '' }
            $reader = [System.IO.StreamReader]::new($item.FullName)
            try {
                $buffer = [char[]]::new(4096)
                $text = [string]::new($buffer, 0, $reader.ReadBlock($buffer, 0, 4096))
            } finally {
                $reader.Dispose()
            }
            return $text.Split("`n", 2)[0]
        } catch {
            return ''
        }
    }

    function global:__venvhook_update([switch] $AtPrompt) {
        $location = $ExecutionContext.SessionState.Path.CurrentLocation
        if ($location.Provider.Name -cne 'FileSystem') { return }
        if ($location.Path -cne $global:__venvhook_pwd -or "$env:VIRTUAL_ENV" -cne $global:__venvhook_venv -or
            (Test-Path -LiteralPath .venv) -ne $global:__venvhook_here -or (__venvhook_pointer_line) -cne $global:__venvhook_pointed) {
            __venvhook_export -AtPrompt:$AtPrompt
        }
    }

    # Writes "(name) " when VIRTUAL_ENV is venvhook's: VENVHOOK_STATE is
    # "<state>:$VIRTUAL_ENV". The name is written as it is, never evaluated.
    function global:__venvhook_prompt_prefix {
        $venv = $env:VIRTUAL_ENV
        $state = $env:VENVHOOK_STATE
        if (-not $venv -or -not $state -or $env:VIRTUAL_ENV_DISABLE_PROMPT) { return }
        $colon = $state.IndexOf(':')
        if ($colon -lt 0 -or $state.Substring($colon + 1) -cne $venv) { return }
        # An activate script is in force, even if it activated the same env.
        if ($env:_OLD_VIRTUAL_PATH) { return }
        Write-Host -NoNewline "($env:VIRTUAL_ENV_PROMPT) "
    }

    # Runs the binary, then re-applies at once after commands that change what
    # should be active; off and on are the hook's own (only it can change this session).
    function global:venvhook {
        if ($args.Count -gt 0 -and @('off', 'on') -ccontains $args[0]) {
            if ($args.Count -gt 1) {
                $Host.UI.WriteErrorLine("venvhook: $($args[0]) takes no arguments")
                $global:LASTEXITCODE = 2
                return
            }
            __venvhook_export "--$($args[0])"
            $global:LASTEXITCODE = $global:__venvhook_code
            return
        }
        & $global:__venvhook_bin @args
        $code = $global:LASTEXITCODE
        if ($args.Count -gt 0 -and @('allow', 'deny', 'create', 'use', 'link', 'rm', 'gc') -ccontains $args[0]) {
            __venvhook_export --quiet
        } elseif ($args.Count -gt 0 -and @('ignore', 'unignore') -ccontains $args[0]) {
            # The offer comes back (or goes) at the next prompt, which runs the
            # binary again: there it may ask, and what it says is shown.
            $global:__venvhook_pwd = $null
        }
        $global:LASTEXITCODE = $code
    }

    # Installed once, however often this file is loaded: one handler in the
    # LocationChangedAction chain (after any that was there), and the prompt.
    if (-not (Get-Variable -Name __venvhook_on_location -Scope Global -ErrorAction Ignore)) {
        $global:__venvhook_on_location = [System.EventHandler[System.Management.Automation.LocationChangedEventArgs]] { __venvhook_update }
    }
    $action = $ExecutionContext.SessionState.InvokeCommand.LocationChangedAction
    if (-not $action) {
        $ExecutionContext.SessionState.InvokeCommand.LocationChangedAction = $global:__venvhook_on_location
    } elseif ($action.GetInvocationList() -notcontains $global:__venvhook_on_location) {
        $ExecutionContext.SessionState.InvokeCommand.LocationChangedAction = [System.Delegate]::Combine($action, $global:__venvhook_on_location)
    }

    __venvhook_define_deactivate

    # Tab completion: the binary says what fits at TAB time (see `venvhook
    # __complete`), one "value<TAB>what it is" a line. Each value is inserted
    # as one word, single-quoted when it is not a plain word: never evaluated.
    # Its first line says whether folders fit too: PowerShell's own.
    Register-ArgumentCompleter -Native -CommandName venvhook -ScriptBlock {
        param($wordToComplete, $commandAst, $cursorPosition)
        # The words before the one completed, as the command will get them.
        $words = @($commandAst.CommandElements | Select-Object -Skip 1 | Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object {
                if ($_ -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $_.Value } else { $_.Extent.Text }
            })
        # As in __venvhook_export: no error record, the binary's UTF-8 decoded as such, $LASTEXITCODE kept.
        $PSNativeCommandUseErrorActionPreference = $false
        $last = Get-Variable -Name LASTEXITCODE -Scope Global -ErrorAction Ignore
        $encoding = [Console]::OutputEncoding
        try {
            if ($encoding.CodePage -ne 65001) {
                try { [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false) } catch { }
            }
            $lines = @(& $global:__venvhook_bin __complete -- @words $wordToComplete 2>$null)
        } finally {
            if ([Console]::OutputEncoding.CodePage -ne $encoding.CodePage) {
                try { [Console]::OutputEncoding = $encoding } catch { }
            }
            if ($last) { $global:LASTEXITCODE = $last.Value } else { Remove-Variable -Name LASTEXITCODE -Scope Global -ErrorAction Ignore }
        }
        foreach ($line in ($lines | Select-Object -Skip 1)) {
            $value, $note = $line -split "`t", 2
            if (-not $value) { continue }
            $text = if ($value -match '^[\w./:+-]+$') { $value } else { "'" + [System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($value) + "'" }
            [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $(if ($note) { $note } else { $value }))
        }
        if ($lines.Count -gt 0 -and $lines[0] -ceq 'folders') {
            [System.Management.Automation.CompletionCompleters]::CompleteFilename($wordToComplete) | Where-Object { $_.ResultType -eq 'ProviderContainer' }
        }
    }

    # The host runs the command `prompt`, and an alias comes before a function
    # of that name: so the prefix is drawn before whatever prompt function is
    # current, one defined after this file (oh-my-posh, starship) too. That
    # prompt sees $? and $LASTEXITCODE as the last command left them, and so
    # does the next command line.
    function global:__venvhook_prompt {
        $__venvhook_ok = $?
        __venvhook_update -AtPrompt
        __venvhook_prompt_prefix
        $__venvhook_user_prompt = if ($function:prompt) { $function:prompt } else { { 'PS> ' } }
        if (-not $__venvhook_ok) { Write-Error -Message '' -ErrorAction Ignore }
        $__venvhook_text = & $__venvhook_user_prompt
        $__venvhook_text
        if (-not $__venvhook_ok) { Write-Error -Message '' -ErrorAction Ignore }
    }
    Set-Alias -Name prompt -Value __venvhook_prompt -Scope Global -Force

}
