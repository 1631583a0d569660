//! The house style of a nämnd's protocols (issue 11, part 5): `husstil.toml` beside the
//! meeting file — shared by every meeting of the organ's folder — then the meeting's own
//! `[husstil]`, key by key. Read through the meeting's sandbox like a bilaga; what is left
//! out keeps the built-in look, so a folder without the file renders as before.
//!
//! Each value is checked where it is written (the house-style file or the meeting). An FVG
//! meeting's house style (its phrases only) is found, read and checked by the same
//! functions (`validate::fvg_phrases`).

use std::collections::BTreeMap;

use toml::Spanned;

use super::Validator;
use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::model::namnd::HouseStyle;
use crate::meeting::model::phrase::Phrase;
use crate::meeting::raw::namnd::{Foredragande, FraseEntry, RawHusstil};
use crate::sandbox::{Refused, Sandbox};

/// The organ's house-style file, beside its meeting files.
pub const FILE: &str = crate::meeting::HOUSE_STYLE_FILE;

/// The largest house-style file read (it holds a handful of keys).
const MAX_BYTES: u64 = 64 * 1024;

impl Validator {
    /// The house style: the built-in defaults, then `husstil.toml` if the meeting's folder
    /// has one, then the meeting's `[husstil]`.
    pub(super) fn house_style(
        &mut self,
        meeting: Option<&RawHusstil>,
        sandbox: &Sandbox,
    ) -> HouseStyle {
        let mut style = HouseStyle::default();
        if let Some((raw, file)) = self.house_style_file::<RawHusstil>(sandbox) {
            self.apply_style(&mut style, &raw, Some(&file));
        }
        if let Some(raw) = meeting {
            self.apply_style(&mut style, raw, None);
        }
        style
    }

    /// The organ's `husstil.toml` beside the meeting file, read through the meeting's
    /// sandbox and parsed as `T` (a nämnd's [`RawHusstil`], an FVG's
    /// `RawFvgHusstil`); `None` when the folder has none, or with the problem reported.
    pub(in crate::meeting::validate) fn house_style_file<T: serde::de::DeserializeOwned>(
        &mut self,
        sandbox: &Sandbox,
    ) -> Option<(T, SourceFile)> {
        let shown = self
            .file
            .path
            .parent()
            .map_or_else(|| FILE.into(), |p| p.join(FILE));
        let path = match sandbox.resolve(FILE) {
            Ok(p) => p,
            Err(Refused::Missing(_)) => return None,
            Err(refused) => {
                self.problems.push(
                    Diagnostic::error(refused.message(&shown.display().to_string()))
                        .with_hint(refused.hint()),
                );
                return None;
            }
        };
        let read = std::fs::metadata(&path).and_then(|m| {
            if m.len() > MAX_BYTES {
                Err(std::io::Error::other(format!(
                    "it is {} bytes; a house-style file is at most {MAX_BYTES}",
                    m.len()
                )))
            } else {
                crate::sandbox::read_text(&path)
            }
        });
        let text = match read {
            Ok(t) => t,
            Err(e) => {
                self.problems.push(Diagnostic::error(format!(
                    "cannot read `{}`: {}",
                    shown.display(),
                    crate::sandbox::io_reason(&e)
                )));
                return None;
            }
        };
        let file = SourceFile::new(shown, text);
        // Its strings composed as the meeting file's are (`meeting::compose`).
        let read = toml::de::DeTable::parse(&file.text).and_then(|mut table| {
            crate::meeting::compose::table(table.get_mut());
            T::deserialize(toml::de::Deserializer::from(table)).map_err(|mut e| {
                // Errors from a table carry no text; give it back for their places.
                e.set_input(Some(&file.text));
                e
            })
        });
        match read {
            Ok(raw) => Some((raw, file)),
            Err(e) => {
                let mut d = Diagnostic::error(e.message().trim().trim_end_matches('.').to_string())
                    .with_hint(
                        "the house-style keys are listed in docs/meeting-file.md (\"House style\")",
                    );
                if let Some(span) = e.span() {
                    d = d.at(&file, span);
                }
                self.problems.push(d);
                None
            }
        }
    }

