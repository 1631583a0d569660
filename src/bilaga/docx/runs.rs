//! Inline content: runs with their formatting, hyperlinks, breaks and tabs, field results
//! (never their instructions; a `HYPERLINK` field's result is a link), form checkboxes and
//! symbol boxes as ☒/☐, tracked insertions (deletions skipped), hidden text left out as Word
//! leaves it out when printing (`w:vanish`, issue 12 kind 2) and note references.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::Error;
use super::body::Walker;
use super::notes::Kind;
use super::symbols::{is_symbol_font, symbol};
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

/// An open field: `w:fldChar` begin, instruction, separate, result, end (ECMA-376 §17.16.18).
#[derive(Debug, Default)]
pub(crate) struct Field {
    /// In the instruction part (not shown) until `separate`.
    instruction: bool,
    /// The instruction text collected so far, e.g. ` HYPERLINK "https://…" `.
    code: String,
    /// Whether a link was opened for the result (closed at `end` or at the paragraph's end).
    link: bool,
}

/// A checkbox as text: ☒ ticked, ☐ not.
fn checkbox(ticked: bool) -> &'static str {
    if ticked { "\u{2612}" } else { "\u{2610}" }
}

/// Whether run properties hide the run (`w:vanish`, `w:specVanish`): Word does not print it.
pub(super) fn hidden_rpr(rpr: &Element) -> bool {
    toggle(rpr, "w:vanish") || toggle(rpr, "w:specVanish")
}

