"""Scaling: the families of input that once took quadratic time take linear time.

Each test times the same work at n and 4n in the same run (the best of a few tries, so a
busy machine does not decide) and asserts the ratio stays near 4: under 8, where a
quadratic cost gives 16. No absolute time is asserted. Each test also checks that the
findings are the ones expected, so that a fast wrong answer cannot pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from inkslop.compile.compiler import compile_document
from inkslop.lint.checker import check
from inkslop.syntax.parser import parse

TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'
RATIO_LIMIT = 8  # linear: about 4; quadratic: about 16


def _best_time(work: Callable[[], object], tries: int = 3) -> float:
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _ratio(make: Callable[[int], str], work: Callable[[str], object], n: int) -> float:
    work(make(10))  # warm up: imports and caches that load once
    small, large = make(n), make(4 * n)
    return _best_time(lambda: work(large)) / _best_time(lambda: work(small))


def _codes(text: str) -> list[str]:
    return [d.code for d in check(parse(text))]


def unused_vars(n: int) -> str:
    return "+++\n[vars]\n" + "".join(f'v{i} = "x"\n' for i in range(n)) + "+++\n" + TTS


def unknown_keys(n: int) -> str:
    return "+++\n" + "".join(f'k{i} = "x"\n' for i in range(n)) + "+++\n" + TTS


def suppressed_findings(n: int) -> str:
    block = "[# inkslop: ignore S012 #]\n[tts engine='kokoro_tts' voice=\"af_heart\"]\nHi.\n[/tts]\n"
    return block * n


def ignore_block_directives(n: int) -> str:
    block = "[tts engine='kokoro_tts' voice=\"af_heart\"]\n[# inkslop: ignore-block S012 #]\nHi.\n[/tts]\n"
    return block * n + "[tts engine='kokoro_tts' voice=\"af_heart\"]\nHi.\n[/tts]\n"


def ignore_file_directives(n: int) -> str:
    codes = ("S012", "T001", "T002")
    return "".join(f"[# inkslop: ignore-file {codes[i % 3]} #]\n" for i in range(n)) \
        + "[tts engine='kokoro_tts' voice=\"af_heart\"]\nHi.\n[/tts]\n"


def attribute_variables(n: int) -> str:
    values = "".join(f'v{i} = "af_heart"\n' for i in range(n))
    blocks = "".join(f'[tts engine="kokoro_tts" voice="{{{{ v{i} }}}}"]\nHi.\n[/tts]\n'
                     for i in range(n))
    return f"+++\n[vars]\n{values}+++\n{blocks}"


def test_unused_vars_entries_are_linear() -> None:
    assert _codes(unused_vars(3)).count("V002") == 3
    assert _ratio(unused_vars, lambda text: check(parse(text)), 1000) < RATIO_LIMIT


def test_unknown_front_matter_keys_are_linear() -> None:
    assert _codes(unknown_keys(3)).count("F002") == 3
    assert _ratio(unknown_keys, lambda text: check(parse(text)), 250) < RATIO_LIMIT


def test_suppression_directives_each_with_a_finding_are_linear() -> None:
    assert _codes(suppressed_findings(3)) == []  # every S012 suppressed, no N001
    assert _ratio(suppressed_findings, lambda text: check(parse(text)), 400) < RATIO_LIMIT


def test_ignore_block_directives_each_with_a_finding_are_linear() -> None:
    # Each block's S012 is suppressed by its own directive; the last block has none.
    found = check(parse(ignore_block_directives(3)))
    assert [(d.code, d.span.line) for d in found] == [("S012", 13)]
    assert _ratio(ignore_block_directives, lambda text: check(parse(text)), 300) < RATIO_LIMIT


def test_ignore_file_directives_are_linear() -> None:
    # S012 is suppressed (by a third of them); the rest suppress nothing: N001 each.
    codes = _codes(ignore_file_directives(6))
    assert codes.count("N001") == 4 and "S012" not in codes
    assert _ratio(ignore_file_directives, lambda text: check(parse(text)), 500) < RATIO_LIMIT


def test_variables_in_attributes_at_compile_are_linear() -> None:
    script = compile_document(parse(attribute_variables(3)))
    assert script.count('voice="af_heart"') == 3 and "{{" not in script
    assert _ratio(attribute_variables, lambda text: compile_document(parse(text)), 300) \
        < RATIO_LIMIT
