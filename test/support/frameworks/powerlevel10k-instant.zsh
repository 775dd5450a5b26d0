# Stand-in for powerlevel10k's instant prompt and prompt, written from
# romkatv/powerlevel10k v1.20.0-100-g604f19a9, internal/p10k.zsh. Sourced at
# the top of .zshrc, like the instant prompt preamble: until the first prompt
# is expanded, stdout and stderr go to a file (the code near
# `exec {__p9k_fd_0}<&0 {__p9k_fd_1}>&1 {__p9k_fd_2}>&2`). PROMPT starts with
# `${$((_p9k_on_expand()))+}` (PROMPT_SUBST), and _p9k_on_expand puts the
# terminal back and, when the file is not empty, prints "Console output during
# zsh initialization detected" (_p9k_clear_instant_prompt). _p9k_precmd moves
# itself last in precmd_functions at every prompt and rebuilds PROMPT, with
# the env's name in its virtualenv segment. Segments, gitstatus, the cache,
# the sched +0 fallback and the screen restoring are left out.
typeset -g __p9k_instant_prompt_output=${TMPDIR:-/tmp}/p10k-stand-in-output-$$
: > $__p9k_instant_prompt_output
exec {__p9k_fd_1}>&1 {__p9k_fd_2}>&2 1>$__p9k_instant_prompt_output
exec 2>&1
typeset -gi __p9k_instant_prompt_active=1
_p9k_clear_instant_prompt() {
  exec 1>&$__p9k_fd_1 2>&$__p9k_fd_2 {__p9k_fd_1}>&- {__p9k_fd_2}>&-
  if [[ -s $__p9k_instant_prompt_output ]]; then
    print -r -- "[WARNING]: Console output during zsh initialization detected."
    print -r -- "$(<$__p9k_instant_prompt_output)"
  fi
  rm -f -- $__p9k_instant_prompt_output
}
_p9k_on_expand() {
  if (( $+__p9k_instant_prompt_active )); then
    _p9k_clear_instant_prompt
    unset __p9k_instant_prompt_active
  fi
  return 0
}
functions -M _p9k_on_expand
setopt prompt_subst
_p9k_precmd() {
  local venv=
  [[ -n $VIRTUAL_ENV ]] && venv="${VIRTUAL_ENV_PROMPT:-${VIRTUAL_ENV:t}} "
  PROMPT='${$((_p9k_on_expand()))+}'"${venv//\%/%%}p10k> "
  if [[ $precmd_functions[-1] != _p9k_precmd ]]; then
    precmd_functions=(${(@)precmd_functions:#_p9k_precmd} _p9k_precmd)
  fi
}
precmd_functions+=(_p9k_precmd)
