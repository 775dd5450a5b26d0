#!/bin/sh
# Install venvhook: build it from this checkout (or take a prebuilt binary, or
# this machine's one from a folder or URL of release binaries, with --binary),
# copy it to $PREFIX/bin, and add the init line to the rc file of each shell
# the user has. Non-interactive: it never asks anything.
# Run with --help for the options.
set -eu

MARKER='# added by venvhook install.sh'
# The same marker, saying what else to undo on --uninstall: the line break it
# put at the end of a file that had none, or the file itself.
MARKER_EOL="$MARKER, with the line break above"
MARKER_NEW="$MARKER, which created this file"
ME='venvhook install'

usage() {
	cat <<'EOF'
Usage: ./install.sh [options]

Builds venvhook from this checkout (npm ci --omit=dev, bun at the version
package-lock.json pins, npm run build; a run with nothing new does none of
them; npm test needs a full npm ci), installs it to
$PREFIX/bin/venvhook (PREFIX defaults to ~/.local) and adds the init line for
each shell you have (its rc file exists, or it is your login shell) to
~/.bashrc, ~/.zshrc or ~/.config/fish/conf.d/venvhook.fish (fish: when
~/.config/fish exists). It prints each line it adds, and never adds one twice.

Options:
  --prefix DIR     install to DIR/bin (same as PREFIX=DIR)
  --binary PATH    install this prebuilt venvhook binary instead of building;
                   PATH may be a folder of release binaries (npm run build:all),
                   or its https:// or file:// URL: then venvhook-<os>-<arch>
                   for this machine is installed, after checking it against
                   the SHA256SUMS file there (a URL must have one)
  --no-modify-rc   install the binary only; print the lines to add yourself
  --uninstall      remove the binary and the lines this script added, and name
                   the folders venvhook keeps (it leaves them)
  --purge          with --uninstall: also delete those folders, except the
                   envs in venvhook's store
  --purge-envs     with --uninstall: delete them all, the store's envs too
                   (it lists them, and the projects that use them, first)
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
purge=0
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help)
		usage
		exit 0
		;;
	--no-modify-rc) modify_rc=0 ;;
	--uninstall) uninstall=1 ;;
	--purge) [ "$purge" = envs ] || purge=1 ;;
	--purge-envs) purge=envs ;;
	--prefix)
		[ $# -ge 2 ] || usage_error "--prefix needs a folder"
		prefix=$2
		shift
		;;
	--prefix=*) prefix=${1#--prefix=} ;;
	--binary)
		[ $# -ge 2 ] || usage_error "--binary needs the path or URL of a venvhook binary"
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
if [ "$purge" != 0 ] && [ "$uninstall" = 0 ]; then
	usage_error "--purge and --purge-envs go with --uninstall"
fi
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

bashrc=$HOME/.bashrc
zshrc=${ZDOTDIR:-$HOME}/.zshrc
fish_dir=${XDG_CONFIG_HOME:-$HOME/.config}/fish
fish_file=$fish_dir/conf.d/venvhook.fish

login_shell=$(basename -- "${SHELL:-sh}")
have() { command -v "$1" >/dev/null 2>&1; }

# Only shells the user has: one whose rc file (for fish: config folder, which
# fish makes when it first starts) exists, or the login shell. Having zsh or
# fish installed is not enough: a system may ship them unused.
want_bash=0
want_zsh=0
want_fish=0
if [ -f "$bashrc" ] || [ "$login_shell" = bash ]; then want_bash=1; fi
if [ -f "$zshrc" ] || [ "$login_shell" = zsh ]; then want_zsh=1; fi
if [ -d "$fish_dir" ] || [ "$login_shell" = fish ]; then want_fish=1; fi

# Whether a file has one of the three marker lines.
has_marker() {
	[ -f "$1" ] && grep -qxF -e "$MARKER" -e "$MARKER_EOL" -e "$MARKER_NEW" "$1"
}

# Whether a non-empty file lacks a line break at its end.
no_final_newline() {
	[ -s "$1" ] && [ "$(tail -c 1 "$1" | wc -l)" -eq 0 ]
}

# awk helper over an rc file, modes:
#   next:    print the line after the first marker line (nothing if none)
#   replace: replace our init line after each marker with $VH_LINE
#   remove:  drop each marker line and our init line after it, and the line
#            break a MARKER_EOL block added when nothing follows the block
# Our init line is one that mentions venvhook and "init bash|zsh", or loads
# the hook file venvhook/init/venvhook.bash|zsh (older installs wrote the
# former); a line after
# a marker that does not look like that is the user's and is kept. replace and
# remove write the file back byte for byte otherwise: a last line without a
# line break stays without one.
rc_awk() {
	noeol=0
	if no_final_newline "$2"; then noeol=1; fi
	VH_MARKER=$MARKER VH_MARKER_EOL=$MARKER_EOL VH_MARKER_NEW=$MARKER_NEW VH_LINE=${3:-} \
		awk -v mode="$1" -v noeol="$noeol" '
		function ours(s) { return s ~ /venvhook/ && (s ~ /[ \t]init[ \t]+(bash|zsh)/ || s ~ /\/init\/venvhook\.(bash|zsh)/) }
		function marker(s) { return s == ENVIRON["VH_MARKER"] || s == ENVIRON["VH_MARKER_EOL"] || s == ENVIRON["VH_MARKER_NEW"] }
		pending {
			pending = 0
			if (mode == "next") { print; exit }
			if (ours($0)) {
				if (mode == "replace") out[n++] = ENVIRON["VH_LINE"]
				else if (eol) glued = n
				next
			}
		}
		marker($0) {
			pending = 1
			eol = $0 == ENVIRON["VH_MARKER_EOL"]
			if (mode == "replace") out[n++] = $0
			next
		}
		{ out[n++] = $0 }
		END {
			if (mode == "next") exit
			last = noeol || (glued != "" && glued == n) ? "" : "\n"
			for (i = 0; i < n; i++) printf "%s%s", out[i], (i < n - 1 ? "\n" : last)
		}
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

# Lines of a change, indented, as they are in the file.
show_lines() {
	for text in "$@"; do say "    $text"; done
}

# add_rc FILE LINE SHELL
add_rc() {
	file=$1 line=$2 sh=$3 p=$(pretty "$1")
	if has_marker "$file"; then
		current=$(rc_awk next "$file")
		if [ "$current" = "$line" ]; then
			say "already present in $p"
			return 0
		fi
		case $current in
		*venvhook*" init $sh"* | *venvhook*"/init/venvhook.$sh"*)
			if read_only "$file" "change the line after '$MARKER' to: $line"; then return 0; fi
			rc_rewrite replace "$file" "$line"
			say "updated in $p: the line after the marker is now"
			show_lines "$line"
			return 0
			;;
		esac
	fi
	if [ -f "$file" ] && grep -Eq "^[^#]*venvhook[^#]*[ 	]init[ 	]+$sh" "$file"; then
		say "already present in $p (a line you wrote; left as is)"
		return 0
	fi
	if read_only "$file" "add these two lines to it yourself:$nl  $MARKER$nl  $line"; then return 0; fi
	if [ ! -e "$file" ]; then
		mkdir -p "$(dirname -- "$file")" || die "cannot create the folder of $p"
		printf '%s\n%s\n' "$MARKER_NEW" "$line" >"$file" || die "cannot write to $p"
		say "created $p (your login shell's), with:"
		show_lines "$MARKER_NEW" "$line"
	elif no_final_newline "$file"; then
		# Keep the user's last line intact; the marker says to take the break out again.
		printf '\n%s\n%s\n' "$MARKER_EOL" "$line" >>"$file" || die "cannot write to $p"
		say "added to $p, after a line break at the end of its last line (it had none):"
		show_lines "$MARKER_EOL" "$line"
	else
		printf '%s\n%s\n' "$MARKER" "$line" >>"$file" || die "cannot write to $p"
		say "added to $p, at the end:"
		show_lines "$MARKER" "$line"
	fi
}

remove_rc() {
	file=$1 p=$(pretty "$1")
	if has_marker "$file"; then
		if read_only "$file" "remove the venvhook lines from it yourself"; then return 0; fi
		created=0
		if grep -qxF "$MARKER_NEW" "$file"; then created=1; fi
		removed=$(grep -xF -A1 -e "$MARKER" -e "$MARKER_EOL" -e "$MARKER_NEW" "$file" | grep -v '^--$')
		rc_rewrite remove "$file"
		if [ "$created" = 1 ] && [ ! -s "$file" ] && [ ! -L "$file" ]; then
			rm -f "$file"
			say "removed $p (install.sh created it; it held only:)"
		else
			say "removed from $p:"
		fi
		printf '%s\n' "$removed" | while IFS= read -r text; do say "    $text"; done
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
		say "updated in $p, which now holds:"
		show_lines "$MARKER" "$fish_line"
		return 0
	fi
	if [ -f "$fish_dir/config.fish" ] &&
		grep -Eq '^[^#]*venvhook[^#]*[ 	]init[ 	]+fish' "$fish_dir/config.fish"; then
		say "already present in $(pretty "$fish_dir/config.fish") (a line you wrote; left as is)"
		return 0
	fi
	mkdir -p "$(dirname -- "$fish_file")" || die "cannot create the folder of $p"
	printf '%s\n' "$want" >"$fish_file" || die "cannot write to $p"
	say "created $p, with:"
	show_lines "$MARKER" "$fish_line"
}

remove_fish() {
	p=$(pretty "$fish_file")
	if [ -f "$fish_file" ]; then
		if [ "$(head -n 1 "$fish_file")" = "$MARKER" ]; then
			rm -f "$fish_file"
			say "removed $p (install.sh created it)"
		else
			say "left $p alone (not written by install.sh)"
		fi
	fi
}

on_path() {
	case ":${PATH:-}:" in
	*":$bindir:"* | *":$bindir/:"*) return 0 ;;
	*) return 1 ;;
	esac
}

