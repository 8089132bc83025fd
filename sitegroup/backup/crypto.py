"""Streaming authenticated encryption of backup files (AES-256-GCM in chunks).

An encrypted file is a header (magic, chunk size, random salt, key-check value)
followed by chunks of at most ``chunk`` bytes of plaintext, each sealed with
AES-256-GCM under a file key derived from the operator's key and the salt
(HKDF-SHA256). A chunk's nonce is its counter plus a last-chunk flag (the STREAM
construction), so a reordered, dropped or truncated chunk fails authentication
just as a changed byte does. Nothing is held in memory beyond one chunk.

The key file holds 32 random bytes written as 64 hexadecimal digits
(``openssl rand -hex 32``) or as Base64."""

import base64
import binascii
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import BackupError

MAGIC = b"SGBAK1\x00\n"
SALT_BYTES = 16
CHECK_BYTES = 16
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + 4 + SALT_BYTES + CHECK_BYTES
CHUNK = 1 << 20
MAX_CHUNK = 64 << 20
SUFFIX = ".enc"
ALGORITHM = "AES-256-GCM, chunked STREAM, HKDF-SHA256 file keys"
KEY_HELP = "应为 32 字节随机密钥，写成 64 位十六进制（openssl rand -hex 32）或 Base64"


def load_key(path, warn=None) -> bytes:
    """Read the 32-byte key from ``path`` (hexadecimal or Base64 text); ``warn``
    is told if other users may read the file."""
    try:
        text = Path(path).read_bytes().strip()
        if warn is not None and os.stat(path).st_mode & 0o077:
            warn(f"警告：密钥文件 {path} 对其他用户可读，建议 chmod 600。")
    except FileNotFoundError:
        raise BackupError(f"找不到密钥文件：{path}")
    except OSError as exc:
        raise BackupError(f"无法读取密钥文件 {path}：{exc.strerror}")
    candidates = []
    try:
        candidates.append(bytes.fromhex(text.decode("ascii")))
    except (UnicodeDecodeError, ValueError):
        pass
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            candidates.append(decode(text))
        except (binascii.Error, ValueError):
            pass
    for key in candidates:
        if len(key) == 32:
            return key
    raise BackupError(f"密钥文件 {path} 格式不正确：{KEY_HELP}。")


def key_id(key: bytes) -> str:
    """A short fingerprint naming the key in the manifest (reveals nothing of it)."""
    return hashlib.sha256(b"sitegroup-backup-key-id\x00" + key).hexdigest()[:16]


def _derive(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=32 + CHECK_BYTES, salt=salt,
                    info=b"sitegroup-backup/v1").derive(key)
    return material[:32], material[32:]


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _read_exact(stream, size: int) -> bytes:
    parts, missing = [], size
    while missing:
        data = stream.read(missing)
        if not data:
            break
        parts.append(data)
        missing -= len(data)
    return b"".join(parts)


class EncryptingWriter:
    """A write-only file object: what is written to it lands encrypted in ``dst``.
    ``close()`` seals the last chunk and must be called (it does not close ``dst``)."""

    def __init__(self, key: bytes, dst, chunk: int = CHUNK):
        salt = os.urandom(SALT_BYTES)
        self._aad = MAGIC + chunk.to_bytes(4, "big") + salt
        file_key, check = _derive(key, salt)
        self._aead = AESGCM(file_key)
        self._dst, self._chunk, self._counter = dst, chunk, 0
        self._buffer = bytearray()
        self.closed = False
        dst.write(self._aad + check)

    def _seal(self, data: bytes, last: bool) -> None:
        self._dst.write(self._aead.encrypt(_nonce(self._counter, last), data, self._aad))
        self._counter += 1

    def write(self, data) -> int:
        self._buffer += data
        # Strictly more than a chunk: the final chunk is sealed by close(), never empty unless the file is.
        while len(self._buffer) > self._chunk:
            self._seal(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True


class DecryptingReader:
    """A read-only file object giving the plaintext of an encrypted ``src``.
    Raises BackupError for a wrong key (at once, from the header) and for any
    altered, reordered or truncated chunk (when that chunk is reached)."""

    def __init__(self, key: bytes, src, name: str = "文件"):
        self._src, self._name = src, name
        header = _read_exact(src, HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupError(f"{name} 不是本系统加密的备份文件，或文件头已损坏。")
        self._aad, check = header[:-CHECK_BYTES], header[-CHECK_BYTES:]
        self._chunk = int.from_bytes(header[len(MAGIC): len(MAGIC) + 4], "big")
        if not 0 < self._chunk <= MAX_CHUNK:
            raise BackupError(f"{name} 的文件头已损坏（分块大小不合理）。")
        salt = header[len(MAGIC) + 4: len(MAGIC) + 4 + SALT_BYTES]
        file_key, expected = _derive(key, salt)
        if not hmac.compare_digest(check, expected):
            raise BackupError(f"解密密钥不正确：{name} 不是用这个密钥加密的，请检查 --decrypt-key-file。")
        self._aead = AESGCM(file_key)
        self._counter = 0
        self._pending = _read_exact(src, self._chunk + TAG_BYTES)
        self._done = False
        self._buffer = b""
        if not self._pending:
            raise BackupError(f"{name} 已被截断（只有文件头），无法解密。")

    def _next_chunk(self) -> bytes:
        if self._done:
            return b""
        current = self._pending
        following = _read_exact(self._src, self._chunk + TAG_BYTES)
        last = not following
        try:
            plain = self._aead.decrypt(_nonce(self._counter, last), current, self._aad)
        except InvalidTag:
            raise BackupError(f"{self._name} 解密校验失败：文件已损坏、被截断或被篡改。")
        self._counter += 1
        self._pending, self._done = following, last
        return plain

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            parts = [self._buffer]
            while chunk := self._next_chunk():
                parts.append(chunk)
            self._buffer = b""
            return b"".join(parts)
        while len(self._buffer) < size and not self._done:
            self._buffer += self._next_chunk()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def chunks(self):
        if self._buffer:
            yield self._buffer
            self._buffer = b""
        while chunk := self._next_chunk():
            yield chunk


def check_key(key: bytes, path: Path) -> None:
    """Refuse at once (BackupError) if ``path`` was not encrypted with ``key``."""
    with open(path, "rb") as src:
        DecryptingReader(key, src, name=path.name)


def encrypt_file(key: bytes, src_path: Path, dst_path: Path, chunk: int = CHUNK) -> None:
    with open(src_path, "rb") as src, open(dst_path, "xb") as dst:
        writer = EncryptingWriter(key, dst, chunk)
        while data := src.read(chunk):
            writer.write(data)
        writer.close()


def decrypt_file(key: bytes, src_path: Path, dst_path: Path) -> None:
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        for data in DecryptingReader(key, src, name=src_path.name).chunks():
            dst.write(data)
