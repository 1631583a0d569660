//! A small element tree over quick-xml, with the refusals a document from outside needs:
//! no DOCTYPE (so no entity declarations, never expanded), only the five predefined entities
//! and character references, bounded nesting depth (no stack overflow on hostile input).
//!
//! Names are resolved by their namespace URI and kept under the conventional prefix of that
//! namespace (`w:p`, `a:blip`, `m:f`): XML rewritten by a script may bind the
//! WordprocessingML namespace to `ns0:` or make it the default, and Strict OOXML uses other
//! URIs, but the walker matches one spelling. A prefix bound to a namespace this reader does
//! not know is kept as written. Parts in UTF-16 (with or without a byte-order mark) are read
//! as well as UTF-8.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Error;
use crate::bilaga::limits::{XML_ATTRIBUTES, XML_NODES};

/// Deeper nesting than this is no document a word processor writes.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of attribute `name` (qualified, e.g. `w:val`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// `w:val` of the child `name`, e.g. `<w:pStyle w:val="Heading1"/>`.
    pub(crate) fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("w:val"))
    }

    /// All text directly or indirectly inside, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// Every descendant element called `name`, depth first.
    pub(crate) fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            }
            e.descendants(name, out);
        }
    }
}

/// Parses `bytes` (part `part` of the archive, named in errors) into its root element.
pub fn parse(bytes: &[u8], part: &str) -> Result<Element, Error> {
    let text = decode(bytes)
        .ok_or_else(|| Error::new(format!("`{part}` is neither UTF-8 nor UTF-16 XML")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let bad = |why: String| Error::new(format!("`{part}` is not well-formed XML: {why}"));
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut scopes = Scopes::default();
    let mut nodes = 0u64;
    let too_many = || {
        Error::new(format!("`{part}` has {}", XML_NODES.exceeded())).hint(
            "split the document into several bilagor, or attach it as PDF (see \"Limits\" in README.md)",
        )
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| bad(e.to_string().to_lowercase()))?;
        nodes += 1;
        if let Event::Start(start) | Event::Empty(start) = &event {
            // Attributes count as nodes too: a tag with 300,000 of them is no smaller a tree.
            nodes += start.attributes().with_checks(false).count() as u64;
        }
        if XML_NODES.over(nodes) {
            return Err(too_many());
        }
        match event {
            Event::DocType(_) => {
                return Err(Error::new(format!(
                    "`{part}` declares a DOCTYPE, which a DOCX never needs; refused so that no entity is expanded"
                ))
                .hint("save the document again with Word or LibreOffice"));
            }
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(bad(format!("nested deeper than {MAX_DEPTH} elements")));
                }
                stack.push(element(&start, part, &mut scopes)?);
            }
            Event::Empty(start) => {
                let e = element(&start, part, &mut scopes)?;
                scopes.close();
                push_child(&mut stack, Node::Element(e));
            }
            Event::End(_) => {
                scopes.close();
                let mut done = stack.pop().unwrap_or_default();
                composed(&mut done);
                if stack.is_empty() {
                    return Err(bad("unbalanced end tag".into()));
                }
                push_child(&mut stack, Node::Element(done));
            }
            Event::Text(t) => {
                let s = t.xml_content().map_err(|e| bad(e.to_string()))?;
                push_text(&mut stack, &s);
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| bad(e.to_string()))?;
                push_text(&mut stack, &s);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().map_err(|e| bad(e.to_string()))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_owned(),
                            None => {
                                return Err(bad(format!("undeclared entity `&{name};`")));
                            }
                        }
                    }
                    Err(e) => return Err(bad(e.to_string())),
                };
                push_text(&mut stack, &c);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if stack.len() != 1 {
        return Err(bad("an element is not closed".into()));
    }
    let root = stack.pop().unwrap_or_default();
    root.children
        .into_iter()
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| bad("no root element".into()))
}

