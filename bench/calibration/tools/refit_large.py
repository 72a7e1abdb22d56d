#!/usr/bin/env python3
"""Refit the text-only duration model on the large calibration set, and measure it on texts
and voices it was not fitted on.

    python bench/calibration/tools/refit_large.py            # report only (bench/results/accuracy.md)
    python bench/calibration/tools/refit_large.py --write    # and write duration_model.json

Data: kokoro-large.jsonl (3,408 rows, 1,010 texts, 28 voices, speeds 0.5-2.0; see LARGE.md),
durations measured by the local engine. The fit is bench/calibrate.py's (same features,
same least squares on relative error), on these rows instead of kokoro-dev.jsonl, plus
one change: a voice the model has no factors for takes the median of the fitted voices'
factors instead of af_heart's 1.0.

Validation, grouped so that nothing held out was seen in the fit:
- unseen texts: 5 folds by `group` (a text's rows, every voice and speed, leave together);
- unseen texts and voices: the same folds crossed with 4 folds of the voices other than
  af_heart (the reference); a row is tested only when neither its text nor its voice
  was in the fit.
The floor: the same fit on the phonemes the engine was given instead of the text's
(what a perfect front end would give; not available when estimating).
Scripts: calibrate.py's 500 draws of 3 to 8 held-out blocks, and 8 texts of one voice
and speed (how a real video is narrated). "before" is the model shipped before this refit,
bench/calibrate.py's fit on kokoro-dev.jsonl (no fitting on these rows at all).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "dsl"), str(ROOT / "bench")]

import calibrate
from calibrate import Options, Row

from inkslop.estimate.duration_model import DurationModel

FULL = Options()  # the estimator's own features
DATA = ROOT / "bench" / "calibration" / "kokoro-large.jsonl"
RESULTS = ROOT / "bench" / "results" / "accuracy.md"
TEXT_FOLDS, VOICE_FOLDS, SEED = 5, 4, 15
COMMAND = "python bench/calibration/tools/refit_large.py"


def load(path: Path = DATA) -> list[Row]:
    """Rows with sound (three say nothing: a lone emoji), each (text, voice, speed) once;
    `id` is the text's group, so that calibrate.py's grouping holds a text out whole."""
    rows: dict[tuple[str, str, float], Row] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line) if line.strip() else None
        if r and r["seconds"] > 0:
            rows.setdefault((r["group"], r["voice"], float(r["speed"])),
                            Row(r["group"], r["text"], r["voice"], float(r["speed"]),
                                float(r["seconds"]), tuple(r["engine_detail"]["phonemes"])))
    return list(rows.values())


def fit(train: list[Row], options: Options = FULL) -> dict:
    spec = calibrate.fit(train, options)
    others = [v for name, v in spec["voices"].items() if name != calibrate.REFERENCE_VOICE]
    if others:  # an unmeasured voice: the typical voice, not the reference one
        spec["default_voice"] = {k: statistics.median(v[k] for v in others)
                                 for k in ("speech", "silence")}
    return spec


def folds(keys: list[str], count: int) -> dict[str, int]:
    shuffled = sorted(keys)
    random.Random(SEED).shuffle(shuffled)
    return {key: i % count for i, key in enumerate(shuffled)}


def held_out(rows: list[Row], by_voice: bool, options: Options = FULL) -> dict[int, float]:
    """Row index -> prediction by a model fitted without the row's text (and voice)."""
    text_fold = folds(sorted({r.id for r in rows}), TEXT_FOLDS)
    voices = sorted({r.voice for r in rows} - {calibrate.REFERENCE_VOICE})
    voice_fold = folds(voices, VOICE_FOLDS) if by_voice else {}
    predictions: dict[int, float] = {}
    for t in range(TEXT_FOLDS):
        for v in range(VOICE_FOLDS if by_voice else 1):
            def unseen_voice(r: Row, v: int = v) -> bool:
                return voice_fold.get(r.voice, -1) == v
            train = [r for r in rows if text_fold[r.id] != t and not unseen_voice(r)]
            predict = calibrate.predictor(fit(train, options), options)
            for i, r in enumerate(rows):
                if text_fold[r.id] == t and (unseen_voice(r) or not by_voice):
                    predictions[i] = predict(r)
    return predictions


def before(rows: list[Row]) -> dict[int, float]:
    """The model shipped before this refit: bench/calibrate.py's fit on kokoro-dev.jsonl."""
    dev = calibrate.load_rows()
    data = calibrate.model_file(calibrate.fit(dev), dev)
    model = DurationModel(data).engines[calibrate.ENGINE]
    return {i: model.seconds(model.analyse(r.text), r.voice, r.speed) for i, r in enumerate(rows)}


def block_errors(rows: list[Row], predictions: dict[int, float]) -> dict[int, float]:
    return {i: (p - rows[i].seconds) / rows[i].seconds for i, p in predictions.items()}


