//! The kallelse of a nämnd meeting with its föredragningslista, and the meeting pack (the
//! kallelse followed by every ärende's handlingar): another view of the same meeting file
//! that later becomes the protocol (issue 26). The ärenden are the file's § in order, each
//! with its diarienummer, föredragande, the förvaltning's förslag till beslut (proposals
//! without proposers) and its handlingar; nothing is typed twice.
//!
//! The pack is one document with one page numbering ("Sida X (Y)" across it all), an outline
//! entry for each ärende (under "Föredragningslista") and each handling (under
//! "Handlingar"), and on the föredragningslista the page each handling starts on. The
//! public edition is the same view of the web edition's model: a handling withheld is not
//! in it, and the list says so and why.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::export::Conformance;
use crate::meeting::model::namnd::{NamndMeeting, Withheld};
use crate::meeting::model::{Bilaga, Markup};
use crate::render::Renderer;
use crate::typeset::Job;

use super::phrases;

/// The labels of the kallelse: the document's fixed words (as the anslagsbevis has its own).
const LABELS: Labels = Labels {
    tid: "Tid",
    plats: "Plats",
    datum: "Datum",
    ledamoter: "Ledamöter",
    ersattare: "Ersättare",
    forhinder: "Förhinder",
    tillkannagivet: "Tillkännagiven på anslagstavlan",
    sista_tillkannagivande: "Anslås senast",
    foredragningslista: "Föredragningslista",
    diarienummer: "Dnr",
    foredragande: "Föredragande",
    forslag: "Förslag till beslut",
    handlingar: "Handlingar",
    handling_till: "Handling till ärende",
    sida: "sidan",
};

#[derive(Debug, Clone, Copy, Serialize)]
struct Labels {
    tid: &'static str,
    plats: &'static str,
    datum: &'static str,
    ledamoter: &'static str,
    ersattare: &'static str,
    forhinder: &'static str,
    tillkannagivet: &'static str,
    sista_tillkannagivande: &'static str,
    foredragningslista: &'static str,
    diarienummer: &'static str,
    foredragande: &'static str,
    forslag: &'static str,
    handlingar: &'static str,
    handling_till: &'static str,
    sida: &'static str,
}

/// Which kallelse: the kallelse alone or the whole pack, for the members or the public.
#[derive(Debug, Clone, Default)]
pub struct Edition {
    /// The pack: the handlingar follow the kallelse.
    pub pack: bool,
    /// The public edition: the handlingar withheld, by id, with their reasons (the model
    /// given is then the web edition's, whose withheld handlingar are notices).
    pub public: Option<Withheld>,
}

/// What the kallelse prints (the template's `k`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct View {
    labels: Labels,
    /// "Kallelse AMN 2020-05-19" (the page header; "Kungörelse" for fullmäktige).
    header: String,
    /// The PDF title.
    title: String,
    rubrik: String,
    tidpunkt: Option<String>,
    plats: Option<String>,
    datum: Option<String>,
    tillkannagivet: Option<String>,
    /// Fullmäktige, not yet announced: the last day the kungörelse may go up.
    sista_tillkannagivande: Option<String>,
    ledamoter: Vec<String>,
    ersattare: Vec<String>,
    forhinder: Option<String>,
    arenden: Vec<Arende>,
    pack: bool,
    /// The public edition: marked spans print their notices.
    public: bool,
    /// The handlingar in pack order (empty unless `pack`).
    handlingar: Vec<Handling>,
    keywords: Vec<String>,
}

/// One item of the föredragningslista.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Arende {
    /// From 1, in the file's order.
    pub nummer: usize,
    pub rubrik: String,
    pub diarienummer: Vec<String>,
    pub foredragande: Option<String>,
    pub forslag: Vec<Markup>,
    pub handlingar: Vec<HandlingRad>,
}

/// A handling as the föredragningslista names it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HandlingRad {
    pub titel: String,
    /// The label of its first page in the pack ("handling-3"); `None` outside the pack or
    /// when it is withheld.
    pub label: Option<String>,
    /// The public edition's sentence in its place when it is withheld.
    pub utelamnad: Option<String>,
}

/// A handling in the pack.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Handling {
    pub label: String,
    /// "Handling till ärende 3: Ansökan om bidrag"
    pub rubrik: String,
    pub bilaga: Bilaga,
}

/// The kallelse (or pack) of `m`, ident `kallelse:ORGAN:DATE`.
pub fn make(
    m: &NamndMeeting,
    edition: &Edition,
    renderer: &Renderer,
) -> Result<Job, Vec<Diagnostic>> {
    let view = view(m, edition);
    let date = m.clock_date();
    let assets = view
        .handlingar
        .iter()
        .flat_map(|h| h.bilaga.assets.iter().cloned())
        .collect();
    let bilagor: Vec<Bilaga> = view.handlingar.iter().map(|h| h.bilaga.clone()).collect();
    let conformance = Conformance::for_bilagor(&bilagor);
    let rendered = renderer.render_kallelse(m, &view)?;
    Ok(Job {
        source: rendered.source,
        parts: rendered.parts,
        assets,
        ident: format!("kallelse:{}:{}", m.organ, date.iso()),
        date,
        conformance,
    })
}

