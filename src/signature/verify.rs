//! Checking every signature of a PDF (ISO 32000-2 §12.8.1, ETSI EN 319 102-1 in outline):
//! the byte range it covers and whether that is the whole file, the document digest
//! against the CMS message-digest, the signature value with the signer's key, the
//! timestamp token's imprint (RFC 3161) and the certificate chain up to given roots.
//!
//! Not checked: revocation (no OCSP or CRL is fetched), and what a later revision changed
//! beyond whether a later signature covers it (see [`Coverage`]).

use lopdf::{Document, Object};
use serde::Serialize;
use x509_cert::Certificate;

use super::cms;

/// A signature field's signature dictionary, as found.
pub(crate) struct Found {
    pub name: String,
    pub byte_range: [usize; 4],
    pub contents: Vec<u8>,
    pub time: Option<String>,
    pub sub_filter: String,
}

/// What one signature covers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Coverage {
    /// Every byte of the file (but its own /Contents).
    WholeFile,
    /// The file up to `signed_bytes` of `file_bytes`; what came after is covered by a later
    /// signature (`by_later_signature`) or by nobody.
    EarlierRevision {
        signed_bytes: usize,
        file_bytes: usize,
        by_later_signature: bool,
    },
}

/// The certificate chain's standing.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "status", content = "detail")]
pub enum Chain {
    /// Leads to one of the given roots; the root's name.
    Trusted(String),
    /// Does not; why.
    Untrusted(String),
    /// No roots were given.
    NotChecked,
}

/// One signature's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The field's name (/T).
    pub field: String,
    /// The signer's common name, when the certificate is found.
    pub signer: Option<String>,
    /// The signer certificate's subject, whole.
    pub signer_subject: Option<String>,
    /// The claimed signing time (/M, or the CMS signing-time), as written.
    pub signing_time: Option<String>,
    /// The timestamp token's time (genTime), if the signature has one.
    pub timestamp_time: Option<String>,
    /// Whether the timestamp token's imprint matches the signature value.
    pub timestamp_valid: Option<bool>,
    pub sub_filter: String,
    pub coverage: Coverage,
    /// The digest of the covered bytes equals the signed message-digest.
    pub digest_valid: bool,
    /// The signature value verifies with the signer's key.
    pub signature_valid: bool,
    pub chain: Chain,
    /// Problems found, in words.
    pub problems: Vec<String>,
}

impl Report {
    /// Valid: intact, correctly signed, and trusted when roots were given.
    pub fn is_valid(&self) -> bool {
        self.digest_valid
            && self.signature_valid
            && self.timestamp_valid != Some(false)
            && !matches!(self.chain, Chain::Untrusted(_))
    }
}

/// One file's verification as `assemble verify --json` prints it (one object of its array)
/// and the archive package keeps it: the file's name, whether every signature is valid
/// (and there is one), and each report.
pub fn file_report(file: &str, reports: &[Report]) -> serde_json::Value {
    serde_json::json!({
        "file": file,
        "valid": !reports.is_empty() && reports.iter().all(Report::is_valid),
        "signatures": reports,
    })
}

