"""Reading a file named inside a folder, without ever leaving the folder (pure).

Interchange files name their attachments relative to their own folder. A name such as
``content/key.txt`` must not reach anything else, whatever the folder holds: each part
of the path is opened relative to the one before with ``O_NOFOLLOW`` (a symbolic link
anywhere on the way is refused, not followed), the last must be a regular file, and a
file with more than one hard link is refused too (an archive can carry a hard link to a
key file as easily as a symbolic one). ``..`` and absolute names are refused before any
file is touched. Issue 24, finding 3.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO


class OutsideFolder(ValueError):
    """The name does not lead to a plain file inside the folder; the message says why."""


def _parts(relative: str) -> list[str]:
    path = PurePosixPath(relative.replace("\\", "/"))
    parts = [p for p in path.parts if p not in ("", ".")]
    if path.is_absolute() or not parts or ".." in parts:
        raise OutsideFolder("must be a file inside the folder of the document")
    return parts


def read_inside(base: Path, relative: str) -> bytes:
    """The bytes of ``base/relative``; ``OutsideFolder`` if any part of the way is a
    symbolic link, or the end is not a regular file with a single link."""
    with _open_inside(base, relative) as fh:
        return fh.read()


def check_inside(base: Path, relative: str) -> None:
    """Raise ``OutsideFolder`` unless ``read_inside(base, relative)`` would succeed now."""
    with _open_inside(base, relative):
        pass


def _open_inside(base: Path, relative: str) -> BinaryIO:
    parts = _parts(relative)
    nofollow = os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutsideFolder(f"cannot open the document's folder: {exc.strerror}") from None
    try:
        for part in parts[:-1]:
            try:
                step = os.open(part, os.O_RDONLY | os.O_DIRECTORY | nofollow, dir_fd=fd)
            except OSError as exc:
                raise _refusal(exc, part) from None
            os.close(fd)
            fd = step
        try:
            # O_NONBLOCK: a FIFO planted under the name cannot make the import hang.
            leaf = os.open(parts[-1], os.O_RDONLY | os.O_NONBLOCK | nofollow, dir_fd=fd)
        except OSError as exc:
            raise _refusal(exc, parts[-1]) from None
    finally:
        os.close(fd)
    fh = os.fdopen(leaf, "rb")
    info = os.fstat(leaf)
    if not stat.S_ISREG(info.st_mode):
        fh.close()
        raise OutsideFolder("is not a regular file")
    if info.st_nlink > 1:
        fh.close()
        raise OutsideFolder("is a hard link to another file; copy the file instead")
    os.set_blocking(leaf, True)
    return fh


def _refusal(exc: OSError, part: str) -> OutsideFolder:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
        # ELOOP: O_NOFOLLOW met a symbolic link; ENOTDIR: a link or file where a folder
        # was expected (with O_DIRECTORY|O_NOFOLLOW a link to a folder answers ENOTDIR).
        return OutsideFolder(f"{part!r} is a symbolic link or not a folder; links are not followed")
    if exc.errno == errno.ENOENT:
        return OutsideFolder(f"{part!r} does not exist")
    return OutsideFolder(f"cannot open {part!r}: {exc.strerror}")


def check_name(relative: str) -> None:
    """Raise ``OutsideFolder`` for a name that could not be inside any folder."""
    _parts(relative)
