//! The phrases of a nämnd protocol and its extracts: every sentence, heading and label the
//! protocol derives from the checked meeting, worded here just before rendering — the
//! förhinder and föredragande sentences, the opening and justerare texts, the omedelbar
//! justering point, the tjänsteutlåtande, proposals, omröstning, reservations and uttalanden,
//! jäv, who presided. The model holds the facts (people with the capacity they sat in,
//! dates, counts, ids); the wording is the built-in one below unless the nämnd's house
//! style (`[fraser]`) words a phrase its own way.
//!
//! Why typed Rust and not minijinja macros: the wording needs Swedish grammar (role words
//! grouped by capacity, singular and plural, "och"/"samt", a sentence's capital) that is
//! tested here, and a nämnd changes a phrase in its house style — data checked at
//! `file:line:col`, placeholders and all — without copying and keeping up a template. The
//! template only places what this module words (`ph` in `namnd.typ.j2`), escaped.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::meeting::model::namnd::{
    Forslag, HouseStyle, Justerarroll, Justering, Member, MemberId, Named, NamndMeeting,
    NamndParagraf, Official, Rattelse, Typ, Uttalande,
};
use crate::meeting::model::phrase::Phrase;
use crate::swedish::{join_last, upper_first, with_roles_joined};

/// The built-in wording of every phrase key of the house style (`RawFraser`).
pub(crate) const DEFAULTS: &[(&str, &str)] = &[
    ("forhinder", "Förhinder hade anmälts av {personer}."),
    (
        "foredragande",
        "Föredragande vid sammanträdet var {personer}.",
    ),
    ("ovriga", "Närvarade gjorde även {personer}."),
    ("lista", "{foregaende} och {sista}"),
    ("tjansteman", "{namn}, {roll}"),
    ("etikett_ordforande", "Ordförande"),
    ("etikett_vice_ordforande", "Vice ordf."),
    ("etikett_ledamoter", "Ledamöterna"),
    ("etikett_tjanstgorande", "Tjänstg. ers."),
    ("etikett_ersattare", "Ej tjänstg. ers."),
    ("etikett_foredragande", "Föredragande"),
    ("etikett_ovriga", "Övriga närvarande"),
    (
        "oppnande",
        "Ordföranden förklarade sammanträdet öppnat. Föredragningslistan godkändes.",
    ),
    (
        "val_av_justerare",
        "Att jämte ordföranden justera dagens protokoll utsågs {justerare}.",
    ),
    ("justering_sker", "Justering sker {justering}."),
    ("justering", "{datum}{klockslag}{plats}"),
    ("justering_klockslag", " kl. {tid}"),
    ("justering_plats", ", {plats}"),
    ("beslut_rubrik", "{namnd_genitiv} beslut"),
    (
        "omedelbar_justering",
        "{namnd} beslutade att justera paragrafen omedelbart.",
    ),
    (
        "tjansteutlatande",
        "Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat den {datum}.",
    ),
    ("rubrik_arendet", "Ärendet"),
    ("rubrik_forslag", "Förslag till beslut"),
    ("rubrik_beslutsgang", "Beslutsgång"),
    ("rubrik_reservation", "Reservation"),
    ("rubrik_sarskilt_uttalande", "Särskilt uttalande"),
    ("rubrik_ersattaryttrande", "Ersättaryttrande"),
    ("omrostning_ja", "Ja för {forslag}"),
    ("omrostning_nej", "Nej för {forslag}"),
    (
        "omrostning_utfall",
        "Med {ja} ja-röster mot {nej} nej-röster{avstod} beslutade nämnden enligt {forslag}.",
    ),
    ("omrostning_avstod", ", {antal} avstod,"),
    ("forslag_fran", "förslaget från {personer}"),
    ("forslag_forvaltningen", "förvaltningens förslag"),
    ("forvaltningen", "Förvaltningen"),
    ("forslag_id", "förslag {id}"),
    ("forslag_eget", "eget förslag"),
    (
        "reservation",
        "{personer} reserverade sig mot beslutet{till_forman}.",
    ),
    ("till_forman", " till förmån för {forslag}"),
    (
        "sarskilt_uttalande",
        "{personer} lämnade följande särskilda uttalande.",
    ),
    (
        "ersattaryttrande",
        "{personer} lämnade följande ersättaryttrande.",
    ),
    (
        "jav",
        "{person} anmälde jäv och deltog inte i handläggningen av ärendet.",
    ),
    (
        "ordforande_under_arendet",
        "{person} tjänstgjorde som ordförande under ärendet.",
    ),
    ("justerat_digitalt_rubrik", "Justerat digitalt"),
    (
        "justerat_digitalt",
        "Protokollet har justerats digitalt genom {tjanst}{referens}.",
    ),
    ("justerat_digitalt_referens", ", referens {referens}"),
    ("signatur", "{namn}, {roll}, den {datum}{klockslag}"),
    ("signatur_klockslag", " kl. {tid}"),
    ("signatur_ordforande", "ordförande"),
    ("signatur_justerare", "justerare"),
    (
        "rattelse",
        "Rättelse den {datum}: § {paragraf} ändrades från ”{fore}” till ”{efter}” ({skal}). Rättelsen beslutades av {beslutad_av}.",
    ),
    (
        "kallelse_rubrik",
        "Kallelse till {namnd_genitiv} sammanträde",
    ),
    (
        "handling_utelamnad",
        "Handlingen har utelämnats i den offentliga utgåvan ({skal}).",
    ),
    ("sidhuvud", "Protokoll {organ} {datum}"),
    (
        "titel",
        "Protokoll från {namnd_genitiv} sammanträde den {datum}",
    ),
    ("tidpunkt", "{datum}, kl. {start} – {slut}"),
    ("tidpunkt_planerad", "{datum}, kl. {start}"),
    ("plats_distans", "{plats} samt via {distans}"),
    ("foreslog", "{personer} föreslog"),
];

