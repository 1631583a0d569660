#!/usr/bin/env python3
"""Runs eark-validate on packages and prints, per package, its verdict and the rule ids of
its errors: the calibration of docs/archive.md, to repeat when eark-validator changes.

Usage: calibrate.py PACKAGE...   (folders or .zip; fetch the official examples first)
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def verdict(package):
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "eark-validate"), package],
        capture_output=True,
        text=True,
    )
    text = out.stdout
    if "{" not in text:
        return "crashed", [out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "no report"]
    report = json.loads(text[text.index("{"):])
    errors = []
    for m in report["structure"].get("messages", []):
        if m["severity"] == "Error":
            errors.append(m["rule_id"])
    for part in report.get("metadata", {}).values():
        for m in part.get("messages", []):
            if m["severity"] == "Error":
                errors.append(m["rule_id"])
    return ("valid" if not errors else "invalid"), errors


for package in sys.argv[1:]:
    result, errors = verdict(package)
    print(f"{os.path.basename(package.rstrip('/'))}: {result} {' '.join(errors)}")
