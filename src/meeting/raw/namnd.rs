//! The nämnd meeting file (`kind = "namnd"`) exactly as written: serde types that mirror the
//! TOML, spans kept on everything a check may point at. A nämnd protocol carries legal force
//! (kommunallagen 5 kap. 67 §), so its shape is its own: members with party, who serves in
//! which §, and per § the beslut, the proposals, the beslutsgång, votes and reservations.
//!
//! Shared with the FVG file: [`RawOrganisation`], [`RawTime`], [`RawBilaga`].

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

pub use super::justering::{JusteringSatt, RawJustering, RawRattelse, RawSignatur};
use super::{RawBilaga, RawOrganisation, RawTime, TomlDate};

/// One meeting of a nämnd (the elected committee): a protocol with legal force.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNamndMeeting {
    /// Always "namnd" for this shape.
    #[schemars(with = "NamndKind")]
    pub kind: Spanned<super::Kind>,
    /// Where the meeting is in its life: "planerat" before it is held (ärenden with förslag
    /// till beslut, föredragande and handlingar; no beslut yet; `[attendance]` lists who is
    /// called). Left out: the meeting has been held and the file is its protocol (a draft
    /// until `justerad`). See docs/cycle.md.
    #[serde(default)]
    #[schemars(with = "Option<Status>")]
    pub status: Option<Spanned<Status>>,
    /// Short name of the organ, as in the header "Protokoll AMN 2020-04-21": "AMN".
    #[schemars(with = "String")]
    pub organ: Spanned<String>,
    /// The nämnd's full name in the definite form: "Arbetsmarknadsnämnden". Its genitive
    /// heads every decision: "Arbetsmarknadsnämndens beslut".
    #[schemars(with = "String")]
    pub namnd: Spanned<String>,
    /// A fragment of a protocol (e.g. a transcribed excerpt): attendance, officials and
    /// completeness are not required, and the checks that need them are not run.
    #[serde(default)]
    pub fragment: bool,
    /// A fragment's source may begin inside the § before its first: that text, as the source
    /// gives it (Markdown), printed before the first § under "Slutet av § N". Fragments only.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub preceding: Option<Spanned<String>>,
    /// The year, for a fragment without [meeting]; otherwise taken from the meeting's date.
    #[serde(default)]
    #[schemars(with = "Option<i32>")]
    pub year: Option<Spanned<i64>>,
    /// The nämnd's number of seats (ledamöter, not ersättare); the quorum is more than half
    /// of it (KL 5 kap. 57 §).
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub seats: Option<Spanned<i64>>,
    /// The number of the first §: nämnder number their § through the year. Default 1.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub first_paragraf: Option<Spanned<i64>>,
    /// How the nämnd numbers its §: "year" (on through the year, from `first_paragraf`; the
    /// default) or "meeting" (every meeting from § 1). The check, `assemble new --from` and
    /// extracts follow it.
    #[serde(default)]
    #[schemars(with = "Option<Numbering>")]
    pub numbering: Option<Spanned<Numbering>>,
    /// The house style of this meeting's protocol; overrides, key by key, the organ's
    /// `husstil.toml` beside the meeting file. Without either, the built-in look.
    #[serde(default)]
    pub husstil: Option<RawHusstil>,
    /// The secretary's name ("Vid protokollet").
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sekreterare: Option<Spanned<String>>,
    /// Who justerar the protocol besides the ordförande; each a serving member.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub justerare: Option<Spanned<Vec<Spanned<String>>>>,
    /// The day the protocol was justerat (approved). Without it, it is not yet justerat.
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub justerad: Option<Spanned<Datetime>>,
    /// The agreed time and place of the justering.
    #[serde(default)]
    pub justering: Option<RawJustering>,
    /// The closing line as the protocol words it ("Ordföranden förklarade sammanträdet
    /// avslutat kl. 16.25."); without it nothing is printed.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub avslutning: Option<Spanned<String>>,
    /// The notice of justering on the official notice board (`assemble anslag`): when it
    /// went up and where the protocol is kept.
    #[serde(default)]
    pub anslag: Option<RawAnslag>,
    pub organisation: RawOrganisation,
    /// When and where; required unless `fragment`.
    #[serde(default)]
    pub meeting: Option<RawTime>,
    /// Who was there and in which capacity.
    #[serde(default)]
    pub attendance: RawNamndAttendance,
    /// The §, in order; numbered from `first_paragraf`.
    #[serde(default)]
    pub paragraf: Vec<RawNamndParagraf>,
    /// The bilagor; numbered in the order the text first refers to them.
    #[serde(default)]
    pub bilaga: Vec<RawBilaga>,
    /// The handlingar sent with the kallelse (tjänsteutlåtanden and their bilagor) that are
    /// not bilagor of the protocol, each named by an ärende's `handlingar`; the same keys as
    /// a bilaga (`id`, `title`, `from`, `file`, `sekretess`, `publiceras`).
    #[serde(default)]
    pub handling: Vec<RawBilaga>,
    /// The kallelse (`assemble kallelse`): the day it was sent, and for fullmäktige the day
    /// its tillkännagivande went up on the anslagstavla.
    #[serde(default)]
    pub kallelse: Option<RawKallelse>,
    /// The web edition's notice on page 1 (`assemble publish`); default: that it is the web
    /// edition and that withheld material has been removed, the reasons stated where it was.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) webbtext: Option<Spanned<String>>,
    /// Numbers written like a personnummer that are not one (a telephone number, a payment
    /// reference, a case number), each with why: `assemble publish` lets exactly these pass,
    /// and the record keeps the list.
    #[serde(default)]
    pub inte_personnummer: Vec<super::RawInteNummer>,
    /// Corrections of obvious slips in the justerat protocol (FL 36 §: skrivfel, räknefel
    /// eller liknande förbiseende), in the order decided. Each makes a new version of the
    /// protocol with a note at the § and on page 1; the justerat original is kept as it was.
    /// The § keep their text as justerat: the rättelse says what it said and what it says now.
    #[serde(default)]
    pub rattelse: Vec<RawRattelse>,
}

