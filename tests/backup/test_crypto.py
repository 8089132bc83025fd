"""The streaming encryption of backup files, in-process."""

import base64
import io
import os

import pytest

from sitegroup.backup import crypto
from sitegroup.backup.errors import BackupError

KEY = bytes(range(32))


def seal(plain: bytes, key=KEY, chunk=64) -> bytes:
    out = io.BytesIO()
    writer = crypto.EncryptingWriter(key, out, chunk)
    for start in range(0, len(plain), 50):  # writes that straddle chunk boundaries
        writer.write(plain[start:start + 50])
    writer.close()
    return out.getvalue()


def open_(sealed: bytes, key=KEY) -> bytes:
    return crypto.DecryptingReader(key, io.BytesIO(sealed), name="media.tar.enc").read()


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 1000])
def test_round_trip(size):
    plain = os.urandom(size)
    sealed = seal(plain)
    assert size < 16 or plain not in sealed
    chunks = max(1, -(-size // 64))
    assert len(sealed) == crypto.HEADER_BYTES + size + chunks * crypto.TAG_BYTES
    assert open_(sealed) == plain
    reader = crypto.DecryptingReader(KEY, io.BytesIO(sealed))
    assert b"".join(iter(lambda: reader.read(7), b"")) == plain


def test_same_plaintext_encrypts_differently():
    assert seal(b"x" * 100) != seal(b"x" * 100)


def test_wrong_key_is_named_at_once():
    with pytest.raises(BackupError, match="解密密钥不正确：media.tar.enc 不是用这个密钥加密的"):
        open_(seal(b"secret" * 40), key=bytes(32))


@pytest.mark.parametrize("change", ["flip", "truncate", "drop_last", "swap", "not_ours"])
def test_altered_files_are_refused(change):
    sealed = bytearray(seal(os.urandom(200)))  # four chunks: 64, 64, 64, 8
    body, step = crypto.HEADER_BYTES, 64 + crypto.TAG_BYTES
    if change == "flip":
        sealed[body + 70] ^= 1
    elif change == "truncate":
        del sealed[-5:]
    elif change == "drop_last":
        del sealed[body + 3 * step:]
    elif change == "swap":
        first, second = sealed[body:body + step], sealed[body + step:body + 2 * step]
        sealed[body:body + 2 * step] = second + first
    else:
        sealed[:4] = b"PGDM"
    with pytest.raises(BackupError, match="损坏|截断|篡改"):
        open_(bytes(sealed))


def test_file_helpers(tmp_path):
    source, sealed, back = tmp_path / "a.bin", tmp_path / "a.bin.enc", tmp_path / "b.bin"
    source.write_bytes(os.urandom(3000))
    crypto.encrypt_file(KEY, source, sealed, chunk=1024)
    crypto.check_key(KEY, sealed)
    with pytest.raises(BackupError, match="密钥不正确"):
        crypto.check_key(os.urandom(32), sealed)
    crypto.decrypt_file(KEY, sealed, back)
    assert back.read_bytes() == source.read_bytes()


def test_key_files(tmp_path):
    hex_file, b64_file, bad = tmp_path / "hex.key", tmp_path / "b64.key", tmp_path / "bad.key"
    hex_file.write_text(KEY.hex() + "\n")
    b64_file.write_text(base64.b64encode(KEY).decode())
    bad.write_text("correct horse battery staple")
    hex_file.chmod(0o644)
    warnings = []
    assert crypto.load_key(hex_file, warn=warnings.append) == KEY
    assert "chmod 600" in warnings[0]
    assert crypto.load_key(b64_file) == KEY
    with pytest.raises(BackupError, match="格式不正确"):
        crypto.load_key(bad)
    with pytest.raises(BackupError, match="找不到密钥文件"):
        crypto.load_key(tmp_path / "missing.key")
    assert crypto.key_id(KEY) != crypto.key_id(bytes(32)) and KEY.hex() not in crypto.key_id(KEY)
