# venvhook for tcsh: Python virtual environments that follow the working directory.
# Load it from ~/.tcshrc with:  if ( $?prompt ) eval `venvhook init tcsh`
# (init prints this file, less its comment lines, as one $'...' word given to
# eval: backquote output is split into words and globbed, and this file needs
# its newlines.)
#
# On cd (cwdcmd), and at each prompt (precmd), the hook compares the folder,
# VIRTUAL_ENV, the presence of ./.venv and the pointer file that led to the
# env with what it saw last time, using builtins only; the binary runs only
# when one of them changed, so one cd runs it once. What the binary applied is
# in VENVHOOK_STATE.
#
# tcsh has no functions and runs aliases of one line only (and never as the
# command of a one-line if): the logic is kept as code in variables, which
# aliases eval. Values are always read as $x:q ("$x" fails on a value holding
# a newline) and compared with an x in front (an empty $x:q is no word at all).
# In an interactive shell eval does history substitution: a ! below is escaped
# or followed by a blank or =. An error in precmd or cwdcmd makes tcsh remove
# that alias: nothing here may read a variable that can be unset.

set __venvhook_bin = ::VENVHOOK::
# For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
setenv VENVHOOK_HOOK "tcsh:$$":$__venvhook_bin:q
if ( ! $?__venvhook_told ) set __venvhook_told = ''
if ( ! $?__venvhook_pwd ) set __venvhook_pwd = ''
if ( ! $?__venvhook_venv ) set __venvhook_venv = ''
if ( ! $?__venvhook_here ) set __venvhook_here = ''
if ( ! $?__venvhook_conda ) set __venvhook_conda = ''
if ( ! $?__venvhook_pointer ) set __venvhook_pointer = ''
if ( ! $?__venvhook_pointed ) set __venvhook_pointed = ''
if ( ! $?__venvhook_shown ) set __venvhook_shown = 0
if ( ! $?__venvhook_again ) set __venvhook_again = 0
if ( ! $?__venvhook_later ) set __venvhook_later = ''
set __venvhook_at_prompt = 0
# Shown before the prompt; tcsh expands %$NAME when drawing it and never
# interprets what the name contains.
set __venvhook_prefix = '(%$VIRTUAL_ENV_PROMPT) '

# Runs the binary (in the backquote's subshell, so what it sets is not left
# in this shell's environment); its status is the backquote's. venvhook is a
# bun binary that lives a few ms: JavaScriptCore's JIT would cost it ~2 ms of
# CPU per run and speed up nothing. activate.csh keeps _OLD_VIRTUAL_PATH
# unexported; the binary needs to see it.
alias __venvhook_run 'setenv VENVHOOK_TOLD $__venvhook_told:q; setenv BUN_JSC_useJIT 0; setenv _OLD_VIRTUAL_PATH $__venvhook_old:q; $__venvhook_bin:q export tcsh $__venvhook_flags:q'

# Runs the binary and evaluates what it printed, only if it succeeded.
# The markers are recorded first: after Ctrl-C or a failure the binary must
# not run again until something changes.
alias __venvhook_export 'set __venvhook_flags = ( \!* ); eval $__venvhook_export:q'
set __venvhook_export = '\
__venvhook_measure\
set __venvhook_pwd = $cwd:q\
set __venvhook_venv = $__venvhook_v:q\
set __venvhook_here = $__venvhook_h\
set __venvhook_conda = $__venvhook_c:q\
set __venvhook_pointer = ""\
set __venvhook_pointed = ""\
set __venvhook_old = ""\
if ( $?_OLD_VIRTUAL_PATH ) then\
  set __venvhook_old = $_OLD_VIRTUAL_PATH:q\
endif\
set __venvhook_code = 127\
if ( -x $__venvhook_bin:q ) then\
  set __venvhook_out = "`__venvhook_run`"\
  set __venvhook_code = $status\
  if ( $__venvhook_code == 0 ) then\
    eval $__venvhook_out:q\
  else if ( $__venvhook_code > 125 && $__venvhook_code != 130 ) then\
    set __venvhook_msg = "venvhook: $__venvhook_bin:q failed (status $__venvhook_code); environment left as it was"\
    __venvhook_say\
  endif\
  unset __venvhook_out\
else if ( ! $?__venvhook_missing ) then\
  set __venvhook_missing\
  set __venvhook_msg = "venvhook: $__venvhook_bin:q is missing; reinstall venvhook or remove the line that loads it from ~/.tcshrc"\
  __venvhook_say\
endif\
__venvhook_measure\
set __venvhook_venv = $__venvhook_v:q\
set __venvhook_pointed = $__venvhook_p:q\
__venvhook_define_deactivate'

