#!/usr/bin/env bash
# tcp-timeline's one entry point.
#   ./build.sh build          wasm (www/pkg) + native CLI (target/release/tcp-timeline)
#   ./build.sh serve [PORT]   build, then serve the page on http://127.0.0.1:PORT/ (default 8000)
#   ./build.sh test           fmt, clippy, cargo test, a short fuzz run, the JS's types, CLI vs tshark,
#                             browser tests
#   ./build.sh fuzz [SECONDS] every fuzz target for SECONDS each (default 60)
#   ./build.sh bench [RUNS]   speed and memory: page, wasm, CLI vs tshark and Wiregasm (RUNS each, default 3)
#   ./build.sh bench big      a 4.66 GB capture opened in the page (time, first rows, memory)
# Every subcommand installs what it lacks, so on a fresh machine it is the whole set-up.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

WASM_TARGET=wasm32-unknown-unknown
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' crate/Cargo.toml)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
# Installs Debian packages whose command is missing: ensure_apt COMMAND PACKAGE...
ensure_apt() {
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $* (Debian)"
  if [ $APT_UPDATED = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_rust() {
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    log "adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    # Must match the wasm-bindgen crate exactly. Without --locked: resolution fails with it here.
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_node_modules() {
  ensure_apt node nodejs npm
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

build() {
  ensure_rust
  ensure_node_modules
  log "building the WebAssembly core"
  cargo build --release --target "$WASM_TARGET" -p tcp-timeline --lib
  rm -rf www/pkg
  wasm-bindgen --target web --out-dir www/pkg "target/$WASM_TARGET/release/tcp_timeline.wasm"
  # Debian's binaryen 108 emits modules that fail to load; the npm package's wasm-opt works.
  if [ -x node_modules/.bin/wasm-opt ]; then
    log "wasm-opt -O3"
    node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals \
      www/pkg/tcp_timeline_bg.wasm -o www/pkg/tcp_timeline_bg.wasm.opt
    mv www/pkg/tcp_timeline_bg.wasm.opt www/pkg/tcp_timeline_bg.wasm
  fi
  log "building the native CLI"
  cargo build --release -p tcp-timeline --bin tcp-timeline
  local size
  size=$(gzip -9c www/pkg/tcp_timeline_bg.wasm | wc -c)
  log "www/pkg/tcp_timeline_bg.wasm: $(($(wc -c <www/pkg/tcp_timeline_bg.wasm) / 1024)) KiB, $((size / 1024)) KiB gzipped"
}

serve() {
  local port=${1:-${PORT:-8000}}
  build
  log "serving $ROOT on http://127.0.0.1:$port/  (Ctrl+C to stop)"
  echo "Open http://127.0.0.1:$port/ and click \"Open the tutorial's capture\"."
  exec node tests/support/server.mjs --root "$ROOT" --port "$port"
}

FUZZ_TARGETS="capture_reader frame_decoder tcp_analysis http_parser whole_pipeline display_filter detail_tree ladder_renderer frame_batch"

# cargo fuzz needs nightly Rust (for the sanitizers) and the cargo-fuzz tool.
ensure_fuzz() {
  if ! cargo +nightly --version >/dev/null 2>&1; then
    log "installing the nightly toolchain (cargo fuzz needs it)"
    rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || return 1
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz (once)"
    cargo install cargo-fuzz >/dev/null 2>&1 || return 1
  fi
}

# Runs every fuzz target for $1 seconds, seeded with the shared captures. A crash stops with
# the input's path; save it under tests/fuzz-regressions/ (named after its target), where
# `cargo test` replays it on every run.
fuzz() {
  local seconds=${1:-60}
  if ! ensure_fuzz; then
    log "cargo fuzz is not available here (no nightly Rust or cargo-fuzz); fuzzing skipped"
    return 0
  fi
  local shared=${TCP_TIMELINE_SHARED:-$ROOT/../shared}
  for target in $FUZZ_TARGETS; do
    mkdir -p "fuzz/corpus/$target"
    if [ -d "$shared/captures" ]; then
      find "$shared/captures" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) -size -256k |
        while read -r file; do
          seed="fuzz/corpus/$target/$(basename "$file")"
          [ -e "$seed" ] && continue
          # capture_reader's first byte picks the chunk size.
          if [ "$target" = capture_reader ]; then { printf '\006'; cat "$file"; } >"$seed"; else cp "$file" "$seed"; fi
        done
    fi
    log "fuzzing $target for ${seconds}s"
    local out="$ROOT/target/fuzz-$target.log"
    mkdir -p "$ROOT/target"
    if ! (cd fuzz && cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -max_len=65536 \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$out" 2>&1); then
      grep -E '^(==|SUMMARY|thread|Test unit written|artifact_prefix)' "$out" | tail -20 >&2
      echo "fuzz target $target failed (full log: $out): the input is under fuzz/artifacts/$target/;" \
        "copy it to tests/fuzz-regressions/$target-<what>.bin and fix the bug" >&2
      return 1
    fi
    grep -E '^(Done|stat::number_of_executed_units)' "$out" || true
  done
}

run_tests() {
  ensure_apt tshark tshark
  ensure_apt chromium chromium chromium-driver
  ensure_rust
  log "cargo fmt --check"
  cargo fmt --all -- --check
  log "cargo clippy (native, and the WebAssembly shell)"
  cargo clippy --all-targets -- -D warnings
  cargo clippy --lib --target "$WASM_TARGET" -- -D warnings
  log "cargo test"
  cargo test --all-targets
  fuzz "${FUZZ_SECONDS:-5}"
  build
  # The JavaScript's types, against the core's as wasm-bindgen just generated them
  # (www/pkg/tcp_timeline.d.ts); a dev tool, needed by no other command.
  log "tsc --noEmit (tsconfig.json: the page, its Workers, the tests)"
  node_modules/.bin/tsc -b
  # The versions first, so that a failure names what it ran against (a new Chromium or tshark
  # can change what a test sees).
  log "end-to-end tests (CLI vs tshark, browser) with $(chromium --version 2>/dev/null | head -1 || echo 'no chromium'), $(tshark --version 2>/dev/null | head -1 || echo 'no tshark'), Node.js $(node --version)"
  node --test --test-concurrency=1 tests/
}

BENCH_FRAMES=1000000
WIREGASM_VERSION=1.9.1

# Speed and memory on a generated capture of a million frames (pcap and pcapng): the page in
# headless Chromium, the wasm core in Node, the CLI, tshark and Wiregasm; medians of $1 runs
# (default 3) into bench/results.md. Never part of `test`.
bench() {
  if [ "${1:-}" = big ]; then
    bench_big
    return
  fi
  local runs=${1:-3}
  ensure_apt tshark tshark
  ensure_apt chromium chromium
  ensure_apt /usr/bin/time time
  build
  # Wiregasm (Wireshark compiled to WebAssembly) for comparison, into bench/node_modules only.
  if [ "$(node -p "require('./bench/node_modules/@goodtools/wiregasm/package.json').version" 2>/dev/null)" != "$WIREGASM_VERSION" ]; then
    log "npm install @goodtools/wiregasm@$WIREGASM_VERSION into bench/node_modules (about 90 MB, once)"
    local npm_log="$ROOT/target/bench-npm.log"
    if ! npm install --prefix bench --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "@goodtools/wiregasm@$WIREGASM_VERSION" >"$npm_log" 2>&1; then
      export WIREGASM_MISSING="npm install @goodtools/wiregasm@$WIREGASM_VERSION failed: $(tail -1 "$npm_log")"
      log "$WIREGASM_MISSING"
    fi
  fi
  mkdir -p bench/data
  local cli=target/release/tcp-timeline files=() file flag
  for flag in "" --pcapng; do
    file=bench/data/bench-1m.pcap${flag:+ng}
    files+=("$file")
    # Kept while newer than the generator that made it.
    if [ -s "$file" ] && [ "$file" -nt "$cli" ]; then continue; fi
    log "generating $file ($BENCH_FRAMES frames, seed 1)"
    "$cli" generate "$file" --frames "$BENCH_FRAMES" --seed 1 $flag
  done
  log "benchmark: $runs run(s) of each tool on each file (a few minutes per run)"
  node bench/bench.mjs --runs "$runs" --out bench/results.md "${files[@]}"
}

# A 4.66 GB capture (4.5 M frames, one bulk transfer) opened in the page: the list while it is
# read, the time to load it and the tab's memory (bench/big.mjs). About 5 GB of disk, kept in
# bench/data for the next run.
bench_big() {
  ensure_apt chromium chromium
  build
  mkdir -p bench/data
  node bench/big.mjs bench/data/big-4g.pcap
}

case "${1:-build}" in
  build) build ;;
  serve) shift; serve "$@" ;;
  test) run_tests ;;
  fuzz) shift; fuzz "$@" ;;
  bench) shift; bench "$@" ;;
  *) echo "usage: $0 build | serve [PORT] | test | fuzz [SECONDS] | bench [RUNS|big]" >&2; exit 2 ;;
esac
