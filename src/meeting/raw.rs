//! The meeting file exactly as written: serde types that mirror the TOML, with spans kept on
//! every value a later check may need to point at. Nothing here is validated beyond shape;
//! `validate` turns this into the model.
//!
//! The same types give the JSON Schema editors use to complete and check the file
//! (`assemble schema`): the doc comments below are what the secretary sees.

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

pub mod justering;
pub mod namnd;
pub mod reference;
pub(crate) mod shape;

/// One meeting of a förvaltningsgrupp (FVG): a protocol.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "FVG meeting file")]
pub struct RawFvgMeeting {
    /// The kind of protocol.
    #[schemars(with = "FvgKind")]
    pub kind: Spanned<Kind>,
    /// Short name of the organ, as in the title and header: "FVG".
    #[schemars(with = "String")]
    pub organ: Spanned<String>,
    /// The number of the first §; default 1.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub first_paragraf: Option<Spanned<i64>>,
    /// The chair's name; must be one of the people present.
    #[schemars(with = "String")]
    pub ordforande: Spanned<String>,
    /// The secretary's name (need not be listed as present).
    #[schemars(with = "String")]
    pub sekreterare: Spanned<String>,
    /// The justerare; each must be present.
    #[schemars(with = "Vec<String>")]
    pub justerare: Spanned<Vec<Spanned<String>>>,
    /// The day the protocol was approved (justerat), 2020-09-18. Without it, it is a draft:
    /// every page says "UTKAST – ej justerat".
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub justerad: Option<Spanned<Datetime>>,
    pub organisation: RawOrganisation,
    pub meeting: RawTime,
    pub attendance: RawAttendance,
    /// The §, in order; numbered automatically.
    #[serde(default)]
    pub paragraf: Vec<RawParagraf>,
    /// The bilagor; numbered in the order the text first refers to them.
    #[serde(default)]
    pub bilaga: Vec<RawBilaga>,
    /// The web edition's notice on page 1 (`assemble publish`); default: that it is the web
    /// edition and that withheld material has been removed, the reasons stated where it was.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) webbtext: Option<Spanned<String>>,
    /// Numbers written like a personnummer that are not one (a telephone number, a payment
    /// reference, a case number), each with why: `assemble publish` lets exactly these pass,
    /// and the record keeps the list.
    #[serde(default)]
    pub inte_personnummer: Vec<RawInteNummer>,
    /// How and by whom the protocol was justerat: on paper (the default) or digitally
    /// through a named service, who signed and when. Optional.
    #[serde(default)]
    pub justering: Option<justering::RawJustering>,
    /// Corrections of obvious slips in the justerat protocol, in the order decided. Each
    /// makes a new version of the protocol with a note at the § and on page 1; the justerat
    /// original is kept as it was. The § keep their text as justerat.
    #[serde(default)]
    pub rattelse: Vec<justering::RawRattelse>,
}

/// `[[inte_personnummer]]`: a number the guard would take for a personnummer, declared not
/// to be one.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawInteNummer {
    /// The number as written in the protocol: "0704875749", "200421-1500".
    #[schemars(with = "String")]
    pub nummer: Spanned<String>,
    /// Why it is not a personnummer: "växelns telefonnummer", "OCR-nummer för avgiften".
    #[schemars(with = "String")]
    pub skal: Spanned<String>,
}

/// The kind of protocol; decides the template and the checks that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Förvaltningsgrupp: the employer and the unions in samverkan.
    Fvg,
    /// Nämnd: the elected committee; its own file shape ([`namnd::RawNamndMeeting`]).
    Namnd,
}

/// `kind = "fvg"` (for the schema: tells the two shapes apart).
#[derive(Clone, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum FvgKind {
    /// Förvaltningsgrupp: the employer and the unions in samverkan.
    Fvg,
}

/// A meeting file as read, of either kind (chosen by its `kind`).
// One value per meeting file, moved once: boxing a variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum RawProtocol {
    Fvg(RawFvgMeeting),
    Namnd(namnd::RawNamndMeeting),
}

/// A meeting file: an FVG meeting (kind = "fvg") or a nämnd meeting (kind = "namnd").
#[derive(Clone, JsonSchema)]
#[serde(untagged)]
#[schemars(title = "protokoll meeting file")]
#[allow(dead_code, clippy::large_enum_variant)]
enum AnyMeeting {
    Fvg(RawFvgMeeting),
    Namnd(namnd::RawNamndMeeting),
}

/// A TOML date such as 2020-09-17.
pub(crate) struct TomlDate;

impl JsonSchema for TomlDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TomlDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A date, written as a TOML date: 2020-09-17"
        })
    }
}

