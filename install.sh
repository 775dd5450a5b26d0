#!/bin/sh
# Install venvhook: build it from this checkout (or take a prebuilt binary, or
# this machine's one from a folder of release binaries, with --binary), copy it
# to $PREFIX/bin, and add the init line to the rc file of each shell found. Non-interactive: it never asks anything.
# Run with --help for the options.
set -eu

MARKER='# added by venvhook install.sh'
ME='venvhook install'

usage() {
	cat <<'EOF'
Usage: ./install.sh [options]

Builds venvhook from this checkout (npm ci, npm run build), installs it to
$PREFIX/bin/venvhook (PREFIX defaults to ~/.local) and adds the init line to
~/.bashrc, ~/.zshrc and ~/.config/fish/conf.d/venvhook.fish for the shells
found on this machine. Running it again never adds a line twice.

Options:
  --prefix DIR     install to DIR/bin (same as PREFIX=DIR)
  --binary PATH    install this prebuilt venvhook binary instead of building;
                   PATH may be a folder of release binaries (npm run build:all):
                   then venvhook-<os>-<arch> for this machine is installed, after
                   checking it against the SHA256SUMS file there, if there is one
  --no-modify-rc   install the binary only; print the lines to add yourself
  --uninstall      remove the binary and the lines this script added
  -h, --help       show this help
EOF
}

say() { printf '%s\n' "$*"; }
warn() { printf '%s: warning: %s\n' "$ME" "$*" >&2; }
die() {
	printf '%s: %s\n' "$ME" "$*" >&2
	exit 1
}
usage_error() {
	printf '%s: %s (see ./install.sh --help)\n' "$ME" "$*" >&2
	exit 2
}

[ -n "${HOME:-}" ] || die "HOME is not set; set it to your home folder and run again"

# ---------------------------------------------------------------- options
prefix=${PREFIX:-$HOME/.local}
binary=
modify_rc=1
uninstall=0
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help)
		usage
		exit 0
		;;
	--no-modify-rc) modify_rc=0 ;;
	--uninstall) uninstall=1 ;;
	--prefix)
		[ $# -ge 2 ] || usage_error "--prefix needs a folder"
		prefix=$2
		shift
		;;
	--prefix=*) prefix=${1#--prefix=} ;;
	--binary)
		[ $# -ge 2 ] || usage_error "--binary needs the path of a venvhook binary"
		binary=$2
		shift
		;;
	--binary=*) binary=${1#--binary=} ;;
	-*) usage_error "unknown option: $1" ;;
	*) usage_error "unexpected argument: $1" ;;
	esac
	shift
done

[ -n "$prefix" ] || usage_error "--prefix needs a folder"
case $prefix in
/*) ;;
*) prefix=$(pwd)/$prefix ;;
esac
while :; do # drop trailing slashes (but keep "/")
	case $prefix in
	?*/) prefix=${prefix%/} ;;
	*) break ;;
	esac
done
bindir=${prefix%/}/bin
target=$bindir/venvhook
nl='
'
case $target in
*"$nl"*) die "the install folder contains a newline; choose another with --prefix" ;;
esac

