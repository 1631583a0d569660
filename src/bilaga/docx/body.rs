//! Walks `w:body` (and note bodies) into converter events: blocks — paragraphs, headings,
//! list items (nested as the numbering says) — and the notes referred to, after the text.
//! Runs are in [`super::runs`], tables in [`super::tables`], images in [`super::images`].

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Error;
use super::archive::Archive;
use super::images::Images;
use super::notes::{Kind, Notes};
use super::numbering::{Item, Numbering};
use super::rels::Rels;
use super::runs::toggle;
use super::styles::Styles;
use super::xml::Element;
use crate::markdown::{Driver, Extra};

/// An open list: its instance and level, and whether it is bulleted.
#[derive(Debug, Clone)]
pub(super) struct OpenList {
    num_id: String,
    level: usize,
    bullet: bool,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(super) lists: Vec<OpenList>,
    /// Open fields (`w:fldChar` begin … end), innermost last.
    pub(super) fields: Vec<super::runs::Field>,
    /// How many of `fields` are in their instruction part (kept so a run need not scan them).
    pub(super) hidden: usize,
    /// Notes referred to so far, in order of first reference: (kind, id).
    pub(super) used: Vec<(Kind, String)>,
    pub(super) used_set: HashSet<(bool, String)>,
    /// Inside a note body: references there cannot become notes of their own.
    pub(super) in_note: bool,
    /// Top-level paragraphs seen, for locating problems ("paragraph 12").
    pub(super) paragraph: usize,
    /// The paragraph now read is in a "Sekretess" paragraph style (Word's quick "Create a
    /// Style" makes a linked paragraph style): its runs are withheld with this reason.
    pub(super) para_sekretess: Option<String>,
    /// Inside a text box: its paragraphs are located by the paragraph it is anchored in.
    pub(super) in_box: usize,
}

pub(crate) struct Walker<'a, 'z> {
    pub driver: Driver<'a>,
    pub zip: &'z mut Archive<'z>,
    pub styles: &'a Styles,
    pub numbering: Numbering,
    pub rels: &'a Rels,
    pub foot: &'a Notes,
    pub end: &'a Notes,
    pub images: Images,
    pub(crate) state: State,
    pub warnings: Vec<String>,
    /// The symbol font (Wingdings, Symbol) of the run being read, if it is set in one.
    pub font: Option<String>,
}