/// Where a meeting is in its life (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not yet held: the file is the plan of the meeting (kallelse, föredragningslista).
    Planerat,
}

/// `[kallelse]`: when the kallelse went out and, for fullmäktige, when the tillkännagivande
/// went up (KL 5 kap. 13–15 §§; docs/cycle.md).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKallelse {
    /// The day the kallelse is sent to those called; printed on it and checked against the
    /// organ's `kallelse_dagar` (its reglemente). Default: not dated, not checked.
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub datum: Option<Spanned<Datetime>>,
    /// Fullmäktige: the day the tillkännagivande went up on the anslagstavla; checked
    /// against the last day (a week before the meeting day, KL 5 kap.).
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub tillkannagivet: Option<Spanned<Datetime>>,
}

/// `[anslag]`: the notice of justering on the official notice board (KL 8 kap. 12 §).
/// The notice comes down three weeks after it went up (KL 13 kap. 5 §: the appeal period).
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAnslag {
    /// The day the notice went up; default the day of justering. At the latest the second
    /// day after justering (KL 8 kap. 12 §): later is a warning, before the justering an error.
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub uppsatt: Option<Spanned<Datetime>>,
    /// Where the protocol is kept; default the förvaltning.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) forvaring: Option<Spanned<String>>,
    /// The day the notice of the § justerade omedelbart went up: they are justerade at the
    /// meeting, so their anslag goes up from the meeting day (the default) and their appeal
    /// period ends three weeks after it, before the rest's. At the latest the second day after
    /// the meeting (KL 8 kap. 12 §); before it an error.
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub omedelbart_uppsatt: Option<Spanned<Datetime>>,
}

/// `kind = "namnd"` (for the schema: tells the two shapes apart).
#[derive(Clone, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum NamndKind {
    /// Nämnd: the elected committee's protocol.
    Namnd,
}

/// Who was there. Names are written as the protocol prints them; votes, reservations and
/// jäv refer to people by exactly these names.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNamndAttendance {
    /// The chair, who presides; required unless `fragment`.
    #[serde(default)]
    #[schemars(with = "Option<RawMember>")]
    pub ordforande: Option<Spanned<RawMember>>,
    /// The vice ordförande; presides where the ordförande is jävig.
    #[serde(default)]
    #[schemars(with = "Option<RawMember>")]
    pub vice_ordforande: Option<Spanned<RawMember>>,
    /// The other ledamöter present.
    #[serde(default)]
    #[schemars(with = "Vec<RawMember>")]
    pub ledamoter: Vec<Spanned<RawMember>>,
    /// Tjänstgörande ersättare: each with `for`, the ledamot replaced.
    #[serde(default)]
    #[schemars(with = "Vec<RawMember>")]
    pub tjanstgorande: Vec<Spanned<RawMember>>,
    /// Ej tjänstgörande ersättare (present, not voting).
    #[serde(default)]
    #[schemars(with = "Vec<RawMember>")]
    pub ersattare: Vec<Spanned<RawMember>>,
    /// "Förhinder hade anmälts av …": ledamöter and ersättare who sent word, in one list
    /// (printed as one). Prefer `forhinder_ledamoter` and `forhinder_ersattare`, which say
    /// who holds a seat; not together with them.
    #[serde(default)]
    #[schemars(with = "Vec<RawMember>")]
    pub forhinder: Vec<Spanned<RawMember>>,
    /// Ledamöter who sent word they could not come: "Förhinder hade anmälts av ledamöterna
    /// A (M), B (S) …". `assemble new --from` seats them as ledamöter again.
    #[serde(default)]
    #[schemars(with = "Vec<RawMember>")]
    pub forhinder_ledamoter: Vec<Spanned<RawMember>>,
    /// Ersättare who sent word: "… samt ersättarna C (L), D (V)". `assemble new --from`
    /// lists them as ersättare again.
    #[serde(default)]
    #[schemars(with = "Vec<RawMember>")]
    pub forhinder_ersattare: Vec<Spanned<RawMember>>,
    /// Föredragande: officials presenting the ärenden.
    #[serde(default)]
    #[schemars(with = "Vec<RawOfficial>")]
    pub foredragande: Vec<Spanned<RawOfficial>>,
    /// Others present, e.g. a borgarrådssekreterare.
    #[serde(default)]
    #[schemars(with = "Vec<RawOfficial>")]
    pub(crate) ovriga: Vec<Spanned<RawOfficial>>,
}

/// An elected member: printed "Name (Party)".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMember {
    /// The name as the protocol prints it; everything else refers to the person by it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The party's letters: "S", "M", "Fi".
    #[schemars(with = "String")]
    pub party: Spanned<String>,
    /// Only for a tjänstgörande ersättare: the ledamot replaced, by name.
    #[serde(default, rename = "for")]
    #[schemars(with = "Option<String>")]
    pub replaces: Option<Spanned<String>>,
    /// Served only in some §: "8-10, 12" (a ledamot who left, an ersättare who served for
    /// part of the meeting).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub only: Option<Spanned<String>>,
    /// Not named in the web edition (e.g. skyddad identitet): the name is replaced by the
    /// notice with this reason wherever the meeting file writes it. Bilagor are marked apart.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sekretess: Option<Spanned<String>>,
}

/// An official or other person present: printed "Name, role".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOfficial {
    /// The name as the protocol prints it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// "förvaltningschef", "borgarrådssekreterare"
    #[serde(default)]
    pub role: Option<String>,
}

