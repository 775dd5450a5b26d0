# venvhook for nushell: Python virtual environments that follow the working directory.
# Load it from config.nu with:
#   mkdir ($nu.data-dir | path join vendor autoload)
#   venvhook init nu | save -f ($nu.data-dir | path join vendor autoload venvhook.nu)
#
# On cd (env_change.PWD), and before each prompt (pre_prompt), the hook
# compares the folder, VIRTUAL_ENV, the presence of ./.venv and the pointer
# file that led to the env with what it saw last time, using builtins only;
# the binary runs only when one of them changed. nushell cannot evaluate a
# string, so the binary prints data: a JSON record of variables to set and to
# hide, applied with load-env and hide-env. What the binary applied is in
# VENVHOOK_STATE.
#
# The hook's own variables are one record, $env.__venvhook: nushell passes only
# strings (and lists it knows how to convert, such as PATH) to the programs it
# runs, so the record stays in this shell, as other shells' local variables do.

const __venvhook_file = path self

$env.__venvhook = (
    $env.__venvhook?
    | default {told: '', pwd: null, venv: null, here: null, conda: null, pointer: '', pointed: 0x[], missing: false, prompt: null, wrapper: null}
    | upsert bin ([::VENVHOOK::] | first)
)
# For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
$env.VENVHOOK_HOOK = $"nu:($nu.pid):($env.__venvhook.bin)"

def __venvhook_has_venv_here []: nothing -> bool {
    ($env.PWD | path join .venv | path type) != null
}

# The first line of the pointer file that led to what the binary found
# (pointer, which it sets), as bytes: none when there is none, it cannot be
# read or it is not a regular file (never a FIFO, whose opening would wait),
# and at most 4096 of them. (`pointer?`: a record from an older hook loaded
# before this one has none.)
def __venvhook_pointer_line []: nothing -> binary {
    let file = $env.__venvhook.pointer? | default ''
    if ($file | is-empty) or ($file | path expand | path type) != file { return 0x[] }
    let head = try { open --raw $file | first 4096 } catch { 0x[] }
    let end = $head | bytes index-of 0x[0a]
    if $end < 0 { $head } else { $head | bytes at ..<$end }
}

# Runs the binary and applies what it printed, only if it succeeded; gives the
# binary's error when it failed, else nothing.
def --env __venvhook_export [--quiet, --off, --on] {
    # Recorded first: after Ctrl-C or a failure the prompt is drawn again, and
    # the binary must not run again until something changes.
    $env.__venvhook.pwd = $env.PWD
    $env.__venvhook.venv = $env.VIRTUAL_ENV?
    $env.__venvhook.here = (__venvhook_has_venv_here)
    $env.__venvhook.conda = $env.CONDA_PREFIX?
    $env.__venvhook.pointer = ''
    let bin = $env.__venvhook.bin
    mut failure: any = null
    if (which $bin | where type == external | is-empty) {
        if not $env.__venvhook.missing {
            $env.__venvhook.missing = true
            print -e $"venvhook: ($bin) is missing; reinstall venvhook or remove ($__venvhook_file) and the line that writes it from your config.nu"
        }
    } else {
        let flags = [[--quiet $quiet] [--off $off] [--on $on]] | where {|flag| $flag.1 } | each {|flag| $flag.0 }
        # PATH goes as the list nushell keeps, joined: for other programs
        # nushell expands a leading ~ in its entries, which would come back
        # expanded in the user's list.
        # venvhook is a bun binary that lives a few ms: JavaScriptCore's JIT
        # would cost it ~2 ms of CPU per run and speed up nothing.
        let vars = {VENVHOOK_TOLD: $env.__venvhook.told, BUN_JSC_useJIT: "0"}
        let vars = if ($env.PATH? | describe) =~ '^list' { $vars | insert PATH ($env.PATH | str join (char esep)) } else { $vars }
        # Captured whole: a failing binary's partial output is thrown away with the error.
        let run = try {
            {out: (with-env $vars { ^$bin export nu ...$flags })}
        } catch {|error|
            # A signal comes as its negated number; no code at all means it could not run.
            let code = $error.exit_code? | default 126
            {code: (if $code < 0 { 128 - $code } else { $code }), error: $error}
        }
        if 'out' in $run {
            if ($run.out | is-not-empty) {
                let change = $run.out | from json
                for name in $change.unset { hide-env -i $name }
                load-env $change.set
                $env.__venvhook = ($env.__venvhook | merge $change.locals)
            }
        } else {
            $failure = $run.error
            if $run.code > 125 and $run.code != 130 {
                print -e $"venvhook: ($bin) failed \(status ($run.code)\); environment left as it was"
            }
        }
    }
    $env.__venvhook.venv = $env.VIRTUAL_ENV?
    $env.__venvhook.pointed = (__venvhook_pointer_line)
    $failure
}

# virtualenv's activate.nu is an overlay named activate (or as the user named
# it; it sets VIRTUAL_PREFIX then), whose deactivate (`overlay hide activate`)
# drops every variable set while it was in force. Meanwhile the user's env
# wins and venvhook changes nothing, not even its own record, so that once the
# overlay is gone it sees what changed.
def __venvhook_in_activate []: nothing -> bool {
    'VIRTUAL_PREFIX' in $env or (overlay list | any {|overlay| $overlay.name == activate and $overlay.active })
}

# Keeps the last command's status: the binary is an external command too.
def --env __venvhook_update [] {
    if (__venvhook_in_activate) { return }
    let state = $env.__venvhook
    if $env.PWD != $state.pwd or $env.VIRTUAL_ENV? != $state.venv or (__venvhook_has_venv_here) != $state.here or $env.CONDA_PREFIX? != $state.conda or (__venvhook_pointer_line) != $state.pointed? {
        let status = $env.LAST_EXIT_CODE?
        __venvhook_export | ignore
        if $status != null { $env.LAST_EXIT_CODE = $status }
    }
}

