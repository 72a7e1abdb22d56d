"""The duration model and the estimator: accuracy on the calibration set, the timeline,
fallbacks, speed, rounding, variables, project overrides."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from inkslop.estimate.duration_model import DurationModel, DurationModelError, check_data
from inkslop.estimate.estimator import CREDITS_PER_SECOND, Estimate, estimate, estimate_document
from inkslop.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[2]


def _load_calibrate():
    spec = importlib.util.spec_from_file_location("calibrate", ROOT / "bench" / "calibrate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


calibrate = _load_calibrate()
sys.path.insert(0, str(ROOT / "bench" / "calibration" / "tools"))
import refit_large  # noqa: E402  (fits the shipped model on the large set)


def tts(text: str, voice: str = "af_heart", engine: str = "kokoro_tts", extra: str = "") -> str:
    return f'[tts engine="{engine}" voice="{voice}"{extra}]\n{text}\n[/tts]\n'


def music(*inside: str) -> str:
    return '[music file="music/Carefree.opus"]\n' + "".join(inside) + "[/music]\n"


@pytest.fixture(scope="module")
def rows():
    return calibrate.load_rows()


@pytest.fixture(scope="module")
def held_out(rows):
    """Cross-validated predictions (grouped by text): a second or so."""
    return calibrate.cross_validate(rows, calibrate.model_maker(calibrate.Options()))


# ---------------------------------------------------------------- accuracy

def test_cross_validated_accuracy_is_what_the_report_claims(rows, held_out) -> None:
    errors = calibrate.errors(rows, held_out)
    where = calibrate.slices(rows)

    def mape(name: str) -> float:
        return calibrate.mean(errors[i] for i in where[name])

    assert mape("all blocks") <= 0.035
    for name in where:
        if name.startswith(("voice ", "speed ")) or name in ("punctuation", "short lines"):
            assert mape(name) <= 0.06, name
        elif name.startswith("category "):
            # emoji misses the 6% target (6.0%, 4 texts): the report says so
            assert mape(name) <= (0.065 if name == "category emoji" else 0.06), name
    scripts = calibrate.script_errors(rows, held_out, calibrate.scripts(rows))
    assert calibrate.mean(scripts) <= 0.02


@pytest.fixture(scope="module")
def large_rows():
    return refit_large.load()


def test_the_shipped_model_is_what_the_refit_writes(large_rows) -> None:
    shipped = json.loads(calibrate.MODEL.read_text(encoding="utf-8"))
    assert refit_large.model_file(large_rows) == shipped, (
        "run python bench/calibration/tools/refit_large.py --write")


def test_the_report_is_what_calibrate_writes(rows) -> None:
    spec = calibrate.fit(rows)
    report, _ = calibrate.report(rows, spec)
    assert report == calibrate.REPORT.read_text(encoding="utf-8"), "run python bench/calibrate.py"


def test_the_estimator_computes_what_the_refit_fitted(large_rows) -> None:
    # A check that the estimator and the fit compute the same thing (accuracy on unseen
    # texts is bench/results/accuracy.md's, by refit_large.py's grouped cross-validation).
    shipped = json.loads(calibrate.MODEL.read_text(encoding="utf-8"))["engines"]["kokoro_tts"]
    predict = calibrate.predictor(shipped)
    for row in large_rows[::17]:
        result = estimate(parse(tts(row.text, row.voice, extra=f' speed="{row.speed}"')))
        assert result.warnings == []
        assert result.seconds == pytest.approx(predict(row), rel=1e-9)


def test_the_calibration_data_is_the_projects_copy() -> None:
    readme = (ROOT / "bench" / "calibration" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("> **Provenance.**")
    assert calibrate.DATA == ROOT / "bench" / "calibration" / "kokoro-dev.jsonl"


# ---------------------------------------------------------------- the timeline

def test_blocks_follow_one_another_and_music_spans_what_it_holds() -> None:
    first, second, third = "Did you know octopuses have three hearts?", "And blue blood.", "Bye!"
    result = estimate(parse(music(tts(first), tts(second, "am_michael")) + tts(third)))
    alone = [estimate(parse(tts(t, v))).seconds
             for t, v in ((first, "af_heart"), (second, "am_michael"), (third, "af_heart"))]
    tags = [(b.tag, b.line, b.end_line) for b in result.blocks]
    assert tags == [("music", 1, 8), ("tts", 2, 4), ("tts", 5, 7), ("tts", 9, 11)]
    song, a, b, c = result.blocks
    assert (a.start, a.end) == (0.0, pytest.approx(alone[0]))
    assert (b.start, b.end) == (pytest.approx(alone[0]), pytest.approx(sum(alone[:2])))
    assert (song.start, song.end, song.seconds) == (0.0, b.end, pytest.approx(sum(alone[:2])))
    assert (c.start, c.end) == (pytest.approx(song.end), pytest.approx(sum(alone)))
    assert result.seconds == pytest.approx(sum(alone))
    assert song.words == a.words + b.words == 10 and song.chunks == 2
    assert (song.engine, song.voice, song.speed, song.spoken) == (None, None, None, "")


def test_nested_music_and_music_without_narration() -> None:
    result = estimate(parse(tts("One.") + music(music(tts("Two.")), music()) + tts("Three.")))
    one, outer, inner, two, empty, three = result.blocks
    assert [b.tag for b in result.blocks] == ["tts", "music", "music", "tts", "music", "tts"]
    assert outer.start == inner.start == two.start == one.end
    assert outer.end == inner.end == two.end == empty.start == empty.end == three.start
    assert empty.seconds == 0.0 and empty.words == 0
    assert result.seconds == pytest.approx(three.end)
    assert estimate(parse(music())).seconds == 0.0


def test_text_outside_narration_counts_nothing() -> None:
    with_stray = estimate(parse("Stray words here.\n" + music("More stray words.\n", tts("Hi."))))
    assert with_stray.seconds == pytest.approx(estimate(parse(tts("Hi."))).seconds)


def test_narration_inside_narration_is_not_counted_twice() -> None:
    nested = estimate(parse(tts("Outer words.\n" + tts("Inner words."))))
    assert [b.tag for b in nested.blocks] == ["tts"]
    both = estimate(parse(tts("Outer words.\n\nInner words.")))
    assert nested.seconds == pytest.approx(both.seconds)


def test_deep_nesting_does_not_recurse() -> None:
    depth = 2000
    result = estimate(parse('[music file="m.opus"]\n' * depth + tts("Hi.")
                            + "[/music]\n" * depth))
    assert len(result.blocks) == depth + 1
    assert result.seconds > 0
    assert result.blocks[0].seconds == pytest.approx(result.seconds)


def test_line_breaks_add_the_silence_of_a_chunk() -> None:
    flat = estimate(parse(tts("Drink more water. Sleep eight hours.")))
    lines = estimate(parse(tts("Drink more water.\nSleep eight hours.")))
    assert (flat.blocks[0].chunks, lines.blocks[0].chunks) == (1, 2)
    assert 0.5 < lines.seconds - flat.seconds < 1.2


# ---------------------------------------------------------------- engine, voice, speed

def test_an_unknown_engine_falls_back_to_the_default_model_with_a_warning() -> None:
    result = estimate(parse(tts("Hello there.", engine="my_tts") + tts("Again.", engine="my_tts")))
    assert result.warnings == ["unknown engine my_tts: the default model was used"]
    assert result.seconds > 0
    plain, warnings = DurationModel.load().seconds("Hello there.", "my_tts", "af_heart")
    assert plain == pytest.approx(result.blocks[0].seconds)
    assert warnings == ["unknown engine my_tts: the default model was used"]


def test_a_block_without_engine_uses_the_default_model() -> None:
    result = estimate(parse('[tts voice="af_heart"]\nHello.\n[/tts]\n'))
    assert result.warnings == ["a block names no engine: the default model was used"]


def test_speed_changes_the_duration_in_the_right_direction() -> None:
    text = "She opened the old wooden box and found a letter addressed to her grandmother."
    seconds = {speed: estimate(parse(tts(text, extra=f' speed="{speed}"'))).seconds
               for speed in (0.5, 0.8, 1.0, 1.25, 2.0)}
    assert seconds[0.5] > seconds[0.8] > seconds[1.0] > seconds[1.25] > seconds[2.0]
    # measured, not 1/speed: about 2.0 times as long at 0.5, 0.55 at 2.0
    assert seconds[0.5] / seconds[1.0] == pytest.approx(2.0, abs=0.03)
    assert seconds[2.0] / seconds[1.0] == pytest.approx(0.55, abs=0.02)
    assert estimate(parse(tts(text))).seconds == seconds[1.0]


def test_a_bad_speed_is_reported_and_one_is_used() -> None:
    normal = estimate(parse(tts("Hello."))).seconds
    for speed in ("fast", "0", "-1"):
        result = estimate(parse(tts("Hello.", extra=f' speed="{speed}"')))
        assert result.seconds == pytest.approx(normal)
        assert len(result.warnings) == 1 and "1.0 was used" in result.warnings[0]


def test_voices_have_their_own_pace_and_unmeasured_ones_a_typical_one() -> None:
    text = "Let me show you how to keep fresh herbs alive for weeks instead of days."
    heart, michael, alpha, kumo = (estimate(parse(tts(text, voice))).seconds
                                   for voice in ("af_heart", "am_michael", "jf_alpha", "jm_kumo"))
    assert michael > heart * 1.05
    assert alpha == kumo != heart  # not measured: the median of the measured voices


def test_speed_ratio_interpolates_and_extrapolates() -> None:
    kokoro = DurationModel.load().engines["kokoro_tts"]
    assert kokoro.speed_ratio(1.0) == 1.0
    assert kokoro.speed_ratio(0.8) == pytest.approx(1.239, abs=0.01)
    assert kokoro.speed_ratio(0.85) < kokoro.speed_ratio(0.8)
    assert kokoro.speed_ratio(3.0) == pytest.approx(kokoro.speed_ratio(2.0) * 2 / 3)
    assert DurationModel.load().default.speed_ratio(2.0) == 0.5  # no curve: 1/speed


# ---------------------------------------------------------------- rounding and credits

@pytest.mark.parametrize(("seconds", "rounded"), [
    (28.4, 28.4), (28.41, 28.5), (28.49, 28.5), (0.0, 0.0), (0.01, 0.1), (12.3, 12.3),
    (0.1 + 0.2, 0.3),
])
def test_estimated_duration_rounds_up_to_a_tenth(seconds: float, rounded: float) -> None:
    assert Estimate(seconds, 0.0, [], []).estimated_duration == rounded


def test_credits_follow_the_rate_derived_from_inkslops_example() -> None:
    assert CREDITS_PER_SECOND * 28.4 == pytest.approx(2.3)
    document = parse(tts("Octopuses have three hearts and blue blood."))
    result = estimate(document)
    assert result.credits == pytest.approx(result.seconds * 2.3 / 28.4)
    assert estimate(document, credit_rate=1.0).credits == pytest.approx(result.seconds)


# ---------------------------------------------------------------- variables

def test_variables_filled_and_unfilled() -> None:
    document = parse(tts("Did you know the {{ animal }} can punch hard?"))
    long_name = estimate(document, values={"animal": "very large and colourful mantis shrimp"})
    short_name = estimate(document, values={"animal": "crab"})
    assert long_name.seconds > short_name.seconds
    assert long_name.warnings == short_name.warnings == []
    assert "mantis shrimp" in long_name.blocks[0].spoken
    unfilled = estimate(document)
    assert unfilled.warnings == ["line 2: `{{ animal }}` has no value: counted as one average "
                                 "word"]
    average = estimate(parse(tts("Did you know the about can punch hard?")))
    assert unfilled.seconds == pytest.approx(average.seconds)
    assert unfilled.blocks[0].words == 8


def test_estimate_document_takes_front_matter_vars_given_values_and_settings() -> None:
    text = '+++\n[vars]\nanimal = "crab"\n+++\n' + tts("The {{ animal }} waves.")
    document = parse(text)
    assert "crab" in estimate_document(document).blocks[0].spoken
    assert "lobster" in estimate_document(document, given={"animal": "lobster"}).blocks[0].spoken


def test_attributes_may_hold_variables() -> None:
    document = parse('[tts engine="kokoro_tts" voice="{{ v }}" speed="{{ s }}"]\nHello.\n[/tts]\n')
    result = estimate(document, values={"v": "am_michael", "s": "2.0"})
    assert (result.blocks[0].voice, result.blocks[0].speed) == ("am_michael", 2.0)


# ---------------------------------------------------------------- the model file and overrides

def test_overrides_replace_voices_and_add_engines() -> None:
    model = DurationModel.load()
    text = "Octopuses have three hearts and blue blood."
    base, _ = model.seconds(text, "kokoro_tts", "af_heart")  # the reference: factors 1.0
    slower = model.with_overrides(
        {"engines": {"kokoro_tts": {"voices": {"af_heart": {"speech": 1.2, "silence": 1.2}}}}})
    assert slower.seconds(text, "kokoro_tts", "af_heart")[0] == pytest.approx(base * 1.2)
    assert slower.seconds(text, "kokoro_tts", "af_nova")[0] == model.seconds(
        text, "kokoro_tts", "af_nova")[0]
    shorthand = model.with_overrides({"engines": {"kokoro_tts": {"voices": {"af_heart": 1.2}}}})
    assert shorthand.seconds(text, "kokoro_tts", "af_heart")[0] == pytest.approx(base * 1.2)
    added = model.with_overrides({"engines": {"my_tts": {"chunk_seconds": 0.0}}})
    seconds, warnings = added.seconds(text, "my_tts", None)
    assert warnings == [] and 0 < seconds < model.seconds(text, "my_tts", None)[0]


@pytest.mark.parametrize(("overrides", "key"), [
    ({"engines": {"kokoro_tts": {"chunk_second": 1}}}, "engines.kokoro_tts.chunk_second"),
    ({"engines": {"kokoro_tts": {"seconds_per": {"letters": 1}}}}, "seconds_per.letters"),
    ({"engines": {"kokoro_tts": {"voices": {"af_heart": {"speech": -1}}}}},
     "voices.af_heart.speech"),
    ({"engines": {"kokoro_tts": {"speed_curve": [[1.5, 1], [1.0, 1]]}}}, "speed_curve"),
    ({"engines": {"kokoro_tts": {"chunk_seconds": "fast"}}}, "chunk_seconds"),
    ({"engine": {}}, "engine"),
])
def test_broken_overrides_name_the_key(overrides: dict, key: str) -> None:
    with pytest.raises(DurationModelError, match=key.replace(".", r"\.")):
        DurationModel.load().with_overrides(overrides)


def test_a_project_with_a_broken_model_gets_the_shipped_one_and_a_warning() -> None:
    from inkslop.config.settings import Settings

    settings = Settings(duration_model={"engines": {"kokoro_tts": {"chunk_seconds": -1}}})
    document = parse(tts("Hello."))
    result = estimate_document(document, settings)
    assert result.seconds == estimate(document).seconds
    assert result.warnings[0].startswith("the project's duration model is not used")


def test_the_shipped_file_is_well_formed() -> None:
    data = json.loads((ROOT / "dsl" / "inkslop" / "estimate" / "duration_model.json").read_text("utf-8"))
    check_data(data)
    kokoro = data["engines"]["kokoro_tts"]
    measured = {row.voice for row in refit_large.load()}
    assert set(kokoro["voices"]) == measured and len(measured) == 28
    assert all(math.isfinite(v) and v > 0 for v in kokoro["seconds_per"].values())


def test_the_estimate_path_imports_nothing_heavy() -> None:
    code = ("import sys; from inkslop.syntax.parser import parse; from inkslop.estimate.estimator import "
            "estimate; estimate(parse('[tts engine=\"kokoro_tts\" voice=\"af_heart\"]\\nHi 🔥 "
            "$4.99\\n[/tts]\\n')); print(sorted(m for m in ('pydantic', 'numpy', 'lark') "
            "if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "[]"
