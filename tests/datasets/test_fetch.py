"""fetch_ucr against a local HTTP server on 127.0.0.1 (never the internet).

Independent references: the served zips are built here from arrays written with
our writer, and what fetch_ucr leaves in the cache must load back to exactly
those arrays; checksums are compared with hashlib computed here; the server logs
which requests (and which Range headers) it received.
"""

import hashlib
import http.server
import io
import json
import threading
import zipfile

import numpy as np
import pytest

from sklearn_geom.datasets import ChecksumError, fetch_ucr, load_ucr, write_ts


def _zip_of(name, tmp_path, seed):
    rng = np.random.default_rng(seed)
    arrays = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for split, n in (("TRAIN", 6), ("TEST", 4)):
            X = rng.normal(size=(n, 12))
            y = np.array(["a", "b"] * (n // 2))
            f = tmp_path / f"{name}_{split}.ts"
            write_ts(f, X, y)
            zf.write(f, f.name)  # flat layout, as the archive site's per-data-set zips
            zf.writestr(f"{name}_{split}.arff", "% other formats are ignored\n")
            arrays[split] = (X, y)
    return buf.getvalue(), arrays


class _Server:
    """Serves {name}.zip with HTTP Range; can truncate or corrupt the first transfer."""

    def __init__(self, files):
        self.files = files
        self.log = []
        self.truncate_once, self.corrupt_once, self.corrupt_always = set(), set(), set()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                name = self.path.strip("/").split("/")[-1]
                rng = self.headers.get("Range")
                outer.log.append((name, rng))
                if name not in outer.files:
                    self.send_error(404)
                    return
                data = outer.files[name]
                if name in outer.corrupt_always or name in outer.corrupt_once:
                    outer.corrupt_once.discard(name)
                    data = bytes(b ^ 0xFF for b in data[:64]) + data[64:]
                start = 0
                if rng:
                    start = int(rng.split("=")[1].split("-")[0])
                    if start >= len(data):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if name in outer.truncate_once:
                    outer.truncate_once.discard(name)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/archive"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def archive(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    files, arrays = {}, {}
    for i, name in enumerate(("ToyA", "ToyB")):
        files[f"{name}.zip"], arrays[name] = _zip_of(name, src, i)
    with _Server(files) as server:
        yield server, arrays


def _same(folder, name, arrays):
    Xtr, ytr, Xte, yte = load_ucr(name, path=folder)
    np.testing.assert_array_equal(Xtr, arrays["TRAIN"][0])
    np.testing.assert_array_equal(Xte, arrays["TEST"][0])
    assert ytr.tolist() == arrays["TRAIN"][1].tolist()


def test_fetch_then_cached(tmp_path, archive):
    server, arrays = archive
    home = tmp_path / "home"
    folder = fetch_ucr(["ToyA", "ToyB"], data_home=home, base_url=server.url, progress=False)
    assert folder == home / "ucr_uea"
    for name in ("ToyA", "ToyB"):
        _same(folder, name, arrays[name])
    sums = json.loads((folder / "checksums.json").read_text())
    assert sums["ToyA"] == hashlib.sha256(server.files["ToyA.zip"]).hexdigest()
    assert sorted(p.name for p in folder.iterdir()) == [".downloads", "ToyA", "ToyB",
                                                        "checksums.json"]
    assert list((folder / ".downloads").iterdir()) == []  # no zip or .part left
    n = len(server.log)
    fetch_ucr("ToyA", data_home=home, base_url=server.url, progress=False)
    assert len(server.log) == n  # cached: nothing downloaded
    fetch_ucr("ToyA", data_home=home, base_url=server.url, progress=False, force=True)
    assert len(server.log) == n + 1


def test_truncated_transfer_resumes_with_range(tmp_path, archive):
    server, arrays = archive
    server.truncate_once.add("ToyA.zip")
    folder = fetch_ucr("ToyA", data_home=tmp_path, base_url=server.url, progress=False)
    _same(folder, "ToyA", arrays["ToyA"])
    size = len(server.files["ToyA.zip"])
    assert server.log[0] == ("ToyA.zip", None)
    assert server.log[1] == ("ToyA.zip", f"bytes={size // 2}-")  # resumed, not restarted


def test_truncated_transfer_leaves_nothing_that_loads(tmp_path, archive):
    """With one attempt only, the interrupted download stays a .part; no data set appears."""
    server, _ = archive
    server.truncate_once.add("ToyB.zip")
    with pytest.raises(OSError, match="interrupted"):
        fetch_ucr("ToyB", data_home=tmp_path, base_url=server.url, retries=1,
                  progress=False)
    root = tmp_path / "ucr_uea"
    assert not (root / "ToyB").exists()
    assert [p.name for p in (root / ".downloads").iterdir()] == ["ToyB.zip.part"]
    with pytest.raises(ValueError, match="Unknown data set"):
        load_ucr("ToyB", path=root)
    # the next call resumes from the .part
    fetch_ucr("ToyB", data_home=tmp_path, base_url=server.url, progress=False)
    assert server.log[-1][1] is not None and load_ucr("ToyB", path=root)[0].shape == (6, 12)


def test_corrupted_file_detected_by_checksum(tmp_path, archive):
    server, arrays = archive
    good = hashlib.sha256(server.files["ToyA.zip"]).hexdigest()
    # a given checksum: the corrupted first transfer is discarded and downloaded again
    server.corrupt_once.add("ToyA.zip")
    folder = fetch_ucr("ToyA", data_home=tmp_path / "h1", base_url=server.url,
                       checksums={"ToyA": good}, progress=False)
    _same(folder, "ToyA", arrays["ToyA"])
    assert len(server.log) == 2
    # corrupted every time: a clear error, and nothing in the cache
    server.corrupt_always.add("ToyA.zip")
    with pytest.raises(ChecksumError, match=f"expected {good}"):
        fetch_ucr("ToyA", data_home=tmp_path / "h2", base_url=server.url,
                  checksums={"ToyA": good}, retries=2, progress=False)
    root = tmp_path / "h2" / "ucr_uea"
    assert not (root / "ToyA").exists() and list((root / ".downloads").iterdir()) == []


def test_recorded_checksum_catches_a_changed_file(tmp_path, archive):
    """The first download records its SHA-256; a later forced download that differs fails."""
    server, _ = archive
    fetch_ucr("ToyB", data_home=tmp_path, base_url=server.url, progress=False)
    server.corrupt_always.add("ToyB.zip")
    with pytest.raises(ChecksumError):
        fetch_ucr("ToyB", data_home=tmp_path, base_url=server.url, force=True, retries=1,
                  progress=False)
    # the earlier good copy is still there and loads
    assert load_ucr("ToyB", path=tmp_path / "ucr_uea")[0].shape == (6, 12)


def test_not_a_zip_and_unknown_name(tmp_path, archive):
    server, _ = archive
    server.files["Junk.zip"] = b"this is not a zip file"
    with pytest.raises(ChecksumError, match="not a valid zip"):
        fetch_ucr("Junk", data_home=tmp_path, base_url=server.url, retries=1,
                  progress=False)
    assert not (tmp_path / "ucr_uea" / "Junk").exists()
    with pytest.raises(ValueError, match="404"):
        fetch_ucr("NoSuchSet", data_home=tmp_path, base_url=server.url, progress=False)


def test_offline_error_says_how_to_use_a_folder(tmp_path):
    server = _Server({})
    url = server.url
    server.httpd.server_close()  # nothing listens on that port any more
    with pytest.raises(ConnectionError, match=r"Offline\?.*path=FOLDER.*--data-dir"):
        fetch_ucr("ToyA", data_home=tmp_path, base_url=url, retries=1, progress=False)


def test_cli_fetch_then_run(tmp_path, archive, capsys, monkeypatch):
    """sklearn-geom-ucr --fetch downloads into --data-dir and runs there."""
    from sklearn.dummy import DummyClassifier

    from sklearn_geom.benchmark import registered_method
    from sklearn_geom.benchmark.ucr import main

    server, _ = archive
    monkeypatch.setenv("SKLEARN_GEOM_UCR_URL", server.url)
    argv = ["-o", str(tmp_path / "out"), "--data-dir", str(tmp_path / "cache"), "--fetch",
            "--datasets", "ToyA", "ToyB", "--methods", "dummy", "--runs", "1",
            "--no-progress", "--no-plot"]
    with registered_method("dummy", lambda **kw: DummyClassifier()):
        assert main(argv) == 0
    assert "2 tasks run" in capsys.readouterr().err
    assert (tmp_path / "cache" / "ucr_uea" / "ToyA" / "ToyA_TRAIN.ts").is_file()
