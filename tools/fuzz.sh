#!/usr/bin/env bash
# A longer soak of the property-based fuzz suites (crates/backstage/src/fuzz_tests.rs and
# crates/director/src/fuzz_tests.rs): the same properties `cargo test` runs with 256 cases each, here with
# PROPTEST_CASES cases each (20000 unless set; the catalog properties that parse a file in every format run a
# quarter of that). Run from anywhere. An optional first argument keeps only the properties whose name starts
# with it; further arguments go to the test binaries:
#   tools/fuzz.sh                          # every property, 20000 cases each
#   PROPTEST_CASES=2000 tools/fuzz.sh      # a shorter run
#   tools/fuzz.sh chunker                  # only the properties whose name starts with "chunker"
# A failing property prints its minimal input; turn it into a plain #[test] at the end of the same fuzz_tests.rs.
# It runs the debug build on purpose: overflow checks and debug assertions stay on, so an overflow is a failure
# here and not a silent wrap.
set -euo pipefail
cd "$(dirname "$0")/.."

export PROPTEST_CASES="${PROPTEST_CASES:-20000}"
# The same build cache as .ci/run and the developers' shells.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/shopcast-target}"
# A failure's backtrace would be printed once per shrinking step; the minimal input is what matters.
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"

filter="fuzz_tests"
if [[ $# -gt 0 ]]; then
    filter="fuzz_tests::$1"
    shift
fi

status=0
for crate in director backstage; do
    echo "== $crate: $filter, $PROPTEST_CASES cases per property"
    start=$SECONDS
    if ! cargo test -p "$crate" --lib -- "$filter" "$@"; then
        status=1
    fi
    echo "== $crate: $((SECONDS - start)) s"
done
exit $status