/// The attendance labels, in the order of the keys the Typst library takes.
const LABELS: &[(&str, &str)] = &[
    ("ordforande", "etikett_ordforande"),
    ("vice-ordforande", "etikett_vice_ordforande"),
    ("ledamoter", "etikett_ledamoter"),
    ("tjanstgorande", "etikett_tjanstgorande"),
    ("ersattare", "etikett_ersattare"),
    ("foredragande", "etikett_foredragande"),
    ("ovriga", "etikett_ovriga"),
];

/// What the nämnd template prints besides the model (`ph`): the whole document's phrases.
#[derive(Debug, Clone, Serialize)]
pub struct Phrases {
    /// The organisation's footer, one line each.
    pub(crate) footer: Vec<String>,
    /// The protocol's title (`title`): page 1's heading.
    pub title: String,
    /// "Tisdag den 21 april 2020, kl. 15:00 – 16:25"; `None` for a fragment without it.
    pub tidpunkt: Option<String>,
    /// "Stadshuset, Rosa rummet samt via Teams"
    pub plats: Option<String>,
    /// The attendance as page 1 prints it.
    pub narvarande: Narvarande,
    /// The justerare, "Per Lindqvist (M)" each.
    pub justerare: Vec<String>,
    /// "Förhinder hade anmälts av …"; `None` when nobody sent word.
    pub forhinder: Option<String>,
    /// The föredragande and others present as rows: "Karin Lund, förvaltningschef".
    pub foredragande: Vec<String>,
    pub(crate) ovriga: Vec<String>,
    /// As sentences (house style `foredragande = "sentence"`); `None` when there are none.
    pub(crate) foredragande_text: Option<String>,
    pub(crate) ovriga_text: Option<String>,
    /// The attendance labels, only when the house style words any its own way (the library
    /// has the built-in ones).
    pub labels: Option<BTreeMap<&'static str, String>>,
    /// "tisdag den 28 april 2020 kl. 14:00, Arbetsmarknadsförvaltningen"
    pub justering: Option<String>,
    /// The justerare of the first page joined as the house style's `lista` says, only when
    /// it words it its own way (the library joins them with "och").
    pub(crate) justerare_lista: Option<String>,
    /// The section headings.
    pub rubrik: Rubriker,
    /// The heading of a reservation's or uttalande's own proposal, only when the house
    /// style words it its own way.
    pub(crate) eget_forslag_rubrik: Option<String>,
    /// Each §'s phrases, by its number (as text: the template looks them up by it).
    pub paragrafer: BTreeMap<String, ParagrafPhrases>,
    /// The "Justerat digitalt" block; `None` when the justering was not digital (the lines
    /// for ink are printed then, as always).
    pub justerat_digitalt: Option<JusteratDigitalt>,
    /// The notes of the rättelser made in this version, for page 1; empty for the original.
    pub rattelser: Vec<String>,
}

/// A digital justering as the protocol and its extracts print it.
#[derive(Debug, Clone, Serialize)]
pub struct JusteratDigitalt {
    /// "Justerat digitalt"
    pub rubrik: String,
    /// "Protokollet har justerats digitalt genom Netpublicator Sign, referens …"
    pub text: String,
    /// "Anna Berg (S), ordförande, den 24 april 2020 kl. 09:12", one a signer.
    pub signaturer: Vec<String>,
}

/// The members present as page 1 prints them.
#[derive(Debug, Clone, Serialize)]
pub struct Narvarande {
    pub ordforande: Option<Printed>,
    pub vice_ordforande: Option<Printed>,
    pub ledamoter: Vec<Printed>,
    pub tjanstgorande: Vec<Printed>,
    pub ersattare: Vec<Printed>,
}

