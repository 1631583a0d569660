//! The e-seal's key and certificates from a PKCS#12 file (RFC 7292), as `openssl pkcs12
//! -export` writes it today: PBES2 (PBKDF2 + AES-CBC) for the key and certificates, an
//! HMAC-SHA-256 MAC over the contents. The older RC2/3DES encryption (`-legacy`) is refused
//! with a hint to re-export: it is what a file from before OpenSSL 3 used.

use der::asn1::OctetString;
use der::{Decode, Encode};
use hmac::{Hmac, Mac};
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use pkcs12::pbe_params::EncryptedPrivateKeyInfo;
use pkcs12::pfx::Pfx;
use pkcs12::safe_bag::SafeContents;
use rsa::pkcs8::DecodePrivateKey;
use x509_cert::Certificate;

const ID_DATA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const ID_SHA256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// A signing key and its certificate chain, the signer's own certificate first.
pub struct Seal {
    pub(crate) key: rsa::PrivateKey,
    pub(crate) chain: Vec<Certificate>,
}

impl Seal {
    /// The signer's certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.chain[0]
    }
}

/// Reads `bytes` (a .p12/.pfx file) with `password`.
pub fn read(bytes: &[u8], password: &str) -> Result<Seal, String> {
    let pfx = Pfx::from_der(bytes).map_err(|e| format!("not a PKCS#12 file: {e}"))?;
    if pfx.auth_safe.content_type != ID_DATA {
        return Err("a PKCS#12 file signed with a public key is not supported".into());
    }
    let content = pfx
        .auth_safe
        .content
        .decode_as::<OctetString>()
        .map_err(|e| format!("PKCS#12 contents: {e}"))?;
    let content = content.as_bytes();
    if let Some(mac) = &pfx.mac_data {
        if mac.mac.algorithm.oid != ID_SHA256 {
            return Err(format!(
                "the PKCS#12 file's integrity check uses {}, not SHA-256",
                mac.mac.algorithm.oid
            ));
        }
        let key = derive_key_utf8::<sha2::Sha256>(
            password,
            mac.mac_salt.as_bytes(),
            Pkcs12KeyType::Mac,
            mac.iterations,
            32,
        )
        .map_err(|e| format!("PKCS#12 password: {e}"))?;
        let mut hmac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
        hmac.update(content);
        if hmac.verify_slice(mac.mac.digest.as_bytes()).is_err() {
            return Err("wrong password for the PKCS#12 file (or the file is damaged)".into());
        }
    }
    let parts = Vec::<cms::content_info::ContentInfo>::from_der(content)
        .map_err(|e| format!("PKCS#12 contents: {e}"))?;
    let mut keys = Vec::new();
    let mut certs = Vec::new();
    for part in parts {
        let safe = if part.content_type == ID_DATA {
            part.content
                .decode_as::<OctetString>()
                .map_err(|e| format!("PKCS#12 bag: {e}"))?
                .as_bytes()
                .to_vec()
        } else if part.content_type == ID_ENCRYPTED_DATA {
            let data = part
                .content
                .decode_as::<cms::encrypted_data::EncryptedData>()
                .map_err(|e| format!("PKCS#12 encrypted bag: {e}"))?;
            let info = data.enc_content_info;
            let cipher = info
                .encrypted_content
                .ok_or("PKCS#12: an empty encrypted bag")?;
            decrypt(&info.content_enc_alg, password, cipher.as_bytes())?
        } else {
            continue;
        };
        let bags = SafeContents::from_der(&safe).map_err(|e| format!("PKCS#12 bags: {e}"))?;
        for bag in bags {
            // The bag's value comes with its [0] EXPLICIT wrapper.
            let inner = der::asn1::AnyRef::from_der(&bag.bag_value)
                .map_err(|e| format!("PKCS#12 bag: {e}"))?
                .value()
                .to_vec();
            if bag.bag_id == pkcs12::PKCS_12_PKCS8_KEY_BAG_OID {
                let info = EncryptedPrivateKeyInfo::from_der(&inner)
                    .map_err(|e| format!("PKCS#12 key: {e}"))?;
                keys.push(decrypt(
                    &info.encryption_algorithm,
                    password,
                    info.encrypted_data.as_bytes(),
                )?);
            } else if bag.bag_id == pkcs12::PKCS_12_KEY_BAG_OID {
                keys.push(inner);
            } else if bag.bag_id == pkcs12::PKCS_12_CERT_BAG_OID {
                let cert = pkcs12::cert_type::CertBag::from_der(&inner)
                    .map_err(|e| format!("PKCS#12 certificate: {e}"))?;
                if cert.cert_id == pkcs12::PKCS_12_X509_CERT_OID {
                    certs.push(
                        Certificate::from_der(cert.cert_value.as_bytes())
                            .map_err(|e| format!("PKCS#12 certificate: {e}"))?,
                    );
                }
            }
        }
    }
    let [key] = keys.as_slice() else {
        return Err(format!(
            "the PKCS#12 file holds {} private keys; one is needed",
            keys.len()
        ));
    };
    let key = rsa::PrivateKey::from_pkcs8_der(key)
        .map_err(|e| format!("the PKCS#12 file's key is not an RSA key this tool can use: {e}"))?;
    // The signer's certificate is the one whose public key is the key's.
    let public = rsa::PublicKey::from(&key);
    let position = certs
        .iter()
        .position(|c| super::cms::rsa_key(c).is_ok_and(|k| k == public))
        .ok_or("the PKCS#12 file has no certificate for its key")?;
    let mine = certs.remove(position);
    let mut chain = vec![mine];
    chain.extend(certs);
    Ok(Seal { key, chain })
}

/// Decrypts a PBES2-encrypted part; an old PKCS#12 encryption is refused with a hint.
fn decrypt(
    algorithm: &x509_cert::spki::AlgorithmIdentifierOwned,
    password: &str,
    cipher: &[u8],
) -> Result<Vec<u8>, String> {
    let der = algorithm.to_der().map_err(|e| e.to_string())?;
    let scheme = pkcs5::EncryptionScheme::from_der(&der).map_err(|_| {
        format!(
            "the PKCS#12 file is encrypted with {}, an old scheme: export it again with \
             OpenSSL 3 (`openssl pkcs12 -export`, without -legacy)",
            algorithm.oid
        )
    })?;
    scheme
        .decrypt(password, cipher)
        .map_err(|_| "wrong password for the PKCS#12 file".to_string())
}
