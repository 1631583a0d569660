//! What drawing a PDF bilaga's pages would cost, counted before hayro draws any (issue 13):
//! the operations of each page's content stream — a form XObject's each time it is drawn —
//! and the size of each image. A page that shares one heavy content stream with 200 others,
//! or draws a 20,000 × 20,000 image, is refused here, naming the page and the cap, instead of
//! costing gigabytes while it is drawn. Counting stops at the cap, so it costs no more than
//! the cap allows.

use std::collections::HashMap;
use std::rc::Rc;

use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::hayro_syntax::content::TypedIter;
use hayro_svg::hayro_syntax::content::ops::TypedInstruction;
use hayro_svg::hayro_syntax::object::{Dict, Name, ObjectIdentifier, Stream};
use hayro_svg::hayro_syntax::page::Resources;

use super::limits::{
    Cap, IMAGE_PIXELS, PDF_DECODED_BYTES, PDF_OPERATIONS, PDF_OPERATIONS_PER_PAGE, PDF_STREAM_BYTES,
};

/// Forms inside forms deeper than this are not drawn by hayro either.
const MAX_FORM_DEPTH: u32 = 50;

/// The first page (1-based) over a cap, and the cap's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverCap {
    pub page: usize,
    pub cap: Cap,
    /// What was found, e.g. "an image of 20000 × 20000 pixels"; empty for counts.
    pub found: String,
}

/// Checks what the Flate streams in `bytes` decode to against [`PDF_STREAM_BYTES`] and
/// [`PDF_DECODED_BYTES`], decoding each into nothing (memory stays flat) and stopping at the
/// cap. Streams are found in the raw bytes (`stream` … a zlib header), before any parser
/// keeps them, so a bomb costs only the decoding the caps allow. Returns the cap exceeded.
pub fn inflate_bomb(bytes: &[u8]) -> Option<Cap> {
    use std::io::Read;
    let mut total = 0u64;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let start = at + found;
        at = start + 6;
        // `endstream` ends one; only a keyword after a dictionary starts one.
        if start >= 3 && &bytes[start - 3..start] == b"end" {
            continue;
        }
        let mut data = at;
        for eol in [b'\r', b'\n'] {
            if bytes.get(data) == Some(&eol) {
                data += 1;
            }
        }
        let Some(head) = bytes.get(data..data + 2) else {
            break;
        };
        // A zlib header: deflate, and the check bits right (RFC 1950).
        if head[0] & 0x0f != 8 || (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 != 0 {
            continue;
        }
        let limit = PDF_STREAM_BYTES.value + 1;
        let decoded = std::io::copy(
            &mut flate2::read::ZlibDecoder::new(&bytes[data..]).take(limit),
            &mut std::io::sink(),
        )
        .unwrap_or(0);
        if PDF_STREAM_BYTES.over(decoded) {
            return Some(PDF_STREAM_BYTES);
        }
        total += decoded;
        if PDF_DECODED_BYTES.over(total) {
            return Some(PDF_DECODED_BYTES);
        }
    }
    None
}

/// Checks every page of `pdf` against the caps, in page order.
pub fn check(pdf: &Pdf) -> Result<(), OverCap> {
    let mut total = 0u64;
    let mut forms: HashMap<ObjectIdentifier, Rc<[u8]>> = HashMap::new();
    for (i, page) in pdf.pages().iter().enumerate() {
        let mut count = Count {
            page: 0,
            total: &mut total,
            forms: &mut forms,
        };
        let ops = page.page_stream().unwrap_or_default();
        count
            .stream(ops, page.resources(), 0)
            .map_err(|(cap, found)| OverCap {
                page: i + 1,
                cap,
                found,
            })?;
    }
    Ok(())
}

struct Count<'c> {
    page: u64,
    total: &'c mut u64,
    /// Decoded form streams, by object: a form drawn a thousand times is decoded once.
    forms: &'c mut HashMap<ObjectIdentifier, Rc<[u8]>>,
}