/// A member as the attendance block prints them (the Typst library's keys, in its order).
#[derive(Debug, Clone, Serialize)]
pub struct Printed {
    pub name: String,
    pub party: String,
    /// "Farida al-Abani (Fi)"
    pub display: String,
    /// For a tjänstgörande ersättare: the ledamot replaced, "Andrea Törnestam (S)".
    pub replaces: Option<String>,
    /// "Farida al-Abani (Fi) för Andrea Törnestam (S)"; for others the same as `display`.
    pub serving_as: String,
    /// "§ 8–10 och § 12" when serving only in some §.
    pub only: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rubriker {
    pub arendet: String,
    pub forslag: String,
    pub beslutsgang: String,
    pub reservation: String,
    pub sarskilt_uttalande: String,
    pub ersattaryttrande: String,
}

/// One §'s phrases.
#[derive(Debug, Clone, Serialize)]
pub struct ParagrafPhrases {
    /// A fixed item's default text when the file gives none (the opening's, the
    /// justerare's).
    pub text: Option<String>,
    /// "Arbetsmarknadsnämndens beslut"; `None`: the beslut list is printed without it.
    pub beslut_heading: Option<String>,
    /// "Arbetsmarknadsnämnden beslutade att justera paragrafen omedelbart."
    pub(crate) omedelbar_point: Option<String>,
    /// "Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat den …"
    pub tjansteutlatande: Option<String>,
    /// Who made each proposal, in order: "Ordföranden Anna Berg (S)", "Förvaltningen".
    pub forslag: Vec<String>,
    /// Each proposal's lead as the house style's `foreslog` words it ("Ordföranden Anna
    /// Berg (S) yrkade"), only when it words it its own way (the library writes "… föreslog").
    pub(crate) forslag_inledning: Vec<String>,
    /// Who served in the §, "Anna Berg (S)" each, attendance order.
    pub serving: Vec<String>,
    pub omrostning: Option<OmrostningPhrases>,
    /// The sentence before each reservation, särskilt uttalande, ersättaryttrande.
    pub(crate) reservationer: Vec<String>,
    pub(crate) sarskilda_uttalanden: Vec<String>,
    pub(crate) ersattaryttranden: Vec<String>,
    /// "Ledamoten Anna A (S) anmälde jäv …", one each.
    pub jav: Vec<String>,
    /// "Vice ordföranden Per Holm (M) tjänstgjorde som ordförande under ärendet."
    pub presiding: Option<String>,
    /// The notes of the rättelser of this § made in this version.
    pub rattelser: Vec<String>,
}

/// A member's vote as the omröstning's table prints it.
#[derive(Debug, Clone, Serialize)]
pub struct VoteRow {
    /// "Anna Berg (S)"
    pub member: String,
    /// "ja", "nej" or "avstår"
    pub vote: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OmrostningPhrases {
    /// "Ja för förslaget från ordföranden Anna Berg (S)"
    pub(crate) ja_label: String,
    pub(crate) nej_label: String,
    /// Every voting member in attendance order with the vote.
    pub rows: Vec<VoteRow>,
    /// "Med 6 ja-röster mot 5 nej-röster, 1 avstod, beslutade nämnden enligt …"
    pub outcome: String,
}

/// The wording in force: the house style's phrase for a key, or the built-in one.
struct Wording<'a> {
    style: &'a BTreeMap<String, Phrase>,
}

impl Wording<'_> {
    /// Phrase `key` filled with `values`.
    fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        match self.style.get(key) {
            Some(p) => p.fill(values),
            None => {
                let text = DEFAULTS
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map_or("", |(_, d)| *d);
                // The built-in wording takes the same placeholders (tested below).
                Phrase::parse(text, &values.iter().map(|(k, _)| *k).collect::<Vec<_>>())
                    .map(|p| p.fill(values))
                    .unwrap_or_else(|_| text.to_string())
            }
        }
    }

    /// A sentence: phrase `key` filled, its first letter upper case.
    fn sentence(&self, key: &str, values: &[(&str, &str)]) -> String {
        upper_first(&self.fill(key, values))
    }

    /// Phrase `key` when the house style words it its own way.
    fn custom(&self, key: &str) -> Option<String> {
        self.style.get(key).map(|p| p.fill(&[]))
    }

    /// An official as the rows and sentences print them.
    fn official(&self, o: &Official) -> String {
        match &o.role {
            Some(role) => self.fill("tjansteman", &[("namn", &o.name), ("roll", role)]),
            None => o.name.clone(),
        }
    }

    fn people_sentence(&self, key: &str, people: &[String]) -> Option<String> {
        (!people.is_empty()).then(|| self.sentence(key, &[("personer", &self.join(people))]))
    }

    /// "A, B och C": the last joined as `lista` words it.
    fn join(&self, items: &[String]) -> String {
        join_last(items, &|init, last| self.last_of_list(init, last))
    }

    /// People with their role words ("ordföranden Anna Berg (S) och ledamoten Per Ek
    /// (V)"), each list's last joined as `lista` words it.
    fn with_roles(&self, people: &[Named]) -> String {
        with_roles_joined(people, &|init, last| self.last_of_list(init, last))
    }

    fn last_of_list(&self, init: &str, last: &str) -> String {
        self.fill("lista", &[("foregaende", init), ("sista", last)])
    }

    /// Who made proposal `f`, as the subject of "… föreslog": "Ordföranden Anna Berg (S)",
    /// or `forvaltningen` for the förvaltning's proposal.
    fn proposer(&self, f: &Forslag) -> String {
        if f.proposers.is_empty() {
            self.fill("forvaltningen", &[])
        } else {
            upper_first(&self.with_roles(&f.proposers))
        }
    }

    /// What stands before proposal `f`'s text, as `foreslog` words it: "Ordföranden Anna
    /// Berg (S) föreslog", "Förvaltningen föreslog".
    fn proposal_lead(&self, f: &Forslag) -> String {
        let who = if f.proposers.is_empty() {
            self.fill("forvaltningen", &[])
        } else {
            self.with_roles(&f.proposers)
        };
        self.sentence("foreslog", &[("personer", &who)])
    }
}

/// Who made proposal `f` of a meeting with house style `style`, as the protocol words it
/// before "föreslog" ("Ordföranden Anna Berg (S) och ledamoten Per Ek (V)",
/// "Förvaltningen"): the record names them the same.
pub(crate) fn proposed_by(style: &HouseStyle, f: &Forslag) -> String {
    Wording {
        style: &style.fraser,
    }
    .proposer(f)
}

/// Who made reservation or uttalande `u`, as its sentence names them ("Johanna Sjö m.fl.
/// (M), Gulan Avci (FP) och Johan Fälldin (C)"): the record names them the same.
pub(crate) fn statement_by(style: &HouseStyle, u: &Uttalande) -> String {
    Wording {
        style: &style.fraser,
    }
    .with_roles(&u.people)
}

/// An official as the nämnd's rows print them ("Karin Lövgren, förvaltningschef"): the
/// kallelse names the föredragande the same.
pub(crate) fn official(style: &HouseStyle, o: &Official) -> String {
    Wording {
        style: &style.fraser,
    }
    .official(o)
}

