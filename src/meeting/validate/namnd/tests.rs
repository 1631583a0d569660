//! The nämnd model built from the samples in data/amn: what the templates will print.

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

/// What the template prints is derived here, not typed by the secretary.
#[test]
fn the_model_derives_what_the_protocol_prints() {
    let m = sample("2020-04-21.toml");
    assert_eq!(m.header, "Protokoll AMN 2020-04-21");
    assert_eq!(m.namnd_genitive, "Arbetsmarknadsnämndens");
    assert_eq!(m.justerad.unwrap().long(), "28 april 2020");
    let a = &m.attendance;
    assert_eq!(
        a.tjanstgorande[0].serving_as,
        "Farida Amini (Fi) för Helena Rask (S)"
    );
    assert_eq!(a.tjanstgorande[1].only.as_deref(), Some("§ 36–38"));
    assert_eq!(
        a.forhinder_text.as_deref(),
        Some("Förhinder hade anmälts av ledamöterna Helena Rask (S), Mikael Dahl (MP).")
    );
    assert_eq!(a.foredragande[0].display, "Karin Lövgren, förvaltningschef");

    let p33 = m.paragraf(33).unwrap();
    assert_eq!(
        p33.beslut_heading.as_deref(),
        Some("Arbetsmarknadsnämndens beslut")
    );
    assert_eq!(p33.beslut.len(), 2, "the points as written");
    assert!(
        p33.omedelbar_point
            .as_ref()
            .is_some_and(|p| p.0.contains("justera paragrafen omedelbart")),
        "the omedelbar justering is derived as the last point"
    );
    let vote = p33.omrostning.as_ref().unwrap();
    assert_eq!((vote.ja, vote.nej, vote.avstar), (6, 5, 1));
    assert_eq!(vote.rows.len(), 12);
    assert_eq!(vote.winner, "ordf");
    assert_eq!(p33.bifall.as_deref(), Some("ordf"));
    assert!(p33.forslag[0].bifallet && !p33.forslag[1].bifallet);
    assert_eq!(
        vote.outcome,
        "Med 6 ja-röster mot 5 nej-röster, 1 avstod, beslutade nämnden enligt förslaget från ordföranden Anna Ekblom (S)."
    );
    assert_eq!(
        p33.reservationer[0].intro,
        "Vice ordföranden Per Lindqvist m.fl. (M) samt ledamöterna Karl Viklund (L), Maria Ekholm (C) och Nils Åberg (KD) reserverade sig mot beslutet till förmån för eget förslag."
    );

    let p34 = m.paragraf(34).unwrap();
    assert_eq!(
        p34.jav_text,
        ["Ledamoten Jonas Berglund (MP) anmälde jäv och deltog inte i handläggningen av ärendet."]
    );
    assert_eq!(p34.serving.len(), 11, "twelve serve, less the jävig member");
    assert_eq!(
        p34.tjansteutlatande_text.as_deref(),
        Some(
            "Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat den 2 april 2020."
        )
    );
    assert_eq!(m.bilagor.len(), 2, "the Markdown bilaga and the PDF motion");
    assert_eq!(m.paragraf(36).unwrap().anmalningar[2].letter, "c)");
    assert_eq!(m.paragraf(36).unwrap().title, "Anmälningsärenden");
    assert!(
        m.paragraf(37)
            .unwrap()
            .serving
            .contains(&"Tobias Lund (S)".to_string())
    );
    assert!(
        !m.paragraf(37)
            .unwrap()
            .serving
            .contains(&"Omar Haddad (S)".to_string())
    );
    assert_eq!(
        m.avslutning.as_deref(),
        Some("Ordföranden förklarade sammanträdet avslutat kl. 16:25.")
    );
}

/// The fragment's derived sentences are the source's own words.
#[test]
fn the_fragment_prints_the_sources_sentences() {
    let m = sample("2015-paragraf-8-9.toml");
    assert!(m.fragment && m.date.is_none());
    assert_eq!(m.header, "Protokoll AMN 2015");
    let p8 = m.paragraf(8).unwrap();
    assert_eq!(
        p8.sarskilda_uttalanden[0].intro,
        "Johanna Sjö m.fl. (M), Gulan Avci (FP) och Johan Fälldin (C) lämnade följande särskilda uttalande."
    );
    assert_eq!(
        p8.ersattaryttranden[0].intro,
        "Ofelia Namazova (KD) lämnade följande ersättaryttrande."
    );
    assert_eq!(
        p8.tjansteutlatande_text.as_deref(),
        Some("Förvaltningen har redovisat ärendet i ett tjänsteutlåtande daterat den 7 maj 2015.")
    );
    assert_eq!(
        p8.omedelbar_point.as_ref().unwrap().0,
        "Arbetsmarknadsnämnden beslutade att justera paragrafen omedelbart\\."
    );
    assert_eq!(m.clock_date().iso(), "2015-01-01");
}