# `deactivate`, typed by habit, turns venvhook's env off (venvhook off).
# activate.csh's own deactivate replaces it while that script is in force
# (it sets _OLD_VIRTUAL_PATH, and unsets it and the alias when done), and then
# this one comes back.
alias __venvhook_define_deactivate 'eval $__venvhook_define_deactivate:q'
set __venvhook_define_deactivate = '\
if ( ! $?_OLD_VIRTUAL_PATH ) then\
  alias deactivate venvhook off\
endif'

# Prints $__venvhook_msg on stderr as it is: echo_style none, for this line only.
alias __venvhook_say 'eval $__venvhook_say:q'
set __venvhook_say = '\
set __venvhook_style = ""\
if ( $?echo_style ) then\
  set __venvhook_style = $echo_style:q\
endif\
set echo_style = none\
echo $__venvhook_msg:q >> /dev/stderr\
if ( x$__venvhook_style:q == x ) then\
  unset echo_style\
else\
  set echo_style = $__venvhook_style:q\
endif'

# What the markers are now: VIRTUAL_ENV and CONDA_PREFIX ("" when unset), 1
# when ./.venv exists or is a symbolic link, and the pointer file that led to
# what the binary found (__venvhook_pointer, which it sets) as its inode, size
# and modification time, "" when there is none or it is not a regular file.
# tcsh cannot read a file without a process ($< reads only the shell's own
# input), but its file inquiries stat one: venvhook use and link replace the
# pointer (a new inode), and an edit changes its size or its time (to the
# second; a same-size rewrite within one second goes unseen until the next cd).
alias __venvhook_measure 'eval $__venvhook_measure:q'
set __venvhook_measure = '\
set __venvhook_v = ""\
if ( $?VIRTUAL_ENV ) then\
  set __venvhook_v = $VIRTUAL_ENV:q\
endif\
set __venvhook_c = ""\
if ( $?CONDA_PREFIX ) then\
  set __venvhook_c = $CONDA_PREFIX:q\
endif\
set __venvhook_h = 0\
if ( -e .venv || -l .venv ) set __venvhook_h = 1\
set __venvhook_p = ""\
if ( x$__venvhook_pointer:q != x ) then\
  if ( -f $__venvhook_pointer:q ) then\
    @ __venvhook_i = -I $__venvhook_pointer:q\
    @ __venvhook_z = -Z $__venvhook_pointer:q\
    @ __venvhook_m = -M $__venvhook_pointer:q\
    set __venvhook_p = "$__venvhook_i $__venvhook_z $__venvhook_m"\
  endif\
endif'

# Runs the binary when the folder, VIRTUAL_ENV, ./.venv or the pointer file
# that led to the env changed, or quietly when a `venvhook` command asked for
# it. From cwdcmd (not at the prompt), what there is to say or ask waits for
# the prompt: a cd may be in the middle of a command line, or in a subshell or
# backquotes, which run cwdcmd too and whose notices are then never said.
alias __venvhook_update 'eval $__venvhook_update:q'
set __venvhook_update = '\
__venvhook_measure\
if ( $__venvhook_again ) then\
  set __venvhook_again = 0\
  __venvhook_export --quiet\
else if ( x$cwd:q != x$__venvhook_pwd:q || x$__venvhook_v:q != x$__venvhook_venv:q || x$__venvhook_h != x$__venvhook_here || x$__venvhook_c:q != x$__venvhook_conda:q || x$__venvhook_p:q != x$__venvhook_pointed:q ) then\
  if ( $__venvhook_at_prompt ) then\
    __venvhook_export\
  else\
    __venvhook_export --defer\
  endif\
endif'

# Says what the binary held back, once.
alias __venvhook_say_later 'eval $__venvhook_say_later:q'
set __venvhook_say_later = '\
if ( x$__venvhook_later:q != x ) then\
  set __venvhook_msg = $__venvhook_later:q\
  set __venvhook_later = ""\
  __venvhook_say\
endif'

# Last in precmd: the user's precmd runs first and sees the status of the last
# command (tcsh keeps it for the next command). Setting status back instead
# would print it again under printexitvalue. A cd has brought the environment
# up to date already, in cwdcmd.
alias __venvhook_precmd 'unsetenv VENVHOOK_DONE; set __venvhook_at_prompt = 1; __venvhook_update; set __venvhook_at_prompt = 0; __venvhook_say_later; __venvhook_prompt'

