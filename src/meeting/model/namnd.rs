//! The validated nämnd meeting: what the nämnd template, the protokollsutdrag and the
//! anslagsbevis work from. It holds facts — people with party and the capacity they sat in
//! ([`Named`]), members by reference ([`MemberId`]), dates, times and the place as written,
//! counts, ids, the vote totals — and no derived sentence or display name: those are worded
//! by the document (`documents::phrases`, the house style's [`HouseStyle::fraser`]). Rich text is [`Markup`]
//! from the one Markdown converter; every other string is plain text the template escapes.

use serde::Serialize;

pub use super::justering::{Justerarroll, Justering, JusteringSatt, Rattelse, Signatur};
pub use super::phrase::{Phrase, PhrasePart};
use super::{Asset, Bilaga, Date, InteNummer, Kind, Markup, Organisation};
pub use crate::meeting::raw::namnd::Typ;

#[derive(Debug, Clone, Serialize)]
pub struct NamndMeeting {
    /// Always [`Kind::Namnd`].
    pub kind: Kind,
    /// Short name: "AMN".
    pub organ: String,
    /// "Arbetsmarknadsnämnden"
    pub namnd: String,
    /// A transcribed excerpt, not a whole protocol: attendance may be partial.
    pub fragment: bool,
    /// A fragment's opening text from the § before the first, and that §'s number.
    pub preceding: Option<Preceding>,
    pub organisation: Organisation,
    /// The meeting's day; `None` only for a fragment that does not give it.
    pub date: Option<Date>,
    /// The meeting's year (from `date`, or the fragment's `year`).
    pub year: i32,
    /// When it began and ended, "15:00" and "16:25"; `None` for a fragment without them.
    pub start: Option<String>,
    pub end: Option<String>,
    /// Where, as written: "Stadshuset, Rosa rummet"; `None` for a fragment without it.
    pub place: Option<String>,
    /// How members took part from elsewhere, as written ("Teams"); `None`: all in the room.
    pub remote: Option<String>,
    /// The nämnd's number of seats; the quorum is more than half of it.
    pub seats: Option<u32>,
    pub attendance: Attendance,
    /// The secretary ("Vid protokollet").
    pub sekreterare: Option<String>,
    /// The justerare besides the ordförande.
    pub justerare: Vec<MemberId>,
    /// The agreed time and place of the justering.
    pub justering: Option<Justering>,
    /// `None`: not yet justerat.
    pub justerad: Option<Date>,
    /// The notice of justering; present once the protocol is justerat.
    pub anslag: Option<Anslag>,
    /// The anslag of the § justerade omedelbart; `None` when there are none (or no date).
    pub(crate) anslag_omedelbart: Option<AnslagOmedelbart>,
    pub paragrafer: Vec<NamndParagraf>,
    pub bilagor: Vec<Bilaga>,
    /// The closing line as the file words it; `None`: nothing is printed.
    pub avslutning: Option<String>,
    /// The house style (`husstil.toml` of the organ, then the meeting's `[husstil]`).
    pub style: HouseStyle,
    /// `status = "planerat"`: not yet held; the file is the plan (kallelse,
    /// föredragningslista), its `[attendance]` who is called.
    pub planerat: bool,
    /// `[[handling]]`: the handlingar sent with the kallelse that are not bilagor of the
    /// protocol, numbered in file order; an ärende names them (and bilagor) in `handlingar`.
    pub handlingar: Vec<Bilaga>,
    /// `[kallelse]` as checked: when it went out and was announced, and the last days the
    /// rules allow.
    pub kallelse: Kallelse,
    /// Every diarienummer in the protocol, for the PDF keywords.
    pub(crate) keywords: Vec<String>,
    /// `[[inte_personnummer]]`: what the guard lets pass, on the record.
    pub inte_personnummer: Vec<InteNummer>,
    /// Every rättelse of the file, in order (FL 36 §).
    pub rattelser: Vec<Rattelse>,
    /// Which version of the protocol this is: 0 as justerat, N with the first N rättelser
    /// made (their notes printed).
    pub version: usize,
    /// The corrected versions 1, 2, … (each with `version` set), when this is the original
    /// and the file has rättelser.
    #[serde(skip)]
    pub(crate) rattade: Vec<NamndMeeting>,
}

impl NamndMeeting {
    /// Not justerat: every page is marked. A fragment is a transcription of a protocol kept
    /// elsewhere, so it is never marked as a draft of ours.
    pub fn is_draft(&self) -> bool {
        self.justerad.is_none() && !self.fragment
    }

    /// The date that stands for the document's time (PDF timestamp, Typst's today): the
    /// meeting's day, or 1 January of the year for a dateless fragment.
    pub fn clock_date(&self) -> Date {
        self.date.unwrap_or_else(|| {
            let day = time::Date::from_calendar_date(self.year, time::Month::January, 1)
                .unwrap_or(time::Date::MIN);
            Date(day)
        })
    }

