#!/usr/bin/env python3
"""The obvious alternative pipeline, for `cargo bench --bench batch` (issue 14, part 3).

Python + Jinja2 + typst-py (PyPI `typst`, 0.15.x) compiling the same generated Typst
sources that `assemble --emit-typst` wrote, in a `multiprocessing.Pool(2)`: per meeting, a
worker reads the meeting file (tomllib), renders a Jinja2 template that splices in the
generated source (the Jinja2 step; it does not redo our templates' mapping, so this is a
lower bound on what the Python pipeline costs), and compiles it with typst-py to PDF/A-2a +
UA-1 with the same fonts and no system fonts.

The peer is the fair one a Python developer would write (issue 28): each worker loads the
fonts once (`typst.Fonts`) and keeps one `typst.Compiler` for all its meetings, as our
workers keep one font book and one Typst world. Passing the font folder to every
`typst.compile` call instead reloads every font per meeting (89 ms a compile instead of 51).

    python3 benches/typst_py_pool.py ROOT LIST FONTS [--one]
    python3 benches/typst_py_pool.py --probe

`--one`: no pool, the meetings of LIST compiled in this process one after another (the peer
of `assemble MEETING -o x.pdf`, `cargo bench --bench assemble`). `--probe`: exits 0 when
the peer can run, 3 (saying why) when not.

ROOT is a Typst project root holding `.protokoll/protokoll.typ`; LIST a file naming one
`<meeting.toml>\t<source.typ>` pair a line (sources inside ROOT); FONTS the font folder.
Prints `elapsed <seconds>` and `peak_rss_kib <KiB of the largest worker>`. Exits 3 (skip)
when Python lacks typst-py 0.15 or Jinja2, so the benchmark can say so and go on.
"""

import multiprocessing
import resource
import sys
import time

try:
    import jinja2
    import tomllib
    import typst
except ImportError as e:  # pragma: no cover - the skip path
    print(f"skip: {e}")
    sys.exit(3)

if not getattr(typst, "__version__", "").startswith("0.15"):
    print(f"skip: typst-py {getattr(typst, '__version__', '?')} is not 0.15.x")
    sys.exit(3)

TEMPLATE = jinja2.Environment(autoescape=False).from_string(
    "// {{ organ }} {{ date }}\n{{ source }}"
)
COMPILER = None


def init(root, fonts):
    global COMPILER
    loaded = typst.Fonts(include_system_fonts=False, font_paths=[fonts])
    COMPILER = typst.Compiler(root=root, font_paths=loaded, ignore_system_fonts=True)


def one(pair):
    meeting, source_path = pair
    with open(meeting, "rb") as f:
        data = tomllib.load(f)
    with open(source_path, encoding="utf-8") as f:
        source = f.read()
    text = TEMPLATE.render(
        organ=data.get("organ", ""),
        date=data.get("meeting", {}).get("date", ""),
        source=source,
    )
    with open(source_path, "w", encoding="utf-8") as f:
        f.write(text)
    pdf = COMPILER.compile(input=source_path, pdf_standards=["a-2a", "ua-1"])
    with open(source_path[:-4] + ".pdf", "wb") as f:
        f.write(pdf)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    if sys.argv[1:] == ["--probe"]:
        return
    root, listing, fonts = sys.argv[1:4]
    with open(listing, encoding="utf-8") as f:
        pairs = [tuple(line.rstrip("\n").split("\t")) for line in f if line.strip()]
    start = time.perf_counter()
    if sys.argv[4:] == ["--one"]:
        init(root, fonts)
        rss = [one(pair) for pair in pairs]
        print(f"elapsed {time.perf_counter() - start:.3f}")
        print(f"peak_rss_kib {max(rss)}")
        return
    with multiprocessing.Pool(2, initializer=init, initargs=(root, fonts)) as pool:
        rss = pool.map(one, pairs, chunksize=1)
    elapsed = time.perf_counter() - start
    print(f"elapsed {elapsed:.3f}")
    print(f"peak_rss_kib {max(rss)}")


if __name__ == "__main__":
    main()
