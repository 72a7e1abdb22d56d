"""`inkslop.submit`, the Python API's way to send a script: the same preflight as the
command line before anything is paid, then the journal, against the sandbox in process."""

from __future__ import annotations

from pathlib import Path

import pytest
from fatal_scripts import TTS

import inkslop
from inkslop.api.client import Client
from inkslop.batch.journal import Journal
from inkslop.sandbox import Sandbox

pytestmark = pytest.mark.sandbox(credits=100, render_seconds=0)


@pytest.fixture
def client(in_process_sandbox: Sandbox):  # type: ignore[no-untyped-def]
    with Client(in_process_sandbox.key, in_process_sandbox.base_url, rate_limiter=False,
                transport=in_process_sandbox.transport()) as client:
        yield client


def names(sandbox: Sandbox) -> list[str]:
    return [video["video_name"] for video in sandbox.state()["videos"]]


def test_a_clean_script_is_sent_followed_and_saved(tmp_path: Path, client, in_process_sandbox):
    (tmp_path / "fact.inkslop").write_text(TTS)
    job = inkslop.submit(tmp_path / "fact.inkslop", client, download_to=tmp_path / "fact.mp4",
                         journal_path=tmp_path / "journal.sqlite3")
    assert job.state == "done" and job.task_id
    assert names(in_process_sandbox) == ["fact"]
    assert (tmp_path / "fact.mp4").stat().st_size > 0


@pytest.mark.parametrize("text", [TTS.replace("af_heart", "af_hart"),  # an error
                                  TTS.replace("af_heart", "narrator_zz"),  # a warning
                                  ""])  # nothing to narrate
def test_a_refused_script_raises_with_the_verdict_and_nothing_is_sent_or_recorded(
        tmp_path: Path, client, in_process_sandbox, text):
    (tmp_path / "bad.inkslop").write_text(text)
    journal = tmp_path / "journal.sqlite3"
    with pytest.raises(inkslop.Refused) as refused:
        inkslop.submit(tmp_path / "bad.inkslop", client, journal_path=journal)
    assert refused.value.verdict.scripts[0].findings
    assert f"{tmp_path / 'bad.inkslop'}:1:" in str(refused.value)  # names the finding
    assert names(in_process_sandbox) == []
    assert not journal.exists()


def test_warnings_go_out_only_when_allowed_and_the_budget_holds(tmp_path: Path, client,
                                                                in_process_sandbox):
    (tmp_path / "far.inkslop").write_text(TTS.replace("af_heart", "narrator_zz"))
    journal = tmp_path / "journal.sqlite3"
    code = _warning_code(tmp_path / "far.inkslop", client, journal)
    with pytest.raises(inkslop.Refused, match="over budget"):
        inkslop.submit(tmp_path / "far.inkslop", client, allow_warnings=[code],
                       max_credits=0.001, journal_path=journal)
    job = inkslop.submit(tmp_path / "far.inkslop", client, allow_warnings=[code],
                         wait=False, journal_path=journal)
    assert job.state == "sent"
    assert names(in_process_sandbox) == ["far"]
    with Journal(journal) as opened:  # the allowance is kept for `batch resume`
        assert opened.options(job.batch_id)["allow_warnings"] == [code]


def _warning_code(path: Path, client: Client, journal: Path) -> str:
    with pytest.raises(inkslop.Refused, match="warning not allowed") as refused:
        inkslop.submit(path, client, journal_path=journal)
    (finding,) = refused.value.verdict.scripts[0].findings
    return finding.code
