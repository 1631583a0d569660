//! The documents made from a validated meeting, one module a kind: the [`protocol`] itself,
//! the [`protokollsutdrag`] of one §, the [`anslagsbevis`]; the nämnd protocol's wording is in
//! [`phrases`]. Each maker is pure: validated model (and the templates) → a [`Job`] for
//! [`crate::typeset`]. No printing, no files.

pub mod anslagsbevis;
pub(crate) mod fvg;
pub mod kallelse;
pub mod phrases;
pub mod protocol;
pub mod protokollsutdrag;
pub mod webbutgava;

use crate::diag::Diagnostic;
use crate::meeting::Protocol;
use crate::render::Renderer;
pub use crate::typeset::Job;

/// The organisation's footer as the documents print it, one line each: the address, the
/// telephone number as `telefon` words it ("Telefon …", the house style's
/// `sidfot_telefon`), the e-mail, the web address (those given).
pub(crate) fn footer_lines(
    o: &crate::meeting::model::Organisation,
    telefon: &dyn Fn(&str) -> String,
) -> Vec<String> {
    [
        o.address.clone(),
        o.phone.as_deref().map(telefon),
        o.email.clone(),
        o.web.clone(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Which document of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The protocol itself (both kinds).
    Protocol,
    /// The certified extract of § N of a nämnd protocol.
    Protokollsutdrag(u32),
    /// The notice of justering of a nämnd protocol (KL 8 kap. 12 §).
    Anslagsbevis,
}

impl Document {
    /// What follows the protocol's file stem in the document's file name: `""`, `"-p8"`,
    /// `"-anslag"` (`2020-04-21-p8.pdf`).
    pub fn file_suffix(self) -> String {
        match self {
            Document::Protocol => String::new(),
            Document::Protokollsutdrag(n) => format!("-p{n}"),
            Document::Anslagsbevis => "-anslag".into(),
        }
    }

    /// The document in a sentence: "a protokollsutdrag".
    pub fn described(self) -> &'static str {
        match self {
            Document::Protocol => "a protocol",
            Document::Protokollsutdrag(_) => "a protokollsutdrag",
            Document::Anslagsbevis => "an anslagsbevis",
        }
    }

    /// Whether only a nämnd protocol has this document.
    pub fn needs_namnd(self) -> bool {
        !matches!(self, Document::Protocol)
    }
}

/// Makes `document` of `protocol`. Errors: the template's, or a refusal located nowhere
/// (an extract of a § not justerat yet, an anslagsbevis of a draft, a nämnd document of an
/// FVG meeting).
pub fn make(
    protocol: &Protocol,
    document: Document,
    renderer: &Renderer,
) -> Result<Job, Vec<Diagnostic>> {
    match (document, protocol) {
        (Document::Protocol, _) => protocol::make(protocol, renderer),
        // An extract is of the protocol as it stands: its last corrected version.
        (Document::Protokollsutdrag(n), Protocol::Namnd(m)) => {
            protokollsutdrag::make(m.current(), n, renderer)
        }
        (Document::Anslagsbevis, Protocol::Namnd(m)) => anslagsbevis::make(m, renderer),
        (_, Protocol::Fvg(_)) => Err(vec![not_namnd(document, "this meeting")]),
    }
}

/// The refusal of a nämnd document for an FVG meeting, `meeting` naming it ("`x.toml`").
pub fn not_namnd(document: Document, meeting: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "{} is made from a nämnd protocol, and {meeting} is not one",
        document.described()
    ))
    .with_hint("its kind is \"fvg\"; only a file with kind = \"namnd\" has one")
}

/// The documents a distribution bundle carries besides the protocol: for a nämnd, the
/// protokollsutdrag of every § justerad omedelbart and the anslagsbevis as soon as there is
/// one (for the § justerade omedelbart at once, for the rest once the protocol is justerat). None for an FVG meeting.
pub fn derived(protocol: &Protocol) -> Vec<Document> {
    let Protocol::Namnd(m) = protocol else {
        return Vec::new();
    };
    m.paragrafer
        .iter()
        .filter(|p| p.omedelbar_justering)
        .map(|p| Document::Protokollsutdrag(p.number))
        .chain(
            (m.justerad.is_some() || m.anslag_omedelbart.is_some())
                .then_some(Document::Anslagsbevis),
        )
        .collect()
}
