# venvhook for xonsh: Python virtual environments that follow the working directory.
# Load it from ~/.xonshrc with:
#   execx(__import__('subprocess').check_output(['venvhook', 'init', 'xonsh'], text=True), 'exec', __xonsh__.ctx, filename='venvhook')
#
# On cd (on_chdir), and before each prompt is formatted (on_pre_prompt_format),
# the hook compares the folder, VIRTUAL_ENV, the presence of ./.venv and the
# pointer file that led to the env with what it saw last time, starting no
# process; the binary runs only when one of them changed, so one cd runs it
# once. The binary prints data, not code: a JSON object of the variables to set
# or unset, applied here. What it applied is in VENVHOOK_STATE. The hook's
# names start with __venvhook_ and live in the session's namespace; modules
# are imported inside functions, so a name the user rebinds (json, os, ...)
# cannot break it.

# The string literal is what `venvhook init` replaces with the binary's path.
__venvhook_bin = '::VENVHOOK::'
# For `venvhook doctor`: which shell loaded the hook (a child shell inherits this, with another pid).
__xonsh__.env['VENVHOOK_HOOK'] = f"xonsh:{__import__('os').getpid()}:{__venvhook_bin}"
# Kept when this file is loaded again: notices said, and what was seen last.
__venvhook_told = globals().get('__venvhook_told', '')
__venvhook_seen = globals().get('__venvhook_seen')
__venvhook_missing = globals().get('__venvhook_missing', False)
# The pointer file that led to what the binary found, which it sets.
__venvhook_pointer = globals().get('__venvhook_pointer', '')


def __venvhook_markers():
    import os
    env = __xonsh__.env
    return env.get('PWD'), env.get('VIRTUAL_ENV', ''), os.path.lexists('.venv'), env.get('CONDA_PREFIX', ''), __venvhook_pointer_line()


def __venvhook_pointer_line():
    """The pointer file's first line, at most 4096 bytes of it: b'' when there
    is none, it cannot be read or it is not a regular file (never a FIFO,
    whose opening would wait)."""
    import os, stat
    if not __venvhook_pointer:
        return b''
    try:
        if not stat.S_ISREG(os.stat(__venvhook_pointer).st_mode):
            return b''
        with open(__venvhook_pointer, 'rb') as file:
            return file.readline(4096).rstrip(b'\n')
    except (OSError, ValueError):
        return b''


def __venvhook_say(text):
    """One line on the shell's own stderr, where the binary's notices go too;
    in an alias's thread (cd runs in one) sys.stderr is xonsh's dispatcher to
    that command's stream."""
    import sys
    print(f'venvhook: {text}', file=sys.__stderr__, flush=True)


def __venvhook_say_missing():
    __venvhook_say(f'{__venvhook_bin} is missing; reinstall venvhook or remove the line that loads it from your xonsh rc file')


def __venvhook_run(argv, env, **streams):
    """Runs the binary and waits for it as a shell waits for a command: Ctrl-C
    reaches the binary too, which decides what to do about it. Returns its
    status and its stdout if piped (None if Ctrl-C may have cut it short), or
    None when there is no binary."""
    import subprocess
    try:
        proc = subprocess.Popen(argv, env=env, **streams)
    except OSError:
        return None
    interrupted = False
    with proc:
        while True:
            try:
                out = proc.communicate()[0]
                break
            except KeyboardInterrupt:
                interrupted = True
    # As a shell reports it: 128 + N when signal N ended it.
    status = 128 - proc.returncode if proc.returncode < 0 else proc.returncode
    return status, None if interrupted else out