/// What a § is: decides its default title and text and which checks apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Typ {
    /// An ärende the nämnd decides (the default).
    #[default]
    Arende,
    /// Opening and approval of the föredragningslista.
    Oppnande,
    /// Val av justerare and the time of justering.
    Justerare,
    /// Anmälningsärenden: a lettered list under `anmalningar`.
    Anmalningsarenden,
    /// Nämndens frågor.
    Fragor,
    /// Förvaltningsinformation.
    Information,
}

/// How a nämnd numbers its §.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Numbering {
    /// On through the year: each meeting's first § follows the last meeting's
    /// (`first_paragraf`).
    #[default]
    Year,
    /// Every meeting from § 1 (`first_paragraf` must be 1 or left out).
    Meeting,
}

/// One §.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNamndParagraf {
    /// The § number as printed, optional: when given it must follow on from
    /// `first_paragraf` (checked), which keeps the file readable against the paper protocol.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub number: Option<Spanned<i64>>,
    /// What kind of §; default "arende".
    #[serde(default)]
    #[schemars(with = "Option<Typ>")]
    pub typ: Option<Spanned<Typ>>,
    /// "Tertialrapport 1 2015"; fixed items have a default title.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub title: Option<Spanned<String>>,
    /// Case numbers: "AMN 2015-0013-01.02"; an ärende with a beslut and none gets a warning.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub diarienummer: Vec<Spanned<String>>,
    /// `false`: this § is not an ärende (a report, information) though it may record a
    /// beslut: no diarienummer is expected. Default: an ärende when `typ` is "arende".
    /// `assemble new --from` carries it with the §.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub arende: Option<Spanned<bool>>,
    /// `true`: an item that recurs at every meeting (e.g. personalföreträdares
    /// närvarorätt): `assemble new --from` carries it, with its title, into the next meeting.
    /// The fixed items (`typ` other than "arende") are always carried.
    #[serde(default)]
    pub(crate) recurring: bool,
    /// Who presided in this § when the ordförande did not (jäv): a member who serves in it,
    /// normally the vice ordförande. Required when the ordförande is jävig in the §;
    /// printed "Vice ordföranden Per Holm (M) tjänstgjorde som ordförande under ärendet."
    /// (`ordforande_under_arendet` in the house style's `[fraser]`) and holds the utslagsröst.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub ordforande: Option<Spanned<String>>,
    /// `false`: the beslut list is printed without the "<Nämnd>s beslut" heading (monthly
    /// reports: "1. Nämnden godkände …" alone). Default: the house style's `beslut_heading`.
    #[serde(default)]
    pub beslut_heading: Option<bool>,
    /// `true`: a page break before this §; `false`: none, even where the house style's
    /// `new_page` would put one. Default: the house style's `new_page`. So a protocol's page
    /// breaks can follow the paper original's, page for page.
    #[serde(default)]
    pub page_break: Option<bool>,
    /// Free text (Markdown) of a fixed item, or before the decision.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// Anmälningsärenden, printed a), b), c) …; each Markdown.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub anmalningar: Vec<Spanned<String>>,
    /// "<Nämnd>s beslut": the decisions as a numbered list, each Markdown as worded.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub beslut: Vec<Spanned<String>>,
    /// The nämnd decided to justera the § at once. Adds the last beslut point "<Nämnd>
    /// beslutade att justera paragrafen omedelbart." unless a beslut point already says it.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub omedelbar_justering: Option<Spanned<bool>>,
    /// "Ärendet", Markdown.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub arendet: Option<Spanned<String>>,
    /// The date of the förvaltning's tjänsteutlåtande: "Förvaltningen har redovisat ärendet i
    /// ett tjänsteutlåtande daterat den 7 maj 2015."
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub tjansteutlatande: Option<Spanned<Datetime>>,
    /// "Förslag till beslut": the proposals put forward.
    #[serde(default)]
    pub forslag: Vec<RawForslag>,
    /// The id of the proposal the nämnd adopted; needed with more than one proposal and no
    /// omröstning (with one, the vote decides).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub bifall: Option<Spanned<String>>,
    /// "Beslutsgång", Markdown: how the proposals were put against each other.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub beslutsgang: Option<Spanned<String>>,
    /// A vote (omröstning). The totals, the winner (on a tie, the ordförande's vote) and
    /// "Med 6 ja-röster mot 5 nej-röster …" are derived.
    #[serde(default)]
    #[schemars(with = "Option<RawOmrostning>")]
    pub omrostning: Option<Spanned<RawOmrostning>>,
    /// Reservations against the decision: "… reserverade sig mot beslutet till förmån för
    /// eget förslag."
    #[serde(default)]
    pub reservation: Vec<RawReservation>,
    /// Särskilda uttalanden by members: "… lämnade följande särskilda uttalande."
    #[serde(default)]
    pub sarskilt_uttalande: Vec<RawUttalande>,
    /// Ersättaryttranden by ej tjänstgörande ersättare: "… lämnade följande ersättaryttrande."
    #[serde(default)]
    pub ersattaryttrande: Vec<RawUttalande>,
    /// Members who declared jäv and took no part in the §, by name: "… anmälde jäv och deltog
    /// inte i handläggningen av ärendet."
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub jav: Vec<Spanned<String>>,
    /// Withheld from the web edition: only the § number, its title (or `webbtitel`) and its
    /// diarienummer are published, with this reason ("OSL 26 kap. 1 §", "personuppgift").
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sekretess: Option<Spanned<String>>,
    /// The neutral title the web edition prints for a § marked `sekretess`; default the title.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub webbtitel: Option<Spanned<String>>,
    /// Who presents the ärende: a name among `[attendance] foredragande`. Printed on the
    /// föredragningslista.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub foredragande: Option<Spanned<String>>,
    /// The handlingar of the ärende, in order: ids of `[[handling]]` or `[[bilaga]]`. The
    /// meeting pack carries them after the kallelse.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub handlingar: Vec<Spanned<String>>,
}

