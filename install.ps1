<#
.SYNOPSIS
Installs venvhook for PowerShell 7 (pwsh) on Windows.

.DESCRIPTION
Builds venvhook from this checkout (npm ci, npm run build), or takes a prebuilt
binary (-Binary), and installs it to $env:LOCALAPPDATA\Programs\venvhook\venvhook.exe.
Puts that folder on your user Path (HKCU\Environment, keeping the value's kind,
so %VARIABLE% entries stay as they are) and on this session's Path, and adds
the init line to PowerShell 7's profile, once, between two marker comments.
Running it again changes nothing. It never asks anything.

Run from Windows PowerShell 5.1 it still writes PowerShell 7's profile
(Documents\PowerShell\Microsoft.PowerShell_profile.ps1): venvhook's hook needs
PowerShell 7. On Linux and macOS (pwsh there) it installs to ~/.local/bin, as
install.sh does, and edits pwsh's profile; the PATH is left to you.

.PARAMETER Binary
Install this prebuilt venvhook binary instead of building. A folder of release
binaries (npm run build:all) installs venvhook-windows-x64.exe (or -arm64.exe)
from it, after checking it against the SHA256SUMS file there; a binary that is
missing from SHA256SUMS or does not match it is refused. The folder may be an
https:// or file:// URL: then only SHA256SUMS and this machine's binary are
downloaded.

.PARAMETER NoModifyProfile
Install the binary only; print the line to add to the profile.

.PARAMETER Uninstall
Remove the binary, its Path entry and the lines this script added to the profile.

.EXAMPLE
.\install.ps1

.EXAMPLE
.\install.ps1 -Binary .\dist\release

.EXAMPLE
.\install.ps1 -Binary https://example.com/venvhook/releases/0.1.0