fn element(start: &BytesStart, part: &str, scopes: &mut Scopes) -> Result<Element, Error> {
    // Counted before they are checked: quick-xml's duplicate check is quadratic in them.
    let count = start.attributes().with_checks(false).count();
    if XML_ATTRIBUTES.over(count as u64) {
        return Err(Error::new(format!(
            "`{part}` has an element with {count} attributes, {}",
            XML_ATTRIBUTES.exceeded()
        ))
        .hint("no word processor writes this: save the document again with Word or LibreOffice"));
    }
    let mut raw = Vec::with_capacity(count);
    for a in start.attributes() {
        let a = a.map_err(|e| {
            Error::new(format!("`{part}` has a malformed attribute: {e}").to_lowercase())
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|e| Error::new(format!("`{part}`: attribute `{key}`: {e}").to_lowercase()))?;
        raw.push((key, value.into_owned()));
    }
    scopes.open(&raw);
    let qname = start.name();
    let name = scopes.resolve(&String::from_utf8_lossy(qname.as_ref()), true);
    let attrs = raw
        .into_iter()
        .map(|(k, v)| (scopes.resolve(&k, false), v))
        .collect();
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

/// The conventional prefix of a namespace this reader knows (Transitional and Strict
/// OOXML), `""` for the package's own namespaces, whose elements are matched unprefixed.
fn conventional(uri: &str) -> Option<&'static str> {
    Some(match uri {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => "w",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        | "http://purl.oclc.org/ooxml/officeDocument/relationships" => "r",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
        | "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing" => "wp",
        "http://schemas.openxmlformats.org/drawingml/2006/main"
        | "http://purl.oclc.org/ooxml/drawingml/main" => "a",
        "http://schemas.openxmlformats.org/drawingml/2006/picture"
        | "http://purl.oclc.org/ooxml/drawingml/picture" => "pic",
        "http://schemas.openxmlformats.org/drawingml/2006/diagram"
        | "http://purl.oclc.org/ooxml/drawingml/diagram" => "dgm",
        "http://schemas.openxmlformats.org/officeDocument/2006/math"
        | "http://purl.oclc.org/ooxml/officeDocument/math" => "m",
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => "mc",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape" => "wps",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" => "wpg",
        "http://schemas.microsoft.com/office/word/2010/wordml" => "w14",
        "http://schemas.microsoft.com/office/drawing/2016/SVG/main" => "asvg",
        "urn:schemas-microsoft-com:vml" => "v",
        "urn:schemas-microsoft-com:office:office" => "o",
        "http://schemas.openxmlformats.org/package/2006/relationships"
        | "http://schemas.openxmlformats.org/package/2006/content-types" => "",
        _ => return None,
    })
}

/// The namespace declarations in force: (prefix, conventional prefix if the URI is known),
/// innermost last, with the element depth that declared them.
#[derive(Default)]
struct Scopes {
    bound: Vec<(String, Option<&'static str>, usize)>,
    depth: usize,
}

impl Scopes {
    /// Enters an element with attributes `attrs`, taking its `xmlns` declarations.
    fn open(&mut self, attrs: &[(String, String)]) {
        self.depth += 1;
        for (k, v) in attrs {
            let prefix = match k.as_str() {
                "xmlns" => "",
                k => match k.strip_prefix("xmlns:") {
                    Some(p) => p,
                    None => continue,
                },
            };
            self.bound
                .push((prefix.to_owned(), conventional(v), self.depth));
        }
    }

    /// Leaves the innermost element: its declarations go out of scope.
    fn close(&mut self) {
        while self.bound.last().is_some_and(|b| b.2 >= self.depth) {
            self.bound.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// `ns0:p` → `w:p` when `ns0` is bound to WordprocessingML. An unprefixed element is in
    /// the default namespace; an unprefixed attribute in none (kept). `xmlns` declarations
    /// and names under unknown or unbound prefixes are kept as written.
    fn resolve(&self, qname: &str, element: bool) -> String {
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (p, l),
            None if element => ("", qname),
            None => return qname.to_owned(),
        };
        if prefix == "xmlns" || prefix == "xml" {
            return qname.to_owned();
        }
        let known = self
            .bound
            .iter()
            .rev()
            .find(|b| b.0 == prefix)
            .and_then(|b| b.1);
        match known {
            Some("") => local.to_owned(),
            Some(p) if p != prefix => format!("{p}:{local}"),
            _ => qname.to_owned(),
        }
    }
}

/// The text of a part: UTF-8, or UTF-16 by its byte-order mark or, without one, by the
/// zero bytes around the `<` it starts with. `None` when it is neither.
fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    let utf16 = |body: &[u8], little: bool| -> Option<Cow<'_, str>> {
        let units = body.chunks(2).map(|c| match (c, little) {
            ([lo, hi], true) => u16::from_le_bytes([*lo, *hi]),
            ([hi, lo], false) => u16::from_be_bytes([*hi, *lo]),
            _ => 0xFFFF,
        });
        let text: Result<String, _> = char::decode_utf16(units).collect();
        text.ok().map(Cow::Owned)
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [b'<', 0, ..] if bytes.len().is_multiple_of(2) => utf16(bytes, true),
        [0, b'<', ..] if bytes.len().is_multiple_of(2) => utf16(bytes, false),
        _ => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
    }
}

/// A run's text (`w:t`, `m:t`) composed (Unicode NFC), as it is read: a letter written as
/// its base and a combining mark (as macOS or a paste gives it) is set, hyphenated and
/// read back from the PDF as the one letter it is. Only the text of runs: attributes and
/// other parts name files, styles and addresses byte for byte.
fn composed(e: &mut Element) {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    if !matches!(e.name.as_str(), "w:t" | "m:t") {
        return;
    }
    for node in &mut e.children {
        if let Node::Text(t) = node
            && is_nfc_quick(t.chars()) != IsNormalized::Yes
        {
            *t = crate::meeting::compose::nfc(t);
        }
    }
}

fn push_child(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(t)) = top.children.last_mut() {
            t.push_str(text);
        } else {
            top.children.push(Node::Text(text.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctype_is_refused() {
        let xml =
            br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><w:document>&a;</w:document>"#;
        let err = parse(xml, "word/document.xml").unwrap_err();
        assert!(err.message.contains("DOCTYPE"), "{}", err.message);
    }

    #[test]
    fn undeclared_entity_is_refused_and_predefined_ones_resolve() {
        assert!(parse(b"<a>&x;</a>", "p").is_err());
        let e = parse(b"<a b=\"&lt;\">&amp;&#65;&#x42;</a>", "p").unwrap();
        assert_eq!(e.text(), "&AB");
        assert_eq!(e.attr("b"), Some("<"));
    }

    #[test]
    fn a_runs_text_is_read_composed_and_nothing_else() {
        let xml = "<w:p a=\"o\u{308}\"><w:t>Bjo\u{308}rn &#x41;&#x30A;sa</w:t>\
                   <w:instrText>o\u{308}</w:instrText></w:p>";
        let e = parse(xml.as_bytes(), "p").unwrap();
        assert_eq!(e.child("w:t").unwrap().text(), "Björn Åsa");
        assert_eq!(e.child("w:instrText").unwrap().text(), "o\u{308}");
        assert_eq!(e.attr("a"), Some("o\u{308}"));
    }

    /// Just under the cap parses; one node more is refused, naming the cap.
    #[test]
    fn xml_nodes_are_capped() {
        // `<a>` and `</a>` are two events; each `<b/>` one; the end of input one more.
        let under = XML_NODES.value as usize - 3;
        let xml = format!("<a>{}</a>", "<b/>".repeat(under));
        assert!(parse(xml.as_bytes(), "p").is_ok());
        let xml = format!("<a>{}</a>", "<b/>".repeat(under + 1));
        let err = parse(xml.as_bytes(), "word/document.xml").unwrap_err();
        assert!(err.message.contains("(cap: XML nodes)"), "{}", err.message);
        assert!(err.message.starts_with("`word/document.xml` has more than"));
    }

    #[test]
    fn names_resolve_by_namespace_not_by_prefix() {
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        let xml = format!(
            r#"<ns0:document xmlns:ns0="{w}"><ns0:body><p xmlns="{w}" ns0:rsid="1"><r/></p><x:p xmlns:x="urn:other"/></ns0:body></ns0:document>"#
        );
        let e = parse(xml.as_bytes(), "p").unwrap();
        assert_eq!(e.name, "w:document");
        let body = e.child("w:body").unwrap();
        let names: Vec<&str> = body.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["w:p", "x:p"]);
        let p = body.child("w:p").unwrap();
        assert_eq!(p.attr("w:rsid"), Some("1"));
        assert!(p.child("w:r").is_some());
    }

    #[test]
    fn utf16_parts_are_read() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>Å€</a>";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(parse(&le, "p").unwrap().text(), "Å€");
        let be: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(parse(&be, "p").unwrap().text(), "Å€");
    }

    /// An element with more attributes than the cap is refused before they are checked
    /// (the check is quadratic); attributes count as nodes.
    #[test]
    fn attributes_are_capped_per_element_and_counted_as_nodes() {
        let attrs = |n: usize| (0..n).map(|i| format!(" a{i}=\"1\"")).collect::<String>();
        let ok = format!("<a{}/>", attrs(XML_ATTRIBUTES.value as usize));
        assert!(parse(ok.as_bytes(), "p").is_ok());
        let over = format!("<a{}/>", attrs(300_000));
        let err = parse(over.as_bytes(), "word/document.xml").unwrap_err();
        assert!(
            err.message.contains("(cap: XML attributes)"),
            "{}",
            err.message
        );
        let many = format!(
            "<a>{}</a>",
            format!("<b{}/>", attrs(200)).repeat(XML_NODES.value as usize / 200)
        );
        let err = parse(many.as_bytes(), "p").unwrap_err();
        assert!(err.message.contains("(cap: XML nodes)"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let xml = "<a>".repeat(10_000);
        assert!(parse(xml.as_bytes(), "p").is_err());
    }
}
