//! The record of an FVG protocol: the attendance by group and each § with its text.

use super::*;
use crate::meeting::model::{self, FvgMeeting, Paragraf};

pub(super) fn record(m: &FvgMeeting, view: &View) -> Record {
    let (persons, memberships) = people(&m.groups);
    Record {
        generator: generator(),
        edition: view.edition_name(),
        kind: String::new(),
        organization: Organization {
            name: m.organ.clone(),
            abbreviation: m.organ.clone(),
            classification: "förvaltningsgrupp".into(),
            parent: m.organisation.name.clone(),
            forvaltning: m.organisation.forvaltning.clone(),
        },
        meeting: meeting_info(m, &persons),
        persons,
        memberships,
        agenda_items: m
            .paragrafer
            .iter()
            .enumerate()
            .map(|(i, p)| agenda_item(p, view.withheld_paragraf(i), view))
            .collect(),
        papers: Vec::new(),
        withheld: Vec::new(),
        inte_personnummer: Vec::new(),
        rattelser: rattelser(&m.rattelser),
        versions: Vec::new(),
    }
}

/// Everyone in the attendance, each with their group's heading as role.
fn people(groups: &[model::Group]) -> (Vec<Person>, Vec<Membership>) {
    let mut persons: Vec<Person> = Vec::new();
    let mut memberships = Vec::new();
    for g in groups {
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
    (persons, memberships)
}

fn meeting_info(m: &FvgMeeting, persons: &[Person]) -> MeetingInfo {
    MeetingInfo {
        name: crate::documents::fvg::title(m),
        date: Some(m.date.iso()),
        start: Some(format!("{}T{}", m.date.iso(), m.start)),
        end: Some(format!("{}T{}", m.date.iso(), m.end)),
        location: Some(crate::documents::fvg::plats(m)),
        justerad: m.justerad.map(|d| d.iso()),
        justerare: m.justerare.iter().map(|n| person_id(n)).collect(),
        sekreterare: Some(m.sekreterare.clone()),
        fragment: false,
        justering: m.justering.as_ref().map(|j| {
            justering_info(j, &|name| {
                persons
                    .iter()
                    .find(|p| p.name == name)
                    .map_or_else(|| person_id(name), |p| p.id.clone())
            })
        }),
        planned: false,
        kallelse: None,
    }
}

/// One §; a withheld one keeps its number, title and diarienummer only.
fn agenda_item(p: &Paragraf, withheld: Option<&Withheld>, view: &View) -> AgendaItem {
    let item = AgendaItem {
        typ: p.group.clone(),
        diarienummer: p
            .items
            .iter()
            .flat_map(|i| i.diarienummer.clone())
            .collect(),
        ..AgendaItem::new(p.number, p.title.clone())
    };
    if let Some(x) = withheld {
        return AgendaItem {
            text: Some(marks::notice(&x.reason)),
            withheld: Some(x.reason.clone()),
            public: false,
            ..item
        };
    }
    AgendaItem {
        text: view.opt_text(&p.content.text),
        papers: referred(p, &view.numbers),
        said: said(&p.content.said, view),
        items: p.items.iter().map(|it| sub_item(it, view)).collect(),
        closing: view.opt_text(&p.closing),
        ..item
    }
}

fn sub_item(it: &model::Item, view: &View) -> Item {
    Item {
        heading: it.heading.clone(),
        diarienummer: it.diarienummer.clone(),
        text: view.opt_text(&it.content.text),
        said: said(&it.content.said, view),
        closing: view.opt_text(&it.closing),
    }
}

fn said(said: &[model::Said], view: &View) -> Vec<Said> {
    said.iter()
        .map(|s| Said {
            by: s.by.clone(),
            verb: s.verb.clone(),
            text: view.text(s.text.written()),
        })
        .collect()
}

/// The numbers of the bilagor a § refers to anywhere in its texts, each once, in order.
fn referred(p: &Paragraf, numbers: &BTreeMap<String, usize>) -> Vec<usize> {
    fn add<'a>(texts: &mut Vec<&'a str>, content: &'a model::Content) {
        texts.push(content.text.written());
        texts.extend(content.said.iter().map(|s| s.text.written()));
    }
    let mut texts: Vec<&str> = Vec::new();
    add(&mut texts, &p.content);
    for it in &p.items {
        add(&mut texts, &it.content);
        texts.push(it.closing.written());
    }
    texts.push(p.closing.written());
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