/// A proposal: "Ordföranden Anna Berg (S) föreslog att …".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawForslag {
    /// How beslutsgång, omröstning and reservations refer to it: "a", "m-forslag".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The members who proposed it; none means the förvaltning's proposal.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub by: Vec<Spanned<String>>,
    /// What was proposed, Markdown: "att bifalla förvaltningens förslag". Printed after the
    /// derived "Ordföranden Anna Berg (S) föreslog"; needed unless `sentence` is given.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// The whole paragraph as the protocol words it, Markdown, printed instead of the
    /// derived one: "Ledamoten Per Ås (M) och tjänstgörande ersättaren Li Berg (Fi) lade
    /// fram ett eget förslag till beslut och yrkade bifall till det." `by` still names the
    /// proposers for the checks.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sentence: Option<Spanned<String>>,
}

/// An omröstning: each serving member under exactly one of ja, nej, avstår.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOmrostning {
    /// The proposal a ja vote is for.
    #[schemars(with = "String")]
    pub(crate) ja_for: Spanned<String>,
    /// The proposal a nej vote is for.
    #[schemars(with = "String")]
    pub(crate) nej_for: Spanned<String>,
    /// Who voted ja, by name.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ja: Vec<Spanned<String>>,
    /// Who voted nej, by name.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub nej: Vec<Spanned<String>>,
    /// Who abstained (avstod), by name.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub avstar: Vec<Spanned<String>>,
}

/// A reservation: who, for which proposal, and its text.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReservation {
    /// Names; "Johanna Sjö m.fl." for a group.
    #[schemars(with = "Vec<String>")]
    pub by: Spanned<Vec<Spanned<String>>>,
    /// The id of the proposal they stood for (the losing one).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub forslag: Option<Spanned<String>>,
    /// The text, Markdown: often the losing proposal and "Därutöver anförs …".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// The sentence before it as the protocol words it, replacing the derived "… reserverade
    /// sig mot beslutet till förmån för …": "Vice ordföranden Per Holm m.fl. (M)
    /// reserverade sig mot nämndens beslut och anförde följande."
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) intro: Option<Spanned<String>>,
    /// The reservants' own "Förslag till beslut": its att-satser, each Markdown, printed as
    /// a numbered list under that heading, before `text`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub att: Vec<Spanned<String>>,
    /// The lead sentence of their own "Förslag till beslut", Markdown, printed under that
    /// heading before the att-satser: "Moderaterna föreslår att nämnden beslutar". Needs
    /// `att`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub forslag_inledning: Option<Spanned<String>>,
}

/// A särskilt uttalande or ersättaryttrande: who, and the text.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUttalande {
    /// Names; "Johanna Sjö m.fl." for a group.
    #[schemars(with = "Vec<String>")]
    pub by: Spanned<Vec<Spanned<String>>>,
    /// The text, Markdown; needed unless `att` is given.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// The sentence before it as the protocol words it, replacing the derived "… lämnade
    /// följande särskilda uttalande.".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) intro: Option<Spanned<String>>,
    /// Their own "Förslag till beslut": its att-satser, each Markdown, printed as
    /// a numbered list under that heading, before `text`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub att: Vec<Spanned<String>>,
    /// The lead sentence of their own "Förslag till beslut", Markdown, printed under that
    /// heading before the att-satser: "Moderaterna föreslår att nämnden beslutar". Needs
    /// `att`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub forslag_inledning: Option<Spanned<String>>,
}

/// The house style of a nämnd's protocols, set once for the organ in `husstil.toml` beside
/// its meeting files (the same keys at the top level), or per meeting as `[husstil]`. Every
/// key is optional; what is left out keeps the built-in look.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHusstil {
    /// The body text's size in points, 8 to 16; default 11.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 8, max = 16))]
    pub font_size: Option<Spanned<f64>>,
    /// The page margins in centimetres, each 1 to 6; default top 3.2, bottom 2.5, left and
    /// right 2.5.
    #[serde(default)]
    pub margins: Option<RawMargins>,
    /// Which § start on a new page: "none" (default), "arenden" (each ärende) or "all". A §
    /// may set its own `page_break`.
    #[serde(default)]
    #[schemars(with = "Option<NewPage>")]
    pub new_page: Option<Spanned<NewPage>>,
    /// `true`: "§ 4" on its own line above the title; default `false` ("§ 4 Title").
    #[serde(default)]
    pub(crate) number_own_line: Option<bool>,
    /// `true`: the first page holds the attendance and justering alone; the § begin on
    /// page 2. Default `false`.
    #[serde(default)]
    pub attendance_alone: Option<bool>,
    /// `true`: the signatures ("Vid protokollet", "Justeras") begin a page of their own after
    /// the last §. Default `false`: they follow the last § on its page when they fit there.
    #[serde(default)]
    pub signatures_alone: Option<bool>,
    /// `false`: beslut lists are printed without the "<Nämnd>s beslut" heading; a § can
    /// still set its own. Default `true`.
    #[serde(default)]
    pub beslut_heading: Option<bool>,
    /// Föredragande and others present: "rows" (default; label and names, like the
    /// members) or "sentence" ("Föredragande vid sammanträdet var …" / "Närvarade gjorde
    /// även …").
    #[serde(default)]
    #[schemars(with = "Option<Foredragande>")]
    pub foredragande: Option<Spanned<Foredragande>>,
    /// The protocol's phrases as the nämnd words them: sentences, headings, attendance
    /// labels, each key optional.
    #[serde(default)]
    pub fraser: Option<RawFraser>,
    /// How the organ calls its meetings (its reglemente or arbetsordning).
    #[serde(default)]
    pub kallelse: Option<RawHusstilKallelse>,
}

