#!/usr/bin/env python3
"""Seed corpora from the DOCX fixtures: the files as they are (target docx) and their XML
parts joined with NUL bytes (target docx_xml). Run from fuzz/: python3 seeds.py"""
import glob, os, shutil, zipfile

PARTS = ["word/document.xml", "word/footnotes.xml", "word/endnotes.xml",
         "word/numbering.xml", "word/styles.xml", "word/_rels/document.xml.rels",
         "word/media/image1.png"]
os.makedirs("corpus/docx", exist_ok=True)
os.makedirs("corpus/docx_xml", exist_ok=True)
for path in sorted(glob.glob("../tests/fixtures/docx/bilagor/*.docx")
                   + glob.glob("../tests/fixtures/bilagor-kinds/bilagor/*.docx")
                   + glob.glob("../tests/fixtures/cases/*/m/*.docx")):
    name = os.path.basename(path)
    if name == "b.docx":  # the cases: one b.docx per folder
        name = os.path.basename(os.path.dirname(os.path.dirname(path))) + ".docx"
    shutil.copy(path, os.path.join("corpus/docx", name))
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    parts = [z.read(p) if p in names else b"" for p in PARTS]
    with open(os.path.join("corpus/docx_xml", name + ".parts"), "wb") as f:
        f.write(b"\0".join(parts))

# The other readers: Markdown bilagor, PDF bilagor, and meeting files for `new --from`.
def seed(target, patterns):
    os.makedirs("corpus/" + target, exist_ok=True)
    for pattern in patterns:
        for path in sorted(glob.glob(pattern, recursive=True)):
            if os.path.getsize(path) > 256 * 1024:
                continue
            flat = path.replace("../", "").replace("/", "_")
            shutil.copy(path, os.path.join("corpus", target, flat))

seed("markdown", ["../tests/fixtures/**/*.md", "../data/**/*.md"])
seed("pdf", ["../tests/fixtures/**/*.pdf"])
seed("new", ["../tests/fixtures/**/*.toml", "../data/**/*.toml"])
# Meeting files for `check`: the same files, kept apart (each target grows its own corpus).
seed("meeting", ["../tests/fixtures/**/*.toml", "../data/**/*.toml"])
