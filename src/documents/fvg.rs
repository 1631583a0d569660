//! The lines an FVG protocol composes from its meeting's facts: the title, when and where
//! the meeting was held, a digital justering and the notes of its rättelser. An FVG meeting has no house style, so the wording is this
//! module's; the protocol and its record print the same.

use crate::meeting::model::FvgMeeting;

/// The protocol's title (PDF metadata, page 1, the record's name): "Protokoll från möte
/// med FVG den 17 september 2020".
pub(crate) fn title(m: &FvgMeeting) -> String {
    format!("Protokoll från möte med {} den {}", m.organ, m.date.long())
}

/// "Torsdag den 17 september 2020, kl. 09:00 – 10:50"
pub(crate) fn tidpunkt(m: &FvgMeeting) -> String {
    format!("{}, kl. {} – {}", m.date.with_weekday(), m.start, m.end)
}

/// "Livdjursgatan 4, konferensrummet Maracanã samt via Skype": the place as written, and
/// how people took part from elsewhere.
pub(crate) fn plats(m: &FvgMeeting) -> String {
    match &m.remote {
        Some(r) => format!("{} samt via {r}", m.place),
        None => m.place.clone(),
    }
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
        footer: super::footer_lines(&m.organisation),
        justering: j.justering,
        justerat_digitalt: j.digitalt,
        rattelser: j.rattelser,
        rattelser_vid: j.rattelser_vid,
    }))
}
