//! Walks `w:body` (and note bodies) into converter events: blocks (paragraphs, headings,
//! list items, tables), runs (text with its formatting, breaks, tabs, note references,
//! images), tracked changes in their accepted state and field results without instructions.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::Error;
use super::archive::Archive;
use super::images::Images;
use super::notes::{Kind, Notes};
use super::numbering::{Item, Numbering};
use super::rels::{Rels, part_path};
use super::styles::Styles;
use super::xml::Element;
use crate::markdown::{Driver, Extra};

/// Wider tables cannot be read on a page (and padding their rows could blow up).
const MAX_COLUMNS: usize = 64;

/// An open list: its instance and level, and whether it is bulleted.
#[derive(Debug, Clone)]
struct OpenList {
    num_id: String,
    level: usize,
    bullet: bool,
}

#[derive(Debug, Default)]
pub struct State {
    lists: Vec<OpenList>,
    /// Open fields: `true` while in the instruction part (hidden), `false` in the result.
    fields: Vec<bool>,
    /// How many of `fields` are `true` (kept so a run need not scan them all).
    hidden: usize,
    /// Notes referred to so far, in order of first reference: (kind, id).
    used: Vec<(Kind, String)>,
    used_set: HashSet<(bool, String)>,
    /// Inside a note body: references there cannot become notes of their own.
    in_note: bool,
    /// Top-level paragraphs seen, for locating problems ("paragraph 12").
    paragraph: usize,
}

pub struct Walker<'a, 'z> {
    pub driver: Driver<'a>,
    pub zip: &'z mut Archive<'z>,
    pub styles: &'a Styles,
    pub numbering: Numbering,
    pub rels: &'a Rels,
    pub foot: &'a Notes,
    pub end: &'a Notes,
    pub images: Images,
    pub state: State,
    pub warnings: Vec<String>,
}

/// Run formatting that wraps text.
#[derive(Debug, Default, Clone, Copy)]
struct Format {
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
    sup: bool,
    sub: bool,
}

