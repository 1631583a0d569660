//! A bundle's bytes as every unzip reads them (issue 29). The `zip` crate, like `unzip`,
//! reads the central directory at the end; a streaming extractor (`bsdtar`, Java's
//! `ZipInputStream`, `curl … | unzip -`) reads the local headers from the start. A zip whose
//! two views differ unpacks to different files depending on the tool: an extra local entry
//! no central one lists (a second `meeting.pdf`, written last), or a local header naming
//! another file than its central entry (`lista.sh` for `lista.md`). So `verify` walks the
//! local headers from byte 0 and requires that they follow one another without a gap, each
//! one exactly the central entry at its offset, and the central directory right after the
//! last — every byte of the file accounted for.
//!
//! And names that one system keeps apart but another folds together (`A.pdf` and `a.pdf` on
//! Windows and macOS, the NFC and NFD spellings of `å`) or cannot hold (`x.` and `x ` lose
//! their ending on Windows, `CON`, `a:b`) unpack to another set of files there.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;

/// One central directory entry, as far as the comparison needs it.
struct Central {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Every way the local view of `bytes` differs from the central one; empty when the file
/// is one sequence of local entries, each matching its central entry, then the central
/// directory and its end record, and nothing else.
pub(super) fn disagreements(bytes: &[u8]) -> Vec<String> {
    match walk(bytes) {
        Ok(()) => Vec::new(),
        Err(problem) => vec![problem],
    }
}

fn walk(bytes: &[u8]) -> Result<(), String> {
    let unreadable = || "its zip structure is unreadable".to_string();
    // The end record: 22 bytes and a comment, which must reach the end of the file exactly.
    let from = bytes.len().saturating_sub(22 + usize::from(u16::MAX));
    let end = (from..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&at| u32_at(bytes, at) == Some(END))
        .ok_or_else(|| "not a zip file: it has no end of central directory record".to_string())?;
    let comment = usize::from(u16_at(bytes, end + 20).ok_or_else(unreadable)?);
    if end + 22 + comment != bytes.len() {
        return Err(format!(
            "{} bytes follow the end of its central directory: no entry covers them",
            bytes.len() - (end + 22 + comment)
        ));
    }
    let count = usize::from(u16_at(bytes, end + 10).ok_or_else(unreadable)?);
    let cd_size = u32_at(bytes, end + 12).ok_or_else(unreadable)? as usize;
    let cd_offset = u32_at(bytes, end + 16).ok_or_else(unreadable)? as usize;
    if cd_offset == u32::MAX as usize || count == usize::from(u16::MAX) {
        return Err("it is a ZIP64 archive, which a bundle never is".into());
    }
    if cd_offset.checked_add(cd_size) != Some(end) {
        return Err(
            "its central directory does not end where its end record begins: bytes between them are no entry's"
                .into(),
        );
    }
    let mut entries = Vec::with_capacity(count.min(10_000));
    let mut at = cd_offset;
    for _ in 0..count {
        if u32_at(bytes, at) != Some(CENTRAL) {
            return Err(unreadable());
        }
        let field = |o: usize| u16_at(bytes, at + o).ok_or_else(unreadable);
        let word = |o: usize| u32_at(bytes, at + o).ok_or_else(unreadable);
        let name_len = usize::from(field(28)?);
        let extra_len = usize::from(field(30)?);
        let comment_len = usize::from(field(32)?);
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(unreadable)?
            .to_vec();
        entries.push(Central {
            name,
            flags: field(8)?,
            method: field(10)?,
            crc: word(16)?,
            compressed: u64::from(word(20)?),
            size: u64::from(word(24)?),
            offset: u64::from(word(42)?),
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    if at != end {
        return Err(
            "its central directory holds more than its entries: bytes no entry covers".into(),
        );
    }
    entries.sort_by_key(|e| e.offset);
    // The local entries, from byte 0, one after the other.
    let mut at = 0usize;
    for entry in &entries {
        let shown = String::from_utf8_lossy(&entry.name)
            .escape_debug()
            .to_string();
        if entry.offset as usize != at {
            return Err(format!(
                "bytes {at}–{} lie before `{shown}` and no central entry covers them (a hidden entry, which a streaming unzip writes)",
                entry.offset
            ));
        }
        if u32_at(bytes, at) != Some(LOCAL) {
            return Err(format!(
                "`{shown}` has no local header where its central entry says"
            ));
        }
        let field = |o: usize| u16_at(bytes, at + o).ok_or_else(unreadable);
        let word = |o: usize| u32_at(bytes, at + o).ok_or_else(unreadable);
        let flags = field(6)?;
        let method = field(8)?;
        let name_len = usize::from(field(26)?);
        let extra_len = usize::from(field(28)?);
        let name = bytes
            .get(at + 30..at + 30 + name_len)
            .ok_or_else(unreadable)?;
        if name != entry.name.as_slice() {
            return Err(format!(
                "the local header of `{shown}` names it `{}`: a streaming unzip writes that name",
                String::from_utf8_lossy(name).escape_debug()
            ));
        }
        if method != entry.method || flags != entry.flags {
            return Err(format!(
                "the local header of `{shown}` disagrees with its central entry on how it is stored"
            ));
        }
        let deferred = flags & 0x0008 != 0;
        let (crc, compressed, size) = (word(14)?, u64::from(word(18)?), u64::from(word(22)?));
        if !deferred && (crc, compressed, size) != (entry.crc, entry.compressed, entry.size) {
            return Err(format!(
                "the local header of `{shown}` gives another size or checksum than its central entry"
            ));
        }
        at = at + 30 + name_len + extra_len;
        at = at
            .checked_add(usize::try_from(entry.compressed).map_err(|_| unreadable())?)
            .filter(|&a| a <= cd_offset)
            .ok_or_else(|| format!("`{shown}` runs into the central directory"))?;
        if deferred {
            // The data descriptor: its signature is optional.
            let signed = usize::from(u32_at(bytes, at) == Some(DESCRIPTOR)) * 4;
            let (crc, compressed, size) = (
                u32_at(bytes, at + signed).ok_or_else(unreadable)?,
                u64::from(u32_at(bytes, at + signed + 4).ok_or_else(unreadable)?),
                u64::from(u32_at(bytes, at + signed + 8).ok_or_else(unreadable)?),
            );
            if (crc, compressed, size) != (entry.crc, entry.compressed, entry.size) {
                return Err(format!(
                    "the data descriptor of `{shown}` gives another size or checksum than its central entry"
                ));
            }
            at += signed + 12;
        }
    }
    if at != cd_offset {
        return Err(format!(
            "bytes {at}–{cd_offset} before the central directory belong to no central entry (a hidden entry, which a streaming unzip writes)"
        ));
    }
    Ok(())
}

/// The problem with `name` on some system a bundle may be unpacked on, if any: a character
/// or name Windows cannot hold, or one it changes.
pub(super) fn unportable(name: &str) -> Option<String> {
    const RESERVED: &[&str] = &[
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control())
    {
        return Some(format!(
            "it holds `{}`, which Windows does not allow in a name",
            c.escape_debug()
        ));
    }
    for part in name.split('/') {
        if part.ends_with('.') || part.ends_with(' ') {
            return Some(format!(
                "`{part}` ends in a dot or space, which Windows drops"
            ));
        }
        let stem = part.split('.').next().unwrap_or(part).trim_end();
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
            return Some(format!("`{part}` is a device name on Windows"));
        }
    }
    None
}

/// The name as a file system that folds case and Unicode form sees it (Windows, macOS).
fn folded(name: &str) -> String {
    name.nfc()
        .collect::<String>()
        .to_lowercase()
        .nfc()
        .collect()
}

/// Pairs of names that are one file where case and Unicode form are folded.
pub(super) fn collisions<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut problems = Vec::new();
    for name in names {
        if let Some(other) = seen.insert(folded(name), name) {
            problems.push(format!(
                "`{}` and `{}` are one file on Windows and macOS (case or Unicode form): one would overwrite the other",
                other.escape_debug(),
                name.escape_debug()
            ));
        }
    }
    problems
}

/// `name` made into one every system keeps as it is: NFC, with what Windows refuses in a
/// name replaced by `_` and a trailing dot or space dropped (issue 29: `bundle` wrote a
/// bilaga's name with a backslash that its own `verify` refused).
pub(super) fn portable(name: &str) -> String {
    let mut out: String = name
        .nfc()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    while out.ends_with('.') || out.ends_with(' ') {
        out.pop();
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_or_macos_would_change_are_found() {
        assert!(unportable("bilagor/a\\b.md").is_some());
        assert!(unportable("meeting.pdf.").is_some());
        assert!(unportable("bilagor/con.md").is_some());
        assert!(unportable("a:b.pdf").is_some());
        assert!(unportable("bilagor/bilaga-1-con.md").is_none());
        assert_eq!(collisions(["A.pdf", "a.pdf"]).len(), 1);
        assert_eq!(collisions(["\u{e5}.md", "a\u{30a}.md"]).len(), 1);
        assert!(collisions(["a.pdf", "b.pdf"]).is_empty());
        assert_eq!(portable("a\\b:c. "), "a_b_c");
        assert_eq!(portable("a\u{30a}.md"), "\u{e5}.md");
    }
}
