//! The record as data: a JSON sidecar of what a protocol records, beside its PDF
//! (`<date>.json`, the web edition's `<date>-webb.json`), described by a JSON Schema the
//! project ships (`docs/protokoll-record.schema.json`, from these types).
//!
//! Names follow Popolo (Organization, Person, Membership, Motion, VoteEvent, Vote, Count;
//! <https://www.popoloproject.com/specs/>) and OParl 1.1 (Meeting, AgendaItem, Paper;
//! <https://oparl.org/spezifikation/>) where they fit; `docs/publishing.md` says where they do
//! not. Texts are the Markdown of the meeting file, `{bilaga:ID}` written as "bilaga N", with
//! the marks applied for the edition: the web edition's record is redacted exactly as its PDF.
//!
//! Made from the validated model alone (its texts as written, its facts), like every view of
//! a meeting: the file is not read again.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::marks::{self, Edition};
use super::redact::{Withheld, Withholding};
use crate::meeting::Protocol;
use crate::meeting::model::{Bilaga, InteNummer, Markup};

mod fvg;
mod namnd;

/// One protocol as data.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "protokoll record")]
pub struct Record {
    /// The tool that wrote it: "protokoll 0.1.0".
    pub generator: String,
    /// "official": the whole record; "web": the web edition, withheld material replaced by
    /// notices exactly as in its PDF.
    pub edition: EditionName,
    /// "namnd" or "fvg".
    pub kind: String,
    pub(crate) organization: Organization,
    pub meeting: MeetingInfo,
    /// Popolo Person: everyone the protocol names in its attendance.
    pub persons: Vec<Person>,
    /// Popolo Membership: each person's capacity at this meeting.
    pub memberships: Vec<Membership>,
    /// OParl AgendaItem: the §, in order.
    pub agenda_items: Vec<AgendaItem>,
    /// OParl Paper: the bilagor, by number.
    pub papers: Vec<Paper>,
    /// The reasons cited for withheld material (web edition), each once.
    pub withheld: Vec<String>,
    /// Numbers written like a personnummer that the meeting file declares are not one
    /// (`[[inte_personnummer]]`), with why: what the guard let pass, on the record.
    pub inte_personnummer: Vec<NotPersonnummer>,
    /// The corrections of obvious slips made in the justerat protocol (FL 36 §), in order;
    /// the record is of the protocol as they left it. Left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rattelser: Vec<RattelseInfo>,
    /// The protocol's PDF versions: 0 the justerat original, N the one with rättelser 1..N
    /// made, each file with its SHA-256. Left out when there are no rättelser.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Version>,
}

/// One rättelse: where, what the protocol said and says now, why, and who decided it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RattelseInfo {
    /// 1, 2, …: the version it made.
    pub nummer: usize,
    /// The day it was decided, "2020-05-04".
    pub date: String,
    pub beslutad_av: String,
    /// The § corrected.
    pub paragraf: u32,
    pub fore: String,
    pub efter: String,
    pub skal: String,
}

/// The rättelser of a protocol (either kind) as the record lists them.
fn rattelser(rattelser: &[crate::meeting::model::justering::Rattelse]) -> Vec<RattelseInfo> {
    rattelser
        .iter()
        .map(|r| RattelseInfo {
            nummer: r.nummer,
            date: r.date.iso(),
            beslutad_av: r.beslutad_av.clone(),
            paragraf: r.paragraf,
            fore: r.fore.clone(),
            efter: r.efter.clone(),
            skal: r.skal.clone(),
        })
        .collect()
}