/// `[kallelse]` of the house style: the organ's own rules for calling a meeting.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHusstilKallelse {
    /// How many days before the meeting day the kallelse must be sent, as the reglemente
    /// says ("senast fem dagar före sammanträdesdagen": 5). Checked against `[kallelse]
    /// datum`; left out: not checked.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1, max = 60))]
    pub dagar: Option<Spanned<i64>>,
    /// How to report förhinder, as the organ words it ("Förhinder anmäls till
    /// nämndsekreteraren, 08-508 000 00."); printed on the kallelse. Left out: the kallelse
    /// says nothing about it (and `assemble kallelse` warns).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub forhinder: Option<Spanned<String>>,
    /// `true`: the organ is fullmäktige, whose meetings are announced on the anslagstavla at
    /// least a week before (KL 5 kap.): the kallelse states the last day and
    /// `[kallelse] tillkannagivet` is checked against it.
    #[serde(default)]
    pub fullmaktige: Option<bool>,
}

/// `[fraser]` of the house style: the protocol's phrases as the nämnd words them, each
/// key optional (left out: the built-in wording). A phrase is plain text with the
/// placeholders its key takes, `{namn}`, filled with plain text; `{{` and `}}` are braces.
/// A sentence's first letter is set upper case.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFraser {
    /// The förhinder sentence. `{personer}`: "Anna A (S) och Bo B (M)", or "ledamöterna
    /// A (M), B (S) samt ersättaren C (L)" from the split lists. Default "Förhinder
    /// hade anmälts av {personer}."; placeholders: `{personer}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub forhinder: Option<Spanned<String>>,
    /// The föredragande sentence (with `foredragande = "sentence"`). `{personer}`: each
    /// as `tjansteman` words them, joined with "och". Default "Föredragande vid
    /// sammanträdet var {personer}."; placeholders: `{personer}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub foredragande: Option<Spanned<String>>,
    /// The sentence on others present (with `foredragande = "sentence"`); `{personer}`
    /// as in `foredragande`. Default "Närvarade gjorde även {personer}."; placeholders:
    /// `{personer}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) ovriga: Option<Spanned<String>>,
    /// How a list's last name is joined to those before it, in every list the protocol
    /// words (förhinder, föredragande, justerare, who proposed, reserved or spoke) and in
    /// the record. `{foregaende}`: "Anna A (S), Bo B (M)"; `{sista}`: "Cia C (L)". Default
    /// "{foregaende} och {sista}"; placeholders: `{foregaende}`, `{sista}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) lista: Option<Spanned<String>>,
    /// An official with a role, in the rows and the sentences: `"{roll} {namn}"` for
    /// "förvaltningschef Karina Uddén". One without a role is the name alone. Default
    /// "{namn}, {roll}"; placeholders: `{namn}`, `{roll}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) tjansteman: Option<Spanned<String>>,
    /// The attendance label of the ordförande. Default "Ordförande"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) etikett_ordforande: Option<Spanned<String>>,
    /// The attendance label of the vice ordförande. Default "Vice ordf."; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) etikett_vice_ordforande: Option<Spanned<String>>,
    /// The attendance label of the other ledamöter. Default "Ledamöterna"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) etikett_ledamoter: Option<Spanned<String>>,
    /// The attendance label of the tjänstgörande ersättare ("Tjänstg. Ers." as some
    /// nämnder write it). Default "Tjänstg. ers."; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) etikett_tjanstgorande: Option<Spanned<String>>,
    /// The attendance label of the ej tjänstgörande ersättare. Default "Ej tjänstg.
    /// ers."; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) etikett_ersattare: Option<Spanned<String>>,
    /// The attendance label of the föredragande (rows). Default "Föredragande";
    /// placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) etikett_foredragande: Option<Spanned<String>>,
    /// The attendance label of others present (rows). Default "Övriga närvarande";
    /// placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) etikett_ovriga: Option<Spanned<String>>,
    /// The text of the opening § (`typ = "oppnande"`) when it gives none. Default
    /// "Ordföranden förklarade sammanträdet öppnat. Föredragningslistan godkändes.";
    /// placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub oppnande: Option<Spanned<String>>,
    /// The text of the justerare § (`typ = "justerare"`) when it gives none.
    /// `{justerare}`: "Anna A (S) och Bo B (M)". Default "Att jämte ordföranden justera
    /// dagens protokoll utsågs {justerare}."; placeholders: `{justerare}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) val_av_justerare: Option<Spanned<String>>,
    /// Follows `val_av_justerare` when `[justering]` is given. `{justering}`: "tisdag
    /// den 28 april 2020 kl. 14:00, Stadshuset". Default "Justering sker {justering}.";
    /// placeholders: `{justering}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) justering_sker: Option<Spanned<String>>,
    /// When and where the justering takes place, on the first page and in
    /// `justering_sker`. `{datum}`: "tisdag den 28 april 2020"; `{klockslag}`:
    /// `justering_klockslag` when `[justering]` gives a time, else nothing; `{plats}`:
    /// `justering_plats` when it gives a place, else nothing. Default
    /// "{datum}{klockslag}{plats}"; placeholders: `{datum}`, `{klockslag}`, `{plats}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) justering: Option<Spanned<String>>,
    /// The justering's time within `justering`. `{tid}`: "14:00". Default " kl. {tid}";
    /// placeholders: `{tid}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) justering_klockslag: Option<Spanned<String>>,
    /// The justering's place within `justering`. `{plats}`: "Stadshuset". Default ",
    /// {plats}"; placeholders: `{plats}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) justering_plats: Option<Spanned<String>>,
    /// The heading above the beslut list. `{namnd_genitiv}`: "Arbetsmarknadsnämndens".
    /// Default "{namnd_genitiv} beslut"; placeholders: `{namnd}`, `{namnd_genitiv}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) beslut_rubrik: Option<Spanned<String>>,
    /// The beslut point added when a § is justerad omedelbart and no point says so.
    /// Default "{namnd} beslutade att justera paragrafen omedelbart."; placeholders:
    /// `{namnd}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub omedelbar_justering: Option<Spanned<String>>,
    /// The sentence on the tjänsteutlåtande. `{datum}`: "7 maj 2015". Default
    /// "Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat den
    /// {datum}."; placeholders: `{datum}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub tjansteutlatande: Option<Spanned<String>>,
    /// The heading of the ärende's account. Default "Ärendet"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) rubrik_arendet: Option<Spanned<String>>,
    /// The heading of the proposals, and of a reservation's or uttalande's own proposal
    /// ("Förslag till beslut:" with the colon some nämnder write). Default "Förslag
    /// till beslut"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub rubrik_forslag: Option<Spanned<String>>,
    /// The heading of the beslutsgång. Default "Beslutsgång"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) rubrik_beslutsgang: Option<Spanned<String>>,
    /// The heading of a reservation. Default "Reservation"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) rubrik_reservation: Option<Spanned<String>>,
    /// The heading of a särskilt uttalande. Default "Särskilt uttalande"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) rubrik_sarskilt_uttalande: Option<Spanned<String>>,
    /// The heading of an ersättaryttrande. Default "Ersättaryttrande"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) rubrik_ersattaryttrande: Option<Spanned<String>>,
    /// What a ja vote meant. `{forslag}`: as `forslag_fran`, `forslag_forvaltningen` or
    /// `forslag_id` word it. Default "Ja för {forslag}"; placeholders: `{forslag}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) omrostning_ja: Option<Spanned<String>>,
    /// What a nej vote meant. Default "Nej för {forslag}"; placeholders: `{forslag}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) omrostning_nej: Option<Spanned<String>>,
    /// The outcome of an omröstning. `{avstod}`: `omrostning_avstod` when anyone
    /// abstained, else nothing. Default "Med {ja} ja-röster mot {nej}
    /// nej-röster{avstod} beslutade nämnden enligt {forslag}."; placeholders: `{ja}`,
    /// `{nej}`, `{avstod}`, `{forslag}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) omrostning_utfall: Option<Spanned<String>>,
    /// The abstentions within `omrostning_utfall`. Default ", {antal} avstod,";
    /// placeholders: `{antal}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) omrostning_avstod: Option<Spanned<String>>,
    /// A proposal named by who made it: "förslaget från ordföranden Anna Berg (S)".
    /// Default "förslaget från {personer}"; placeholders: `{personer}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) forslag_fran: Option<Spanned<String>>,
    /// The förvaltning's proposal (one with no `by`). Default "förvaltningens förslag";
    /// placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) forslag_forvaltningen: Option<Spanned<String>>,
    /// Who made the förvaltning's proposal (one with no `by`), before "föreslog" under
    /// "Förslag till beslut", and in the record. Default "Förvaltningen"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) forvaltningen: Option<Spanned<String>>,
    /// A proposal the § does not list, by its id. Default "förslag {id}"; placeholders: `{id}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) forslag_id: Option<Spanned<String>>,
    /// The reservants' own proposal. Default "eget förslag"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) forslag_eget: Option<Spanned<String>>,
    /// A reservation's sentence when it gives no `intro`. `{till_forman}`:
    /// `till_forman` when it names a proposal, else nothing. Default "{personer}
    /// reserverade sig mot beslutet{till_forman}."; placeholders: `{personer}`,
    /// `{till_forman}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub reservation: Option<Spanned<String>>,
    /// The proposal a reservation stood for, within `reservation`. Default " till
    /// förmån för {forslag}"; placeholders: `{forslag}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) till_forman: Option<Spanned<String>>,
    /// A särskilt uttalande's sentence when it gives no `intro`. Default "{personer}
    /// lämnade följande särskilda uttalande."; placeholders: `{personer}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sarskilt_uttalande: Option<Spanned<String>>,
    /// An ersättaryttrande's sentence when it gives no `intro`. Default "{personer}
    /// lämnade följande ersättaryttrande."; placeholders: `{personer}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub ersattaryttrande: Option<Spanned<String>>,
    /// The sentence for each member who declared jäv. `{person}`: "ledamoten Anna A
    /// (S)". Default "{person} anmälde jäv och deltog inte i handläggningen av
    /// ärendet."; placeholders: `{person}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub jav: Option<Spanned<String>>,
    /// Who presided in a § where the ordförande was jävig. Default "{person}
    /// tjänstgjorde som ordförande under ärendet."; placeholders: `{person}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) ordforande_under_arendet: Option<Spanned<String>>,
    /// The heading of the block that replaces the lines for ink when the protocol was justerat
    /// digitally. Default "Justerat digitalt"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) justerat_digitalt_rubrik: Option<Spanned<String>>,
    /// The sentence of the "Justerat digitalt" block. `{tjanst}`: the signing service; `{referens}`:
    /// `justerat_digitalt_referens` when `[justering]` gives a reference, else nothing. Default
    /// "Protokollet har justerats digitalt genom {tjanst}{referens}."; placeholders:
    /// `{tjanst}`, `{referens}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) justerat_digitalt: Option<Spanned<String>>,
    /// The service's reference within `justerat_digitalt`. Default ", referens {referens}";
    /// placeholders: `{referens}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) justerat_digitalt_referens: Option<Spanned<String>>,
    /// One signer of a digital justering, a line each. `{namn}`: "Anna Berg (S)"; `{roll}`:
    /// `signatur_ordforande` or `signatur_justerare`; `{datum}`: "24 april 2020";
    /// `{klockslag}`: `signatur_klockslag` when the signature gives a time, else nothing.
    /// Default "{namn}, {roll}, den {datum}{klockslag}"; placeholders: `{namn}`, `{roll}`,
    /// `{datum}`, `{klockslag}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) signatur: Option<Spanned<String>>,
    /// The signature's time within `signatur`. `{tid}`: "09:12". Default " kl. {tid}";
    /// placeholders: `{tid}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) signatur_klockslag: Option<Spanned<String>>,
    /// The role of the ordförande within `signatur`. Default "ordförande"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) signatur_ordforande: Option<Spanned<String>>,
    /// The role of a justerare within `signatur`. Default "justerare"; placeholders: none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) signatur_justerare: Option<Spanned<String>>,
    /// The note of a rättelse, on page 1 and at the § it corrected (FL 36 §). `{datum}`: "4 maj
    /// 2020"; `{paragraf}`: "34"; `{fore}` and `{efter}`: the text before and after, as
    /// written; `{skal}`: why, without a closing full stop; `{beslutad_av}`: who decided it.
    /// Default "Rättelse den {datum}: § {paragraf} ändrades från ”{fore}” till ”{efter}”
    /// ({skal}). Rättelsen beslutades av {beslutad_av}."; placeholders: `{datum}`,
    /// `{paragraf}`, `{fore}`, `{efter}`, `{skal}`, `{beslutad_av}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) rattelse: Option<Spanned<String>>,
    /// The kallelse's heading (`assemble kallelse`). `{namnd_genitiv}`:
    /// "arbetsmarknadsnämndens". Default "Kallelse till {namnd_genitiv} sammanträde";
    /// placeholders: `{namnd_genitiv}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) kallelse_rubrik: Option<Spanned<String>>,
    /// On the public föredragningslista, in place of a handling withheld (`sekretess`).
    /// `{skal}`: the reason as the file gives it ("OSL 25 kap. 1 §"). Default "Handlingen
    /// har utelämnats i den offentliga utgåvan ({skal})."; placeholders: `{skal}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) handling_utelamnad: Option<Spanned<String>>,
    /// The page header of every page. `{organ}`: "AMN"; `{datum}`: the meeting's date,
    /// "2020-04-21" (the year for a dateless fragment). Default "Protokoll {organ}
    /// {datum}"; placeholders: `{organ}`, `{datum}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) sidhuvud: Option<Spanned<String>>,
    /// The protocol's title: page 1, the PDF's title, the record's name. `{namnd_genitiv}`
    /// as running text writes it, "arbetsmarknadsnämndens"; `{datum}`: "21 april 2020". A
    /// dateless fragment keeps "Utdrag ur protokoll från … sammanträde 2015". Default
    /// "Protokoll från {namnd_genitiv} sammanträde den {datum}"; placeholders:
    /// `{namnd_genitiv}`, `{datum}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) titel: Option<Spanned<String>>,
    /// When the meeting was held, on page 1. `{datum}`: "Tisdag den 21 april 2020";
    /// `{start}`, `{slut}`: "15:00", "16:25". Default "{datum}, kl. {start} – {slut}";
    /// placeholders: `{datum}`, `{start}`, `{slut}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) tidpunkt: Option<Spanned<String>>,
    /// When a meeting begins, on its kallelse and a planned meeting's draft (its end is
    /// not known before it is held). `{datum}`, `{start}` as for `tidpunkt`. Default
    /// "{datum}, kl. {start}"; placeholders: `{datum}`, `{start}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) tidpunkt_planerad: Option<Spanned<String>>,
    /// Where the meeting was held when members took part from elsewhere (`remote`).
    /// `{plats}`: the place as written; `{distans}`: `remote` as written, "Teams". Default
    /// "{plats} samt via {distans}"; placeholders: `{plats}`, `{distans}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) plats_distans: Option<Spanned<String>>,
    /// What stands before each proposal's text under "Förslag till beslut" (a proposal
    /// with its own `sentence` is printed as written). `{personer}`: "ordföranden Anna
    /// Berg (S)", or `forvaltningen`'s wording for the förvaltning's proposal. Default
    /// "{personer} föreslog"; placeholders: `{personer}`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) foreslog: Option<Spanned<String>>,
}

