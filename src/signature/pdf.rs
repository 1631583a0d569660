//! The PDF side of a signature (ISO 32000-2 §12.8, ETSI EN 319 142-1): an incremental
//! update (§7.5.6) that adds a signature field and its signature dictionary, leaving every
//! earlier byte as it was, so earlier signatures stay valid.
//!
//! What the update adds, for PDF/A-2 and PDF/UA-1 to keep holding: a field merged with an
//! invisible widget (zero-size /Rect, Print + Locked) on page 1, with /TU (its accessible
//! name); the widget tagged as a /Form structure element (with an OBJR) under the document
//! element and entered in the parent tree; the page's tab order by structure (/Tabs /S);
//! the catalog's /AcroForm with /SigFlags 3 (signatures exist; append only).
//!
//! The /Contents of the signature dictionary is reserved as zeros of a fixed size and the
//! /ByteRange written with padding, so both are filled in afterwards without moving a byte.

use std::fmt::Write as _;
use std::ops::Range;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

/// Bytes reserved for the CMS (hex-encoded in the file: twice as many characters). Room for
/// a chain of three 4096-bit certificates and a timestamp token with its own chain.
pub(crate) const RESERVED: usize = 24 * 1024;

/// Width the /ByteRange array is padded to: four numbers of up to 10 digits.
const BYTE_RANGE_WIDTH: usize = 4 * 11 + 2;

/// A PDF with a signature field whose /Contents is still zeros.
pub(crate) struct Prepared {
    /// The whole file.
    pub pdf: Vec<u8>,
    /// Where the hex string `<00…>` of /Contents is, delimiters included: the one range
    /// the signature does not cover.
    pub contents: Range<usize>,
}

impl Prepared {
    /// The bytes the signature covers: everything but the /Contents string.
    pub(crate) fn signed_parts(&self) -> [&[u8]; 2] {
        [
            &self.pdf[..self.contents.start],
            &self.pdf[self.contents.end..],
        ]
    }

    /// Puts `cms` (DER) into the reserved /Contents.
    pub(crate) fn embed(mut self, cms: &[u8]) -> Result<Vec<u8>, String> {
        let room = (self.contents.len() - 2) / 2;
        if cms.len() > room {
            return Err(format!(
                "the signature ({} bytes) does not fit the {room} bytes reserved for it",
                cms.len()
            ));
        }
        let mut hex = String::with_capacity(cms.len() * 2);
        for b in cms {
            let _ = write!(hex, "{b:02X}");
        }
        let start = self.contents.start + 1;
        self.pdf[start..start + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.pdf)
    }
}

/// What the field says about the signature.
pub(crate) struct Field {
    /// The accessible name (/TU), e.g. "Elektronisk underskrift: Anna Andersson".
    pub label: String,
    /// The claimed signing time as a PDF date (`D:20260101120000Z`), for /M.
    pub time: String,
    /// Signature fields to add when the PDF has no empty one: this signature's and those
    /// of the signers after it. A later signature then fills a field the first update
    /// tagged, changing nothing else (a verifier's modification analysis, e.g. pyHanko's,
    /// accepts filling a field but not a changed structure tree).
    pub fields: usize,
}

