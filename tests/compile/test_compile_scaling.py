"""Compile stays linear in the number of variables (issue 12, item 4, family 3), also when
every value brings a finding that must be placed at its variable.

Each test times the same compile at n and 4n in one run (the best of three, so that a busy
machine does not decide) and asserts the ratio stays under 8: about 4 when linear, 16 when
quadratic. No absolute time is asserted, and each test checks the answer too.
"""

from __future__ import annotations

import time

from inkslop.compile.compiler import CompileError, compile_document
from inkslop.syntax.parser import parse

RATIO_LIMIT = 8


def voices_in_attributes(n: int, voice: str) -> str:
    values = "".join(f'v{i} = "{voice}"\n' for i in range(n))
    blocks = "".join(f'[tts engine="kokoro_tts" voice="{{{{ v{i} }}}}"]\nHi.\n[/tts]\n'
                     for i in range(n))
    return f"+++\n[vars]\n{values}+++\n{blocks}"


def words_on_one_line(n: int) -> str:
    values = "".join(f'w{i} = "word{i}"\n' for i in range(n))
    line = " ".join(f"{{{{ w{i} }}}}[# c #]" for i in range(n))
    return f'+++\n[vars]\n{values}+++\n[tts engine="kokoro_tts" voice="af_heart"]\n{line}\n[/tts]\n'


def compile_errors(document) -> list[tuple[str, int]]:
    try:
        compile_document(document)
    except CompileError as error:
        return [(d.code, d.span.line) for d in error.diagnostics]
    return []


def best_time(text: str, work) -> float:
    document = parse(text)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        work(document)
        best = min(best, time.perf_counter() - start)
    return best


def ratio(make, work, n: int) -> float:
    return best_time(make(4 * n), work) / best_time(make(n), work)


def test_values_that_each_bring_a_finding_are_placed_in_linear_time():
    # Every value is a near-miss voice: one T008 at each variable's own line.
    assert compile_errors(parse(voices_in_attributes(3, "af_hart"))) == \
        [("T008", 7), ("T008", 10), ("T008", 13)]
    assert ratio(lambda n: voices_in_attributes(n, "af_hart"), compile_errors, 150) < RATIO_LIMIT


def test_good_values_in_attributes_compile_in_linear_time():
    script = compile_document(parse(voices_in_attributes(3, "am_adam")))
    assert script.count('voice="am_adam"') == 3 and "{{" not in script
    assert ratio(lambda n: voices_in_attributes(n, "am_adam"), compile_document, 150) \
        < RATIO_LIMIT


def test_many_variables_and_comments_on_one_line_compile_in_linear_time():
    script = compile_document(parse(words_on_one_line(3)))
    assert "word0 word1 word2\n" in script and "[#" not in script
    assert ratio(words_on_one_line, compile_document, 300) < RATIO_LIMIT
