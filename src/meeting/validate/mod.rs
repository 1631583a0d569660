//! Raw meeting → model. Checks everything once, at the boundary, and reports every problem
//! of the file together, each at its place in the TOML (or the bilaga's file).
//!
//! The checks are split by what they look at: [`people`] (attendance and officials),
//! [`text`] (the § and their Markdown), [`bilagor`] (numbering and files), [`yrkanden`]
//! (a bilaga's yrkanden given as structure).

mod bilaga_pdf;
pub use bilaga_pdf::draw_pages;
mod bilagor;
pub(super) mod blank;
mod justering;
mod namnd;
mod people;
mod rattelse;
pub(crate) use rattelse::MAX_RATTELSER;
pub(crate) mod ready;
mod text;
mod yrkanden;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use toml::Spanned;
use toml::value::Datetime;

use super::model::justering::Justerarroll;
use super::model::*;
use super::raw::*;
use super::{Loaded, Protocol};
use crate::bilaga::pdf;
use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::model::phrase::Phrase;
use crate::sandbox::Sandbox;

/// A valid meeting and the warnings found on the way; or every problem (errors and warnings).
/// A nämnd meeting also goes through the legal check here, so every render has passed it.
/// The pages of PDF bilagor are converted (through the page cache), ready to render; those
/// of PDF handlingar are only inspected, as [`check`] does: the meeting pack, which prints
/// them, draws them ([`draw_pages`]).
pub fn validate(loaded: Loaded) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    validate_with(loaded, &pdf::PageOptions::default(), None)
}

/// As [`validate`], the pages of PDF bilagor made as `pages` says (the run's page cache),
/// and every file read noted in `reads` (the build's record, when it keeps one).
pub fn validate_with(
    loaded: Loaded,
    pages: &pdf::PageOptions,
    reads: Option<&crate::sandbox::Recorder>,
) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    validate_doing(loaded, pdf::Work::Convert, pages.clone(), reads)
}

/// As [`validate`], for `assemble check`: a PDF bilaga is opened, its pages counted and
/// measured and what must be refused refused, but no page is converted (issue 14: a check
/// costs milliseconds, not the seconds a conversion does). The model names the PDF's pages
/// without images of them: good for checking and for the Typst source, not for compiling.
/// What only a conversion finds (a page the renderer cannot draw) is found by a build.
pub fn check(loaded: Loaded) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    check_with(loaded, None)
}

/// As [`check`], every file read noted in `reads` (`assemble check`'s record).
pub fn check_with(
    loaded: Loaded,
    reads: Option<&crate::sandbox::Recorder>,
) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    validate_doing(
        loaded,
        pdf::Work::Inspect,
        pdf::PageOptions::default(),
        reads,
    )
}