def __venvhook_export(*flags):
    """Runs the binary and applies what it printed, only if it succeeded; returns its status."""
    global __venvhook_seen, __venvhook_missing, __venvhook_pointer
    import json, subprocess
    __venvhook_pointer = ''
    # Recorded first: after Ctrl-C or a failure the prompt is drawn again, and
    # the binary must not run again until something changes.
    __venvhook_seen = __venvhook_markers()
    # Not $() or !(): those would become the last command, its status and its history entry.
    # venvhook is a bun binary that lives a few ms: JavaScriptCore's JIT
    # would cost it ~2 ms of CPU per run and speed up nothing.
    env = {**__xonsh__.env.detype(), 'VENVHOOK_TOLD': __venvhook_told, 'BUN_JSC_useJIT': '0'}
    ran = __venvhook_run([__venvhook_bin, 'export', 'xonsh', *flags], env, stdout=subprocess.PIPE)
    if ran is None:
        if not __venvhook_missing:
            __venvhook_missing = True
            __venvhook_say_missing()
        return 127
    code, out = ran
    if code == 0:
        if out:
            __venvhook_apply(json.loads(out))
    elif code > 125 and code != 130:
        __venvhook_say(f'{__venvhook_bin} failed (status {code}); environment left as it was')
    __venvhook_seen = __venvhook_markers()
    __venvhook_define_deactivate()
    return code


def __venvhook_deactivate(args, stdin=None, stdout=None, stderr=None):
    """`deactivate`, typed by habit: turns venvhook's env off (venvhook off)."""
    return __venvhook_switch(['off'])


def __venvhook_define_deactivate():
    """An activate script's own deactivate replaces this one while that script
    is in force; once it has removed itself this one comes back."""
    if 'deactivate' not in aliases:
        aliases['deactivate'] = __venvhook_deactivate


def __venvhook_apply(changes):
    """Sets the hook's own variables, then sets (or, for null, unsets) each
    exported one; none of those if xonsh would not keep a value as it is: it
    expands ~ and $NAME in PATH's entries whenever it reads them, and an env's
    folder must not turn into another one on PATH."""
    globals().update(changes.get('locals', {}))
    env = __xonsh__.env
    variables = changes.get('env', {})
    before = {name: env.get(name) for name in variables}
    for name, value in variables.items():
        __venvhook_set(name, value)
    exported = env.detype()
    altered = [name for name, value in variables.items() if exported.get(name) != value]
    if altered:
        for name, value in before.items():
            __venvhook_set(name, value)
        __venvhook_say(f'xonsh would expand ~ or $NAME in {altered[0]} as venvhook sets it (see $EXPAND_ENV_VARS); environment left as it was')


def __venvhook_set(name, value):
    if value is None:
        __xonsh__.env.pop(name, None)
    else:
        # Converted as for any assignment: PATH's string becomes its list.
        __xonsh__.env[name] = value


def __venvhook_update():
    if __venvhook_markers() != __venvhook_seen:
        __venvhook_export()


def __venvhook_on_chdir(**_):
    """On cd, so `cd project && python ...` on one line already sees the env."""
    __venvhook_update()


def __venvhook_on_prompt(**_):
    """Before the prompt is formatted (on_pre_prompt would be too late for it)."""
    __venvhook_update()
    __venvhook_wrap_env_name()


def __venvhook_prompt_name():
    """'(name) ' when the env is venvhook's own ('' if VIRTUAL_ENV_DISABLE_PROMPT), else None."""
    env = __xonsh__.env
    venv = env.get('VIRTUAL_ENV', '')
    # _OLD_VIRTUAL_PATH: an activate script is in force, even if it activated the same env.
    if not venv or env.get('VENVHOOK_STATE', '').partition(':')[2] != venv or env.get('_OLD_VIRTUAL_PATH'):
        return None
    if env.get('VIRTUAL_ENV_DISABLE_PROMPT'):
        return ''
    fields = env['PROMPT_FIELDS']
    # xonsh reads the formatted prompt again for {COLOR} names: doubled braces
    # come out as the name's own.
    name = env.get('VIRTUAL_ENV_PROMPT', '').replace('{', '{{').replace('}', '}}')
    return f"{fields.pick('env_prefix') or ''}{name}{fields.pick('env_postfix') or ''}"


def __venvhook_wrap_env_name():
    """Puts venvhook's env in the {env_name} field, where xonsh's prompt shows
    an env; any other env is left to whatever defined the field (xonsh, or a
    theme, possibly after this file was loaded)."""
    fields = __xonsh__.env['PROMPT_FIELDS']
    other = fields.get('env_name')
    if getattr(other, '__venvhook__', False):
        return

    def env_name():
        ours = __venvhook_prompt_name()
        if ours is not None:
            return ours
        return other() if callable(other) else other

    env_name.__venvhook__ = True
    fields['env_name'] = env_name