# The prompt comes last, so prompts rebuilt by other precmds get it too. The
# env is venvhook's when VENVHOOK_STATE is "<base64>:$VIRTUAL_ENV": the part
# before the first colon is what :s (that colon to a slash) then :ah (dirname
# until nothing changes) leave, since base64url has neither.
alias __venvhook_prompt 'eval $__venvhook_prompt:q'
set __venvhook_prompt = '\
set __venvhook_want = 0\
if ( $?VENVHOOK_STATE && $?VIRTUAL_ENV ) then\
  set __venvhook_head = $VENVHOOK_STATE:s,:,/,:ah:q\
  if ( x$VIRTUAL_ENV:q != x && x$VENVHOOK_STATE:q == x${__venvhook_head:q}:${VIRTUAL_ENV:q} ) set __venvhook_want = 1\
endif\
if ( $?VIRTUAL_ENV_DISABLE_PROMPT ) then\
  if ( x$VIRTUAL_ENV_DISABLE_PROMPT:q != x ) set __venvhook_want = 0\
endif\
if ( $?_OLD_VIRTUAL_PATH ) set __venvhook_want = 0\
if ( $?prompt ) then\
  set __venvhook_rest = $prompt:s/(%\$VIRTUAL_ENV_PROMPT)\ //:q\
  if ( $__venvhook_shown && ! $__venvhook_want ) set prompt = $__venvhook_rest:q\
  if ( $__venvhook_shown && ! $__venvhook_want && $?_OLD_VIRTUAL_PROMPT ) then\
    set _OLD_VIRTUAL_PROMPT = $_OLD_VIRTUAL_PROMPT:s/(%\$VIRTUAL_ENV_PROMPT)\ //:q\
  endif\
  if ( $__venvhook_want && x$__venvhook_rest:q == x$prompt:q ) set prompt = $__venvhook_prefix:q$prompt:q\
endif\
set __venvhook_shown = $__venvhook_want'

# Runs the binary as the alias's last command, so that a pipe or a
# redirection after `venvhook ...` applies to the binary (each applies to the
# last command of an alias's text), and the status is the binary's. After
# commands that change what should be active the env is applied again before
# the next prompt; after ignore and unignore the prompt runs the binary again
# (the folder it saw is forgotten), so the offer comes back (or goes) there,
# where it may ask. off and on change this shell, so the hook does them here,
# and the binary, seeing VENVHOOK_DONE, only ends with their status.
alias venvhook 'set __venvhook_argv = ( \!* ); eval $__venvhook_command:q; $__venvhook_bin:q \!*'
set __venvhook_command = '\
if ( $#__venvhook_argv ) then\
  set __venvhook_sub = x$__venvhook_argv[1]:q\
  if ( ( $__venvhook_sub:q == xoff || $__venvhook_sub:q == xon ) && $#__venvhook_argv == 1 ) then\
    __venvhook_export --$__venvhook_argv[1]:q\
    setenv VENVHOOK_DONE $__venvhook_code\
  endif\
  if ( $__venvhook_sub:q == xallow || $__venvhook_sub:q == xdeny || $__venvhook_sub:q == xcreate || $__venvhook_sub:q == xuse || $__venvhook_sub:q == xlink || $__venvhook_sub:q == xrm || $__venvhook_sub:q == xgc ) set __venvhook_again = 1\
  if ( $__venvhook_sub:q == xignore || $__venvhook_sub:q == xunignore ) set __venvhook_pwd = ""\
endif'

# Installed in interactive shells only: tcsh reads ~/.tcshrc for scripts too,
# and cwdcmd would run the binary on their every cd. Once, even when this file
# is loaded twice, keeping the user's own precmd (before ours) and cwdcmd
# (after ours).
if ( $?prompt ) then
  set __venvhook_user = "`alias precmd`"
  set __venvhook_user = "$__venvhook_user"
  if ( x$__venvhook_user:q == x ) then
    alias precmd __venvhook_precmd
  else if ( ! ( x$__venvhook_user:q =~ *__venvhook_precmd* ) ) then
    alias precmd "$__venvhook_user:q; __venvhook_precmd"
  endif
  set __venvhook_user = "`alias cwdcmd`"
  set __venvhook_user = "$__venvhook_user"
  if ( x$__venvhook_user:q == x ) then
    alias cwdcmd __venvhook_update
  else if ( ! ( x$__venvhook_user:q =~ *__venvhook_update* ) ) then
    alias cwdcmd "__venvhook_update; $__venvhook_user:q"
  endif
  unset __venvhook_user
  __venvhook_define_deactivate
endif

# Tab completion: at TAB time tcsh runs the backquote with COMMAND_LINE set
# to the line, and the binary says what fits (see `venvhook __complete`),
# listing folders itself. tcsh splits and globs what it prints, so it prints
# only the values that are plain words, one a line.
if ( $?prompt ) then
  complete venvhook 'p/*/`$__venvhook_bin:q __complete --folders --plain --line "$COMMAND_LINE"`/'
endif
