"""Tink, the reference implementation, holding one of our raw data keys."""

from __future__ import annotations

import io

import tink
from tink import secret_key_access, streaming_aead
from tink.proto import aes_gcm_hkdf_streaming_pb2, common_pb2, tink_pb2

from storage.crypto import KEY_SIZE, SEGMENT_SIZE

streaming_aead.register()
_TYPE_URL = "type.googleapis.com/google.crypto.tink.AesGcmHkdfStreamingKey"


def primitive(data_key: bytes) -> streaming_aead.StreamingAead:
    """Tink's AES256_GCM_HKDF_1MB streaming AEAD with `data_key` as its key material."""
    key = aes_gcm_hkdf_streaming_pb2.AesGcmHkdfStreamingKey(
        version=0,
        key_value=data_key,
        params=aes_gcm_hkdf_streaming_pb2.AesGcmHkdfStreamingParams(
            ciphertext_segment_size=SEGMENT_SIZE,
            derived_key_size=KEY_SIZE,
            hkdf_hash_type=common_pb2.SHA256,
        ),
    )
    keyset = tink_pb2.Keyset(
        primary_key_id=1,
        key=[
            tink_pb2.Keyset.Key(
                key_data=tink_pb2.KeyData(
                    type_url=_TYPE_URL,
                    value=key.SerializeToString(),
                    key_material_type=tink_pb2.KeyData.SYMMETRIC,
                ),
                status=tink_pb2.ENABLED,
                key_id=1,
                output_prefix_type=tink_pb2.RAW,
            )
        ],
    )
    handle = tink.proto_keyset_format.parse(keyset.SerializeToString(), secret_key_access.TOKEN)
    return handle.primitive(streaming_aead.StreamingAead)


def encrypt(data_key: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
    """Tink's ciphertext stream for `plaintext`."""
    out = _Sink()
    with primitive(data_key).new_encrypting_stream(out, associated_data) as stream:
        stream.write(plaintext)
    return out.captured


def decrypt(data_key: bytes, ciphertext: bytes, associated_data: bytes) -> bytes:
    """Tink's plaintext for a ciphertext stream; raises tink.TinkError if it does not verify."""
    with primitive(data_key).new_decrypting_stream(io.BytesIO(ciphertext), associated_data) as s:
        plaintext: bytes = s.read()
    return plaintext


class _Sink(io.BytesIO):
    """Keeps the bytes after Tink closes the stream it wrote to."""

    captured = b""

    def close(self) -> None:
        self.captured = self.getvalue()
        super().close()
