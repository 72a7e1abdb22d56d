"""Files that cannot be read or written, special files and size limits, through the real
command: each problem is one line naming the file and the reason, the other files are
handled, the summary counts are right, the exit status is 2, and no file is ever
truncated or rewritten against its mode.

Permission tests run the command without root's power to read and write anything (see
cli_helpers.inkslop(unprivileged=True)). The full disk and the read-only file system are
small tmpfs mounts: they need root, and are skipped when the tests do not run as root.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import CLEAN, SYNTAX_ERROR, WARNING_ONLY, inkslop, leftovers, no_crash, write

from inkslop.cli.fmt_run import FormatRun, format_source
from inkslop.cli.inputs import Reader, sources_of
from inkslop.files import SourceError, read_source, replace_source

FORMATTED = WARNING_ONLY.replace("'kokoro_tts'", '"kokoro_tts"')


def test_read_only_directory_is_reported_and_the_others_are_formatted(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked" / "a.inkslop", WARNING_ONLY)
    other = write(tmp_path / "b.inkslop", WARNING_ONLY)
    (tmp_path / "locked").chmod(0o555)
    try:
        run = inkslop(tmp_path, "fmt", "locked/a.inkslop", "b.inkslop", unprivileged=True)
    finally:
        (tmp_path / "locked").chmod(0o755)
    no_crash(run)
    assert run.code == 2
    assert "error: locked/a.inkslop: cannot write: permission denied\n" in run.stderr
    assert "1 file reformatted, 0 left unchanged, 1 could not be handled." in run.stderr
    assert locked.read_text(encoding="utf-8") == WARNING_ONLY
    assert other.read_text(encoding="utf-8") == FORMATTED
    assert leftovers(tmp_path / "locked") == []


@pytest.mark.parametrize("command", [("fmt",), ("check", "--fix")])
def test_read_only_file_is_reported_not_rewritten(tmp_path: Path, command: tuple[str, ...]
                                                  ) -> None:
    script = write(tmp_path / "ro.inkslop", WARNING_ONLY)
    script.chmod(0o444)
    run = inkslop(tmp_path, *command, "ro.inkslop")  # even as root: the mode says no
    no_crash(run)
    assert run.code == 2
    assert "error: ro.inkslop: cannot write: the file is read-only\n" in run.stderr
    assert script.read_text(encoding="utf-8") == WARNING_ONLY
    assert script.stat().st_mode & 0o777 == 0o444


def test_unreadable_file_and_directory_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "locked" / "a.inkslop", CLEAN)
    secret = write(tmp_path / "secret.inkslop", CLEAN)
    write(tmp_path / "fine.inkslop", CLEAN)
    (tmp_path / "locked").chmod(0o000)
    secret.chmod(0o000)
    try:
        walked = inkslop(tmp_path, "check", ".", unprivileged=True)
        named = inkslop(tmp_path, "check", "locked/a.inkslop", "fine.inkslop", unprivileged=True)
    finally:
        (tmp_path / "locked").chmod(0o755)
    for run in (walked, named):
        no_crash(run)
        assert run.code == 2
    assert "error: locked: directory cannot be read: permission denied\n" in walked.stderr
    assert "error: secret.inkslop: cannot be read: permission denied\n" in walked.stderr
    assert "All checks passed (1 file)." in walked.stdout
    assert "error: locked/a.inkslop: cannot be read: permission denied\n" in named.stderr
    assert "All checks passed (1 file)." in named.stdout


def test_file_size_limit_of_the_file_system_is_reported(tmp_path: Path) -> None:
    # EFBIG: the formatted file would pass RLIMIT_FSIZE (the command ignores SIGXFSZ).
    messy = WARNING_ONLY * 40
    script = write(tmp_path / "big.inkslop", messy)
    write(tmp_path / "small.inkslop", WARNING_ONLY)
    run = inkslop(tmp_path, "fmt", "big.inkslop", "small.inkslop",
                  limits={resource.RLIMIT_FSIZE: len(messy) // 2})
    no_crash(run)
    assert run.code == 2
    assert "error: big.inkslop: cannot write: file too large\n" in run.stderr
    assert "1 file reformatted, 0 left unchanged, 1 could not be handled." in run.stderr
    assert script.read_text(encoding="utf-8") == messy
    assert leftovers(tmp_path) == []


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 64 kB tmpfs mounted in the test's directory (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"mount refused here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_full_disk_is_reported_and_the_file_kept(tiny_filesystem: Path) -> None:
    script = write(tiny_filesystem / "a.inkslop", WARNING_ONLY * 20)
    filler = os.open(tiny_filesystem / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(filler, b"\0" * 1024):  # fill every block left
            pass
    except OSError:
        pass
    finally:
        os.close(filler)
    run = inkslop(tiny_filesystem, "fmt", "a.inkslop")
    no_crash(run)
    assert run.code == 2
    assert "error: a.inkslop: cannot write: no space left on device\n" in run.stderr
    assert script.read_text(encoding="utf-8") == WARNING_ONLY * 20
    assert leftovers(tiny_filesystem) == []


def test_read_only_file_system_is_reported(tiny_filesystem: Path) -> None:
    script = write(tiny_filesystem / "a.inkslop", WARNING_ONLY)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_filesystem)], check=True)
    run = inkslop(tiny_filesystem, "fmt", "a.inkslop")
    no_crash(run)
    assert run.code == 2
    assert "error: a.inkslop: cannot write: read-only file system\n" in run.stderr
    assert script.read_text(encoding="utf-8") == WARNING_ONLY


def test_symlink_loops_are_reported_walking_and_named(tmp_path: Path) -> None:
    (tmp_path / "loop.inkslop").symlink_to("loop.inkslop")
    write(tmp_path / "fine.inkslop", WARNING_ONLY)
    for args in (("check", "."), ("fmt", "."), ("check", "loop.inkslop", "fine.inkslop"),
                 ("fmt", "--check", "loop.inkslop", "fine.inkslop")):
        run = inkslop(tmp_path, *args)
        no_crash(run)
        assert run.code == 2, args
        assert "error: loop.inkslop: cannot be read: too many levels of symbolic links\n" \
            in run.stderr, args


def test_special_files_in_a_directory_are_skipped_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.inkslop")  # a FIFO nobody writes to: reading it would block
    (tmp_path / "z.inkslop").symlink_to("/dev/zero")  # never ends
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.inkslop"))
    write(tmp_path / "fine.inkslop", WARNING_ONLY)
    try:
        for command in (("check",), ("fmt",), ("fmt", "--check"), ("estimate",)):
            run = inkslop(tmp_path, *command, ".", timeout=60)
            no_crash(run)
            assert run.code == 2, command
            assert "error: p.inkslop: skipped: it is a named pipe (FIFO), not a regular file\n" \
                in run.stderr
            assert "error: z.inkslop: skipped: it is a device, not a regular file\n" in run.stderr
            assert "error: s.inkslop: skipped: it is a socket, not a regular file\n" in run.stderr
    finally:
        server.close()
    assert (tmp_path / "fine.inkslop").read_text(encoding="utf-8") == FORMATTED


def test_special_files_named_are_refused_but_stdin_is_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.inkslop")
    for command in ("check", "fmt", "estimate", "compile"):
        run = inkslop(tmp_path, command, "p.inkslop", timeout=60)
        no_crash(run)
        assert run.code == 2, command
        assert "p.inkslop: not read: it is a named pipe (FIFO)" in run.stderr
    run = inkslop(tmp_path, "check", "-", stdin=CLEAN)
    assert (run.code, run.stdout) == (0, "All checks passed (1 file).\n")


def test_file_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    big = write(tmp_path / "big.inkslop", CLEAN * 100)
    write(tmp_path / "fine.inkslop", CLEAN)
    run = inkslop(tmp_path, "check", "--max-file-size", "0.004", "big.inkslop", "fine.inkslop")
    no_crash(run)
    assert run.code == 2
    assert (f"error: big.inkslop: not read: it is larger ({big.stat().st_size} bytes) than the "
            "limit of 4194 bytes (raise it with --max-file-size)\n") in run.stderr
    assert "All checks passed (1 file)." in run.stdout
    from_stdin = inkslop(tmp_path, "fmt", "--max-file-size", "0.004", "-", stdin=CLEAN * 100)
    assert from_stdin.code == 2
    assert "error: -: not read: it is larger" in from_stdin.stderr
    assert inkslop(tmp_path, "check", "big.inkslop", "fine.inkslop").code == 0  # default 50 MB


def test_size_limit_from_the_environment(tmp_path: Path) -> None:
    write(tmp_path / "big.inkslop", CLEAN * 100)
    run = inkslop(tmp_path, "fmt", "--check", "big.inkslop", env={"INKSLOP_MAX_FILE_SIZE": "0.001"})
    assert run.code == 2 and "not read: it is larger" in run.stderr


def test_file_removed_or_replaced_by_a_directory_during_the_run(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "gone.inkslop", WARNING_ONLY)
    write(tmp_path / "dir.inkslop", WARNING_ONLY)
    sources, problems = sources_of(["."])
    assert [s.name for s in sources] == ["dir.inkslop", "gone.inkslop"] and problems == []
    (tmp_path / "gone.inkslop").unlink()  # after discovery, before reading
    (tmp_path / "dir.inkslop").unlink()
    (tmp_path / "dir.inkslop").mkdir()
    run = FormatRun(Reader(), write=True, diff=False)
    outcomes = [format_source(source, run) for source in sources]
    assert [o.error for o in outcomes] == [
        "dir.inkslop: not read: it is a directory, not a regular file",
        "gone.inkslop: cannot be read: no such file or directory"]


def test_file_replaced_by_a_directory_before_it_is_written(tmp_path: Path) -> None:
    target = tmp_path / "a.inkslop"
    target.mkdir()
    with pytest.raises(SourceError, match=r"a.inkslop: cannot write: is a directory"):
        replace_source(target, CLEAN)
    assert leftovers(tmp_path) == []


def test_fmt_stdin_never_counts_minus_one(tmp_path: Path) -> None:
    broken = inkslop(tmp_path, "fmt", "-", stdin=SYNTAX_ERROR)
    assert broken.code == 2
    assert "-1" not in broken.stderr and "left unchanged" not in broken.stderr
    assert "error: -: not formatted: fix the syntax errors first" in broken.stderr
    checked = inkslop(tmp_path, "fmt", "--check", "-", stdin=WARNING_ONLY)
    assert checked.code == 1
    assert "Would reformat: -\n1 file would be reformatted, 0 left unchanged." in checked.stderr
    formatted = inkslop(tmp_path, "fmt", "-", stdin=WARNING_ONLY)
    assert (formatted.code, formatted.stdout, formatted.stderr) == (0, FORMATTED, "")


def _walked(directory: Path) -> tuple[list[str], list[str]]:
    """What os.walk finds below a directory under discover's rules (the walk it replaced)."""
    found, problems = [], []
    for root, dirs, files in os.walk(directory, onerror=lambda e: problems.append(e.filename)):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        for name in sorted(files):
            path = Path(root, name)
            if name.endswith(".inkslop"):
                (found if path.is_file() else problems).append(str(path))
    return found, problems