/// How a protocol (either kind) was justerat, each signer by their person id in the
/// record (`id_of` their name).
fn justering_info(
    j: &crate::meeting::model::justering::Justering,
    id_of: &dyn Fn(&str) -> String,
) -> JusteringInfo {
    use crate::meeting::model::justering::{Justerarroll, JusteringSatt};
    JusteringInfo {
        satt: match j.satt {
            JusteringSatt::Papper => "papper",
            JusteringSatt::Digitalt => "digitalt",
        }
        .into(),
        tjanst: j.tjanst.clone(),
        referens: j.referens.clone(),
        signaturer: j
            .signaturer
            .iter()
            .map(|s| SignaturInfo {
                person_id: id_of(&s.name),
                roll: match s.roll {
                    Justerarroll::Ordforande => "ordförande",
                    Justerarroll::Justerare => "justerare",
                }
                .into(),
                date: s.date.iso(),
                time: s.time.as_ref().map(|t| format!("{}T{t}", s.date.iso())),
            })
            .collect(),
    }
}

/// One version of the protocol's PDF.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Version {
    /// 0: the original as justerat; N: with rättelser 1..N made.
    pub version: usize,
    /// Its file name beside this record: "2020-04-21.pdf", "2020-04-21-rattelse-1.pdf".
    pub file: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// A number declared not to be a personnummer, and why.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NotPersonnummer {
    /// As written: "0704875749".
    pub nummer: String,
    /// "växelns telefonnummer"
    pub skal: String,
}

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EditionName {
    Official,
    Web,
}

/// Popolo Organization: the organ whose protocol this is.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Organization {
    /// "Arbetsmarknadsnämnden" (an FVG: its short name).
    pub name: String,
    /// "AMN", "FVG"
    pub(crate) abbreviation: String,
    /// "nämnd" or "förvaltningsgrupp".
    pub(crate) classification: String,
    /// The municipality: "Stockholms stad".
    pub parent: String,
    /// The förvaltning: "Arbetsmarknadsförvaltningen".
    pub forvaltning: String,
}

/// OParl Meeting.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingInfo {
    /// The protocol's title.
    pub name: String,
    /// The day, "2020-04-21"; `null` only for a dateless fragment.
    pub date: Option<String>,
    /// "2020-04-21T15:00" (local time).
    pub start: Option<String>,
    pub end: Option<String>,
    pub location: Option<String>,
    /// The day the protocol was justerat; `null`: not justerat (a draft).
    pub justerad: Option<String>,
    /// Person ids of the justerare (besides the ordförande).
    pub justerare: Vec<String>,
    pub sekreterare: Option<String>,
    /// A transcribed excerpt, not a whole protocol.
    pub fragment: bool,
    /// A planned meeting (`status = "planerat"`): not yet held, so its agenda items carry
    /// the förslag till beslut and no decisions; the site lists it as coming.
    pub planned: bool,
    /// The day the kallelse was sent, when the file gives it.
    pub kallelse: Option<String>,
    /// How the protocol was justerat and by whom, as the meeting file records it
    /// (`[justering]`); `null` when it says nothing of it.
    pub justering: Option<JusteringInfo>,
}

/// The justering as data: on paper or digitally, through which service, who signed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JusteringInfo {
    /// "papper" or "digitalt".
    pub satt: String,
    /// The signing service of a digital justering: "Netpublicator Sign".
    pub tjanst: Option<String>,
    /// The service's reference for the signing.
    pub referens: Option<String>,
    /// Who justerade, in the order the file lists them.
    pub signaturer: Vec<SignaturInfo>,
}

/// One person's justering.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SignaturInfo {
    pub person_id: String,
    /// "ordförande" or "justerare".
    pub roll: String,
    /// The day they signed, "2020-04-24".
    pub date: String,
    /// "2020-04-24T09:12" (local time) when the file gives the time.
    pub time: Option<String>,
}

/// Popolo Person.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Person {
    /// Unique in the record: the name in lower case ASCII with hyphens, "anna-ekblom".
    pub id: String,
    pub name: String,
    /// The party's letters, for elected members.
    pub party: Option<String>,
}

