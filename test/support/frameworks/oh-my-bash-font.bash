# Stand-in for oh-my-bash's theme `font`, written from ohmybash/oh-my-bash at
# ae44713 (2026-05-04): themes/font/font.theme.sh (_omb_theme_PROMPT_COMMAND,
# OMB_PROMPT_VIRTUALENV_FORMAT='(%s) '), lib/omb-prompt-base.sh
# (_omb_prompt_get_virtualenv: VIRTUAL_ENV_PROMPT, else VIRTUAL_ENV's basename)
# and lib/utils.sh (_omb_util_add_prompt_command appends to PROMPT_COMMAND).
# The theme rebuilds PS1 at every prompt and draws the env itself, after the
# clock; the clock, colours and git parts are left out.
function _omb_theme_PROMPT_COMMAND() {
  local RC="$?"
  local python_venv=
  if [[ ${VIRTUAL_ENV-} ]]; then
    python_venv="(${VIRTUAL_ENV_PROMPT:-$(basename "$VIRTUAL_ENV")}) "
  fi
  local ret_status=ok
  [[ $RC == 0 ]] || ret_status=err
  PS1="clock ${python_venv}omb \W ${ret_status}→ "
}
PROMPT_COMMAND=${PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}_omb_theme_PROMPT_COMMAND
