//! Attendance: groups, people, partial presence; who may be ordförande and justerare.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::Validator;
use crate::meeting::model::*;
use crate::meeting::raw::*;
use crate::swedish;

impl Validator {
    pub(super) fn attendance(
        &mut self,
        raw: &RawAttendance,
        remote: Option<&str>,
        ordforande: &str,
        paragrafer: std::ops::RangeInclusive<u32>,
    ) -> (Vec<Group>, Vec<Person>) {
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let mut groups = Vec::new();
        if raw.group.is_empty() {
            self.error(
                0..0,
                "nobody is listed as present",
                Some("add [[attendance.group]] with its people"),
            );
        }
        for g in &raw.group {
            let heading = self.non_empty(&g.heading, "the group's heading");
            let people = g
                .people
                .iter()
                .map(|p| self.person(p, true, remote, ordforande, &paragrafer, &mut seen))
                .collect();
            groups.push(Group { heading, people });
        }
        let absent = raw
            .absent
            .iter()
            .map(|p| self.person(p, false, remote, ordforande, &paragrafer, &mut seen))
            .collect();
        (groups, absent)
    }

    pub(super) fn person(
        &mut self,
        raw: &Spanned<RawPerson>,
        present: bool,
        remote: Option<&str>,
        ordforande: &str,
        paragrafer: &std::ops::RangeInclusive<u32>,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> Person {
        let p = raw.get_ref();
        let name = self.non_empty(&p.name, "a name");
        if let Some(first) = seen.get(&name) {
            let (line, _) = crate::diag::line_col(&self.file.text, first.start);
            self.error(
                p.name.span(),
                format!("`{name}` is listed twice in the attendance"),
                Some(&format!("first listed on line {line}")),
            );
        } else if !name.is_empty() {
            seen.insert(name.clone(), p.name.span());
        }
        let remote_medium = if p.remote && present {
            match remote {
                Some(r) => Some(r.to_string()),
                None => {
                    self.error(
                        raw.span(),
                        format!(
                            "`{name}` took part remotely, but the meeting names no remote medium"
                        ),
                        Some("set remote = \"Skype\" (or Teams …) under [meeting]"),
                    );
                    None
                }
            }
        } else {
            None
        };
        let only = p.only.as_ref().and_then(|o| self.only(o, paragrafer));
        let functions = if present && name == ordforande {
            vec!["ordförande".to_string()]
        } else {
            Vec::new()
        };
        Person {
            name,
            role: p.role.clone().filter(|r| !r.trim().is_empty()),
            huvudskyddsombud: p.huvudskyddsombud,
            union: p.union.clone().filter(|u| !u.trim().is_empty()),
            remote: remote_medium,
            only,
            functions,
        }
    }

    /// `"1-7, 9"` → `"§1-7 och §9"`, each number a § of this meeting.
    pub(super) fn only(
        &mut self,
        raw: &Spanned<String>,
        paragrafer: &std::ops::RangeInclusive<u32>,
    ) -> Option<String> {
        let ranges = match paragraf_ranges(raw.get_ref()) {
            Ok(ranges) => ranges,
            Err(message) => {
                self.error(raw.span(), message, Some("write the § like \"1-7, 9\""));
                return None;
            }
        };
        let mut parts = Vec::new();
        for (a, b) in ranges {
            let piece = if a == b {
                format!("{a}")
            } else {
                format!("{a}-{b}")
            };
            if !(paragrafer.contains(&a) && paragrafer.contains(&b)) {
                self.error(
                    raw.span(),
                    format!(
                        "`{piece}` is not a § of this meeting (§{}–§{})",
                        paragrafer.start(),
                        paragrafer.end()
                    ),
                    None,
                );
                return None;
            }
            // Printed with the en dash of a range, as every other § range of the protocol.
            parts.push(format!("§{}", piece.replace('-', "–")));
        }
        Some(swedish::join_and(&parts))
    }
}

/// `"8-10, 12"` → `[(8, 10), (12, 12)]`: the § someone was present for (FVG and nämnd).
pub(super) fn paragraf_ranges(text: &str) -> Result<Vec<(u32, u32)>, String> {
    let mut out = Vec::new();
    for piece in text.split(',').map(str::trim) {
        let range = match piece.split_once('-') {
            Some((a, b)) => a
                .trim()
                .parse::<u32>()
                .ok()
                .zip(b.trim().parse::<u32>().ok()),
            None => piece.parse::<u32>().ok().map(|n| (n, n)),
        };
        match range {
            Some((a, b)) if a <= b => out.push((a, b)),
            _ => return Err(format!("cannot read `{piece}` as § numbers")),
        }
    }
    Ok(out)
}
