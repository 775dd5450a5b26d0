# venvhook for bash: Python virtual environments that follow the working directory.
# Load it from ~/.bashrc with:  eval "$(venvhook init bash)"
#
# At each prompt the hook compares the folder, VIRTUAL_ENV, the presence of
# ./.venv and the pointer file that led to the env with what it saw last time,
# using builtins only; the binary runs only when one of them changed. What the
# binary applied is in VENVHOOK_STATE.

__venvhook_bin=::VENVHOOK::
# For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
export VENVHOOK_HOOK="bash:$$:$__venvhook_bin"

# Runs the binary and evaluates what it printed, only if it succeeded.
__venvhook_export() {
  local out code=0
  # Recorded first: after Ctrl-C or a failure the shell redraws the prompt, and
  # the binary must not run again until something changes.
  __venvhook_remember
  __venvhook_pointer=
  if [[ -x $__venvhook_bin ]]; then
    # venvhook is a bun binary that lives a few ms: JavaScriptCore's JIT would
    # cost it ~2 ms of CPU per run and speed up nothing. An activate script
    # keeps _OLD_VIRTUAL_PATH unexported; the binary needs to see it.
    out=$(BUN_JSC_useJIT=0 VENVHOOK_TOLD=${__venvhook_told-} _OLD_VIRTUAL_PATH=${_OLD_VIRTUAL_PATH-} "$__venvhook_bin" export bash "$@") || code=$?
    if ((code == 0)); then
      eval "$out"
    elif ((code > 125 && code != 130)); then
      printf 'venvhook: %s failed (status %s); environment left as it was\n' "$__venvhook_bin" "$code" >&2
    fi
  elif [[ -z ${__venvhook_missing-} ]]; then
    __venvhook_missing=1
    code=127
    printf 'venvhook: %s is missing; reinstall venvhook or remove its line from ~/.bashrc\n' "$__venvhook_bin" >&2
  fi
  __venvhook_venv=${VIRTUAL_ENV-}
  __venvhook_pointer_line
  __venvhook_pointed=$__venvhook_line
  __venvhook_define_deactivate
  # For `venvhook off`/`on`; the prompt's call always succeeds (errexit).
  __venvhook_code=$code
}

# `deactivate`, typed by habit, turns venvhook's env off (venvhook off); an
# activate script's own deactivate replaces it while that script is in force,
# and once it has removed itself this one comes back.
__venvhook_define_deactivate() {
  if ! declare -F deactivate >/dev/null; then
    deactivate() { venvhook off; }
  fi
}

__venvhook_has_venv_here() {
  [[ -e .venv || -L .venv ]]
}

# The first line of the pointer file that led to what the binary found
# (__venvhook_pointer, which it sets), into __venvhook_line: empty when there
# is none or it is not a regular file (never a FIFO that would wait), and at
# most 4096 characters.
__venvhook_pointer_line() {
  __venvhook_line=
  [[ -n ${__venvhook_pointer-} && -f $__venvhook_pointer ]] || return 0
  IFS= read -r -n 4096 __venvhook_line 2>/dev/null <"$__venvhook_pointer" || true
}

# What __venvhook_update compares with next time.
__venvhook_remember() {
  __venvhook_pwd=$PWD
  __venvhook_venv=${VIRTUAL_ENV-}
  __venvhook_conda=${CONDA_PREFIX-}
  __venvhook_here=
  if __venvhook_has_venv_here; then __venvhook_here=1; fi
}

