# Stand-in for tide's prompt, written from IlanCosman/tide v6-5-gfcda500:
# functions/fish_prompt.fish defines fish_prompt to keep $status and
# $pipestatus (`_tide_status=$status _tide_pipestatus=$pipestatus`) and to
# start a non-interactive `$fish_path -c ...` job for every prompt, which
# reads the user's config like any fish; functions/_tide_item_status.fish
# shows ✔ when all of the pipestatus is 0, else it joined by | after ✔ or ✘
# as $status is 0 or not (signal names left out);
# functions/_tide_item_python.fish shows the env as "(folder)" from
# $VIRTUAL_ENV (the folder holding it, for .venv; its version is left out);
# conf.d/_tide_init.fish sets VIRTUAL_ENV_DISABLE_PROMPT. The job's output
# (the prompt's other items) is left out: the job here only runs.
set -g VIRTUAL_ENV_DISABLE_PROMPT true
function fish_prompt
    set -l _tide_status $status
    set -l _tide_pipestatus $pipestatus
    status fish-path | read -l fish_path
    $fish_path -c true &
    builtin disown
    set -l mark ✔
    if string match -qv 0 $_tide_pipestatus
        if test "$_tide_pipestatus" = 1
            set mark "✘ 1"
        else
            set -l out (string join '|' $_tide_pipestatus)
            test $_tide_status = 0; and set mark "✔ $out"; or set mark "✘ $out"
        end
    end
    set -l python
    if test -n "$VIRTUAL_ENV"
        string match -qr "^.*/(?<dir>.*)/(?<base>.*)" $VIRTUAL_ENV
        set python "($dir) "
    end
    printf '%s%s tide> ' $python $mark
end