def script_error(rows: list[Row], predictions: dict[int, float]) -> tuple[float, float]:
    """Mean |e| of mixed scripts (3-8 held-out blocks) and of one-voice scripts (8 texts)."""
    indexes = sorted(predictions)
    chooser = random.Random(calibrate.SCRIPT_SEED)
    mixed = []
    for _ in range(calibrate.SCRIPTS):
        drawn = chooser.sample(indexes, chooser.randint(3, 8))
        real = sum(rows[i].seconds for i in drawn)
        mixed.append(abs(sum(predictions[i] for i in drawn) - real) / real)
    pools = defaultdict(list)
    for i in indexes:
        pools[(rows[i].voice, rows[i].speed)].append(i)
    one_voice = []
    for pool in pools.values():
        for _ in range(10 if len(pool) >= 8 else 0):
            drawn = chooser.sample(pool, 8)
            real = sum(rows[i].seconds for i in drawn)
            one_voice.append(abs(sum(predictions[i] for i in drawn) - real) / real)
    return statistics.fmean(mixed), statistics.fmean(one_voice) if one_voice else float("nan")


def by(rows: list[Row], errors: dict[int, float], key) -> dict[str, tuple[int, float, float]]:
    groups: dict[str, list[float]] = defaultdict(list)
    for i, e in errors.items():
        groups[key(rows[i])].append(e)
    return {k: (len(es), statistics.fmean(abs(e) for e in es), statistics.fmean(es))
            for k, es in groups.items()}


def speed_band(r: Row) -> str:
    return "speed < 0.9" if r.speed < 0.9 else "speed > 1.1" if r.speed > 1.1 else "speed 0.9-1.1"


def report(rows: list[Row]) -> str:
    runs = {"before (fitted on kokoro-dev)": before(rows),
            "after, unseen texts": held_out(rows, by_voice=False),
            "after, unseen texts and voices": held_out(rows, by_voice=True),
            "floor: unseen texts, the engine's own phonemes": held_out(
                rows, by_voice=False, options=Options(oracle=True))}
    errors = {name: block_errors(rows, p) for name, p in runs.items()}
    lines = ["# Estimator accuracy on the large calibration set", "",
             f"<!-- Written by `{COMMAND}`: edit that, not this file. -->", "",
             (f"Data: `bench/calibration/kokoro-large.jsonl`, {len(rows)} rows with sound "
              f"({len({r.id for r in rows})} texts, {len({r.voice for r in rows})} voices, "
              "speeds 0.5-2.0), durations measured by the local engine. Error = (estimate - "
              "measured) / measured; |e| is its mean absolute value. Reproduce: "
              f"`{COMMAND}`."), "",
             ("| model | rows | block mean abs e | block mean e | script (3-8 mixed blocks) "
              "| script (8 texts, one voice) |"), "|---|---:|---:|---:|---:|---:|"]
    for name, found in errors.items():
        mixed, one_voice = script_error(rows, runs[name])
        lines.append(f"| {name} | {len(found)} | {_mean_abs(found):.1%} | "
                     f"{statistics.fmean(found.values()):+.1%} | {mixed:.1%} | {one_voice:.1%} |")
    for title, key in (("category", lambda r: r.category), ("voice", lambda r: r.voice),
                       ("speed", speed_band)):
        tables = {name: by(rows, found, key) for name, found in errors.items()}
        names = list(tables)
        lines += ["", f"## By {title}: mean |e| (mean e)", "",
                  f"| {title} | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
        first = tables[names[0]]
        for k in sorted(first, key=lambda k: -first[k][1]):
            cells = [f"{t[k][1]:.1%} ({t[k][2]:+.1%})" if k in t else "" for t in tables.values()]
            lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _mean_abs(errors: dict[int, float]) -> float:
    return statistics.fmean(abs(e) for e in errors.values())


def model_file(rows: list[Row]) -> dict:
    """duration_model.json as fitted on every row."""
    data = calibrate.model_file(fit(rows), rows)
    data["about"] = ("Seconds of speech per engine; fitted by " + COMMAND.split()[1] + " on "
                     "bench/calibration/kokoro-large.jsonl, accuracy in bench/results/"
                     "accuracy.md. Shape: see inkslop/estimate/duration_model.py.")
    data["fitted_on"] = (f"bench/calibration/kokoro-large.jsonl: {len(rows)} rows, "
                         f"{len({r.id for r in rows})} texts")
    data["engines"][calibrate.ENGINE]["about"] = (
        "Kokoro-82M v1.0 as measured by the local engine (misaki G2P, chunks at line breaks "
        "and 510 phonemes, no pause between chunks); 28 American and British voices. A voice "
        "not listed uses default_voice, the median of the listed voices' factors.")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="also write dsl/inkslop/estimate/duration_model.json")
    args = parser.parse_args(argv)
    rows = load()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report(rows), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    if args.write:
        calibrate.MODEL.write_text(json.dumps(model_file(rows), indent=2, ensure_ascii=False)
                                   + "\n", encoding="utf-8")
        print(f"wrote {calibrate.MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
