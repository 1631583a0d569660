#!/bin/sh
# Runs pandoc's DOCX test corpus (test/docx, GPL: not vendored here) through the DOCX word
# accounting, each file built alone as a bilaga; prints how many built with every word
# accounted, built with words missing, not built — with the vendored corpora's figures.
#
#   tests/corpora/docx/pandoc.sh [PANDOC_CHECKOUT]
#
# Without an argument, pandoc is cloned (shallow) into a temporary folder.
set -eu
here=$(cd "$(dirname "$0")/../../.." && pwd)
checkout=${1:-}
if [ -z "$checkout" ]; then
    checkout=$(mktemp -d)
    trap 'rm -rf "$checkout"' EXIT
    git clone --quiet --depth 1 https://github.com/jgm/pandoc "$checkout"
fi
cd "$here"
PANDOC_DOCX="$checkout/test/docx" cargo test --test it docx_corpora_report -- --ignored --nocapture