/// The signature dictionaries of the PDF's signature fields, in file order.
pub(crate) fn signature_fields(pdf: &[u8]) -> Result<Vec<Found>, String> {
    let doc = Document::load_mem(pdf).map_err(|e| format!("cannot read the PDF: {e}"))?;
    let catalog = doc.catalog().map_err(|e| e.to_string())?;
    let acroform = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let mut pending: Vec<Object> = acroform
        .and_then(|a| a.get(b"Fields").ok())
        .map(|f| match f {
            Object::Reference(id) => doc
                .get_object(*id)
                .and_then(Object::as_array)
                .cloned()
                .unwrap_or_default(),
            Object::Array(a) => a.clone(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut seen = 0;
    while let Some(field) = pending.pop() {
        seen += 1;
        if seen > 100_000 {
            return Err("the PDF's form fields go round in a circle".into());
        }
        let Ok(dict) = (match &field {
            Object::Reference(id) => doc.get_dictionary(*id),
            Object::Dictionary(d) => Ok(d),
            _ => continue,
        }) else {
            continue;
        };
        if let Ok(Object::Array(kids)) = dict.get(b"Kids") {
            pending.extend(kids.iter().cloned());
        }
        if dict.get(b"FT").and_then(Object::as_name).ok() != Some(b"Sig") {
            continue;
        }
        let Ok(value) = dict.get(b"V") else { continue };
        let Ok(sig) = (match value {
            Object::Reference(id) => doc.get_dictionary(*id),
            Object::Dictionary(d) => Ok(d),
            _ => continue,
        }) else {
            continue;
        };
        let name = dict
            .get(b"T")
            .and_then(Object::as_str)
            .map(|s| {
                lopdf::decode_text_string(&Object::String(s.to_vec(), lopdf::StringFormat::Literal))
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        let range: Vec<usize> = sig
            .get(b"ByteRange")
            .and_then(Object::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_i64().ok())
                    .filter_map(|n| usize::try_from(n).ok())
                    .collect()
            })
            .unwrap_or_default();
        let [a, b, c, d] = range[..] else {
            return Err(format!("signature field `{name}` has no valid /ByteRange"));
        };
        let contents = sig
            .get(b"Contents")
            .and_then(Object::as_str)
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        let time = sig.get(b"M").and_then(Object::as_str).ok().map(|s| {
            let raw = String::from_utf8_lossy(s).into_owned();
            parse_pdf_date(&raw).map_or(raw, rfc3339)
        });
        let sub_filter = sig
            .get(b"SubFilter")
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        found.push(Found {
            name,
            byte_range: [a, b, c, d],
            contents,
            time,
            sub_filter,
        });
    }
    found.sort_by_key(|f| f.byte_range[2] + f.byte_range[3]);
    Ok(found)
}

/// Verifies every signature of `pdf`; `roots` are the trusted certificates (none: the
/// chain is not checked).
pub fn verify(pdf: &[u8], roots: Option<&[Certificate]>) -> Result<Vec<Report>, String> {
    let found = signature_fields(pdf)?;
    let ends: Vec<usize> = found
        .iter()
        .map(|f| f.byte_range[2] + f.byte_range[3])
        .collect();
    Ok(found
        .iter()
        .enumerate()
        .map(|(i, f)| check(pdf, f, roots, &ends[i + 1..]))
        .collect())
}

fn check(pdf: &[u8], found: &Found, roots: Option<&[Certificate]>, later_ends: &[usize]) -> Report {
    let mut report = Report {
        field: found.name.clone(),
        signer: None,
        signer_subject: None,
        signing_time: found
            .time
            .clone()
            .map(|raw| parse_pdf_date(&raw).map_or(raw, rfc3339)),
        timestamp_time: None,
        timestamp_valid: None,
        sub_filter: found.sub_filter.clone(),
        coverage: Coverage::WholeFile,
        digest_valid: false,
        signature_valid: false,
        chain: if roots.is_some() {
            Chain::Untrusted("not checked".into())
        } else {
            Chain::NotChecked
        },
        problems: Vec::new(),
    };
    let [a, b, c, d] = found.byte_range;
    let end = c.saturating_add(d);
    if a != 0 || b >= c || end > pdf.len() || pdf[b] != b'<' || pdf[c - 1] != b'>' {
        report
            .problems
            .push("the byte range does not leave out exactly the signature's /Contents".into());
        return report;
    }
    if end != pdf.len() {
        report.coverage = Coverage::EarlierRevision {
            signed_bytes: end,
            file_bytes: pdf.len(),
            by_later_signature: later_ends.last() == Some(&pdf.len()),
        };
    }
    let signed = match cms::parse(&found.contents) {
        Ok(s) => s,
        Err(e) => {
            report.problems.push(e);
            return report;
        }
    };
    let certs = cms::certificates(&signed);
    let Some(info) = signed.signer_infos.0.iter().next() else {
        report.problems.push("the CMS has no signer".into());
        return report;
    };
    let signer = cms::signer_certificate(&info.sid, &certs);
    if let Some(cert) = signer {
        report.signer = Some(cms::common_name(&cert.tbs_certificate.subject));
        report.signer_subject = Some(cert.tbs_certificate.subject.to_string());
    } else {
        report
            .problems
            .push("the signer's certificate is not in the CMS".into());
    }
    let parts = [&pdf[..b], &pdf[c..end]];
    let Some(attrs) = &info.signed_attrs else {
        report
            .problems
            .push("the CMS has no signed attributes (PAdES requires them)".into());
        return report;
    };
    match cms::digest(info.digest_alg.oid, &parts) {
        Ok(digest) => {
            let claimed = cms::attribute_value(attrs, cms::MESSAGE_DIGEST)
                .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok());
            report.digest_valid = claimed.is_some_and(|c| c.as_bytes() == digest.as_slice());
            if !report.digest_valid {
                report.problems.push(
                    "the document was modified: the digest of the signed bytes differs".into(),
                );
            }
        }
        Err(e) => report.problems.push(e),
    }
    if report.signing_time.is_none()
        && let Some(t) = cms::attribute_value(attrs, cms::SIGNING_TIME).and_then(|v| {
            let der = der::Encode::to_der(v).ok()?;
            <x509_cert::time::Time as der::Decode>::from_der(&der).ok()
        })
    {
        report.signing_time = Some(t.to_string());
    }
    if let Some(cert) = signer {
        let result = cms::rsa_key(cert).and_then(|key| {
            let tbs = cms::to_be_signed(attrs)?;
            cms::verify_rsa(
                &key,
                info.signature_algorithm.oid,
                info.digest_alg.oid,
                &tbs,
                info.signature.as_bytes(),
            )
        });
        match result {
            Ok(()) => report.signature_valid = true,
            Err(e) => report.problems.push(e),
        }
        if let Some(roots) = roots {
            report.chain = chain(cert, &certs, roots);
        }
        // The certificate must have been valid when it signed (as claimed; a timestamp,
        // below, is the better witness of that time but is checked for itself).
        if let Some(at) = found.time.as_deref().and_then(parse_pdf_date) {
            let validity = &cert.tbs_certificate.validity;
            let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
            let at = at.unix_timestamp();
            if at < secs(validity.not_before) || at > secs(validity.not_after) {
                report.chain = Chain::Untrusted(
                    "the signer's certificate was not valid at the claimed signing time".into(),
                );
            }
        }
    }
    if let Some(token) = info
        .unsigned_attrs
        .as_ref()
        .and_then(|u| cms::attribute_value(u, cms::TIMESTAMP_TOKEN))
    {
        match super::tsa::read_token(token, info.signature.as_bytes()) {
            Ok(time) => {
                report.timestamp_time = Some(time);
                report.timestamp_valid = Some(true);
            }
            Err(e) => {
                report.timestamp_valid = Some(false);
                report.problems.push(format!("timestamp: {e}"));
            }
        }
    }
    if let Chain::Untrusted(why) = &report.chain {
        report.problems.push(format!("certificate chain: {why}"));
    }
    report
}

/// Walks from `cert` through `pool` to one of `roots`, checking each signature.
fn chain(cert: &Certificate, pool: &[Certificate], roots: &[Certificate]) -> Chain {
    let mut current = cert.clone();
    for _ in 0..10 {
        let issuer_name = &current.tbs_certificate.issuer;
        for root in roots {
            if root == &current {
                return Chain::Trusted(root.tbs_certificate.subject.to_string());
            }
            if &root.tbs_certificate.subject == issuer_name
                && cms::verify_certificate(&current, root).is_ok()
            {
                return Chain::Trusted(root.tbs_certificate.subject.to_string());
            }
        }
        let next = pool.iter().find(|c| {
            &c.tbs_certificate.subject == issuer_name
                && *c != &current
                && cms::verify_certificate(&current, c).is_ok()
        });
        match next {
            Some(n) => current = n.clone(),
            None => {
                return Chain::Untrusted(format!(
                    "no path from `{}` to the given roots",
                    cert.tbs_certificate.subject
                ));
            }
        }
    }
    Chain::Untrusted("the chain is longer than 10 certificates".into())
}

/// A PDF date (`D:YYYYMMDDHHmmSSOHH'mm`, ISO 32000-2 §7.9.4), as far as it goes; or
/// RFC 3339, which lopdf turns a PDF date it reads into.
fn parse_pdf_date(text: &str) -> Option<time::OffsetDateTime> {
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Some(t);
    }
    let t = text.strip_prefix("D:").unwrap_or(text);
    let digits_end = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits_end < 4 || (digits_end < t.len() && digits_end < 14) {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = t.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(digits(4..6).unwrap_or(1)).ok()?).ok()?;
    let day = u8::try_from(digits(6..8).unwrap_or(1)).ok()?;
    let hour = u8::try_from(digits(8..10).unwrap_or(0)).ok()?;
    let minute = u8::try_from(digits(10..12).unwrap_or(0)).ok()?;
    let second = u8::try_from(digits(12..14).unwrap_or(0)).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms(hour, minute, second).ok()?;
    let offset = match t.get(14..15) {
        Some(sign @ ("+" | "-")) => {
            let h = i8::try_from(digits(15..17)?).ok()?;
            let m = t
                .get(18..20)
                .and_then(|m| m.parse::<i8>().ok())
                .unwrap_or(0);
            let (h, m) = if sign == "-" { (-h, -m) } else { (h, m) };
            time::UtcOffset::from_hms(h, m, 0).ok()?
        }
        _ => time::UtcOffset::UTC,
    };
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

/// A time as RFC 3339 (`2026-12-07T06:09:14+00:00`).
fn rfc3339(t: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]"
    );
    t.format(&format).unwrap_or_default()
}