fn validate_doing(
    loaded: Loaded,
    pdf_work: pdf::Work,
    pdf_pages: pdf::PageOptions,
    reads: Option<&crate::sandbox::Recorder>,
) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Loaded {
        file,
        raw,
        char_warnings,
        blanks,
        version,
    } = loaded;
    // The rättelser as written, to make the corrected versions from the file's text.
    let rattelser = match (&raw, version) {
        (RawProtocol::Namnd(n), 0) if !n.rattelse.is_empty() => Some((
            n.rattelse.clone(),
            n.first_paragraf.as_ref().map_or(1, |f| *f.get_ref()),
        )),
        (RawProtocol::Fvg(f), 0) if !f.rattelse.is_empty() => Some((
            f.rattelse.clone(),
            f.first_paragraf.as_ref().map_or(1, |f| *f.get_ref()),
        )),
        _ => None,
    };
    let folder = file
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut v = Validator {
        file: file.clone(),
        problems: char_warnings,
        pdf_work,
        pdf_pages,
        table_cells: 0,
        budget: crate::bilaga::limits::Budget::default(),
        version,
    };
    let sandbox = match Sandbox::new(folder) {
        Ok(s) => s.recorded(reads),
        Err(e) => {
            return Err(vec![Diagnostic::error(format!(
                "cannot open the meeting's folder: {e}"
            ))]);
        }
    };
    // A justerat protocol must be ready: what would remain before justering is an error.
    if ready::is_justerad(&raw) {
        for mut d in ready::remaining(&file, &raw) {
            d.severity = crate::diag::Severity::Error;
            d.message = format!("{}, but the file says `justerad`", d.message);
            v.problems.push(d);
        }
    }
    let protocol = match raw {
        RawProtocol::Fvg(raw) => v.meeting(raw, &sandbox).map(Protocol::Fvg),
        RawProtocol::Namnd(raw) => v.namnd(raw, &sandbox).map(Protocol::Namnd),
    };
    blank::report(&file, blanks, &mut v.problems);
    let protocol = match (protocol, rattelser) {
        (Some(mut p), Some((raw, first))) if !v.problems.iter().any(Diagnostic::is_error) => {
            let pages = v.pdf_pages.clone();
            let work = v.pdf_work;
            let corrected =
                rattelse::versions(&file, &raw, first, work, &pages, reads, &mut v.problems);
            // Each version is read from the file's own text, so it is of the file's kind.
            let corrected = corrected.into_iter();
            match &mut p {
                Protocol::Namnd(m) => {
                    m.rattade = corrected.filter_map(Protocol::into_namnd).collect()
                }
                Protocol::Fvg(m) => m.rattade = corrected.filter_map(Protocol::into_fvg).collect(),
            }
            Some(p)
        }
        (p, _) => p,
    };
    match protocol {
        Some(p) if !v.problems.iter().any(Diagnostic::is_error) => Ok((p, v.problems)),
        _ => {
            if !v.problems.iter().any(Diagnostic::is_error) {
                v.problems
                    .push(Diagnostic::error("the meeting file could not be validated"));
            }
            Err(v.problems)
        }
    }
}

/// `[[inte_personnummer]]` as declared, for the record (the publish guard checks them).
fn inte_personnummer(raw: &[RawInteNummer]) -> Vec<InteNummer> {
    raw.iter()
        .map(|n| InteNummer {
            nummer: n.nummer.get_ref().trim().to_string(),
            skal: n.skal.get_ref().trim().to_string(),
        })
        .collect()
}

pub(super) struct Validator {
    file: SourceFile,
    problems: Vec<Diagnostic>,
    /// How far PDF bilagor are taken: see [`check`].
    pdf_work: pdf::Work,
    /// How their pages are made: the run's page cache, the route.
    pdf_pages: pdf::PageOptions,
    /// Table cells of the meeting's texts and bilagor so far, against
    /// [`crate::bilaga::limits::MEETING_TABLE_CELLS`].
    table_cells: u64,
    /// What the meeting has drawn so far of the caps counted over a whole meeting (image
    /// pixels, roll-call votes): passed down to the readers.
    pub(super) budget: crate::bilaga::limits::Budget,
    /// 0: the file as written; N: its corrected version N (see [`Loaded::version`]).
    pub(super) version: usize,
}

/// Where a piece of Markdown came from, to place its problems.
pub(super) struct Origin {
    file: SourceFile,
    offset: usize,
}

impl Validator {
    /// The number of the first § (`first_paragraf`, default 1), for both kinds.
    fn first_paragraf(&mut self, raw: Option<&Spanned<i64>>) -> u32 {
        match raw {
            Some(n) if !(1..=100_000).contains(n.get_ref()) => {
                self.error(n.span(), "first_paragraf must be a number from 1", None);
                1
            }
            Some(n) => *n.get_ref() as u32,
            None => 1,
        }
    }
    /// `span` of the meeting file, as the model keeps it for problems found later.
    pub(super) fn place(&self, span: Range<usize>) -> Option<Place> {
        Some(Place {
            file: self.file.clone(),
            span,
        })
    }

