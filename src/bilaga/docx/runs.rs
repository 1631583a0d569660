//! Inline content: runs with their formatting, hyperlinks, breaks and tabs, field results
//! (never their instructions), tracked insertions (deletions skipped) and note references.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::Error;
use super::body::Walker;
use super::notes::Kind;
use super::xml::Element;
use crate::markdown::Extra;

/// Run formatting that wraps text.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Format {
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
    sup: bool,
    sub: bool,
}

/// `<w:b/>`, `<w:b w:val="true"/>` are on; `w:val="0"`/`"false"`/`"off"` is off.
pub(super) fn toggle(rpr: &Element, name: &str) -> bool {
    rpr.child(name)
        .is_some_and(|e| !matches!(e.attr("w:val"), Some("0" | "false" | "off" | "none")))
}

impl Walker<'_, '_> {
    pub(super) fn inlines(&mut self, parent: &Element) -> Result<(), Error> {
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
        // A run in a "Sekretess" character style is withheld from the web edition.
        let sekretess = r
            .child("w:rPr")
            .and_then(|rpr| rpr.child_val("w:rStyle"))
            .and_then(|id| self.styles.sekretess(id))
            .map(str::to_owned);
        let Some(reason) = sekretess else {
            return self.run_content(r, f);
        };
        self.driver.extra(Extra::SekretessStart { reason });
        let done = self.run_content(r, f);
        self.driver.extra(Extra::SekretessEnd);
        done
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

    pub(super) fn text(&mut self, text: &str, f: Format) {
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
}