# ---------------------------------------------------------------- venvhook's folders
# Where the binary keeps its files: src/shared/paths.ts (env-paths: XDG on
# Linux, ~/Library on macOS) and src/store/central.ts (the store).
if [ "$(uname -s 2>/dev/null)" = Darwin ]; then
	data_dir=$HOME/Library/Application\ Support/venvhook
	config_dir=$HOME/Library/Preferences/venvhook
	state_dir=$HOME/Library/Logs/venvhook
	cache_dir=$HOME/Library/Caches/venvhook
else
	data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/venvhook
	config_dir=${XDG_CONFIG_HOME:-$HOME/.config}/venvhook
	state_dir=${XDG_STATE_HOME:-$HOME/.local/state}/venvhook
	cache_dir=${XDG_CACHE_HOME:-$HOME/.cache}/venvhook
fi
case ${VENVHOOK_HOME:-} in
"") store=$data_dir/envs ;;
/*) store=$VENVHOOK_HOME ;;
*) store=$(pwd)/$VENVHOOK_HOME ;;
esac

# The store's envs, one path a line: <store>/<project>-<hash>/<label>/ with a
# pyvenv.cfg (create's unfinished ".venvhook-" folders are not envs).
store_envs() {
	for env in "$store"/*/*/; do
		env=${env%/}
		case ${env##*/} in *.venvhook-*) continue ;; esac
		if [ -f "$env/pyvenv.cfg" ]; then printf '%s\n' "$env"; fi
	done
}

