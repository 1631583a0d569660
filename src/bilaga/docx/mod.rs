//! DOCX bilagor: the zip container ([`archive`]), its XML parts ([`xml`]) and what they
//! mean — [`rels`], [`styles`], [`numbering`], [`notes`], [`images`] — walked by [`body`]
//! into events for the one converter ([`crate::markdown::Driver`]), so a DOCX renders through
//! the same path as a Markdown bilaga: same escaping, footnote labels and heading rule.
//!
//! What is read: paragraphs, headings, bold/italic/underline/strike, super-/subscript, line
//! and page breaks, tabs, numbered and bullet lists (also numbered by their style),
//! hyperlinks (also `HYPERLINK` fields), footnotes and endnotes, tables (header rows, rows
//! and cells in content controls), PNG/JPEG images (CMYK converted), content controls,
//! form checkboxes and symbol boxes (☒/☐), imported HTML/text chunks; tracked changes in
//! their accepted state; field results. Hidden text is left out, as Word prints it. Left
//! out, with a warning: comments are not read; headers and footers, charts and shapes,
//! imported chunks of other formats are named.

mod archive;
mod body;
mod chunks;
mod dingbats;
mod images;
mod math;
mod notes;
mod numbering;
mod rels;
mod runs;
mod styles;
mod symbols;
mod tables;
mod xml;

use crate::bilaga::form::Asset;
use crate::markdown::{Context, Driver};

/// Why a DOCX cannot be read; lowercase, for "bilaga `id` (`file`): …".
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub message: String,
    pub hint: Option<String>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the converter needs besides the converter's [`Context`].
pub struct Options<'a> {
    pub ctx: &'a Context<'a>,
    /// Folder of this bilaga's assets, e.g. `b2` (images become `b2/image1.png`).
    pub asset_dir: &'a str,
    /// Alt text for an image the document gives none, e.g. `Bild i bilaga 2`.
    pub alt_fallback: &'a str,
    /// Pixels the meeting's images may still decode ([`crate::bilaga::limits::Budget`]):
    /// an image drawn past them is refused.
    pub pixels_left: u64,
}

/// A converted DOCX: markup for the template, images for the Typst world, and warnings.
#[derive(Debug, Default)]
pub struct Docx {
    pub markup: String,
    pub assets: Vec<Asset>,
    pub warnings: Vec<String>,
    /// Table cells in the markup (see [`crate::markdown::Converted::cells`]).
    pub cells: u64,
    /// What the text spent of the caps counted over a meeting (see
    /// [`crate::markdown::Converted::spent`]).
    pub spent: crate::markdown::Spent,
    /// Pixels its images decode, each time drawn (within [`Options::pixels_left`]).
    pub pixels: u64,
}

/// A part of the package, parsed; `None` when the package has no such part.
fn part(zip: &mut archive::Archive, name: &str) -> Result<Option<xml::Element>, Error> {
    match zip.read(name)? {
        Some(bytes) => xml::parse(&bytes, name).map(Some),
        None => Ok(None),
    }
}

/// Converts the bytes of a `.docx` file. Never panics; every problem is an [`Error`].
pub fn convert(bytes: &[u8], opts: &Options) -> Result<Docx, Error> {
    let mut zip = archive::Archive::open(bytes)?;
    let main = main_part(&mut zip)?;
    let document = zip.read(&main)?.ok_or_else(|| {
        Error::new(format!(
            "the file is a zip but has no `{main}` (its main document part), so it is no DOCX"
        ))
        .hint("save the document again as .docx (Word document) with Word or LibreOffice")
    })?;
    let document = xml::parse(&document, &main)?;
    let rels_of = |zip: &mut archive::Archive, name: &str| -> Result<rels::Rels, Error> {
        Ok(part(zip, &rels::rels_of(name))?
            .map(|r| rels::Rels::from_xml(&r, rels::folder(name)))
            .unwrap_or_default())
    };
    let doc_rels = rels_of(&mut zip, &main)?;
    // Each part by its relationship from the document; Word's usual name when there is none.
    let dir = rels::folder(&main).to_owned();
    let named = |kind: &str, usual: &str| {
        doc_rels
            .part_of(kind)
            .unwrap_or_else(|| format!("{dir}{usual}"))
    };
    let styles = part(&mut zip, &named("styles", "styles.xml"))?
        .map(|s| styles::Styles::from_xml(&s))
        .unwrap_or_default();
    let numbering = part(&mut zip, &named("numbering", "numbering.xml"))?
        .map(|n| numbering::Numbering::from_xml(&n, &styles))
        .unwrap_or_default();
    let (foot_part, end_part) = (
        named("footnotes", "footnotes.xml"),
        named("endnotes", "endnotes.xml"),
    );
    let foot = notes::Notes::new(
        notes::Kind::Footnote,
        part(&mut zip, &foot_part)?,
        rels_of(&mut zip, &foot_part)?,
    );
    let end = notes::Notes::new(
        notes::Kind::Endnote,
        part(&mut zip, &end_part)?,
        rels_of(&mut zip, &end_part)?,
    );
    let body = document
        .child("w:body")
        .ok_or_else(|| Error::new(format!("`{main}` has no `w:body`")))?;
    let header_warnings = page_headers_and_footers(&mut zip, body, &doc_rels)?;
    let images = images::Images::new(opts.asset_dir, opts.alt_fallback, opts.pixels_left);
    let mut walker = body::Walker {
        driver: Driver::new(opts.ctx),
        zip: &mut zip,
        styles: &styles,
        numbering,
        rels: &doc_rels,
        foot: &foot,
        end: &end,
        images,
        state: body::State::default(),
        warnings: Vec::new(),
        font: None,
    };
    walker.document(body)?;
    let (driver, images, mut warnings) = (walker.driver, walker.images, walker.warnings);
    warnings.extend(header_warnings);
    let converted = driver.finish();
    let (errors, notes): (Vec<_>, Vec<_>) = converted
        .problems
        .into_iter()
        .partition(|p| p.severity == crate::diag::Severity::Error);
    if let Some(p) = errors.first() {
        return Err(Error::new(p.message.clone()));
    }
    // What could not print (see `escape::printable`): named, the rest of the text kept.
    warnings.extend(notes.into_iter().map(|p| p.message));
    warnings.extend(images.warnings);
    Ok(Docx {
        markup: converted.markup.trim().to_owned(),
        assets: images.assets,
        warnings,
        cells: converted.cells,
        spent: converted.spent,
        pixels: images.pixels,
    })
}

