# venvhook for elvish: Python virtual environments that follow the working directory.
# Load it from ~/.config/elvish/rc.elv with:  eval (venvhook init elvish | slurp)
#
# On cd (after-chdir), and before each prompt (edit:before-readline), the hook
# compares the folder, VIRTUAL_ENV, the presence of ./.venv and the pointer
# file that led to the env with what it saw last time, using builtins only;
# the binary runs only when one of them changed, so one cd runs it once. What
# the binary applied is in VENVHOOK_STATE.
#
# `eval` runs this in a namespace of its own that is dropped afterwards: the
# handlers below keep it alive, and the REPL gets `venvhook` and the hook's
# state `$__venvhook:` (e.g. `set __venvhook:bin = ...`) through edit:add-var.

use path
use str

var __venvhook: = (ns [
  &bin=::VENVHOOK::
  &told=''
  &pwd=$nil
  &venv=$nil
  &here=$nil
  &conda=$nil
  &pointer=''
  &pointed=''
  &code=0
  &missing=$false
  &user-prompt=$nil
])
# For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
set-env VENVHOOK_HOOK 'elvish:'$pid':'$__venvhook:bin

# The line editor (edit:) exists only in an interactive shell, and code naming
# it does not compile elsewhere: it is looked up when this runs (at the top
# level, where eval sees the caller's variables), so the hook loads in scripts too.
var ed: = (ns [&])
var interactive = (eq $ok ?(set ed: = (eval 'put $edit:')))

# Whether ./.venv exists, or is a symbolic link (even a dangling one).
fn venvhook-has-venv-here {
  try {
    nop (path:eval-symlinks .venv)
    put $true
  } catch e {
    # A dangling link fails on its target's name, a missing .venv on its own.
    var err = (put $e[reason] | to-json | from-json)
    put (not (and (eq (kind-of $err) map) (has-key $err Path) (eq $err[Path] .venv)))
  }
}

# The first line of the pointer file that led to what the binary found
# ($__venvhook:pointer, which it sets): '' when there is none, it cannot be
# read or it is not a regular file (never a FIFO, whose opening would wait).
# elvish (0.19) has no bounded read: read-upto stops at the first newline,
# reading a byte at a time.
fn venvhook-pointer-line {
  var file = $__venvhook:pointer
  if (or (eq $file '') (not (path:is-regular &follow-symlink=$true $file))) {
    put ''
    return
  }
  try {
    str:trim-suffix (read-upto "\n" < $file) "\n"
  } catch {
    put ''
  }
}

# The status of a failed command as the other shells report it: 128+N for signal N.
fn venvhook-status {|e|
  var r = $e[reason]
  if (and (has-key $r type) (eq $r[type] external-cmd/exited)) {
    put $r[exit-status]
  } elif (and (has-key $r type) (eq $r[type] external-cmd/signaled)) {
    + 128 $r[signal-number]
  } else {
    # Could not be started (exec format, permissions), as POSIX shells say.
    put 126
  }
}

# Runs the binary and evaluates what it printed, only if it succeeded.
fn venvhook-export {|@flags|
  # Recorded first: after Ctrl-C or a failure the prompt comes back, and the
  # binary must not run again until something changes.
  set __venvhook:pwd = $pwd
  set __venvhook:venv = $E:VIRTUAL_ENV
  set __venvhook:here = (venvhook-has-venv-here)
  set __venvhook:conda = $E:CONDA_PREFIX
  set __venvhook:pointer = ''
  var bin = $__venvhook:bin
  set __venvhook:code = 127
  if (has-external $bin) {
    var out = ''
    var code = 0
    try {
      tmp E:VENVHOOK_TOLD = $__venvhook:told
      # venvhook is a bun binary that lives a few ms: JavaScriptCore's JIT
      # would cost it ~2 ms of CPU per run and speed up nothing.
      tmp E:BUN_JSC_useJIT = 0
      set out = ($bin export elvish $@flags | slurp)
    } catch e {
      set code = (venvhook-status $e)
    }
    set __venvhook:code = $code
    if (== $code 0) {
      # A namespace of its own, holding only the shell-local variables it may update.
      var locals = (ns [&__venvhook_told=$__venvhook:told &__venvhook_pointer=''])
      eval $out &ns=$locals
      set __venvhook:told = $locals[__venvhook_told]
      set __venvhook:pointer = $locals[__venvhook_pointer]
    } elif (and (> $code 125) (!= $code 130)) {
      echo 'venvhook: '$bin' failed (status '$code'); environment left as it was' >&2
    }
  } elif (not $__venvhook:missing) {
    set __venvhook:missing = $true
    echo 'venvhook: '$bin' is missing; reinstall venvhook or remove the line that loads it from your rc.elv' >&2
  }
  set __venvhook:venv = $E:VIRTUAL_ENV
  set __venvhook:pointed = (venvhook-pointer-line)
}

