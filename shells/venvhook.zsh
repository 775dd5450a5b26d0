# venvhook for zsh: Python virtual environments that follow the working directory.
# Load it from ~/.zshrc with:  eval "$(venvhook init zsh)"
#
# On cd (chpwd), and at each prompt, the hook compares the folder, VIRTUAL_ENV,
# the presence of ./.venv and the pointer file that led to the env with what
# it saw last time, using builtins only;
# the binary runs only when one of them changed, so one cd runs it once. What
# the binary applied is in VENVHOOK_STATE.

typeset -g __venvhook_bin=::VENVHOOK::
# For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
export VENVHOOK_HOOK="zsh:$$:$__venvhook_bin"
typeset -g __venvhook_told __venvhook_pwd __venvhook_venv __venvhook_conda __venvhook_here __venvhook_ps1 __venvhook_status __venvhook_later __venvhook_starting __venvhook_pointer __venvhook_pointed __venvhook_line

# Runs the binary and evaluates what it printed, only if it succeeded.
__venvhook_export() {
  emulate -L zsh
  local out code=0
  # Recorded first: after Ctrl-C or a failure the shell redraws the prompt, and
  # the binary must not run again until something changes.
  __venvhook_remember
  __venvhook_pointer=
  if [[ -x $__venvhook_bin ]]; then
    # venvhook is a bun binary that lives a few ms: JavaScriptCore's JIT would
    # cost it ~2 ms of CPU per run and speed up nothing. An activate script
    # keeps _OLD_VIRTUAL_PATH unexported; the binary needs to see it.
    out=$(BUN_JSC_useJIT=0 VENVHOOK_TOLD=$__venvhook_told _OLD_VIRTUAL_PATH=${_OLD_VIRTUAL_PATH-} "$__venvhook_bin" export zsh "$@") || code=$?
    if (( code == 0 )); then
      eval "$out"
    elif (( code > 125 && code != 130 )); then
      print -ru2 -- "venvhook: $__venvhook_bin failed (status $code); environment left as it was"
    fi
  elif [[ -z ${__venvhook_missing-} ]]; then
    typeset -g __venvhook_missing=1
    code=127
    print -ru2 -- "venvhook: $__venvhook_bin is missing; reinstall venvhook or remove its line from ~/.zshrc"
  fi
  __venvhook_venv=${VIRTUAL_ENV-}
  __venvhook_pointer_line
  __venvhook_pointed=$__venvhook_line
  __venvhook_define_deactivate
  # For `venvhook off`/`on`; the prompt's call always succeeds (errexit).
  typeset -g __venvhook_code=$code
}

# `deactivate`, typed by habit, turns venvhook's env off (venvhook off); an
# activate script's own deactivate replaces it while that script is in force,
# and once it has removed itself this one comes back.
__venvhook_define_deactivate() {
  (( $+functions[deactivate] )) || deactivate() { venvhook off; }
}

# The start of the pointer file that led to what the binary found
# (__venvhook_pointer, which it sets), into __venvhook_line: empty when there
# is none or it is not a regular file (never a FIFO that would wait), and at
# most 4096 characters.
__venvhook_pointer_line() {
  emulate -L zsh
  __venvhook_line=
  [[ -n $__venvhook_pointer && -f $__venvhook_pointer ]] || return 0
  # zsh reports a redirection that fails outside the command's own 2>/dev/null.
  { read -r -u 0 -k 4096 __venvhook_line <$__venvhook_pointer } 2>/dev/null
  return 0
}

# What __venvhook_update compares with next time.
__venvhook_remember() {
  __venvhook_pwd=$PWD
  __venvhook_venv=${VIRTUAL_ENV-}
  __venvhook_conda=${CONDA_PREFIX-}
  __venvhook_here=
  if [[ -e .venv || -L .venv ]]; then __venvhook_here=1; fi
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
  emulate -L zsh
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
  emulate -L zsh
  (( ZSH_SUBSHELL == 0 )) || return 0
  local here=
  if [[ -e .venv || -L .venv ]]; then here=1; fi
  __venvhook_pointer_line
  if [[ $PWD != "$__venvhook_pwd" || ${VIRTUAL_ENV-} != "$__venvhook_venv" || $here != "$__venvhook_here" || ${CONDA_PREFIX-} != "$__venvhook_conda" || $__venvhook_line != "$__venvhook_pointed" ]]; then
    __venvhook_export "$@"
  fi
}

# On cd, so `cd project && python ...` on one line already sees the env; what
# there is to say (or ask) waits for the prompt, not the middle of the line.
__venvhook_chpwd() {
  __venvhook_update --defer
}

# Says what the binary held back, once.
__venvhook_say_later() {
  [[ -n $__venvhook_later ]] && print -ru2 -- "$__venvhook_later"
  __venvhook_later=
}

# The first prompt is still start-up to some prompt frameworks: powerlevel10k's
# instant prompt holds the terminal until the prompt is expanded. What there
# is to say then is said once the line editor has started, above the prompt.
__venvhook_line_init() {
  add-zle-hook-widget -d line-init __venvhook_line_init
  zle -I
  __venvhook_say_later
}