impl Count<'_> {
    fn stream<'a>(
        &mut self,
        data: &[u8],
        resources: &Resources<'a>,
        depth: u32,
    ) -> Result<(), (Cap, String)> {
        let mut ops = TypedIter::new(data);
        while let Some(op) = ops.next() {
            self.page += 1;
            *self.total += 1;
            if PDF_OPERATIONS_PER_PAGE.over(self.page) {
                return Err((PDF_OPERATIONS_PER_PAGE, String::new()));
            }
            if PDF_OPERATIONS.over(*self.total) {
                return Err((PDF_OPERATIONS, String::new()));
            }
            match op {
                TypedInstruction::XObject(x) => {
                    let Some(stream) = resources.get_x_object(x.0) else {
                        continue;
                    };
                    self.x_object(&stream, resources, depth)?;
                }
                TypedInstruction::InlineImage(image) => image_size(image.0.dict())?,
                _ => {}
            }
        }
        Ok(())
    }

    fn x_object<'a>(
        &mut self,
        stream: &Stream<'a>,
        resources: &Resources<'a>,
        depth: u32,
    ) -> Result<(), (Cap, String)> {
        let dict = stream.dict();
        let subtype = dict.get::<Name<'_>>(b"Subtype".as_slice());
        match subtype.as_deref() {
            Some(b"Image") => image_size(dict),
            Some(b"Form") if depth < MAX_FORM_DEPTH => {
                let id = stream.obj_id();
                let data = match self.forms.get(&id) {
                    Some(data) => data.clone(),
                    None => {
                        let data: Rc<[u8]> =
                            Rc::from(stream.decoded().map(|d| d.to_vec()).unwrap_or_default());
                        self.forms.insert(id, data.clone());
                        data
                    }
                };
                let inner = Resources::from_parent(
                    dict.get::<Dict<'_>>(b"Resources".as_slice())
                        .unwrap_or_default(),
                    resources.clone(),
                );
                self.stream(&data, &inner, depth + 1)
            }
            _ => Ok(()),
        }
    }
}

/// An image's declared size against [`IMAGE_PIXELS`]: it is decoded whole when drawn.
fn image_size(dict: &Dict<'_>) -> Result<(), (Cap, String)> {
    let get = |long: &[u8], short: &[u8]| {
        dict.get::<usize>(long)
            .or_else(|| dict.get::<usize>(short))
            .map_or(0, |n| n as u64)
    };
    let (w, h) = (get(b"Width", b"W"), get(b"Height", b"H"));
    if IMAGE_PIXELS.over(w.saturating_mul(h)) {
        return Err((IMAGE_PIXELS, format!("an image of {w} × {h} pixels")));
    }
    Ok(())
}

/// How many page tree nodes (`/Pages` names) the PDF's bytes hold, in its plain objects and
/// in its compressed object streams (`/ObjStm`, Flate), before hayro parses it; counting
/// stops past `limit`. A name split by an encryption or an unusual filter is not seen: such
/// a file is read by hayro as before.
pub fn page_tree_nodes(bytes: &[u8], limit: usize) -> usize {
    let mut found = count_pages_names(bytes, limit);
    let mut at = 0;
    // All object streams together unpack to at most this: a bomb stops here.
    let mut budget: u64 = 64 << 20;
    while found <= limit && budget > 0 {
        let Some(pos) = find(&bytes[at..], b"/ObjStm") else {
            break;
        };
        at += pos + 7;
        let Some(start) = find(&bytes[at..], b"stream").map(|p| at + p + 6) else {
            break;
        };
        let data = bytes[start..]
            .strip_prefix(b"\r")
            .unwrap_or(&bytes[start..]);
        let data = data.strip_prefix(b"\n").unwrap_or(data);
        let end = find(data, b"endstream").unwrap_or(data.len());
        let mut plain = Vec::new();
        let decoder = flate2::read::ZlibDecoder::new(&data[..end]);
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(decoder, budget), &mut plain);
        budget = budget.saturating_sub(plain.len() as u64);
        found += count_pages_names(&plain, limit);
    }
    found
}