# The project an env was made for, from its venvhook.json (as JSON spells it).
env_project() {
	if [ -f "$1/venvhook.json" ]; then
		sed -n 's/^ *"project": "\(.*\)",\{0,1\}$/\1/p' "$1/venvhook.json" | head -n 1
	fi
}

# The allowed .venv pointers that lead to an env, from the trust store's
# "pointers" (JSON.stringify's layout, two spaces an indent).
env_pointers() {
	[ -f "$data_dir/trust.json" ] || return 0
	physical=$(cd -- "$1" 2>/dev/null && pwd -P) || physical=$1
	awk -v env="$1" -v physical="$physical" '
		/^  "pointers": \{/ { in_pointers = 1; next }
		in_pointers && /^  [}\]]/ { in_pointers = 0 }
		in_pointers && /^    ".*": \{$/ { pointer = $0; sub(/^    "/, "", pointer); sub(/": \{$/, "", pointer) }
		in_pointers && /^      "target": "/ {
			target = $0; sub(/^      "target": "/, "", target); sub(/",?$/, "", target)
			if (target == env || target == physical) print pointer
		}
	' "$data_dir/trust.json"
}

count_envs() {
	store_envs | wc -l | tr -d ' '
}

# folder_line NAME DIR WHAT: one line of the folder list.
folder_line() {
	if [ -d "$2" ]; then
		say "  $1 $(pretty "$2"): $3"
	else
		say "  $1 $(pretty "$2"): not there"
	fi
}

