//! PDF advanced electronic signatures for justerade protocols (issue 27; docs/signatures.md):
//! PAdES baseline B-B and B-T (ETSI EN 319 142-1) as incremental updates of the PDF (ISO 32000-2
//! §12.8), CMS SignedData (RFC 5652) with the CAdES attributes PAdES takes, and RFC 3161
//! timestamp tokens (asked for when signing, checked on verification).
//!
//! Three ways in: [`sign`] with a key from a PKCS#12 file ([`p12`], the kommun's
//! organisational e-seal); [`prepare`] + [`embed`] for a signing service that signs the
//! digest elsewhere and returns a CMS; and [`verify`] for every signature of a PDF.
//! Everything works on bytes; reading and writing files is the command's job.

mod cms;
pub mod p12;
mod pdf;
mod tsa;
mod verify;

pub use p12::Seal;
pub use verify::{Chain, Coverage, Report, file_report, read_roots, verify};

/// The claimed signing time, as a PDF date (/M) and for people.
fn pdf_date(unix_seconds: i64) -> Result<String, String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix_seconds).map_err(|e| e.to_string())?;
    let format =
        time::macros::format_description!("D:[year][month][day][hour][minute][second]+00'00'");
    t.format(&format).map_err(|e| e.to_string())
}

/// The accessible name of the signature field (/TU): what a screen reader announces.
fn label(signer: Option<&str>) -> String {
    match signer {
        Some(name) => format!("Elektronisk underskrift: {name}"),
        None => "Elektronisk underskrift".to_string(),
    }
}

/// Signs `pdf` with `seal` at `unix_seconds` (the claimed signing time): the signed PDF,
/// the input's bytes followed by one incremental update. The signature goes into the first
/// empty signature field; when there is none, `signers` fields are added (this one's and
/// those of the signers to follow).
/// With `tsa` (an RFC 3161 authority's URL) the signature gets a timestamp token: PAdES
/// B-T.
pub fn sign(
    pdf: &[u8],
    seal: &Seal,
    unix_seconds: i64,
    signers: usize,
    tsa: Option<&str>,
) -> Result<Vec<u8>, String> {
    let signer = cms::common_name(&seal.certificate().tbs_certificate.subject);
    let prepared = pdf::prepare(
        pdf,
        &pdf::Field {
            label: label(Some(&signer)),
            time: pdf_date(unix_seconds)?,
            fields: signers,
        },
    )?;
    let digest = cms::digest(cms::ID_SHA256, &prepared.signed_parts())?;
    let attrs = cms::signed_attributes(&digest, seal.certificate())?;
    let signature = cms::sign_attributes(&seal.key, &attrs)?;
    let unsigned = match tsa {
        Some(url) => Some(cms::timestamp_attribute(tsa::request(url, &signature)?)?),
        None => None,
    };
    let contents = cms::assemble(&seal.chain, attrs, signature, unsigned)?;
    prepared.embed(&contents)
}

/// A PDF prepared for a signature made elsewhere.
pub struct Prepared {
    /// The PDF with the reserved signature field.
    pub pdf: Vec<u8>,
    /// The bytes the signature is to cover (the byte range, /Contents left out).
    pub signed_bytes: Vec<u8>,
    /// Their SHA-256: what the CMS's message-digest must be.
    pub digest: Vec<u8>,
}

/// Adds a reserved signature field to `pdf` (claimed time `unix_seconds`), for a CMS to be
/// made elsewhere over [`Prepared::signed_bytes`] and put in with [`embed`]. Fields as
/// [`sign`] adds them.
pub fn prepare(pdf: &[u8], unix_seconds: i64, signers: usize) -> Result<Prepared, String> {
    let prepared = pdf::prepare(
        pdf,
        &pdf::Field {
            label: label(None),
            time: pdf_date(unix_seconds)?,
            fields: signers,
        },
    )?;
    let signed_bytes = prepared.signed_parts().concat();
    let digest = cms::digest(cms::ID_SHA256, &[&signed_bytes])?;
    Ok(Prepared {
        pdf: prepared.pdf,
        signed_bytes,
        digest,
    })
}

/// Puts `contents` (a CMS SignedData, DER) into the field [`prepare`] reserved in `pdf`,
/// after checking that it signs this PDF: its message-digest is the prepared bytes' digest
/// and its signature verifies with the certificate it carries.
pub fn embed(pdf: &[u8], contents: &[u8]) -> Result<Vec<u8>, String> {
    let prepared = pdf::find_prepared(pdf)?;
    let signed = cms::parse(contents)?;
    let info = signed
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or("the CMS has no signer")?;
    let attrs = info
        .signed_attrs
        .as_ref()
        .ok_or("the CMS has no signed attributes (PAdES requires them: sign without -noattr)")?;
    let digest = cms::digest(info.digest_alg.oid, &prepared.signed_parts())?;
    let claimed = cms::attribute_value(attrs, cms::MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
        .ok_or("the CMS has no message-digest")?;
    if claimed.as_bytes() != digest.as_slice() {
        return Err("the CMS signs other bytes than this prepared PDF's".into());
    }
    let certs = cms::certificates(&signed);
    let cert = cms::signer_certificate(&info.sid, &certs)
        .ok_or("the CMS does not carry the signer's certificate")?;
    cms::verify_rsa(
        &cms::rsa_key(cert)?,
        info.signature_algorithm.oid,
        info.digest_alg.oid,
        &cms::to_be_signed(attrs)?,
        info.signature.as_bytes(),
    )?;
    prepared.embed(contents)
}
