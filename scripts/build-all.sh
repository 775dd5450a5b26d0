#!/bin/sh
# npm run build:all: venvhook for every released platform, into dist/release/,
# with SHA256SUMS (sha256sum's format; check with: cd dist/release && sha256sum -c SHA256SUMS).
# bun fetches each target's runtime from the npm registry (@oven/bun-<os>-<arch>)
# once, and caches it in ~/.bun/install/cache.
set -eu
cd -- "$(dirname -- "$0")/.."

# Exactly the flags of package.json's "build" script (test/e2e/build-all.test.ts
# keeps the two equal). The --no-compile-autoload-* flags matter for security:
# without them the binary loads .env, bunfig.toml (whose preload runs code),
# tsconfig.json and package.json from whatever folder it is run in.
# --bytecode is kept for every target: since bun 1.4.1 the bytecode cache is
# portable (oven-sh/bun#40270; older bun made cross-compiled --bytecode binaries
# that crashed on start, #18416). bun does not refuse it for any target here.
# --compile-exec-argv (any value; --no-deprecation changes nothing venvhook
# does) lets the binary start in a deleted working folder and say so itself:
# without it bun 1.4 exits first with its own "error: The current working
# directory was deleted" (oven-sh/bun#40372 would make it the default).
flags='--bytecode --minify --compile-exec-argv=--no-deprecation --no-compile-autoload-dotenv --no-compile-autoload-bunfig --no-compile-autoload-tsconfig --no-compile-autoload-package-json'
targets='linux-x64 linux-arm64 darwin-x64 darwin-arm64 windows-x64'

bun=node_modules/.bin/bun # the version package-lock.json pins
[ -x "$bun" ] || bun=bun
out=dist/release
rm -rf "$out"
mkdir -p "$out"

for t in $targets; do
	name=venvhook-$t
	case $t in windows-*) name=$name.exe ;; esac
	printf '==> %s\n' "$name"
	# shellcheck disable=SC2086 # $flags is a list of words
	"$bun" build --compile $flags --target="bun-$t" src/main.ts --outfile "$out/$name"
done

cd "$out"
if command -v sha256sum >/dev/null 2>&1; then
	sha256sum -- venvhook-* >SHA256SUMS
else
	shasum -a 256 -- venvhook-* >SHA256SUMS # macOS
fi
ls -l venvhook-* SHA256SUMS
