//! The lines an FVG protocol composes from its meeting's facts: the title, when and where
//! the meeting was held, the organisation's footer (a digital justering and the notes of
//! its rättelser are worded in `phrases`). Worded as the organ's house style says
//! (`[fraser]` of `husstil.toml` beside the meeting file, or the meeting's `[husstil]`,
//! keys of `RawFvgFraser`), else as [`DEFAULTS`] word them, by the same filling as a
//! nämnd's phrases (`phrases::fill`); the protocol and its record print the same.

use crate::meeting::model::FvgMeeting;

/// The built-in wording of every phrase key of an FVG's house style (`RawFvgFraser`).
pub(crate) const DEFAULTS: &[(&str, &str)] = &[
    ("titel", "Protokoll från möte med {organ} den {datum}"),
    ("tidpunkt", "{datum}, kl. {start} – {slut}"),
    ("plats_distans", "{plats} samt via {distans}"),
    ("sidfot_telefon", "Telefon {telefon}"),
];

/// Phrase `key` of meeting `m` filled with `values`.
fn fill(m: &FvgMeeting, key: &str, values: &[(&str, &str)]) -> String {
    super::phrases::fill(&m.fraser, DEFAULTS, key, values)
}

/// The protocol's title (PDF metadata, page 1, the record's name): "Protokoll från möte
/// med FVG den 17 september 2020" (`titel`).
pub(crate) fn title(m: &FvgMeeting) -> String {
    fill(
        m,
        "titel",
        &[("organ", &m.organ), ("datum", &m.date.long())],
    )
}

/// "Torsdag den 17 september 2020, kl. 09:00 – 10:50" (`tidpunkt`)
pub(crate) fn tidpunkt(m: &FvgMeeting) -> String {
    fill(
        m,
        "tidpunkt",
        &[
            ("datum", &m.date.with_weekday()),
            ("start", &m.start),
            ("slut", &m.end),
        ],
    )
}

/// "Livdjursgatan 4, konferensrummet Maracanã samt via Skype": the place as written, and
/// how people took part from elsewhere (`plats_distans`).
pub(crate) fn plats(m: &FvgMeeting) -> String {
    match &m.remote {
        Some(r) => fill(m, "plats_distans", &[("plats", &m.place), ("distans", r)]),
        None => m.place.clone(),
    }
}

/// The organisation's footer, one line each, its telephone line as `sidfot_telefon`
/// words it.
pub(crate) fn footer(m: &FvgMeeting) -> Vec<String> {
    super::footer_lines(&m.organisation, &|telefon| {
        fill(m, "sidfot_telefon", &[("telefon", telefon)])
    })
}

/// What the FVG template prints besides the model (`ph`).
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Lines {
    pub title: String,
    pub tidpunkt: String,
    pub plats: String,
    /// The organisation's footer, one line each.
    pub footer: Vec<String>,
    /// When and where it is justerad (`[justering]`), "fredag den 18 september 2020 kl. …".
    pub justering: Option<String>,
    /// The "Justerat digitalt" block in place of the lines for ink; `None` on paper.
    pub justerat_digitalt: Option<super::phrases::JusteratDigitalt>,
    /// The notes of the rättelser made in this version: for page 1, and by § number (as
    /// text: the template looks them up by it). Empty for the original.
    pub rattelser: Vec<String>,
    pub rattelser_vid: std::collections::BTreeMap<String, Vec<String>>,
}

/// The lines of FVG meeting `m` as its template gets them.
pub(crate) fn value(m: &FvgMeeting) -> minijinja::Value {
    let j = super::phrases::fvg_justering(m);
    minijinja::Value::from(minijinja::value::Serde(Lines {
        title: title(m),
        tidpunkt: tidpunkt(m),
        plats: plats(m),
        footer: footer(m),
        justering: j.justering,
        justerat_digitalt: j.digitalt,
        rattelser: j.rattelser,
        rattelser_vid: j.rattelser_vid,
    }))
}

#[cfg(test)]
mod tests {
    use crate::meeting::raw::RawFvgFraser;

    /// Every key of an FVG's house style has its built-in wording, which takes exactly the
    /// key's placeholders.
    #[test]
    fn every_fvg_phrase_key_has_its_default_wording() {
        crate::documents::phrases::tests::assert_every_key_has_its_default(
            &RawFvgFraser::default().entries(),
            super::DEFAULTS,
            &|_, _| false,
        );
    }
}
