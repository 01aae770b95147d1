"""All-or-nothing writes: any OS error is one line naming the path, exit 2, nothing changed, no temporary file left."""

import errno
import os
import resource
import subprocess
import sys

import pytest

from kg.errors import InputError
from kg.export import write_all
from tests.conftest import ROOT

OUTPUTS = ("wenzhou-2023-82.ttl", "wenzhou-2023-82.validation.txt", "wenzhou-2023-82.quality.md")


def cli(*args, limit_file_size=None):
    def limits():  # a disk that fills: writes past this size fail with EFBIG, as a full disk fails with ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=limits if limit_file_size else None, timeout=300)


def snapshot(folder):
    """Every file under *folder* (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def old_outputs(folder):
    folder.mkdir(exist_ok=True)
    for name in OUTPUTS:
        (folder / name).write_bytes(b"old " + name.encode())
    return snapshot(folder)


def one_line(proc):
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


@pytest.mark.slow
def test_out_names_an_existing_file(tmp_path):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    err = one_line(cli("build", "--out", str(afile)))
    assert err == f"policy-kg: error: {afile}: is a file, not a folder\n"
    assert afile.read_text() == "mine"


@pytest.mark.slow
def test_an_output_path_that_is_a_folder(tmp_path):
    """Before: the .ttl was already replaced when the folder in the way stopped the build."""
    out = tmp_path / "out"
    before = old_outputs(out)
    (out / OUTPUTS[2]).unlink()
    (out / OUTPUTS[2]).mkdir()
    before = snapshot(out)
    err = one_line(cli("build", "--out", str(out)))
    assert err == f"policy-kg: error: {out / OUTPUTS[2]}: is a folder: give a file name\n"
    assert snapshot(out) == before


@pytest.mark.slow
def test_export_table_out_is_a_folder(tmp_path, ttl):
    err = one_line(cli("export-table", "--graph", str(ttl), "--format", "xlsx", "--out", str(tmp_path)))
    assert err == f"policy-kg: error: {tmp_path}: is a folder: give a file name\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_disk_full_changes_nothing_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "out"
    before = old_outputs(out)
    err = one_line(cli("build", "--out", str(out), limit_file_size=100_000))  # the Turtle is ~700 kB
    assert err == f"policy-kg: error: {out / OUTPUTS[0]}: cannot write: File too large\n"
    assert snapshot(out) == before  # the old outputs, and nothing else: no .tmp, no staging folder


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; see the simulated case below")
def test_read_only_folder(tmp_path):
    out = tmp_path / "out"
    before = old_outputs(out)
    out.chmod(0o555)
    try:
        err = one_line(cli("build", "--out", str(out)))
    finally:
        out.chmod(0o755)
    assert err == f"policy-kg: error: {out}: cannot write: Permission denied\n"
    assert snapshot(out) == before


def test_permission_denied_simulated(tmp_path, monkeypatch):
    """As root the folder above cannot be made read-only: the same path through write_all, the error injected."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    with pytest.raises(InputError) as exc:
        write_all({tmp_path / "a.ttl": b"x"})
    assert str(exc.value) == f"{tmp_path}: cannot write: Permission denied"
    assert list(tmp_path.iterdir()) == []


def test_a_failing_rename_puts_back_what_was_there(tmp_path, monkeypatch):
    """The third of three renames fails: the first two files are the old ones again, the new folder is gone."""
    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "b.txt").write_bytes(b"old b")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InputError) as exc:
        write_all({tmp_path / "a.txt": b"new a", tmp_path / "b.txt": b"new b", tmp_path / "sub" / "c.txt": b"c"})
    assert str(exc.value) == f"{tmp_path / 'sub' / 'c.txt'}: cannot write: No space left on device"
    assert snapshot(tmp_path) == {"a.txt": b"old a", "b.txt": b"old b"}


def test_written_files_and_modes(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"old")
    write_all({tmp_path / "a.txt": b"new", tmp_path / "x" / "y" / "b.txt": b"b"})
    assert snapshot(tmp_path) == {"a.txt": b"new", "x/y/b.txt": b"b"}
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~mask
