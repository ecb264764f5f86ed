"""Explicit download of UCR/UEA data sets into a cache folder, as ``sklearn.datasets.fetch_*``.

One zip per data set, ``<base_url>/<Name>.zip`` (the layout of the archive
site's per-data-set downloads, holding ``<Name>_TRAIN.ts`` and
``<Name>_TEST.ts``), is downloaded to ``<Name>.zip.part`` (resumed with an
HTTP ``Range`` request after an interrupted transfer), checked against a SHA-256
checksum (given, or recorded in ``checksums.json`` at the first download),
renamed to ``<Name>.zip``, extracted into a temporary folder and renamed to
``<Name>/``: an interrupted or corrupted download never leaves a folder that
loads.
"""

import hashlib
import http.client
import json
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

DEFAULT_BASE_URL = "https://timeseriesclassification.com/aeon-toolkit"
CHECKSUMS_FILE = "checksums.json"
_CHUNK = 1 << 16


class ChecksumError(OSError):
    """A downloaded file whose SHA-256 checksum is not the expected one."""


def get_data_home(data_home=None):
    """The cache folder of the downloaded archives (created).

    ``data_home``, else the environment variable ``SKLEARN_GEOM_DATA``, else
    ``~/sklearn_geom_data``; the UCR/UEA data sets go to its ``ucr_uea``
    sub-folder.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder.

    Returns
    -------
    path : pathlib.Path
        ``<data_home>/ucr_uea``.
    """
    if data_home is None:
        data_home = os.environ.get("SKLEARN_GEOM_DATA", Path("~") / "sklearn_geom_data")
    root = Path(os.path.expanduser(str(data_home))) / "ucr_uea"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _offline_error(name, url, reason):
    return ConnectionError(
        f"could not download {name} from {url} ({reason}). Offline? Download the data set "
        "elsewhere (one folder per data set with <Name>_TRAIN.ts and <Name>_TEST.ts, or the "
        "UCRArchive_2018 .tsv files) and point the loaders at that folder: "
        "load_ucr(name, path=FOLDER), or sklearn-geom-ucr --data-dir FOLDER."
    )