# First in precmd_functions: keeps $? and brings the environment up to date.
# A framework that rebuilds the prompt at every prompt may add its precmd
# after ours (pure does): ours is moved last again, and runs from a `sched +0`
# job this time, after all precmds.
__venvhook_precmd() {
  __venvhook_status=$?
  if [[ -n $__venvhook_starting ]]; then
    __venvhook_starting=
    __venvhook_compdef
    if __venvhook_nothing_here; then
      __venvhook_remember
    else
      __venvhook_update --defer
    fi
    if [[ -n $__venvhook_later ]] && autoload -Uz add-zle-hook-widget; then
      add-zle-hook-widget line-init __venvhook_line_init
    fi
  else
    __venvhook_update
    __venvhook_say_later
  fi
  if [[ ${precmd_functions[-1]} != __venvhook_prompt ]] && (( ! ${precmd_functions[(I)_p9k_precmd]} )); then
    precmd_functions=(${precmd_functions:#__venvhook_prompt} __venvhook_prompt)
    zmodload zsh/sched && sched +0 __venvhook_prompt
  fi
  return $__venvhook_status
}

# Last in precmd_functions, so prompts rebuilt by other precmds get the prefix
# too. The name is escaped for prompt expansion: %, and ! under PROMPT_BANG;
# under PROMPT_SUBST the prefix refers to $VIRTUAL_ENV_PROMPT instead of
# copying it, so what the name contains is never evaluated. None under
# powerlevel10k, which rebuilds the prompt after every other precmd (it
# moves its own last) and shows the env in its virtualenv segment.
__venvhook_prompt() {
  local subst=0 bang=0
  [[ -o promptsubst ]] && subst=1
  [[ -o promptbang ]] && bang=1
  emulate -L zsh
  local want= name
  if [[ -n ${VENVHOOK_STATE-} && -n ${VIRTUAL_ENV-} && $VIRTUAL_ENV == "${VENVHOOK_STATE#*:}" && -z ${VIRTUAL_ENV_DISABLE_PROMPT-} && -z ${_OLD_VIRTUAL_PATH-} ]] && (( ! ${precmd_functions[(I)_p9k_precmd]} )); then
    if (( subst && bang )); then
      want='(${${VIRTUAL_ENV_PROMPT//\%/%%}//\!/!!}) '
    elif (( subst )); then
      want='(${VIRTUAL_ENV_PROMPT//\%/%%}) '
    else
      name=${VIRTUAL_ENV_PROMPT-}
      name=${name//\%/%%}
      (( bang )) && name=${name//\!/!!}
      want="($name) "
    fi
  fi
  if [[ -n $__venvhook_ps1 && $want != "$__venvhook_ps1" ]]; then
    PS1=${PS1/"$__venvhook_ps1"/}
    # An activate script run meanwhile saved the prompt with it, to put back.
    if [[ -n ${_OLD_VIRTUAL_PS1-} ]]; then _OLD_VIRTUAL_PS1=${_OLD_VIRTUAL_PS1/"$__venvhook_ps1"/}; fi
  fi
  if [[ -n $want && $PS1 != *"$want"* ]]; then
    PS1=$want$PS1
  fi
  __venvhook_ps1=$want
  return ${__venvhook_status:-0}
}

# Runs the binary, then re-applies at once after commands that change what
# should be active; off and on are the hook's own (only it can change this shell).
venvhook() {
  local code=0
  case ${1-} in
    (off|on)
      if (( $# > 1 )); then
        print -ru2 -- "venvhook: $1 takes no arguments"
        return 2
      fi
      __venvhook_export "--$1"
      return $__venvhook_code
      ;;
  esac
  _OLD_VIRTUAL_PATH=${_OLD_VIRTUAL_PATH-} "$__venvhook_bin" "$@" || code=$?
  case ${1-} in
    (allow|deny|create|use|link|rm|gc) __venvhook_export --quiet ;;
    # The offer comes back (or goes) at the next prompt, with what it has to say.
    (ignore|unignore) __venvhook_export --defer ;;
  esac
  return $code
}

# Installed in interactive shells only, once even when this file is loaded
# twice: ours first and last in precmd.
[[ -o interactive ]] && () {
  emulate -L zsh
  __venvhook_define_deactivate
  typeset -g __venvhook_starting=1
  typeset -ga precmd_functions chpwd_functions
  precmd_functions=(__venvhook_precmd ${precmd_functions:#__venvhook_(precmd|prompt)} __venvhook_prompt)
  chpwd_functions=(${chpwd_functions:#__venvhook_chpwd} __venvhook_chpwd)
}

# Tab completion: the binary says what fits at TAB time (see `venvhook
# __complete`), one candidate a line, added with compadd, which quotes it as
# it inserts it: never evaluated. Its first line says whether folders fit too.
__venvhook_complete() {
  emulate -L zsh
  local line
  local -a lines values shown
  lines=("${(@f)$(BUN_JSC_useJIT=0 "$__venvhook_bin" __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "${(@)lines[2,-1]}"; do
    [[ -n $line ]] || continue
    values+=("${line%%$'\t'*}")
    shown+=("${line%%$'\t'*}  -- ${line#*$'\t'}")
  done
  (( $#values )) && compadd -l -d shown -a values
  [[ ${lines[1]} == folders ]] && _path_files -/
  return 0
}

# Registered with compdef, which compinit defines (the hook never runs
# compinit itself): now if it is loaded, and again at the first prompt, for a
# compinit further down the rc or in a framework.
__venvhook_compdef() {
  (( $+functions[compdef] )) && compdef __venvhook_complete venvhook
  return 0
}
__venvhook_compdef
