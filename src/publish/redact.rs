//! The web edition's model: the validated protocol redacted into another protocol (as mdBook's
//! preprocessors turn a Book into a Book), rendered by the same templates. A whole § or bilaga
//! is replaced by its notice; a marked span keeps its `#sekretess` call with the text taken
//! out ([`markup`]); a withheld person's name is replaced wherever the model writes it
//! ([`texts`] visits every text). Nothing of what is withheld reaches the template at all.
//!
//! Which § and bilagor are withheld is read from the file as parsed, once, before validation
//! consumes it ([`super::source`]): the official model does not carry the marks.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::escape;
use crate::meeting::Protocol;
use crate::meeting::model::justering::Rattelse;
use crate::meeting::model::namnd::{NamndMeeting, NamndParagraf};
use crate::meeting::model::{Bilaga, Content, FvgMeeting, Markup, Paragraf};

use super::marks::{self, Edition, notice};
use super::persons::{self, WithheldPerson};
use texts::Text;

pub(super) mod markup;
mod texts;

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
    /// `[[handling]]` (a nämnd's kallelse) withheld, by id: the public meeting pack leaves
    /// them out and says why (issue 26).
    pub handlingar: BTreeMap<String, Withheld>,
    /// Bilaga ids marked `publiceras = true`.
    pub publiceras: Vec<String>,
    /// The reasons of the marked spans in the texts noted ([`Self::note_spans`]), in order.
    pub(crate) span_reasons: Vec<String>,
}

