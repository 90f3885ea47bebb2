"""``get_file``: download a file once into a cache, check its hash, and optionally extract it (Keras' API).

Downloads go to a temporary name beside the target and are renamed only when complete and verified, so a
failed, interrupted or corrupted download never leaves a file that a later call would trust. Archives are
extracted the same way (into a temporary folder, renamed when done), refusing members that would land
outside the extraction folder.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import tempfile
import urllib.parse
import zipfile

from lamina import config
from lamina.utils.atomic import atomic_path
from lamina.utils.io_utils import print_msg
from lamina.utils.progbar import Progbar

_CHUNK = 1 << 16
_TIMEOUT_S = 60  # per network read: a stalled server fails instead of hanging forever


def resolve_hasher(algorithm: str, file_hash: str | None = None):
    """The hashlib object for ``algorithm`` (``"sha256"``, ``"md5"``, or ``"auto"``: sha256 for a 64-digit hash)."""
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None and len(file_hash) == 64):
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(f"Invalid value for argument `hash_algorithm`. Expected 'auto', 'sha256' or 'md5'. "
                     f"Received: hash_algorithm={algorithm!r}")


def hash_file(fpath: str, algorithm: str = "sha256", chunk_size: int = 65535) -> str:
    """The hex digest of the file at ``fpath`` (``algorithm``: ``"sha256"``, ``"md5"``)."""
    hasher = resolve_hasher(algorithm) if algorithm != "auto" else hashlib.sha256()
    with open(fpath, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath: str, file_hash: str, algorithm: str = "auto", chunk_size: int = 65535) -> bool:
    """Whether the file at ``fpath`` has the hash ``file_hash`` (sha256 or md5; ``"auto"`` tells by length)."""
    hasher = resolve_hasher(algorithm, file_hash)
    return hash_file(fpath, hasher.name, chunk_size) == str(file_hash).lower()


def _cache_folder(cache_dir: str | None, cache_subdir: str) -> str:
    base = os.path.expanduser(cache_dir) if cache_dir is not None else config.lamina_home()
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):  # a read-only home: fall back to the temp folder, as Keras does
        base = os.path.join(tempfile.gettempdir(), ".lamina")
    folder = os.path.join(base, cache_subdir)
    os.makedirs(folder, exist_ok=True)
    return folder


def _download(origin: str, target: str, file_hash: str | None, hash_algorithm: str) -> None:
    """Fetch ``origin`` into ``target`` with a progress bar; the file appears only when complete and verified."""
    import http.client  # deferred with urllib.request: ~10 ms of imports (ssl) that ``import lamina`` skips
    import urllib.error
    import urllib.request

    print_msg(f"Downloading data from {origin}")
    try:
        with urllib.request.urlopen(origin, timeout=_TIMEOUT_S) as response, atomic_path(target) as staging:
            total = response.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            bar = Progbar(total, unit_name="byte")
            received = 0
            with open(staging, "wb") as out:
                for chunk in iter(lambda: response.read(_CHUNK), b""):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(received)
            if total is not None and received != total:
                raise OSError(f"URL fetch failure on {origin}: the connection closed after {received} of "
                              f"{total} bytes")
            if file_hash is not None and not validate_file(staging, file_hash, hash_algorithm):
                name = resolve_hasher(hash_algorithm, file_hash).name
                raise ValueError(f"Incomplete or corrupted file detected: the {name} hash of the file downloaded "
                                 f"from {origin} does not match the expected value {file_hash}.")
    except urllib.error.HTTPError as error:
        raise OSError(f"URL fetch failure on {origin}: {error.code} -- {error.reason}") from error
    except urllib.error.URLError as error:
        raise OSError(f"URL fetch failure on {origin}: {error.reason}") from error
    except (ConnectionError, TimeoutError, http.client.HTTPException) as error:
        raise OSError(f"URL fetch failure on {origin}: {error!r}") from error


def _inside(folder: str, name: str) -> bool:
    target = os.path.realpath(os.path.join(folder, name))
    return os.path.commonpath([target, folder]) == folder


def _safe_members(archive, folder: str) -> list:
    """The archive's members that stay inside ``folder`` (links included); the others are refused."""
    folder = os.path.realpath(folder)
    if isinstance(archive, zipfile.ZipFile):
        members = archive.infolist()
        unsafe = [m.filename for m in members if not _inside(folder, m.filename)]
    else:
        members = archive.getmembers()
        unsafe = [m.name for m in members if not _inside(folder, m.name)
                  or (m.issym() and not _inside(folder, os.path.join(os.path.dirname(m.name), m.linkname)))
                  or (m.islnk() and not _inside(folder, m.linkname))
                  or not (m.isfile() or m.isdir() or m.issym() or m.islnk())]
    if unsafe:
        raise ValueError(f"Refusing to extract the archive: members {unsafe[:5]} would be written outside the "
                         "extraction folder (or are devices/pipes).")
    return members


