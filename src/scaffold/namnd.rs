//! `assemble new` for a nämnd: the next meeting started from the previous one, or a commented
//! skeleton. What it writes passes `assemble check` as a draft and renders.
//!
//! From the previous meeting it carries what recurs — organ, nämnd, organisation, seats, the
//! members (everyone expected: last time's förhinder take their seats again — ledamöter as
//! ledamöter, ersättare as ersättare, from `forhinder_ledamoter`/`forhinder_ersattare` —
//! nobody serves for anyone yet), föredragande and others present, sekreterare, place, the
//! anslag's förvaring, the house style and numbering, and the nämnd's own fixed and
//! recurring items with their titles — and continues the § numbering through the year, or
//! starts at § 1 for a nämnd that numbers per meeting. It leaves out what belonged to that meeting: the ärenden, bilagor, votes, jäv,
//! reservations, who served in which §, the justering.

use std::fmt::Write as _;

use time::Date;

use super::{comment, q};
use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::raw::namnd::{
    Numbering, RawMember, RawNamndMeeting, RawNamndParagraf, RawOfficial, Typ,
};

/// `new --from` a fragment: an excerpt is not a meeting to continue from (its attendance
/// and § are only those the source gave). At the `fragment = true` line.
pub(crate) fn fragment_refused(file: &SourceFile, date: Date) -> Diagnostic {
    #[derive(serde::Deserialize)]
    struct At {
        fragment: Option<toml::Spanned<bool>>,
    }
    let diag = Diagnostic::error(
        "this is a fragment (an excerpt of a protocol), not a meeting to continue from",
    )
    .with_hint(format!(
        "start from the last whole protocol, or from a skeleton: `assemble new --kind namnd --date {date}`"
    ));
    match toml::from_str::<At>(&file.text)
        .ok()
        .and_then(|a| a.fragment)
    {
        Some(f) => diag.at(file, f.span()),
        None => diag,
    }
}

/// A warning when the new meeting is not after the previous one: its § numbering would run
/// on from a later meeting. At the previous meeting's date.
pub(crate) fn date_warning(
    previous: &RawNamndMeeting,
    file: &SourceFile,
    date: Date,
) -> Option<Diagnostic> {
    let at = &previous.meeting.as_ref()?.date;
    let d = at.get_ref().date?;
    let then = Date::from_calendar_date(
        i32::from(d.year),
        time::Month::try_from(d.month).ok()?,
        d.day,
    )
    .ok()?;
    (date <= then).then(|| {
        Diagnostic::warning(format!(
            "the new meeting ({date}) is not after this one ({then}): its § numbering runs on from this one"
        ))
        .at(file, at.span())
        .with_hint("check --date; to start from an earlier meeting, give that one as --from")
    })
}

/// The fixed items, in the usual order, when the previous meeting had none.
const FIXED: &[Typ] = &[
    Typ::Oppnande,
    Typ::Justerare,
    Typ::Anmalningsarenden,
    Typ::Fragor,
    Typ::Information,
];

/// The `typ = "…"` value of a fixed item.
fn typ_key(typ: Typ) -> &'static str {
    match typ {
        Typ::Arende => "arende",
        Typ::Oppnande => "oppnande",
        Typ::Justerare => "justerare",
        Typ::Anmalningsarenden => "anmalningsarenden",
        Typ::Fragor => "fragor",
        Typ::Information => "information",
    }
}

/// Where the ärenden go, between the fixed items.
const ARENDE_HINT: &str = "\n# Add the ärenden here, each as
# [[paragraf]]
# title = \"…\"
# diarienummer = [\"AMN 2020-0000-1.1\"]
# beslut = [\"Nämnden beslutade att …\"]     # with a beslut: also forslag/beslutsgang (see docs/meeting-file.md)
";