/// A phrase key of [`RawFraser`], its value as written, and the placeholders it takes.
pub(crate) type FraseEntry<'a> = (
    &'static str,
    Option<&'a Spanned<String>>,
    &'static [&'static str],
);

impl RawFraser {
    /// Every key with its value and the placeholders it takes, in the order above.
    pub fn entries(&self) -> Vec<FraseEntry<'_>> {
        vec![
            ("forhinder", self.forhinder.as_ref(), &["personer"]),
            ("foredragande", self.foredragande.as_ref(), &["personer"]),
            ("ovriga", self.ovriga.as_ref(), &["personer"]),
            ("lista", self.lista.as_ref(), &["foregaende", "sista"]),
            ("tjansteman", self.tjansteman.as_ref(), &["namn", "roll"]),
            ("etikett_ordforande", self.etikett_ordforande.as_ref(), &[]),
            (
                "etikett_vice_ordforande",
                self.etikett_vice_ordforande.as_ref(),
                &[],
            ),
            ("etikett_ledamoter", self.etikett_ledamoter.as_ref(), &[]),
            (
                "etikett_tjanstgorande",
                self.etikett_tjanstgorande.as_ref(),
                &[],
            ),
            ("etikett_ersattare", self.etikett_ersattare.as_ref(), &[]),
            (
                "etikett_foredragande",
                self.etikett_foredragande.as_ref(),
                &[],
            ),
            ("etikett_ovriga", self.etikett_ovriga.as_ref(), &[]),
            ("oppnande", self.oppnande.as_ref(), &[]),
            (
                "val_av_justerare",
                self.val_av_justerare.as_ref(),
                &["justerare"],
            ),
            (
                "justering_sker",
                self.justering_sker.as_ref(),
                &["justering"],
            ),
            (
                "justering",
                self.justering.as_ref(),
                &["datum", "klockslag", "plats"],
            ),
            (
                "justering_klockslag",
                self.justering_klockslag.as_ref(),
                &["tid"],
            ),
            ("justering_plats", self.justering_plats.as_ref(), &["plats"]),
            (
                "beslut_rubrik",
                self.beslut_rubrik.as_ref(),
                &["namnd", "namnd_genitiv"],
            ),
            (
                "omedelbar_justering",
                self.omedelbar_justering.as_ref(),
                &["namnd"],
            ),
            (
                "tjansteutlatande",
                self.tjansteutlatande.as_ref(),
                &["datum"],
            ),
            ("rubrik_arendet", self.rubrik_arendet.as_ref(), &[]),
            ("rubrik_forslag", self.rubrik_forslag.as_ref(), &[]),
            ("rubrik_beslutsgang", self.rubrik_beslutsgang.as_ref(), &[]),
            ("rubrik_reservation", self.rubrik_reservation.as_ref(), &[]),
            (
                "rubrik_sarskilt_uttalande",
                self.rubrik_sarskilt_uttalande.as_ref(),
                &[],
            ),
            (
                "rubrik_ersattaryttrande",
                self.rubrik_ersattaryttrande.as_ref(),
                &[],
            ),
            ("omrostning_ja", self.omrostning_ja.as_ref(), &["forslag"]),
            ("omrostning_nej", self.omrostning_nej.as_ref(), &["forslag"]),
            (
                "omrostning_utfall",
                self.omrostning_utfall.as_ref(),
                &["ja", "nej", "avstod", "forslag"],
            ),
            (
                "omrostning_avstod",
                self.omrostning_avstod.as_ref(),
                &["antal"],
            ),
            ("forslag_fran", self.forslag_fran.as_ref(), &["personer"]),
            (
                "forslag_forvaltningen",
                self.forslag_forvaltningen.as_ref(),
                &[],
            ),
            ("forvaltningen", self.forvaltningen.as_ref(), &[]),
            ("forslag_id", self.forslag_id.as_ref(), &["id"]),
            ("forslag_eget", self.forslag_eget.as_ref(), &[]),
            (
                "reservation",
                self.reservation.as_ref(),
                &["personer", "till_forman"],
            ),
            ("till_forman", self.till_forman.as_ref(), &["forslag"]),
            (
                "sarskilt_uttalande",
                self.sarskilt_uttalande.as_ref(),
                &["personer"],
            ),
            (
                "ersattaryttrande",
                self.ersattaryttrande.as_ref(),
                &["personer"],
            ),
            ("jav", self.jav.as_ref(), &["person"]),
            (
                "ordforande_under_arendet",
                self.ordforande_under_arendet.as_ref(),
                &["person"],
            ),
            (
                "justerat_digitalt_rubrik",
                self.justerat_digitalt_rubrik.as_ref(),
                &[],
            ),
            (
                "justerat_digitalt",
                self.justerat_digitalt.as_ref(),
                &["tjanst", "referens"],
            ),
            (
                "justerat_digitalt_referens",
                self.justerat_digitalt_referens.as_ref(),
                &["referens"],
            ),
            (
                "signatur",
                self.signatur.as_ref(),
                &["namn", "roll", "datum", "klockslag"],
            ),
            (
                "signatur_klockslag",
                self.signatur_klockslag.as_ref(),
                &["tid"],
            ),
            (
                "signatur_ordforande",
                self.signatur_ordforande.as_ref(),
                &[],
            ),
            ("signatur_justerare", self.signatur_justerare.as_ref(), &[]),
            (
                "rattelse",
                self.rattelse.as_ref(),
                &["datum", "paragraf", "fore", "efter", "skal", "beslutad_av"],
            ),
            (
                "kallelse_rubrik",
                self.kallelse_rubrik.as_ref(),
                &["namnd_genitiv"],
            ),
            (
                "handling_utelamnad",
                self.handling_utelamnad.as_ref(),
                &["skal"],
            ),
            ("sidhuvud", self.sidhuvud.as_ref(), &["organ", "datum"]),
            ("titel", self.titel.as_ref(), &["namnd_genitiv", "datum"]),
            (
                "tidpunkt",
                self.tidpunkt.as_ref(),
                &["datum", "start", "slut"],
            ),
            (
                "tidpunkt_planerad",
                self.tidpunkt_planerad.as_ref(),
                &["datum", "start"],
            ),
            (
                "plats_distans",
                self.plats_distans.as_ref(),
                &["plats", "distans"],
            ),
            ("foreslog", self.foreslog.as_ref(), &["personer"]),
        ]
    }
}

/// Page margins, centimetres.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMargins {
    /// Top margin (above the text, below the page header), cm.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 1, max = 6))]
    pub top: Option<Spanned<f64>>,
    /// Bottom margin, cm.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 1, max = 6))]
    pub bottom: Option<Spanned<f64>>,
    /// Left margin, cm.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 1, max = 6))]
    pub left: Option<Spanned<f64>>,
    /// Right margin, cm.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 1, max = 6))]
    pub right: Option<Spanned<f64>>,
}

/// Which § start on a new page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NewPage {
    /// None: the § follow each other.
    #[default]
    None,
    /// Each ärende (a § with `typ` "arende" that is not marked `arende = false`).
    Arenden,
    /// Every §.
    All,
}

/// How föredragande and others present are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Foredragande {
    /// As label/value rows under the members.
    #[default]
    Rows,
    /// As the sentences "Föredragande vid sammanträdet var …" and "Närvarade gjorde även …".
    Sentence,
}
