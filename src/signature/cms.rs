//! The CMS SignedData of a PAdES signature (RFC 5652; ETSI EN 319 122-1 for the CAdES
//! attributes PAdES takes): detached (the signed bytes are the PDF's byte range, not in the
//! CMS), signed attributes content-type, message-digest and signing-certificate-v2, no
//! signing-time (PAdES puts the claimed time in the signature dictionary's /M, EN 319 142-1
//! §5.2.2), SHA-256 with RSA PKCS #1 v1.5. Also reading one back, for verification.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::oid::ObjectIdentifier;
use der::{Any, Decode, Encode, Sequence};
use rsa::pkcs8::DecodePublicKey;
use sha2::Digest;
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, AttributeValue};
use x509_cert::spki::AlgorithmIdentifierOwned;

pub(crate) const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub(crate) const ID_SIGNED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const ID_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const ID_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const ID_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
pub(crate) const CONTENT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub(crate) const MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub(crate) const SIGNING_TIME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-aa-timeStampToken (RFC 3161 Appendix A): the TSA's token on the signature value.
pub(crate) const TIMESTAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// ESSCertIDv2 (RFC 5035) with its default hash algorithm, SHA-256, left out.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

/// SigningCertificateV2 (RFC 5035): which certificate signed, so it cannot be swapped.
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, String> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(|e| e.to_string())?;
    Ok(Attribute { oid, values })
}

fn any(value: &impl Encode) -> Result<Any, String> {
    let der = value.to_der().map_err(|e| e.to_string())?;
    Any::from_der(&der).map_err(|e| e.to_string())
}

/// The signed attributes for a document digest (SHA-256 of the byte range) and the
/// signer's certificate.
pub(crate) fn signed_attributes(
    digest: &[u8],
    signer: &Certificate,
) -> Result<SetOfVec<Attribute>, String> {
    let cert_der = signer.to_der().map_err(|e| e.to_string())?;
    let essid = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(sha2::Sha256::digest(&cert_der).to_vec())
                .map_err(|e| e.to_string())?,
        }],
    };
    let mut attrs = SetOfVec::new();
    for a in [
        attribute(CONTENT_TYPE, any(&ID_DATA)?)?,
        attribute(
            MESSAGE_DIGEST,
            any(&OctetString::new(digest.to_vec()).map_err(|e| e.to_string())?)?,
        )?,
        attribute(SIGNING_CERTIFICATE_V2, any(&essid)?)?,
    ] {
        attrs.insert(a).map_err(|e| e.to_string())?;
    }
    Ok(attrs)
}

/// The unsigned attributes holding a timestamp token.
pub(crate) fn timestamp_attribute(token: Any) -> Result<SetOfVec<Attribute>, String> {
    let mut attrs = SetOfVec::new();
    attrs
        .insert(attribute(TIMESTAMP_TOKEN, token)?)
        .map_err(|e| e.to_string())?;
    Ok(attrs)
}

/// The bytes the signer's key signs: the DER of the signed attributes as a SET OF
/// (RFC 5652 §5.4), not as the [0] they are stored under.
pub(crate) fn to_be_signed(attrs: &SetOfVec<Attribute>) -> Result<Vec<u8>, String> {
    attrs.to_der().map_err(|e| e.to_string())
}

/// Signs `attrs` with the seal's key.
pub(crate) fn sign_attributes(
    key: &rsa::PrivateKey,
    attrs: &SetOfVec<Attribute>,
) -> Result<Vec<u8>, String> {
    let digest = sha2::Sha256::digest(to_be_signed(attrs)?);
    key.sign(rsa::Pkcs1v15Sign::new::<rsa::sha2::Sha256>(), &digest)
        .map_err(|e| format!("signing failed: {e}"))
}

/// The ContentInfo (DER) holding the SignedData.
pub(crate) fn assemble(
    chain: &[Certificate],
    attrs: SetOfVec<Attribute>,
    signature: Vec<u8>,
    unsigned: Option<SetOfVec<Attribute>>,
) -> Result<Vec<u8>, String> {
    let e = |e: der::Error| e.to_string();
    let signer = &chain[0];
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signer.tbs_certificate.issuer.clone(),
            serial_number: signer.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256_algorithm(),
        signed_attrs: Some(attrs),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: RSA_ENCRYPTION,
            parameters: Some(Any::null()),
        },
        signature: OctetString::new(signature).map_err(e)?,
        unsigned_attrs: unsigned,
    };
    let mut digests = SetOfVec::new();
    digests.insert(sha256_algorithm()).map_err(e)?;
    let mut certs = SetOfVec::new();
    for c in chain {
        certs
            .insert(CertificateChoices::Certificate(c.clone()))
            .map_err(e)?;
    }
    let mut infos = SetOfVec::new();
    infos.insert(info).map_err(e)?;
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: digests,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: any(&signed)?,
    }
    .to_der()
    .map_err(e)
}