/// What a fixed item holds, as a comment to fill in.
fn fill_in(typ: Typ) -> Option<&'static str> {
    match typ {
        Typ::Anmalningsarenden => Some(
            "# text = \"Nämnden beslutade att lägga anmälningsärendena till handlingarna.\"\n\
             # anmalningar = [\"…\", \"…\"]          # printed a), b), …",
        ),
        Typ::Fragor => Some("# text = \"…\"                         # the questions and answers"),
        Typ::Information => Some("# text = \"Förvaltningschefen informerade om …\""),
        _ => None,
    }
}

/// The number of the next meeting's first §: on from the previous meeting in the same year,
/// 1 in a new one (nämnder number their § through the year).
pub(crate) fn next_first_paragraf(previous: &RawNamndMeeting, date: Date) -> (i64, bool) {
    if numbering(previous) == Numbering::Meeting {
        return (1, false);
    }
    let year = previous
        .meeting
        .as_ref()
        .and_then(|m| m.date.get_ref().date)
        .map(|d| i32::from(d.year))
        .or_else(|| {
            previous
                .year
                .as_ref()
                .and_then(|y| i32::try_from(*y.get_ref()).ok())
        });
    if year == Some(date.year()) {
        let first = previous.first_paragraf.as_ref().map_or(1, |f| *f.get_ref());
        (first.saturating_add(previous.paragraf.len() as i64), true)
    } else {
        (1, false)
    }
}

/// How the nämnd numbers its § (default: through the year).
fn numbering(previous: &RawNamndMeeting) -> Numbering {
    previous
        .numbering
        .as_ref()
        .map_or(Numbering::Year, |n| *n.get_ref())
}

/// The members expected at the next meeting: ledamöter (ordförande and vice ordförande
/// apart) and ej tjänstgörande ersättare. Last time's förhinder come back as ledamöter when a
/// tjänstgörande ersättare stood in for them, or while the seats are not all filled; the
/// others, and last time's tjänstgörande ersättare, as ersättare.
fn members(previous: &RawNamndMeeting) -> (Vec<&RawMember>, Vec<&RawMember>) {
    let a = &previous.attendance;
    let mut ledamoter: Vec<&RawMember> = a.ledamoter.iter().map(|m| m.get_ref()).collect();
    let officers = usize::from(a.ordforande.is_some()) + usize::from(a.vice_ordforande.is_some());
    let seats = previous
        .seats
        .as_ref()
        .and_then(|s| usize::try_from(*s.get_ref()).ok())
        .unwrap_or(usize::MAX);
    let replaced = |m: &RawMember| {
        a.tjanstgorande
            .iter()
            .any(|t| t.get_ref().replaces.as_ref().map(|r| r.get_ref()) == Some(m.name.get_ref()))
    };
    let mut ersattare: Vec<&RawMember> = Vec::new();
    // Those stood in for first: they are surely ledamöter.
    let (first, rest): (Vec<_>, Vec<_>) = a
        .forhinder
        .iter()
        .map(|m| m.get_ref())
        .partition(|m| replaced(m));
    for m in first.into_iter().chain(rest) {
        if officers + ledamoter.len() < seats {
            ledamoter.push(m);
        } else {
            ersattare.push(m);
        }
    }
    // Split förhinder say who holds a seat: no guessing from the seats or the list's order.
    ledamoter.extend(a.forhinder_ledamoter.iter().map(|m| m.get_ref()));
    ersattare.extend(a.tjanstgorande.iter().map(|m| m.get_ref()));
    ersattare.extend(a.ersattare.iter().map(|m| m.get_ref()));
    ersattare.extend(a.forhinder_ersattare.iter().map(|m| m.get_ref()));
    // Each name once (the check refuses a name twice), in the first place it came.
    let mut seen: Vec<&str> = [&a.ordforande, &a.vice_ordforande]
        .into_iter()
        .flatten()
        .map(|m| m.get_ref().name.get_ref().as_str())
        .collect();
    for list in [&mut ledamoter, &mut ersattare] {
        list.retain(|m| {
            let name = m.name.get_ref().as_str();
            let first = !seen.contains(&name);
            seen.push(name);
            first
        });
    }
    (ledamoter, ersattare)
}