fn venvhook-update {
  if (or (not-eq $pwd $__venvhook:pwd) (not-eq $E:VIRTUAL_ENV $__venvhook:venv) (not-eq (venvhook-has-venv-here) $__venvhook:here) (not-eq $E:CONDA_PREFIX $__venvhook:conda) (not-eq (venvhook-pointer-line) $__venvhook:pointed)) {
    venvhook-export
  }
}

# Ours when VENVHOOK_STATE is "<applied>:$VIRTUAL_ENV" (a path may hold colons:
# the part after the first one must be all of it).
fn venvhook-shows-env {
  var state = $E:VENVHOOK_STATE
  var colon = (str:index $state :)
  # _OLD_VIRTUAL_PATH: an activate script is in force, even if it activated the same env.
  and (!=s $E:VIRTUAL_ENV '') (>= $colon 0) (eq $state[(+ $colon 1)..] $E:VIRTUAL_ENV) (eq $E:VIRTUAL_ENV_DISABLE_PROMPT '') (eq $E:_OLD_VIRTUAL_PATH '')
}

# The name goes out as a plain string: the prompt shows it, never evaluates it.
fn venvhook-prompt {
  if (venvhook-shows-env) {
    put '('$E:VIRTUAL_ENV_PROMPT') '
  }
  $__venvhook:user-prompt
}

# Wraps whatever prompt is current (a theme or starship may set it after this
# file is loaded), once.
fn venvhook-wrap-prompt {
  if (not (is $ed:prompt $venvhook-prompt~)) {
    set __venvhook:user-prompt = $ed:prompt
    set ed:prompt = $venvhook-prompt~
  }
}

fn venvhook-on-chdir {|_|
  venvhook-update
}

fn venvhook-before-readline {
  venvhook-update
  venvhook-wrap-prompt
}

# Runs the binary, then re-applies at once after commands that change what
# should be active; fails as the binary did. off and on are the hook's own:
# only it can change this shell.
fn venvhook {|@args|
  if (and (> (count $args) 0) (has-value [off on] $args[0])) {
    if (> (count $args) 1) {
      fail 'venvhook: '$args[0]' takes no arguments'
    }
    venvhook-export '--'$args[0]
    if (!= $__venvhook:code 0) {
      fail 'venvhook '$args[0]' failed (status '$__venvhook:code')'
    }
    return
  }
  var failed = ?($__venvhook:bin $@args)
  if (and (> (count $args) 0) (has-value [allow deny create use link rm gc] $args[0])) {
    venvhook-export --quiet
  } elif (and (> (count $args) 0) (has-value [ignore unignore] $args[0])) {
    # The offer comes back (or goes) at the next prompt, which runs the binary
    # again: there it may ask, and what it says is shown.
    set __venvhook:pwd = $nil
  }
  if (not-eq $failed $ok) {
    fail $failed
  }
}

# `deactivate`, typed by habit, turns venvhook's env off (venvhook off); no
# activate script is made for elvish.
fn deactivate {
  venvhook off
}

# A handler from an earlier load of this file: closures show their source.
fn venvhook-installed {
  for f $after-chdir {
    if (try { str:contains $f[body] venvhook-update } catch { put $false }) {
      put $true
      return
    }
  }
  put $false
}

# Installed in interactive shells only, once even when this file is loaded
# twice, after the handlers already there.
if (and $interactive (not (venvhook-installed))) {
  set after-chdir = [$@after-chdir $venvhook-on-chdir~]
  set ed:before-readline = [$@ed:before-readline $venvhook-before-readline~]
  ed:add-var venvhook~ $venvhook~
  ed:add-var deactivate~ $deactivate~
  ed:add-var __venvhook: $__venvhook:
}

# Tab completion: the binary says what fits at TAB time (see `venvhook
# __complete`), listing folders itself, one "value<TAB>what it is" a line.
# elvish inserts each value quoted as one word: never evaluated. A folder
# takes no space after it, so its name can go on.
fn venvhook-complete {|@words|
  var args = $words[1..]
  var lines = []
  try {
    tmp E:BUN_JSC_useJIT = 0
    set lines = [($__venvhook:bin __complete --folders -- $@args 2>/dev/null | from-lines)]
  } catch {
    return
  }
  for line $lines[1..] {
    var value note = (str:split "\t" $line)
    var suffix = (if (str:has-suffix $value /) { put '' } else { put ' ' })
    ed:complex-candidate $value &display=$value' '$note &code-suffix=$suffix
  }
}
# (A line editor without the completion module, as in the hook's unit tests, completes nothing.)
if (and $interactive (has-key $ed: completion:)) {
  set ed:completion:arg-completer[venvhook] = $venvhook-complete~
}