    /// Every in-memory file the bilagor brought, for the Typst world.
    pub fn assets(&self) -> Vec<Asset> {
        self.bilagor
            .iter()
            .flat_map(|b| b.assets.iter().cloned())
            .collect()
    }

    /// The protocol as it stands now: the last corrected version, or the original.
    pub fn current(&self) -> &NamndMeeting {
        self.rattade.last().unwrap_or(self)
    }

    /// The rättelser made in this version, in order.
    pub fn applied(&self) -> &[Rattelse] {
        super::justering::applied(&self.rattelser, self.version)
    }

    /// The § with this number.
    pub fn paragraf(&self, number: u32) -> Option<&NamndParagraf> {
        self.paragrafer.iter().find(|p| p.number == number)
    }

    /// The member `id` refers to.
    pub fn member(&self, id: MemberId) -> &Member {
        self.attendance
            .members()
            .nth(id.0)
            .expect("a MemberId refers to a member of the attendance")
    }
}

/// A member of the attendance, by place in [`Attendance::members`]: how the model refers
/// to the people who are justerare, declare jäv, serve, vote or are replaced. The views
/// print them ("Anna Berg (S)").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MemberId(pub usize);

/// Who was there, in the order of the attendance block on page 1.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attendance {
    pub ordforande: Option<Member>,
    pub vice_ordforande: Option<Member>,
    /// The other ledamöter present.
    pub ledamoter: Vec<Member>,
    /// Tjänstgörande ersättare; each has `replaces`.
    pub tjanstgorande: Vec<Member>,
    /// Ej tjänstgörande ersättare.
    pub ersattare: Vec<Member>,
    /// Everyone who sent word: the one `forhinder` list, then the ledamöter, then the
    /// ersättare.
    pub forhinder: Vec<Member>,
    /// Of `forhinder`, those the file lists as ledamöter (`forhinder_ledamoter`) and as
    /// ersättare (`forhinder_ersattare`); the rest came in the one list, seat unsaid. The
    /// protocol prints "ledamöterna A (M), B (S) samt ersättaren C (L)" from them.
    pub forhinder_ledamoter: Vec<Member>,
    pub forhinder_ersattare: Vec<Member>,
    pub foredragande: Vec<Official>,
    pub(crate) ovriga: Vec<Official>,
}

impl Attendance {
    /// Every member in the order [`MemberId`] counts them: the ordförande, the vice
    /// ordförande, the ledamöter, the tjänstgörande and other ersättare, then `forhinder`.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.ordforande
            .iter()
            .chain(&self.vice_ordforande)
            .chain(&self.ledamoter)
            .chain(&self.tjanstgorande)
            .chain(&self.ersattare)
            .chain(&self.forhinder)
    }
}

/// An elected member.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub name: String,
    pub party: String,
    /// For a tjänstgörande ersättare: the ledamot replaced.
    pub replaces: Option<MemberId>,
    /// The § the member serves in when only some, as ranges: `[(8, 10), (12, 12)]`
    /// ("§ 8–10 och § 12" in print).
    pub only: Option<Vec<(u32, u32)>>,
}

/// An official or other person present: printed "Karin Lund, förvaltningschef" or as the
/// house style orders name and role.
#[derive(Debug, Clone, Serialize)]
pub struct Official {
    pub name: String,
    pub role: Option<String>,
}

/// `[kallelse]` as checked, with the last days the law and the organ's reglemente allow.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Kallelse {
    /// The day the kallelse was sent (`[kallelse] datum`).
    pub datum: Option<Date>,
    /// Fullmäktige: the day the tillkännagivande went up.
    pub tillkannagivet: Option<Date>,
    /// Fullmäktige: the last day the tillkännagivande may go up, a week before the meeting
    /// day (KL 5 kap. 13–15 §§).
    pub sista_tillkannagivande: Option<Date>,
    /// The last day the kallelse may be sent: `kallelse_dagar` before the meeting day (the
    /// reglemente), for fullmäktige a week before.
    pub sista_kallelse: Option<Date>,
}

/// Which handlingar of a meeting (and of its bilagor) are withheld from the public edition,
/// by id, with the reason as the file gives it; empty for the members' edition.
pub type Withheld = std::collections::BTreeMap<String, String>;

/// `[anslag]` as checked, for a justerat protocol: the notice of justering on the official
/// notice board (KL 8 kap. 12 §) and the three weeks it stays up (KL 13 kap. 5 §).
#[derive(Debug, Clone, Serialize)]
pub struct Anslag {
    /// The day the notice went up (default the day of justering).
    pub uppsatt: Date,
    /// The day it comes down: three weeks after it went up.
    pub(crate) nedtas: Date,
    /// Where the protocol is kept (default the förvaltning).
    pub(crate) forvaring: String,
}

