//! Footnotes and endnotes (`word/footnotes.xml`, `word/endnotes.xml`): note bodies by id,
//! without the separator notes Word keeps there, and the relationships their links use.

use std::collections::HashMap;

use super::rels::Rels;
use super::xml::{Element, Node};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Footnote,
    Endnote,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Footnote => "footnote",
            Kind::Endnote => "endnote",
        }
    }

    fn element(self) -> &'static str {
        match self {
            Kind::Footnote => "w:footnote",
            Kind::Endnote => "w:endnote",
        }
    }
}

pub(crate) struct Notes {
    bodies: HashMap<String, Element>,
    pub rels: Rels,
}

impl Notes {
    pub fn new(kind: Kind, root: Option<Element>, rels: Rels) -> Self {
        let mut bodies = HashMap::new();
        if let Some(root) = root {
            for node in root.children {
                let Node::Element(e) = node else { continue };
                if e.name != kind.element() || e.attr("w:type").is_some_and(|t| t != "normal") {
                    continue;
                }
                if let Some(id) = e.attr("w:id") {
                    bodies.insert(id.to_owned(), e);
                }
            }
        }
        Self { bodies, rels }
    }

    pub fn get(&self, id: &str) -> Option<&Element> {
        self.bodies.get(id)
    }
}
