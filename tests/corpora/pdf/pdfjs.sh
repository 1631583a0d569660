#!/bin/sh
# Runs pdf.js's test PDFs (test/pdfs: only the files stored in the repository, up to 30 kB;
# the `.link` entries point elsewhere) through the PDF word accounting, each file built alone
# as a bilaga; prints how many built with every drawn word accounted, built with words lost,
# refused as documented, not built — and the files of each kind.
#
#   tests/corpora/pdf/pdfjs.sh [PDFJS_CHECKOUT]
#
# Without an argument, pdf.js is cloned (shallow) into a temporary folder. Needs poppler-utils.
set -eu
here=$(cd "$(dirname "$0")/../../.." && pwd)
checkout=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$checkout" ]; then
    checkout="$work/pdf.js"
    git clone --quiet --depth 1 https://github.com/mozilla/pdf.js "$checkout"
fi
mkdir "$work/pdfs"
find "$checkout/test/pdfs" -maxdepth 1 -name '*.pdf' -size -30721c -exec cp {} "$work/pdfs/" \;
cd "$here"
PDF_CORPUS="$work/pdfs" cargo test --test it pdf_corpus_report -- --ignored --nocapture