/// Adds a signature field to `pdf` as an incremental update, /Contents reserved.
pub(crate) fn prepare(pdf: &[u8], field: &Field) -> Result<Prepared, String> {
    let doc = Document::load_mem(pdf).map_err(|e| format!("cannot read the PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err("the PDF is encrypted".into());
    }
    let prev = last_startxref(pdf).ok_or("the PDF has no startxref")?;
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0);
    let mut next = (doc.max_id + 1).max(size);
    let sig_id = (next, 0);
    next += 1;
    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| "the PDF has no catalog")?;
    let mut changed: Vec<(ObjectId, Object)> = Vec::new();
    match empty_field(&doc)? {
        Some((widget_id, mut widget)) => {
            widget.set("V", Object::Reference(sig_id));
            changed.push((widget_id, Object::Dictionary(widget)));
        }
        None => add_fields(&doc, root_id, field, sig_id, &mut next, &mut changed)?,
    }

    // The update: the signature dictionary first, then the rest, xref, trailer.
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();
    offsets.push((sig_id.0, out.len()));
    let head = format!(
        "{} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M{}/ByteRange",
        sig_id.0,
        pdf_string(field.time.as_bytes())
    );
    out.extend_from_slice(head.as_bytes());
    let range_at = out.len();
    out.extend_from_slice(&[b' '; BYTE_RANGE_WIDTH]);
    out.extend_from_slice(b"/Contents");
    let contents_start = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', RESERVED * 2));
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(b">>\nendobj\n");
    changed.sort_by_key(|(id, _)| *id);
    for (id, object) in &changed {
        offsets.push((id.0, out.len()));
        out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        write_object(&mut out, object)?;
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    offsets.sort();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f\r\n");
    for (num, offset) in &offsets {
        let generation = changed
            .iter()
            .find(|(id, _)| id.0 == *num)
            .map_or(0, |(id, _)| id.1);
        out.extend_from_slice(format!("{num} 1\n{offset:010} {generation:05} n\r\n").as_bytes());
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", i64::from(next));
    trailer.set("Root", Object::Reference(root_id));
    for key in [b"Info".as_slice(), b"ID"] {
        if let Ok(v) = doc.trailer.get(key) {
            trailer.set(key, v.clone());
        }
    }
    trailer.set("Prev", prev as i64);
    out.extend_from_slice(b"trailer\n");
    write_object(&mut out, &Object::Dictionary(trailer))?;
    out.extend_from_slice(format!("\nstartxref\n{xref}\n%%EOF\n").as_bytes());

    let range = format!(
        "[0 {contents_start} {contents_end} {}]",
        out.len() - contents_end
    );
    if range.len() > BYTE_RANGE_WIDTH {
        return Err("the PDF is too large to sign (over 10 GB)".into());
    }
    out[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());
    Ok(Prepared {
        pdf: out,
        contents: contents_start..contents_end,
    })
}

/// The prepared signature of `pdf`: its last signature dictionary, whose /Contents is still
/// zeros and whose byte range ends at the end of the file.
pub(crate) fn find_prepared(pdf: &[u8]) -> Result<Prepared, String> {
    for sig in super::verify::signature_fields(pdf)?.into_iter().rev() {
        let [_, b, c, d] = sig.byte_range;
        if c + d != pdf.len() || b >= c {
            continue;
        }
        let hex = &pdf[b..c];
        if hex.first() == Some(&b'<')
            && hex.last() == Some(&b'>')
            && hex[1..hex.len() - 1].iter().all(|&x| x == b'0')
        {
            return Ok(Prepared {
                pdf: pdf.to_vec(),
                contents: b..c,
            });
        }
        break;
    }
    Err(
        "the PDF has no prepared signature to fill in (`assemble sign --prepare` writes one; \
         the file must not have changed since)"
            .into(),
    )
}

/// The first signature field without a value, if any (a field an earlier update added for
/// this signer).
fn empty_field(doc: &Document) -> Result<Option<(ObjectId, Dictionary)>, String> {
    let catalog = doc.catalog().map_err(|e| e.to_string())?;
    let acroform = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).map_err(|e| e.to_string())?,
        Ok(Object::Dictionary(d)) => d,
        _ => return Ok(None),
    };
    let Some(fields) = array_in(doc, acroform, b"Fields")? else {
        return Ok(None);
    };
    for f in fields {
        let Ok(id) = f.as_reference() else { continue };
        let Ok(d) = doc.get_dictionary(id) else {
            continue;
        };
        if d.get(b"FT").and_then(Object::as_name).ok() == Some(b"Sig".as_slice())
            && !d.has(b"V")
            && d.has(b"Subtype")
        {
            return Ok(Some((id, d.clone())));
        }
    }
    Ok(None)
}