/// The organisation, for the header and the footer of the protocol's last page.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    /// "Stockholms stad"
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// "Arbetsmarknadsförvaltningen": in every page header.
    #[schemars(with = "String")]
    pub forvaltning: Spanned<String>,
    /// Footer: "Livdjursgatan 4"
    pub address: Option<String>,
    /// Footer, printed "Telefon …"
    pub phone: Option<String>,
    /// Footer
    pub(crate) email: Option<String>,
    /// Footer
    pub web: Option<String>,
    /// The page whose foot carries the footer lines: "last-page" (the default: the
    /// protocol's last page, before the bilagor, as in Stockholms stad's FVG protocols) or
    /// "first-page".
    pub footer_on: Option<FooterPage>,
}

/// The page of the protocol that carries the organisation's footer (address, phone, e-mail,
/// web). Only one page does; the bilagor never do. The default follows the real FVG protocol
/// of 2020-09-17 (`../shared/seeds/000`), whose contact lines stand at the foot of its last
/// page only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FooterPage {
    /// The protocol's last page (before the bilagor).
    #[default]
    LastPage,
    /// The protocol's first page (the cover).
    FirstPage,
}

/// When and where.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTime {
    /// The day of the meeting; the weekday and Swedish date are derived.
    #[schemars(with = "TomlDate")]
    pub date: Spanned<Datetime>,
    /// Start time, "09:00"
    #[schemars(with = "String", regex(pattern = r"^[0-2][0-9]:[0-5][0-9]$"))]
    pub start: Spanned<String>,
    /// End time, "10:50"; after `start`. Required once the meeting is held; a planned
    /// nämnd meeting (`status = "planerat"`) may leave it out.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = r"^[0-2][0-9]:[0-5][0-9]$"))]
    pub end: Option<Spanned<String>>,
    /// "Livdjursgatan 4, konferensrummet Maracanã"
    #[schemars(with = "String")]
    pub place: Spanned<String>,
    /// Remote medium, "Skype": the place gets "samt via Skype", remote people "(Skype)".
    #[schemars(with = "Option<String>")]
    pub remote: Option<Spanned<String>>,
}

/// Who was there, in groups, and who had sent word they could not come.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAttendance {
    /// "Anmält förhinder/frånvarande"
    #[serde(default)]
    #[schemars(with = "Vec<RawPerson>")]
    pub absent: Vec<Spanned<RawPerson>>,
    /// The groups under "Närvarande", in order.
    #[serde(default)]
    pub group: Vec<RawGroup>,
}

/// A group under "Närvarande", e.g. "För arbetsgivaren".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    /// "För arbetsgivaren", "För arbetstagarna"
    #[schemars(with = "String")]
    pub heading: Spanned<String>,
    #[schemars(with = "Vec<RawPerson>")]
    pub people: Vec<Spanned<RawPerson>>,
}

/// A person: printed "name, role, huvudskyddsombud, union".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    /// Full name
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Title or role, "HR-chef"
    pub role: Option<String>,
    /// Printed "huvudskyddsombud" after the role
    #[serde(default)]
    pub(crate) huvudskyddsombud: bool,
    /// The union, "Lärarnas Riksförbund"
    pub union: Option<String>,
    /// Took part remotely: "(Skype)"
    #[serde(default)]
    pub remote: bool,
    /// Present only for some §: "1-7, 9" prints "Närvarande under §1-7 och §9"; the numbers
    /// must be § of this meeting.
    #[schemars(with = "Option<String>")]
    pub only: Option<Spanned<String>>,
    /// Not named in the web edition (e.g. skyddad identitet): the name is replaced by the
    /// notice with this reason wherever the meeting file writes it. Bilagor are marked apart.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sekretess: Option<Spanned<String>>,
}

/// One §.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawParagraf {
    /// "Mötets öppnande"
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// Opens a group heading before this §: "Information", "Dialog", "Ärendehantering"
    #[schemars(with = "Option<String>")]
    pub group: Option<Spanned<String>>,
    /// The body, Markdown; refer to a bilaga as {bilaga:ID}.
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// Statements attributed to a party, in order, after the text.
    #[serde(default)]
    pub said: Vec<RawSaid>,
    /// Sub-items with their own heading, e.g. each nämndärende.
    #[serde(default)]
    pub item: Vec<RawItem>,
    /// Markdown after the statements and items.
    #[schemars(with = "Option<String>")]
    pub closing: Option<Spanned<String>>,
    /// Withheld from the web edition: only the § number, its title (or `webbtitel`) and this
    /// reason are published ("OSL 26 kap. 1 §", "personuppgift").
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sekretess: Option<Spanned<String>>,
    /// The neutral title the web edition prints for a § marked `sekretess`; default the title.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub webbtitel: Option<Spanned<String>>,
}

