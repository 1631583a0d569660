//! What the meeting file says about its own publication, read once from the file as parsed
//! before validation consumes it: which § and bilagor are withheld and why, the people
//! withheld, the numbers declared not to be personnummer, page 1's wording, the day of
//! justering — each with its place in the file, for the errors. The official model does not
//! carry these (the official protocol does not depend on them); every later stage of
//! publishing works from this and the validated model, and nothing reads the file or its parse
//! again. This is the one module of the web edition that reads [`crate::meeting::raw`].

use std::ops::Range;

use crate::meeting::raw::RawProtocol;

use super::persons::WithheldPerson;
use super::redact::{Withheld, Withholding};

/// A § as the file writes what publication needs of it, in file order.
#[derive(Debug, Clone, Default)]
pub struct ParagrafSource {
    /// The title as written and its place (a nämnd § may have none).
    pub title: Option<(String, Range<usize>)>,
    /// The place of `webbtitel`, when given.
    pub webbtitel: Option<Range<usize>>,
    /// Whether `sekretess` is set on the §.
    pub withheld: bool,
    /// The places of its diarienummer.
    pub diarienummer: Vec<Range<usize>>,
}

/// A bilaga as the file writes what publication needs of it, in file order.
#[derive(Debug, Clone)]
pub struct BilagaSource {
    pub id: String,
    pub(crate) id_span: Range<usize>,
    /// The place of `file = …`, when given.
    pub(crate) file_span: Option<Range<usize>>,
    pub(crate) title_span: Range<usize>,
}

/// A number declared not to be a personnummer (`[[inte_personnummer]]`), with its places.
#[derive(Debug, Clone)]
pub struct Declared {
    /// As written.
    pub nummer: String,
    pub(crate) nummer_span: Range<usize>,
    pub skal: String,
    pub(crate) skal_span: Range<usize>,
}

/// The publication facts of one meeting file.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// Withheld § and bilagor, reviewed PDF bilagor.
    pub(crate) withholding: Withholding,
    /// Withheld people, in the order of the attendance.
    pub people: Vec<WithheldPerson>,
    pub paragrafer: Vec<ParagrafSource>,
    pub bilagor: Vec<BilagaSource>,
    pub declared: Vec<Declared>,
    /// The meeting file's own page-1 wording (`webbtext`), if it gives one.
    pub(crate) webbtext: Option<String>,
    /// The day of `justerad = …` and its place, when it is a date.
    pub justerad: Option<(time::Date, Range<usize>)>,
    /// The place of `kind = …`: where a whole-file problem points.
    pub kind: Range<usize>,
}

impl Source {
    /// The facts of a meeting file as parsed.
    pub fn of(raw: &RawProtocol) -> Self {
        let mut s = Source {
            withholding: withholding(raw),
            people: people(raw),
            ..Source::default()
        };
        let (justerad, webbtext, declared, bilagor) = match raw {
            RawProtocol::Fvg(m) => {
                s.kind = m.kind.span();
                s.paragrafer = m
                    .paragraf
                    .iter()
                    .map(|p| ParagrafSource {
                        title: Some((p.title.get_ref().clone(), p.title.span())),
                        webbtitel: p.webbtitel.as_ref().map(|t| t.span()),
                        withheld: p.sekretess.is_some(),
                        diarienummer: Vec::new(),
                    })
                    .collect();
                (&m.justerad, &m.webbtext, &m.inte_personnummer, &m.bilaga)
            }
            RawProtocol::Namnd(m) => {
                s.kind = m.kind.span();
                s.paragrafer = m
                    .paragraf
                    .iter()
                    .map(|p| ParagrafSource {
                        title: p.title.as_ref().map(|t| (t.get_ref().clone(), t.span())),
                        webbtitel: p.webbtitel.as_ref().map(|t| t.span()),
                        withheld: p.sekretess.is_some(),
                        diarienummer: p.diarienummer.iter().map(|d| d.span()).collect(),
                    })
                    .collect();
                (&m.justerad, &m.webbtext, &m.inte_personnummer, &m.bilaga)
            }
        };
        s.justerad = justerad.as_ref().and_then(|j| {
            let d = j.get_ref().date?;
            let month = time::Month::try_from(d.month).ok()?;
            let day = time::Date::from_calendar_date(i32::from(d.year), month, d.day).ok()?;
            Some((day, j.span()))
        });
        s.webbtext = webbtext
            .as_ref()
            .map(|t| t.get_ref().trim().to_string())
            .filter(|t| !t.is_empty());
        s.declared = declared
            .iter()
            .map(|n| Declared {
                nummer: n.nummer.get_ref().clone(),
                nummer_span: n.nummer.span(),
                skal: n.skal.get_ref().clone(),
                skal_span: n.skal.span(),
            })
            .collect();
        s.bilagor = bilagor
            .iter()
            .map(|b| BilagaSource {
                id: b.id.get_ref().clone(),
                id_span: b.id.span(),
                file_span: b.file.as_ref().map(|f| f.span()),
                title_span: b.title.span(),
            })
            .collect();
        s
    }