/// The anslag of the § justerade omedelbart (issue 11): justerade at the meeting, announced
/// from the meeting day, their three weeks ending before the rest's (KL 8 kap. 12 §,
/// 13 kap. 5 §). Exists as soon as the meeting file marks a § `omedelbar_justering`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnslagOmedelbart {
    /// The § justerade omedelbart, in order.
    pub paragrafer: Vec<u32>,
    /// The day they were justerade: the meeting's.
    pub justerad: Date,
    /// The day the notice went up (default the meeting day).
    pub uppsatt: Date,
    /// Three weeks after it went up.
    pub(crate) nedtas: Date,
    /// Where the protocol is kept (default the förvaltning).
    pub(crate) forvaring: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamndParagraf {
    pub number: u32,
    pub typ: Typ,
    pub title: String,
    pub diarienummer: Vec<String>,
    /// Free text of a fixed item (or before the decision), as written.
    pub text: Markup,
    /// The file gives `text` (even an empty one): a fixed item's default text (the
    /// opening's, the justerare's) is not printed.
    pub(crate) text_written: bool,
    /// Anmälningsärenden: "a)", "b)" … with their text.
    pub anmalningar: Vec<Lettered>,
    /// The beslut list has its heading ("Arbetsmarknadsnämndens beslut").
    pub beslut_heading: bool,
    /// Whether this § is an ärende (`typ` "arende" and not `arende = false`).
    pub arende: bool,
    /// This § starts on a new page (its own `page_break`, else the house style's rule).
    pub new_page: bool,
    /// Who presided when the ordförande did not (jäv), with the capacity they sat in.
    pub presiding: Option<Named>,
    /// The numbers of the bilagor the § refers to, in order: an extract carries them.
    pub bilagor: Vec<usize>,
    /// The decisions as the file words them, numbered 1, 2, ….
    pub beslut: Vec<Markup>,
    /// The nämnd decided to justera the § at once.
    pub omedelbar_justering: bool,
    /// A beslut point of the file states the omedelbar justering: no point is added (see
    /// [`NamndParagraf::adds_omedelbar_point`]).
    pub(crate) omedelbar_stated: bool,
    /// "Ärendet"
    pub arendet: Markup,
    /// The tjänsteutlåtande's date: "Förvaltningen har redovisat ärendet i ett
    /// tjänsteutlåtande daterat den 7 maj 2015."
    pub tjansteutlatande: Option<Date>,
    /// "Förslag till beslut"
    pub forslag: Vec<Forslag>,
    /// The id of the adopted proposal, when there were proposals.
    pub bifall: Option<String>,
    /// "Beslutsgång"
    pub beslutsgang: Markup,
    pub omrostning: Option<Omrostning>,
    pub(crate) reservationer: Vec<Uttalande>,
    pub(crate) sarskilda_uttalanden: Vec<Uttalande>,
    pub(crate) ersattaryttranden: Vec<Uttalande>,
    /// The members who declared jäv.
    pub jav: Vec<MemberId>,
    /// The same members with the capacity they sat in: "Ledamoten Anna A (S) anmälde jäv
    /// och deltog inte i handläggningen av ärendet." one each.
    pub(crate) javiga: Vec<Named>,
    /// Who served (took part in the decision) in this §, attendance order.
    pub serving: Vec<MemberId>,
    /// Who presents the ärende (`foredragande`, one of the meeting's föredragande).
    pub foredragande: Option<Official>,
    /// The ids of its handlingar (`[[handling]]` or `[[bilaga]]`), in order.
    pub handlingar: Vec<String>,
    /// Where the § is in the meeting file: its `title` (else its `number`, `typ`, first
    /// value).
    #[serde(skip)]
    pub place: Option<super::Place>,
}

impl NamndParagraf {
    /// The protocol adds the last beslut point stating the omedelbar justering
    /// ([`crate::swedish::omedelbar_point`]): decided, and no point of the file says it.
    pub(crate) fn adds_omedelbar_point(&self) -> bool {
        self.omedelbar_justering && !self.omedelbar_stated
    }
}

/// An item of a lettered list: "a)" and its text.
#[derive(Debug, Clone, Serialize)]
pub struct Lettered {
    pub letter: String,
    pub text: Markup,
}

