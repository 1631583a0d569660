//! The record of an FVG protocol: the attendance by group and each § with its text.

use super::*;
use crate::meeting::model::FvgMeeting;

pub(super) fn record(
    m: &FvgMeeting,
    r: &crate::meeting::raw::RawFvgMeeting,
    w: &Withholding,
    edition: Edition,
) -> Record {
    let numbers = numbers(&m.bilagor);
    let mut persons: Vec<Person> = Vec::new();
    let mut memberships = Vec::new();
    for g in &m.groups {
        for p in &g.people {
            let id = unique_id(&persons, &p.name);
            persons.push(Person {
                id: id.clone(),
                name: p.name.clone(),
                party: None,
            });
            memberships.push(Membership {
                person_id: id,
                role: g.heading.clone(),
                on_behalf_of: p.union.clone(),
                replaces: None,
                paragrafer: p.only.clone(),
                title: p.role.clone(),
            });
        }
    }
    let t = |md: Option<&toml::Spanned<String>>| opt_text(md, edition, &numbers);
    let said = |said: &[crate::meeting::raw::RawSaid]| -> Vec<Said> {
        said.iter()
            .map(|s| Said {
                by: s.by.get_ref().trim().to_string(),
                verb: s.verb.get_ref().trim().to_string(),
                text: text(s.text.get_ref(), edition, &numbers),
            })
            .collect()
    };
    let items = m
        .paragrafer
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let rp = r.paragraf.get(i);
            let withheld = w.paragrafer.get(&i).filter(|_| edition == Edition::Web);
            // A withheld § keeps its number, title and diarienummer only.
            let shown = rp.filter(|_| withheld.is_none());
            let body = match (withheld, shown) {
                (Some(x), _) => Some(marks::notice(&x.reason)),
                (None, Some(rp)) => t(rp.text.as_ref()),
                (None, None) => None,
            };
            AgendaItem {
                number: p.number,
                name: p.title.clone(),
                typ: p.group.clone(),
                diarienummer: p
                    .items
                    .iter()
                    .flat_map(|i| i.diarienummer.clone())
                    .collect(),
                text: body,
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
                papers: shown.map(|rp| referred(rp, &numbers)).unwrap_or_default(),
                withheld: withheld.map(|x| x.reason.clone()),
                said: shown.map(|rp| said(&rp.said)).unwrap_or_default(),
                items: shown
                    .map(|rp| {
                        rp.item
                            .iter()
                            .map(|it| Item {
                                heading: it.heading.get_ref().trim().to_string(),
                                diarienummer: it
                                    .diarienummer
                                    .iter()
                                    .map(|d| d.get_ref().trim().to_string())
                                    .collect(),
                                text: t(it.text.as_ref()),
                                said: said(&it.said),
                                closing: t(it.closing.as_ref()),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                closing: shown.and_then(|rp| t(rp.closing.as_ref())),
            }
        })
        .collect();
    Record {
        generator: format!("protokoll {}", env!("CARGO_PKG_VERSION")),
        edition: edition_name(edition),
        kind: String::new(),
        organization: Organization {
            name: m.organ.clone(),
            abbreviation: m.organ.clone(),
            classification: "förvaltningsgrupp".into(),
            parent: m.organisation.name.clone(),
            forvaltning: m.organisation.forvaltning.clone(),
        },
        meeting: MeetingInfo {
            name: m.title.clone(),
            date: Some(m.date.iso()),
            start: Some(format!(
                "{}T{}",
                m.date.iso(),
                r.meeting.start.get_ref().trim()
            )),
            end: Some(format!(
                "{}T{}",
                m.date.iso(),
                r.meeting.end.get_ref().trim()
            )),
            location: Some(m.plats.clone()),
            justerad: m.justerad.map(|d| d.iso()),
            justerare: m.justerare.iter().map(|n| person_id(n)).collect(),
            sekreterare: Some(m.sekreterare.clone()),
            fragment: false,
        },
        persons,
        memberships,
        agenda_items: items,
        papers: Vec::new(),
        withheld: Vec::new(),
        inte_personnummer: Vec::new(),
    }
}

/// The numbers of the bilagor a § refers to anywhere in its texts, each once, in order.
fn referred(p: &crate::meeting::raw::RawParagraf, numbers: &BTreeMap<String, usize>) -> Vec<usize> {
    let mut texts: Vec<&str> = Vec::new();
    fn add<'a>(
        texts: &mut Vec<&'a str>,
        t: Option<&'a toml::Spanned<String>>,
        said: &'a [crate::meeting::raw::RawSaid],
    ) {
        texts.extend(t.map(|t| t.get_ref().as_str()));
        texts.extend(said.iter().map(|s| s.text.get_ref().as_str()));
    }
    add(&mut texts, p.text.as_ref(), &p.said);
    for it in &p.item {
        add(&mut texts, it.text.as_ref(), &it.said);
        add(&mut texts, it.closing.as_ref(), &[]);
    }
    add(&mut texts, p.closing.as_ref(), &[]);
    let mut out: Vec<usize> = Vec::new();
    for t in texts {
        for (_, id) in crate::markdown::bilaga_references(t) {
            if let Some(&n) = numbers.get(id)
                && !out.contains(&n)
            {
                out.push(n);
            }
        }
    }
    out
}