    /// Sets every key `raw` gives, checking each at its place (`file`, or the meeting).
    fn apply_style(&mut self, style: &mut HouseStyle, raw: &RawHusstil, file: Option<&SourceFile>) {
        let report = |v: &mut Validator, span: std::ops::Range<usize>, message: String| {
            let d = Diagnostic::error(message);
            match file {
                Some(f) => v.problems.push(d.at(f, span)),
                None => v.error(span, d.message, None),
            }
        };
        let number = |v: &mut Validator,
                      value: &Option<Spanned<f64>>,
                      what: &str,
                      range: std::ops::RangeInclusive<f64>,
                      into: &mut f64|
         -> bool {
            let Some(n) = value else { return false };
            if range.contains(n.get_ref()) {
                *into = *n.get_ref();
            } else {
                report(
                    v,
                    n.span(),
                    format!(
                        "{what} must be from {} to {}, not {}",
                        range.start(),
                        range.end(),
                        n.get_ref()
                    ),
                );
            }
            true
        };
        let mut any = false;
        any |= number(
            self,
            &raw.font_size,
            "font_size (points)",
            8.0..=16.0,
            &mut style.font_size,
        );
        if let Some(m) = &raw.margins {
            let cm = 1.0..=6.0;
            any |= number(
                self,
                &m.top,
                "the top margin (cm)",
                cm.clone(),
                &mut style.margin_top,
            );
            any |= number(
                self,
                &m.bottom,
                "the bottom margin (cm)",
                cm.clone(),
                &mut style.margin_bottom,
            );
            any |= number(
                self,
                &m.left,
                "the left margin (cm)",
                cm.clone(),
                &mut style.margin_left,
            );
            any |= number(
                self,
                &m.right,
                "the right margin (cm)",
                cm,
                &mut style.margin_right,
            );
        }
        if let Some(n) = &raw.new_page {
            style.new_page = *n.get_ref();
            any = true;
        }
        let mut flag = |value: Option<bool>, into: &mut bool| {
            if let Some(b) = value {
                *into = b;
                any = true;
            }
        };
        flag(raw.number_own_line, &mut style.number_own_line);
        flag(raw.attendance_alone, &mut style.attendance_alone);
        flag(raw.signatures_alone, &mut style.signatures_alone);
        flag(raw.beslut_heading, &mut style.beslut_heading);
        if let Some(f) = &raw.foredragande {
            style.foredragande_sentence = *f.get_ref() == Foredragande::Sentence;
            any = true;
        }
        style.custom |= any;
        if let Some(fraser) = &raw.fraser {
            self.apply_phrases(&mut style.fraser, fraser.entries(), file);
        }
        // How the organ calls its meetings: the kallelse's, not the protocol's look, so it
        // leaves `custom` as it is.
        if let Some(k) = &raw.kallelse {
            if let Some(d) = &k.dagar {
                match u32::try_from(*d.get_ref()) {
                    Ok(n) if (1..=60).contains(&n) => style.kallelse_dagar = Some(n),
                    _ => {
                        let file = file.cloned().unwrap_or_else(|| self.file.clone());
                        self.problems.push(
                            Diagnostic::error("kallelse dagar must be a number of days, 1 to 60")
                                .with_hint("as the reglemente says: \"senast fem dagar före\" is dagar = 5")
                                .at(&file, d.span()),
                        );
                    }
                }
            }
            if let Some(f) = &k.forhinder {
                let text = f.get_ref().trim();
                if text.is_empty() {
                    let file = file.cloned().unwrap_or_else(|| self.file.clone());
                    self.problems.push(
                        Diagnostic::error("kallelse forhinder is empty")
                            .with_hint("word how to report förhinder, or leave the key out")
                            .at(&file, f.span()),
                    );
                } else {
                    style.forhinder_anmals = Some(text.to_string());
                }
            }
            if let Some(f) = k.fullmaktige {
                style.fullmaktige = f;
            }
        }
    }

    /// The phrases the house style words its own way (`entries`, as `RawFraser::entries`
    /// gives them) into `fraser`: each checked for the placeholders its key takes, an
    /// unknown one reported where it stands in the file.
    pub(in crate::meeting::validate) fn apply_phrases(
        &mut self,
        fraser: &mut BTreeMap<String, Phrase>,
        entries: Vec<FraseEntry<'_>>,
        file: Option<&SourceFile>,
    ) {
        for (key, value, known) in entries {
            let Some(value) = value else { continue };
            match Phrase::parse(value.get_ref(), known) {
                Ok(phrase) => {
                    fraser.insert(key.to_string(), phrase);
                }
                Err(e) => {
                    let file = file.cloned().unwrap_or_else(|| self.file.clone());
                    let span = place_in_string(&file.text, value.span(), e.at);
                    let hint = if known.is_empty() {
                        format!("`{key}` takes no placeholder; write `{{{{` and `}}}}` for a brace")
                    } else {
                        let list: Vec<String> =
                            known.iter().map(|k| format!("`{{{k}}}`")).collect();
                        format!("`{key}` takes {}", list.join(", "))
                    };
                    self.problems.push(
                        Diagnostic::error(format!("{key}: {}", e.message))
                            .with_hint(hint)
                            .at(&file, span),
                    );
                }
            }
        }
    }
}

/// Where bytes `at` of a string's (composed) value stand in the file: inside the string as
/// written, past its escapes and decomposed letters; the whole value if that fails.
fn place_in_string(
    text: &str,
    span: std::ops::Range<usize>,
    at: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let start = super::super::text::string_content_start(text, span.clone());
    let mut offsets = crate::meeting::chars::ValueOffsets::new(text, start);
    let (from, to) = (offsets.at(at.start), offsets.at(at.end));
    if span.start < from && from <= to && to < span.end {
        from..to
    } else {
        span
    }
}

#[cfg(test)]
mod tests {
    use super::place_in_string;

    #[test]
    fn a_placeholder_is_placed_inside_its_string() {
        let text = "x = \"Var {titel}.\"\n";
        let span = 4..18;
        assert_eq!(&text[span.clone()], "\"Var {titel}.\"");
        let at = place_in_string(text, span, 4..11);
        assert_eq!(&text[at], "{titel}");
        // Past an escape and a letter written decomposed (the value is composed).
        let text = "x = \"Bjo\u{308}rn \\u00E5 {titel}.\"\n";
        let at = place_in_string(text, 4..text.len() - 1, 10..17);
        assert_eq!(&text[at], "{titel}");
    }
}