def _download(url, part, *, name, timeout, progress):
    """Append ``url``'s bytes to ``part`` from its current size (HTTP Range); True when complete."""
    from sklearn_geom.utils import progress as progress_bar

    have = part.stat().st_size if part.exists() else 0
    req = urllib.request.Request(url, headers={"User-Agent": "sklearn_geom"})
    if have:
        req.add_header("Range", f"bytes={have}-")
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing left to send: the .part is complete
            return True
        if exc.code == 404:
            raise ValueError(f"{name}: no such data set at {url} (HTTP 404).") from None
        raise _offline_error(name, url, f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise _offline_error(name, url, getattr(exc, "reason", exc)) from None
    with resp:
        if have and resp.status != 206:  # the server ignored Range: start again
            have = 0
            part.unlink(missing_ok=True)
        length = resp.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        got = have
        bar = progress_bar(
            total=total, initial=have, desc=name, unit="B", unit_scale=True, enabled=progress
        )
        try:
            with open(part, "ab") as fh:
                for block in iter(lambda: resp.read(_CHUNK), b""):
                    fh.write(block)
                    got += len(block)
                    bar.update(len(block))
        except (OSError, http.client.HTTPException):  # connection lost mid-transfer
            return False
        finally:
            bar.close()
    return total is None or got >= total


def _find_split_files(folder, name):
    """{"TRAIN": file, "TEST": file} inside an extracted zip (.ts preferred over .tsv)."""
    for ext in (".ts", ".tsv"):
        found = {}
        for split in ("TRAIN", "TEST"):
            hits = sorted(folder.rglob(f"{name}_{split}{ext}"))
            if hits:
                found[split] = hits[0]
        if len(found) == 2:
            return found
    return None


def _extract(zip_path, root, name):
    """Extract the split files of ``name`` into ``root/name`` atomically (temp folder + rename)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    try:
        try:
            with zipfile.ZipFile(zip_path) as zf:
                zf.extractall(tmp / "unzipped")
        except zipfile.BadZipFile as exc:
            raise ChecksumError(f"{name}: {zip_path} is not a valid zip file ({exc}).") from None
        files = _find_split_files(tmp / "unzipped", name)
        if files is None:
            raise OSError(f"{name}: the zip holds no {name}_TRAIN / {name}_TEST .ts or .tsv files.")
        target = tmp / name
        target.mkdir()
        for f in files.values():
            os.replace(f, target / f.name)
        final = root / name
        if final.exists():
            shutil.rmtree(final)
        os.replace(target, final)
        return final
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _load_checksums(root):
    path = root / CHECKSUMS_FILE
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


def _save_checksums(root, checksums):
    path = root / CHECKSUMS_FILE
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(checksums, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _names(datasets):
    from ._archive import list_archive_datasets

    if isinstance(datasets, str):
        if datasets in ("univariate", "multivariate", "all"):
            return list_archive_datasets(datasets)
        return [datasets]
    names = list(datasets)
    if not names:
        raise ValueError("datasets is empty.")
    return names


def fetch_ucr(
    datasets,
    *,
    data_home=None,
    base_url=None,
    checksums=None,
    force=False,
    retries=3,
    timeout=60,
    progress=True,
):
    """Download UCR/UEA data sets into a cache folder (only when called; never implicitly).

    Parameters
    ----------
    datasets : str or list of str
        Data set names, or ``"univariate"`` (the 128 UCR 2018 sets),
        ``"multivariate"`` (the 30 UEA 2018 sets) or ``"all"``.
    data_home : str or path-like, default=None
        Cache folder (see :func:`get_data_home`): the environment variable
        ``SKLEARN_GEOM_DATA``, else ``~/sklearn_geom_data``.  The data sets go
        to ``<data_home>/ucr_uea/<Name>/``.
    base_url : str, default=None
        Where ``<Name>.zip`` is downloaded from; default: the archive site's
        per-data-set zips (``https://timeseriesclassification.com/aeon-toolkit``),
        or the environment variable ``SKLEARN_GEOM_UCR_URL``.
    checksums : dict, default=None
        ``{name: sha256 hex digest}`` of the zips.  Names not given are checked
        against ``checksums.json`` in the cache (recorded at their first
        download) and recorded there when new.
    force : bool, default=False
        Download again data sets already in the cache.
    retries : int, default=3
        Attempts per data set: an interrupted transfer resumes where it stopped
        (HTTP ``Range``); a file with a wrong checksum is discarded and
        downloaded again from the start.
    timeout : float, default=60
        Seconds to wait for the server.
    progress : bool, default=True
        Show a tqdm progress bar of the bytes received (when tqdm is installed).

    Returns
    -------
    path : pathlib.Path
        The folder holding the data sets: give it as ``path=`` to
        :func:`load_ucr` or as ``--data-dir`` to ``sklearn-geom-ucr``.

    Raises
    ------
    ConnectionError
        When the server cannot be reached (offline); the message says how to
        point the loaders at a folder of data sets downloaded elsewhere.
    ChecksumError
        When a data set still has a wrong checksum after ``retries`` attempts
        (nothing is left in the cache for it).
    ValueError
        For a name the server does not have (HTTP 404).

    Examples
    --------
    >>> from sklearn_geom.datasets import fetch_ucr, load_ucr
    >>> folder = fetch_ucr(["Coffee", "BasicMotions"])  # doctest: +SKIP
    >>> X_train, y_train, X_test, y_test = load_ucr("Coffee", path=folder)  # doctest: +SKIP
    """
    names = _names(datasets)
    root = get_data_home(data_home)
    base_url = (base_url or os.environ.get("SKLEARN_GEOM_UCR_URL") or DEFAULT_BASE_URL).rstrip("/")
    given = dict(checksums or {})
    recorded = _load_checksums(root)
    downloads = root / ".downloads"
    downloads.mkdir(exist_ok=True)
    for name in names:
        cached = (root / name).is_dir() and _find_split_files(root / name, name) is not None
        if cached and not force:
            continue
        url = f"{base_url}/{name}.zip"
        part = downloads / f"{name}.zip.part"
        expected = given.get(name, recorded.get(name))
        last_error = None
        for attempt in range(max(1, int(retries))):
            complete = _download(url, part, name=name, timeout=timeout, progress=progress)
            if not complete:
                last_error = OSError(f"{name}: transfer interrupted; resuming.")
                time.sleep(min(0.2 * (attempt + 1), 2.0))
                continue
            digest = _sha256(part)
            if expected is not None and digest != expected:
                part.unlink()
                last_error = ChecksumError(
                    f"{name}: SHA-256 of the download is {digest}, expected {expected}; "
                    "the file was discarded."
                )
                continue
            zip_path = downloads / f"{name}.zip"
            os.replace(part, zip_path)
            try:
                _extract(zip_path, root, name)
            except ChecksumError as exc:  # not a zip: discard, download again
                zip_path.unlink(missing_ok=True)
                last_error = exc
                continue
            zip_path.unlink(missing_ok=True)
            if name not in given and name not in recorded:
                recorded[name] = digest
                _save_checksums(root, recorded)
            last_error = None
            break
        if last_error is not None:
            raise last_error
    return root