# `(name) ` when the active env is venvhook's own: VENVHOOK_STATE ends with
# ":$VIRTUAL_ENV" after its first colon. The name is text, never evaluated.
def __venvhook_prefix []: nothing -> string {
    let venv = $env.VIRTUAL_ENV? | default ''
    let disabled = $env.VIRTUAL_ENV_DISABLE_PROMPT?
    let disabled = if ($disabled | describe) == bool { $disabled } else { $disabled | is-not-empty }
    # _OLD_VIRTUAL_PATH: an activate script is in force, even if it activated the same env.
    if $disabled or ($venv | is-empty) or ($env.VENVHOOK_STATE? | default '' | str replace -r '^[^:]*:' '') != $venv or ($env._OLD_VIRTUAL_PATH? | is-not-empty) or (__venvhook_in_activate) {
        return ''
    }
    $"\(($env.VIRTUAL_ENV_PROMPT? | default '')\) "
}

def __venvhook_prompt []: nothing -> string {
    let user = $env.__venvhook.prompt
    let shown = if ($user | describe) == closure { do $user } else { $user }
    $"(__venvhook_prefix)($shown)"
}

# Wraps whatever PROMPT_COMMAND is current (a closure or a string; a theme or
# starship may set it after this file is loaded), once.
def --env __venvhook_wrap_prompt [] {
    # activate.nu's prompt calls the one it replaced, this wrapper: wrapping
    # it again would make each call the other forever.
    if (__venvhook_in_activate) { return }
    let wrapper = $env.__venvhook.wrapper
    if 'PROMPT_COMMAND' not-in $env or ($wrapper != null and $env.PROMPT_COMMAND == $wrapper) { return }
    let wrapper = {|| __venvhook_prompt }
    $env.__venvhook.prompt = $env.PROMPT_COMMAND
    $env.__venvhook.wrapper = $wrapper
    $env.PROMPT_COMMAND = $wrapper
}

# Runs the binary, then re-applies at once after commands that change what
# should be active. Ends with the binary's own error when it failed, so the
# shell sets $env.LAST_EXIT_CODE to its status as for any external command.
def --env --wrapped venvhook [...args: string@__venvhook_complete] {
    let bin = $env.__venvhook.bin
    # off and on are the hook's own: only it can change this shell.
    if $args.0? in [off on] {
        if ($args | length) > 1 { error make -u {msg: $"venvhook: ($args.0) takes no arguments"} }
        let failed = if $args.0 == off { __venvhook_export --off } else { __venvhook_export --on }
        if $failed != null { $failed.raw }
        return
    }
    # The offer comes back (or goes) at the next prompt, which runs the binary
    # again: there it may ask, and what it says is shown.
    if $args.0? in [ignore unignore] { $env.__venvhook.pwd = null }
    # The other commands are the binary as it stands, their output a stream to pipe on.
    if $args.0? not-in [allow deny create use link rm gc] { return (^$bin ...$args) }
    let failed = try { ^$bin ...$args; null } catch {|error| $error }
    __venvhook_export --quiet | ignore
    if $failed != null { $failed.raw }
}

# `deactivate`, typed by habit, turns venvhook's env off (venvhook off). An
# activate script's deactivate (virtualenv's activate.nu: an alias in its
# overlay) shadows it while that overlay is in force.
def --env deactivate [] { venvhook off }

# Install once, even when this file is loaded twice, after the handlers already there.
def __venvhook_add_hook [hooks: any, hook: closure]: nothing -> list<any> {
    let hooks = $hooks | default []
    let ours = {|h| ($h | describe) == closure and (view source $h | str contains '__venvhook_') }
    if ($hooks | any $ours) { $hooks } else { $hooks | append $hook }
}

$env.config.hooks.pre_prompt = (__venvhook_add_hook $env.config.hooks.pre_prompt? {||
    __venvhook_update
    __venvhook_wrap_prompt
})
# On cd, the hook point nushell has for it; pre_prompt above catches the rest
# (a .venv made, VIRTUAL_ENV changed), and the markers keep it to one run.
$env.config.hooks.env_change.PWD = (__venvhook_add_hook $env.config.hooks.env_change.PWD? {|before, after| __venvhook_update })

# Tab completion (the completer named on venvhook's arguments above): the
# binary says what fits at TAB time (see `venvhook __complete`), listing
# folders itself, one "value<TAB>what it is" a line, each inserted as one
# word (quoted below), never evaluated. nushell gives a command's completer
# only the line up to the cursor, which the binary splits at blanks (--line).
def __venvhook_complete [context: string] {
    # `complete`: a failing binary (or none) completes nothing, and says nothing.
    let lines = with-env {BUN_JSC_useJIT: "0"} { ^$env.__venvhook.bin __complete --folders --line $context | complete } | get stdout | lines
    let completions = $lines | skip 1 | each {|line|
        let item = $line | split row -n 2 "\t"
        let value = $item.0
        # nushell inserts a custom completion as it is: anything but a plain word goes in double quotes.
        let value = if $value =~ '^[\w./:+@-]+$' { $value } else { $'"($value | str replace -a '\' '\\' | str replace -a '"' '\"')"' }
        {value: $value, description: ($item.1? | default '')}
    }
    # The binary has kept what the word can grow into: fuzzy, so a quoted value still matches the word typed.
    {options: {sort: false, completion_algorithm: fuzzy, case_sensitive: true}, completions: $completions}
}