/// The main document part: the target of the package's `officeDocument` relationship
/// (`_rels/.rels`), whatever it is named — Word for the web writes `word/document2.xml`;
/// `word/document.xml` when the package says nothing.
fn main_part(zip: &mut archive::Archive) -> Result<String, Error> {
    let rels = part(zip, "_rels/.rels")?
        .map(|r| rels::Rels::from_xml(&r, ""))
        .unwrap_or_default();
    Ok(rels
        .part_of("officeDocument")
        .unwrap_or_else(|| "word/document.xml".to_owned()))
}

/// The document's own page headers and footers are not carried (the protocol's pages have
/// theirs), but what they say is named in a warning, so nothing goes silently.
fn page_headers_and_footers(
    zip: &mut archive::Archive,
    body: &xml::Element,
    doc_rels: &rels::Rels,
) -> Result<Vec<String>, Error> {
    let mut refs = Vec::new();
    body.descendants("w:headerReference", &mut refs);
    body.descendants("w:footerReference", &mut refs);
    let mut seen = Vec::new();
    let mut warnings = Vec::new();
    for r in refs {
        let Some(rel) = r.attr("r:id").and_then(|id| doc_rels.get(id)) else {
            continue;
        };
        let path = rel.part.clone();
        if rel.external || seen.contains(&path) {
            continue;
        }
        seen.push(path.clone());
        let Some(root) = part(zip, &path)? else {
            continue;
        };
        let mut runs = Vec::new();
        root.descendants("w:t", &mut runs);
        let text: String = runs.iter().map(|t| t.text()).collect::<Vec<_>>().join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let kind = if r.name == "w:headerReference" {
            "header"
        } else {
            "footer"
        };
        let shown: String = text.chars().take(80).collect();
        let more = if shown.len() < text.len() { "…" } else { "" };
        warnings.push(format!(
            "the document's page {kind} is left out (the protocol's pages have their own): \"{shown}{more}\""
        ));
    }
    Ok(warnings)
}