/// The kallelse's heading and, for the public edition, the sentence that stands for a
/// withheld handling (`reason` as the file gives it), as the house style words them.
pub(crate) fn kallelse_rubrik(m: &NamndMeeting) -> String {
    Wording {
        style: &m.style.fraser,
    }
    .sentence(
        "kallelse_rubrik",
        &[(
            "namnd_genitiv",
            &crate::swedish::lower_first(&crate::swedish::genitive(&m.namnd)),
        )],
    )
}

/// "Handlingen har utelämnats i den offentliga utgåvan (OSL 25 kap. 1 §)."
pub(crate) fn handling_utelamnad(style: &HouseStyle, reason: &str) -> String {
    Wording {
        style: &style.fraser,
    }
    .sentence("handling_utelamnad", &[("skal", reason)])
}

/// The wording of meeting `m`: its house style's phrases over the built-in ones.
fn wording(m: &NamndMeeting) -> Wording<'_> {
    Wording {
        style: &m.style.fraser,
    }
}

/// A member as the protocol names them: "Anna Berg (S)" (the name alone without a party).
pub(crate) fn display(mem: &Member) -> String {
    if mem.party.trim().is_empty() {
        mem.name.clone()
    } else {
        format!("{} ({})", mem.name, mem.party)
    }
}

/// The member `id` of meeting `m` as the protocol names them: "Anna Berg (S)".
pub(crate) fn member(m: &NamndMeeting, id: MemberId) -> String {
    display(m.member(id))
}

/// A member as the attendance block prints them: for a tjänstgörande ersättare with whom
/// they replace, "Farida al-Abani (Fi) för Andrea Törnestam (S)".
fn printed(m: &NamndMeeting, mem: &Member) -> Printed {
    let shown = display(mem);
    let replaces = mem.replaces.map(|r| member(m, r));
    let serving_as = match &replaces {
        Some(r) => format!("{shown} för {r}"),
        None => shown.clone(),
    };
    Printed {
        name: mem.name.clone(),
        party: mem.party.clone(),
        display: shown,
        replaces,
        serving_as,
        only: mem.only.as_deref().map(only),
    }
}

/// The § a member serves in when only some: `[(8, 10), (12, 12)]` → "§ 8–10 och § 12" (the
/// en dash of a range, as the protocol's other § ranges: "§ 31–32").
pub(crate) fn only(ranges: &[(u32, u32)]) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                format!("§ {a}")
            } else {
                format!("§ {a}–{b}")
            }
        })
        .collect();
    crate::swedish::join_and(&parts)
}

/// The page header: "Protokoll AMN 2020-04-21", "Protokoll AMN 2015" for a dateless
/// fragment (`sidhuvud`).
pub(crate) fn header(m: &NamndMeeting) -> String {
    let datum = m.date.map_or_else(|| m.year.to_string(), |d| d.iso());
    wording(m).fill("sidhuvud", &[("organ", &m.organ), ("datum", &datum)])
}

/// The document's title (PDF metadata, page 1, the record's name): "Protokoll från
/// arbetsmarknadsnämndens sammanträde den 21 april 2020" (`titel`); a dateless fragment's
/// "Utdrag ur protokoll från arbetsmarknadsnämndens sammanträde 2015".
pub(crate) fn title(m: &NamndMeeting) -> String {
    let genitive = crate::swedish::lower_first(&crate::swedish::genitive(&m.namnd));
    match m.date {
        Some(d) => wording(m).fill(
            "titel",
            &[("namnd_genitiv", &genitive), ("datum", &d.long())],
        ),
        None => format!("Utdrag ur protokoll från {genitive} sammanträde {}", m.year),
    }
}

/// When the meeting was held: "Tisdag den 21 april 2020, kl. 15:00 – 16:25" (`tidpunkt`);
/// `None` for a fragment that does not say.
pub(crate) fn tidpunkt(m: &NamndMeeting) -> Option<String> {
    let (d, start) = (m.date?, m.start.as_ref()?);
    let datum = d.with_weekday();
    Some(match &m.end {
        Some(end) => wording(m).fill(
            "tidpunkt",
            &[("datum", &datum), ("start", start), ("slut", end)],
        ),
        // A planned meeting (the only one without an end): when it begins.
        None => tidpunkt_planerad(m)?,
    })
}

/// When a meeting begins, for its kallelse or a planned meeting's draft: "Tisdag den 19 maj
/// 2020, kl. 15:00" (`tidpunkt_planerad`); the end is not known before it is held.
pub(crate) fn tidpunkt_planerad(m: &NamndMeeting) -> Option<String> {
    let (d, start) = (m.date?, m.start.as_ref()?);
    Some(wording(m).fill(
        "tidpunkt_planerad",
        &[("datum", &d.with_weekday()), ("start", start)],
    ))
}

/// Where the meeting was held: the place as written, "… samt via Teams" when members took
/// part from elsewhere (`plats_distans`); `None` for a fragment that does not say.
pub(crate) fn plats(m: &NamndMeeting) -> Option<String> {
    let place = m.place.as_ref()?;
    Some(match &m.remote {
        Some(r) => wording(m).fill("plats_distans", &[("plats", place), ("distans", r)]),
        None => place.clone(),
    })
}

/// The phrases of a protocol as its template gets them (`ph`): a nämnd protocol's, or an
/// FVG protocol's lines (`documents::fvg`).
pub fn of(protocol: &crate::meeting::Protocol) -> Option<minijinja::Value> {
    match protocol {
        crate::meeting::Protocol::Namnd(m) => Some(value(m)),
        crate::meeting::Protocol::Fvg(m) => Some(super::fvg::value(m)),
    }
}