/// The target of a `HYPERLINK` field instruction, e.g. ` HYPERLINK "https://x.se" \o "tip"`;
/// `None` for a jump inside the document (`\l`) or another field.
fn hyperlink_target(code: &str) -> Option<String> {
    let rest = code.trim_start().strip_prefix("HYPERLINK")?;
    let mut url = None;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let switch = chars.next()?;
                if switch == 'l' {
                    return None;
                }
                // A switch's argument follows: skip it.
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&'"') {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == '"' {
                            break;
                        }
                    }
                } else {
                    while chars.peek().is_some_and(|c| !c.is_whitespace()) {
                        chars.next();
                    }
                }
            }
            '"' if url.is_none() => {
                let mut u = String::new();
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    u.push(c);
                }
                url = Some(u);
            }
            c if !c.is_whitespace() && url.is_none() => {
                let mut u = String::from(c);
                while chars.peek().is_some_and(|c| !c.is_whitespace()) {
                    u.extend(chars.next());
                }
                url = Some(u);
            }
            _ => {}
        }
    }
    url.filter(|u| !u.trim().is_empty())
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
                "w:fldSimple" => self.simple_field(e)?,
                "w:ins" | "w:moveTo" | "w:smartTag" | "w:customXml" | "w:dir" | "w:bdo"
                | "w:sdtContent" => self.inlines(e)?,
                "w:sdt" => self.inline_sdt(e)?,
                "m:oMathPara" | "m:oMath" if self.showing() => {
                    let text = super::math::linear(e);
                    if !text.is_empty() {
                        self.text(&text, Format::default());
                        let shown: String = text.chars().take(80).collect();
                        let more = if shown.len() < text.len() { "…" } else { "" };
                        self.warnings.push(format!(
                            "paragraph {}: an equation is shown as linear text: \"{shown}{more}\"",
                            self.state.paragraph
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A content control inside a paragraph: its content, or for a checkbox control
    /// (`w14:checkbox`) its state as ☒/☐ (the content is only Word's drawing of the box).
    fn inline_sdt(&mut self, e: &Element) -> Result<(), Error> {
        let check = e.child("w:sdtPr").and_then(|p| p.child("w14:checkbox"));
        if let Some(check) = check {
            if self.showing() {
                let ticked = check
                    .child("w14:checked")
                    .and_then(|c| c.attr("w14:val"))
                    .is_some_and(|v| matches!(v, "1" | "true" | "on"));
                self.text(checkbox(ticked), Format::default());
            }
            return Ok(());
        }
        match e.child("w:sdtContent") {
            Some(c) => self.inlines(c),
            None => Ok(()),
        }
    }

    /// `w:fldSimple`: its result runs; a `HYPERLINK` one is a link.
    fn simple_field(&mut self, e: &Element) -> Result<(), Error> {
        let url = e.attr("w:instr").and_then(hyperlink_target);
        let opened = match url {
            Some(url) if self.showing() => self.open_link(url),
            _ => false,
        };
        self.inlines(e)?;
        if opened {
            self.driver.event(Event::End(TagEnd::Link));
        }
        Ok(())
    }

    /// Opens a link to `url`, or says (once, located) why it cannot be one: its text is
    /// kept either way. Returns whether a link was opened.
    fn open_link(&mut self, url: String) -> bool {
        if let Some(why) = crate::markdown::refused_link(&url) {
            let shown: String = url.chars().take(60).collect();
            self.warnings.push(format!(
                "paragraph {}: {why}: its text is shown without the link `{shown}`",
                self.state.paragraph
            ));
            return false;
        }
        self.driver.event(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(url),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        true
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
        let opened = self.open_link(url);
        self.inlines(h)?;
        if opened {
            self.driver.event(Event::End(TagEnd::Link));
        }
        Ok(())
    }

    /// Closes the links of `HYPERLINK` fields still open at a paragraph's end: a link cannot
    /// span paragraphs in the output (the field's later result runs stay plain text).
    pub(super) fn close_field_links(&mut self) {
        for f in self.state.fields.iter_mut().filter(|f| f.link) {
            f.link = false;
            self.driver.event(Event::End(TagEnd::Link));
        }
    }

    fn showing(&self) -> bool {
        self.state.hidden == 0
    }

    fn run(&mut self, r: &Element) -> Result<(), Error> {
        let rpr = r.child("w:rPr");
        let hidden = rpr.is_some_and(|rpr| {
            hidden_rpr(rpr)
                || rpr
                    .child_val("w:rStyle")
                    .is_some_and(|s| self.styles.hidden(s))
        });
        if hidden {
            // Not printed by Word; its field characters still open and close fields.
            for c in r.elements().filter(|c| c.name == "w:fldChar") {
                self.field_char(c);
            }
            return Ok(());
        }
        let f = rpr.map_or(Format::default(), |rpr| Format {
            bold: toggle(rpr, "w:b"),
            italic: toggle(rpr, "w:i"),
            underline: toggle(rpr, "w:u"),
            strike: toggle(rpr, "w:strike") || toggle(rpr, "w:dstrike"),
            sup: rpr.child_val("w:vertAlign") == Some("superscript"),
            sub: rpr.child_val("w:vertAlign") == Some("subscript"),
        });
        // A run set in a symbol font shows its glyphs, not its letters ("þ" in Wingdings
        // is a ticked box).
        let font = rpr
            .and_then(|rpr| rpr.child("w:rFonts"))
            .and_then(|f| f.attr("w:ascii").or(f.attr("w:hAnsi")))
            .filter(|f| is_symbol_font(f));
        self.font = font.map(str::to_owned);
        // A run in a "Sekretess" character style is withheld from the web edition.
        let sekretess = rpr
            .and_then(|rpr| rpr.child_val("w:rStyle"))
            .and_then(|id| self.styles.sekretess(id))
            .map(str::to_owned)
            .or_else(|| self.state.para_sekretess.clone());
        let done = match sekretess {
            None => self.run_content(r, f),
            Some(reason) => {
                self.driver.extra(Extra::SekretessStart { reason });
                let done = self.run_content(r, f);
                self.driver.extra(Extra::SekretessEnd);
                done
            }
        };
        self.font = None;
        done
    }

    /// A field is `begin`, instruction (hidden), `separate`, result (shown), `end`. A legacy
    /// form checkbox (`FORMCHECKBOX`) has no result: Word draws the box from `w:ffData`, so
    /// it is shown here as ☒/☐; a `HYPERLINK` field's result becomes a link.
    fn field_char(&mut self, c: &Element) {
        match c.attr("w:fldCharType") {
            Some("begin") => {
                let form = c.child("w:ffData");
                if let Some(check) = form.and_then(|f| f.child("w:checkBox"))
                    && self.showing()
                {
                    let ticked = match check.child("w:checked") {
                        Some(_) => toggle(check, "w:checked"),
                        None => toggle(check, "w:default"),
                    };
                    self.text(checkbox(ticked), Format::default());
                }
                if let Some(list) = form.and_then(|f| f.child("w:ddList"))
                    && self.showing()
                {
                    let chosen = list
                        .child_val("w:result")
                        .or(list.child_val("w:default"))
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    let entry = list
                        .elements()
                        .filter(|e| e.name == "w:listEntry")
                        .nth(chosen)
                        .and_then(|e| e.attr("w:val"));
                    if let Some(entry) = entry {
                        self.text(entry, Format::default());
                    }
                }
                self.state.fields.push(Field {
                    instruction: true,
                    ..Field::default()
                });
                self.state.hidden += 1;
            }
            Some("separate") => {
                let Some(field) = self.state.fields.last_mut() else {
                    return;
                };
                if !field.instruction {
                    return;
                }
                field.instruction = false;
                self.state.hidden -= 1;
                let url = hyperlink_target(&field.code);
                if let Some(url) = url
                    && self.showing()
                    && self.open_link(url)
                    && let Some(field) = self.state.fields.last_mut()
                {
                    field.link = true;
                }
            }
            Some("end") => {
                let Some(field) = self.state.fields.pop() else {
                    return;
                };
                self.state.hidden -= usize::from(field.instruction);
                if field.link {
                    self.driver.event(Event::End(TagEnd::Link));
                }
            }
            _ => {}
        }
    }

    fn run_content(&mut self, r: &Element, f: Format) -> Result<(), Error> {
        for c in r.elements() {
            match c.name.as_str() {
                "w:fldChar" => self.field_char(c),
                "w:instrText" => {
                    if let Some(field) = self.state.fields.last_mut()
                        && field.instruction
                        && field.code.len() < 4096
                    {
                        field.code.push_str(&c.text());
                    }
                }
                _ if !self.showing() => {}
                "w:t" => {
                    let text = c.text();
                    match self.font.clone() {
                        Some(font) => self.symbol_text(&font, &text, f),
                        None => self.text(&text, f),
                    }
                }
                "w:tab" | "w:ptab" => self.driver.extra(Extra::Tab),
                "w:br" if c.attr("w:type") == Some("page") => self.driver.extra(Extra::PageBreak),
                "w:br" | "w:cr" => self.driver.event(Event::HardBreak),
                "w:noBreakHyphen" => self.text("\u{2011}", f),
                "w:softHyphen" => self.text("\u{00AD}", f),
                "w:sym" => {
                    let font = c.attr("w:font").unwrap_or("");
                    let code = c
                        .attr("w:char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .unwrap_or(0);
                    let ch = self.drawable_symbol(font, code).or_else(|| {
                        // A real character (not a symbol font's private-use code) is itself.
                        char::from_u32(code)
                            .filter(|ch| !('\u{E000}'..='\u{F8FF}').contains(ch))
                            .filter(|ch| !ch.is_control())
                    });
                    match ch {
                        Some(ch) => self.text(&ch.to_string(), f),
                        None if symbol(font, code).is_some() => {}
                        None => self.unknown_symbol(font, code),
                    }
                }
                "w:footnoteReference" => self.note_ref(Kind::Footnote, c)?,
                "w:endnoteReference" => self.note_ref(Kind::Endnote, c)?,
                "w:drawing" => self.drawing(c)?,
                // A VML text box: its paragraphs follow the paragraph (`Walker::paragraph`).
                "w:pict" | "w:object" if super::body::holds_text_box(c) => {}
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

    /// Text in a symbol font: each character as the glyph it shows; one Word has no
    /// meaning for is named in a warning rather than printed as a wrong letter.
    fn symbol_text(&mut self, font: &str, text: &str, f: Format) {
        let mut out = String::new();
        for ch in text.chars() {
            match self.drawable_symbol(font, ch as u32) {
                Some(s) => out.push(s),
                None if ch.is_whitespace() => out.push(ch),
                None if symbol(font, ch as u32).is_some() => {}
                None => self.unknown_symbol(font, ch as u32),
            }
        }
        self.text(&out, f);
    }

    /// The character a symbol font's glyph shows, when an embedded font can draw it; one no
    /// font has (many of Wingdings' pictographs) is named in a warning and left out, rather
    /// than printed as an empty box.
    fn drawable_symbol(&mut self, font: &str, code: u32) -> Option<char> {
        let ch = symbol(font, code)?;
        if crate::fonts::has_glyph(ch) {
            return Some(ch);
        }
        self.warnings.push(format!(
            "paragraph {}: a symbol of the font `{font}` (code {code:04X}) shows {}, which no embedded font can draw; it is left out",
            self.state.paragraph,
            crate::escape::printable::name(ch)
        ));
        None
    }

    fn unknown_symbol(&mut self, font: &str, code: u32) {
        self.warnings.push(format!(
            "paragraph {}: a symbol of the font `{font}` (code {code:04X}) has no known meaning and is left out",
            self.state.paragraph
        ));
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
