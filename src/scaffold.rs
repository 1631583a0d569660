//! `assemble new`: the next meeting's file, started from the previous one, or a commented
//! skeleton. What it writes passes `assemble check` as a draft and renders.
//!
//! From a previous meeting it carries over what recurs — organ, organisation, officials,
//! attendance (everyone, as expected attendees), place, the agenda (every § title and group
//! heading) and the balanslista's content — and leaves out what belonged to that meeting:
//! the content of the §, bilagor, who was remote or absent, the justering.
//!
//! This module does the FVG meeting; [`namnd`] the nämnd meeting, whose file has its own shape.

mod comments;
pub mod namnd;
mod start;

pub use start::{Draft, planned, start};

use std::fmt::Write as _;

use time::Date;

use crate::meeting::raw::{RawFvgMeeting, RawParagraf, RawPerson};

/// Titles whose content recurs from meeting to meeting.
const CARRIED_CONTENT: &[&str] = &["balanslista"];

/// The `[organisation]` table as the previous meeting had it (the same for both kinds).
fn write_organisation(out: &mut String, o: &crate::meeting::raw::RawOrganisation) {
    let _ = writeln!(out, "\n[organisation]");
    let _ = writeln!(out, "name = {}", q(o.name.get_ref()));
    let _ = writeln!(out, "forvaltning = {}", q(o.forvaltning.get_ref()));
    for (key, value) in [
        ("address", &o.address),
        ("phone", &o.phone),
        ("email", &o.email),
        ("web", &o.web),
    ] {
        if let Some(v) = value {
            let _ = writeln!(out, "{key} = {}", q(v));
        }
    }
    if o.footer_on == Some(crate::meeting::raw::FooterPage::FirstPage) {
        let _ = writeln!(out, "footer_on = \"first-page\"");
    }
}