/// The phrases of nämnd meeting `m` as its template gets them.
pub fn value(m: &NamndMeeting) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(namnd(m)))
}

/// The phrases of nämnd meeting `m`.
pub fn namnd(m: &NamndMeeting) -> Phrases {
    let w = wording(m);
    let a = &m.attendance;
    let justerare: Vec<String> = m.justerare.iter().map(|j| member(m, *j)).collect();
    let list = |l: &[Member]| l.iter().map(|x| printed(m, x)).collect();
    let foredragande: Vec<String> = a.foredragande.iter().map(|o| w.official(o)).collect();
    let ovriga: Vec<String> = a.ovriga.iter().map(|o| w.official(o)).collect();
    let sentences = m.style.foredragande_sentence;
    let labels = LABELS
        .iter()
        .any(|(_, key)| m.style.fraser.contains_key(*key))
        .then(|| {
            LABELS
                .iter()
                .map(|(name, key)| (*name, w.fill(key, &[])))
                .collect()
        });
    Phrases {
        footer: super::footer_lines(&m.organisation),
        title: title(m),
        tidpunkt: tidpunkt(m),
        plats: plats(m),
        narvarande: Narvarande {
            ordforande: a.ordforande.as_ref().map(|x| printed(m, x)),
            vice_ordforande: a.vice_ordforande.as_ref().map(|x| printed(m, x)),
            ledamoter: list(&a.ledamoter),
            tjanstgorande: list(&a.tjanstgorande),
            ersattare: list(&a.ersattare),
        },
        forhinder: forhinder(&w, m),
        foredragande_text: w
            .people_sentence("foredragande", &foredragande)
            .filter(|_| sentences),
        ovriga_text: w.people_sentence("ovriga", &ovriga).filter(|_| sentences),
        foredragande,
        ovriga,
        labels,
        justering: justering(&w, m.justering.as_ref()),
        justerare_lista: m
            .style
            .fraser
            .contains_key("lista")
            .then(|| w.join(&justerare)),
        justerare,
        rubrik: Rubriker {
            arendet: w.fill("rubrik_arendet", &[]),
            forslag: w.fill("rubrik_forslag", &[]),
            beslutsgang: w.fill("rubrik_beslutsgang", &[]),
            reservation: w.fill("rubrik_reservation", &[]),
            sarskilt_uttalande: w.fill("rubrik_sarskilt_uttalande", &[]),
            ersattaryttrande: w.fill("rubrik_ersattaryttrande", &[]),
        },
        eget_forslag_rubrik: w.custom("rubrik_forslag"),
        paragrafer: m
            .paragrafer
            .iter()
            .map(|p| (p.number.to_string(), paragraf(&w, m, p)))
            .collect(),
        justerat_digitalt: justerat_digitalt(&w, m.justering.as_ref()),
        rattelser: m.applied().iter().map(|r| rattelse(&w, r)).collect(),
    }
}

/// What an FVG protocol prints of its justering, in the built-in wording (an FVG meeting
/// has no house style): the same sentences as a nämnd's.
pub(crate) struct FvgJustering {
    /// When and where it is justerad, when `[justering]` says.
    pub justering: Option<String>,
    pub digitalt: Option<JusteratDigitalt>,
    /// The notes of the rättelser made: for page 1, and by § number.
    pub rattelser: Vec<String>,
    pub rattelser_vid: BTreeMap<String, Vec<String>>,
}

/// The justering, the "Justerat digitalt" block and the notes of the rättelser of FVG
/// meeting `m`.
pub(crate) fn fvg_justering(m: &crate::meeting::model::FvgMeeting) -> FvgJustering {
    let built_in = BTreeMap::new();
    let w = Wording { style: &built_in };
    let mut at: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in m.applied() {
        at.entry(r.paragraf.to_string())
            .or_default()
            .push(rattelse(&w, r));
    }
    FvgJustering {
        justering: justering(&w, m.justering.as_ref()),
        digitalt: justerat_digitalt(&w, m.justering.as_ref()),
        rattelser: m.applied().iter().map(|r| rattelse(&w, r)).collect(),
        rattelser_vid: at,
    }
}

/// The note of rättelse `r`: "Rättelse den 4 maj 2020: § 34 ändrades från ”…” till ”…”
/// (skrivfel). Rättelsen beslutades av …" — what changed, when, why and who decided it.
fn rattelse(w: &Wording, r: &Rattelse) -> String {
    let skal = r.skal.trim().trim_end_matches('.');
    w.sentence(
        "rattelse",
        &[
            ("datum", &r.date.long()),
            ("paragraf", &r.paragraf.to_string()),
            ("fore", &r.fore),
            ("efter", &r.efter),
            ("skal", skal),
            ("beslutad_av", &r.beslutad_av),
        ],
    )
}

/// The "Justerat digitalt" block of a protocol justerat through a signing service: the
/// service, its reference and each signer with role and time, as the file lists them.
fn justerat_digitalt(w: &Wording, j: Option<&Justering>) -> Option<JusteratDigitalt> {
    let j = j?;
    let (tjanst, referens) = j.digital()?;
    let referens = referens
        .map(|r| w.fill("justerat_digitalt_referens", &[("referens", r)]))
        .unwrap_or_default();
    let signaturer = j
        .signaturer
        .iter()
        .map(|s| {
            let namn = if s.party.is_empty() {
                s.name.clone()
            } else {
                format!("{} ({})", s.name, s.party)
            };
            let roll = match s.roll {
                Justerarroll::Ordforande => w.fill("signatur_ordforande", &[]),
                Justerarroll::Justerare => w.fill("signatur_justerare", &[]),
            };
            let klockslag = s
                .time
                .as_ref()
                .map(|t| w.fill("signatur_klockslag", &[("tid", t)]))
                .unwrap_or_default();
            w.sentence(
                "signatur",
                &[
                    ("namn", &namn),
                    ("roll", &roll),
                    ("datum", &s.date.long()),
                    ("klockslag", &klockslag),
                ],
            )
        })
        .collect();
    Some(JusteratDigitalt {
        rubrik: w.fill("justerat_digitalt_rubrik", &[]),
        text: w.sentence(
            "justerat_digitalt",
            &[("tjanst", tjanst), ("referens", &referens)],
        ),
        signaturer,
    })
}