/// `<w:b/>`, `<w:b w:val="true"/>` are on; `w:val="0"`/`"false"`/`"off"` is off.
fn toggle(rpr: &Element, name: &str) -> bool {
    rpr.child(name)
        .is_some_and(|e| !matches!(e.attr("w:val"), Some("0" | "false" | "off" | "none")))
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

fn cells_of(tr: &Element) -> Vec<&Element> {
    tr.elements().filter(|e| e.name == "w:tc").collect()
}

/// Whether a paragraph shows anything (Word uses empty paragraphs as spacing).
fn has_content(e: &Element) -> bool {
    e.elements().any(|c| match c.name.as_str() {
        "w:t" => !c.text().is_empty(),
        "w:tab"
        | "w:br"
        | "w:cr"
        | "w:sym"
        | "w:drawing"
        | "w:footnoteReference"
        | "w:endnoteReference"
        | "w:noBreakHyphen"
        | "w:pict" => true,
        "w:del" | "w:moveFrom" | "w:pPr" | "w:rPr" => false,
        _ => has_content(c),
    })
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

    fn blocks(&mut self, parent: &Element) -> Result<(), Error> {
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
                _ => {}
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, p: &Element) -> Result<(), Error> {
        if !self.state.in_note {
            self.state.paragraph += 1;
        }
        let ppr = p.child("w:pPr");
        let style = ppr.and_then(|p| p.child_val("w:pStyle"));
        let level = style.and_then(|s| self.styles.heading_level(s));
        let item = ppr.and_then(|p| p.child("w:numPr")).and_then(|n| {
            let num_id = n.child_val("w:numId")?;
            let ilvl = n
                .child_val("w:ilvl")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            self.numbering.next(num_id, ilvl)
        });
        if ppr.is_some_and(|p| toggle(p, "w:pageBreakBefore")) {
            self.close_lists(0);
            self.driver.extra(Extra::PageBreak);
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
            self.driver
                .event(Event::End(TagEnd::Heading(heading(level))));
            return Ok(());
        }
        if let Some(item) = item {
            self.list_item(&item);
            return self.inlines(p);
        }
        self.close_lists(0);
        if !has_content(p) {
            return Ok(());
        }
        self.driver.event(Event::Start(Tag::Paragraph));
        self.inlines(p)?;
        self.driver.event(Event::End(TagEnd::Paragraph));
        Ok(())
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
    fn close_lists(&mut self, keep: usize) {
        while self.state.lists.len() > keep {
            self.state.lists.pop();
            self.driver.event(Event::End(TagEnd::Item));
            self.driver.extra(Extra::ListEnd);
        }
    }

    fn table(&mut self, tbl: &Element) -> Result<(), Error> {
        self.close_lists(0);
        let rows: Vec<&Element> = tbl.elements().filter(|e| e.name == "w:tr").collect();
        let span = |tc: &Element| {
            tc.child("w:tcPr")
                .and_then(|p| p.child_val("w:gridSpan"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64)
        };
        let columns = rows
            .iter()
            .map(|tr| cells_of(tr).iter().map(|tc| span(tc)).sum::<usize>())
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return Ok(());
        }
        if columns > MAX_COLUMNS {
            return Err(Error::new(format!(
                "paragraph {}: a table with {columns} columns is more than {MAX_COLUMNS}, which no page can show",
                self.state.paragraph
            )));
        }
        self.driver.extra(Extra::TableStart { columns });
        let saved = std::mem::take(&mut self.state.lists);
        for tr in rows {
            let mut used = 0;
            for tc in cells_of(tr) {
                self.driver.extra(Extra::CellStart);
                self.blocks(tc)?;
                self.close_lists(0);
                self.driver.extra(Extra::CellEnd);
                // A merged cell is flattened: its extra columns stay empty.
                let s = span(tc);
                for _ in 1..s {
                    self.driver.extra(Extra::CellStart);
                    self.driver.extra(Extra::CellEnd);
                }
                used += s;
            }
            for _ in used..columns {
                self.driver.extra(Extra::CellStart);
                self.driver.extra(Extra::CellEnd);
            }
        }
        self.state.lists = saved;
        self.driver.extra(Extra::TableEnd);
        Ok(())
    }

    fn inlines(&mut self, parent: &Element) -> Result<(), Error> {
        for e in parent.elements() {
            match e.name.as_str() {
                "w:r" => self.run(e)?,
                "w:hyperlink" => self.hyperlink(e)?,
                "w:ins" | "w:moveTo" | "w:smartTag" | "w:customXml" | "w:fldSimple" | "w:dir"
                | "w:bdo" | "w:sdtContent" => self.inlines(e)?,
                "w:sdt" => {
                    if let Some(c) = e.child("w:sdtContent") {
                        self.inlines(c)?;
                    }
                }
                "m:oMathPara" | "m:oMath" => {
                    let text = e.text();
                    self.text(&text, Format::default());
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn hyperlink(&mut self, h: &Element) -> Result<(), Error> {
        let target = h
            .attr("r:id")
            .and_then(|id| self.rels.get(id))
            .map(|r| r.target.clone());
        let Some(url) = target else {
            // An anchor inside the document (or a broken link): its text, as text.
            return self.inlines(h);
        };
        self.driver.event(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(url),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        self.inlines(h)?;
        self.driver.event(Event::End(TagEnd::Link));
        Ok(())
    }

    fn showing(&self) -> bool {
        self.state.hidden == 0
    }

    fn run(&mut self, r: &Element) -> Result<(), Error> {
        let f = r.child("w:rPr").map_or(Format::default(), |rpr| Format {
            bold: toggle(rpr, "w:b"),
            italic: toggle(rpr, "w:i"),
            underline: toggle(rpr, "w:u"),
            strike: toggle(rpr, "w:strike") || toggle(rpr, "w:dstrike"),
            sup: rpr.child_val("w:vertAlign") == Some("superscript"),
            sub: rpr.child_val("w:vertAlign") == Some("subscript"),
        });
        self.run_content(r, f)
    }

    /// A field is `begin`, instruction (hidden), `separate`, result (shown), `end`.
    fn field_char(&mut self, kind: Option<&str>) {
        let fields = &mut self.state.fields;
        match kind {
            Some("begin") => {
                fields.push(true);
                self.state.hidden += 1;
            }
            Some("separate") if fields.last() == Some(&true) => {
                fields.pop();
                fields.push(false);
                self.state.hidden -= 1;
            }
            Some("end") => {
                let was_hidden = fields.pop() == Some(true);
                self.state.hidden -= usize::from(was_hidden);
            }
            _ => {}
        }
    }

    fn run_content(&mut self, r: &Element, f: Format) -> Result<(), Error> {
        for c in r.elements() {
            match c.name.as_str() {
                "w:fldChar" => self.field_char(c.attr("w:fldCharType")),
                _ if !self.showing() => {}
                "w:t" => {
                    let text = c.text();
                    self.text(&text, f);
                }
                "w:tab" | "w:ptab" => self.driver.extra(Extra::Tab),
                "w:br" if c.attr("w:type") == Some("page") => self.driver.extra(Extra::PageBreak),
                "w:br" | "w:cr" => self.driver.event(Event::HardBreak),
                "w:noBreakHyphen" => self.text("\u{2011}", f),
                "w:softHyphen" => self.text("\u{00AD}", f),
                "w:sym" => {
                    let ch = c
                        .attr("w:char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                        // Symbol-font characters live in the private use area: no meaning.
                        .filter(|ch| !('\u{E000}'..='\u{F8FF}').contains(ch));
                    if let Some(ch) = ch {
                        self.text(&ch.to_string(), f);
                    }
                }
                "w:footnoteReference" => self.note_ref(Kind::Footnote, c)?,
                "w:endnoteReference" => self.note_ref(Kind::Endnote, c)?,
                "w:drawing" => self.drawing(c)?,
                "w:pict" | "w:object" => self.warnings.push(format!(
                    "paragraph {}: an old-style (VML) picture or object is left out",
                    self.state.paragraph
                )),
                "mc:AlternateContent" => {
                    if let Some(choice) = c.child("mc:Choice") {
                        self.run_content(choice, f)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn text(&mut self, text: &str, f: Format) {
        if text.is_empty() {
            return;
        }
        let tags: Vec<Tag> = [
            (f.bold, Tag::Strong),
            (f.italic, Tag::Emphasis),
            (f.strike, Tag::Strikethrough),
            (f.sup, Tag::Superscript),
            (f.sub, Tag::Subscript),
        ]
        .into_iter()
        .filter_map(|(on, t)| on.then_some(t))
        .collect();
        for t in &tags {
            self.driver.event(Event::Start(t.clone()));
        }
        if f.underline {
            self.driver.extra(Extra::UnderlineStart);
        }
        self.driver
            .event(Event::Text(CowStr::from(text.to_owned())));
        if f.underline {
            self.driver.extra(Extra::UnderlineEnd);
        }
        for t in tags.iter().rev() {
            self.driver.event(Event::End(t.to_end()));
        }
    }

    fn note_ref(&mut self, kind: Kind, r: &Element) -> Result<(), Error> {
        let id = r.attr("w:id").unwrap_or("");
        if self.state.in_note {
            self.warnings.push(format!(
                "a {} inside a note is left out (a note cannot carry a note)",
                kind.noun()
            ));
            return Ok(());
        }
        let notes = match kind {
            Kind::Footnote => self.foot,
            Kind::Endnote => self.end,
        };
        if notes.get(id).is_none() {
            let file = match kind {
                Kind::Footnote => "word/footnotes.xml",
                Kind::Endnote => "word/endnotes.xml",
            };
            return Err(Error::new(format!(
                "paragraph {} refers to {} id `{id}`, which `{file}` does not have",
                self.state.paragraph,
                kind.noun()
            ))
            .hint("the document is damaged: open it in Word or LibreOffice, fix the note and save it again"));
        }
        let label = format!("{}{id}", &kind.noun()[..1]);
        if self
            .state
            .used_set
            .insert((kind == Kind::Footnote, id.to_owned()))
        {
            self.state.used.push((kind, id.to_owned()));
        }
        self.driver
            .event(Event::FootnoteReference(CowStr::from(label)));
        Ok(())
    }

    fn drawing(&mut self, d: &Element) -> Result<(), Error> {
        let mut props = Vec::new();
        d.descendants("wp:docPr", &mut props);
        let alt = props
            .first()
            .map(|p| {
                let descr = p.attr("descr").unwrap_or("").trim();
                let title = p.attr("title").unwrap_or("").trim();
                if descr.is_empty() { title } else { descr }.to_owned()
            })
            .unwrap_or_default();
        let mut extents = Vec::new();
        d.descendants("wp:extent", &mut extents);
        // EMU: 12,700 per point.
        let width_pt = extents
            .first()
            .and_then(|e| e.attr("cx"))
            .and_then(|cx| cx.parse::<f64>().ok())
            .map(|cx| cx / 12_700.0);
        let mut blips = Vec::new();
        d.descendants("a:blip", &mut blips);
        let Some(blip) = blips.first() else {
            return Ok(());
        };
        let para = self.state.paragraph;
        let rel = blip
            .attr("r:embed")
            .and_then(|id| self.rels.get(id))
            .filter(|r| !r.external);
        let path = match rel {
            Some(rel) => {
                let part = part_path(&rel.target);
                if let Some(path) = self.images.known(&part) {
                    Some(path.to_owned())
                } else if let Some(bytes) = self.zip.read(&part)? {
                    self.images.add(&part, bytes)
                } else {
                    self.warnings
                        .push(format!("paragraph {para}: image `{part}` is missing"));
                    None
                }
            }
            None => {
                self.warnings.push(format!(
                    "paragraph {para}: a linked (external) image is never fetched; its alt text is shown"
                ));
                None
            }
        };
        let Some(path) = path else {
            if !alt.is_empty() {
                self.text(&format!("[{alt}]"), Format::default());
            }
            return Ok(());
        };
        let alt = if alt.is_empty() {
            self.warnings.push(format!(
                "paragraph {para}: an image has no alt text; \"{}\" is used",
                self.images.alt_fallback
            ));
            self.images.alt_fallback.clone()
        } else {
            alt
        };
        self.driver.extra(Extra::Image {
            path,
            alt,
            width_pt,
        });
        Ok(())
    }
}