/// Reads PEM certificates (one or more) from `text`.
pub fn read_roots(text: &[u8]) -> Result<Vec<Certificate>, String> {
    let certs =
        Certificate::load_pem_chain(text).map_err(|e| format!("not PEM certificates: {e}"))?;
    if certs.is_empty() {
        return Err("no certificate in the file".into());
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_read_with_their_offset() {
        let t = parse_pdf_date("D:20261207063000+00'00'").unwrap();
        assert_eq!(rfc3339(t), "2026-12-07T06:30:00+00:00");
        let t = parse_pdf_date("D:20200917143005+02'00'").unwrap();
        assert_eq!(rfc3339(t), "2020-09-17T14:30:05+02:00");
        let t = parse_pdf_date("D:2020").unwrap();
        assert_eq!(rfc3339(t), "2020-01-01T00:00:00+00:00");
        let t = parse_pdf_date("2026-12-07T06:34:36+00:00").unwrap();
        assert_eq!(rfc3339(t), "2026-12-07T06:34:36+00:00");
        assert!(parse_pdf_date("2026-12").is_none());
        let t = parse_pdf_date("D:2020").unwrap();
        assert_eq!(rfc3339(t), "2020-01-01T00:00:00+00:00");
        assert!(parse_pdf_date("yesterday").is_none());
    }
}