def __venvhook_switch(args, stdin=None, stdout=None, stderr=None):
    """`venvhook off` and `venvhook on` (and `deactivate`): they change this
    shell, so the hook runs them, not the binary."""
    if len(args) != 1 or args[0] not in ('off', 'on'):
        __venvhook_say('usage: venvhook off | venvhook on')
        return 2
    return __venvhook_export(f'--{args[0]}')


def __venvhook_on_transform_command(cmd, **_):
    """`venvhook` is the binary (see below); a command line that is just
    `venvhook off` or `venvhook on` goes to __venvhook_switch instead."""
    words = cmd.split()
    if len(words) == 2 and words[0] == 'venvhook' and words[1] in ('off', 'on'):
        return f'__venvhook_switch {words[1]}\n'
    return cmd


def __venvhook_on_postcommand(cmd='', **_):
    """After a command line that ran `venvhook allow` (deny, create, ...), what
    should be active is applied again at once. After `venvhook ignore` or
    `unignore` the offer comes back (or goes) at the next prompt, which runs
    the binary again: there it may ask, and what it says is shown."""
    global __venvhook_seen
    import re
    if re.search(r'\bvenvhook\s+(allow|deny|create|use|link|rm|gc)\b', cmd):
        __venvhook_export('--quiet')
    elif re.search(r'\bvenvhook\s+(ignore|unignore)\b', cmd):
        __venvhook_seen = None


def __venvhook_install(event, handler):
    """Adds the handler, replacing one an earlier load of this file added; others are kept."""
    for old in [h for h in event if getattr(h, '__name__', None) == handler.__name__]:
        event.discard(old)
    event(handler)


# `venvhook` is the binary itself, run as any command: it gets the terminal
# (to ask, to show progress, for Ctrl-C), and pipes and $() read its output.
# (A function alias run on the main thread, as asking needs, hangs xonsh
# 0.13 in a pipe: the command after it is waited for first.)
# Installed in interactive shells only, and once even when this file is
# loaded twice: one handler per event, one alias.
if $XONSH_INTERACTIVE:
    __venvhook_install(events.on_chdir, __venvhook_on_chdir)
    __venvhook_install(events.on_pre_prompt_format, __venvhook_on_prompt)
    __venvhook_install(events.on_postcommand, __venvhook_on_postcommand)
    __venvhook_install(events.on_transform_command, __venvhook_on_transform_command)
    aliases['venvhook'] = [__venvhook_bin]
    aliases['__venvhook_switch'] = __venvhook_switch
    __venvhook_define_deactivate()
    __venvhook_wrap_env_name()


def __venvhook_complete(context):
    """Tab completion: the binary says what fits at TAB time (see `venvhook
    __complete`), listing folders itself, one "value<TAB>what it is" a line.
    A value that is not a plain word goes in as @('...'): xonsh expands
    $NAME even in quotes, and a Python literal is taken as it is."""
    import subprocess
    command = context.command
    # The command as typed, or as the alias `venvhook` has it by now: the binary.
    if command is None or command.arg_index < 1 or command.args[0].value not in ('venvhook', __venvhook_bin):
        return None
    words = [arg.value for arg in command.args[1:command.arg_index]] + [command.prefix]
    env = {**__xonsh__.env.detype(), 'BUN_JSC_useJIT': '0'}
    try:
        ran = subprocess.run([__venvhook_bin, '__complete', '--folders', '--', *words], env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    import re
    from xonsh.completers.tools import RichCompletion
    completions = set()
    for line in ran.stdout.decode('utf-8', 'replace').splitlines()[1:]:
        value, _, note = line.partition('\t')
        text = value if re.fullmatch(r'[\w./:+-]+', value) else f'@({value!r})'
        completions.add(RichCompletion(text, prefix_len=len(command.prefix), display=value, description=note,
                                       append_space=not value.endswith('/')))
    return completions, False


if $XONSH_INTERACTIVE:
    from xonsh.completers.completer import add_one_completer
    from xonsh.completers.tools import contextual_completer
    add_one_completer('venvhook', contextual_completer(__venvhook_complete), 'start')