#[derive(Debug, Clone, Serialize)]
pub struct Forslag {
    pub id: String,
    /// Who proposed it, in the capacity they sat in; none: the förvaltning's proposal
    /// (`documents::phrases` words them, for the protocol and the record alike).
    pub proposers: Vec<Named>,
    pub text: Markup,
    /// The paragraph as the file words it (`sentence`), printed instead of who + "föreslog"
    /// + `text`.
    pub sentence: Option<Markup>,
    /// Whether the nämnd adopted it.
    pub(crate) bifallet: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Omrostning {
    /// The proposal a ja vote was for ("Ja för förslaget från …").
    pub(crate) ja_for: String,
    pub(crate) nej_for: String,
    /// Every voting member in attendance order with the vote.
    pub rows: Vec<Vote>,
    pub ja: usize,
    pub nej: usize,
    pub avstar: usize,
    /// The id of the proposal that won.
    pub(crate) winner: String,
    /// The tie was decided by the ordförande's utslagsröst.
    pub(crate) utslagsrost: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vote {
    pub member: MemberId,
    /// "ja", "nej" or "avstår"
    pub vote: String,
}

/// A reservation, särskilt uttalande or ersättaryttrande.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Uttalande {
    /// Who, in the capacity they sat in (`documents::phrases` words them: "Johanna Sjö
    /// m.fl. (M), Gulan Avci (FP) och Johan Fälldin (C)").
    pub people: Vec<Named>,
    /// The sentence before the text as the file words it; `None`: the protocol derives
    /// "… lämnade följande särskilda uttalande." / "… reserverade sig mot beslutet till
    /// förmån för …".
    pub(crate) intro: Option<String>,
    /// For a reservation: the proposal id the reservants stood for.
    pub forslag: Option<String>,
    /// The lead sentence of their own "Förslag till beslut", before its att-satser
    /// (`forslag_inledning`).
    pub(crate) att_inledning: Option<Markup>,
    /// Their own "Förslag till beslut", the att-satser in order.
    pub att: Vec<Markup>,
    pub text: Markup,
}

/// How the nämnd's protocols look (`husstil`); the defaults are the built-in look.
#[derive(Debug, Clone, Serialize)]
pub struct HouseStyle {
    /// Whether any key was set: the template passes the style to the layout only then, so
    /// the built-in look's source stays as it was.
    pub(crate) custom: bool,
    /// Body text size, points.
    pub font_size: f64,
    /// Page margins, centimetres.
    pub(crate) margin_top: f64,
    pub(crate) margin_bottom: f64,
    pub(crate) margin_left: f64,
    pub(crate) margin_right: f64,
    /// Which § start on a new page.
    pub new_page: crate::meeting::raw::namnd::NewPage,
    /// "§ 4" on its own line above the title.
    pub(crate) number_own_line: bool,
    /// The first page holds the attendance alone.
    pub attendance_alone: bool,
    /// The signatures begin a page of their own.
    pub signatures_alone: bool,
    /// Beslut lists carry the "<Nämnd>s beslut" heading.
    pub beslut_heading: bool,
    /// Föredragande and others present as sentences, not rows.
    pub(crate) foredragande_sentence: bool,
    /// The phrases the house style words its own way (`[fraser]`), by key; the protocol's
    /// wording for every other key is the built-in one (`documents::phrases`).
    pub fraser: std::collections::BTreeMap<String, Phrase>,
    /// How many days before the meeting day the kallelse must go out (the reglemente).
    pub kallelse_dagar: Option<u32>,
    /// How to report förhinder, as the organ words it; printed on the kallelse.
    pub forhinder_anmals: Option<String>,
    /// The organ is fullmäktige: its meetings are announced on the anslagstavla.
    pub fullmaktige: bool,
}

impl Default for HouseStyle {
    fn default() -> Self {
        Self {
            custom: false,
            font_size: 11.0,
            margin_top: 3.2,
            margin_bottom: 2.5,
            margin_left: 2.5,
            margin_right: 2.5,
            new_page: Default::default(),
            number_own_line: false,
            attendance_alone: false,
            signatures_alone: false,
            beslut_heading: true,
            foredragande_sentence: false,
            fraser: Default::default(),
            kallelse_dagar: None,
            forhinder_anmals: None,
            fullmaktige: false,
        }
    }
}

/// The end of the § before a fragment's first, as its source begins.
#[derive(Debug, Clone, Serialize)]
pub struct Preceding {
    pub number: u32,
    pub text: Markup,
}

/// The capacity a person sat in, in one §: running text names them by it ("ledamoten
/// Per Ås (M)"). A tjänstgörande ersättare who does not serve in the § is an ersättare there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Ordforande,
    ViceOrdforande,
    Ledamot,
    TjanstgorandeErsattare,
    Ersattare,
}

/// A person as running text refers to them in one §.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub name: String,
    pub party: String,
    /// "Johanna Sjö m.fl.": her and others of her group.
    pub(crate) mfl: bool,
    /// `None`: not at the meeting (only in an invalid file).
    pub capacity: Option<Capacity>,
}