/// The part of the DOCX package `docx` whose bytes are `image` (`word/media/image1.jpeg`):
/// where an image the converter served as it is can be found, for a message.
pub(crate) fn media_part(docx: &[u8], image: &[u8]) -> Option<String> {
    let mut archive = archive::Archive::open(docx).ok()?;
    archive
        .names()
        .into_iter()
        .filter(|n| n.starts_with("word/media/"))
        .find(|n| archive.read(n).ok().flatten().as_deref() == Some(image))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const NS: &str = r#"xmlns:w="w" xmlns:r="r""#;

    fn docx(body: &str, numbering: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        let doc = format!("<w:document {NS}><w:body>{body}</w:body></w:document>");
        let num = format!("<w:numbering {NS}>{numbering}</w:numbering>");
        let end = format!(
            r#"<w:endnotes {NS}><w:endnote w:type="separator" w:id="0"/><w:endnote w:id="2"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> Slutnot.</w:t></w:r></w:p></w:endnote></w:endnotes>"#
        );
        let rels = r#"<Relationships><Relationship Id="rId9" Target="https://start.stockholm/" TargetMode="External"/></Relationships>"#.to_owned();
        for (name, text) in [
            ("word/document.xml", doc),
            ("word/numbering.xml", num),
            ("word/endnotes.xml", end),
            ("word/_rels/document.xml.rels", rels),
        ] {
            z.start_file(name, opts).unwrap();
            z.write_all(text.as_bytes()).unwrap();
        }
        z.finish().unwrap();
        out.into_inner()
    }

    fn markup(body: &str, numbering: &str) -> String {
        let numbers = |_: &str| None;
        let images = |_: &str| Err(String::new());
        let ctx = Context {
            bilaga_number: &numbers,
            label_prefix: "b1",
            heading_offset: 1,
            resolve_image: &images,
            caps: &crate::bilaga::limits::TEXT_CAPS,
            marks: &crate::publish::marks::SEKRETESS,
            meeting: Default::default(),
        };
        let opts = Options {
            ctx: &ctx,
            asset_dir: "b1",
            alt_fallback: "Bild i bilaga 1",
            pixels_left: crate::bilaga::limits::MEETING_IMAGE_PIXELS.value,
        };
        convert(&docx(body, numbering), &opts).unwrap().markup
    }

    fn item(num: u32, lvl: u32, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    const NUMBERING: &str = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;

    #[test]
    fn nested_levels_nest_and_an_interrupted_list_continues_its_count() {
        let body = [
            item(1, 0, "Ett"),
            item(1, 1, "Del"),
            item(1, 0, "Två"),
            "<w:p><w:r><w:t>Mitt i.</w:t></w:r></w:p>".into(),
            item(1, 0, "Tre"),
            item(2, 0, "Igen"),
        ]
        .concat();
        let m = markup(&body, NUMBERING);
        assert!(
            m.contains(r#"#enum(numbering: "1.", start: 1, [Ett"#)
                && m.contains(r#"#enum(numbering: "a)", start: 1, [Del], )"#),
            "{m}"
        );
        assert!(
            m.contains(r#"#enum(numbering: "1.", start: 3, [Tre]"#),
            "{m}"
        );
        // A new instance with startOverride restarts, though it shares the definition.
        assert!(
            m.contains(r#"#enum(numbering: "1.", start: 1, [Igen]"#),
            "{m}"
        );
    }

    #[test]
    fn runs_are_escaped_and_formatted() {
        let body = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>#fet</w:t></w:r><w:r><w:rPr><w:u w:val="single"/><w:i w:val="0"/></w:rPr><w:t xml:space="preserve"> $under$</w:t></w:r><w:r><w:tab/><w:t>10&#160;000</w:t></w:r></w:p>"#;
        let m = markup(body, "");
        assert_eq!(
            m,
            "#strong[\\#fet];#underline[ \\$under\\$];#h(1.25cm);10\u{a0}000"
        );
    }

    #[test]
    fn endnotes_become_footnotes_and_links_keep_their_target() {
        let body = r#"<w:p><w:hyperlink r:id="rId9"><w:r><w:t>staden</w:t></w:r></w:hyperlink><w:r><w:endnoteReference w:id="2"/></w:r> <w:hyperlink w:anchor="x"><w:r><w:t>ankare</w:t></w:r></w:hyperlink></w:p>"#;
        let m = markup(body, "");
        assert!(
            m.starts_with(
                r#"#link("https://start.stockholm/")[staden];#footnote[~Slutnot\.]<b1-fn-1>"#
            ),
            "{m}"
        );
        assert!(m.ends_with("ankare"), "an anchor is plain text: {m}");
    }

    #[test]
    fn a_page_break_where_typst_allows_none_becomes_a_line_break() {
        let br = r#"<w:r><w:br w:type="page"/></w:r>"#;
        let body = format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>A</w:t></w:r>{br}</w:p><w:p><w:hyperlink r:id="rId9">{br}</w:hyperlink></w:p><w:p><w:r><w:t>B</w:t></w:r>{br}</w:p>"#
        );
        let m = markup(&body, "");
        assert_eq!(m.matches("#pagebreak").count(), 1, "{m}");
        assert_eq!(m.matches("#linebreak()").count(), 2, "{m}");
    }

    #[test]
    fn headings_follow_word_styles_without_skipping_levels() {
        let body = r#"<w:p><w:pPr><w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t>Djup</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Rubrik1"/></w:pPr><w:r><w:t>Topp</w:t></w:r></w:p>"#;
        let m = markup(body, "");
        assert!(
            m.contains("#heading(level: 2, outlined: false, bookmarked: false)[Djup]"),
            "{m}"
        );
        assert!(
            m.contains("#heading(level: 2, outlined: false, bookmarked: false)[Topp]"),
            "{m}"
        );
    }
}
