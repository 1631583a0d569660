//! The validated meeting: what every later stage works from. Everything derivable is derived
//! here (numbers, Swedish dates, bilaga numbering); rich text is already Typst markup made by
//! the one Markdown converter, so a template can print it as it is.

use std::path::PathBuf;

use serde::{Serialize, Serializer};

pub use crate::bilaga::form::{Asset, Attachment, PdfPage, PdfPages};

pub use super::raw::Kind;

pub mod justering;
pub mod namnd;
pub mod phrase;

/// Typst markup produced by [`crate::markdown`]: the only text templates print unescaped.
/// The second field is the Markdown the meeting file wrote for it, as written (empty for
/// text the tool composed and for a bilaga's body): views that keep the text as written
/// (the record) read it, never the file again. The third is where the meeting file writes
/// it (none for composed text and a bilaga's body): a Typst problem in the markup is placed
/// there (issue 21).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markup(pub String, pub String, pub Option<FieldPlace>);

impl Markup {
    /// Markup of no written text: composed by the tool, or a bilaga's body.
    pub fn typst(markup: String) -> Self {
        Self(markup, String::new(), None)
    }

    /// The Markdown as the meeting file wrote it ("" when it wrote none).
    pub fn written(&self) -> &str {
        &self.1
    }
}

impl Serialize for Markup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            // Mark it safe for the template's Typst auto-escaping; plain strings stay unsafe.
            let text = match &self.2 {
                Some(field) if !self.0.is_empty() => field.marked(&self.0),
                _ => self.0.clone(),
            };
            minijinja::Value::from_safe_string(text).serialize(serializer)
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// Where a Markdown field is written in the meeting file: its TOML string, and where each
/// line of its Markdown begins, so that a Typst problem in its markup is placed at the line
/// it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPlace {
    /// The TOML string (its quotes included).
    pub place: Place,
    /// (offset in the markup, offset in the file) where each Markdown line's markup begins,
    /// in order (from the converter: [`crate::markdown::Converted`]'s `lines`).
    pub lines: Vec<(usize, usize)>,
}

impl FieldPlace {
    /// Opens a field's marks: `OPEN start.end,m:s,… END` (the string's span and its lines).
    pub(crate) const OPEN: char = '\u{FDD3}';
    /// Closes a field's marks: `SHUT END`.
    pub(crate) const SHUT: char = '\u{FDD4}';
    /// Ends a mark (shared with the renderer's part marks).
    pub(crate) const END: char = '\u{FDD1}';

    /// `markup` between marks that carry this place, for the template. The renderer takes
    /// them out of the generated source and keeps where they stood (`render/parts.rs`):
    /// noncharacters, which escaping removes from every text, so no input can forge one.
    fn marked(&self, markup: &str) -> String {
        use std::fmt::Write;
        let (open, shut, end) = (Self::OPEN, Self::SHUT, Self::END);
        let mut out = String::with_capacity(markup.len() + 16 + 12 * self.lines.len());
        let _ = write!(
            out,
            "{open}{}.{}",
            self.place.span.start, self.place.span.end
        );
        for (m, s) in &self.lines {
            let _ = write!(out, ",{m}:{s}");
        }
        let _ = write!(out, "{end}{markup}{shut}{end}");
        out
    }
}

/// Where something of the model is written in the meeting file: a §'s title, a bilaga's
/// `file =`. Problems found after validation (a Typst error in a § text, a bilaga's page
/// that breaks a PDF rule) are placed here, without reading the file again.
#[derive(Clone)]
pub struct Place {
    pub file: crate::diag::SourceFile,
    pub span: std::ops::Range<usize>,
}

impl PartialEq for Place {
    // The same file (by path) and span: the file's text is the same for one run.
    fn eq(&self, other: &Self) -> bool {
        self.file.path == other.file.path && self.span == other.span
    }
}

impl std::fmt::Debug for Place {
    // The file's path and the span: its whole text would swamp every model printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{:?}", self.file.path.display(), self.span)
    }
}

/// A calendar date, with the Swedish forms the protocol prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub time::Date);