.EXAMPLE
.\install.ps1 -Uninstall
#>
param(
    [string] $Binary = '',
    [switch] $NoModifyProfile,
    [switch] $Uninstall,
    [switch] $Help
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# What install.ps1 adds to the profile, and all it removes: the README's init
# line between these two markers. Nothing else in the file is ever changed.
$BeginMarker = '# >>> added by venvhook install.ps1 >>>'
$EndMarker = '# <<< added by venvhook install.ps1 <<<'
$InitLine = 'Invoke-Expression ((& venvhook init pwsh) -join "`n")'

$OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
$ExeName = if ($OnWindows) { 'venvhook.exe' } else { 'venvhook' }
$script:FailStatus = 1
# A temporary folder of downloads (-Binary URL), deleted at the end.
$script:DownloadFolder = ''

function Show-Usage {
    Write-Host @'
Usage: .\install.ps1 [-Binary PATH] [-NoModifyProfile] [-Uninstall]

Builds venvhook from this checkout (npm ci, npm run build), installs it to
$env:LOCALAPPDATA\Programs\venvhook\venvhook.exe, puts that folder on your user
Path and adds the init line to PowerShell 7's profile. Running it again never
adds anything twice. It never asks anything.

Options:
  -Binary PATH       install this prebuilt venvhook binary instead of building;
                     PATH may be a folder of release binaries (npm run build:all),
                     or its https:// or file:// URL: then venvhook-windows-<arch>.exe
                     is installed, after checking it against the SHA256SUMS file
                     there (from a URL only those two files are downloaded)
  -NoModifyProfile   install the binary only; print the line to add to $PROFILE
  -Uninstall         remove the binary, its Path entry and the lines this script added
  -Help              show this help
'@
}

# One line, prefixed venvhook:, and the script's exit status (2: wrong usage).
function Fail([string] $Message, [int] $Status = 1) {
    $script:FailStatus = $Status
    throw $Message
}

function Say([string] $Message) { Write-Host $Message }

function Warn([string] $Message) { [Console]::Error.WriteLine("venvhook: warning: $Message") }

function Get-FirstLine($ErrorOrText) {
    $text = if ($ErrorOrText -is [System.Management.Automation.ErrorRecord]) { $ErrorOrText.Exception.Message } else { "$ErrorOrText" }
    return ($text.Trim() -split "`r?`n")[0]
}

# Windows compares folder names without case; a trailing slash or quotes do not make another folder.
function Test-SameFolder([string] $Entry, [string] $Folder) {
    $comparison = if ($OnWindows) { [System.StringComparison]::OrdinalIgnoreCase } else { [System.StringComparison]::Ordinal }
    $a = $Entry.Trim().Trim('"').TrimEnd('\', '/')
    $b = $Folder.TrimEnd('\', '/')
    return [string]::Equals($a, $b, $comparison)
}

# ------------------------------------------------------------------ where things go

function Get-LocalAppData {
    $base = $env:LOCALAPPDATA
    if (-not $base) { $base = [System.Environment]::GetFolderPath('LocalApplicationData') }
    if (-not $base) { Fail 'LOCALAPPDATA is not set; set it to your local application data folder (C:\Users\<you>\AppData\Local) and run again' }
    return $base
}

function Get-InstallDir {
    if ($OnWindows) { return [System.IO.Path]::Combine((Get-LocalAppData), 'Programs', 'venvhook') }
    return [System.IO.Path]::Combine($HOME, '.local', 'bin')
}

# PowerShell 7's own profile for its console ($PROFILE there), from whichever PowerShell runs this.
function Get-ProfilePath {
    $name = 'Microsoft.PowerShell_profile.ps1'
    if ($PSVersionTable.PSEdition -eq 'Core') {
        $dollarProfile = Get-Variable -Name PROFILE -ValueOnly -ErrorAction Ignore
        if ($dollarProfile -and $dollarProfile.PSObject.Properties['CurrentUserAllHosts']) {
            return [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($dollarProfile.CurrentUserAllHosts), $name)
        }
    }
    if ($OnWindows) {
        return [System.IO.Path]::Combine([System.Environment]::GetFolderPath('MyDocuments'), 'PowerShell', $name)
    }
    $config = $env:XDG_CONFIG_HOME
    if (-not $config) { $config = [System.IO.Path]::Combine($HOME, '.config') }
    return [System.IO.Path]::Combine($config, 'powershell', $name)
}

# The folders venvhook keeps, as the binary computes them (src/shared/paths.ts:
# env-paths, whose Windows folders are Data, Config, Cache and Log), with what each holds.
function Get-VenvhookFolders {
    if ($OnWindows) {
        $local = [System.IO.Path]::Combine((Get-LocalAppData), 'venvhook')
        $roaming = $env:APPDATA
        if (-not $roaming) { $roaming = [System.Environment]::GetFolderPath('ApplicationData') }
        $data = [System.IO.Path]::Combine($local, 'Data')
        $config = [System.IO.Path]::Combine($roaming, 'venvhook', 'Config')
        $state = [System.IO.Path]::Combine($local, 'Log')
        $cache = [System.IO.Path]::Combine($local, 'Cache')
    } elseif ([System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::OSX)) {
        $library = [System.IO.Path]::Combine($HOME, 'Library')
        $data = [System.IO.Path]::Combine($library, 'Application Support', 'venvhook')
        $config = [System.IO.Path]::Combine($library, 'Preferences', 'venvhook')
        $state = [System.IO.Path]::Combine($library, 'Logs', 'venvhook')
        $cache = [System.IO.Path]::Combine($library, 'Caches', 'venvhook')
    } else {
        $xdg = @{}
        foreach ($pair in @(@('XDG_DATA_HOME', '.local/share'), @('XDG_CONFIG_HOME', '.config'), @('XDG_STATE_HOME', '.local/state'), @('XDG_CACHE_HOME', '.cache'))) {
            $value = [System.Environment]::GetEnvironmentVariable($pair[0])
            if (-not $value) { $value = [System.IO.Path]::Combine($HOME, $pair[1]) }
            $xdg[$pair[0]] = [System.IO.Path]::Combine($value, 'venvhook')
        }
        $data = $xdg['XDG_DATA_HOME']
        $config = $xdg['XDG_CONFIG_HOME']
        $state = $xdg['XDG_STATE_HOME']
        $cache = $xdg['XDG_CACHE_HOME']
    }
    $store = if ($env:VENVHOOK_HOME) { $env:VENVHOOK_HOME } else { [System.IO.Path]::Combine($data, 'envs') }
    return @(
        @('data', $data, 'trust.json (the envs and .venv pointers you allowed), ignored.json (projects not to offer an env to)'),
        @('store', $store, "venvhook's central envs, which projects' .venv pointers lead to: deleting them leaves those projects without an env"),
        @('config', $config, 'config.toml (your settings)'),
        @('state', $state, 'locks and create.log (what the backend said when a create failed)'),
        @('cache', $cache, 'projects (what the uv/Poetry/Pipenv/Hatch/PDM rules found per project; safe to delete)')
    )
}

# ------------------------------------------------------------------ programs

# Runs a program and fails unless it succeeds. Windows PowerShell 5.1 turns what a
# program writes to stderr into error records, which 'Stop' would make fatal.
function Invoke-Program([string] $What, [string] $Command, [string[]] $Arguments) {
    $ErrorActionPreference = 'Continue'
    $global:LASTEXITCODE = 0
    & $Command @Arguments | Out-Host
    if ($global:LASTEXITCODE -ne 0) { Fail "$What failed (status $global:LASTEXITCODE, see above)" }
}

# The first line `venvhook --version` prints; fails if the binary does not run here.
function Get-BinaryVersion([string] $File, [string] $Shown) {
    $ErrorActionPreference = 'Continue'
    $global:LASTEXITCODE = 0
    $output = @()
    try {
        $output = @(& $File --version 2>&1 | ForEach-Object { "$_" })
    } catch {
        Fail "$Shown does not run on this machine: $(Get-FirstLine $_)"
    }
    if ($global:LASTEXITCODE -ne 0 -or $output.Count -eq 0) {
        $why = if ($output.Count) { $output[0] } else { "status $global:LASTEXITCODE" }
        Fail "$Shown does not run on this machine: $why"
    }
    return $output[0].Trim()
}

function Build-FromCheckout {
    $root = $PSScriptRoot
    if (-not $root) { Fail 'cannot find the folder install.ps1 is in; run it as a file from a venvhook checkout, or pass -Binary PATH' }
    $package = [System.IO.Path]::Combine($root, 'package.json')
    if (-not [System.IO.File]::Exists($package) -or [System.IO.File]::ReadAllText($package) -notmatch '"name"\s*:\s*"venvhook"') {
        Fail "$root is not a venvhook checkout (no package.json); run install.ps1 from the repository or pass -Binary PATH"
    }
    if (-not (Get-Command -Name node -CommandType Application -ErrorAction Ignore)) {
        Fail 'node is not installed; install Node.js 20.16 or newer and npm, or pass -Binary PATH'
    }
    if (-not (Get-Command -Name npm -ErrorAction Ignore)) {
        Fail 'npm is not installed; install npm (it comes with Node.js), or pass -Binary PATH'
    }
    $nodeVersion = "$(& node --version)".Trim()
    $nodeOk = $false
    if ($nodeVersion -match '^v(\d+)\.(\d+)') { $nodeOk = [version]"$($Matches[1]).$($Matches[2])" -ge [version]'20.16' }
    if (-not $nodeOk) { Fail "node $nodeVersion is too old; venvhook needs Node.js 20.16 or newer" }
    Push-Location -LiteralPath $root
    try {
        Say "==> npm ci (in $root)"
        Invoke-Program 'npm ci' 'npm' @('ci', '--no-audit', '--no-fund')
        Say '==> npm run build'
        Invoke-Program 'npm run build' 'npm' @('run', 'build')
    } finally {
        Pop-Location
    }
    # bun build --outfile dist/venvhook writes dist\venvhook.exe on Windows.
    $built = [System.IO.Path]::Combine($root, 'dist', $ExeName)
    if (-not [System.IO.File]::Exists($built)) { Fail "npm run build did not make $built" }
    return $built
}

# ------------------------------------------------------------------ release binaries

function Get-Arch {
    $arch = ''
    try { $arch = [string][System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture } catch { $arch = '' }
    if (-not $arch) {
        # .NET Framework before 4.7.1 has no RuntimeInformation; a 32-bit process sees x86 here.
        $arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { "$env:PROCESSOR_ARCHITECTURE" }
    }
    switch -Regex ($arch) {
        '^(x64|amd64)$' { return 'x64' }
        '^arm64$' { return 'arm64' }
        default { return $arch.ToLowerInvariant() }
    }
}

function Get-ReleaseName {
    $arch = Get-Arch
    if ($OnWindows) { return "venvhook-windows-$arch.exe" }
    $os = if ([System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::OSX)) { 'darwin' } else { 'linux' }
    return "venvhook-$os-$arch"
}

function Get-Sha256([string] $File) {
    return (Get-FileHash -LiteralPath $File -Algorithm SHA256).Hash.ToLowerInvariant()
}

function Assert-Checksum([string] $File, [string] $Expected, [string] $Name) {
    $actual = Get-Sha256 $File
    if ($actual -cne $Expected) {
        Fail "checksum mismatch for ${Name}: SHA256SUMS says $Expected, the file's is $actual; not installing it"
    }
}

# The checksum SHA256SUMS (sha256sum's format) gives for a file name, or '' if none.
function Get-ExpectedSum([string] $Sums, [string] $Name) {
    foreach ($line in [System.IO.File]::ReadAllLines($Sums)) {
        if ($line -match '^([0-9A-Fa-f]{64}) [ *](.+)$' -and $Matches[2] -ceq $Name) { return $Matches[1].ToLowerInvariant() }
    }
    return ''
}

# A folder of release binaries: this machine's one, checked against SHA256SUMS.
function Select-ReleaseBinary([string] $Folder) {
    $name = Get-ReleaseName
    $file = [System.IO.Path]::Combine($Folder, $name)
    if (-not [System.IO.File]::Exists($file)) {
        $hint = if ($name -eq 'venvhook-windows-arm64.exe') { "; Windows on Arm also runs venvhook-windows-x64.exe: pass that file itself with -Binary" } else { '' }
        Fail "no $name in $Folder (the release binary for this machine); build it with 'npm run build:all', or pass the binary itself$hint"
    }
    $sums = [System.IO.Path]::Combine($Folder, 'SHA256SUMS')
    if (-not [System.IO.File]::Exists($sums)) { Fail "no SHA256SUMS in $Folder; not installing $name unchecked" }
    $expected = Get-ExpectedSum $sums $name
    if (-not $expected) { Fail "$sums has no line for $name; not installing it unchecked" }
    Assert-Checksum $file $expected $name
    return @{ File = $file; Sum = $expected }
}

# Downloads a URL to a file; on failure one line says why, and nothing is installed.
function Get-Download([string] $Url, [string] $File) {
    try {
        # -UseBasicParsing: Windows PowerShell 5.1 would otherwise want Internet Explorer's engine.
        Invoke-WebRequest -Uri $Url -OutFile $File -UseBasicParsing -MaximumRedirection 5 -TimeoutSec 60
    } catch {
        $response = $_.Exception.PSObject.Properties['Response']
        $status = 0
        if ($response -and $response.Value) { $status = [int]$response.Value.StatusCode }
        if ($status) { Fail "downloading $Url failed: the server answered HTTP $status; nothing installed" }
        Fail "downloading $Url failed: $(Get-FirstLine $_); nothing installed"
    }
}

# A release folder's URL: file:// is the folder on this machine; from https://
# (or http:// to this machine itself: a checksum fetched over plain http from
# elsewhere proves nothing) SHA256SUMS and this machine's binary are downloaded
# into a temporary folder, which is returned.
function Get-ReleaseFolder([string] $Url) {
    $uri = $null
    if (-not [System.Uri]::TryCreate($Url, [System.UriKind]::Absolute, [ref] $uri)) { Fail "-Binary: $Url is not a URL" }
    if ($uri.Scheme -eq 'file') { return $uri.LocalPath }
    if (-not ($uri.Scheme -eq 'https' -or ($uri.Scheme -eq 'http' -and $uri.IsLoopback))) {
        Fail "-Binary takes https:// and file:// URLs (http:// only to 127.0.0.1 or localhost), not $Url"
    }
    # Windows PowerShell 5.1 offers only TLS 1.0 by default.
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
    $ProgressPreference = 'SilentlyContinue' # the progress bar slows Windows PowerShell's downloads down many times
    $base = $Url.TrimEnd('/')
    $name = Get-ReleaseName
    $folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "venvhook-install-$PID-" + [System.IO.Path]::GetRandomFileName())
    [void][System.IO.Directory]::CreateDirectory($folder)
    $script:DownloadFolder = $folder
    Say "==> downloading $name and SHA256SUMS from $base"
    $sums = [System.IO.Path]::Combine($folder, 'SHA256SUMS')
    Get-Download "$base/SHA256SUMS" $sums
    if (-not (Get-ExpectedSum $sums $name)) { Fail "$base/SHA256SUMS has no line for $name (the release binary for this machine); nothing installed" }
    Get-Download "$base/$name" ([System.IO.Path]::Combine($folder, $name))
    return $folder
}

# ------------------------------------------------------------------ the binary

function Install-Binary([string] $Source, [string] $ExpectedSum) {
    $dir = Get-InstallDir
    $target = [System.IO.Path]::Combine($dir, $ExeName)
    try { [void][System.IO.Directory]::CreateDirectory($dir) } catch { Fail "cannot create ${dir}: $(Get-FirstLine $_)" }
    $suffix = if ($OnWindows) { '.exe' } else { '' }
    $tmp = [System.IO.Path]::Combine($dir, ".venvhook.install.$PID$suffix")
    try {
        try { [System.IO.File]::Copy($Source, $tmp, $true) } catch { Fail "cannot write to ${dir}: $(Get-FirstLine $_)" }
        # Check the copy too: what runs and is installed is exactly what was checked.
        if ($ExpectedSum) { Assert-Checksum $tmp $ExpectedSum ([System.IO.Path]::GetFileName($Source)) }
        if (-not $OnWindows) { Invoke-Program 'chmod' 'chmod' @('755', $tmp) }
        $version = Get-BinaryVersion $tmp $Source
        if ([System.IO.File]::Exists($target)) {
            try {
                [System.IO.File]::Delete($target)
            } catch {
                # A venvhook.exe that is running cannot be deleted, but it can be renamed.
                $old = "$target.old"
                try { if ([System.IO.File]::Exists($old)) { [System.IO.File]::Delete($old) } } catch { }
                try { [System.IO.File]::Move($target, $old) } catch { Fail "cannot replace ${target}: $(Get-FirstLine $_)" }
            }
        }
        try { [System.IO.File]::Move($tmp, $target) } catch { Fail "cannot move the new binary to ${target}: $(Get-FirstLine $_)" }
    } finally {
        if ([System.IO.File]::Exists($tmp)) { try { [System.IO.File]::Delete($tmp) } catch { } }
    }
    return $version
}

# ------------------------------------------------------------------ Path

# The user's Path as stored: %VARIABLE% references unexpanded, and the value's
# kind (REG_EXPAND_SZ, or REG_SZ), which is kept when it is written back.
function Read-UserPath($Key, [string] $Folder) {
    $names = @($Key.GetValueNames() | Where-Object { $_ -eq 'Path' })
    if ($names.Count -eq 0) { return $null }
    $name = $names[0]
    $kind = $Key.GetValueKind($name)
    if ($kind -ne [Microsoft.Win32.RegistryValueKind]::ExpandString -and $kind -ne [Microsoft.Win32.RegistryValueKind]::String) {
        Fail "your user Path (HKCU\Environment\$name) is a $kind value, not text; add $Folder to it yourself"
    }
    $value = [string]$Key.GetValue($name, '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    return @{ Name = $name; Value = $value; Kind = $kind }
}

# Tells running programs (Explorer, and so the terminals it starts) that the environment changed.
function Publish-Environment {
    try {
        if (-not ('VenvhookInstall.NativeMethods' -as [type])) {
            Add-Type -Namespace VenvhookInstall -Name NativeMethods -MemberDefinition @'
[DllImport("user32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
public static extern IntPtr SendMessageTimeout(IntPtr hWnd, uint Msg, UIntPtr wParam, string lParam, uint fuFlags, uint uTimeout, out UIntPtr lpdwResult);
'@
        }
        $result = [UIntPtr]::Zero
        # HWND_BROADCAST, WM_SETTINGCHANGE, SMTO_ABORTIFHUNG, 5 s
        [void][VenvhookInstall.NativeMethods]::SendMessageTimeout([IntPtr]0xffff, 0x1a, [UIntPtr]::Zero, 'Environment', 2, 5000, [ref]$result)
    } catch {
        Warn 'could not tell Windows that your Path changed; sign out and in again if new terminals do not find venvhook'
    }
}

# Puts the folder first on the user's Path, unless it is there in any spelling. True if it was added.
function Add-UserPath([string] $Folder) {
    $key = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Environment')
    try {
        $current = Read-UserPath $key $Folder
        if ($current) {
            foreach ($entry in $current.Value.Split(';')) {
                if (Test-SameFolder ([System.Environment]::ExpandEnvironmentVariables($entry)) $Folder) { return $false }
            }
            $new = if ($current.Value) { "$Folder;$($current.Value)" } else { $Folder }
            $key.SetValue($current.Name, $new, $current.Kind)
        } else {
            $key.SetValue('Path', $Folder, [Microsoft.Win32.RegistryValueKind]::ExpandString)
        }
    } finally {
        $key.Close()
    }
    Publish-Environment
    return $true
}

# Removes exactly the entry Add-UserPath wrote; every other entry stays as it was. True if it was there.
function Remove-UserPath([string] $Folder) {
    $key = [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Environment', $true)
    if ($null -eq $key) { return $false }
    try {
        $current = Read-UserPath $key $Folder
        if (-not $current) { return $false }
        $entries = $current.Value.Split(';')
        $kept = @($entries | Where-Object { -not (Test-SameFolder $_ $Folder) })
        if ($kept.Count -eq $entries.Count) { return $false }
        $new = $kept -join ';'
        if ($new) { $key.SetValue($current.Name, $new, $current.Kind) } else { $key.DeleteValue($current.Name) }
    } finally {
        $key.Close()
    }
    Publish-Environment
    return $true
}

function Test-OnSessionPath([string] $Folder) {
    foreach ($entry in "$env:PATH".Split([System.IO.Path]::PathSeparator)) {
        if (Test-SameFolder $entry $Folder) { return $true }
    }
    return $false
}

function Add-SessionPath([string] $Folder) {
    if (Test-OnSessionPath $Folder) { return }
    $env:PATH = if ($env:PATH) { "$Folder$([System.IO.Path]::PathSeparator)$env:PATH" } else { $Folder }
}

function Remove-SessionPath([string] $Folder) {
    $separator = [System.IO.Path]::PathSeparator
    $entries = "$env:PATH".Split($separator)
    $kept = @($entries | Where-Object { -not (Test-SameFolder $_ $Folder) })
    if ($kept.Count -ne $entries.Count) { $env:PATH = $kept -join $separator }
}

# ------------------------------------------------------------------ the profile

# The file's text, decoded so that encoding it again gives back exactly its bytes:
# UTF-16 and UTF-32 by their byte order mark, anything else byte for byte (the
# lines added are ASCII). $null when that is not possible.
function Read-TextFile([string] $File) {
    $bytes = [System.IO.File]::ReadAllBytes($File)
    $n = $bytes.Length
    if ($n -ge 4 -and $bytes[0] -eq 0xFF -and $bytes[1] -eq 0xFE -and $bytes[2] -eq 0 -and $bytes[3] -eq 0) {
        $encoding = New-Object System.Text.UTF32Encoding($false, $false)
    } elseif ($n -ge 2 -and $bytes[0] -eq 0xFF -and $bytes[1] -eq 0xFE) {
        $encoding = New-Object System.Text.UnicodeEncoding($false, $false)
    } elseif ($n -ge 2 -and $bytes[0] -eq 0xFE -and $bytes[1] -eq 0xFF) {
        $encoding = New-Object System.Text.UnicodeEncoding($true, $false)
    } else {
        $encoding = [System.Text.Encoding]::GetEncoding(28591)
    }
    $text = $encoding.GetString($bytes)
    if (-not [System.Collections.StructuralComparisons]::StructuralEqualityComparer.Equals($bytes, $encoding.GetBytes($text))) { return $null }
    return @{ Text = $text; Encoding = $encoding }
}

function Get-Newline([string] $Text) {
    if ($Text.Contains("`r`n")) { return "`r`n" }
    if ($Text.Contains("`n")) { return "`n" }
    if ($OnWindows) { return "`r`n" }
    return "`n"
}

# The three lines, as a regular expression that takes either line ending.
function Get-BlockPattern {
    return [regex]::Escape($BeginMarker) + '\r?\n' + [regex]::Escape($InitLine) + '\r?\n' + [regex]::Escape($EndMarker)
}

function Test-ReadOnly([string] $File) {
    return ([System.IO.File]::GetAttributes($File) -band [System.IO.FileAttributes]::ReadOnly) -ne 0
}

function Write-TextFile([string] $File, [string] $Text, $Encoding) {
    try {
        [System.IO.File]::WriteAllBytes($File, $Encoding.GetBytes($Text))
    } catch {
        Fail "cannot write to ${File}: $(Get-FirstLine $_)"
    }
}

function Add-ProfileBlock([string] $File) {
    $lines = "  $BeginMarker`n  $InitLine`n  $EndMarker"
    $text = ''
    $encoding = New-Object System.Text.UTF8Encoding($false)
    if ([System.IO.File]::Exists($File)) {
        $read = Read-TextFile $File
        if ($null -eq $read) {
            Say "left $File alone (venvhook cannot add to it without changing its other bytes); add these lines to it yourself:`n$lines"
            return
        }
        $text = $read.Text
        $encoding = $read.Encoding
        if ([regex]::IsMatch($text, "(?m)^$(Get-BlockPattern)(\r?\n|\z)")) {
            Say "already present in $File"
            return
        }
        if ([regex]::IsMatch($text, "(?m)^$([regex]::Escape($BeginMarker))\r?$")) {
            Say "left $File alone (its venvhook lines were edited); they should read:`n$lines"
            return
        }
        if ([regex]::IsMatch($text, '(?im)^[^#\r\n]*venvhook[^#\r\n]*\sinit\s+pwsh')) {
            Say "already present in $File (a line you wrote; left as is)"
            return
        }
        if (Test-ReadOnly $File) {
            Say "could not change $File (read-only); add these lines to it yourself:`n$lines"
            return
        }
    } else {
        try { [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($File)) } catch { Fail "cannot create the folder of ${File}: $(Get-FirstLine $_)" }
    }
    $nl = Get-Newline $text
    $block = $BeginMarker + $nl + $InitLine + $nl + $EndMarker
    if ($text -eq '') {
        $new = $block + $nl
    } elseif ($text.EndsWith("`n")) {
        $new = $text + $block + $nl
    } else {
        # The last line has no line ending: the block brings the one it needs
        # before it, and takes it away again on -Uninstall.
        $new = $text + $nl + $block
    }
    Write-TextFile $File $new $encoding
    Say "added to $File"
}

function Remove-ProfileBlock([string] $File) {
    if (-not [System.IO.File]::Exists($File)) { return }
    $read = Read-TextFile $File
    if ($null -eq $read) {
        Say "left $File alone (venvhook cannot change it without changing its other bytes); remove the venvhook lines from it yourself"
        return
    }
    $text = $read.Text
    $block = Get-BlockPattern
    $new = [regex]::Replace($text, "(?m)^$block\r?\n", '')
    $new = [regex]::Replace($new, "\r?\n$block\z", '')
    $new = [regex]::Replace($new, "\A$block\z", '')
    if ($new -ceq $text) {
        if ([regex]::IsMatch($text, "(?m)^$([regex]::Escape($BeginMarker))\r?$")) {
            Say "left $File alone (its venvhook lines were edited); remove them yourself"
        } elseif ([regex]::IsMatch($text, '(?im)^[^#\r\n]*venvhook[^#\r\n]*\sinit\s+pwsh')) {
            Say "$File runs venvhook with a line you wrote; remove it yourself"
        }
        return
    }
    if (Test-ReadOnly $File) {
        Say "could not change $File (read-only); remove the venvhook lines from it yourself"
        return
    }
    $link = ([System.IO.File]::GetAttributes($File) -band [System.IO.FileAttributes]::ReparsePoint) -ne 0
    if ($new -eq '' -and -not $link) {
        try { [System.IO.File]::Delete($File) } catch { Fail "cannot remove ${File}: $(Get-FirstLine $_)" }
        Say "removed from $File (it was left empty, so it was deleted)"
    } else {
        Write-TextFile $File $new $read.Encoding
        Say "removed from $File"
    }
}

# install.sh's lines (bash, zsh, fish) that run the same ~/.local/bin/venvhook.
function Get-InstallShUsers {
    $zdotdir = if ($env:ZDOTDIR) { $env:ZDOTDIR } else { $HOME }
    $config = if ($env:XDG_CONFIG_HOME) { $env:XDG_CONFIG_HOME } else { [System.IO.Path]::Combine($HOME, '.config') }
    $users = @()
    foreach ($rc in @([System.IO.Path]::Combine($HOME, '.bashrc'), [System.IO.Path]::Combine($zdotdir, '.zshrc'))) {
        if ([System.IO.File]::Exists($rc) -and @([System.IO.File]::ReadAllLines($rc)) -ccontains '# added by venvhook install.sh') { $users += $rc }
    }
    $fish = [System.IO.Path]::Combine($config, 'fish', 'conf.d', 'venvhook.fish')
    if ([System.IO.File]::Exists($fish)) { $users += $fish }
    return $users
}

# ------------------------------------------------------------------ install, uninstall

function Install-Venvhook {
    $dir = Get-InstallDir
    $target = [System.IO.Path]::Combine($dir, $ExeName)
    $profileFile = Get-ProfilePath
    if ($PSVersionTable.PSEdition -ne 'Core') {
        Say "This is Windows PowerShell $($PSVersionTable.PSVersion), which venvhook's hook does not support: the line goes to PowerShell 7's profile, $profileFile."
    }

    $expectedSum = ''
    if ($Binary) {
        if ($Binary -match '^[a-zA-Z][a-zA-Z0-9+.-]+://') {
            $source = Get-ReleaseFolder $Binary
        } else {
            $source = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Binary)
        }
        if ([System.IO.Directory]::Exists($source)) {
            $release = Select-ReleaseBinary $source
            $source = $release.File
            $expectedSum = $release.Sum
        } elseif (-not [System.IO.File]::Exists($source)) {
            Fail "no venvhook binary at $source"
        }
    } else {
        $source = Build-FromCheckout
    }

    $other = @(Get-Command -Name venvhook -CommandType Application -All -ErrorAction Ignore | Where-Object { -not (Test-SameFolder $_.Source $target) })
    $wasOnPath = Test-OnSessionPath $dir
    $version = Install-Binary $source $expectedSum
    Say "installed venvhook $version to $target"

    if ($OnWindows) {
        if (Add-UserPath $dir) { Say "added $dir to your user Path" } else { Say "$dir is already on your user Path" }
    } elseif (-not $wasOnPath) {
        $line = '$env:PATH = ' + "'" + $dir.Replace("'", "''") + [System.IO.Path]::PathSeparator + "' + " + '$env:PATH'
        Warn "$dir is not on your PATH, and the profile line runs venvhook by name: add it where your login shell sets PATH (for pwsh alone, put this in the profile before that line: $line)"
    }
    Add-SessionPath $dir
    if ($other.Count -gt 0) { Warn "another venvhook is on your PATH: $($other[0].Source)" }

    if ($NoModifyProfile) {
        Say "profile not touched (-NoModifyProfile). Add these lines to $profileFile yourself:"
        Say "  $InitLine"
    } else {
        Add-ProfileBlock $profileFile
    }
    if ($OnWindows -and -not (Get-Command -Name pwsh -CommandType Application -ErrorAction Ignore)) {
        Warn 'PowerShell 7 (pwsh) was not found; venvhook needs it: winget install --id Microsoft.PowerShell'
    }
    Say "Next: open a new PowerShell 7 (pwsh) window, cd into a project with a .venv and run 'venvhook allow'."
}

function Uninstall-Venvhook {
    $dir = Get-InstallDir
    $target = [System.IO.Path]::Combine($dir, $ExeName)
    $users = @()
    if (-not $OnWindows) { $users = @(Get-InstallShUsers) }
    if ($users.Count -gt 0) {
        Say "kept ${target}: install.sh's lines in $($users -join ', ') run it too; ./install.sh --uninstall removes it"
    } elseif ([System.IO.File]::Exists($target)) {
        try { [System.IO.File]::Delete($target) } catch { Fail "cannot remove ${target}: $(Get-FirstLine $_) (is venvhook running?)" }
        Say "removed $target"
    } else {
        Say "no venvhook at $target (nothing to remove)"
    }
    if ($OnWindows) {
        $old = "$target.old"
        if ([System.IO.File]::Exists($old)) { try { [System.IO.File]::Delete($old) } catch { } }
        # The folder is venvhook's own: removed when nothing else is in it.
        if ([System.IO.Directory]::Exists($dir) -and @([System.IO.Directory]::GetFileSystemEntries($dir)).Count -eq 0) {
            try { [System.IO.Directory]::Delete($dir) } catch { }
        }
        if (Remove-UserPath $dir) { Say "removed $dir from your user Path" }
        Remove-SessionPath $dir
    }
    if ($NoModifyProfile) {
        Say 'profile not touched (-NoModifyProfile); remove the venvhook lines from it yourself'
    } else {
        Remove-ProfileBlock (Get-ProfilePath)
    }
    Say "venvhook's folders, kept (on Linux and macOS ./install.sh --uninstall --purge deletes them, except the store's envs):"
    foreach ($folder in Get-VenvhookFolders) {
        $what = if ([System.IO.Directory]::Exists($folder[1])) { $folder[2] } else { 'not there' }
        Say ("  {0,-6} {1}: {2}" -f $folder[0], $folder[1], $what)
    }
    Say 'Open a new PowerShell window to drop the hook from this session.'
}

# ------------------------------------------------------------------ main

if ($Help) {
    Show-Usage
    exit 0
}
try {
    if ($PSVersionTable.PSVersion.Major -lt 5) { Fail "install.ps1 needs Windows PowerShell 5.1 or PowerShell 7; this is $($PSVersionTable.PSVersion)" }
    if (@($args).Count -gt 0) { Fail "unknown option: $($args[0]) (see: .\install.ps1 -Help)" 2 }
    if ($Uninstall) { Uninstall-Venvhook } else { Install-Venvhook }
} catch {
    [Console]::Error.WriteLine("venvhook: $(Get-FirstLine $_)")
    exit $script:FailStatus
} finally {
    if ($script:DownloadFolder) { try { [System.IO.Directory]::Delete($script:DownloadFolder, $true) } catch { } }
}
exit 0