/// `/Pages` as a whole name (not `/PagesX`), up to `limit` + 1.
fn count_pages_names(bytes: &[u8], limit: usize) -> usize {
    let mut n = 0;
    let mut at = 0;
    while n <= limit {
        let Some(pos) = find(&bytes[at..], b"/Pages") else {
            break;
        };
        at += pos + 6;
        let next = bytes.get(at).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphanumeric() || next == b'_' || next == b'#') {
            n += 1;
        }
    }
    n
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {

    /// `stream` + a zlib stream of `n` zero bytes, as it stands in a PDF's bytes.
    fn deflated_zeros(n: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let chunk = vec![0u8; 1 << 20];
        let mut left = n;
        while left > 0 {
            let k = left.min(chunk.len());
            z.write_all(&chunk[..k]).unwrap();
            left -= k;
        }
        let mut out = b"<< /Filter /FlateDecode >>\nstream\n".to_vec();
        out.extend(z.finish().unwrap());
        out.extend(b"\nendstream\n");
        out
    }

    #[test]
    fn a_stream_just_under_the_inflate_cap_passes_and_one_over_is_caught() {
        let cap = PDF_STREAM_BYTES.value as usize;
        assert_eq!(inflate_bomb(&deflated_zeros(cap)), None);
        assert_eq!(
            inflate_bomb(&deflated_zeros(cap + 1)),
            Some(PDF_STREAM_BYTES)
        );
    }

    #[test]
    fn streams_are_capped_together() {
        let one = deflated_zeros(PDF_STREAM_BYTES.value as usize);
        // Streams at the per-stream cap that make exactly the total cap; one byte more is over.
        let n = (PDF_DECODED_BYTES.value / PDF_STREAM_BYTES.value) as usize;
        let all = one.repeat(n);
        assert_eq!(inflate_bomb(&all), None);
        let mut over = all;
        over.extend(deflated_zeros(1));
        assert_eq!(inflate_bomb(&over), Some(PDF_DECODED_BYTES));
    }

    use std::sync::Arc;

    use lopdf::{Document, Object, Stream as LoStream, dictionary};

    use super::*;

    /// A PDF of `pages` pages that all draw one content stream `content`; `form` and `image`
    /// become the XObjects `/F` and `/I` of every page.
    fn pdf(pages: usize, content: &[u8], form: Option<&[u8]>, image: Option<(i64, i64)>) -> Pdf {
        let mut doc = Document::with_version("1.4");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(LoStream::new(dictionary! {}, content.to_vec()));
        let mut xobjects = lopdf::Dictionary::new();
        if let Some(form) = form {
            let f = doc.add_object(LoStream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()] },
                form.to_vec(),
            ));
            xobjects.set("F", f);
        }
        if let Some((w, h)) = image {
            let i = doc.add_object(LoStream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w,
                "Height" => h, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
                vec![0; 16],
            ));
            xobjects.set("I", i);
        }
        let kids: Vec<Object> = (0..pages)
            .map(|_| {
                doc.add_object(dictionary! {
                    "Type" => "Page",
                    "Parent" => pages_id,
                    "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                    "Resources" => dictionary! { "XObject" => xobjects.clone() },
                    "Contents" => content,
                })
                .into()
            })
            .collect();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        Pdf::new(Arc::new(bytes)).unwrap()
    }

    fn ops(n: u64) -> Vec<u8> {
        b"0 0 1 1 re\n".repeat(n as usize)
    }

    #[test]
    fn operations_per_page_are_capped() {
        let cap = PDF_OPERATIONS_PER_PAGE.value;
        assert_eq!(check(&pdf(1, &ops(cap), None, None)), Ok(()));
        let over = check(&pdf(1, &ops(cap + 1), None, None)).unwrap_err();
        assert_eq!((over.page, over.cap), (1, PDF_OPERATIONS_PER_PAGE));
    }

    /// Pages sharing one heavy content stream: each page is under its cap, all of them
    /// together over the document's.
    #[test]
    fn pages_sharing_a_heavy_stream_are_capped_together() {
        let per_page = PDF_OPERATIONS_PER_PAGE.value;
        let pages = (PDF_OPERATIONS.value / per_page) as usize;
        assert_eq!(check(&pdf(pages, &ops(per_page), None, None)), Ok(()));
        let over = check(&pdf(pages + 1, &ops(per_page), None, None)).unwrap_err();
        assert_eq!((over.page, over.cap), (pages + 1, PDF_OPERATIONS));
    }

    /// A form drawn many times costs its operations each time.
    #[test]
    fn a_form_counts_each_time_it_is_drawn() {
        let form = ops(999);
        // Each `Do` is one operation, and draws 999 more: 250 of them are exactly the cap.
        let draws = PDF_OPERATIONS_PER_PAGE.value / 1000;
        let content = b"/F Do\n".repeat(draws as usize);
        assert_eq!(check(&pdf(1, &content, Some(&form), None)), Ok(()));
        let content = b"/F Do\n".repeat(draws as usize + 1);
        let over = check(&pdf(1, &content, Some(&form), None)).unwrap_err();
        assert_eq!(over.cap, PDF_OPERATIONS_PER_PAGE);
    }

    #[test]
    fn image_pixels_are_capped() {
        let (w, h) = (8_000, (IMAGE_PIXELS.value / 8_000) as i64);
        assert_eq!(check(&pdf(1, b"/I Do", None, Some((w, h)))), Ok(()));
        let over = check(&pdf(1, b"/I Do", None, Some((20_000, 20_000)))).unwrap_err();
        assert_eq!(over.cap, IMAGE_PIXELS);
        assert_eq!(over.found, "an image of 20000 × 20000 pixels");
        let over = check(&pdf(1, b"/I Do", None, Some((w, h + 1)))).unwrap_err();
        assert_eq!(over.cap, IMAGE_PIXELS);
    }

    /// A page tree `depth` levels deep, written out plainly (lopdf would refuse to nest it).
    fn deep_tree(depth: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".to_vec();
        for d in 0..depth {
            let n = 2 + d;
            out.extend(
                format!(
                    "{n} 0 obj << /Type /Pages /Kids [{} 0 R] /Count 1 >> endobj\n",
                    n + 1
                )
                .bytes(),
            );
        }
        out.extend(
            format!(
                "{} 0 obj << /Type /Page /MediaBox [0 0 9 9] >> endobj\n",
                depth + 2
            )
            .bytes(),
        );
        out.extend(b"trailer << /Root 1 0 R >>\n%%EOF\n");
        out
    }

    /// The issue's page tree 5,000 levels deep (2.4 GB in hayro): its nodes are counted in
    /// the bytes; the catalog's `/Pages` counts too.
    #[test]
    fn page_tree_nodes_are_counted_in_the_bytes() {
        let cap = crate::bilaga::limits::PDF_PAGE_TREE_NODES.value as usize;
        assert_eq!(page_tree_nodes(&deep_tree(cap - 1), cap), cap);
        assert_eq!(page_tree_nodes(&deep_tree(cap), cap), cap + 1);
        assert!(page_tree_nodes(&deep_tree(5_000), cap) > cap);
        // `/PagesX` is another name; `/Pages` in a compressed object stream counts.
        assert_eq!(page_tree_nodes(b"/PagesX /Pages/Page", cap), 1);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, &b"<</Type/Pages>>".repeat(cap + 1)).unwrap();
        let mut objstm = b"5 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".to_vec();
        objstm.extend(z.finish().unwrap());
        objstm.extend(b"\nendstream endobj");
        assert_eq!(page_tree_nodes(&objstm, cap), cap + 1);
    }

    #[test]
    fn inline_images_are_capped() {
        let inline = b"BI /W 20000 /H 20000 /CS /G /BPC 8 ID\nxxxx\nEI\n";
        let over = check(&pdf(1, inline, None, None)).unwrap_err();
        assert_eq!((over.page, over.cap), (1, IMAGE_PIXELS));
        let small = b"BI /W 2 /H 2 /CS /G /BPC 8 ID\nxxxx\nEI\n";
        assert_eq!(check(&pdf(1, small, None, None)), Ok(()));
    }
}
