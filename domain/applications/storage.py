"""UploadStore: keep uploaded files under generated names, checked by content and size.

The name a user gives a file is only ever displayed; it never becomes a path. The type is read
from the file's first bytes, not from what the browser says.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# What an applicant may upload: scanned documents and photos.
SIGNATURES = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
}
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|jpg|png)$")
CHUNK = 64 * 1024


class UploadRejected(Exception):
    """The file cannot be kept; the message names the file and why."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    """The content type the first bytes show, if it is one we accept."""
    for content_type, (magic, _) in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


class UploadStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def save(self, stream: BinaryIO, original_name: str) -> StoredFile:
        """Check and keep the file; raise UploadRejected naming the problem."""
        label = f"文件“{original_name or '（未命名）'}”"
        head = stream.read(16)
        content_type = sniff(head)
        if not head:
            raise UploadRejected(f"{label}是空文件。")
        if content_type is None:
            raise UploadRejected(f"{label}不是 PDF、JPG 或 PNG 文件（按文件内容判断）。")
        stored_name = uuid.uuid4().hex + SIGNATURES[content_type][1]
        target = self.path(stored_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(head), len(head)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as temporary:
            try:
                temporary.write(head)
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise UploadRejected(f"{label}超过 {self.max_bytes // (1024 * 1024)} MB。")
                    digest.update(chunk)
                    temporary.write(chunk)
            except BaseException:
                temporary.close()
                Path(temporary.name).unlink(missing_ok=True)
                raise
        Path(temporary.name).replace(target)
        return StoredFile(stored_name, content_type, size, digest.hexdigest())

    def path(self, stored_name: str) -> Path:
        """Where a stored file lives; only names this store gave out are accepted."""
        if not STORED_NAME.match(stored_name):
            raise ValueError(f"不是本系统生成的存储名：{stored_name!r}")
        return self.root / stored_name[:2] / stored_name
