#!/usr/bin/env python3
"""Validates one PDF with page-validation against the profiles given, for tests/it/conformance.rs.

    python3 tests/conformance/validate.py FILE.pdf 2a ua1

Prints one line per profile ("PDF/A-2a: compliant", or "not compliant" and every failed rule
with its id, message and object); exits 0 when every profile passes, 1 when one fails, 2 when
the file cannot be read. `--version` prints the validator's version.
"""

import sys

import page


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        print(page.__version__)
        return 0
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, profiles = sys.argv[1], sys.argv[2:]
    status = 0
    for profile in profiles:
        try:
            report = page.validate_pdf(path, profile=profile)
        except page.PageError as e:
            print(f"{profile}: not read: {type(e).__name__}: {e}")
            return 2
        value = report.profile.value
        name = "PDF/UA-1" if value == "ua1" else f"PDF/A-{value}"
        if report.is_compliant:
            print(f"{name}: compliant ({report.rules.total} rules)")
            continue
        status = 1
        print(f"{name}: NOT compliant ({report.rules.failed} of {report.rules.total} rules failed)")
        for f in report.failures:
            at = f" (object {f.object_id.object_number})" if f.object_id else ""
            print(f"  {f.rule_id}: {f.message}{at}")
    return status


if __name__ == "__main__":
    sys.exit(main())
