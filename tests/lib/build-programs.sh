# Sourced by the build scripts of test programs whose binaries are checked against their
# sources (tests/guest/build.sh, tests/proc/build.sh), from their own directory:
# src/NAME.c -> bin/NAME.wasm, compiled in parallel, each source that built hashed for
# bin/sources.sha256.
#
# The caller sets CC, CFLAGS, LIBS (may be empty), JOBS and NAME_WIDTH (the column of the
# names printed), then runs build_programs, writes bin/sources.sha256 with its own inputs
# first and then built_hashes, and ends with finish_build.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p bin

build_one() {
  local src=$1 name out
  name=$(basename "$src" .c)
  out="bin/$name.wasm"
  # shellcheck disable=SC2086
  if "$CC" $CFLAGS "$src" $LIBS -o "$out.tmp" 2>"$tmp/$name.err"; then
    mv "$out.tmp" "$out"
    sha256sum "$src" | sed 's#  src/#  #' >"$tmp/$name.sha"
    printf "built %-${NAME_WIDTH}s %7d bytes\n" "$out" "$(stat -c %s "$out")"
  else
    rm -f "$out.tmp"
    cat "$tmp/$name.err" >&2
    printf 'FAILED %s\n' "$src" >&2
    return 1
  fi
}

# Compiles every src/*.c (build_status 1 if one failed) and removes binaries whose source is gone.
build_programs() {
  export -f build_one
  export CC CFLAGS LIBS NAME_WIDTH tmp
  build_status=0
  printf '%s\n' src/*.c | xargs -P "$JOBS" -I{} bash -c 'build_one "$@"' _ {} || build_status=1
  for wasm in bin/*.wasm; do
    [ -e "src/$(basename "$wasm" .wasm).c" ] || { rm -f "$wasm"; echo "removed $wasm (no source)"; }
  done
}

# The hash line of each source that built, in name order.
built_hashes() {
  cat "$tmp"/*.sha 2>/dev/null | sort -k2
}

# Says how many programs were built; exits 1 if one failed.
finish_build() {
  local count
  count=$(ls "$tmp"/*.sha 2>/dev/null | wc -l)
  if [ "$build_status" -ne 0 ]; then
    echo "build.sh: some programs failed to compile ($count built)" >&2
    exit 1
  fi
  echo "build.sh: $count programs built"
}