fn heading(level: u8) -> HeadingLevel {
    match level {
        0 | 1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Whether a paragraph shows anything (Word uses empty paragraphs as spacing).
fn has_content(e: &Element) -> bool {
    e.elements().any(|c| match c.name.as_str() {
        "w:t" | "m:t" => !c.text().is_empty(),
        "w:tab"
        | "w:br"
        | "w:cr"
        | "w:sym"
        | "w:footnoteReference"
        | "w:endnoteReference"
        | "w:noBreakHyphen" => true,
        // A text box is set as paragraphs of its own after its anchor's paragraph.
        "w:drawing" | "w:pict" | "w:object" => !holds_text_box(c),
        // Word shows the choice; the fallback is an older copy of the same thing.
        "mc:Fallback" => false,
        // A form checkbox shows its box though the field has no result text.
        "w:fldChar" => c.child("w:ffData").is_some(),
        "w:del" | "w:moveFrom" | "w:pPr" | "w:rPr" => false,
        "w:r" if c.child("w:rPr").is_some_and(super::runs::hidden_rpr) => false,
        _ => has_content(c),
    })
}

/// Whether a drawing or VML picture is a text box (its content is walked as paragraphs).
pub(super) fn holds_text_box(e: &Element) -> bool {
    let mut found = Vec::new();
    e.descendants("w:txbxContent", &mut found);
    !found.is_empty()
}

/// The text boxes anchored in paragraph `p`, outermost only (a box in a box is found when
/// its outer box's paragraphs are walked), skipping what Word does not show: an
/// `mc:Fallback` copy, deleted or moved-away content, hidden runs.
fn text_boxes<'e>(e: &'e Element, out: &mut Vec<&'e Element>) {
    for c in e.elements() {
        match c.name.as_str() {
            "w:txbxContent" => out.push(c),
            "mc:Fallback" | "w:del" | "w:moveFrom" | "w:pPr" | "w:rPr" => {}
            "w:r" if c.child("w:rPr").is_some_and(super::runs::hidden_rpr) => {}
            _ => text_boxes(c, out),
        }
    }
}

/// Whether a paragraph shows nothing but white space: no visible text, picture, symbol,
/// note or form field (an empty heading, which PDF/UA refuses).
fn is_blank(p: &Element) -> bool {
    if !has_content(p) {
        return true;
    }
    let mut shown = Vec::new();
    for name in [
        "w:drawing",
        "w:pict",
        "w:sym",
        "w:footnoteReference",
        "w:endnoteReference",
        "w:ffData",
        "w:sdtPr",
    ] {
        p.descendants(name, &mut shown);
    }
    if !shown.is_empty() {
        return false;
    }
    let mut texts = Vec::new();
    p.descendants("w:t", &mut texts);
    texts.iter().all(|t| t.text().trim().is_empty())
}

impl<'a, 'z> Walker<'a, 'z> {
    pub fn document(&mut self, body: &Element) -> Result<(), Error> {
        self.blocks(body)?;
        self.close_lists(0);
        // Note bodies follow the text; the converter places each at its reference.
        let mut i = 0;
        while let Some((kind, id)) = self.state.used.get(i).cloned() {
            i += 1;
            let notes = match kind {
                Kind::Footnote => self.foot,
                Kind::Endnote => self.end,
            };
            let Some(note) = notes.get(&id) else { continue };
            let label = format!("{}{id}", &kind.noun()[..1]);
            self.driver
                .event(Event::Start(Tag::FootnoteDefinition(CowStr::from(label))));
            let saved = std::mem::take(&mut self.state.lists);
            let rels = std::mem::replace(&mut self.rels, &notes.rels);
            self.state.in_note = true;
            self.blocks(note)?;
            self.close_lists(0);
            self.state.in_note = false;
            self.rels = rels;
            self.state.lists = saved;
            self.driver.event(Event::End(TagEnd::FootnoteDefinition));
        }
        Ok(())
    }

    pub(super) fn blocks(&mut self, parent: &Element) -> Result<(), Error> {
        for e in parent.elements() {
            match e.name.as_str() {
                "w:p" => self.paragraph(e)?,
                "w:tbl" => self.table(e)?,
                "w:sdt" => {
                    if let Some(c) = e.child("w:sdtContent") {
                        self.blocks(c)?;
                    }
                }
                "w:customXml" | "w:ins" | "w:moveTo" | "w:sdtContent" => self.blocks(e)?,
                "w:altChunk" => self.alt_chunk(e)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A paragraph, then the text boxes anchored in it, each box's paragraphs as paragraphs
    /// of their own: a box's frame and position have no place in the protocol's flow, and
    /// its text glued into the anchor's sentence would read as one (issue 23).
    fn paragraph(&mut self, p: &Element) -> Result<(), Error> {
        self.paragraph_itself(p)?;
        let mut boxes = Vec::new();
        text_boxes(p, &mut boxes);
        if boxes.is_empty() {
            return Ok(());
        }
        let para = self.state.paragraph;
        self.close_lists(0);
        self.state.in_box += 1;
        for b in boxes {
            self.blocks(b)?;
        }
        self.state.in_box -= 1;
        self.close_lists(0);
        self.warnings.push(format!(
            "paragraph {para}: the text of a text box is set as paragraphs of its own after the paragraph it is anchored in (its frame and position are not kept)"
        ));
        Ok(())
    }

    fn paragraph_itself(&mut self, p: &Element) -> Result<(), Error> {
        let style = p.child("w:pPr").and_then(|p| p.child_val("w:pStyle"));
        let sekretess = style
            .and_then(|s| self.styles.sekretess_paragraph(s))
            .map(str::to_owned);
        // A note inside has its own paragraphs: the outer one's style comes back after it.
        let outer = std::mem::replace(&mut self.state.para_sekretess, sekretess);
        let done = self.paragraph_body(p);
        self.state.para_sekretess = outer;
        done
    }

    fn paragraph_body(&mut self, p: &Element) -> Result<(), Error> {
        if !self.state.in_note && self.state.in_box == 0 {
            self.state.paragraph += 1;
        }
        let ppr = p.child("w:pPr");
        let style = ppr.and_then(|p| p.child_val("w:pStyle"));
        // A heading inside a note has no place in the document outline: it is text there.
        let level = style
            .and_then(|s| self.styles.heading_level(s))
            .filter(|_| !self.state.in_note);
        let item = self.numbered(ppr, style);
        if ppr.is_some_and(|p| toggle(p, "w:pageBreakBefore")) {
            self.close_lists(0);
            self.driver.extra(Extra::PageBreak);
        }
        if level.is_some() && is_blank(p) {
            // PDF/UA refuses an empty heading, and it says nothing: left out, named.
            self.warnings.push(format!(
                "paragraph {}: an empty heading (style `{}`) is left out",
                self.state.paragraph,
                style.unwrap_or_default()
            ));
            return Ok(());
        }
        if let Some(level) = level {
            self.close_lists(0);
            self.driver.event(Event::Start(Tag::Heading {
                level: heading(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            }));
            if let Some(item) = &item {
                self.driver
                    .event(Event::Text(CowStr::from(format!("{} ", item.label))));
            }
            self.inlines(p)?;
            self.close_field_links();
            self.driver
                .event(Event::End(TagEnd::Heading(heading(level))));
            return Ok(());
        }
        if let Some(item) = item {
            self.list_item(&item);
            self.inlines(p)?;
            self.close_field_links();
            return Ok(());
        }
        self.close_lists(0);
        if !has_content(p) {
            return Ok(());
        }
        self.driver.event(Event::Start(Tag::Paragraph));
        self.inlines(p)?;
        self.close_field_links();
        self.driver.event(Event::End(TagEnd::Paragraph));
        Ok(())
    }

    /// The list item a paragraph is, from its own `w:numPr` or its style's (through the
    /// `basedOn` chain; List Number, List Bullet and custom list styles number this way):
    /// the paragraph's `numId`/`ilvl` win, then the style's, then the level tied to the
    /// style in the numbering definition. `numId` 0 switches numbering off.
    fn numbered(&mut self, ppr: Option<&Element>, style: Option<&str>) -> Option<Item> {
        let direct = ppr.and_then(|p| p.child("w:numPr"));
        let from_style = style.and_then(|s| self.styles.numbering(s));
        let num_id = direct
            .and_then(|n| n.child_val("w:numId"))
            .map(str::to_owned)
            .or_else(|| from_style.as_ref().map(|(id, _)| id.clone()))?;
        if num_id == "0" {
            return None;
        }
        let ilvl = direct
            .and_then(|n| n.child_val("w:ilvl"))
            .and_then(|v| v.parse::<usize>().ok())
            .or_else(|| from_style.as_ref().and_then(|(_, l)| *l))
            .or_else(|| style.and_then(|s| self.numbering.level_of_style(&num_id, s)))
            .unwrap_or(0);
        self.numbering.next(&num_id, ilvl)
    }

    /// Opens or continues the list `item` belongs to; its item stays open for nested lists.
    fn list_item(&mut self, item: &Item) {
        while let Some(top) = self.state.lists.last() {
            let same_list = top.num_id == item.num_id && top.bullet == item.bullet;
            if top.level > item.level || (top.level == item.level && !same_list) {
                self.close_lists(self.state.lists.len() - 1);
            } else {
                break;
            }
        }
        if self
            .state
            .lists
            .last()
            .is_some_and(|top| top.level == item.level)
        {
            self.driver.event(Event::End(TagEnd::Item));
            self.driver.event(Event::Start(Tag::Item));
            return;
        }
        if item.bullet {
            self.driver.event(Event::Start(Tag::List(None)));
        } else {
            self.driver.extra(Extra::EnumStart {
                pattern: item.pattern.clone(),
                start: item.number,
                full: item.full,
            });
        }
        self.state.lists.push(OpenList {
            num_id: item.num_id.clone(),
            level: item.level,
            bullet: item.bullet,
        });
        self.driver.event(Event::Start(Tag::Item));
    }

    /// Closes open lists until `keep` remain.
    pub(super) fn close_lists(&mut self, keep: usize) {
        while self.state.lists.len() > keep {
            self.state.lists.pop();
            self.driver.event(Event::End(TagEnd::Item));
            self.driver.extra(Extra::ListEnd);
        }
    }
}
