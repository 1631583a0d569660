#!/usr/bin/env python3
"""The merge step of a sharded archive's sites, measured (issue 28, docs/scale.md).

Each shard (a kommun, or a share of one by folder) builds its own site with
`assemble site SHARD/ -o SITE/`. A national front merges them without opening a meeting: it
reads each shard's search page's list of parts (`pagefind/delar/<year>/`), each part's
`pagefind-entry.json` (a few hundred bytes) and the names of its files, and writes one list
of (shard, year, entry, hash of the entry). A reader's browser then merges the parts it
searches with Pagefind's `mergeIndex`: what it loads to begin a search is each part's entry
and metadata file (`*.pf_meta`), never a meeting's fragment until it is a hit.

    python3 benches/merge_shards.py SITE...

Writes the front's list to `front.json` in the current folder and prints, for the sites given: shards, parts, meetings, the merge's wall and CPU time, the
bytes it read, and the bytes a browser loads to open a search over every part (entries +
metadata; the WebAssembly once). Run it on one site of N meetings and on K sites of N/K
each: the merge follows the parts (shards × years), not the meetings.
"""

import hashlib
import json
import os
import sys
import time


def merge(sites):
    front = []
    read = 0
    browser = 0
    for shard, site in enumerate(sites):
        delar = os.path.join(site, "pagefind", "delar")
        for year in sorted(os.listdir(delar)):
            part = os.path.join(delar, year)
            with open(os.path.join(part, "pagefind-entry.json"), "rb") as f:
                entry = f.read()
            read += len(entry)
            metas = [n for n in os.listdir(part) if n.endswith(".pf_meta")]
            browser += len(entry) + sum(os.path.getsize(os.path.join(part, m)) for m in metas)
            front.append(
                {
                    "shard": shard,
                    "site": site,
                    "year": year,
                    "entry": os.path.join("pagefind", "delar", year, "pagefind-entry.json"),
                    "sha256": hashlib.sha256(entry).hexdigest(),
                }
            )
    return front, read, browser


def meetings(sites):
    """How many meetings the shards hold (reported, not part of the merge)."""
    n = 0
    for site in sites:
        with open(os.path.join(site, ".protokoll-site.json"), "rb") as f:
            n += len(json.load(f)["meetings"])
    return n


def main():
    sites = sys.argv[1:]
    if not sites:
        print(__doc__)
        sys.exit(2)
    wasm = os.path.join(sites[0], "pagefind", "wasm.sv.pagefind")
    wasm = os.path.getsize(wasm) if os.path.exists(wasm) else 0
    t0, c0 = time.perf_counter(), time.process_time()
    front, read, browser = merge(sites)
    with open("front.json", "w", encoding="utf-8") as f:
        json.dump(front, f, indent=0)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"merge of {len(sites)} shards: {len(front)} parts, {meetings(sites)} meetings; "
        f"{wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU, {read} bytes read; "
        f"a browser opening a search over every part loads {browser} bytes "
        f"({browser // max(len(front), 1)} a part) + {wasm} bytes of WebAssembly once"
    )


if __name__ == "__main__":
    main()