impl Withholding {
    /// Notes the reasons of the marked spans in a text (the meeting file, a Markdown bilaga).
    pub(crate) fn note_spans(&mut self, text: &str) {
        for s in super::marks::spans(text).0 {
            // Composed, as the model's notices are: one reason, however it was typed.
            let reason = crate::meeting::compose::composed(s.reason);
            self.span_reasons
                .push(reason.unwrap_or_else(|| s.reason.to_string()));
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

/// The protocol as the web edition has it, made from the validated model (a model → model
/// redaction, nothing read or validated again): withheld § and bilagor replaced by notices,
/// every marked span's text taken out of the model ([`markup::withhold_spans`]: only its
/// notice is left to print), and each withheld person's name replaced by its stand-in
/// ([`persons::stand_ins`]) in every text of the model but a bilaga's own file (whose mentions
/// the secretary marks). Errs (naming the place) when converter markup does not scan: nothing
/// unredacted is published.
pub(crate) fn web_protocol(
    protocol: Protocol,
    w: &Withholding,
    people: &[WithheldPerson],
) -> Result<Protocol, String> {
    let mut web = match protocol {
        Protocol::Fvg(m) => Protocol::Fvg(web_fvg(m, w)),
        Protocol::Namnd(m) => Protocol::Namnd(web_namnd(m, w)),
    };
    let names: Vec<(String, String)> = people
        .iter()
        .zip(persons::stand_ins(people))
        .filter(|(p, _)| !p.name.is_empty())
        .map(|(p, s)| (p.name.clone(), s))
        .collect();
    let mut failed: Option<String> = None;
    texts::each(&mut web, &mut |text| {
        let result = match text {
            Text::Plain(s) => {
                for (name, stand_in) in &names {
                    *s = persons::replace_word(s, name, stand_in);
                }
                Ok(())
            }
            Text::Markup(m) => {
                // The text as written (the record's) as the web edition has it too.
                let mut written = marks::apply(&m.1, Edition::Web);
                for (name, stand_in) in &names {
                    written = persons::replace_word(&written, name, stand_in);
                }
                m.1 = written;
                markup::withhold_spans(&m.0)
                    .and_then(|t| markup::replace_names(&t, &names))
                    .map(|t| {
                        // Where its lines' markup begins no longer holds where it changed:
                        // a problem is placed at the field as a whole.
                        if t != m.0
                            && let Some(field) = &mut m.2
                        {
                            field.lines.clear();
                        }
                        m.0 = t;
                    })
            }
            Text::FileBody(m) => {
                m.1 = marks::apply(&m.1, Edition::Web);
                markup::withhold_spans(&m.0).map(|t| m.0 = t)
            }
        };
        if let Err(markup::Unscannable(at)) = result
            && failed.is_none()
        {
            failed = Some(format!(
                "the web edition cannot be made: converted text does not scan at byte {at} \
                 (nothing is published; please report this)"
            ));
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(web),
    }
}

/// The web edition of an earlier version of a corrected protocol (issue 27): `version` 0
/// the justerat original, N the one with rättelser 1..N made, redacted as [`web_protocol`]
/// redacts the last. Each version keeps its web edition beside the current one, as each
/// official version keeps its PDF (JO 581-2013: the original stays as it was).
pub(crate) fn web_version(
    protocol: &Protocol,
    version: usize,
    w: &Withholding,
    people: &[WithheldPerson],
) -> Result<Protocol, String> {
    let chosen =
        match version.checked_sub(1) {
            Some(i) => protocol.corrected().into_iter().nth(i).ok_or_else(|| {
                format!("the protocol has no version {version} (please report this)")
            })?,
            None => match protocol {
                Protocol::Namnd(m) => Protocol::Namnd(NamndMeeting {
                    rattade: Vec::new(),
                    ..m.clone()
                }),
                Protocol::Fvg(m) => Protocol::Fvg(FvgMeeting {
                    rattade: Vec::new(),
                    ..m.clone()
                }),
            },
        };
    web_protocol(chosen, w, people)
}

/// As a nämnd's, an FVG protocol's web edition is of the protocol as it stands (its last
/// corrected version, with the notes of its rättelser).
fn web_fvg(m: FvgMeeting, w: &Withholding) -> FvgMeeting {
    let mut m = match m.rattade.last() {
        Some(current) => current.clone(),
        None => m,
    };
    let first = m.paragrafer.first().map_or(1, |p| p.number);
    web_rattelser(&mut m.rattelser, first, w);
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

/// The rättelser as the web edition words them: a rättelse quotes its §, so of a withheld §
/// the notice stands for both texts, and a marked passage is withheld from them as from
/// the § (either kind).
fn web_rattelser(rattelser: &mut [Rattelse], first: u32, w: &Withholding) {
    for r in rattelser {
        let index = r.paragraf.checked_sub(first).map(|i| i as usize);
        match index.and_then(|i| w.paragrafer.get(&i)) {
            Some(x) => {
                r.fore = notice(&x.reason);
                r.efter = notice(&x.reason);
            }
            None => {
                r.fore = marks::apply(&r.fore, Edition::Web);
                r.efter = marks::apply(&r.efter, Edition::Web);
            }
        }
    }
}

/// The web edition of a nämnd protocol is made from the protocol as it stands (its last
/// corrected version, with the notes of its rättelser): the text in force.
fn web_namnd(m: NamndMeeting, w: &Withholding) -> NamndMeeting {
    let mut m = match m.rattade.last() {
        Some(current) => current.clone(),
        None => m,
    };
    let first = m.paragrafer.first().map_or(1, |p| p.number);
    for (i, p) in m.paragrafer.iter_mut().enumerate() {
        if let Some(x) = w.paragrafer.get(&i) {
            *p = withheld_paragraf(p, x);
        }
    }
    web_rattelser(&mut m.rattelser, first, w);
    m.bilagor = m.bilagor.into_iter().map(|b| web_bilaga(b, w)).collect();
    m.handlingar = m
        .handlingar
        .into_iter()
        .map(|b| web_part(b, &w.handlingar))
        .collect();
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
        // The notice stands for the text: no fixed item's default text is added.
        text_written: true,
        anmalningar: Vec::new(),
        beslut_heading: p.beslut_heading,
        arende: p.arende,
        new_page: p.new_page,
        // Who presided names a person and belongs to the withheld rest.
        presiding: None,
        bilagor: p.bilagor.clone(),
        beslut: Vec::new(),
        omedelbar_justering: p.omedelbar_justering,
        omedelbar_stated: p.omedelbar_stated,
        // The derived "Paragrafen justeras omedelbart." says no more than the flag kept above.
        arendet: Markup::default(),
        tjansteutlatande: None,
        forslag: Vec::new(),
        bifall: None,
        beslutsgang: Markup::default(),
        omrostning: None,
        reservationer: Vec::new(),
        sarskilda_uttalanden: Vec::new(),
        ersattaryttranden: Vec::new(),
        jav: Vec::new(),
        javiga: Vec::new(),
        // Who took part would show who did not (a jäv): withheld with the rest.
        serving: Vec::new(),
        // Who presents it and which handlingar it has are on the public
        // föredragningslista; a handling is withheld on its own (`sekretess` on it).
        foredragande: p.foredragande.clone(),
        handlingar: p.handlingar.clone(),
        // Where it is written: a problem with its notice is placed there.
        place: p.place.clone(),
    }
}

/// A withheld bilaga keeps its number and title; its content, sender and files go. A
/// published PDF bilaga keeps its pages as drawn, never its original (issue 22).
fn web_bilaga(b: Bilaga, w: &Withholding) -> Bilaga {
    web_part(b, &w.bilagor)
}

/// A bilaga or handling as the web edition has it, `withheld` naming those withheld.
fn web_part(mut b: Bilaga, withheld: &BTreeMap<String, Withheld>) -> Bilaga {
    let Some(x) = withheld.get(&b.id) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of a model, plain, markup and as written, one after another.
    fn all_texts(p: &mut Protocol) -> String {
        let mut out = String::new();
        texts::each(p, &mut |t| match t {
            Text::Plain(s) => out.push_str(&format!("{s}\n")),
            Text::Markup(m) | Text::FileBody(m) => out.push_str(&format!("{}\n{}\n", m.0, m.1)),
        });
        out
    }

    #[test]
    fn the_web_model_holds_no_marked_text_and_no_withheld_name_anywhere() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/amn/2020-04-21.toml");
        let loaded = crate::meeting::load(&path).expect("the sample loads");
        let source = super::super::source::Source::of(&loaded.raw);
        let (official, _) = crate::meeting::validate(loaded).expect("the sample validates");
        let people = [WithheldPerson {
            name: "Lena Strand".into(),
            reason: "skyddad identitet".into(),
            span: 0..0,
            party: Some("M".into()),
        }];
        let mut web_model = web_protocol(official.clone(), &source.withholding, &people).unwrap();
        let web = all_texts(&mut web_model);
        let official = all_texts(&mut official.clone());
        // Marked in the meeting file (a § text, a question) and in a Markdown bilaga.
        for secret in ["Åsa Lind", "enskild deltagare", "Ove Ek", "Lena Strand"] {
            assert!(
                official.contains(secret),
                "`{secret}` is in the official model"
            );
            assert!(
                !web.contains(secret),
                "`{secret}` is in the web model:\n{web}"
            );
        }
        // The member keeps her party; the view names her by the stand-in.
        let Protocol::Namnd(m) = &web_model else {
            panic!("a nämnd meeting")
        };
        let shown: Vec<String> = crate::documents::phrases::namnd(m)
            .narvarande
            .ledamoter
            .into_iter()
            .map(|p| p.display)
            .collect();
        assert!(
            shown.contains(&"[Uppgift borttagen: skyddad identitet] (M)".to_string()),
            "{shown:?}"
        );
        assert!(
            web.contains("#sekretess(\"personuppgift\", \"[Uppgift borttagen: personuppgift]\")[]")
        );
    }
}
