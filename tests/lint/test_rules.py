"""The rules: every rule's own examples, severities, suggestions, fixes, suppression, settings.

The first part is generic over `inkslop.lint.rules.RULES`: a new rule is tested by
the examples it documents (its `bad` example must report it, its `good` one
nothing at all), so a rule without a bad example fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fatal_scripts import ELEVEN

from inkslop.config.loader import ConfigError, load_settings, settings_for
from inkslop.config.settings import Settings
from inkslop.lint.checker import check, fix
from inkslop.lint.rules import RULES
from inkslop.syntax.diagnostics import SEVERITY_RANK
from inkslop.syntax.parser import parse

TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'
OFFICIAL = (
    '[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
    '[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\n'
    "Did you know the mantis shrimp can punch with the force of a bullet?\n"
    "Their eyes can see 16 types of colour receptors. Humans have only 3.\n"
    "[/tts]\n"
    "[/music]\n"
)


def settings_with(tmp_path: Path, config: str = "", name: str = "inkslop.toml") -> Settings:
    """The settings a script in a fresh project with this configuration gets."""
    (tmp_path / name).write_text(config, encoding="utf-8")
    script = tmp_path / "script.inkslop"
    script.write_text("", encoding="utf-8")
    return settings_for(script)


def run(text: str, settings: Settings | None = None):
    schema = settings.schema if settings else None
    return check(parse(text, schema), settings)


def codes(text: str, settings: Settings | None = None) -> list[str]:
    return [d.code for d in run(text, settings)]


def one(text: str, code: str, settings: Settings | None = None):
    found = [d for d in run(text, settings) if d.code == code]
    assert len(found) == 1, run(text, settings)
    return found[0]


# ---- every rule, by its own examples ----------------------------------------------

WITH_EXAMPLE = sorted(code for code, rule in RULES.items() if rule.bad)


def test_only_the_parser_failure_has_no_bad_example():
    # S000 is a bug in inkslop, with no input to show; every other rule shows one.
    assert {code for code, rule in RULES.items() if not rule.bad} == {"S000"}


@pytest.mark.parametrize("code", WITH_EXAMPLE)
def test_bad_example_reports_its_rule(code, tmp_path):
    rule = RULES[code]
    settings = settings_with(tmp_path, rule.example_config)
    found = [d for d in run(rule.bad, settings) if d.code == code]
    assert found, run(rule.bad, settings)
    for diagnostic in found:
        assert diagnostic.message
        assert SEVERITY_RANK[diagnostic.severity] <= SEVERITY_RANK[rule.severity]
        if rule.rests_on == "assumed" and diagnostic.severity == "error":
            # an assumption alone never makes an error: a near miss, a documented reason, or
            # (T003's example lacks `voice`) a schema fact marked confirmed does
            assert rule.near_miss or rule.severity_note or code == "T003", code


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_reports_nothing(code, tmp_path):
    rule = RULES[code]
    settings = settings_with(tmp_path, rule.example_config)
    assert run(rule.good, settings) == []


@pytest.mark.parametrize("code", WITH_EXAMPLE)
def test_bad_example_fix_matches_what_the_rule_says(code, tmp_path):
    rule = RULES[code]
    settings = settings_with(tmp_path, rule.example_config)
    found = [d for d in run(rule.bad, settings) if d.code == code]
    safe_fixed = fix(rule.bad, settings)
    all_fixed = fix(rule.bad, settings, unsafe=True)
    if rule.fix == "none":
        assert all(d.fix is None for d in found)
    elif rule.fix == "safe":
        assert all(d.fix is not None and d.fix.safe for d in found)
        assert code not in {d.code for d in safe_fixed.remaining}
    elif rule.fix == "unsafe":
        assert all(d.fix is not None and not d.fix.safe for d in found)
        assert safe_fixed.text == rule.bad or code in {d.code for d in safe_fixed.remaining}
        assert code not in {d.code for d in all_fixed.remaining}
    else:
        assert rule.fix == "sometimes safe"
        assert all(d.fix is not None for d in found)
    # Fixing is idempotent: the fixed text has nothing left that the same fix would change.
    assert fix(safe_fixed.text, settings).text == safe_fixed.text
    assert fix(all_fixed.text, settings, unsafe=True).text == all_fixed.text


def test_rule_metadata_is_complete():
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))
    for code, rule in RULES.items():
        assert rule.code == code and len(code) == 4 and code[1:].isdigit()
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.severity in ("error", "warning", "info")
        assert rule.fix in ("none", "safe", "unsafe", "sometimes safe")
        assert rule.rests_on in ("confirmed", "assumed", "toolkit")
        assert rule.summary and rule.why and rule.group


def test_the_official_example_is_clean():
    assert run(OFFICIAL) == []


# ---- the severity cap: a finding resting on an assumption is a warning at most --------


def test_missing_attribute_severity_follows_the_mark_of_required(tmp_path):
    # engine and voice: the documentation's minimal request names both (confirmed)
    for attribute in ('engine="kokoro_tts"', 'voice="af_heart"'):
        assert one(f"[tts {attribute}]\nHello.\n[/tts]\n", "T003").severity == "error"
    no_file = '[music volume="0.3"]\n' + TTS + "[/music]\n"
    assert one(no_file, "T003").severity == "warning"  # that `file` is required is assumed
    confirmed = settings_with(
        tmp_path, '[schema.tags.music.attributes.file]\nrequired_mark = "confirmed"\n')
    assert one(no_file, "T003", confirmed).severity == "error"


@pytest.mark.parametrize("inner", [TTS, '[music file="music/Carefree.opus"]\n[/music]\n'])
def test_a_block_inside_narration_is_an_error_and_its_only_finding(inner):
    text = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n' + inner + "[/tts]\n"
    (diagnostic,) = run(text)
    assert (diagnostic.code, diagnostic.severity) == ("C002", "error")
    assert "holds text only" in diagnostic.message and "close `[/tts]` first" in diagnostic.message


def test_a_tag_elsewhere_than_its_assumed_parents_is_a_warning(tmp_path):
    declared = ('[schema.tags.pause]\nmark = "toolkit"\ncontent = "none"\nparents = ["tts"]\n'
                '[schema.tags.pause.attributes.seconds]\ntype = "number"\nmark = "toolkit"\n')
    settings = settings_with(tmp_path, declared)
    assert one('[pause seconds="1"/]\n' + TTS, "C002", settings).severity == "warning"


def test_unknown_voice_near_miss_is_an_error_far_a_warning_and_the_project_decides(tmp_path):
    near = '[tts engine="kokoro_tts" voice="af_hert"]\nHello.\n[/tts]\n'
    far = near.replace("af_hert", "narrator_zz")
    assert one(near, "T008").severity == "error"
    assert one(far, "T008").severity == "warning"
    raised = settings_with(tmp_path, '[severity]\nT008 = "error"\n')
    assert one(far, "T008", raised).severity == "error"
    lowered = settings_with(tmp_path, '[severity]\nT008 = "warning"\n')
    assert one(near, "T008", lowered).severity == "warning"


def test_invalid_value_is_an_error_only_for_a_confirmed_attribute():
    confirmed = '[tts engine="kokoro_tts" voice="af_heart" subtitles="yes"]\nHi\n[/tts]\n'
    assumed = '[tts engine="kokoro_tts" voice="af_heart" speed="fast"]\nHi\n[/tts]\n'
    assert one(confirmed, "T004").severity == "error"
    assert one(assumed, "T004").severity == "warning"


# ---- messages: where a finding points, and did-you-mean --------------------------------


@pytest.mark.parametrize("text, code, pointed, suggestion", [
    ('[tss engine="kokoro_tts" voice="af_heart"]\nHi\n[/tss]\n', "T001", "tss",
     "Did you mean `[tts]`?"),
    ('[tts engine="kokoro_tts" voise="af_heart"]\nHi\n[/tts]\n', "T002", "voise",
     "Did you mean `voice`?"),
    ('[tts engine="kokoro" voice="af_heart"]\nHi\n[/tts]\n', "T007", '"kokoro"',
     'Did you mean "kokoro_tts"?'),
    ('[tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n', "T008", '"af_hert"',
     'Did you mean "af_heart"?'),
    ('[tts engine="kokoro_tts" voice="AF_HEART"]\nHi\n[/tts]\n', "T008", '"AF_HEART"',
     'Did you mean "af_heart"?'),
    ('[music file="music/Carefree.opus" fit="lop"]\n' + TTS + "[/music]\n", "T005", '"lop"',
     'Did you mean "loop"?'),
    ('+++\nvideo_nme = "mantis"\n+++\n' + TTS, "F002", "video_nme",
     "Did you mean `video_name`?"),
    ('+++\n[vars]\nanimal = "shrimp"\n+++\n[tts engine="kokoro_tts" voice="af_heart"]\n'
     "The {{ animl }}.\n[/tts]\n", "V001", "{{ animl }}", "Did you mean `animal`?"),
])
def test_did_you_mean(text, code, pointed, suggestion):
    diagnostic = one(text, code)
    assert text[diagnostic.span.start:diagnostic.span.end] == pointed
    assert suggestion in diagnostic.message


def test_did_you_mean_a_track_of_the_music_library(tmp_path):
    settings = settings_with(tmp_path,
                             'music-library = ["music/Carefree.opus", "music/Calm.opus"]\n')
    text = '[music file="music/Carefre.opus"]\n' + TTS + "[/music]\n"
    diagnostic = one(text, "T013", settings)
    assert 'Did you mean "music/Carefree.opus"?' in diagnostic.message
    assert run('[music file="music/Calm.opus"]\n' + TTS + "[/music]\n", settings) == []
    assert "T013" not in codes(text)  # without a library, any track may be right


def test_no_suggestion_when_nothing_is_close():
    tag = one("[zzzzzz]\n[/zzzzzz]\n" + TTS, "T001")
    assert "Did you mean" not in tag.message and tag.fix is None
    attribute = one('[tts engine="kokoro_tts" voice="af_heart" qqqq="1"]\nHi\n[/tts]\n', "T002")
    assert "Did you mean" not in attribute.message
    assert "`engine`, `voice`" in attribute.message  # it lists what the tag takes
    voice = one('[tts engine="kokoro_tts" voice="zzzzzz"]\nHi\n[/tts]\n', "T008")
    assert "Did you mean" not in voice.message and "such as" in voice.message


def test_an_unknown_tag_is_renamed_in_both_its_tags_by_the_unsafe_fix():
    text = '[tss engine="kokoro_tts" voice="af_heart"]\nHi\n[/tss]\n'
    assert fix(text).text == text
    assert fix(text, unsafe=True).text == text.replace("tss", "tts")


# ---- fixes ----------------------------------------------------------------------------

SAFE_FIXES = [
    ("[tts engine=kokoro_tts voice='af_heart']\nHi\n[/tts]\n",
     '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n', "S012"),
    ("[tts engine=kokoro_tts voice='it\\'s \"me\"']\nHi\n[/tts]\n",
     '[tts engine="kokoro_tts" voice="it\'s \\"me\\""]\nHi\n[/tts]\n', "S012"),
    ('[tts engine="kokoro_tts"voice="af_heart"]\nHi\n[/tts]\n',
     '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n', "S013"),
    ('[tts engine="kokoro_tts" voice="af_heart]\nHi\n[/tts]\n',
     '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n', "S004"),
    ('[tts engine="kokoro_tts" voice="af_heart"\nHi\n[/tts]\n',
     '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n', "S009"),
    ('[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts voice="af_heart"]\n',
     '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n', "S014"),
    ('+++\nvideo_name = "x"\nestimated_duration = 15\n+++\n' + TTS,
     '+++\nvideo_name = "x"\n+++\n' + TTS, "F003"),
    ('+++\nvideo_name = "x"\n\n' + TTS, '+++\nvideo_name = "x"\n\n+++\n' + TTS, "S007"),
]


@pytest.mark.parametrize("text, fixed, code", SAFE_FIXES)
def test_safe_fix_resolves_its_diagnostic(text, fixed, code):
    assert code in codes(text)
    result = fix(text)
    assert result.text == fixed
    assert code in [d.code for d in result.applied]
    assert code not in codes(result.text)
    assert [d.code for d in result.remaining] == codes(result.text)
    again = fix(result.text)
    assert again.text == result.text and again.applied == []


def test_several_fixes_in_one_tag_are_all_applied():
    text = "[tts engine=kokoro_tts voice='af_heart'subtitles=true]\nHi\n[/tts x=\"1\"]\n"
    result = fix(text)
    assert result.text == (
        '[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\nHi\n[/tts]\n')
    assert result.remaining == []
    assert fix(result.text).text == result.text


def test_unsafe_fixes_apply_only_when_asked():
    text = '[tts engine="kokoro_tts" voice="af_hert"]\nHello.\n'
    assert fix(text).text == text
    assert sorted(d.code for d in fix(text).remaining) == ["S001"]
    result = fix(text, unsafe=True)
    # Passes repeat: once the block is closed, the voice is checked and its fix applied.
    assert result.text == '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]'
    assert sorted(d.code for d in result.applied) == ["S001", "T008"]
    assert result.remaining == []


def test_fix_after_a_byte_order_mark():
    text = "\ufeff[tts engine=kokoro_tts voice=\"af_heart\"]\nHi\n[/tts]\n"
    result = fix(text)
    assert result.text.lstrip("\ufeff") == (
        '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n')
    assert result.remaining == []


def test_fix_of_a_clean_text_changes_nothing():
    result = fix(OFFICIAL)
    assert result.text == OFFICIAL and result.applied == [] and result.remaining == []


# ---- suppression ------------------------------------------------------------------------

BAD_VOICE = '[tts engine="kokoro_tts" voice="af_hert"]\nHello.\n[/tts]\n'


@pytest.mark.parametrize("text", [
    "[# inkslop: ignore T008 #]\n" + BAD_VOICE,
    "[# inkslop: ignore T008 #]\n\n\n" + BAD_VOICE,  # blank lines between: the next line
    BAD_VOICE.replace("]\n", "] [# inkslop: ignore T008 #]\n", 1),  # the same line
    "[# inkslop: ignore T #]\n" + BAD_VOICE,  # a prefix
    "[# inkslop: ignore T00 #]\n" + BAD_VOICE,
    "[# inkslop: ignore t008 #]\n" + BAD_VOICE,  # any case
    "[# inkslop: ignore #]\n" + BAD_VOICE,  # every code
    # codes separated by commas and spaces; C001, T001 and T008 all on the next line
    '[# inkslop:ignore T001, T008 C001 #]\nloose [x /][tts engine="kokoro_tts" voice="af_hert"]'
    "Hi[/tts]\n",
    "[# inkslop: ignore-file T008 #]\n" + BAD_VOICE + BAD_VOICE,
    "[# inkslop: ignore-file #]\n" + BAD_VOICE,
    '[music file="music/Carefree.opus"]\n[# inkslop: ignore-block T008 #]\n' + BAD_VOICE
    + BAD_VOICE + "[/music]\n",
    BAD_VOICE.replace("Hello.", "[# inkslop: ignore-block #]\nHello."),
])
def test_directive_suppresses(text):
    assert run(text) == []


def test_ignore_covers_only_the_next_line():
    text = "[# inkslop: ignore T008 #]\n" + BAD_VOICE + BAD_VOICE
    assert [(d.code, d.span.line) for d in run(text)] == [("T008", 5)]


def test_a_comment_after_text_covers_its_own_line_only():
    text = 'loose [# inkslop: ignore C001 #]\nmore loose\n' + TTS
    assert [(d.code, d.span.line) for d in run(text)] == [("C001", 2)]


def test_ignore_block_covers_only_its_block():
    text = ('[music file="music/Carefree.opus"]\n[# inkslop: ignore-block T008 #]\n' + BAD_VOICE
            + "[/music]\n" + BAD_VOICE)
    assert [(d.code, d.span.line) for d in run(text)] == [("T008", 7)]


def test_ignore_block_outside_any_block_is_invalid():
    found = run("[# inkslop: ignore-block T008 #]\n" + BAD_VOICE)
    assert [(d.code, d.span.line) for d in found] == [("N002", 1), ("T008", 2)]
    assert "inside the block" in found[0].message


def test_unused_directive_is_reported():
    found = run("[# inkslop: ignore C001 #]\n" + BAD_VOICE)
    assert [(d.code, d.severity, d.span.line) for d in found] == [
        ("N001", "warning", 1), ("T008", "error", 2)]
    assert "`C001`" in found[0].message
    assert found[0].fix is not None and not found[0].fix.safe


def test_partly_used_directive_reports_the_unused_code():
    found = run("[# inkslop: ignore T008, C001 #]\n" + BAD_VOICE)
    assert [d.code for d in found] == ["N001"]
    assert "`C001`" in found[0].message and "T008" not in found[0].message


def test_directive_naming_no_rule_is_invalid():
    found = run("[# inkslop: ignore T999 #]\n" + BAD_VOICE)
    assert [d.code for d in found] == ["N002", "T008"]
    assert "`T999`" in found[0].message


def test_misspelt_directive_is_invalid():
    found = run("[# inkslop: ignor T008 #]\n" + BAD_VOICE)
    assert [d.code for d in found] == ["N002", "T008"]
    assert "ignor" in found[0].message


def test_ordinary_comments_are_not_directives():
    assert run("[# ignore T008 #]\n[# inkslop is great #]\n" + TTS) == []


def test_syntax_errors_cannot_be_suppressed():
    for directive in ("ignore S001", "ignore", "ignore-file", "ignore-file S"):
        text = f"[# inkslop: {directive} #]\n" + '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n'
        found = codes(text)
        assert "S001" in found, directive
        assert {"N001", "N002"} & set(found), directive  # the directive does nothing: said so


def test_syntax_warnings_can_be_suppressed():
    text = "[# inkslop: ignore S012 #]\n[tts engine=kokoro_tts voice=\"af_heart\"]\nHi\n[/tts]\n"
    assert run(text) == []


def test_n001_can_itself_be_ignored_by_configuration(tmp_path):
    settings = settings_with(tmp_path, 'ignore = ["N001"]\n')
    assert run("[# inkslop: ignore C001 #]\n" + TTS, settings) == []


# ---- configuration ------------------------------------------------------------------------

MIXED = (
    "Loose text.\n"
    '[tts engine="kokoro_tts" voice="af_hert" speed="3"]\nHello.\n[/tts]\n'
)


def test_default_settings_report_everything():
    assert codes(MIXED) == ["C001", "T008", "T006"]


@pytest.mark.parametrize("config, expected", [
    ('select = ["T"]\n', ["T008", "T006"]),
    ('select = ["T008", "C"]\n', ["C001", "T008"]),
    ('ignore = ["T00"]\n', ["C001"]),
    ('select = ["ALL"]\nignore = ["C001", "T006"]\n', ["T008"]),
    ('select = ["t"]\nignore = ["t006"]\n', ["T008"]),  # codes in any case
])
def test_select_and_ignore(tmp_path, config, expected):
    assert codes(MIXED, settings_with(tmp_path, config)) == expected


def test_syntax_errors_cannot_be_unselected(tmp_path):
    settings = settings_with(tmp_path, 'select = ["T"]\nignore = ["S"]\n')
    text = "[tts engine=kokoro_tts voice=\"af_heart\"]\nHi\n"
    assert codes(text, settings) == ["S001"]  # the S012 warning is left out, the error is not


def test_severity_overrides(tmp_path):
    settings = settings_with(tmp_path, '[severity]\nC001 = "info"\nT006 = "error"\n')
    assert [(d.code, d.severity) for d in run(MIXED, settings)] == [
        ("C001", "info"), ("T008", "error"), ("T006", "error")]


def test_syntax_error_severity_cannot_be_lowered(tmp_path):
    settings = settings_with(tmp_path, '[severity]\nS001 = "info"\n')
    found = run('[tts engine="kokoro_tts" voice="af_heart"]\nHi\n', settings)
    assert [(d.code, d.severity) for d in found] == [("S001", "error")]


def test_schema_extension_adds_an_engine_and_its_voices(tmp_path):
    settings = settings_with(tmp_path, (
        '[schema.engines.my_tts]\nmark = "toolkit"\n'
        '[schema.engines.my_tts.voices]\n'
        'narrator = { language = "en-US", gender = "female", mark = "toolkit" }\n'
        'villain = { language = "en-GB", gender = "male", mark = "toolkit" }\n'))
    good = '[tts engine="my_tts" voice="villain"]\nHi\n[/tts]\n'
    assert run(good, settings) == []
    assert codes(good) == ["T007"]  # not without the configuration
    misspelt = one('[tts engine="my_tts" voice="narator"]\nHi\n[/tts]\n', "T008", settings)
    assert 'Did you mean "narrator"?' in misspelt.message
    assert run(TTS, settings) == []  # the built-in engine is still there


def test_schema_extension_adds_a_voice_to_the_built_in_engine(tmp_path):
    settings = settings_with(tmp_path, (
        "[schema.engines.kokoro_tts.voices]\n"
        'af_custom = { language = "en-US", gender = "female", mark = "toolkit" }\n'))
    custom = '[tts engine="kokoro_tts" voice="af_custom"]\nHi\n[/tts]\n'
    assert run(custom, settings) == []
    assert run(TTS, settings) == []
    assert codes(custom) == ["T008"]


def test_schema_extension_voice_without_a_mark(tmp_path):
    # As in the configuration's own documentation: a voice's mark defaults to "assumed".
    settings = settings_with(tmp_path, (
        '[schema.engines.my_tts]\nmark = "toolkit"\n'
        "[schema.engines.my_tts.voices]\n"
        'narrator = { language = "en-US", gender = "female" }\n'))
    assert run('[tts engine="my_tts" voice="narrator"]\nHi\n[/tts]\n', settings) == []


def test_schema_extension_declares_a_tag(tmp_path):
    settings = settings_with(tmp_path, RULES["T011"].example_config)
    assert run('[pause seconds="1.5" /]\n' + TTS, settings) == []
    assert codes('[pause seconds="1.5" /]\n' + TTS) == ["T001"]
    assert one('[pause seconds="soon" /]\n' + TTS, "T004", settings).severity == "error"


def test_music_library(tmp_path):
    settings = settings_with(tmp_path, 'music-library = ["music/Carefree.opus"]\n')
    assert run(OFFICIAL, settings) == []
    other = OFFICIAL.replace("Carefree", "Sad")
    assert codes(other, settings) == ["T013"]
    assert codes(other) == []


@pytest.mark.parametrize("config, key, words", [
    ('selct = ["T"]\n', "selct", "extra inputs"),
    ('[severity]\nT008 = "fatal"\n', "severity.T008", "'error', 'warning' or 'info'"),
    ('select = ["T999"]\n', "select", "`T999`"),
    ('ignore = ["X1"]\n', "ignore", "`X1`"),
    ('[severity]\nZ001 = "error"\n', "severity", "`Z001`"),
    ('select = "T"\n', "select", "list"),
    ('[schema.engines.my_tts]\nmark = "maybe"\n', "schema.engines.my_tts.mark", "'confirmed'"),
])
def test_broken_configuration_names_the_file_and_key(tmp_path, config, key, words):
    path = tmp_path / "inkslop.toml"
    path.write_text(config, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    message = str(raised.value)
    assert str(path) in message
    assert f"`{key}`" in message
    assert words in message


def test_broken_pyproject_configuration_names_the_full_key(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n[tool.inkslop.severity]\nT008 = "loud"\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert str(path) in str(raised.value)
    assert "`tool.inkslop.severity.T008`" in str(raised.value)


def test_invalid_toml_configuration(tmp_path):
    path = tmp_path / "inkslop.toml"
    path.write_text('select = ["T"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert str(path) in str(raised.value)
    assert "not valid TOML" in str(raised.value)


@pytest.mark.parametrize("config, key", [
    ('[schema.tags.tts]\ncolour = "red"\n', "schema.tags.tts.colour"),
    ('[schema.engines.my_tts]\nsummary = "no mark"\n', "schema.engines.my_tts.mark"),
    ('[schema.tags.tts.attributes.pitch]\nmark = "toolkit"\n',
     "schema.tags.tts.attributes.pitch.type"),
])
def test_broken_schema_extension_is_a_config_error(tmp_path, config, key):
    path = tmp_path / "inkslop.toml"
    path.write_text(config, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert str(path) in str(raised.value)
    assert f"`{key}`" in str(raised.value)


def _script_in(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "script.inkslop"
    script.write_text(TTS, encoding="utf-8")
    return script


def test_discovery_finds_the_nearest_configuration_upward(tmp_path):
    (tmp_path / "inkslop.toml").write_text('select = ["C"]\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.inkslop]\nselect = ["T"]\n')
    deep = _script_in(tmp_path / "a" / "b" / "c")
    assert settings_for(deep).select == ("T",)
    assert settings_for(deep).path == tmp_path / "a" / "pyproject.toml"
    assert settings_for(_script_in(tmp_path / "other")).select == ("C",)


def test_discovery_skips_a_pyproject_without_a_tool_table(tmp_path):
    (tmp_path / "inkslop.toml").write_text('select = ["C"]\n')
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.other]\nx = 1\n')
    assert settings_for(_script_in(tmp_path / "a")).select == ("C",)


def test_discovery_order_within_one_directory(tmp_path):
    script = _script_in(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.inkslop]\nselect = ["F"]\n')
    assert settings_for(script).path == tmp_path / "pyproject.toml"
    (tmp_path / "inkslop.toml").write_text('select = ["T"]\n')
    assert settings_for(script).path == tmp_path / "inkslop.toml"
    (tmp_path / ".inkslop.toml").write_text('select = ["C"]\n')
    assert settings_for(script).path == tmp_path / ".inkslop.toml"
    assert settings_for(script).select == ("C",)


def test_discovery_from_a_directory(tmp_path):
    (tmp_path / ".inkslop.toml").write_text('ignore = ["C001"]\n')
    (tmp_path / "scripts").mkdir()
    assert settings_for(tmp_path / "scripts").ignore == ("C001",)


def test_discovered_configuration_applies_to_check(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.inkslop]\nignore = ["C001"]\n'
                                             '[tool.inkslop.severity]\nT008 = "error"\n')
    settings = settings_for(_script_in(tmp_path / "videos"))
    assert [(d.code, d.severity) for d in run(MIXED, settings)] == [
        ("T008", "error"), ("T006", "warning")]


# ---- the content rules leave broken tags to their syntax diagnostic ------------------------


def test_unclosed_blocks_get_only_their_syntax_diagnostics():
    # Two `[/music]` forgotten: the nesting is an artefact of the typo, not a second problem.
    text = ('[music file="music/Carefree.opus"]\n[music file="music/Calm.opus"]\n'
            '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n')
    assert codes(text) == ["S001", "S001"]


def test_a_broken_tag_gets_no_schema_findings():
    text = '[tts engine="kokoro" voice="af_hert" "x"]\nHi\n[/tts]\n'
    assert codes(text) == ["S010"]


# ---- front matter ---------------------------------------------------------------------------


def test_front_matter_findings_point_at_their_key():
    text = ('+++\nvideo_name = 3\n[publish]\nchannel_id = "3"\ntags = ["a", 2]\n+++\n' + TTS)
    found = run(text)
    assert [(d.code, text[d.span.start:d.span.end]) for d in found] == [
        ("F001", "video_name"), ("F001", "channel_id"), ("F001", "tags")]
    assert "`publish.channel_id`" in found[1].message


def test_a_variable_of_the_wrong_type_is_one_finding_at_its_name():
    # A list is not a variable value: one finding, at `colours`, in the user's words
    # (not one per type pydantic tried, nor a complaint about the list's brackets).
    text = ('+++\n[vars]\ncolours = ["red", "blue"]\n+++\n'
            '[tts engine="kokoro_tts" voice="af_heart"]\nThe {{ colours }}.\n[/tts]\n')
    found = run(text)
    assert [(d.code, text[d.span.start:d.span.end]) for d in found] == [("F001", "colours")]
    assert "`vars.colours`" in found[0].message


# ---- issue 10: the eleven likely-fatal scripts fail `check` ----------------------------

@pytest.mark.parametrize("name", sorted(ELEVEN))
def test_each_likely_fatal_script_of_issue_10_is_an_error_for_check(name):
    errors = [d for d in run(ELEVEN[name]) if d.severity == "error"]
    assert errors, run(ELEVEN[name])
    assert len({(d.span.start, d.code) for d in errors}) == len(errors)  # one per mistake