/// Popolo Membership: a person's capacity at this meeting.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Membership {
    pub person_id: String,
    /// "ordförande", "vice ordförande", "ledamot", "tjänstgörande ersättare", "ersättare",
    /// "ledamot med förhinder", "ersättare med förhinder", "förhinder" (sent word, the file
    /// not saying which seat), "föredragande", "övrig"; an FVG group's heading.
    pub role: String,
    /// Popolo on_behalf_of: the party.
    pub(crate) on_behalf_of: Option<String>,
    /// A tjänstgörande ersättare: the person id of the ledamot replaced.
    pub replaces: Option<String>,
    /// Served only in some §: "§ 31–35".
    pub paragrafer: Option<String>,
    /// An official's title, "förvaltningschef".
    pub title: Option<String>,
}

/// OParl AgendaItem: one §.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AgendaItem {
    /// The § number.
    pub number: u32,
    /// The title (the web edition's neutral title for a withheld §).
    pub name: String,
    /// "arende", "oppnande", "justerare", "anmalningsarenden", "fragor", "information"; an
    /// FVG §: its group heading, if any.
    pub typ: Option<String>,
    pub diarienummer: Vec<String>,
    /// Free text, Markdown.
    pub text: Option<String>,
    /// Anmälningsärenden, a) b) c) …, Markdown.
    pub anmalningar: Vec<String>,
    /// The decisions (OParl resolutionText), Markdown, in order.
    pub decisions: Vec<String>,
    pub omedelbar_justering: bool,
    /// "Ärendet", Markdown.
    pub arendet: Option<String>,
    /// The date of the tjänsteutlåtande.
    pub tjansteutlatande: Option<String>,
    /// Popolo Motion: the proposals ("Förslag till beslut").
    pub(crate) motions: Vec<Motion>,
    /// "Beslutsgång", Markdown.
    pub beslutsgang: Option<String>,
    /// Popolo VoteEvent: the omröstningar.
    pub vote_events: Vec<VoteEvent>,
    pub(crate) reservations: Vec<Statement>,
    pub(crate) sarskilda_uttalanden: Vec<Statement>,
    pub(crate) ersattaryttranden: Vec<Statement>,
    /// Person ids of those who declared jäv.
    pub jav: Vec<String>,
    /// Person ids of those who took part in the decision.
    pub(crate) participants: Vec<String>,
    /// The numbers of the bilagor the § refers to (OParl auxiliaryFile / Paper).
    pub papers: Vec<usize>,
    /// Withheld in the web edition: the reason. Only number, name and diarienummer remain.
    pub withheld: Option<String>,
    /// OParl AgendaItem.public: `false` when the § is withheld from the public.
    pub public: bool,
    /// Who presents the ärende ("Karin Lövgren, förvaltningschef").
    pub foredragande: Option<String>,
    /// The titles of the ärende's handlingar (the meeting pack), in order; a handling
    /// withheld in the web edition is there under its title.
    pub handlingar: Vec<String>,
    /// An FVG §: the statements after its text, in order.
    pub said: Vec<Said>,
    /// An FVG §: its sub-items (each nämndärende, each piece of information), in order.
    pub items: Vec<Item>,
    /// An FVG §: Markdown after the statements and items.
    pub closing: Option<String>,
}

/// A statement in an FVG §, printed "**by** verb text".
#[derive(Debug, Serialize, JsonSchema)]
pub struct Said {
    /// "Lärarnas Riksförbund", "Förvaltningen".
    pub by: String,
    /// "undrade", "svarade".
    pub(crate) verb: String,
    /// Markdown.
    pub text: String,
}

/// A sub-item of an FVG § with its own heading.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Item {
    pub heading: String,
    pub diarienummer: Vec<String>,
    /// Markdown.
    pub text: Option<String>,
    pub said: Vec<Said>,
    /// Markdown after the statements.
    pub closing: Option<String>,
}