list_folders() {
	say "venvhook's folders:"
	folder_line "data  " "$data_dir" "trust.json (the envs and .venv pointers you allowed), ignored.json (projects not to offer an env to)"
	folder_line "store " "$store" "venvhook's central envs, $(count_envs) of them, which projects' .venv pointers lead to (venvhook create --central, link, use)"
	folder_line "config" "$config_dir" "config.toml (your settings)"
	folder_line "state " "$state_dir" "locks/ and create.log (what the backend said when a create failed)"
	folder_line "cache " "$cache_dir" "projects/ (what the uv/Poetry/Pipenv/Hatch/PDM rules found per project; safe to delete)"
}

remove_folder() {
	if [ -e "$1" ] || [ -L "$1" ]; then
		rm -rf -- "$1" || die "cannot delete $(pretty "$1"); delete it yourself"
		say "deleted $(pretty "$1")"
	fi
}

# --purge-envs: say which envs go, and what pointed at them, before they do.
list_envs_to_delete() {
	envs=$(store_envs)
	if [ -z "$envs" ]; then
		say "no envs in venvhook's store ($(pretty "$store"))"
		return 0
	fi
	say "deleting venvhook's store, $(pretty "$store"), with these envs:"
	printf '%s\n' "$envs" | while IFS= read -r env; do
		say "  $(pretty "$env")"
		project=$(env_project "$env")
		if [ -n "$project" ]; then say "    made for the project $project"; fi
		env_pointers "$env" | while IFS= read -r pointer; do
			say "    pointed to by $pointer (that project will have no env)"
		done
	done
}

