//! Makes hayro-svg's output smaller before Typst reads it: path coordinates rounded to a
//! hundredth of a point.
//!
//! hayro-svg draws every glyph as its own outline path at its absolute position, with
//! coordinates such as `113.895004`; a page of text is about 1.5 MB of SVG, all of which Typst
//! parses and writes into the protocol again. A hundredth of a point (3.5 µm) is far below
//! what print or screen shows, and shorter numbers make the SVG, the work on it and the PDF
//! smaller. Only path data (`d="…"`) is touched: transforms keep their precision, since a
//! rounded scale factor would move everything it scales.

/// `svg` with every number in a `d="…"` attribute rounded to two decimals.
pub(crate) fn compact(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find(" d=\"") {
        let (head, tail) = rest.split_at(start + 4);
        out.push_str(head);
        let Some(end) = tail.find('"') else {
            rest = tail;
            break;
        };
        round_numbers(&tail[..end], &mut out);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Copies path data, rounding each decimal number to two places.
fn round_numbers(data: &str, out: &mut String) {
    let is_number = |c: char| c.is_ascii_digit() || c == '.';
    let mut rest = data;
    while let Some(c) = rest.chars().next() {
        if !(is_number(c) || c == '-') {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let len = 1 + rest[1..]
            .find(|c: char| !is_number(c))
            .unwrap_or(rest.len() - 1);
        let (token, after) = rest.split_at(len);
        rest = after;
        // A number with an exponent (`1e-5`) is copied as it is: rare, not worth the care.
        if rest.starts_with(['e', 'E']) {
            out.push_str(token);
            let exponent = 1 + rest[1..]
                .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '+'))
                .unwrap_or(rest.len() - 1);
            out.push_str(&rest[..exponent]);
            rest = &rest[exponent..];
            continue;
        }
        match (token.split_once('.'), token.parse::<f64>()) {
            (Some((_, decimals)), Ok(x)) if decimals.len() > 2 && x.is_finite() => {
                let rounded = format!("{x:.2}");
                let rounded = rounded.trim_end_matches('0').trim_end_matches('.');
                out.push_str(match rounded {
                    "-0" | "" => "0",
                    r => r,
                });
            }
            _ => out.push_str(token),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn path_data_is_rounded_and_everything_else_kept() {
        let svg = r#"<g transform="matrix(0.123456 0 0 -1 0 842)"><path id="g5" d="M113.895004,770 L-0.001,7.5 L1e-5,2.999 Z"/></g>"#;
        assert_eq!(
            compact(svg),
            r#"<g transform="matrix(0.123456 0 0 -1 0 842)"><path id="g5" d="M113.9,770 L0,7.5 L1e-5,3 Z"/></g>"#
        );
    }

    #[test]
    fn odd_input_is_copied_not_lost() {
        for svg in [
            "",
            " d=\"",
            " d=\"-",
            " d=\"1e",
            " d=\"1e+",
            " d=\"--..\"",
            " d=\"1.5.5\"",
        ] {
            assert_eq!(compact(svg), svg);
        }
        assert_eq!(compact("å d=\"ö1.23456\" ä"), "å d=\"ö1.23\" ä");
    }
}