/// Popolo Motion: a proposal.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Motion {
    /// As the meeting file names it: "ordf", "m".
    pub id: String,
    /// Markdown: "att nämnden beslutar …".
    pub text: String,
    /// Person ids of the proposers; empty: the förvaltning's proposal.
    pub proposers: Vec<String>,
    /// As printed: "Anna Ekblom (S)", "Förvaltningen".
    pub(crate) proposed_by: String,
    /// Popolo result: whether the nämnd adopted it.
    pub(crate) adopted: bool,
}

/// Popolo VoteEvent: an omröstning between two proposals.
#[derive(Debug, Serialize, JsonSchema)]
pub struct VoteEvent {
    /// The motion a "yes" (ja) vote is for.
    pub motion_id: String,
    /// The motion a "no" (nej) vote is for.
    pub(crate) counter_motion_id: String,
    /// The id of the motion that won.
    pub result: String,
    /// A tie decided by the ordförande's utslagsröst (KL 5 kap. 58 §).
    pub(crate) utslagsrost: bool,
    pub counts: Vec<Count>,
    pub votes: Vec<Vote>,
}

/// Popolo Count.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Count {
    /// "yes", "no", "abstain"
    pub option: String,
    pub value: usize,
}

/// Popolo Vote: one member's vote.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Vote {
    pub voter_id: String,
    /// "yes" (ja), "no" (nej), "abstain" (avstår)
    pub option: String,
    /// The voter's party.
    pub group: Option<String>,
}

/// A reservation, särskilt uttalande or ersättaryttrande.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Statement {
    /// As printed: "Per Lindqvist m.fl. (M), Karl Viklund (L) …".
    pub by: String,
    /// The person ids named.
    pub(crate) person_ids: Vec<String>,
    /// A reservation: the motion the reservants stood for.
    pub motion_id: Option<String>,
    /// The statement's own opening sentence, as the file words it: "… reserverade sig mot
    /// nämndens beslut och anförde följande." (None: the protocol derives it).
    pub(crate) intro: Option<String>,
    /// Its own "Förslag till beslut", one att-sats each, Markdown.
    pub att: Vec<String>,
    /// Markdown.
    pub text: Option<String>,
}

/// OParl Paper: a bilaga.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Paper {
    /// As the text refers to it: `{bilaga:ID}`.
    pub id: String,
    /// Its number in the protocol.
    pub number: usize,
    pub name: String,
    /// Who submitted it.
    pub from: Option<String>,
    /// OParl mainFile: the original file; `null` for yrkanden given in the meeting file, and
    /// for a bilaga withheld from the web edition.
    pub file: Option<File>,
    /// Withheld in the web edition: the reason.
    pub withheld: Option<String>,
}

/// OParl File.
#[derive(Debug, Serialize, JsonSchema)]
pub struct File {
    /// The file's name in the meeting folder: "trappsteget.md".
    pub name: String,
    /// "text/markdown", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    /// "application/pdf"
    pub(crate) media_type: String,
    pub size: u64,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// The JSON Schema of the record, pretty-printed (the file `docs/protokoll-record.schema.json`).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Record);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}

impl Record {
    /// Pretty JSON with a final newline; deterministic (fields in declared order).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a record serialises");
        text.push('\n');
        text
    }
}

/// The official record of a validated protocol: the whole record. Reading a bilaga's file
/// for its checksum can fail (an I/O error message).
pub fn official(protocol: &Protocol) -> Result<Record, String> {
    make(protocol, View::new(protocol, None))
}

/// The web edition's record: `web` is the web edition's model
/// ([`super::redact::web_protocol`]), `w` what it withholds.
pub fn web(web: &Protocol, w: &Withholding) -> Result<Record, String> {
    let mut rec = make(web, View::new(web, Some(w)))?;
    rec.withheld = w.reasons();
    Ok(rec)
}

fn make(protocol: &Protocol, view: View) -> Result<Record, String> {
    let (kind, mut rec, declared) = match protocol {
        Protocol::Namnd(m) => ("namnd", namnd::record(m, &view), &m.inte_personnummer),
        Protocol::Fvg(m) => ("fvg", fvg::record(m, &view), &m.inte_personnummer),
    };
    rec.kind = kind.into();
    rec.papers = papers(protocol.bilagor(), &view)?;
    rec.inte_personnummer = declared.iter().map(not_personnummer).collect();
    Ok(rec)
}

