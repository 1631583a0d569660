//! DOCX bilagor: the zip container ([`archive`]), its XML parts ([`xml`]) and what they
//! mean — [`rels`], [`styles`], [`numbering`], [`notes`], [`images`] — walked by [`body`]
//! into events for the one converter ([`crate::markdown::Driver`]), so a DOCX renders through
//! the same path as a Markdown bilaga: same escaping, footnote labels and heading rule.
//!
//! What is read: paragraphs, headings, bold/italic/underline/strike, super-/subscript, line
//! and page breaks, tabs, numbered and bullet lists, hyperlinks, footnotes and endnotes,
//! tables, PNG/JPEG images; tracked changes in their accepted state; field results. Left
//! out: comments, headers and footers, text boxes, formatting inherited from styles.

mod archive;
mod body;
mod images;
mod notes;
mod numbering;
mod rels;
mod styles;
mod xml;

use crate::markdown::{Context, Driver};
use crate::meeting::model::Asset;

pub use archive::{MAX_ENTRIES, MAX_TOTAL};

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
}

/// A converted DOCX: markup for the template, images for the Typst world, and warnings.
#[derive(Debug, Default)]
pub struct Docx {
    pub markup: String,
    pub assets: Vec<Asset>,
    pub warnings: Vec<String>,
}

/// Converts the bytes of a `.docx` file. Never panics; every problem is an [`Error`].
pub fn convert(bytes: &[u8], opts: &Options) -> Result<Docx, Error> {
    let mut zip = archive::Archive::open(bytes)?;
    let document = zip.read("word/document.xml")?.ok_or_else(|| {
        Error::new("the file is a zip but has no `word/document.xml`, so it is no DOCX")
            .hint("save the document again as .docx (Word document) with Word or LibreOffice")
    })?;
    let document = xml::parse(&document, "word/document.xml")?;
    let part = |zip: &mut archive::Archive, name: &str| -> Result<Option<xml::Element>, Error> {
        match zip.read(name)? {
            Some(bytes) => xml::parse(&bytes, name).map(Some),
            None => Ok(None),
        }
    };
    let rels_of = |zip: &mut archive::Archive, name: &str| -> Result<rels::Rels, Error> {
        Ok(part(zip, name)?
            .map(|r| rels::Rels::from_xml(&r))
            .unwrap_or_default())
    };
    let styles = part(&mut zip, "word/styles.xml")?
        .map(|s| styles::Styles::from_xml(&s))
        .unwrap_or_default();
    let numbering = part(&mut zip, "word/numbering.xml")?
        .map(|n| numbering::Numbering::from_xml(&n))
        .unwrap_or_default();
    let doc_rels = rels_of(&mut zip, "word/_rels/document.xml.rels")?;
    let foot = notes::Notes::new(
        notes::Kind::Footnote,
        part(&mut zip, "word/footnotes.xml")?,
        rels_of(&mut zip, "word/_rels/footnotes.xml.rels")?,
    );
    let end = notes::Notes::new(
        notes::Kind::Endnote,
        part(&mut zip, "word/endnotes.xml")?,
        rels_of(&mut zip, "word/_rels/endnotes.xml.rels")?,
    );
    let body = document
        .child("w:body")
        .ok_or_else(|| Error::new("`word/document.xml` has no `w:body`"))?;
    let images = images::Images::new(opts.asset_dir, opts.alt_fallback);
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
    };
    walker.document(body)?;
    let (driver, images, mut warnings) = (walker.driver, walker.images, walker.warnings);
    let converted = driver.finish();
    if let Some(p) = converted.problems.first() {
        return Err(Error::new(p.message.clone()));
    }
    warnings.extend(images.warnings);
    Ok(Docx {
        markup: converted.markup.trim().to_owned(),
        assets: images.assets,
        warnings,
    })
}