def extract_archive(file_path: str, path: str = ".", archive_format="auto") -> bool:
    """Extract a tar (``.tar``, ``.tar.gz``, ``.tar.bz2``, ``.tar.xz``) or zip archive into the folder ``path``.

    ``archive_format`` is ``"auto"`` (tar, then zip), ``"tar"``, ``"zip"``, a list of those, or None (extract
    nothing). The folder appears complete or not at all. Returns whether the file matched a format.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else list(archive_format))
    openers = {"tar": (tarfile.is_tarfile, tarfile.open), "zip": (zipfile.is_zipfile, zipfile.ZipFile)}
    for kind in formats:
        if kind not in openers:
            raise ValueError(f"Invalid value for argument `archive_format`. Expected 'auto', 'tar', 'zip' or None. "
                             f"Received: archive_format={archive_format!r}")
        is_kind, open_archive = openers[kind]
        if not is_kind(file_path):
            continue
        with open_archive(file_path) as archive, atomic_path(path, directory=True) as staging:
            members = _safe_members(archive, staging)
            if kind == "tar" and hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 / 3.11.4
                archive.extractall(staging, members=members, filter="data")
            else:
                archive.extractall(staging, members=members)
        return True
    return False


def get_file(fname: str | None = None, origin: str | None = None, untar: bool = False, md5_hash: str | None = None,
             file_hash: str | None = None, cache_subdir: str = "datasets", hash_algorithm: str = "auto",
             extract: bool = False, archive_format="auto", cache_dir: str | None = None,
             force_download: bool = False) -> str:
    """Download ``origin`` into the cache unless a verified copy is already there; return its local path.

    The cache is ``cache_dir/cache_subdir`` (``cache_dir`` defaults to ``LAMINA_HOME``, ``~/.lamina``; an
    absolute ``cache_subdir`` is used as is). With ``file_hash`` (sha256 or md5; ``hash_algorithm="auto"``
    tells them apart by length) the download is verified, and a cached file whose hash differs is fetched
    again. With ``extract=True`` the archive is also extracted (safely) and the folder's path returned.

    Args:
        fname: the local file name (default: the last part of ``origin``'s path). With ``extract=True``, a
            name without a dot names the extraction folder.
        origin: the URL to download from.
        untar: deprecated: ``extract=True`` with ``archive_format="tar"``.
        md5_hash: deprecated: ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: the expected sha256 or md5 hex digest of the downloaded file.
        cache_subdir: the folder under ``cache_dir`` that holds the file.
        hash_algorithm: ``"auto"``, ``"sha256"`` or ``"md5"``.
        extract: extract the downloaded archive (tar or zip).
        archive_format: ``"auto"``, ``"tar"``, ``"zip"`` or None.
        cache_dir: the cache root (default ``LAMINA_HOME``).
        force_download: download even when a verified copy is cached.

    Returns:
        The path of the downloaded file, or of the extraction folder with ``extract=True``.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    folder = _cache_folder(cache_dir, cache_subdir)
    named = bool(fname)
    fname = os.fspath(fname) if named else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'. Please specify the "
                         "`fname` argument.")
    if os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError("Paths are not accepted as the `fname` argument: use `cache_dir` to choose the folder. "
                         f"Received: fname={fname}")
    if untar:
        extract, archive_format = True, "tar"
    if not extract:
        target, extraction = os.path.join(folder, fname), None
    elif named and "." in fname:  # "data.tar.gz": the archive keeps the name, the folder is "data_extracted"
        target, extraction = os.path.join(folder, fname), os.path.join(folder, fname.split(".")[0] + "_extracted")
    else:  # a name without a dot names the folder; the archive is "<name>_archive"
        target, extraction = os.path.join(folder, fname + "_archive"), os.path.join(folder, fname)
    downloaded = False
    if force_download or not os.path.exists(target):
        _download(origin, target, file_hash, hash_algorithm)
        downloaded = True
    elif file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
        print_msg(f"A local file was found, but its {resolve_hasher(hash_algorithm, file_hash).name} hash does not "
                  f"match the original value of {file_hash}: downloading the data again.")
        _download(origin, target, file_hash, hash_algorithm)
        downloaded = True
    if extraction is None:
        return target
    if downloaded or not os.path.isdir(extraction):
        if not extract_archive(target, extraction, archive_format):
            raise ValueError(f"Could not extract {target}: it is not a {archive_format} archive.")
    return extraction