def test_discovery_lists_what_os_walk_lists(tmp_path: Path) -> None:
    """discover() lists scripts from the directory listing without a stat per file; it
    finds what os.walk finds, in the same order, and skips and reports the same files."""
    for name in ["b.inkslop", "a.inkslop", "notes.txt", "z/x.inkslop", "z/a/y.inkslop",
                 "m/n/o/deep.inkslop", ".hidden/h.inkslop", "node_modules/n.inkslop",
                 "dir.inkslop/inner.inkslop"]:
        write(tmp_path / name, CLEAN)
    (tmp_path / "link.inkslop").symlink_to(tmp_path / "a.inkslop")  # a link to a file: read
    (tmp_path / "dangling.inkslop").symlink_to(tmp_path / "gone")  # reported
    (tmp_path / "linked-folder").symlink_to(tmp_path / "z")  # a folder link: not entered
    os.mkfifo(tmp_path / "pipe.inkslop")  # reported, never opened
    sources, problems = sources_of([str(tmp_path)])
    expected, skipped = _walked(tmp_path)
    assert [s.name for s in sources] == expected
    assert sorted(p.split(":")[0] for p in problems) == sorted(skipped)
    assert len(expected) == 7 and len(skipped) == 2


@pytest.mark.parametrize("grown, limit, whole", [(0, 100, True), (30, 100, True),
                                                 (30, 40, False)])
def test_a_file_that_grows_after_it_was_measured_is_read_whole_or_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grown: int, limit: int,
        whole: bool) -> None:
    """The reader asks for the size fstat gave, and one byte more; a file that grew in
    between is read on to the size limit, and refused past it, as before."""
    script = tmp_path / "s.inkslop"
    text = "[tts]\n" + "a" * 20 + "\n[/tts]\n"
    script.write_text(text + "b" * grown, encoding="utf-8")
    real_fstat = os.fstat

    class Measured:  # what fstat said before the file grew
        def __init__(self, handle: int) -> None:
            self.real = real_fstat(handle)

        def __getattr__(self, name: str) -> object:
            return len(text) if name == "st_size" else getattr(self.real, name)

    monkeypatch.setattr(os, "fstat", Measured)
    if whole:
        assert read_source(script, limit) == text + "b" * grown
    else:
        with pytest.raises(SourceError, match="larger"):
            read_source(script, limit)
