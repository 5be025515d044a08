"""The crypto layer: key objects, the KDF, small-blob AEAD, key slots, CVF1 streams, keyring.

Owns every use of a cryptographic primitive in the product (DESIGN §3 and §4). Only the vetted
primitives of ``cryptography`` are used: Argon2id, AES-256-GCM, HKDF-SHA256 and HMAC-SHA256.
Imports nothing from ``vault`` except ``vault.errors``. The byte formats are documented in
``docs/crypto-format.md``.

Modules:
    secret    SecretKey, 32 bytes of key material that wipes itself.
    kdf       Argon2id parameters, derivation, calibration and the start-up self-test.
    aead      seal/open small blobs, key wrapping, HKDF subkeys, HMAC.
    keyfile   ``vault.keys``: key slots, the wrapped DB key and its epochs, case keys.
    strength  the passphrase strength rule.
    cvf1      the CVF1 segmented document format.
    keystore  the opt-in OS keyring for quick unlock.
"""
