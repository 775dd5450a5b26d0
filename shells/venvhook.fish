# venvhook for fish: Python virtual environments that follow the working directory.
# Load it from ~/.config/fish/conf.d/venvhook.fish with:
#   status is-interactive; and venvhook init fish | source
#
# On cd, and at each prompt, the hook compares the folder, VIRTUAL_ENV, the
# presence of ./.venv and the pointer file that led to the env with what it
# saw last time, using builtins only; the binary runs only when one of them
# changed. What the binary applied is in VENVHOOK_STATE.

# Interactive shells only: every fish reads conf.d, the `fish -c` job a
# prompt (tide) starts for each prompt too.
status is-interactive; or exit

set -g __venvhook_bin ::VENVHOOK::
# For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
set -gx VENVHOOK_HOOK "fish:$fish_pid:$__venvhook_bin"
set -q __venvhook_told; or set -g __venvhook_told ''

# Runs the binary and evaluates what it printed, only if it succeeded.
function __venvhook_export
    # Recorded first: after Ctrl-C or a failure the shell redraws the prompt,
    # and the binary must not run again until something changes.
    __venvhook_remember
    set -g __venvhook_pointer ''
    set -l code 0
    if test -x "$__venvhook_bin"
        # venvhook is a bun binary that lives a few ms: JavaScriptCore's JIT
        # would cost it ~2 ms of CPU per run and speed up nothing.
        set -l out (BUN_JSC_useJIT=0 VENVHOOK_TOLD=$__venvhook_told $__venvhook_bin export fish $argv | string collect)
        set code $pipestatus[1]
        if test $code -eq 0
            eval $out
        else if test $code -gt 125 -a $code -ne 130
            printf 'venvhook: %s failed (status %s); environment left as it was\n' $__venvhook_bin $code >&2
        end
    else if not set -q __venvhook_missing
        set -g __venvhook_missing 1
        set code 127
        printf 'venvhook: %s is missing; reinstall venvhook or remove the line that loads it from your fish config\n' $__venvhook_bin >&2
    end
    set -g __venvhook_venv "$VIRTUAL_ENV"
    set -g __venvhook_pointed (__venvhook_pointer_line)
    __venvhook_define_deactivate
    return $code
end

# The first line of the pointer file that led to what the binary found
# (__venvhook_pointer, which it sets): nothing when there is none or it is not
# a regular file (never a FIFO that would wait), and at most 4096 characters.
function __venvhook_pointer_line
    # Readable first: fish reports a redirection that fails, 2>/dev/null or not.
    set -q __venvhook_pointer; and test -n "$__venvhook_pointer" -a -f "$__venvhook_pointer" -a -r "$__venvhook_pointer"; or return 0
    read -l --nchars 4096 line <$__venvhook_pointer 2>/dev/null
    printf '%s' "$line"
end

# `deactivate`, typed by habit, turns venvhook's env off (venvhook off); an
# activate script's own deactivate replaces it while that script is in force,
# and once it has removed itself this one comes back.
function __venvhook_define_deactivate
    functions -q deactivate; and return
    function deactivate --description "turn venvhook's env off until you leave the project (venvhook off)"
        venvhook off
    end
end

function __venvhook_has_venv_here
    test -e .venv; or test -L .venv
end

# What __venvhook_update compares with next time.
function __venvhook_remember
    set -g __venvhook_pwd $PWD
    set -g __venvhook_venv "$VIRTUAL_ENV"
    set -g __venvhook_conda "$CONDA_PREFIX"
    set -g __venvhook_here (__venvhook_has_venv_here; and echo 1)
end

# True when the binary would have nothing to do in a new shell: no env
# inherited, and from here up to / none of the files that make a folder a
# Python project or point to an env (the binary's list of fixed names:
# test/unit/shells/startup-markers.test.ts keeps the two equal). A new shell
# outside any project then starts without running the binary. Builtins and
# stat only: listing each folder up to / (for requirements-*.txt) costs
# milliseconds where one is large; a project known only by such a file gets
# its offer at the first cd.
function __venvhook_nothing_here
    test -z "$VENVHOOK_STATE$VIRTUAL_ENV$CONDA_PREFIX"; or return 1
    set -l dir $PWD
    while true
        for name in .venv pyproject.toml setup.py setup.cfg Pipfile requirements.txt
            test -e "$dir/$name"; or test -L "$dir/$name"; and return 1
        end
        test -n "$dir" -a "$dir" != /; or return 0
        set dir (string replace -r '/[^/]*$' '' -- $dir)
    end
end

function __venvhook_update
    set -l here (__venvhook_has_venv_here; and echo 1)
    set -l line (__venvhook_pointer_line)
    if test "$PWD" != "$__venvhook_pwd"; or test "$VIRTUAL_ENV" != "$__venvhook_venv"; or test "$here" != "$__venvhook_here"; or test "$CONDA_PREFIX" != "$__venvhook_conda"; or test "$line" != "$__venvhook_pointed"
        __venvhook_export $argv
    end
end

# On cd, so `cd project; and python ...` on one line already sees the env;
# what there is to say (or ask) waits for the prompt, not the middle of the
# line. Never in a command substitution.
function __venvhook_on_cd --on-variable PWD
    status is-command-substitution; and return
    __venvhook_update --defer