/// A TOML string literal holding exactly `text`, from the TOML serializer: a value from the
/// previous meeting (a newline, quotes, `'''`, control characters) can never end the string
/// and become a key of the new file (issue 13). Text with line breaks becomes a multi-line
/// string.
fn q(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// `text` for a `#` comment line: a line break or other control character (from an organ's
/// name, a file name) written as its `\u{…}` escape, so that nothing after it starts a line
/// of live TOML (issue 13).
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The next meeting, started from `previous` (its text `source`), on `date`.
pub(crate) fn from_previous(previous: &RawFvgMeeting, date: Date, from_name: &str) -> String {
    let mut out = String::new();
    let organ = previous.organ.get_ref();
    let _ = writeln!(
        out,
        "# Protokoll {} {date}: started from {} by `assemble new`.",
        comment(organ),
        comment(from_name)
    );
    let _ = writeln!(
        out,
        "# Fill in the §; add `justerad = YYYY-MM-DD` when the protocol is approved.\n"
    );
    let _ = writeln!(out, "kind = \"fvg\"");
    let _ = writeln!(out, "organ = {}", q(organ));
    if let Some(first) = &previous.first_paragraf {
        let next = first
            .get_ref()
            .saturating_add(previous.paragraf.len() as i64);
        let _ = writeln!(
            out,
            "first_paragraf = {next}  # continues the numbering of the previous meeting"
        );
    }
    let _ = writeln!(out, "ordforande = {}", q(previous.ordforande.get_ref()));
    let _ = writeln!(out, "sekreterare = {}", q(previous.sekreterare.get_ref()));
    let justerare: Vec<String> = previous
        .justerare
        .get_ref()
        .iter()
        .map(|j| q(j.get_ref()))
        .collect();
    let _ = writeln!(
        out,
        "justerare = [{}]  # the previous meeting's: change to this meeting's",
        justerare.join(", ")
    );

    write_organisation(&mut out, &previous.organisation);

    let m = &previous.meeting;
    let announced = announced_start(&previous.paragraf);
    let start = announced
        .clone()
        .unwrap_or_else(|| m.start.get_ref().clone());
    let end = match &m.end {
        Some(e) if e.get_ref().as_str() > start.as_str() => e.get_ref().clone(),
        _ => later(&start),
    };
    let _ = writeln!(out, "\n[meeting]");
    let _ = writeln!(out, "date = {date}");
    let _ = writeln!(
        out,
        "start = {}{}",
        q(&start),
        if announced.is_some() {
            "  # as announced under \"Nästa möte\""
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "end = {}  # the previous meeting's end: correct it after the meeting",
        q(&end)
    );
    let _ = writeln!(out, "place = {}", q(m.place.get_ref()));
    if let Some(r) = &m.remote {
        let _ = writeln!(out, "remote = {}", q(r.get_ref()));
    }

    // Everyone from last time is expected: those absent then join the group of their kind.
    let _ = writeln!(out, "\n[attendance]\nabsent = []");
    let groups = &previous.attendance.group;
    let has_union =
        |g: &crate::meeting::raw::RawGroup| g.people.iter().any(|p| p.get_ref().union.is_some());
    let employees = groups.iter().position(has_union).unwrap_or(0);
    let employer = groups.iter().position(|g| !has_union(g)).unwrap_or(0);
    for (i, g) in groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n[[attendance.group]]\nheading = {}\npeople = [",
            q(g.heading.get_ref())
        );
        let absent = previous.attendance.absent.iter().map(|p| p.get_ref());
        let joining = absent.filter(|p| {
            i == if p.union.is_some() {
                employees
            } else {
                employer
            }
        });
        for p in g.people.iter().map(|p| p.get_ref()).chain(joining) {
            let _ = writeln!(out, "  {},", person(p));
        }
        let _ = writeln!(out, "]");
    }

    for p in &previous.paragraf {
        let _ = writeln!(out, "\n[[paragraf]]\ntitle = {}", q(p.title.get_ref()));
        if let Some(g) = &p.group {
            let _ = writeln!(out, "group = {}", q(g.get_ref()));
        }
        let title = p.title.get_ref().to_lowercase();
        if CARRIED_CONTENT.iter().any(|c| title.starts_with(c)) {
            if let Some(t) = &p.text {
                let _ = writeln!(out, "text = {}", q(t.get_ref()));
            }
            if let Some(c) = &p.closing {
                let _ = writeln!(out, "closing = {}", q(c.get_ref()));
            }
        }
    }
    out
}

fn person(p: &RawPerson) -> String {
    let mut fields = vec![format!("name = {}", q(p.name.get_ref()))];
    if let Some(r) = &p.role {
        fields.push(format!("role = {}", q(r)));
    }
    if p.huvudskyddsombud {
        fields.push("huvudskyddsombud = true".into());
    }
    if let Some(u) = &p.union {
        fields.push(format!("union = {}", q(u)));
    }
    // Who must not be named stays so at the next meeting (skyddad identitet).
    if let Some(s) = &p.sekretess {
        fields.push(format!("sekretess = {}", q(s.get_ref())));
    }
    format!("{{ {} }}", fields.join(", "))
}

/// "kl. 09:00" in the previous meeting's "Nästa möte" §, if it says.
fn announced_start(paragrafer: &[RawParagraf]) -> Option<String> {
    let next = paragrafer
        .iter()
        .find(|p| p.title.get_ref().to_lowercase().starts_with("nästa möte"))?;
    let text = next.text.as_ref()?.get_ref();
    let at = text.find("kl.")?;
    let time: String = text[at + 3..].trim_start().chars().take(5).collect();
    let valid = time.len() == 5
        && time.as_bytes()[2] == b':'
        && time[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && time[3..].parse::<u8>().is_ok_and(|m| m < 60);
    valid.then_some(time)
}

/// An hour after `start` (for a meeting whose previous end no longer fits).
fn later(start: &str) -> String {
    // The previous file is not checked before `new`: its start may be anything.
    let hour: u8 = start.get(..2).and_then(|h| h.parse().ok()).unwrap_or(9);
    let minutes = start.get(2..).filter(|m| m.len() == 3).unwrap_or(":00");
    format!("{:02}{}", hour.saturating_add(1).min(23), minutes)
}

/// A commented skeleton for a new FVG meeting on `date`.
pub fn skeleton(date: Date) -> String {
    format!(
        r#"# A new FVG protocol. Every key is explained in docs/meeting-file.md.
# Replace the names below; add `justerad = YYYY-MM-DD` when the protocol is approved —
# until then every page says it is a draft.

kind = "fvg"
organ = "FVG"                         # as in the title: "Protokoll från möte med FVG …"
ordforande = "Förnamn Efternamn"      # must be among those present
sekreterare = "Förnamn Sekreterare"
justerare = ["Förnamn Justerare"]     # must be among those present

[organisation]
name = "Kommunens namn"
forvaltning = "Förvaltningens namn"   # in every page header
# address = "Gatan 1"                 # the footer of the protocol's last page
# phone = "08 123 456"
# email = "registrator@kommun.se"
# web = "kommun.se"
# footer_on = "first-page"            # the footer on the first page instead

[meeting]
date = {date}                    # the weekday and "den 15 oktober 2020" are derived
start = "09:00"
end = "11:00"
place = "Konferensrummet"
# remote = "Teams"                    # then: place "… samt via Teams", people remote = true

[attendance]
absent = []                           # "Anmält förhinder/frånvarande": {{ name = "…", union = "…" }}

[[attendance.group]]
heading = "För arbetsgivaren"
people = [
  {{ name = "Förnamn Efternamn", role = "förvaltningschef" }},
  {{ name = "Förnamn Sekreterare", role = "HR-specialist" }},
]

[[attendance.group]]
heading = "För arbetstagarna"
people = [
  {{ name = "Förnamn Justerare", union = "Vision" }},
  # {{ name = "…", huvudskyddsombud = true, union = "…", remote = true, only = "1-7" }},
]

[[paragraf]]
title = "Mötets öppnande"
text = "Ordförande förklarade mötet för öppnat."

[[paragraf]]
title = "Val av sekreterare"

[[paragraf]]
title = "Val av justerare och justeringsdag"

[[paragraf]]
title = "Föregående protokoll"

[[paragraf]]
title = "Godkännande av dagordning"

[[paragraf]]
title = "Information om verksamheten i förvaltningen"
group = "Information"
# [[paragraf.item]]
# heading = "Ett ärende"
# diarienummer = ["AMN 2020-0654-1.6"]
# text = "Förvaltningschef föredrog ärendet."
# [[paragraf.item.said]]
# by = "Vision"
# verb = "undrade"
# text = "om …"

[[paragraf]]
title = "Nästa möte"

[[paragraf]]
title = "Mötet avslutades"
text = "Ordförande tackade för deltagandet."

# [[bilaga]]
# id = "yttrande"                     # refer to it in a text as {{bilaga:yttrande}}
# title = "Särskilt yttrande"
# from = "Vision"
# file = "{date}/yttrande.md"

# [[bilaga]]                          # a union's yrkanden, written as structure instead of a file
# id = "yrkanden"
# title = "Yrkanden från facklig part"
# from = "Lärarnas Riksförbund"       # who yrkar: printed "LR yrkar:"
# [[bilaga.topic]]
# title = "Kompetensförsörjning"      # numbered 1, 2, …
# reasoning = "…"
# [[bilaga.topic.yrkande]]
# text = "att förvaltningen …"
# supported_by = ["Vision"]           # organisations present at the meeting
# answer = "…"                        # printed after "Besvaras:"; required once justerad is set
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_announced_start() {
        let raw: RawFvgMeeting =
            toml::from_str(include_str!("../data/fvg/2020-09-17.toml")).unwrap();
        assert_eq!(announced_start(&raw.paragraf).as_deref(), Some("09:00"));
        assert_eq!(later("09:30"), "10:30");
    }
}