/// Last time's justerare who serve this time (an ersättare who served then does not now);
/// if none is left, the vice ordförande or else the first ledamot, to be changed at the meeting.
fn justerare<'a>(previous: &'a RawNamndMeeting, ledamoter: &[&'a RawMember]) -> Vec<&'a String> {
    let a = &previous.attendance;
    let serving: Vec<&String> = [&a.vice_ordforande]
        .into_iter()
        .flatten()
        .map(|m| m.get_ref())
        .chain(ledamoter.iter().copied())
        .map(|m| m.name.get_ref())
        .collect();
    let ordforande = a.ordforande.as_ref().map(|m| m.get_ref().name.get_ref());
    let kept: Vec<&String> = previous
        .justerare
        .iter()
        .flat_map(|j| j.get_ref())
        .map(|n| n.get_ref())
        .filter(|n| serving.contains(n) || Some(*n) == ordforande)
        .collect();
    if kept.is_empty() {
        serving.into_iter().take(1).collect()
    } else {
        kept
    }
}

/// `{ name = "…", party = "…" }`: who and which party, nothing of the last meeting — but
/// a person's `sekretess` (skyddad identitet) is who they are, not what happened last time:
/// dropped, their name would be published at the next meeting.
fn member(m: &RawMember) -> String {
    let mut fields = vec![
        format!("name = {}", q(m.name.get_ref())),
        format!("party = {}", q(m.party.get_ref())),
    ];
    if let Some(s) = &m.sekretess {
        fields.push(format!("sekretess = {}", q(s.get_ref())));
    }
    format!("{{ {} }}", fields.join(", "))
}

fn official(o: &RawOfficial) -> String {
    match &o.role {
        Some(r) => format!("{{ name = {}, role = {} }}", q(o.name.get_ref()), q(r)),
        None => format!("{{ name = {} }}", q(o.name.get_ref())),
    }
}

fn list<T>(out: &mut String, key: &str, items: &[T], show: impl Fn(&T) -> String) {
    if items.is_empty() {
        let _ = writeln!(out, "{key} = []");
        return;
    }
    let _ = writeln!(out, "{key} = [");
    for i in items {
        let _ = writeln!(out, "  {},", show(i));
    }
    let _ = writeln!(out, "]");
}

/// The next nämnd meeting, started from `previous` (file name `from_name`), on `date`.
pub(crate) fn from_previous(previous: &RawNamndMeeting, date: Date, from_name: &str) -> String {
    let mut out = String::new();
    let organ = previous.organ.get_ref();
    let _ = writeln!(
        out,
        "# Protokoll {} {date}: started from {} by `assemble new`.\n\
         # Fill in the ärenden; choose the justerare at the meeting; add `justerad = YYYY-MM-DD`\n\
         # when the protocol is justerat — until then every page says it is a draft.\n",
        comment(organ),
        comment(from_name)
    );
    let _ = writeln!(out, "kind = \"namnd\"");
    let _ = writeln!(out, "organ = {}", q(organ));
    let _ = writeln!(out, "namnd = {}", q(previous.namnd.get_ref()));
    if let Some(s) = &previous.seats {
        let _ = writeln!(out, "seats = {}", s.get_ref());
    }
    if numbering(previous) == Numbering::Meeting {
        let _ = writeln!(out, "numbering = \"meeting\"  # every meeting from § 1");
    } else {
        if previous.numbering.is_some() {
            let _ = writeln!(out, "numbering = \"year\"");
        }
        let (first, continued) = next_first_paragraf(previous, date);
        let _ = writeln!(
            out,
            "first_paragraf = {first}  # {}",
            if continued {
                "on from the last § of the previous meeting"
            } else {
                "a new year: the numbering starts again"
            }
        );
    }
    if let Some(s) = &previous.sekreterare {
        let _ = writeln!(out, "sekreterare = {}", q(s.get_ref()));
    }
    let (ledamoter, ersattare) = members(previous);
    let justerare = justerare(previous, &ledamoter);
    if !justerare.is_empty() {
        let names: Vec<String> = justerare.iter().map(|n| q(n)).collect();
        let _ = writeln!(
            out,
            "justerare = [{}]  # change to those chosen at the meeting: members who serve",
            names.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n# [justering]                        # the agreed justering, printed under \"Val av justerare\"\n\
         # date = YYYY-MM-DD\n# time = \"14:00\"\n# place = \"…\""
    );
    if let Some(f) = previous.anslag.as_ref().and_then(|a| a.forvaring.as_ref()) {
        let _ = writeln!(out, "\n[anslag]\nforvaring = {}", q(f.get_ref()));
    }
    if previous.husstil.is_some() {
        husstil(&mut out, previous);
    }

    super::write_organisation(&mut out, &previous.organisation);

    let _ = writeln!(out, "\n[meeting]\ndate = {date}");
    match &previous.meeting {
        Some(m) => {
            let _ = writeln!(out, "start = {}", q(m.start.get_ref()));
            if let Some(end) = &m.end {
                let _ = writeln!(
                    out,
                    "end = {}  # the previous meeting's end: correct it after the meeting",
                    q(end.get_ref())
                );
            }
            let _ = writeln!(out, "place = {}", q(m.place.get_ref()));
            if let Some(r) = &m.remote {
                let _ = writeln!(out, "remote = {}", q(r.get_ref()));
            }
        }
        None => {
            let _ = writeln!(out, "start = \"15:00\"\nend = \"17:00\"\nplace = \"…\"");
        }
    }

    let a = &previous.attendance;
    let _ = writeln!(
        out,
        "\n# Everyone is expected. Move who sends word to `forhinder_ledamoter` or\n\
         # `forhinder_ersattare`; a tjänstgörande ersättare to `tjanstgorande` with\n\
         # `for = \"the ledamot\"`.\n[attendance]"
    );
    if let Some(m) = &a.ordforande {
        let _ = writeln!(out, "ordforande = {}", member(m.get_ref()));
    }
    if let Some(m) = &a.vice_ordforande {
        let _ = writeln!(out, "vice_ordforande = {}", member(m.get_ref()));
    }
    list(&mut out, "ledamoter", &ledamoter, |m| member(m));
    let _ = writeln!(out, "tjanstgorande = []");
    list(&mut out, "ersattare", &ersattare, |m| member(m));
    let _ = writeln!(out, "forhinder_ledamoter = []");
    let _ = writeln!(out, "forhinder_ersattare = []");
    list(&mut out, "foredragande", &a.foredragande, |o| {
        official(o.get_ref())
    });
    list(&mut out, "ovriga", &a.ovriga, |o| official(o.get_ref()));

    paragrafer(&mut out, previous);
    out
}

/// An item of the next meeting's agenda.
enum Item<'a> {
    /// The place of the ärenden.
    Arenden,
    /// A fixed item of the built-in list (the previous meeting had none of its own).
    Fixed(Typ),
    /// One of the nämnd's own fixed or recurring items, carried with its title.
    Carried(&'a RawNamndParagraf),
}

fn typ(p: &RawNamndParagraf) -> Typ {
    p.typ.as_ref().map_or(Typ::Arende, |t| *t.get_ref())
}

/// The previous meeting's fixed items and the items marked `recurring`, in its order, with
/// their own titles and marks but without content, and a comment where its ärenden were;
/// the built-in five when it had none.
fn paragrafer(out: &mut String, previous: &RawNamndMeeting) {
    let mut items: Vec<Item> = Vec::new();
    for p in &previous.paragraf {
        if typ(p) != Typ::Arende || p.recurring {
            items.push(Item::Carried(p));
        } else if !matches!(items.last(), Some(Item::Arenden)) {
            items.push(Item::Arenden);
        }
    }
    if !items.iter().any(|i| matches!(i, Item::Carried(_))) {
        items = FIXED.iter().map(|t| Item::Fixed(*t)).collect();
        items.insert(2, Item::Arenden);
    } else if !items.iter().any(|i| matches!(i, Item::Arenden)) {
        let at = items
            .iter()
            .position(|i| {
                !matches!(i, Item::Carried(p) if matches!(typ(p), Typ::Oppnande | Typ::Justerare))
            })
            .unwrap_or(items.len());
        items.insert(at, Item::Arenden);
    }
    for item in items {
        match item {
            Item::Arenden => out.push_str(ARENDE_HINT),
            Item::Fixed(t) => {
                let _ = writeln!(out, "\n[[paragraf]]\ntyp = \"{}\"", typ_key(t));
                if let Some(hint) = fill_in(t) {
                    let _ = writeln!(out, "{hint}");
                }
            }
            Item::Carried(p) => {
                let t = typ(p);
                let _ = writeln!(out, "\n[[paragraf]]");
                if t != Typ::Arende {
                    let _ = writeln!(out, "typ = \"{}\"", typ_key(t));
                }
                if let Some(title) = &p.title {
                    let _ = writeln!(out, "title = {}", q(title.get_ref()));
                }
                if p.arende.as_ref().is_some_and(|a| !*a.get_ref()) {
                    let _ = writeln!(out, "arende = false");
                }
                if p.recurring {
                    let _ = writeln!(out, "recurring = true");
                }
                if p.beslut_heading == Some(false) {
                    let _ = writeln!(out, "beslut_heading = false");
                }
                if let Some(hint) = fill_in(t) {
                    let _ = writeln!(out, "{hint}");
                } else if t == Typ::Arende {
                    let _ = writeln!(
                        out,
                        "# beslut = [\"…\"]                       # recurs every meeting"
                    );
                }
            }
        }
    }
}

/// The meeting's own `[husstil]`, carried as written.
fn husstil(out: &mut String, previous: &RawNamndMeeting) {
    let Some(h) = &previous.husstil else { return };
    let _ = writeln!(out, "\n[husstil]");
    if let Some(v) = &h.font_size {
        let _ = writeln!(out, "font_size = {}", v.get_ref());
    }
    if let Some(v) = &h.new_page {
        let key = match v.get_ref() {
            crate::meeting::raw::namnd::NewPage::None => "none",
            crate::meeting::raw::namnd::NewPage::Arenden => "arenden",
            crate::meeting::raw::namnd::NewPage::All => "all",
        };
        let _ = writeln!(out, "new_page = \"{key}\"");
    }
    for (key, value) in [
        ("number_own_line", h.number_own_line),
        ("attendance_alone", h.attendance_alone),
        ("signatures_alone", h.signatures_alone),
        ("beslut_heading", h.beslut_heading),
    ] {
        if let Some(b) = value {
            let _ = writeln!(out, "{key} = {b}");
        }
    }
    if let Some(f) = &h.foredragande {
        let key = match f.get_ref() {
            crate::meeting::raw::namnd::Foredragande::Rows => "rows",
            crate::meeting::raw::namnd::Foredragande::Sentence => "sentence",
        };
        let _ = writeln!(out, "foredragande = \"{key}\"");
    }
    if let Some(m) = &h.margins {
        let _ = writeln!(out, "\n[husstil.margins]");
        for (key, value) in [
            ("top", &m.top),
            ("bottom", &m.bottom),
            ("left", &m.left),
            ("right", &m.right),
        ] {
            if let Some(v) = value {
                let _ = writeln!(out, "{key} = {}", v.get_ref());
            }
        }
    }
    if let Some(f) = &h.fraser {
        let _ = writeln!(out, "\n[husstil.fraser]");
        for (key, value, _) in f.entries() {
            if let Some(v) = value {
                let _ = writeln!(out, "{key} = {}", q(v.get_ref()));
            }
        }
    }
}

/// A commented skeleton for a new nämnd meeting on `date`.
pub fn skeleton(date: Date) -> String {
    format!(
        r#"# A new nämnd protocol. Every key is explained in docs/meeting-file.md ("The nämnd meeting file").
# Replace the names below; add `justerad = YYYY-MM-DD` when the protocol is justerat —
# until then every page says it is a draft.

kind = "namnd"
organ = "AMN"                           # in the header: "Protokoll AMN {date}"
namnd = "Arbetsmarknadsnämnden"         # definite form: "Arbetsmarknadsnämndens beslut"
seats = 5                               # ledamöter (not ersättare); quorum: more than half
first_paragraf = 1                      # nämnder number their § through the year
# numbering = "meeting"                # instead: every meeting from § 1 (then no first_paragraf)
sekreterare = "Förnamn Sekreterare"     # "Vid protokollet"
justerare = ["Förnamn Vice"]            # chosen at the meeting; a member who serves

# [justering]                           # the agreed justering, printed under "Val av justerare"
# date = YYYY-MM-DD
# time = "14:00"
# place = "Förvaltningen, Gatan 1"

# [anslag]                              # for `assemble anslag`
# forvaring = "Förvaltningen, Gatan 1"  # where the protocol is kept

[organisation]
name = "Kommunens namn"
forvaltning = "Förvaltningens namn"     # in every page header
# address = "Gatan 1"                   # the footer of the protocol's last page
# phone = "08 123 456"
# email = "registrator@kommun.se"
# web = "kommun.se"
# footer_on = "first-page"              # the footer on the first page instead

[meeting]
date = {date}
start = "15:00"
end = "17:00"
place = "Stadshuset"
# remote = "Teams"

[attendance]
ordforande = {{ name = "Förnamn Ordförande", party = "S" }}
vice_ordforande = {{ name = "Förnamn Vice", party = "M" }}
ledamoter = [
  {{ name = "Förnamn Ledamot", party = "V" }},
  {{ name = "Förnamn Ledamotsson", party = "S" }},
  {{ name = "Förnamn Ledamotsdotter", party = "M", only = "1-4" }},  # left after § 4
]
tjanstgorande = [
  # {{ name = "…", party = "…", for = "the ledamot replaced (under forhinder)" }},
]
ersattare = [                           # ej tjänstgörande: present, do not vote
  {{ name = "Förnamn Ersättare", party = "L" }},
]
forhinder_ledamoter = []                # "Förhinder hade anmälts av ledamöterna …
forhinder_ersattare = []                # … samt ersättarna …"
foredragande = [
  {{ name = "Förnamn Förvaltningschef", role = "förvaltningschef" }},
]
ovriga = []                             # {{ name = "…", role = "borgarrådssekreterare" }}

[[paragraf]]
typ = "oppnande"                        # "Sammanträdets öppnande och godkännande av föredragningslistan"

[[paragraf]]
typ = "justerare"                       # names the justerare and the agreed justering

[[paragraf]]
title = "Ett ärende"
diarienummer = ["AMN {year}-0001-1.1"]
beslut = ["Arbetsmarknadsnämnden beslutade att godkänna förvaltningens förslag."]
arendet = "Vad ärendet gäller."
# tjansteutlatande = YYYY-MM-DD        # the förvaltning's tjänsteutlåtande
beslutsgang = """
Ordföranden föreslog att nämnden skulle besluta enligt förvaltningens förslag till beslut.
"""
# jav = ["…"]                           # members who took no part in the §
# With several proposals: one [[paragraf.forslag]] each, then `bifall = "id"` or a vote:
# [[paragraf.forslag]]
# id = "ordf"
# by = ["Förnamn Ordförande"]
# text = "att nämnden beslutar enligt förvaltningens förslag till beslut."
# [paragraf.omrostning]
# ja_for = "ordf"
# nej_for = "…"
# ja = ["…"]
# nej = ["…"]
# avstar = []
# [[paragraf.reservation]]
# by = ["…"]
# forslag = "…"
# text = "…"

[[paragraf]]
typ = "anmalningsarenden"
text = "Nämnden beslutade att lägga anmälningsärendena till handlingarna."
anmalningar = ["…"]                     # printed a), b), …

[[paragraf]]
typ = "fragor"                          # "Nämndens frågor"
# text = "…"

[[paragraf]]
typ = "information"                     # "Förvaltningsinformation"
# text = "Förvaltningschefen informerade om …"
"#,
        year = date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(seats: &str) -> RawNamndMeeting {
        let text = include_str!("../../data/amn/2020-04-21.toml").replace("seats = 13", seats);
        toml::from_str(&text).unwrap()
    }

    /// The sample with its förhinder in one list, as older files have them.
    fn unsplit(seats: &str) -> RawNamndMeeting {
        let text = include_str!("../../data/amn/2020-04-21.toml")
            .replace("seats = 13", seats)
            .replace("forhinder_ledamoter = [", "forhinder = [");
        toml::from_str(&text).unwrap()
    }

    fn names(members: &[&RawMember]) -> Vec<String> {
        members.iter().map(|m| m.name.get_ref().clone()).collect()
    }

    #[test]
    fn forhinder_fill_the_seats_the_stood_in_for_first() {
        // 11 present (ordförande, vice, 9 ledamöter) and 13 seats: both förhinder are ledamöter.
        let thirteen = unsplit("seats = 13");
        let (ledamoter, ersattare) = members(&thirteen);
        assert_eq!(ledamoter.len(), 11);
        assert!(names(&ledamoter).ends_with(&["Helena Rask".into(), "Mikael Dahl".into()]));
        assert_eq!(
            names(&ersattare),
            ["Farida Amini", "Tobias Lund", "Ida Sjöberg", "Leo Karlsson"]
        );
        // 12 seats: Helena Rask, for whom Farida Amini served, is the ledamot; Mikael Dahl,
        // for whom nobody served, must be an ersättare.
        let twelve = unsplit("seats = 12");
        let (ledamoter, ersattare) = members(&twelve);
        assert!(names(&ledamoter).contains(&"Helena Rask".into()));
        assert_eq!(names(&ersattare)[0], "Mikael Dahl");
    }

    #[test]
    fn split_forhinder_keep_their_seats_whatever_the_seat_count() {
        // The file says both are ledamöter: no guess from the seats.
        let twelve = sample("seats = 12");
        let (ledamoter, ersattare) = members(&twelve);
        assert!(names(&ledamoter).ends_with(&["Helena Rask".into(), "Mikael Dahl".into()]));
        assert!(!names(&ersattare).contains(&"Mikael Dahl".into()));
    }

    #[test]
    fn a_justerare_who_no_longer_serves_gives_way_to_the_vice_ordforande() {
        let kept = sample("seats = 13");
        let (ledamoter, _) = members(&kept);
        assert_eq!(justerare(&kept, &ledamoter), ["Per Lindqvist"]);
        // Farida Amini served for Helena Rask last time; this time she is an ersättare.
        let text = include_str!("../../data/amn/2020-04-21.toml").replace(
            "justerare = [\"Per Lindqvist\"]",
            "justerare = [\"Farida Amini\"]",
        );
        let raw: RawNamndMeeting = toml::from_str(&text).unwrap();
        let (ledamoter, _) = members(&raw);
        assert_eq!(justerare(&raw, &ledamoter), ["Per Lindqvist"]);
        let out = from_previous(
            &raw,
            Date::from_calendar_date(2020, time::Month::May, 19).unwrap(),
            "x",
        );
        assert!(out.contains("justerare = [\"Per Lindqvist\"]"), "{out}");
    }

    #[test]
    fn the_numbering_runs_through_the_year() {
        let raw = sample("seats = 13");
        let may = Date::from_calendar_date(2020, time::Month::May, 19).unwrap();
        let january = Date::from_calendar_date(2021, time::Month::January, 19).unwrap();
        assert_eq!(next_first_paragraf(&raw, may), (39, true));
        assert_eq!(next_first_paragraf(&raw, january), (1, false));
    }
}