/// A SignedData read from a signature's /Contents, which is padded with zeros after the
/// DER: only the first value is read.
pub(crate) fn parse(contents: &[u8]) -> Result<SignedData, String> {
    let mut reader = der::SliceReader::new(contents).map_err(|e| e.to_string())?;
    let info: ContentInfo =
        der::Decode::decode(&mut reader).map_err(|e| format!("not CMS: {e}"))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(format!("CMS of type {}, not SignedData", info.content_type));
    }
    info.content
        .decode_as::<SignedData>()
        .map_err(|e| format!("CMS SignedData: {e}"))
}

/// The certificates in a SignedData.
pub(crate) fn certificates(signed: &SignedData) -> Vec<Certificate> {
    signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect()
}

/// The certificate `sid` names, among `certs`.
pub(crate) fn signer_certificate<'a>(
    sid: &SignerIdentifier,
    certs: &'a [Certificate],
) -> Option<&'a Certificate> {
    certs.iter().find(|c| match sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => {
            c.tbs_certificate.issuer == is.issuer
                && c.tbs_certificate.serial_number == is.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate
            .get::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, k)| k.0 == ski.0),
    })
}

/// The first value of attribute `oid`, if present.
pub(crate) fn attribute_value(
    attrs: &SetOfVec<Attribute>,
    oid: ObjectIdentifier,
) -> Option<&AttributeValue> {
    attrs
        .iter()
        .find(|a| a.oid == oid)
        .and_then(|a| a.values.iter().next())
}

/// The RSA public key of `cert`.
pub(crate) fn rsa_key(cert: &Certificate) -> Result<rsa::PublicKey, String> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    if spki.algorithm.oid != RSA_ENCRYPTION {
        return Err(format!(
            "the certificate's key is of type {}; this tool checks RSA keys only",
            spki.algorithm.oid
        ));
    }
    let der = spki.to_der().map_err(|e| e.to_string())?;
    rsa::PublicKey::from_public_key_der(&der).map_err(|e| e.to_string())
}

/// Hashes `data` with the digest algorithm `oid`.
pub(crate) fn digest(oid: ObjectIdentifier, data: &[&[u8]]) -> Result<Vec<u8>, String> {
    fn run<D: Digest>(data: &[&[u8]]) -> Vec<u8> {
        let mut d = D::new();
        for part in data {
            d.update(part);
        }
        d.finalize().to_vec()
    }
    match oid {
        ID_SHA256 => Ok(run::<sha2::Sha256>(data)),
        ID_SHA384 => Ok(run::<sha2::Sha384>(data)),
        ID_SHA512 => Ok(run::<sha2::Sha512>(data)),
        other => Err(format!("digest algorithm {other} is not supported")),
    }
}

/// Checks an RSA PKCS #1 v1.5 signature over `message` hashed with `digest_oid`.
/// `algorithm` is the signature algorithm as written (rsaEncryption, or sha*WithRSA).
pub(crate) fn verify_rsa(
    key: &rsa::PublicKey,
    algorithm: ObjectIdentifier,
    digest_oid: ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let digest_oid = match algorithm {
        RSA_ENCRYPTION => digest_oid,
        SHA256_WITH_RSA => ID_SHA256,
        SHA384_WITH_RSA => ID_SHA384,
        SHA512_WITH_RSA => ID_SHA512,
        other => return Err(format!("signature algorithm {other} is not supported")),
    };
    let hashed = digest(digest_oid, &[message])?;
    let scheme = match digest_oid {
        ID_SHA256 => rsa::Pkcs1v15Sign::new::<rsa::sha2::Sha256>(),
        ID_SHA384 => rsa::Pkcs1v15Sign::new::<rsa::sha2::Sha384>(),
        _ => rsa::Pkcs1v15Sign::new::<rsa::sha2::Sha512>(),
    };
    key.verify(scheme, &hashed, signature)
        .map_err(|_| "the signature value does not match".to_string())
}

/// Checks that `issuer` signed `cert`.
pub(crate) fn verify_certificate(cert: &Certificate, issuer: &Certificate) -> Result<(), String> {
    let key = rsa_key(issuer)?;
    let tbs = cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
    let signature = cert
        .signature
        .as_bytes()
        .ok_or("the certificate's signature is not whole bytes")?;
    verify_rsa(
        &key,
        cert.signature_algorithm.oid,
        ID_SHA256,
        &tbs,
        signature,
    )
}

/// The common name of a certificate's subject, or the whole name.
pub(crate) fn common_name(name: &x509_cert::name::Name) -> String {
    const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
    for rdn in name.0.iter().rev() {
        for atv in rdn.0.iter() {
            if atv.oid != CN {
                continue;
            }
            if let Ok(s) = atv.value.decode_as::<der::asn1::Utf8StringRef>() {
                return s.to_string();
            }
            if let Ok(s) = atv.value.decode_as::<der::asn1::PrintableStringRef>() {
                return s.to_string();
            }
        }
    }
    name.to_string()
}