# ---------------------------------------------------------------- helpers
# ~/x for paths under $HOME, for messages only.
pretty() {
	case $1 in
	"$HOME"/*) printf '%s/%s' '~' "${1#"$HOME"/}" ;;
	*) printf '%s' "$1" ;;
	esac
}

# POSIX shell single quotes: ' becomes '\''
sh_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# fish single quotes: only \ and ' are special, both escaped with \
fish_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")"
}

bash_line="eval \"\$($(sh_quote "$target") init bash)\""
zsh_line="eval \"\$($(sh_quote "$target") init zsh)\""
fish_line="status is-interactive; and $(fish_quote "$target") init fish | source"

bashrc=$HOME/.bashrc
zshrc=${ZDOTDIR:-$HOME}/.zshrc
fish_dir=${XDG_CONFIG_HOME:-$HOME/.config}/fish
fish_file=$fish_dir/conf.d/venvhook.fish

login_shell=$(basename -- "${SHELL:-sh}")
have() { command -v "$1" >/dev/null 2>&1; }

want_bash=0
want_zsh=0
want_fish=0
if [ -f "$bashrc" ] || [ "$login_shell" = bash ]; then want_bash=1; fi
if [ -f "$zshrc" ] || [ "$login_shell" = zsh ] || have zsh; then want_zsh=1; fi
if [ "$login_shell" = fish ] || have fish; then want_fish=1; fi

# awk helper over an rc file, modes:
#   next:    print the line after the first marker line (nothing if none)
#   replace: replace our init line after each marker with $VH_LINE
#   remove:  drop each marker line and our init line after it
# Our init line is one that mentions venvhook and "init bash|zsh"; a line after
# a marker that does not look like that is the user's and is kept.
rc_awk() {
	VH_MARKER=$MARKER VH_LINE=${3:-} awk -v mode="$1" '
		function ours(s) { return s ~ /venvhook/ && s ~ /[ \t]init[ \t]+(bash|zsh)/ }
		pending {
			pending = 0
			if (mode == "next") { print; exit }
			if (ours($0)) { if (mode == "replace") print ENVIRON["VH_LINE"]; next }
		}
		$0 == ENVIRON["VH_MARKER"] { pending = 1; if (mode == "replace") print; next }
		mode != "next" { print }
	' "$2"
}

# Rewrite a file in place through rc_awk. The new text goes to a temporary
# file first, then is copied over the original with cat, which keeps the
# original's permissions and any symlink (dotfile managers) intact.
rc_rewrite() {
	rc_tmp=$(mktemp "$2.venvhook.XXXXXX") || die "cannot write next to $(pretty "$2")"
	if ! rc_awk "$1" "$2" "${3:-}" >"$rc_tmp"; then
		rm -f "$rc_tmp"
		die "could not rewrite $(pretty "$2")"
	fi
	cat "$rc_tmp" >"$2"
	rm -f "$rc_tmp"
}

# A file we may not change (read-only, e.g. managed by home-manager): say what
# to do by hand and go on with the other files.
read_only() {
	if [ -e "$1" ] && [ ! -w "$1" ]; then
		say "could not change $(pretty "$1") (not writable); $2"
		return 0
	fi
	return 1
}

# add_rc FILE LINE SHELL
add_rc() {
	file=$1 line=$2 sh=$3 p=$(pretty "$1")
	if [ -f "$file" ] && grep -qxF "$MARKER" "$file"; then
		current=$(rc_awk next "$file")
		if [ "$current" = "$line" ]; then
			say "already present in $p"
			return 0
		fi
		case $current in
		*venvhook*" init $sh"*)
			if read_only "$file" "change the line after '$MARKER' to: $line"; then return 0; fi
			rc_rewrite replace "$file" "$line"
			say "updated in $p (new install path)"
			return 0
			;;
		esac
	fi
	if [ -f "$file" ] && grep -Eq "^[^#]*venvhook[^#]*[ 	]init[ 	]+$sh" "$file"; then
		say "already present in $p (a line you wrote; left as is)"
		return 0
	fi
	if read_only "$file" "add these two lines to it yourself:$nl  $MARKER$nl  $line"; then return 0; fi
	mkdir -p "$(dirname -- "$file")" || die "cannot create the folder of $p"
	# Keep the user's last line intact if the file does not end with a newline.
	if [ -s "$file" ] && [ "$(tail -c 1 "$file" | wc -l)" -eq 0 ]; then
		printf '\n' >>"$file"
	fi
	printf '%s\n%s\n' "$MARKER" "$line" >>"$file" || die "cannot write to $p"
	say "added to $p"
}

remove_rc() {
	file=$1 p=$(pretty "$1")
	if [ -f "$file" ] && grep -qxF "$MARKER" "$file"; then
		if read_only "$file" "remove the venvhook lines from it yourself"; then return 0; fi
		rc_rewrite remove "$file"
		if [ ! -s "$file" ] && [ ! -L "$file" ]; then
			rm -f "$file"
			say "removed from $p (it was left empty, so it was deleted)"
		else
			say "removed from $p"
		fi
	elif [ -f "$file" ] && grep -Eq '^[^#]*venvhook[^#]*[ 	]init[ 	]' "$file"; then
		say "$p runs venvhook with a line you wrote; remove it yourself"
	fi
}

add_fish() {
	p=$(pretty "$fish_file")
	want=$(printf '%s\n%s' "$MARKER" "$fish_line")
	if [ -f "$fish_file" ]; then
		if [ "$(cat "$fish_file")" = "$want" ]; then
			say "already present in $p"
			return 0
		fi
		if [ "$(head -n 1 "$fish_file")" != "$MARKER" ]; then
			say "left $p alone (not written by install.sh); it should contain: $fish_line"
			return 0
		fi
		printf '%s\n' "$want" >"$fish_file" || die "cannot write to $p"
		say "updated in $p (new install path)"
		return 0
	fi
	if [ -f "$fish_dir/config.fish" ] &&
		grep -Eq '^[^#]*venvhook[^#]*[ 	]init[ 	]+fish' "$fish_dir/config.fish"; then
		say "already present in $(pretty "$fish_dir/config.fish") (a line you wrote; left as is)"
		return 0
	fi
	mkdir -p "$(dirname -- "$fish_file")" || die "cannot create the folder of $p"
	printf '%s\n' "$want" >"$fish_file" || die "cannot write to $p"
	say "added to $p"
}

remove_fish() {
	p=$(pretty "$fish_file")
	if [ -f "$fish_file" ]; then
		if [ "$(head -n 1 "$fish_file")" = "$MARKER" ]; then
			rm -f "$fish_file"
			say "removed $p"
		else
			say "left $p alone (not written by install.sh)"
		fi
	fi
}

data_dir() {
	if [ "$(uname -s 2>/dev/null)" = Darwin ]; then
		printf '%s' "$HOME/Library/Application Support/venvhook"
	else
		printf '%s' "${XDG_DATA_HOME:-$HOME/.local/share}/venvhook"
	fi
}

on_path() {
	case ":${PATH:-}:" in
	*":$bindir:"* | *":$bindir/:"*) return 0 ;;
	*) return 1 ;;
	esac
}

# ---------------------------------------------------------------- uninstall
if [ "$uninstall" = 1 ]; then
	if [ -e "$target" ] || [ -L "$target" ]; then
		rm -f "$target" || die "cannot remove $(pretty "$target")"
		say "removed $(pretty "$target")"
	else
		say "no venvhook at $(pretty "$target") (nothing to remove; use --prefix if you installed elsewhere)"
	fi
	if [ "$modify_rc" = 1 ]; then
		remove_rc "$bashrc"
		remove_rc "$zshrc"
		remove_fish
	else
		say "rc files not touched (--no-modify-rc); remove the venvhook init lines yourself"
	fi
	say "venvhook's data (trusted envs), if any, is kept in $(pretty "$(data_dir)"); delete that folder yourself to forget it"
	if other=$(command -v venvhook 2>/dev/null) && [ "$other" != "$target" ]; then
		warn "another venvhook is still on your PATH: $other"
	fi
	say "Open a new shell (or run: exec \$SHELL) to drop the hook from this session."
	exit 0
fi

# ---------------------------------------------------------------- build
if [ -z "$binary" ]; then
	src_dir=$(cd -- "$(dirname -- "$0")" && pwd -P) ||
		die "cannot find the folder install.sh is in; run it from a venvhook checkout or pass --binary PATH"
	if [ ! -f "$src_dir/package.json" ] || ! grep -q '"name": *"venvhook"' "$src_dir/package.json"; then
		die "$src_dir is not a venvhook checkout (no package.json); run install.sh from the repository or pass --binary PATH"
	fi
	have node || die "node is not installed; install Node.js >= 20 and npm, or pass --binary PATH"
	have npm || die "npm is not installed; install npm (it comes with Node.js), or pass --binary PATH"
	node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	[ "$node_major" -ge 20 ] 2>/dev/null ||
		die "node $(node --version 2>/dev/null || echo '?') is too old; venvhook needs Node.js >= 20"
	say "==> npm ci (in $(pretty "$src_dir"))"
	(cd -- "$src_dir" && npm ci --no-audit --no-fund </dev/null) || die "npm ci failed (see above)"
	say "==> npm run build"
	(cd -- "$src_dir" && npm run build </dev/null) || die "npm run build failed (see above)"
	binary=$src_dir/dist/venvhook
fi

# check_sum FILE: refuse FILE unless its SHA-256 is $expected_sum. The file is
# hashed from stdin, so no file name is ever escaped in the output.
check_sum() {
	[ -r "$1" ] || die "cannot read $(pretty "$1") to check its checksum"
	actual=$(if have sha256sum; then sha256sum; else shasum -a 256; fi <"$1" | awk '{ print tolower($1) }')
	[ "$actual" = "$expected_sum" ] ||
		die "checksum mismatch for $(pretty "$binary"): SHA256SUMS says $expected_sum, the file's is $actual; not installing it"
}

# A folder of release binaries: pick this machine's, and its line in SHA256SUMS.
expected_sum=
if [ -d "$binary" ]; then
	release_dir=${binary%/}
	os=$(uname -s | tr '[:upper:]' '[:lower:]') # Linux -> linux, Darwin -> darwin
	case $(uname -m) in
	x86_64 | amd64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) arch=$(uname -m) ;;
	esac
	name=venvhook-$os-$arch
	binary=$release_dir/$name
	[ -f "$binary" ] ||
		die "no $name in $(pretty "$release_dir") (the release binary for this machine, $(uname -s) $(uname -m)); build it with 'npm run build:all', or pass the binary itself"
	if [ -f "$release_dir/SHA256SUMS" ]; then
		have sha256sum || have shasum ||
			die "cannot check $name against SHA256SUMS: neither sha256sum nor shasum is installed"
		expected_sum=$(awk -v f="$name" '$2 == f || $2 == "*" f { print tolower($1); exit }' "$release_dir/SHA256SUMS")
		[ -n "$expected_sum" ] ||
			die "$(pretty "$release_dir/SHA256SUMS") has no line for $name; not installing it unchecked"
		check_sum "$binary"
	fi
fi
[ -f "$binary" ] || die "no venvhook binary at $binary"

# ---------------------------------------------------------------- install
mkdir -p "$bindir" 2>/dev/null || die "cannot create $bindir; choose another folder with --prefix DIR"
tmp=$bindir/.venvhook.install.$$
trap 'rm -f "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cp "$binary" "$tmp" 2>/dev/null || die "cannot write to $bindir; choose another folder with --prefix DIR"
# Check the copy too: what runs and is installed is exactly what was checked.
if [ -n "$expected_sum" ]; then check_sum "$tmp"; fi
chmod 755 "$tmp"
if ! version=$("$tmp" --version 2>&1 </dev/null); then
	die "$binary does not run on this machine: $(printf '%s' "$version" | head -n 1)"
fi
mv -f "$tmp" "$target" || die "cannot move the new binary to $(pretty "$target")"
trap - EXIT
say "installed venvhook $version to $(pretty "$target")"

if [ "$modify_rc" = 1 ]; then
	if [ "$want_bash" = 1 ]; then add_rc "$bashrc" "$bash_line" bash; fi
	if [ "$want_zsh" = 1 ]; then add_rc "$zshrc" "$zsh_line" zsh; fi
	if [ "$want_fish" = 1 ]; then add_fish; fi
	if [ "$want_bash$want_zsh$want_fish" = 000 ]; then
		say "no bash, zsh or fish found; add the init line for your shell yourself:"
		say "  bash: $bash_line"
	fi
else
	say "rc files not touched (--no-modify-rc). Add these lines yourself:"
	say "  $(pretty "$bashrc"):  $bash_line"
	say "  $(pretty "$zshrc"):  $zsh_line"
	say "  $(pretty "$fish_file"):  $fish_line"
fi

if ! on_path; then
	warn "$(pretty "$bindir") is not on your PATH. The shell hook works anyway (it uses the full path);" \
		"to type 'venvhook' add this to your shell's rc file: export PATH=\"$bindir:\$PATH\""
elif other=$(command -v venvhook 2>/dev/null) && [ "$other" != "$target" ]; then
	warn "another venvhook comes first on your PATH: $other"
fi
say "Next: open a new shell (or run: exec \$SHELL), cd into a project with a .venv and run 'venvhook allow'."