/// Adds `field.fields` signature fields (merged with invisible widgets on page 1), tagged
/// as /Form elements; the first holds the signature `sig_id`.
fn add_fields(
    doc: &Document,
    root_id: ObjectId,
    field: &Field,
    sig_id: ObjectId,
    next: &mut u32,
    changed: &mut Vec<(ObjectId, Object)>,
) -> Result<(), String> {
    let mut new_id = || {
        let id = (*next, 0);
        *next += 1;
        id
    };
    let count = field.fields.max(1);
    let fields_new: Vec<(ObjectId, ObjectId)> = (0..count).map(|_| (new_id(), new_id())).collect();
    let mut catalog = doc
        .get_dictionary(root_id)
        .map_err(|e| e.to_string())?
        .clone();
    let page_id = *doc.get_pages().get(&1).ok_or("the PDF has no pages")?;
    let mut page = doc
        .get_dictionary(page_id)
        .map_err(|e| e.to_string())?
        .clone();

    let mut acroform = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).map_err(|e| e.to_string())?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut fields = array_in(doc, &acroform, b"Fields")?.unwrap_or_default();
    let first_number = fields.len() + 1;
    fields.extend(fields_new.iter().map(|(w, _)| Object::Reference(*w)));
    acroform.set("Fields", Object::Array(fields));
    acroform.set("SigFlags", 3);
    let tree_id = match catalog.get(b"StructTreeRoot") {
        Ok(Object::Reference(id)) => *id,
        _ => return Err("the PDF is not tagged (no structure tree)".into()),
    };
    catalog.set("AcroForm", Object::Dictionary(acroform));
    changed.push((root_id, Object::Dictionary(catalog)));

    // The structure: /Form elements under the document element, their parent-tree entries.
    let mut tree = doc
        .get_dictionary(tree_id)
        .map_err(|e| e.to_string())?
        .clone();
    let first_key = parent_tree_key(doc, &tree)?;
    let entries: Vec<(i64, ObjectId)> = fields_new
        .iter()
        .enumerate()
        .map(|(i, (_, elem))| (first_key + i as i64, *elem))
        .collect();
    add_to_parent_tree(doc, &mut tree, &entries, changed)?;
    tree.set("ParentTreeNextKey", first_key + count as i64);
    let (parent_id, mut parent) = document_element(doc, &tree, tree_id)?;
    let mut kids = match parent.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    kids.extend(fields_new.iter().map(|(_, e)| Object::Reference(*e)));
    parent.set("K", Object::Array(kids));
    if parent_id == tree_id {
        changed.push((tree_id, Object::Dictionary(parent)));
    } else {
        changed.push((tree_id, Object::Dictionary(tree)));
        changed.push((parent_id, Object::Dictionary(parent)));
    }

    // The page: the widgets among its annotations, tab order by structure.
    let refs: Vec<Object> = fields_new
        .iter()
        .map(|(w, _)| Object::Reference(*w))
        .collect();
    match page.get(b"Annots") {
        Ok(Object::Reference(id)) => {
            let mut annots = doc
                .get_object(*id)
                .and_then(Object::as_array)
                .map_err(|e| e.to_string())?
                .clone();
            annots.extend(refs);
            changed.push((*id, Object::Array(annots)));
        }
        Ok(Object::Array(a)) => {
            let mut annots = a.clone();
            annots.extend(refs);
            page.set("Annots", Object::Array(annots));
        }
        _ => page.set("Annots", Object::Array(refs)),
    }
    page.set("Tabs", Object::Name(b"S".to_vec()));
    changed.push((page_id, Object::Dictionary(page)));

    for (i, (widget_id, elem_id)) in fields_new.iter().enumerate() {
        let number = first_number + i;
        let mut widget = Dictionary::new();
        widget.set("Type", Object::Name(b"Annot".to_vec()));
        widget.set("Subtype", Object::Name(b"Widget".to_vec()));
        widget.set("FT", Object::Name(b"Sig".to_vec()));
        widget.set("T", text(&format!("Underskrift {number}")));
        let label = if i == 0 {
            field.label.clone()
        } else {
            format!("Elektronisk underskrift {number}")
        };
        widget.set("TU", text(&label));
        widget.set("F", 132);
        widget.set(
            "Rect",
            Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
        );
        widget.set("P", Object::Reference(page_id));
        widget.set("StructParent", first_key + i as i64);
        if i == 0 {
            widget.set("V", Object::Reference(sig_id));
        }
        changed.push((*widget_id, Object::Dictionary(widget)));

        let mut objr = Dictionary::new();
        objr.set("Type", Object::Name(b"OBJR".to_vec()));
        objr.set("Obj", Object::Reference(*widget_id));
        objr.set("Pg", Object::Reference(page_id));
        let mut elem = Dictionary::new();
        elem.set("Type", Object::Name(b"StructElem".to_vec()));
        elem.set("S", Object::Name(b"Form".to_vec()));
        elem.set("P", Object::Reference(parent_id));
        elem.set("Pg", Object::Reference(page_id));
        elem.set("K", Object::Dictionary(objr));
        changed.push((*elem_id, Object::Dictionary(elem)));
    }
    Ok(())
}

/// The next parent-tree key: /ParentTreeNextKey, or one past the largest key.
fn parent_tree_key(doc: &Document, tree: &Dictionary) -> Result<i64, String> {
    if let Ok(Object::Integer(n)) = tree.get(b"ParentTreeNextKey") {
        return Ok(*n);
    }
    let nums = parent_tree(doc, tree)?.1;
    Ok(nums
        .chunks(2)
        .filter_map(|pair| pair[0].as_i64().ok())
        .max()
        .map_or(0, |n| n + 1))
}