fn not_personnummer(n: &InteNummer) -> NotPersonnummer {
    NotPersonnummer {
        nummer: n.nummer.clone(),
        skal: n.skal.clone(),
    }
}

/// Which record is made: the edition, what it withholds (the web edition's only), and the
/// bilagor's numbers its texts refer to.
struct View<'a> {
    edition: Edition,
    withholding: Option<&'a Withholding>,
    numbers: BTreeMap<String, usize>,
}

impl<'a> View<'a> {
    fn new(protocol: &Protocol, withholding: Option<&'a Withholding>) -> Self {
        Self {
            edition: match withholding {
                Some(_) => Edition::Web,
                None => Edition::Official,
            },
            withholding,
            numbers: numbers(protocol.bilagor()),
        }
    }

    /// The § at this index, if the edition withholds it.
    fn withheld_paragraf(&self, index: usize) -> Option<&'a Withheld> {
        self.withholding?.paragrafer.get(&index)
    }

    /// The bilaga with this id, if the edition withholds it.
    fn withheld_bilaga(&self, id: &str) -> Option<&'a Withheld> {
        self.withholding?.bilagor.get(id)
    }

    /// A text as written, as the edition has it ([`text`]).
    fn text(&self, md: &str) -> String {
        text(md, self.edition, &self.numbers)
    }

    /// A field's text as written; `None` when the file wrote none (or only blanks).
    fn opt_text(&self, m: &Markup) -> Option<String> {
        Some(self.text(m.written())).filter(|t| !t.is_empty())
    }

    /// Each field's text as written, in order.
    fn texts<'m>(&self, list: impl IntoIterator<Item = &'m Markup>) -> Vec<String> {
        list.into_iter().map(|m| self.text(m.written())).collect()
    }

    fn edition_name(&self) -> EditionName {
        match self.edition {
            Edition::Official => EditionName::Official,
            Edition::Web => EditionName::Web,
        }
    }
}

/// "protokoll 0.1.0"
fn generator() -> String {
    format!("protokoll {}", env!("CARGO_PKG_VERSION"))
}

impl AgendaItem {
    /// § `number` with its title and nothing else: the parts a kind records are set on it.
    fn new(number: u32, name: String) -> Self {
        Self {
            number,
            name,
            typ: None,
            diarienummer: Vec::new(),
            text: None,
            anmalningar: Vec::new(),
            decisions: Vec::new(),
            omedelbar_justering: false,
            arendet: None,
            tjansteutlatande: None,
            motions: Vec::new(),
            beslutsgang: None,
            vote_events: Vec::new(),
            reservations: Vec::new(),
            sarskilda_uttalanden: Vec::new(),
            ersattaryttranden: Vec::new(),
            jav: Vec::new(),
            participants: Vec::new(),
            papers: Vec::new(),
            withheld: None,
            public: true,
            foredragande: None,
            handlingar: Vec::new(),
            said: Vec::new(),
            items: Vec::new(),
            closing: None,
        }
    }
}

/// "Anna Ekblom" → "anna-ekblom". The name is read composed (NFC) first: "Udde\u{301}n",
/// typed decomposed, is the same person as "Uddén".
pub fn person_id(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut id = String::new();
    for c in name.trim().nfc().collect::<String>().to_lowercase().chars() {
        match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => id.push('a'),
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => id.push('o'),
            'é' | 'è' | 'ê' | 'ë' => id.push('e'),
            'ü' | 'ú' => id.push('u'),
            'í' | 'ï' => id.push('i'),
            c if c.is_ascii_alphanumeric() => id.push(c),
            _ if !id.ends_with('-') && !id.is_empty() => id.push('-'),
            _ => {}
        }
    }
    id.trim_end_matches('-').to_string()
}