    pub(super) fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<&str>,
    ) {
        self.report(Diagnostic::error(message), span, hint);
    }

    pub(super) fn warning(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<&str>,
    ) {
        self.report(Diagnostic::warning(message), span, hint);
    }

    fn report(&mut self, diag: Diagnostic, span: Range<usize>, hint: Option<&str>) {
        let mut d = diag.at(&self.file, span);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.problems.push(d);
    }

    pub(super) fn non_empty(&mut self, value: &Spanned<String>, what: &str) -> String {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.error(value.span(), format!("{what} is empty"), None);
        }
        text.to_string()
    }

    pub(super) fn date(&mut self, value: &Spanned<Datetime>, what: &str) -> Option<Date> {
        let dt = value.get_ref();
        let (Some(d), None, None) = (dt.date, dt.time, dt.offset) else {
            self.error(
                value.span(),
                format!("{what} must be a date without time"),
                Some("write it as 2020-09-17"),
            );
            return None;
        };
        let month = time::Month::try_from(d.month).ok();
        match month.and_then(|m| time::Date::from_calendar_date(i32::from(d.year), m, d.day).ok()) {
            Some(date) => Some(Date(date)),
            None => {
                self.error(value.span(), format!("{what} is not a real date"), None);
                None
            }
        }
    }

    pub(super) fn clock(&mut self, value: &Spanned<String>, what: &str) -> Option<(u8, u8)> {
        let text = value.get_ref().trim();
        let parsed = text.split_once(':').and_then(|(h, m)| {
            let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
            (h < 24 && m < 60 && text.len() == 5).then_some((h, m))
        });
        if parsed.is_none() {
            self.error(
                value.span(),
                format!("{what} `{text}` is not a time"),
                Some("write it as \"09:00\""),
            );
        }
        parsed
    }

    fn meeting(&mut self, raw: RawFvgMeeting, sandbox: &Sandbox) -> Option<FvgMeeting> {
        let organ = self.non_empty(&raw.organ, "organ");
        let organisation = self.organisation(&raw.organisation);

        let date = self.date(&raw.meeting.date, "the meeting's date");
        let start = self.clock(&raw.meeting.start, "start");
        let end = match &raw.meeting.end {
            Some(end) => self.clock(end, "end"),
            None => {
                self.error(
                    raw.meeting.date.span(),
                    "[meeting] has no end time",
                    Some("add end = \"HH:MM\", the time the meeting ended"),
                );
                None
            }
        };
        if let (Some(s), Some(e), Some(raw_end)) = (start, end, &raw.meeting.end)
            && e <= s
        {
            self.error(raw_end.span(), "the meeting ends before it starts", None);
        }
        let place = self.non_empty(&raw.meeting.place, "place");
        let remote = raw
            .meeting
            .remote
            .as_ref()
            .map(|r| self.non_empty(r, "remote"));
        let justerad = raw.justerad.as_ref().and_then(|j| self.date(j, "justerad"));
        if let (Some(j), Some(d), Some(span)) =
            (justerad, date, raw.justerad.as_ref().map(|j| j.span()))
            && j < d
        {
            self.error(
                span,
                "the protocol is justerat before the meeting took place",
                None,
            );
        }

        let first = self.first_paragraf(raw.first_paragraf.as_ref());
        if raw.paragraf.is_empty() {
            self.error(
                0..0,
                "the meeting has no §",
                Some("add the § as [[paragraf]] tables with a title"),
            );
        }
        let last = first + raw.paragraf.len().saturating_sub(1) as u32;

        let ordforande = self.non_empty(&raw.ordforande, "ordforande");
        let sekreterare = self.non_empty(&raw.sekreterare, "sekreterare");
        let (groups, absent) = self.attendance(
            &raw.attendance,
            remote.as_deref(),
            &ordforande,
            first..=last,
        );
        let present: HashSet<&str> = groups
            .iter()
            .flat_map(|g| g.people.iter().map(|p| p.name.as_str()))
            .collect();
        // As for a nämnd's names: the closest name present, if one is close.
        let name_hint = |name: &str| -> String {
            present
                .iter()
                .map(|p| (strsim::jaro_winkler(name, p), *p))
                .filter(|(score, _)| *score >= 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
                .map_or_else(
                    || "the name must be written exactly as in a [[attendance.group]]".to_string(),
                    |(_, p)| format!("did you mean `{p}`?"),
                )
        };
        if !ordforande.is_empty() && !present.contains(ordforande.as_str()) {
            self.error(
                raw.ordforande.span(),
                format!("ordförande `{ordforande}` is not among those present"),
                Some(&name_hint(&ordforande)),
            );
        }
        if raw.justerare.get_ref().is_empty() {
            self.error(
                raw.justerare.span(),
                "the protocol needs at least one justerare",
                None,
            );
        }
        let mut justerare = Vec::new();
        for j in raw.justerare.get_ref() {
            let name = self.non_empty(j, "a justerare");
            if !name.is_empty() && !present.contains(name.as_str()) {
                self.error(
                    j.span(),
                    format!("justerare `{name}` is not among those present"),
                    Some(&name_hint(&name)),
                );
            }
            justerare.push(name);
        }

        let justering = raw.justering.as_ref().and_then(|j| {
            let signers = std::iter::once((ordforande.clone(), Justerarroll::Ordforande))
                .chain(
                    justerare
                        .iter()
                        .map(|j| (j.clone(), Justerarroll::Justerare)),
                )
                .collect();
            let facts = justering::Facts {
                signers,
                party: &|_| String::new(),
                rule: "",
                meeting: date,
                justerad,
            };
            self.justering(j, facts)
        });
        let rattelser = self.rattelser(
            Kind::Fvg,
            &raw.rattelse,
            first,
            raw.paragraf.len(),
            justerad,
        );

        let numbers = self.number_bilagor(&raw);
        let number_of = |id: &str| numbers.get(id).copied();
        let facts = yrkanden::MeetingFacts::new(raw.justerad.is_some(), &groups, &absent);
        let bilagor = self.bilagor(&raw.bilaga, &numbers, sandbox, &facts);
        let paragrafer = self.paragrafer(&raw.paragraf, first, &number_of);
        let keywords = paragrafer
            .iter()
            .flat_map(|p| p.items.iter().flat_map(|i| i.diarienummer.iter().cloned()))
            .fold(Vec::new(), |mut acc: Vec<String>, d| {
                if !acc.contains(&d) {
                    acc.push(d);
                }
                acc
            });

        let fraser = self.fvg_phrases(raw.husstil.as_ref(), sandbox);
        let date = date?;
        // Checked above: the documents print them as written ("09:00").
        start?;
        end?;
        Some(FvgMeeting {
            kind: *raw.kind.get_ref(),
            organ,
            organisation,
            date,
            start: raw.meeting.start.get_ref().trim().to_string(),
            end: raw
                .meeting
                .end
                .as_ref()
                .map_or_else(String::new, |e| e.get_ref().trim().to_string()),
            place,
            remote,
            groups,
            absent,
            ordforande,
            sekreterare,
            justerare,
            justerad,
            paragrafer,
            bilagor,
            keywords,
            inte_personnummer: inte_personnummer(&raw.inte_personnummer),
            fraser,
            justering,
            rattelser,
            version: self.version,
            rattade: Vec::new(),
        })
    }

    /// The phrases an FVG's house style words its own way: `husstil.toml` beside the
    /// meeting file, then the meeting's `[husstil]`, key by key — found, read and checked
    /// as a nämnd's (`namnd::husstil`).
    fn fvg_phrases(
        &mut self,
        meeting: Option<&RawFvgHusstil>,
        sandbox: &Sandbox,
    ) -> BTreeMap<String, Phrase> {
        let mut fraser = BTreeMap::new();
        if let Some((raw, file)) = self.house_style_file::<RawFvgHusstil>(sandbox)
            && let Some(f) = &raw.fraser
        {
            self.apply_phrases(&mut fraser, f.entries(), Some(&file));
        }
        if let Some(f) = meeting.and_then(|h| h.fraser.as_ref()) {
            self.apply_phrases(&mut fraser, f.entries(), None);
        }
        fraser
    }

    fn organisation(&mut self, raw: &RawOrganisation) -> Organisation {
        let name = self.non_empty(&raw.name, "the organisation's name");
        let forvaltning = self.non_empty(&raw.forvaltning, "forvaltning");
        let given = |v: &Option<String>| v.clone().filter(|l| !l.trim().is_empty());
        Organisation {
            name,
            forvaltning,
            address: given(&raw.address),
            phone: given(&raw.phone),
            email: given(&raw.email),
            web: given(&raw.web),
            footer_on: raw.footer_on.unwrap_or_default(),
        }
    }
}
