//! The nämnd model built from the samples in data/amn: the facts the documents print from
//! (their sentences are tested with `documents::phrases`).

use crate::meeting::Protocol;
use crate::meeting::model::namnd::NamndMeeting;

fn sample(name: &str) -> NamndMeeting {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/amn")
        .join(name);
    match crate::meeting::load(&path).and_then(crate::meeting::validate) {
        Ok((Protocol::Namnd(m), warnings)) => {
            assert!(warnings.is_empty(), "{warnings:?}");
            m
        }
        Ok(_) => panic!("{name} is a nämnd meeting"),
        Err(problems) => panic!("{}", crate::diag::render_plain(&problems)),
    }
}

/// The facts the protocol prints from are derived here, not typed by the secretary.
#[test]
fn the_model_derives_what_the_protocol_prints() {
    let m = sample("2020-04-21.toml");
    assert_eq!(m.place.as_deref(), Some("Stadshuset, Rosa rummet"));
    assert_eq!(m.remote.as_deref(), Some("Teams"));
    assert_eq!(m.justerad.unwrap().long(), "28 april 2020");
    let a = &m.attendance;
    let replaced = m.member(a.tjanstgorande[0].replaces.unwrap());
    assert_eq!(
        replaced.name, "Helena Rask",
        "a reference to the ledamot replaced"
    );
    assert_eq!(a.tjanstgorande[1].only.as_deref(), Some(&[(36, 38)][..]));
    let forhinder: Vec<(&str, &str)> = a
        .forhinder_ledamoter
        .iter()
        .map(|x| (x.name.as_str(), x.party.as_str()))
        .collect();
    assert_eq!(forhinder, [("Helena Rask", "S"), ("Mikael Dahl", "MP")]);
    assert_eq!(a.forhinder.len(), 2, "everyone who sent word");
    assert_eq!(a.foredragande[0].role.as_deref(), Some("förvaltningschef"));

    let p33 = m.paragraf(33).unwrap();
    assert!(p33.beslut_heading);
    assert_eq!(p33.beslut.len(), 2, "the points as written");
    assert!(
        p33.adds_omedelbar_point(),
        "the omedelbar justering is added as the last point"
    );
    let vote = p33.omrostning.as_ref().unwrap();
    assert_eq!((vote.ja, vote.nej, vote.avstar), (6, 5, 1));
    assert_eq!(vote.rows.len(), 12);
    assert_eq!(vote.winner, "ordf");
    assert_eq!(p33.bifall.as_deref(), Some("ordf"));
    assert!(p33.forslag[0].bifallet && !p33.forslag[1].bifallet);
    let reservants = &p33.reservationer[0].people;
    assert!(reservants[0].mfl && reservants.len() == 4);
    assert_eq!(
        reservants[0].capacity,
        Some(crate::meeting::model::namnd::Capacity::ViceOrdforande)
    );

    let p34 = m.paragraf(34).unwrap();
    assert_eq!(p34.javiga[0].name, "Jonas Berglund");
    assert_eq!(p34.serving.len(), 11, "twelve serve, less the jävig member");
    assert_eq!(p34.tjansteutlatande.unwrap().long(), "2 april 2020");
    assert_eq!(m.bilagor.len(), 2, "the Markdown bilaga and the PDF motion");
    assert_eq!(m.paragraf(36).unwrap().anmalningar[2].letter, "c)");
    assert_eq!(m.paragraf(36).unwrap().title, "Anmälningsärenden");
    let serving_37: Vec<&str> = m
        .paragraf(37)
        .unwrap()
        .serving
        .iter()
        .map(|s| m.member(*s).name.as_str())
        .collect();
    assert!(serving_37.contains(&"Tobias Lund"), "{serving_37:?}");
    assert!(!serving_37.contains(&"Omar Haddad"), "{serving_37:?}");
    assert_eq!(
        m.avslutning.as_deref(),
        Some("Ordföranden förklarade sammanträdet avslutat kl. 16:25.")
    );
}

/// A fragment without a date stands for its year.
#[test]
fn a_dateless_fragment_stands_for_its_year() {
    let m = sample("2015-paragraf-8-9.toml");
    assert!(m.fragment && m.date.is_none());
    assert_eq!(m.year, 2015);
    assert!(m.paragraf(8).unwrap().adds_omedelbar_point());
    assert_eq!(m.clock_date().iso(), "2015-01-01");
}