/// Markdown of the file as the edition has it: marks applied, HTML comments and raw HTML
/// left out as the PDF leaves them out ([`published`](crate::markdown::html::published)),
/// `{bilaga:ID}` as "bilaga N". Every Markdown text of the record goes through here.
fn text(md: &str, edition: Edition, numbers: &BTreeMap<String, usize>) -> String {
    let applied = crate::markdown::html::published(&marks::apply(md, edition));
    let mut out = String::with_capacity(applied.len());
    let mut last = 0;
    for (r, id) in crate::markdown::bilaga_references(&applied) {
        out.push_str(&applied[last..r.start]);
        match numbers.get(id) {
            Some(n) => out.push_str(&format!("bilaga {n}")),
            None => out.push_str(&applied[r.clone()]),
        }
        last = r.end;
    }
    out.push_str(&applied[last..]);
    out.trim().to_string()
}

fn numbers(bilagor: &[Bilaga]) -> BTreeMap<String, usize> {
    bilagor.iter().map(|b| (b.id.clone(), b.number)).collect()
}

/// The id for `name`, with "-2", "-3" … when another person already has it.
fn unique_id(persons: &[Person], name: &str) -> String {
    let base = person_id(name);
    if !persons.iter().any(|p| p.id == base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !persons.iter().any(|p| &p.id == id))
        .expect("an unused id")
}

fn papers(bilagor: &[Bilaga], view: &View) -> Result<Vec<Paper>, String> {
    let mut out = Vec::new();
    let mut sorted: Vec<&Bilaga> = bilagor.iter().collect();
    sorted.sort_by_key(|b| b.number);
    for b in sorted {
        let withheld = view.withheld_bilaga(&b.id);
        let file = match (&b.path, withheld) {
            (Some(path), None) => Some(file(path)?),
            _ => None,
        };
        out.push(Paper {
            // A withheld bilaga's own id may name what it is ("lakarintyg-asa-lind").
            id: if withheld.is_some() {
                format!("bilaga-{}", b.number)
            } else {
                b.id.clone()
            },
            number: b.number,
            name: b.title.clone(),
            from: if withheld.is_some() {
                None
            } else {
                b.from.clone()
            },
            file,
            withheld: withheld.map(|x| x.reason.clone()),
        });
    }
    Ok(out)
}

/// A bilaga's original file (OParl File): its name, type, size and checksum.
fn file(path: &std::path::Path) -> Result<File, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "cannot read bilaga `{}`: {}",
            path.display(),
            crate::sandbox::io_reason(&e)
        )
    })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    Ok(File {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        media_type: match ext.as_str() {
            "md" | "markdown" => "text/markdown",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "pdf" => "application/pdf",
            _ => "application/octet-stream",
        }
        .into(),
        size: bytes.len() as u64,
        sha256: crate::bundle::sha256_hex(&bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped schema is the one the types give.
    #[test]
    fn the_shipped_record_schema_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/protokoll-record.schema.json"
        );
        let shipped = std::fs::read_to_string(path).unwrap_or_default();
        if std::env::var_os("PROTOKOLL_WRITE_SCHEMA").is_some() {
            std::fs::write(path, schema_json()).unwrap();
            return;
        }
        assert_eq!(
            shipped,
            schema_json(),
            "docs/protokoll-record.schema.json is stale: run \
             `PROTOKOLL_WRITE_SCHEMA=1 cargo test --lib the_shipped_record_schema_is_current`"
        );
    }

    #[test]
    fn person_ids_are_ascii_slugs() {
        assert_eq!(person_id("Nils Åberg"), "nils-aberg");
        assert_eq!(person_id("Karina Udde\u{301}n"), "karina-udden");
        assert_eq!(person_id("Farida al-Abani"), "farida-al-abani");
        assert_eq!(person_id("  Anna  Ekblom "), "anna-ekblom");
    }
}
