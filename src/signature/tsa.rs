//! RFC 3161 timestamps: the token a PAdES B-T signature carries as the unsigned attribute
//! id-aa-timeStampToken (ETSI EN 319 142-1 §5.3), a CMS SignedData by the timestamp
//! authority over a TSTInfo whose message imprint is the hash of the signature value.
//! Asked for over plain HTTP (RFC 3161 §3.4), as authorities serve it: the token is signed,
//! so transport security adds nothing to what it proves.

use der::asn1::{GeneralizedTime, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Sequence};
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::cms;

const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// MessageImprint (RFC 3161 §2.4.1).
#[derive(Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

/// TimeStampReq (RFC 3161 §2.4.1), with the authority's certificate asked for.
#[derive(Sequence)]
struct TimeStampReq {
    version: u8,
    message_imprint: MessageImprint,
    nonce: der::asn1::Uint,
    cert_req: bool,
}

/// Asks the authority at `url` for a token over `signature` (SHA-256); returns the token
/// (a ContentInfo), checked as [`read_token`] checks it.
pub(crate) fn request(url: &str, signature: &[u8]) -> Result<Any, String> {
    let hash = cms::digest(cms::ID_SHA256, &[signature])?;
    let e = |e: der::Error| e.to_string();
    // The nonce: from the hash, so a run is repeatable; it still ties reply to request.
    let nonce = der::asn1::Uint::new(&hash[..8]).map_err(e)?;
    let body = TimeStampReq {
        version: 1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: cms::ID_SHA256,
                parameters: None,
            },
            hashed_message: OctetString::new(hash).map_err(e)?,
        },
        nonce,
        cert_req: true,
    }
    .to_der()
    .map_err(e)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .build()
        .into();
    let mut response = agent
        .post(url)
        .content_type("application/timestamp-query")
        .send(&body[..])
        .map_err(|err| format!("timestamp authority {url}: {err}"))?;
    let reply = response
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_vec()
        .map_err(|err| format!("timestamp authority {url}: {err}"))?;
    // TimeStampResp: status (PKIStatusInfo), then the token.
    let parts = Vec::<Any>::from_der(&reply)
        .map_err(|err| format!("timestamp authority {url}: not a timestamp reply: {err}"))?;
    let status = parts
        .first()
        .and_then(|s| s.decode_as::<Vec<Any>>().ok())
        .and_then(|s| s.first().and_then(|n| n.decode_as::<u8>().ok()));
    // 0 granted, 1 granted with modifications (RFC 3161 §2.4.2).
    let (Some(0 | 1), Some(token)) = (status, parts.get(1)) else {
        return Err(format!(
            "timestamp authority {url} refused the request (status {status:?})"
        ));
    };
    read_token(token, signature).map_err(|err| format!("timestamp authority {url}: {err}"))?;
    Ok(token.clone())
}

/// Checks the token (a ContentInfo) over `signature` — its imprint, and the authority's
/// signature over the TSTInfo — and returns its time (genTime), RFC 3339.
pub(crate) fn read_token(token: &Any, signature: &[u8]) -> Result<String, String> {
    let der = token.to_der().map_err(|e| e.to_string())?;
    let signed = cms::parse(&der)?;
    if signed.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err("the token holds no TSTInfo".into());
    }
    let content = signed
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or("the token holds no TSTInfo")?
        .decode_as::<OctetString>()
        .map_err(|e| e.to_string())?;
    let fields = Vec::<Any>::from_der(content.as_bytes()).map_err(|e| format!("TSTInfo: {e}"))?;
    let [_, _, imprint, _, time, ..] = fields.as_slice() else {
        return Err("TSTInfo is too short".into());
    };
    let imprint = imprint
        .decode_as::<MessageImprint>()
        .map_err(|e| format!("TSTInfo: {e}"))?;
    let time = time
        .decode_as::<GeneralizedTime>()
        .map_err(|e| format!("TSTInfo: {e}"))?;
    let expected = cms::digest(imprint.hash_algorithm.oid, &[signature])?;
    if imprint.hashed_message.as_bytes() != expected.as_slice() {
        return Err("the token is for another signature (its imprint differs)".into());
    }
    // The authority's own signature over the TSTInfo.
    let certs = cms::certificates(&signed);
    let info = signed
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or("the token has no signer")?;
    let attrs = info
        .signed_attrs
        .as_ref()
        .ok_or("the token has no signed attributes")?;
    let digest = cms::digest(info.digest_alg.oid, &[content.as_bytes()])?;
    let claimed = cms::attribute_value(attrs, cms::MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok());
    if claimed.is_none_or(|c| c.as_bytes() != digest.as_slice()) {
        return Err("the token's TSTInfo does not match its signature".into());
    }
    let tsa = cms::signer_certificate(&info.sid, &certs)
        .ok_or("the token does not carry the authority's certificate")?;
    let key = cms::rsa_key(tsa)?;
    cms::verify_rsa(
        &key,
        info.signature_algorithm.oid,
        info.digest_alg.oid,
        &cms::to_be_signed(attrs)?,
        info.signature.as_bytes(),
    )
    .map_err(|e| format!("the authority's signature: {e}"))?;
    Ok(time.to_date_time().to_string())
}