# True when the binary would have nothing to do in a new shell: no env
# inherited, and from here up to / none of the files that make a folder a
# Python project or point to an env (the binary's list of fixed names:
# test/unit/shells/startup-markers.test.ts keeps the two equal). A new shell
# outside any project then starts without running the binary. Builtins and
# stat only: listing each folder up to / (for requirements-*.txt) costs
# milliseconds where one is large; a project known only by such a file gets
# its offer at the first cd.
__venvhook_nothing_here() {
  [[ -z ${VENVHOOK_STATE-}${VIRTUAL_ENV-}${CONDA_PREFIX-} ]] || return 1
  local dir=$PWD name
  while :; do
    for name in .venv pyproject.toml setup.py setup.cfg Pipfile requirements.txt; do
      [[ -e $dir/$name || -L $dir/$name ]] && return 1
    done
    [[ -n $dir && $dir != / ]] || return 0
    dir=${dir%/*}
  done
}

# Runs the binary when the folder, VIRTUAL_ENV, ./.venv or the pointer file
# that led to the env changed; only in the interactive top-level shell, never
# in a subshell or $(...).
__venvhook_update() {
  ((BASH_SUBSHELL == 0)) || return 0
  local here=
  __venvhook_has_venv_here && here=1
  __venvhook_pointer_line
  if [[ $PWD != "${__venvhook_pwd-}" || ${VIRTUAL_ENV-} != "${__venvhook_venv-}" || $here != "${__venvhook_here-}" || ${CONDA_PREFIX-} != "${__venvhook_conda-}" || $__venvhook_line != "${__venvhook_pointed-}" ]]; then
    __venvhook_export "$@"
  fi
}

# Last in PROMPT_COMMAND: the prompt code before it sees $? and PIPESTATUS of
# the user's command (a function run before it would reset PIPESTATUS, and
# bash can only restore it by forking), and prompts rebuilt by other prompt
# code get the prefix too. cd has applied the env already (see below), and
# the init line did for the first prompt.
__venvhook_precmd() {
  __venvhook_status=$?
  __venvhook_update
  if [[ -n ${__venvhook_later-} ]]; then
    printf '%s\n' "$__venvhook_later" >&2
    __venvhook_later=
  fi
  __venvhook_prompt
}

# The prefix refers to $VIRTUAL_ENV_PROMPT rather than copying it: bash
# expands it when drawing the prompt and never evaluates what it contains.
# None when the prompt shows "(name)" already: themes that draw the env
# themselves (oh-my-bash's) rebuild PS1 at every prompt.
__venvhook_prompt() {
  local want=
  if [[ -n ${VENVHOOK_STATE-} && -n ${VIRTUAL_ENV-} && $VIRTUAL_ENV == "${VENVHOOK_STATE#*:}" && -z ${VIRTUAL_ENV_DISABLE_PROMPT-} && -z ${_OLD_VIRTUAL_PATH-} ]]; then
    if shopt -q promptvars; then
      # shellcheck disable=SC2016 # expanded when the prompt is drawn
      want='(${VIRTUAL_ENV_PROMPT-}) '
    else
      want="(${VIRTUAL_ENV_PROMPT//\\/\\\\}) "
    fi
  fi
  if [[ -n ${__venvhook_ps1-} && $want != "$__venvhook_ps1" ]]; then
    PS1=${PS1/"$__venvhook_ps1"/}
    # An activate script run meanwhile saved the prompt with it, to put back.
    if [[ -n ${_OLD_VIRTUAL_PS1-} ]]; then _OLD_VIRTUAL_PS1=${_OLD_VIRTUAL_PS1/"$__venvhook_ps1"/}; fi
  fi
  if [[ -n $want && $PS1 != *"$want"* && $PS1 != *"(${VIRTUAL_ENV_PROMPT-})"* ]]; then
    PS1=$want$PS1
  fi
  __venvhook_ps1=$want
  return "${__venvhook_status:-0}"
}

# bash has no hook on cd: cd, pushd and popd apply the env at once, so
# `cd other && pip install x` uses other's env. A function of the same name
# the user has already (autoenv's, rvm's, zoxide's cd) is kept and called
# first. VENVHOOK_BASH_CD=off before the init line leaves them alone.
__venvhook_chdir() {
  __venvhook_update --defer
  return 0
}

__venvhook_wrap_cd() {
  local name=$1 def
  if declare -F "$name" >/dev/null; then
    def=$(declare -f "$name")
    [[ $def == *__venvhook_chdir* ]] && return 0
    eval "__venvhook_user_$name${def#"$name"}"
  else
    eval "__venvhook_user_$name() { builtin $name \"\$@\"; }"
  fi
  eval "$name() { __venvhook_user_$name \"\$@\" || return; __venvhook_chdir; }"
}

# Runs the binary, then re-applies at once after commands that change what
# should be active; off and on are the hook's own (only it can change this shell).
venvhook() {
  local code=0
  case ${1-} in
    off | on)
      if (($# > 1)); then
        printf 'venvhook: %s takes no arguments\n' "$1" >&2
        return 2
      fi
      __venvhook_export "--$1"
      return "$__venvhook_code"
      ;;
  esac
  _OLD_VIRTUAL_PATH=${_OLD_VIRTUAL_PATH-} "$__venvhook_bin" "$@" || code=$?
  case ${1-} in
    allow | deny | create | use | link | rm | gc) __venvhook_export --quiet ;;
    # The offer comes back (or goes) at the next prompt, with what it has to say.
    ignore | unignore) __venvhook_export --defer ;;
  esac
  return "$code"
}

# Installed in interactive shells only (bash reads ~/.bashrc for some
# non-interactive ones too), once even when this file is loaded twice.
# PROMPT_COMMAND may be a string or (bash 5.1+) an array; ours goes last,
# newline-separated so a trailing ';' in the user's string stays valid. The
# env is applied here already, so a shell started in a project has it on its
# first prompt, whatever prompt code runs before ours; what it has to say
# waits for that prompt.
if [[ $- == *i* ]]; then
  # An array of two or more commands is extended as one; a string (or an
  # array of one, which bash reads the same) as a string. Told apart by its
  # indexes, not by $(declare -p): a fork costs every new shell a millisecond.
  # shellcheck disable=SC2206 # indexes are numbers
  __venvhook_indexes=(${!PROMPT_COMMAND[@]})
  if ((${#__venvhook_indexes[@]} > 1)); then
    if [[ " ${PROMPT_COMMAND[*]} " != *" __venvhook_precmd "* ]]; then
      PROMPT_COMMAND=("${PROMPT_COMMAND[@]}" __venvhook_precmd)
    fi
  elif [[ ${PROMPT_COMMAND-} != *__venvhook_precmd* ]]; then
    # shellcheck disable=SC2128,SC2178 # this branch is the string form
    PROMPT_COMMAND=${PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}__venvhook_precmd
  fi
  unset __venvhook_indexes
  if [[ ${VENVHOOK_BASH_CD-} != off ]]; then
    __venvhook_wrap_cd cd
    __venvhook_wrap_cd pushd
    __venvhook_wrap_cd popd
  fi
  __venvhook_define_deactivate
  if __venvhook_nothing_here; then
    __venvhook_remember
  else
    __venvhook_update --defer
  fi
fi

# Tab completion: the binary says what fits at TAB time (see `venvhook
# __complete`), one candidate a line, which is added to COMPREPLY as it is
# (quoted by the shell when it inserts it), never evaluated. Its first line
# says whether the shell's own folder completion applies too.
__venvhook_complete() {
  local line mode='' cur=${COMP_WORDS[COMP_CWORD]}
  COMPREPLY=()
  while IFS= read -r line; do
    if [[ -z $mode ]]; then
      mode=$line
    else
      COMPREPLY+=("${line%%$'\t'*}")
    fi
  done < <(BUN_JSC_useJIT=0 "$__venvhook_bin" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [[ $mode == folders ]]; then
    compopt -o filenames 2>/dev/null
    local dir
    while IFS= read -r dir; do COMPREPLY+=("$dir"); done < <(compgen -d -- "$cur")
  else
    # Each word inserted as one word: a name holding a space or a quote is escaped.
    local i
    for i in "${!COMPREPLY[@]}"; do printf -v 'COMPREPLY[i]' '%q' "${COMPREPLY[i]}"; done
  fi
}
complete -F __venvhook_complete venvhook
