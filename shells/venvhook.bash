# venvhook for bash: Python virtual environments that follow the working directory.
# Load it from ~/.bashrc with:  eval "$(venvhook init bash)"
#
# At each prompt the hook compares the folder, VIRTUAL_ENV and the presence of
# ./.venv with what it saw last time, using builtins only; the binary runs only
# when one of them changed. What the binary applied is in VENVHOOK_STATE.

__venvhook_bin=::VENVHOOK::

# Runs the binary and evaluates what it printed, only if it succeeded.
__venvhook_export() {
  local out code=0
  # Recorded first: after Ctrl-C or a failure the shell redraws the prompt, and
  # the binary must not run again until something changes.
  __venvhook_pwd=$PWD
  __venvhook_venv=${VIRTUAL_ENV-}
  __venvhook_conda=${CONDA_PREFIX-}
  __venvhook_here=
  if __venvhook_has_venv_here; then __venvhook_here=1; fi
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

# First in PROMPT_COMMAND: keeps $? for the prompt and brings the environment up to date.
__venvhook_precmd() {
  __venvhook_status=$?
  local here=
  __venvhook_has_venv_here && here=1
  if [[ $PWD != "${__venvhook_pwd-}" || ${VIRTUAL_ENV-} != "${__venvhook_venv-}" || $here != "${__venvhook_here-}" || ${CONDA_PREFIX-} != "${__venvhook_conda-}" ]]; then
    __venvhook_export
  fi
  return "$__venvhook_status"
}

# Last in PROMPT_COMMAND, so prompts rebuilt by other precmds get the prefix
# too. The prefix refers to $VIRTUAL_ENV_PROMPT rather than copying it: bash
# expands it when drawing the prompt and never evaluates what it contains.
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
  if [[ -n $want && $PS1 != *"$want"* ]]; then
    PS1=$want$PS1
  fi
  __venvhook_ps1=$want
  return "${__venvhook_status:-0}"
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
  esac
  return "$code"
}

__venvhook_define_deactivate

# Install once, even when this file is loaded twice. PROMPT_COMMAND may be a
# string or (bash 5.1+) an array; ours go first and last, newline-separated so
# a trailing ';' in the user's string stays valid.
if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
  if [[ " ${PROMPT_COMMAND[*]} " != *" __venvhook_precmd "* ]]; then
    PROMPT_COMMAND=(__venvhook_precmd "${PROMPT_COMMAND[@]}" __venvhook_prompt)
  fi
elif [[ ${PROMPT_COMMAND-} != *__venvhook_precmd* ]]; then
  # shellcheck disable=SC2128,SC2178 # this branch is the string form
  PROMPT_COMMAND=__venvhook_precmd${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}$'\n'__venvhook_prompt
fi