end

function __venvhook_on_prompt --on-event fish_prompt
    __venvhook_update
    if set -q __venvhook_later; and test -n "$__venvhook_later"
        printf '%s\n' $__venvhook_later >&2
    end
    set -g __venvhook_later
    __venvhook_wrap_prompt
end

function __venvhook_prompt_prefix
    set -q VIRTUAL_ENV_DISABLE_PROMPT; and test -n "$VIRTUAL_ENV_DISABLE_PROMPT"; and return
    set -q VENVHOOK_STATE; and set -q VIRTUAL_ENV; or return
    # An activate script is in force, even if it activated the same env.
    set -q _OLD_VIRTUAL_PATH; and return
    # Ours when the state ends with ":$VIRTUAL_ENV". Only the base64 part before
    # the first colon is captured: a path may hold newlines, which (...) splits on.
    test -n "$VIRTUAL_ENV"; and test "$VENVHOOK_STATE" = (string replace -r '(?s):.*' '' -- $VENVHOOK_STATE)":$VIRTUAL_ENV"; or return
    printf '(%s) ' $VIRTUAL_ENV_PROMPT
end

function __venvhook_return
    return $argv[1]
end

# Wraps whatever fish_prompt is current (a theme, starship or tide may define
# it after this file is loaded), keeping $status and $pipestatus for it: a
# pipeline of as many returns (fish cannot set $pipestatus otherwise; a
# function call or eval leaves one status), for pipelines of up to 8.
function __venvhook_wrap_prompt
    functions -q fish_prompt; or return
    string match -q '*__venvhook_prompt_prefix*' -- (functions fish_prompt); and return
    # activate.fish keeps the prompt it replaced as _old_fish_prompt and calls
    # it: when that is this wrapper, wrapping activate's prompt again would
    # make each call the other forever. Its deactivate puts the wrapper back.
    functions -q _old_fish_prompt; and string match -q '*__venvhook_prompt_prefix*' -- (functions _old_fish_prompt); and return
    functions -e __venvhook_user_prompt
    functions -c fish_prompt __venvhook_user_prompt
    function fish_prompt
        set -l piped $pipestatus
        set -l last $status
        __venvhook_prompt_prefix
        test "$last" = "$piped[-1]"; or set piped $last
        switch (count $piped)
            case 2
                __venvhook_return $piped[1] | __venvhook_return $piped[2]
            case 3
                __venvhook_return $piped[1] | __venvhook_return $piped[2] | __venvhook_return $piped[3]
            case 4
                __venvhook_return $piped[1] | __venvhook_return $piped[2] | __venvhook_return $piped[3] | __venvhook_return $piped[4]
            case 5
                __venvhook_return $piped[1] | __venvhook_return $piped[2] | __venvhook_return $piped[3] | __venvhook_return $piped[4] | __venvhook_return $piped[5]
            case 6
                __venvhook_return $piped[1] | __venvhook_return $piped[2] | __venvhook_return $piped[3] | __venvhook_return $piped[4] | __venvhook_return $piped[5] | __venvhook_return $piped[6]
            case 7
                __venvhook_return $piped[1] | __venvhook_return $piped[2] | __venvhook_return $piped[3] | __venvhook_return $piped[4] | __venvhook_return $piped[5] | __venvhook_return $piped[6] | __venvhook_return $piped[7]
            case 8
                __venvhook_return $piped[1] | __venvhook_return $piped[2] | __venvhook_return $piped[3] | __venvhook_return $piped[4] | __venvhook_return $piped[5] | __venvhook_return $piped[6] | __venvhook_return $piped[7] | __venvhook_return $piped[8]
            case '*'
                __venvhook_return $last
        end
        __venvhook_user_prompt
    end
end

# Runs the binary, then re-applies at once after commands that change what
# should be active; off and on are the hook's own (only it can change this shell).
function venvhook
    switch "$argv[1]"
        case off on
            if set -q argv[2]
                printf 'venvhook: %s takes no arguments\n' $argv[1] >&2
                return 2
            end
            __venvhook_export --$argv[1]
            return
    end
    $__venvhook_bin $argv
    set -l code $status
    switch "$argv[1]"
        case allow deny create use link rm gc
            __venvhook_export --quiet
        case ignore unignore
            # The offer comes back (or goes) at the next prompt, with what it has to say.
            __venvhook_export --defer
    end
    return $code
end

__venvhook_define_deactivate
# The first prompt runs the binary only where there may be something to do.
__venvhook_nothing_here; and __venvhook_remember

# Tab completion: the binary says what fits at TAB time (see `venvhook
# __complete`), one "value<TAB>what it is" a line, which fish offers as it
# is: never evaluated. Its first line says whether folders fit too.
function __venvhook_complete
    set -l lines (BUN_JSC_useJIT=0 $__venvhook_bin __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)
    set -l mode $lines[1]
    set -e lines[1]
    test (count $lines) -gt 0; and printf '%s\n' $lines
    if test "$mode" = folders
        __fish_complete_directories (commandline -ct)
    end
end
complete -c venvhook -f -a '(__venvhook_complete)'