/// The array under `key` in `dict`, inline or by reference; `None` when there is none (or
/// it is not an array).
fn array_in(doc: &Document, dict: &Dictionary, key: &[u8]) -> Result<Option<Vec<Object>>, String> {
    Ok(match dict.get(key) {
        Ok(Object::Array(a)) => Some(a.clone()),
        Ok(Object::Reference(id)) => Some(
            doc.get_object(*id)
                .and_then(Object::as_array)
                .map_err(|e| e.to_string())?
                .clone(),
        ),
        _ => None,
    })
}

/// A parent tree's own object and dictionary; `None` when it is inline in the tree root.
type ParentTreeObject = Option<(ObjectId, Dictionary)>;

/// The parent tree's own object (None when inline) and its /Nums.
fn parent_tree(
    doc: &Document,
    tree: &Dictionary,
) -> Result<(ParentTreeObject, Vec<Object>), String> {
    let (id, dict) = match tree.get(b"ParentTree") {
        Ok(Object::Reference(id)) => (
            Some(*id),
            doc.get_dictionary(*id).map_err(|e| e.to_string())?.clone(),
        ),
        Ok(Object::Dictionary(d)) => (None, d.clone()),
        _ => (None, Dictionary::new()),
    };
    if dict.has(b"Kids") {
        return Err("the PDF's parent tree has /Kids, which this tool does not extend".into());
    }
    let nums = array_in(doc, &dict, b"Nums")?.unwrap_or_default();
    Ok((id.map(|id| (id, dict)), nums))
}

/// Enters each `key → elem` in the parent tree (a number tree sorted by key: they go last).
fn add_to_parent_tree(
    doc: &Document,
    tree: &mut Dictionary,
    entries: &[(i64, ObjectId)],
    changed: &mut Vec<(ObjectId, Object)>,
) -> Result<(), String> {
    let (own, mut nums) = parent_tree(doc, tree)?;
    for (key, elem) in entries {
        nums.push(Object::Integer(*key));
        nums.push(Object::Reference(*elem));
    }
    match own {
        Some((id, mut dict)) => {
            dict.set("Nums", Object::Array(nums));
            changed.push((id, Object::Dictionary(dict)));
        }
        None => {
            let mut dict = Dictionary::new();
            dict.set("Nums", Object::Array(nums));
            tree.set("ParentTree", Object::Dictionary(dict));
        }
    }
    Ok(())
}

/// The element the /Form goes under: the structure tree's one top element (Typst's
/// /Document), or the tree root itself when it has several.
fn document_element(
    doc: &Document,
    tree: &Dictionary,
    tree_id: ObjectId,
) -> Result<(ObjectId, Dictionary), String> {
    let only = match tree.get(b"K") {
        Ok(Object::Reference(id)) => Some(*id),
        Ok(Object::Array(a)) if a.len() == 1 => a[0].as_reference().ok(),
        _ => None,
    };
    if let Some(id) = only
        && let Ok(d) = doc.get_dictionary(id)
    {
        return Ok((id, d.clone()));
    }
    Ok((tree_id, tree.clone()))
}

/// A text string: PDFDocEncoding-safe ASCII as is, anything else as UTF-16BE with a BOM.
fn text(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// The offset the file's last `startxref` names.
fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let rest = std::str::from_utf8(&tail[at + 9..]).ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

/// A literal string, escaped.
fn pdf_string(bytes: &[u8]) -> String {
    let mut s = String::from("(");
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                s.push('\\');
                s.push(b as char);
            }
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\{b:03o}");
            }
        }
    }
    s.push(')');
    s
}

/// Writes `object` in PDF syntax (no streams: the update writes dictionaries and arrays).
fn write_object(out: &mut Vec<u8>, object: &Object) -> Result<(), String> {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Object::Real(r) => {
            let mut s = format!("{r}");
            if s.contains('e') || s.contains("inf") || s.contains("NaN") {
                s = "0".into();
            }
            out.extend_from_slice(s.as_bytes());
        }
        Object::Name(name) => {
            out.push(b'/');
            for &b in name {
                if b.is_ascii_graphic() && !b"#/()<>[]{}%".contains(&b) {
                    out.push(b);
                } else {
                    out.extend_from_slice(format!("#{b:02X}").as_bytes());
                }
            }
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in bytes {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => {
            out.extend_from_slice(pdf_string(bytes).as_bytes());
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item)?;
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict.iter() {
                write_object(out, &Object::Name(key.clone()))?;
                out.push(b' ');
                write_object(out, value)?;
            }
            out.extend_from_slice(b">>");
        }
        Object::Reference((num, generation)) => {
            out.extend_from_slice(format!("{num} {generation} R").as_bytes());
        }
        Object::Stream(_) => return Err("an object to update is a stream".into()),
    }
    Ok(())
}
