#!/usr/bin/env python3
"""Validates an archive package's XML against the schemas in src/archive/schemas, offline.

Usage: validate.py PACKAGE...   Checks PACKAGE/METS.xml and every
representations/*/METS.xml against METS 1.12.1 (with the CSIP and SIP extension
attributes), metadata/preservation/PREMIS.xml against PREMIS 3.0 and
metadata/descriptive/ERMS.xml against CITS ERMS. Prints each problem; exit 1 if any.
Needs `xmlschema` (PyPI).
"""
import glob
import os
import sys

import xmlschema

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "src", "archive", "schemas")


def local(name):
    return os.path.join(HERE, name)


# Every schema address the documents or schemas name, served from the copies here: no
# network is ever used.
URIS = {
    "http://www.loc.gov/standards/xlink/xlink.xsd": local("xlink.xsd"),
    "http://www.loc.gov/standards/mets/xlink.xsd": local("xlink.xsd"),
    "http://www.loc.gov/standards/mets/mets.xsd": local("mets.xsd"),
}


def mapper(uri):
    return URIS.get(uri, uri)


def schema(name, extra=()):
    return xmlschema.XMLSchema(
        local(name),
        uri_mapper=mapper,
        locations=[(ns, local(f)) for ns, f in extra],
        allow="local",
    )


METS = schema(
    "mets.xsd",
    [
        ("https://DILCIS.eu/XML/METS/CSIPExtensionMETS", "DILCISExtensionMETS.xsd"),
        ("https://DILCIS.eu/XML/METS/SIPExtensionMETS", "DILCISExtensionSIPMETS.xsd"),
    ],
)
PREMIS = schema("premis.xsd")
ERMS = schema("ERMS.xsd")


def check(s, path, problems):
    # The documents' own xsi:schemaLocation names the public addresses: ignored, the
    # schema given here is the one that counts.
    for e in s.iter_errors(path, use_location_hints=False):
        problems.append(f"{path}: {e.reason} at {e.path}")


def main(packages):
    problems = []
    checked = 0
    for p in packages:
        for mets in [os.path.join(p, "METS.xml")] + sorted(
            glob.glob(os.path.join(p, "representations", "*", "METS.xml"))
        ):
            check(METS, mets, problems)
            checked += 1
        check(PREMIS, os.path.join(p, "metadata", "preservation", "PREMIS.xml"), problems)
        check(ERMS, os.path.join(p, "metadata", "descriptive", "ERMS.xml"), problems)
        checked += 2
    for line in problems:
        print(line)
    print(f"{checked} documents checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
