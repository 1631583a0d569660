#!/usr/bin/env python3
"""The hostile inputs of issue 13, each as a meeting: python3 benches/bombs.py DIR writes
DIR/data/<bomb>/meeting.toml (the minimal fixture, its bilaga `lista` replaced by the bomb)
and DIR/verify-bomb.zip. Measure with, e.g.:
  /usr/bin/time -v target/release/assemble DIR/data/<bomb>/meeting.toml -o /tmp/x.pdf
See "Limits" in README.md for what each one costs now."""
import io, os, shutil, struct, sys, zipfile, zlib, json, hashlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MINIMAL = os.path.join(ROOT, "tests/fixtures/minimal")

DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
              '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def docx(body, rels="", media=None):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", DOCX_TYPES)
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>')
        z.writestr("word/_rels/document.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for name, data in (media or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def png(w, h, rows=0):
    """A grey PNG declaring w × h; `rows` rows of zeros deflated (0: the header only)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(b"\0" * (w + 1)) for _ in range(rows)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def pdf(objects, root=1):
    """A PDF from {number: body bytes} with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets.get(n, 0) if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def stream(data, extra=b""):
    comp = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(comp), extra) + comp + b"\nendstream"


def pdf_shared_stream(pages=200, ops=500_000):
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: stream(b"0 0 1 1 re f\n" * ops)}
    kids = []
    for i in range(pages):
        objs[4 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
        kids.append(b"%d 0 R" % (4 + i))
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return pdf(objs)


def pdf_big_image(side=20_000):
    data = zlib.compress(b"\0" * (side * side), 9)
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /I 5 0 R >> >> /Contents 4 0 R >>",
        4: stream(b"q 595 0 0 842 0 0 cm /I Do Q"),
        5: b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n" % (side, side, len(data)) + data + b"\nendstream",
    }
    return pdf(objs)


def pdf_deep_tree(depth=5_000):
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for d in range(depth):
        n = 2 + d
        parent = b"" if d == 0 else b"/Parent %d 0 R " % (n - 1)
        objs[n] = b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, n + 1)
    leaf = 2 + depth
    objs[leaf] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (leaf - 1, leaf + 1)
    objs[leaf + 1] = stream(b"0 0 10 10 re f")
    return pdf(objs)


def verify_bomb(path, listed=150_000, entries=10_000):
    files = [{"name": f"f{i}", "size": 0, "sha256": hashlib.sha256(b"").hexdigest()} for i in range(listed)]
    manifest = {"tool": "t", "organ": "o", "title": "t", "date": "2020-09-17", "justerad": None,
                "protocol": "f0", "files": files}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for i in range(entries - 1):
            z.writestr(f"x{i}", b"")


def meeting(dir, name, file_name, data):
    d = os.path.join(dir, "data", name)
    shutil.copytree(MINIMAL, d, dirs_exist_ok=True)
    with open(os.path.join(d, "bilagor", file_name), "wb") as f:
        f.write(data)
    toml = open(os.path.join(MINIMAL, "meeting.toml")).read()
    toml = toml.replace('file = "bilagor/lista.md"', f'file = "bilagor/{file_name}"')
    with open(os.path.join(d, "meeting.toml"), "w") as f:
        f.write(toml)


def main(dir):
    paras = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 290_000  # ~10 MB
    meeting(dir, "docx-paragraphs", "bomb.docx", docx(paras))
    meeting(dir, "docx-text", "bomb.docx", docx("<w:p><w:r><w:t>" + "ordet " * 1_700_000 + "</w:t></w:r></w:p>"))
    drawing = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5000000" cy="5000000"/><wp:docPr id="1" name="b" descr="bild"/>'
               '<a:graphic><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    rel = '<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>'
    meeting(dir, "docx-png", "bomb.docx", docx(drawing, rel, {"word/media/image1.png": png(40_000, 40_000, rows=200)}))
    meeting(dir, "pdf-shared-stream", "bomb.pdf", pdf_shared_stream())
    meeting(dir, "pdf-image", "bomb.pdf", pdf_big_image())
    meeting(dir, "pdf-deep-tree", "bomb.pdf", pdf_deep_tree())
    meeting(dir, "md-brackets", "bomb.md", b"[" * 300_000)
    verify_bomb(os.path.join(dir, "verify-bomb.zip"))
    for root, _, files in os.walk(dir):
        for f in files:
            if f.startswith("bomb") or f.endswith(".zip"):
                p = os.path.join(root, f)
                print(f"{os.path.getsize(p):>10,} {os.path.relpath(p, dir)}")


if __name__ == "__main__":
    main(sys.argv[1])
