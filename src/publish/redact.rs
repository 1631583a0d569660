//! The web edition's model: the validated protocol with what the meeting file withholds
//! replaced by notices. A marked span is kept in the model as a `#sekretess` call (the
//! template's edition flag chooses its text); a whole § or bilaga is replaced here, so that
//! nothing of it reaches the template at all.
//!
//! The marks are read from the raw file ([`Withholding::of`]) rather than carried through the
//! model: the official protocol does not depend on them.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::escape;
use crate::meeting::Protocol;
use crate::meeting::model::namnd::{NamndMeeting, NamndParagraf};
use crate::meeting::model::{Bilaga, Content, FvgMeeting, Markup, Paragraf};
use crate::meeting::raw::RawProtocol;

use super::marks::notice;

/// A withheld § or bilaga: why, and where the mark is (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld {
    /// "OSL 26 kap. 1 §", "personuppgift"
    pub reason: String,
    /// The neutral title a § keeps in the web edition (`webbtitel`); `None`: its title.
    pub title: Option<String>,
    /// The `sekretess` value's place in the meeting file.
    pub span: Range<usize>,
}

/// What the meeting file withholds from the web edition, by § index (file order) and by
/// bilaga id; and which PDF bilagor it has reviewed for publication.
#[derive(Debug, Clone, Default)]
pub struct Withholding {
    pub paragrafer: BTreeMap<usize, Withheld>,
    pub bilagor: BTreeMap<String, Withheld>,
    /// Bilaga ids marked `publiceras = true`.
    pub publiceras: Vec<String>,
    /// The reasons of the marked spans in the texts noted ([`Self::note_spans`]), in order.
    pub span_reasons: Vec<String>,
}

impl Withholding {
    /// The marks of a raw meeting file.
    pub fn of(raw: &RawProtocol) -> Self {
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

    /// Notes the reasons of the marked spans in a text (the meeting file, a Markdown bilaga).
    pub fn note_spans(&mut self, text: &str) {
        for s in super::marks::spans(text).0 {
            self.span_reasons.push(s.reason.to_string());
        }
    }

    /// Every reason cited, each once: withheld §, bilagor, then spans.
    pub fn reasons(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let all = self
            .paragrafer
            .values()
            .chain(self.bilagor.values())
            .map(|w| w.reason.clone())
            .chain(self.span_reasons.iter().cloned());
        for r in all {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }
}

/// A notice as markup, a paragraph of its own.
fn notice_markup(reason: &str) -> Markup {
    Markup::typst(escape::markup(&notice(reason)))
}

/// The protocol as the web edition has it: withheld § and bilagor replaced by notices.
pub fn web_protocol(protocol: Protocol, w: &Withholding) -> Protocol {
    match protocol {
        Protocol::Fvg(m) => Protocol::Fvg(web_fvg(m, w)),
        Protocol::Namnd(m) => Protocol::Namnd(web_namnd(m, w)),
    }
}

fn web_fvg(mut m: FvgMeeting, w: &Withholding) -> FvgMeeting {
    for (i, p) in m.paragrafer.iter_mut().enumerate() {
        if let Some(x) = w.paragrafer.get(&i) {
            *p = Paragraf {
                number: p.number,
                title: x.title.clone().unwrap_or_else(|| p.title.clone()),
                group: p.group.clone(),
                content: Content {
                    text: notice_markup(&x.reason),
                    said: Vec::new(),
                },
                items: Vec::new(),
                closing: Markup::default(),
                place: p.place.clone(),
            };
        }
    }
    m.bilagor = m.bilagor.into_iter().map(|b| web_bilaga(b, w)).collect();
    m
}

fn web_namnd(mut m: NamndMeeting, w: &Withholding) -> NamndMeeting {
    for (i, p) in m.paragrafer.iter_mut().enumerate() {
        if let Some(x) = w.paragrafer.get(&i) {
            *p = withheld_paragraf(p, x);
        }
    }
    m.bilagor = m.bilagor.into_iter().map(|b| web_bilaga(b, w)).collect();
    m
}

/// A withheld §: number, title (or the neutral `webbtitel`), diarienummer and the notice.
/// Every field is named (no `..`): a field added to the model must be decided on here.
fn withheld_paragraf(p: &NamndParagraf, x: &Withheld) -> NamndParagraf {
    NamndParagraf {
        number: p.number,
        typ: p.typ,
        title: x.title.clone().unwrap_or_else(|| p.title.clone()),
        diarienummer: p.diarienummer.clone(),
        text: notice_markup(&x.reason),
        anmalningar: Vec::new(),
        beslut_heading: p.beslut_heading.clone(),
        arende: p.arende,
        new_page: p.new_page,
        // Who presided names a person and belongs to the withheld rest.
        presiding_text: None,
        bilagor: p.bilagor.clone(),
        beslut: Vec::new(),
        omedelbar_justering: p.omedelbar_justering,
        omedelbar_stated: p.omedelbar_stated,
        // The derived "Paragrafen justeras omedelbart." says no more than the flag kept above.
        omedelbar_point: p.omedelbar_point.clone(),
        arendet: Markup::default(),
        tjansteutlatande: None,
        tjansteutlatande_text: None,
        forslag: Vec::new(),
        bifall: None,
        beslutsgang: Markup::default(),
        omrostning: None,
        reservationer: Vec::new(),
        sarskilda_uttalanden: Vec::new(),
        ersattaryttranden: Vec::new(),
        jav: Vec::new(),
        jav_text: Vec::new(),
        // Who took part would show who did not (a jäv): withheld with the rest.
        serving: Vec::new(),
        // Where it is written: a problem with its notice is placed there.
        place: p.place.clone(),
    }
}

/// A withheld bilaga keeps its number and title; its content, sender and files go. A
/// published PDF bilaga keeps its pages as drawn, never its original (issue 22).
fn web_bilaga(mut b: Bilaga, w: &Withholding) -> Bilaga {
    let Some(x) = w.bilagor.get(&b.id) else {
        if let Some(pdf) = &mut b.pdf {
            pdf.without_original(&mut b.assets);
        }
        return b;
    };
    Bilaga {
        id: b.id,
        number: b.number,
        title: b.title,
        from: None,
        path: None,
        body: notice_markup(&x.reason),
        yrkanden: None,
        signature: None,
        assets: Vec::new(),
        pdf: None,
        place: b.place,
    }
}