purge_folders() {
	if [ "$purge" = envs ]; then
		list_envs_to_delete
		remove_folder "$store"
		remove_folder "$data_dir"
	else
		case $store in
		"$data_dir"/*)
			# Everything in the data folder but the entry that holds the store.
			keep=${store#"$data_dir"/}
			keep=${keep%%/*}
			for entry in "$data_dir"/* "$data_dir"/.[!.]* "$data_dir"/..?*; do
				if [ "$entry" != "$data_dir/$keep" ]; then remove_folder "$entry"; fi
			done
			;;
		*) remove_folder "$data_dir" ;;
		esac
	fi
	remove_folder "$config_dir"
	remove_folder "$state_dir"
	remove_folder "$cache_dir"
	if [ "$purge" = 1 ] && [ -n "$(store_envs)" ]; then
		say "kept venvhook's store, $(pretty "$store"), with $(count_envs) envs (projects' .venv pointers lead there; allow them again if you reinstall); --uninstall --purge-envs deletes them"
	fi
}

# The hooks `venvhook init --write` wrote, which the rc lines loaded: they call the binary just removed.
remove_hook_files() {
	hooks=$data_dir/init
	[ -d "$hooks" ] || return 0
	for file in "$hooks"/venvhook.*; do
		if [ -f "$file" ] && rm -f "$file"; then say "removed $(pretty "$file")"; fi
	done
	# The data folder too, when the hooks were all it held.
	if rmdir "$hooks" 2>/dev/null; then rmdir "$data_dir" 2>/dev/null || true; fi
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
		remove_hook_files
	else
		say "rc files not touched (--no-modify-rc); remove the venvhook init lines yourself"
	fi
	if [ "$purge" = 0 ]; then
		list_folders
		say "they are kept: --uninstall --purge deletes them, except the store's envs; --uninstall --purge-envs deletes those too"
	else
		purge_folders
	fi
	if other=$(command -v venvhook 2>/dev/null) && [ "$other" != "$target" ]; then
		warn "another venvhook is still on your PATH: $other"
	fi
	say "Open a new shell (or run: exec \$SHELL) to drop the hook from this session."
	exit 0
fi

# ---------------------------------------------------------------- build
# Whether file $1 was modified after file $2 (find -newer: POSIX, unlike test -nt).
newer() {
	[ -n "$(find "$1" -prune -newer "$2" 2>/dev/null)" ]
}

# What npm run build needs, and nothing else: the runtime packages bun
# bundles (npm ci --omit=dev) and bun itself, the one dev dependency it runs,
# at the version package-lock.json pins, in a folder of its own (an npm ci
# --omit=dev leaves dev dependencies out, even one named on the command line).
# The compilers, test runners and shells of the dev dependencies are for npm test.
install_build_deps() {
	tools=node_modules/.venvhook-build # inside node_modules, so npm ci clears it too
	if [ -x node_modules/.bin/bun ] && newer node_modules/.package-lock.json package-lock.json; then
		say "==> dependencies: node_modules is up to date (from your own npm ci or npm install)"
		return 0
	fi
	if [ -x "$tools/node_modules/.bin/bun" ] && cmp -s package-lock.json "$tools/installed-for-package-lock.json"; then
		say "==> dependencies: up to date (package-lock.json is unchanged since install.sh installed them)"
		return 0
	fi
	say "==> npm ci --omit=dev (the packages venvhook bundles)"
	npm ci --omit=dev --no-audit --no-fund --no-update-notifier </dev/null || die "npm ci failed (see above)"
	bun_version=$(node -p 'require("./package-lock.json").packages["node_modules/bun"].version') ||
		die "package-lock.json names no bun version; run 'git checkout package-lock.json' and try again"
	say "==> bun $bun_version (to build; into $tools)"
	mkdir -p "$tools" || die "cannot create $(pretty "$src_dir/$tools")"
	# Its own package.json: there allowScripts lets bun's postinstall put the
	# native binary in place (npm refuses --allow-scripts for a --prefix install).
	printf '{ "private": true, "dependencies": { "bun": "%s" }, "allowScripts": { "bun": true } }\n' "$bun_version" >"$tools/package.json" ||
		die "cannot write to $(pretty "$src_dir/$tools")"
	npm install --prefix "$tools" --no-package-lock --no-audit --no-fund --no-update-notifier </dev/null ||
		die "npm install bun@$bun_version failed (see above)"
	cp package-lock.json "$tools/installed-for-package-lock.json" || die "cannot write to $(pretty "$src_dir/$tools")"
	say "(npm test needs the dev dependencies too: run 'npm ci' first)"
}

# Builds dist/venvhook unless it is newer than everything it is built from:
# src/, shells/ (whose hooks it embeds), package.json and package-lock.json.
build() {
	if [ -f dist/venvhook ] && [ -f dist/venvhook.mjs ] &&
		[ -z "$(find src shells package.json package-lock.json -newer dist/venvhook -print 2>/dev/null | head -n 1)" ]; then
		say "==> build: dist/venvhook is newer than its sources; not rebuilding"
		return 0
	fi
	install_build_deps
	say "==> npm run build"
	PATH=$src_dir/node_modules/.venvhook-build/node_modules/.bin:$PATH npm run build </dev/null ||
		die "npm run build failed (see above)"
}

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
	cd -- "$src_dir" || die "cannot enter $src_dir"
	build
	binary=$src_dir/dist/venvhook
fi

# check_sum FILE: refuse FILE unless its SHA-256 is $expected_sum. The file is
# hashed from stdin, so no file name is ever escaped in the output.
check_sum() {
	[ -r "$1" ] || die "cannot read $(pretty "$1") to check its checksum"
	actual=$(if have sha256sum; then sha256sum; else shasum -a 256; fi <"$1" | awk '{ print tolower($1) }')
	[ "$actual" = "$expected_sum" ] ||
		die "checksum mismatch for $shown: SHA256SUMS says $expected_sum, the file's is $actual; not installing it"
}

# The release binary for this machine, as npm run build:all names it.
release_name() {
	os=$(uname -s | tr '[:upper:]' '[:lower:]') # Linux -> linux, Darwin -> darwin
	case $(uname -m) in
	x86_64 | amd64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) arch=$(uname -m) ;;
	esac
	printf 'venvhook-%s-%s' "$os" "$arch"
}

# Why curl failed, from its exit status (man curl, EXIT CODES).
curl_reason() {
	case $1 in
	6) echo "cannot resolve the host" ;;
	7) echo "cannot connect to the server" ;;
	18) echo "the download was cut short" ;;
	28) echo "it timed out" ;;
	35 | 60) echo "the TLS connection failed (certificate?)" ;;
	*) echo "curl exit status $1" ;;
	esac
}

# fetch URL FILE: download with curl, else wget; one line and exit on failure.
fetch() {
	if have curl; then
		set +e
		code=$(curl -sL --connect-timeout 30 --proto "$protocols" --proto-redir "$protocols" -w '%{http_code}' -o "$2" -- "$1" 2>/dev/null)
		status=$?
		set -e
		[ "$status" = 0 ] || die "downloading $1 failed: $(curl_reason "$status"); nothing installed"
		case $code in
		2??) ;;
		*) die "downloading $1 failed: the server answered HTTP $code; nothing installed" ;;
		esac
	else
		set +e
		wget -q -S --tries=1 --timeout=30 -O "$2" -- "$1" 2>"$2.headers"
		status=$?
		set -e
		code=$(awk '$1 ~ /^HTTP\// { code = $2 } END { print code }' "$2.headers")
		case $status in
		0) ;;
		8) die "downloading $1 failed: the server answered HTTP ${code:-with an error}; nothing installed" ;;
		*) die "downloading $1 failed: wget exit status $status (network, or the download was cut short); nothing installed" ;;
		esac
	fi
}

# A release folder's URL: download this machine's binary and SHA256SUMS into a
# temporary folder, which then is the release folder. http:// only to this
# machine: a checksum fetched over plain http from elsewhere proves nothing.
download_release() {
	url=${1%/}
	case $url in
	https://*) protocols='=https' ;;
	http://127.0.0.1 | http://127.0.0.1[:/]* | http://localhost | http://localhost[:/]* | http://\[::1\] | http://\[::1\][:/]*) protocols='=http' ;;
	*) die "--binary takes https:// and file:// URLs (http:// only to 127.0.0.1 or localhost), not $url" ;;
	esac
	have curl || have wget || die "cannot download $url: neither curl nor wget is installed; install one, or download the release folder yourself and pass it"
	download_dir=$(mktemp -d "${TMPDIR:-/tmp}/venvhook-install.XXXXXX") || die "cannot create a temporary folder"
	trap cleanup EXIT
	name=$(release_name)
	say "==> downloading $name and SHA256SUMS from $url"
	fetch "$url/SHA256SUMS" "$download_dir/SHA256SUMS"
	awk -v f="$name" '$2 == f || $2 == "*" f { found = 1 } END { exit !found }' "$download_dir/SHA256SUMS" ||
		die "$url/SHA256SUMS has no line for $name (the release binary for this machine, $(uname -s) $(uname -m)); nothing installed"
	fetch "$url/$name" "$download_dir/$name"
	binary=$download_dir
	shown=$url/$name
}

# --binary's URLs: file:// is a path on this machine; the others are downloaded.
download_dir=
tmp=
cleanup() {
	if [ -n "$tmp" ]; then rm -f "$tmp"; fi
	if [ -n "$download_dir" ]; then rm -rf "$download_dir"; fi
}
trap 'exit 130' INT
trap 'exit 143' TERM
shown=
case $binary in
file://*)
	binary=${binary#file://}
	binary=${binary#localhost}
	case $binary in
	/*) ;;
	*) die "a file:// URL needs an absolute path (file:///path/to/release), not file://$binary" ;;
	esac
	;;
*://*) download_release "$binary" ;;
esac

# A folder of release binaries: pick this machine's, and its line in SHA256SUMS.
expected_sum=
if [ -d "$binary" ]; then
	release_dir=${binary%/}
	name=$(release_name)
	binary=$release_dir/$name
	[ -f "$binary" ] ||
		die "no $name in $(pretty "$release_dir") (the release binary for this machine, $(uname -s) $(uname -m)); build it with 'npm run build:all', or pass the binary itself"
	if [ -f "$release_dir/SHA256SUMS" ]; then
		have sha256sum || have shasum ||
			die "cannot check $name against SHA256SUMS: neither sha256sum nor shasum is installed"
		expected_sum=$(awk -v f="$name" '$2 == f || $2 == "*" f { print tolower($1); exit }' "$release_dir/SHA256SUMS")
		[ -n "$expected_sum" ] ||
			die "$(pretty "$release_dir/SHA256SUMS") has no line for $name; not installing it unchecked"
		: "${shown:=$(pretty "$binary")}"
		check_sum "$binary"
	fi
fi
[ -f "$binary" ] || die "no venvhook binary at $binary"
: "${shown:=$(pretty "$binary")}"

# ---------------------------------------------------------------- install
mkdir -p "$bindir" 2>/dev/null || die "cannot create $bindir; choose another folder with --prefix DIR"
tmp=$bindir/.venvhook.install.$$
trap cleanup EXIT
cp "$binary" "$tmp" 2>/dev/null || die "cannot write to $bindir; choose another folder with --prefix DIR"
# Check the copy too: what runs and is installed is exactly what was checked.
if [ -n "$expected_sum" ]; then check_sum "$tmp"; fi
chmod 755 "$tmp"
if ! version=$("$tmp" --version 2>&1 </dev/null); then
	die "$shown does not run on this machine: $(printf '%s' "$version" | head -n 1)"
fi
mv -f "$tmp" "$target" || die "cannot move the new binary to $(pretty "$target")"
tmp=
say "installed venvhook $version to $(pretty "$target")"

# The rc line loads the hook from a file the new binary writes (in the data
# folder), instead of running venvhook in every new shell; written again at
# each install, so it always matches the binary.
hook_line() {
	"$target" init "$1" --write </dev/null || die "venvhook could not write its $1 hook (see above)"
}
# Without rc changes, or with no shell of these found, the lines are shown instead.
found_none=0
if [ "$want_bash$want_zsh$want_fish" = 000 ]; then found_none=1 want_bash=1; fi
if [ "$modify_rc" = 0 ]; then want_bash=1 want_zsh=1 want_fish=1; fi
bash_line='' zsh_line='' fish_line=''
if [ "$want_bash" = 1 ]; then bash_line=$(hook_line bash) || exit 1; fi
if [ "$want_zsh" = 1 ]; then zsh_line=$(hook_line zsh) || exit 1; fi
if [ "$want_fish" = 1 ]; then fish_line=$(hook_line fish) || exit 1; fi
if [ "$modify_rc" = 0 ]; then
	say "rc files not touched (--no-modify-rc). Add these lines yourself:"
	say "  $(pretty "$bashrc"):  $bash_line"
	say "  $(pretty "$zshrc"):  $zsh_line"
	say "  $(pretty "$fish_file"):  $fish_line"
elif [ "$found_none" = 1 ]; then
	say "no bash, zsh or fish found; add the line for your shell yourself (venvhook init --help lists them all):"
	say "  bash: $bash_line"
else
	if [ -n "$bash_line" ]; then add_rc "$bashrc" "$bash_line" bash; fi
	if [ -n "$zsh_line" ]; then add_rc "$zshrc" "$zsh_line" zsh; fi
	if [ -n "$fish_line" ]; then add_fish; fi
fi

if ! on_path; then
	warn "$(pretty "$bindir") is not on your PATH. The shell hook works anyway (it uses the full path);" \
		"to type 'venvhook' add this to your shell's rc file: export PATH=\"$bindir:\$PATH\""
elif other=$(command -v venvhook 2>/dev/null) && [ "$other" != "$target" ]; then
	warn "another venvhook comes first on your PATH: $other"
fi
say "Next: open a new shell (or run: exec \$SHELL), cd into a project with a .venv and run 'venvhook allow'."