impl Date {
    /// `2020-09-17`
    pub(crate) fn iso(&self) -> String {
        let d = self.0;
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// `17 september 2020`
    pub fn long(&self) -> String {
        crate::swedish::long_date(self.0)
    }

    /// `Torsdag den 17 september 2020`
    pub(crate) fn with_weekday(&self) -> String {
        crate::swedish::date_with_weekday(self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("iso", &self.iso())?;
        map.serialize_entry("long", &self.long())?;
        map.serialize_entry("with_weekday", &self.with_weekday())?;
        map.serialize_entry("year", &self.0.year())?;
        map.serialize_entry("month", &u8::from(self.0.month()))?;
        map.serialize_entry("day", &self.0.day())?;
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FvgMeeting {
    pub kind: Kind,
    pub organ: String,
    pub organisation: Organisation,
    pub date: Date,
    /// When it began and ended, "09:00" and "10:50".
    pub start: String,
    pub end: String,
    /// Where, as written: "Livdjursgatan 4, konferensrummet Maracanã".
    pub place: String,
    /// How people took part from elsewhere, as written ("Skype"); `None`: all in the room.
    pub remote: Option<String>,
    pub groups: Vec<Group>,
    pub absent: Vec<Person>,
    pub ordforande: String,
    pub sekreterare: String,
    pub justerare: Vec<String>,
    /// `None`: an unapproved draft.
    pub justerad: Option<Date>,
    pub paragrafer: Vec<Paragraf>,
    pub bilagor: Vec<Bilaga>,
    /// Every diarienummer in the protocol, for the PDF keywords.
    pub(crate) keywords: Vec<String>,
    /// `[[inte_personnummer]]`: what the guard lets pass, on the record.
    pub inte_personnummer: Vec<InteNummer>,
    /// How and by whom the protocol was justerat, when the file says (`[justering]`).
    pub justering: Option<justering::Justering>,
    /// Every rättelse of the file, in order.
    pub rattelser: Vec<justering::Rattelse>,
    /// Which version of the protocol this is: 0 as justerat, N with the first N rättelser
    /// made (their notes printed).
    pub version: usize,
    /// The corrected versions 1, 2, … (each with `version` set), when this is the original
    /// and the file has rättelser.
    #[serde(skip)]
    pub(crate) rattade: Vec<FvgMeeting>,
}

/// A number written like a personnummer that the meeting file declares is not one.
#[derive(Debug, Clone, Serialize)]
pub struct InteNummer {
    /// As written: "0704875749".
    pub nummer: String,
    /// Why: "växelns telefonnummer".
    pub skal: String,
}

impl FvgMeeting {
    pub fn is_draft(&self) -> bool {
        self.justerad.is_none()
    }

    /// The protocol as it stands now: the last corrected version, or the original.
    pub fn current(&self) -> &FvgMeeting {
        self.rattade.last().unwrap_or(self)
    }

    /// The rättelser made in this version, in order.
    pub fn applied(&self) -> &[justering::Rattelse] {
        justering::applied(&self.rattelser, self.version)
    }

    /// Every in-memory file the bilagor brought, for the Typst world.
    pub fn assets(&self) -> Vec<Asset> {
        self.bilagor
            .iter()
            .flat_map(|b| b.assets.iter().cloned())
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub name: String,
    pub forvaltning: String,
    /// The footer's parts as written, each `None` when not given or blank (the documents
    /// print them one a line: address, "Telefon …", e-mail, web).
    pub(crate) address: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) web: Option<String>,
    /// The page that carries it.
    pub footer_on: super::raw::FooterPage,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub heading: String,
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    pub(crate) huvudskyddsombud: bool,
    pub union: Option<String>,
    /// The remote medium ("Skype") when the person took part remotely.
    pub remote: Option<String>,
    /// "§1-7 och §9" when present only for some §.
    pub only: Option<String>,
    /// Functions at this meeting derived from the officials: "ordförande".
    pub(crate) functions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Paragraf {
    pub number: u32,
    pub title: String,
    pub group: Option<String>,
    pub content: Content,
    pub items: Vec<Item>,
    pub closing: Markup,
    /// Its `title` in the meeting file.
    #[serde(skip)]
    pub place: Option<Place>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub heading: String,
    pub diarienummer: Vec<String>,
    pub content: Content,
    pub closing: Markup,
}

/// The body shared by a § and its items: text, then statements.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Content {
    pub text: Markup,
    pub said: Vec<Said>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Said {
    pub by: String,
    pub(crate) verb: String,
    pub text: Markup,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bilaga {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub from: Option<String>,
    /// The original file, inside the meeting folder; `None` when the content is structure in
    /// the meeting file itself (yrkanden).
    #[serde(skip)]
    pub path: Option<PathBuf>,
    pub body: Markup,
    /// Yrkanden given as structure, printed instead of (after) `body`.
    pub yrkanden: Option<Yrkanden>,
    pub signature: Option<Signature>,
    /// What the bilaga brought that is not a file in the meeting folder (the images inside a
    /// DOCX, the pages of a PDF made displayable): Typst reads them from memory.
    #[serde(skip)]
    pub assets: Vec<Asset>,
    /// A PDF bilaga: its pages as images and the original to attach; its `body` is empty.
    pub pdf: Option<PdfPages>,
    /// Its `file =` (its `id =` for yrkanden given as structure) in the meeting file.
    #[serde(skip)]
    pub place: Option<Place>,
}

/// A party's yrkanden in numbered topics: "LRs yrkanden: 1. Kompetensförsörjning …".
#[derive(Debug, Clone, Serialize)]
pub struct Yrkanden {
    /// Who yrkar, as the text names them: "LR".
    pub party: String,
    /// "LRs", for "LRs yrkanden:" and "stödjer LRs yrkande".
    pub(crate) party_genitive: String,
    pub topics: Vec<Topic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    /// From 1, in order.
    pub number: usize,
    pub title: String,
    pub(crate) reasoning: Markup,
    pub yrkanden: Vec<Yrkande>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Yrkande {
    /// "att förvaltningen …"
    pub text: Markup,
    /// The supporting organisations as written: ["Lärarförbundet", "SACO"].
    pub supported_by: Vec<String>,
    /// "Besvaras: …"; `None` only in a draft.
    pub answer: Option<Markup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub name: Option<String>,
    /// "Ordförande för SACO-rådet, Kista den 14 september 2020."
    pub closing: String,
}
