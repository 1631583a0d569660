#!/usr/bin/env python3
"""Calibrate page-validation on the veraPDF test corpus: does it give each file the verdict
its name states (`-pass-` or `-fail-`)?

Why: tests/it/conformance.rs trusts this validator's verdict on every PDF the tool writes.
A pass means something only if the validator fails what it should; a later version that
changes verdicts on the corpus is noticed here, before it is trusted (docs/conformance.md).

    git clone --depth 1 https://github.com/veraPDF/veraPDF-corpus /tmp/corpus
    python3 tests/conformance/calibrate.py /tmp/corpus

Prints one line per folder (files, agreeing, disagreeing) and every disagreement; exits 1
when any file gets the other verdict or cannot be read.
"""

import sys
from pathlib import Path

import page

# Folder of the corpus -> the profile its files test.
FOLDERS = {
    "PDF_A-2a": "2a",
    "PDF_A-2b": "2b",
    "PDF_A-2u": "2u",
    "PDF_A-3b": "3b",
    "PDF_UA-1": "ua1",
}


def expected(name: str) -> bool | None:
    """The verdict a corpus file's name states; None when it states none."""
    if "-pass-" in name:
        return True
    if "-fail-" in name:
        return False
    return None


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    corpus = Path(sys.argv[1])
    print(f"page-validation {page.__version__}")
    total = agree = 0
    wrong: list[str] = []
    for folder, profile in FOLDERS.items():
        files = sorted((corpus / folder).rglob("*.pdf"))
        if not files:
            print(f"{folder}: no PDF files under {corpus / folder}", file=sys.stderr)
            return 2
        n = ok = 0
        for path in files:
            want = expected(path.name)
            if want is None:
                continue
            n += 1
            try:
                got = page.validate_pdf(path, profile=profile).is_compliant
            except page.PageError as e:
                wrong.append(f"{path.relative_to(corpus)}: not read ({e})")
                continue
            if got == want:
                ok += 1
            else:
                verdict = "pass" if got else "fail"
                wrong.append(f"{path.relative_to(corpus)}: {verdict}, expected the other")
        print(f"{folder} ({profile}): {n} files, {ok} agree, {n - ok} disagree")
        total += n
        agree += ok
    print(f"total: {total} files, {agree} agree, {total - agree} disagree")
    for line in wrong:
        print(f"  {line}")
    return 0 if not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