/// When and where the justering takes place: "tisdag den 28 april 2020 kl. 14:00,
/// Arbetsmarknadsförvaltningen" (`justering`, `justering_klockslag`, `justering_plats`).
fn justering(w: &Wording, j: Option<&Justering>) -> Option<String> {
    let j = j?;
    let klockslag = j
        .time
        .as_ref()
        .map(|t| w.fill("justering_klockslag", &[("tid", t)]))
        .unwrap_or_default();
    let plats = j
        .place
        .as_ref()
        .map(|p| w.fill("justering_plats", &[("plats", p)]))
        .unwrap_or_default();
    Some(w.fill(
        "justering",
        &[
            (
                "datum",
                &crate::swedish::lower_first(&j.date.with_weekday()),
            ),
            ("klockslag", &klockslag),
            ("plats", &plats),
        ],
    ))
}

/// "Förhinder hade anmälts av …": the one list as it stands ("A (S) och B (M)"), or the
/// split lists as "ledamöterna A (M), B (S) samt ersättarna C (L), D (V)" (the form of
/// Stockholms stad's protocols, issue 11).
fn forhinder(w: &Wording, m: &NamndMeeting) -> Option<String> {
    let a = &m.attendance;
    let shown = |l: &[Member]| l.iter().map(display).collect::<Vec<_>>();
    if a.forhinder_ledamoter.is_empty() && a.forhinder_ersattare.is_empty() {
        return w.people_sentence("forhinder", &shown(&a.forhinder));
    }
    let group = |l: &[Member], one: &str, many: &str| {
        (!l.is_empty()).then(|| {
            let word = if l.len() == 1 { one } else { many };
            format!("{word} {}", shown(l).join(", "))
        })
    };
    let parts: Vec<String> = [
        group(&a.forhinder_ledamoter, "ledamoten", "ledamöterna"),
        group(&a.forhinder_ersattare, "ersättaren", "ersättarna"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Some(w.sentence("forhinder", &[("personer", &parts.join(" samt "))]))
}

fn paragraf(w: &Wording, m: &NamndMeeting, p: &NamndParagraf) -> ParagrafPhrases {
    let namnd = [("namnd", m.namnd.as_str())];
    let text = if p.text_written {
        None
    } else {
        match p.typ {
            Typ::Oppnande => Some(w.sentence("oppnande", &[])),
            Typ::Justerare if !m.justerare.is_empty() => {
                let justerare: Vec<String> = m.justerare.iter().map(|j| member(m, *j)).collect();
                let mut s = w.sentence("val_av_justerare", &[("justerare", &w.join(&justerare))]);
                if let Some(j) = justering(w, m.justering.as_ref()) {
                    s.push(' ');
                    s.push_str(&w.sentence("justering_sker", &[("justering", &j)]));
                }
                Some(s)
            }
            _ => None,
        }
    };
    ParagrafPhrases {
        text,
        beslut_heading: p.beslut_heading.then(|| {
            w.fill(
                "beslut_rubrik",
                &[
                    ("namnd", &m.namnd),
                    ("namnd_genitiv", &crate::swedish::genitive(&m.namnd)),
                ],
            )
        }),
        omedelbar_point: p
            .adds_omedelbar_point()
            .then(|| w.sentence("omedelbar_justering", &namnd)),
        tjansteutlatande: p
            .tjansteutlatande
            .map(|d| w.sentence("tjansteutlatande", &[("datum", &d.long())])),
        forslag: p.forslag.iter().map(|f| w.proposer(f)).collect(),
        forslag_inledning: if w.style.contains_key("foreslog") {
            p.forslag.iter().map(|f| w.proposal_lead(f)).collect()
        } else {
            Vec::new()
        },
        serving: p.serving.iter().map(|s| member(m, *s)).collect(),
        omrostning: p.omrostning.as_ref().map(|o| {
            let avstod = match o.avstar {
                0 => String::new(),
                n => w.fill("omrostning_avstod", &[("antal", &n.to_string())]),
            };
            OmrostningPhrases {
                ja_label: w.sentence("omrostning_ja", &[("forslag", &proposal(w, p, &o.ja_for))]),
                nej_label: w.sentence(
                    "omrostning_nej",
                    &[("forslag", &proposal(w, p, &o.nej_for))],
                ),
                rows: o
                    .rows
                    .iter()
                    .map(|v| VoteRow {
                        member: member(m, v.member),
                        vote: v.vote.clone(),
                    })
                    .collect(),
                outcome: w.sentence(
                    "omrostning_utfall",
                    &[
                        ("ja", &o.ja.to_string()),
                        ("nej", &o.nej.to_string()),
                        ("avstod", &avstod),
                        ("forslag", &proposal(w, p, &o.winner)),
                    ],
                ),
            }
        }),
        reservationer: p
            .reservationer
            .iter()
            .map(|r| reservation(w, p, r))
            .collect(),
        sarskilda_uttalanden: p
            .sarskilda_uttalanden
            .iter()
            .map(|u| intro(w, u, "sarskilt_uttalande"))
            .collect(),
        ersattaryttranden: p
            .ersattaryttranden
            .iter()
            .map(|u| intro(w, u, "ersattaryttrande"))
            .collect(),
        jav: p
            .javiga
            .iter()
            .map(|j| w.sentence("jav", &[("person", &w.with_roles(std::slice::from_ref(j)))]))
            .collect(),
        presiding: p.presiding.as_ref().map(|j| {
            w.sentence(
                "ordforande_under_arendet",
                &[("person", &w.with_roles(std::slice::from_ref(j)))],
            )
        }),
        rattelser: m
            .applied()
            .iter()
            .filter(|r| r.paragraf == p.number)
            .map(|r| rattelse(w, r))
            .collect(),
    }
}

/// A proposal of § `p` by id, as running text names it: "förslaget från ordföranden Anna
/// Berg (S)", "förvaltningens förslag", or "förslag x" for one the § does not list.
fn proposal(w: &Wording, p: &NamndParagraf, id: &str) -> String {
    match p.forslag.iter().find(|f| f.id == id) {
        Some(f) if f.proposers.is_empty() => w.fill("forslag_forvaltningen", &[]),
        Some(f) => w.fill("forslag_fran", &[("personer", &w.with_roles(&f.proposers))]),
        None => w.fill("forslag_id", &[("id", id)]),
    }
}

/// A särskilt uttalande's or ersättaryttrande's sentence: as the file words it, or derived.
fn intro(w: &Wording, u: &Uttalande, key: &str) -> String {
    match &u.intro {
        Some(i) => i.clone(),
        None => w.sentence(key, &[("personer", &w.with_roles(&u.people))]),
    }
}

/// A reservation's sentence: as the file words it, or "… reserverade sig mot beslutet till
/// förmån för …" with the proposal they stood for — their own when one of them made it.
fn reservation(w: &Wording, p: &NamndParagraf, r: &Uttalande) -> String {
    if let Some(i) = &r.intro {
        return i.clone();
    }
    let favour = r.forslag.as_deref().and_then(|id| {
        let f = p.forslag.iter().find(|f| f.id == id)?;
        let own = f
            .proposers
            .iter()
            .any(|x| r.people.iter().any(|y| y.name == x.name));
        let which = if own {
            w.fill("forslag_eget", &[])
        } else {
            proposal(w, p, id)
        };
        Some(w.fill("till_forman", &[("forslag", &which)]))
    });
    w.sentence(
        "reservation",
        &[
            ("personer", &w.with_roles(&r.people)),
            ("till_forman", &favour.unwrap_or_default()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::model::phrase::PhrasePart;
    use crate::meeting::raw::namnd::RawFraser;

    #[test]
    fn the_paragrafer_a_member_serves_in_are_printed_as_ranges() {
        assert_eq!(only(&[(8, 10), (12, 12)]), "§ 8–10 och § 12");
    }

    /// Every key of the house style has its built-in wording, which takes exactly the
    /// key's placeholders.
    #[test]
    fn every_phrase_key_has_its_default_wording() {
        let raw = RawFraser::default();
        let keys: Vec<&str> = raw.entries().iter().map(|(k, _, _)| *k).collect();
        let defaults: Vec<&str> = DEFAULTS.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, defaults);
        for ((key, _, known), (_, text)) in raw.entries().iter().zip(DEFAULTS) {
            let phrase =
                Phrase::parse(text, known).unwrap_or_else(|e| panic!("{key}: {}", e.message));
            for k in *known {
                assert!(
                    phrase.0.contains(&PhrasePart::Slot(k.to_string()))
                        || (*key == "beslut_rubrik" && *k == "namnd"),
                    "{key} does not use {{{k}}}"
                );
            }
        }
    }

    /// The record states the added omedelbar point with `swedish::omedelbar_point`: the
    /// built-in phrase must word it the same.
    #[test]
    fn the_built_in_omedelbar_point_is_the_records() {
        let built_in = BTreeMap::new();
        let w = Wording { style: &built_in };
        assert_eq!(
            w.sentence("omedelbar_justering", &[("namnd", "Välfärdsnämnden")]),
            crate::swedish::omedelbar_point("Välfärdsnämnden")
        );
    }

    fn style(pairs: &[(&str, &str, &[&str])]) -> BTreeMap<String, Phrase> {
        pairs
            .iter()
            .map(|(k, t, known)| (k.to_string(), Phrase::parse(t, known).unwrap()))
            .collect()
    }

    #[test]
    fn an_official_is_worded_as_the_house_style_orders_name_and_role() {
        let karina = Official {
            name: "Karina Uddén".into(),
            role: Some("förvaltningschef".into()),
        };
        let built_in = BTreeMap::new();
        let w = Wording { style: &built_in };
        assert_eq!(w.official(&karina), "Karina Uddén, förvaltningschef");
        let theirs = style(&[("tjansteman", "{roll} {namn}", &["namn", "roll"])]);
        let w = Wording { style: &theirs };
        let shown = vec![w.official(&karina)];
        assert_eq!(
            w.people_sentence("foredragande", &shown).unwrap(),
            "Föredragande vid sammanträdet var förvaltningschef Karina Uddén."
        );
        let nameless = Official {
            name: "Nils Dahl".into(),
            role: None,
        };
        assert_eq!(w.official(&nameless), "Nils Dahl");
    }

    #[test]
    fn a_sentence_starts_with_a_capital_whatever_the_phrase_begins_with() {
        let theirs = style(&[("jav", "{person} anmälde jäv.", &["person"])]);
        let w = Wording { style: &theirs };
        assert_eq!(
            w.sentence("jav", &[("person", "ledamoten Anna A (S)")]),
            "Ledamoten Anna A (S) anmälde jäv."
        );
    }

    /// A list's last name is joined as `lista` words it, inside each capacity's group too;
    /// the groups keep "samt".
    #[test]
    fn a_lists_last_name_is_joined_as_the_house_style_words_it() {
        let person = |name: &str, capacity| Named {
            name: name.into(),
            party: "S".into(),
            mfl: false,
            capacity: Some(capacity),
        };
        let people = [
            person("Anna A", crate::meeting::model::namnd::Capacity::Ledamot),
            person("Bo B", crate::meeting::model::namnd::Capacity::Ledamot),
            person(
                "Cia C",
                crate::meeting::model::namnd::Capacity::TjanstgorandeErsattare,
            ),
        ];
        let built_in = BTreeMap::new();
        let w = Wording { style: &built_in };
        assert_eq!(
            w.with_roles(&people),
            "ledamöterna Anna A (S) och Bo B (S) samt tjänstgörande ersättaren Cia C (S)"
        );
        let theirs = style(&[("lista", "{foregaende} & {sista}", &["foregaende", "sista"])]);
        let w = Wording { style: &theirs };
        assert_eq!(
            w.with_roles(&people),
            "ledamöterna Anna A (S) & Bo B (S) samt tjänstgörande ersättaren Cia C (S)"
        );
        assert_eq!(w.join(&["A".into(), "B".into(), "C".into()]), "A, B & C");
    }

    fn sample(name: &str) -> NamndMeeting {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/amn")
            .join(name);
        match crate::meeting::load(&path).and_then(crate::meeting::validate) {
            Ok((crate::meeting::Protocol::Namnd(m), _)) => m,
            _ => panic!("{name} is a valid nämnd meeting"),
        }
    }

    /// The built-in wording of the sample protocol's derived sentences.
    #[test]
    fn the_sample_protocol_is_worded_as_before() {
        let m = sample("2020-04-21.toml");
        let ph = namnd(&m);
        assert_eq!(
            ph.forhinder.as_deref(),
            Some("Förhinder hade anmälts av ledamöterna Helena Rask (S), Mikael Dahl (MP).")
        );
        assert_eq!(ph.foredragande[0], "Karin Lövgren, förvaltningschef");
        assert_eq!(header(&m), "Protokoll AMN 2020-04-21");
        assert_eq!(
            ph.title,
            "Protokoll från arbetsmarknadsnämndens sammanträde den 21 april 2020"
        );
        assert_eq!(
            ph.tidpunkt.as_deref(),
            Some("Tisdag den 21 april 2020, kl. 15:00 – 16:25")
        );
        assert_eq!(
            ph.plats.as_deref(),
            Some("Stadshuset, Rosa rummet samt via Teams")
        );
        assert_eq!(
            ph.narvarande.tjanstgorande[0].serving_as,
            "Farida Amini (Fi) för Helena Rask (S)"
        );
        assert_eq!(ph.justerare, ["Per Lindqvist (M)"]);
        assert!(
            ph.paragrafer["33"].forslag_inledning.is_empty(),
            "the library's own"
        );
        assert!(ph.labels.is_none(), "the library's own labels");
        let p33 = &ph.paragrafer["33"];
        assert_eq!(
            p33.beslut_heading.as_deref(),
            Some("Arbetsmarknadsnämndens beslut")
        );
        assert_eq!(
            p33.omedelbar_point.as_deref(),
            Some("Arbetsmarknadsnämnden beslutade att justera paragrafen omedelbart.")
        );
        assert_eq!(
            p33.omrostning.as_ref().unwrap().outcome,
            "Med 6 ja-röster mot 5 nej-röster, 1 avstod, beslutade nämnden enligt förslaget från ordföranden Anna Ekblom (S)."
        );
        assert_eq!(
            p33.reservationer[0],
            "Vice ordföranden Per Lindqvist m.fl. (M) samt ledamöterna Karl Viklund (L), Maria Ekholm (C) och Nils Åberg (KD) reserverade sig mot beslutet till förmån för eget förslag."
        );
        let p34 = &ph.paragrafer["34"];
        assert_eq!(
            p34.jav,
            [
                "Ledamoten Jonas Berglund (MP) anmälde jäv och deltog inte i handläggningen av ärendet."
            ]
        );
        assert_eq!(
            p34.tjansteutlatande.as_deref(),
            Some(
                "Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat den 2 april 2020."
            )
        );
    }

    /// The fragment's derived sentences are the source's own words.
    #[test]
    fn the_fragment_is_worded_as_its_source() {
        let m = sample("2015-paragraf-8-9.toml");
        assert_eq!(header(&m), "Protokoll AMN 2015");
        assert_eq!(
            title(&m),
            "Utdrag ur protokoll från arbetsmarknadsnämndens sammanträde 2015"
        );
        let p8 = &namnd(&m).paragrafer["8"];
        assert_eq!(
            p8.sarskilda_uttalanden[0],
            "Johanna Sjö m.fl. (M), Gulan Avci (FP) och Johan Fälldin (C) lämnade följande särskilda uttalande."
        );
        assert_eq!(
            p8.ersattaryttranden[0],
            "Ofelia Namazova (KD) lämnade följande ersättaryttrande."
        );
        assert_eq!(
            p8.tjansteutlatande.as_deref(),
            Some(
                "Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat den 7 maj 2015."
            )
        );
    }
}
