#!/usr/bin/env python3
"""Check that inkslop.speak reproduces the calibration set kokoro-dev.jsonl.

For every row: synthesise with KokoroEngine.synthesize and compare `seconds` (and the
samples, chunk sample counts, phonemes, `seconds_trimmed`); measure with
KokoroEngine.measure (duration predictor only) and compare its sample count with the
audio's. Prints one line per mismatch and a summary with the largest relative error.

  nice -n 10 python bench/calibration/tools/verify_dev.py [--jsonl FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "dsl"))

from inkslop.speak.audio import trimmed_seconds
from inkslop.speak.engine import KokoroEngine


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jsonl", default=str(ROOT / "bench" / "calibration" / "kokoro-dev.jsonl"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    rows = [json.loads(x) for x in Path(args.jsonl).read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = rows[: args.limit] if args.limit else rows
    engine = KokoroEngine(threads=args.threads, search_from=ROOT / "tests" / "speak" / "engine-files")
    worst, exact, mismatches, t0 = 0.0, 0, 0, time.time()
    synth_wall = audio_s = measure_wall = 0.0
    for r in rows:
        t = time.time()
        clip = engine.synthesize(r["text"], r["voice"], r["speed"])
        synth_wall += time.time() - t
        t = time.time()
        m = engine.measure(r["text"], r["voice"], r["speed"])
        measure_wall += time.time() - t
        audio_s += clip.seconds
        d = r["engine_detail"]
        err = abs(round(clip.seconds, 4) - r["seconds"]) / r["seconds"]
        worst = max(worst, err)
        problems = []
        if round(clip.seconds, 4) != r["seconds"]:
            problems.append(f"seconds {clip.seconds:.4f} != {r['seconds']}")
        if clip.samples != d["samples"] or clip.chunk_samples != d["chunk_samples"]:
            problems.append(f"chunk_samples {clip.chunk_samples} != {d['chunk_samples']}")
        if clip.phonemes != d["phonemes"]:
            problems.append("phonemes differ")
        if round(trimmed_seconds(clip.audio), 4) != r["seconds_trimmed"]:
            problems.append(f"trimmed {trimmed_seconds(clip.audio):.4f} != {r['seconds_trimmed']}")
        if m.samples != clip.samples or m.chunk_samples != clip.chunk_samples:
            problems.append(f"measure() {m.chunk_samples} != audio {clip.chunk_samples}")
        if problems:
            mismatches += 1
            print(f"{r['id']} {r['voice']} x{r['speed']}: " + "; ".join(problems), flush=True)
        else:
            exact += 1
    print(f"{len(rows)} rows: {exact} identical, {mismatches} with differences; "
          f"max relative error of seconds {worst:.4%}; synthesis {synth_wall:.1f} s for "
          f"{audio_s:.1f} s of audio (real-time factor {synth_wall / max(audio_s, 1e-9):.3f}); "
          f"measure() {measure_wall:.1f} s ({measure_wall / synth_wall:.3f} of synthesis); "
          f"{args.threads} thread(s); total {time.time() - t0:.0f} s", flush=True)
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
