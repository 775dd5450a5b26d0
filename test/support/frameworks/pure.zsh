# Stand-in for pure, written from sindresorhus/pure v1.28.3 (89c9e30),
# pure.zsh: prompt_pure_setup adds prompt_pure_precmd with
# `add-zsh-hook precmd` (after any precmd already there); at every prompt
# prompt_pure_set_colors puts the env's name in psvar[20] and exports
# VIRTUAL_ENV_DISABLE_PROMPT=20 (prompt_pure_preexec too); PROMPT is set once,
# in prompt_pure_setup, and shows %20v before the prompt symbol. The preprompt
# line, colours, git and async parts are left out.
autoload -Uz add-zsh-hook
prompt_pure_preexec() {
  export VIRTUAL_ENV_DISABLE_PROMPT=${VIRTUAL_ENV_DISABLE_PROMPT:-20}
}
prompt_pure_precmd() {
  psvar[20]=
  if [[ -n $VIRTUAL_ENV ]] && [[ -z $VIRTUAL_ENV_DISABLE_PROMPT || $VIRTUAL_ENV_DISABLE_PROMPT = 20 ]]; then
    if [[ -n $VIRTUAL_ENV_PROMPT ]]; then
      psvar[20]="${VIRTUAL_ENV_PROMPT}"
    else
      psvar[20]="${VIRTUAL_ENV:t}"
    fi
    export VIRTUAL_ENV_DISABLE_PROMPT=20
  fi
}
PROMPT='%(20V.%20v .)pure> '
add-zsh-hook precmd prompt_pure_precmd
add-zsh-hook preexec prompt_pure_preexec