/// A sub-item of a §.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    /// The sub-heading, e.g. the nämndärende's title.
    #[schemars(with = "String")]
    pub heading: Spanned<String>,
    /// Case numbers, printed under the heading: "AMN 2020-0654-1.6" (letters, space,
    /// year-number-class).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub diarienummer: Vec<Spanned<String>>,
    /// The body, Markdown.
    #[schemars(with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// Statements attributed to a party, in order, after the text.
    #[serde(default)]
    pub said: Vec<RawSaid>,
    /// Markdown after the statements.
    #[schemars(with = "Option<String>")]
    pub closing: Option<Spanned<String>>,
}

/// A statement: printed "**by** verb text".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSaid {
    /// Who: "Lärarnas Riksförbund", "Förvaltningen"
    #[schemars(with = "String")]
    pub by: Spanned<String>,
    /// "undrade", "svarade", "stödjer"
    #[schemars(with = "String")]
    pub(crate) verb: Spanned<String>,
    /// The rest of the statement, Markdown.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

/// A bilaga (attachment): its content is a `file` or yrkanden as `topic` tables.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [{ "required": ["file"] }, { "required": ["topic"] }]))]
pub struct RawBilaga {
    /// How the text refers to it: {bilaga:ID}. Letters a-z, digits and -.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9-]+$"))]
    pub id: Spanned<String>,
    /// Printed at its head and in the PDF outline.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// Who submitted it: "SACO-rådet". For yrkanden (`topic`), the party that yrkar.
    pub from: Option<String>,
    /// Its content, relative to the meeting file's folder: a Markdown (.md), Word (.docx) or
    /// PDF (.pdf) file. Give either `file` or `topic`, not both.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub file: Option<Spanned<String>>,
    /// How the yrkanden name `from`: "LR" in "LR yrkar:" and "stödjer LRs yrkande". Default:
    /// the short form of `from` (LR for Lärarnas Riksförbund, SACO for SACO-rådet), else
    /// `from` as written.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(crate) from_short: Option<Spanned<String>>,
    /// Yrkanden as structure, instead of a `file`: numbered topics, each with the party's
    /// reasoning and its yrkanden ("LR yrkar: att …") with supporters and answers.
    #[serde(default)]
    #[schemars(with = "Vec<RawTopic>")]
    pub topic: Vec<Spanned<RawTopic>>,
    /// Its closing signature: the name on one line, then "title, place den 14 september 2020."
    #[schemars(with = "Option<RawSignature>")]
    pub signature: Option<Spanned<RawSignature>>,
    /// Not published: the web edition shows only its number, title and this reason (a rule,
    /// "OSL 26 kap. 1 §", or a kind, "personuppgift"). The official protocol is unchanged.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sekretess: Option<Spanned<String>>,
    /// A PDF bilaga, whose text the guard cannot read: `true` once it has been reviewed and
    /// may be published in the web edition (else mark it `sekretess`).
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub publiceras: Option<Spanned<bool>>,
}

/// One numbered topic of a yrkanden bilaga: "1. Kompetensförsörjning".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    /// "Kompetensförsörjning"; numbered automatically.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// The party's reasoning before its yrkanden, Markdown.
    #[schemars(with = "Option<String>")]
    pub(crate) reasoning: Option<Spanned<String>>,
    /// The yrkanden of this topic, in order; printed after "LR yrkar:".
    #[serde(default)]
    #[schemars(with = "Vec<RawYrkande>")]
    pub yrkande: Vec<Spanned<RawYrkande>>,
}

/// One yrkande: what is demanded, who supports it and the förvaltning's answer.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawYrkande {
    /// The demand, Markdown, as an att-sats: "att förvaltningen …"
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// The organisations that support it: ["Lärarförbundet", "SACO"]; each must be the union
    /// of someone present. Printed "Lärarförbundet och SACO stödjer LRs yrkande."
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub supported_by: Vec<Spanned<String>>,
    /// The förvaltning's answer, Markdown; printed after "Besvaras:". Required once the
    /// protocol is justerat.
    #[schemars(with = "Option<String>")]
    pub answer: Option<Spanned<String>>,
}

/// A closing signature: the name, then "title, place den date."
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSignature {
    /// Who signed it.
    pub name: Option<String>,
    /// "Ordförande för SACO-rådet"
    pub title: Option<String>,
    /// "Kista"
    pub place: Option<String>,
    /// The day it was signed.
    #[schemars(with = "Option<TomlDate>")]
    pub date: Option<Spanned<Datetime>>,
}

/// The JSON Schema of the meeting file (either kind), pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(AnyMeeting);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