/// The ids of the handlingar and bilagor whose pages `edition` prints, in pack order: none
/// outside the pack, none withheld from the public one. Only these have their PDF pages
/// drawn ([`crate::meeting::draw_pages`]; issue 28).
pub fn printed(m: &NamndMeeting, edition: &Edition) -> Vec<String> {
    view(m, edition)
        .handlingar
        .into_iter()
        .map(|h| h.bilaga.id)
        .collect()
}

/// The handling or bilaga `id` names.
fn find<'a>(m: &'a NamndMeeting, id: &str) -> Option<&'a Bilaga> {
    m.handlingar.iter().chain(&m.bilagor).find(|b| b.id == id)
}

pub(crate) fn view(m: &NamndMeeting, edition: &Edition) -> View {
    let a = &m.attendance;
    // Who is called: every ledamot and ersättare the file names, whatever became of them
    // at the meeting (a held meeting's kallelse is the planned one's).
    let mut ledamoter: Vec<String> = Vec::new();
    let mut ersattare: Vec<String> = Vec::new();
    let add = |list: &mut Vec<String>, name: &str, party: &str| {
        let shown = format!("{name} ({party})");
        if !list.contains(&shown) {
            list.push(shown);
        }
    };
    for p in a
        .ordforande
        .iter()
        .chain(&a.vice_ordforande)
        .chain(&a.ledamoter)
        .chain(&a.forhinder_ledamoter)
    {
        add(&mut ledamoter, &p.name, &p.party);
    }
    for p in a
        .tjanstgorande
        .iter()
        .chain(&a.ersattare)
        .chain(&a.forhinder_ersattare)
    {
        add(&mut ersattare, &p.name, &p.party);
    }
    // Förhinder in the one list, seat unsaid: a ledamot unless an ersättare list has them.
    for p in &a.forhinder {
        if !ersattare.contains(&format!("{} ({})", p.name, p.party)) {
            add(&mut ledamoter, &p.name, &p.party);
        }
    }
    let withheld = edition.public.as_ref();
    let mut handlingar = Vec::new();
    let mut arenden = Vec::new();
    for (i, p) in m.paragrafer.iter().enumerate() {
        let nummer = i + 1;
        let mut rader = Vec::new();
        for id in &p.handlingar {
            let Some(b) = find(m, id) else { continue };
            let reason = withheld.and_then(|w| w.get(id));
            let label = format!("handling-{}", handlingar.len() + 1);
            let in_pack = edition.pack && reason.is_none();
            rader.push(HandlingRad {
                titel: b.title.clone(),
                label: in_pack.then(|| label.clone()),
                utelamnad: reason.map(|r| phrases::handling_utelamnad(&m.style, r)),
            });
            if in_pack {
                handlingar.push(Handling {
                    label,
                    rubrik: format!("{} {nummer}: {}", LABELS.handling_till, b.title),
                    bilaga: b.clone(),
                });
            }
        }
        arenden.push(Arende {
            nummer,
            rubrik: p.title.clone(),
            diarienummer: p.diarienummer.clone(),
            foredragande: p
                .foredragande
                .as_ref()
                .map(|o| phrases::official(&m.style, o)),
            forslag: p
                .forslag
                .iter()
                .filter(|f| f.proposers.is_empty())
                .map(|f| f.sentence.clone().unwrap_or_else(|| f.text.clone()))
                .collect(),
            handlingar: rader,
        });
    }
    let rubrik = phrases::kallelse_rubrik(m);
    View {
        labels: LABELS,
        header: phrases::kallelse_sidhuvud(m),
        title: phrases::kallelse_titel(m, &rubrik),
        rubrik,
        // When it begins: the end is not known before (and not the kallelse's to say after).
        tidpunkt: phrases::tidpunkt_planerad(m),
        plats: phrases::plats(m),
        datum: m.kallelse.datum.map(|d| d.long()),
        tillkannagivet: m.kallelse.tillkannagivet.map(|d| d.long()),
        sista_tillkannagivande: match m.kallelse.tillkannagivet {
            Some(_) => None,
            None => m.kallelse.sista_tillkannagivande.map(|d| d.long()),
        },
        ledamoter,
        ersattare,
        forhinder: m.style.forhinder_anmals.clone(),
        arenden,
        pack: edition.pack,
        public: edition.public.is_some(),
        handlingar,
        keywords: m.keywords.clone(),
    }
}