    /// The bilaga with this id.
    pub fn bilaga(&self, id: &str) -> Option<&BilagaSource> {
        self.bilagor.iter().find(|b| b.id == id)
    }
}

/// The withheld § (by index, file order) and bilagor (by id), and the reviewed PDF bilagor.
fn withholding(raw: &RawProtocol) -> Withholding {
    let mut w = Withholding::default();
    let withheld = |s: &Option<toml::Spanned<String>>, t: &Option<toml::Spanned<String>>| {
        s.as_ref().map(|s| Withheld {
            reason: s.get_ref().trim().to_string(),
            title: t.as_ref().map(|t| t.get_ref().trim().to_string()),
            span: s.span(),
        })
    };
    let bilagor = match raw {
        RawProtocol::Fvg(m) => {
            for (i, p) in m.paragraf.iter().enumerate() {
                if let Some(x) = withheld(&p.sekretess, &p.webbtitel) {
                    w.paragrafer.insert(i, x);
                }
            }
            &m.bilaga
        }
        RawProtocol::Namnd(m) => {
            for (i, p) in m.paragraf.iter().enumerate() {
                if let Some(x) = withheld(&p.sekretess, &p.webbtitel) {
                    w.paragrafer.insert(i, x);
                }
            }
            for h in &m.handling {
                if let Some(x) = withheld(&h.sekretess, &None) {
                    w.handlingar.insert(h.id.get_ref().clone(), x);
                }
                if h.publiceras.as_ref().is_some_and(|p| *p.get_ref()) {
                    w.publiceras.push(h.id.get_ref().clone());
                }
            }
            &m.bilaga
        }
    };
    for b in bilagor {
        if let Some(x) = withheld(&b.sekretess, &None) {
            w.bilagor.insert(b.id.get_ref().clone(), x);
        }
        if b.publiceras.as_ref().is_some_and(|p| *p.get_ref()) {
            w.publiceras.push(b.id.get_ref().clone());
        }
    }
    w
}

/// The people the meeting file withholds, in the order of the file.
fn people(raw: &RawProtocol) -> Vec<WithheldPerson> {
    let mut out = Vec::new();
    let mut add = |name: &str, party: Option<&str>, mark: &Option<toml::Spanned<String>>| {
        if let Some(m) = mark {
            out.push(WithheldPerson {
                name: name.trim().to_string(),
                reason: m.get_ref().trim().to_string(),
                span: m.span(),
                party: party.map(|p| p.trim().to_string()),
            });
        }
    };
    match raw {
        RawProtocol::Fvg(m) => {
            for p in m
                .attendance
                .absent
                .iter()
                .chain(m.attendance.group.iter().flat_map(|g| g.people.iter()))
            {
                add(p.get_ref().name.get_ref(), None, &p.get_ref().sekretess);
            }
        }
        RawProtocol::Namnd(m) => {
            let a = &m.attendance;
            for p in a
                .ordforande
                .iter()
                .chain(a.vice_ordforande.iter())
                .chain(a.ledamoter.iter())
                .chain(a.tjanstgorande.iter())
                .chain(a.ersattare.iter())
                .chain(a.forhinder.iter())
                .chain(a.forhinder_ledamoter.iter())
                .chain(a.forhinder_ersattare.iter())
            {
                let p = p.get_ref();
                add(p.name.get_ref(), Some(p.party.get_ref()), &p.sekretess);
            }
        }
    }
    out.dedup_by(|a, b| a.name == b.name);
    out
}
