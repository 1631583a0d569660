//! A small element tree over quick-xml, with the refusals a document from outside needs:
//! no DOCTYPE (so no entity declarations, never expanded), only the five predefined entities
//! and character references, bounded nesting depth (no stack overflow on hostile input).
//!
//! Names are kept qualified as written (`w:p`): Word, LibreOffice and pandoc all write the
//! conventional prefixes, and matching on them keeps the walker simple.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Error;
use crate::bilaga::limits::XML_NODES;

/// Deeper nesting than this is no document a word processor writes.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug)]
pub enum Node {
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
    pub fn child_val(&self, name: &str) -> Option<&str> {
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
    pub fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
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
    let text =
        std::str::from_utf8(bytes).map_err(|_| Error::new(format!("`{part}` is not UTF-8 XML")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let bad = |why: String| Error::new(format!("`{part}` is not well-formed XML: {why}"));
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut nodes = 0u64;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| bad(e.to_string().to_lowercase()))?;
        nodes += 1;
        if XML_NODES.over(nodes) {
            return Err(Error::new(format!("`{part}` has {}", XML_NODES.exceeded())).hint(
                "split the document into several bilagor, or attach it as PDF (see \"Limits\" in README.md)",
            ));
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
                stack.push(element(&start, part)?);
            }
            Event::Empty(start) => {
                let e = element(&start, part)?;
                push_child(&mut stack, Node::Element(e));
            }
            Event::End(_) => {
                let done = stack.pop().unwrap_or_default();
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

fn element(start: &BytesStart, part: &str) -> Result<Element, Error> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| {
            Error::new(format!("`{part}` has a malformed attribute: {e}").to_lowercase())
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|e| Error::new(format!("`{part}`: attribute `{key}`: {e}").to_lowercase()))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
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
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let xml = "<a>".repeat(10_000);
        assert!(parse(xml.as_bytes(), "p").is_err());
    }
}
