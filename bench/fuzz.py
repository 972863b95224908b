"""A long fuzz campaign: `python bench/fuzz.py --minutes 10` hunts for inputs that break
icpdsl's guarantees and writes each new one into tests/fuzz/corpus/, where the test suite
replays it forever after.

It runs the properties of tests/fuzz/harness.py (any text loads or fails with a located
ICPError; any record evaluates) and tests/fuzz/readers.py (any data file, CSV, JSON
Lines, JSON, Parquet or gzip of them, is read row by row and scored one output row per
row) under Hypothesis, round after round with fresh seeds,
until the time is up.  A failure is recorded once per signature (exception type and the
icpdsl line that raised it) and then tolerated, so the campaign goes on to find others.
An input that takes longer than --slow seconds is a failure too (a hang or a blow-up).

    python bench/fuzz.py --minutes 10                # text and records, 10 minutes
    python bench/fuzz.py --minutes 2 --target text   # only the parser and loader
    python bench/fuzz.py --minutes 2 --target readers  # only the data file readers
    python bench/fuzz.py --minutes 1 --dry-run       # report, do not write the corpus
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz import harness, readers  # tests/fuzz/, shared with the test suite

import icpdsl


class Hang(Exception):
    """The input ran past the hard time limit."""


class Campaign:
    """Runs properties on generated inputs; keeps one failing input per signature.

    A new kind of failure is re-raised so that Hypothesis shrinks it; the last input that
    failed with that signature (Hypothesis replays the smallest last) goes to the corpus.
    Known signatures are counted and swallowed, so later rounds look for new ones.
    """

    def __init__(self, slow: float, hard: int, dry_run: bool) -> None:
        self.slow = slow
        self.hard = hard
        self.dry_run = dry_run
        self.seen: dict[str, dict[str, Any]] = {}
        self.pending: dict[str, tuple[str, Any, BaseException, float]] = {}
        self.inputs = 0

    def run_one(self, kind: str, payload: Any, check: Callable[[], Any]) -> None:
        """Run `check` on one input; raise a new kind of failure, swallow known ones."""
        self.inputs += 1
        started = time.perf_counter()
        signal.alarm(self.hard)
        try:
            check()
            error: BaseException | None = None
        except (Exception, RecursionError, Hang) as caught:
            error = caught
        finally:
            signal.alarm(0)
        elapsed = time.perf_counter() - started
        if error is None and elapsed > self.slow:
            error = TimeoutError(f"took {elapsed:.1f}s")
        if error is None:
            return
        signature = _signature(error)
        if signature in self.seen:
            self.seen[signature]["count"] += 1
            return
        if isinstance(error, (TimeoutError, Hang)):  # too slow to shrink: keep as found
            self.save(signature, kind, payload, error, elapsed)
            return
        self.pending[signature] = (kind, payload, error, elapsed)
        raise error

    def flush(self) -> None:
        """Save the (shrunk) input of every failure found in the round just ended."""
        for signature, (kind, payload, error, elapsed) in self.pending.items():
            if signature not in self.seen:
                self.save(signature, kind, payload, error, elapsed)
        self.pending.clear()

    def save(
        self, signature: str, kind: str, payload: Any, error: BaseException, elapsed: float
    ) -> None:
        note = f"{type(error).__name__}: {error}"[:300]
        if self.dry_run:
            path = None
        elif kind == "data":
            path = readers.save_data_case(*payload)
        else:
            path = harness.save_case(kind, payload, note)
        self.seen[signature] = {"count": 1, "note": note, "path": str(path), "seconds": elapsed}
        print(f"\nNEW FAILURE [{signature}] {note}\n  saved to {path}", flush=True)


def _signature(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "icpdsl" in f.filename and "/tests/" not in f.filename]
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "-"
    if isinstance(error, harness.PropertyFailure):
        return f"PropertyFailure:{str(error).split(':')[0]}"
    return f"{type(error).__name__}@{where}"


def _rounds(campaign: Campaign, target: str, deadline: float, per_round: int) -> None:
    profiles = [
        (str(path.relative_to(harness.ROOT)), name, profile)
        for path in harness.EXAMPLES
        for name, profile in icpdsl.load(path).profiles.items()
    ]
    texts = st.one_of(
        harness.icp_texts(),
        harness.mutated_examples(max_mutations=20, repeats=(2, 10, 150, 600, 3000)),
    )
    config = settings(
        max_examples=per_round,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    round_number = 0
    while time.time() < deadline:
        round_number += 1
        seed = random.randrange(2**32)
        if target in ("text", "all"):
            _with_seed(campaign, config(given(texts)(_text_property(campaign))), seed)
        if target in ("records", "all") and time.time() < deadline:
            path, name, profile = profiles[round_number % len(profiles)]
            test = given(harness.records_for(profile))(_record_property(campaign, path, name))
            _with_seed(campaign, config(test), seed)
        if target in ("readers", "all") and time.time() < deadline:
            test = given(readers.data_files())(_data_property(campaign))
            _with_seed(campaign, config(test), seed)
        print(f"round {round_number}: {campaign.inputs} inputs, "
              f"{len(campaign.seen)} distinct failures", flush=True)  # fmt: skip


def _text_property(campaign: Campaign) -> Callable[[str], None]:
    def fuzz_text(text: str) -> None:
        campaign.run_one("text", text, lambda: harness.check_text(text))

    return fuzz_text


def _record_property(campaign: Campaign, path: str, name: str) -> Callable[[Any], None]:
    profile = icpdsl.load(harness.ROOT / path).profiles[name]

    def fuzz_records(record: dict[str, Any]) -> None:
        payload = {"profile": path, "name": name, "record": record}
        campaign.run_one("record", payload, lambda: harness.check_record(profile, record))

    return fuzz_records


def _data_property(campaign: Campaign) -> Callable[[tuple[str, bytes]], None]:
    def fuzz_data(file: tuple[str, bytes]) -> None:
        campaign.run_one("data", file, lambda: readers.check_data(*file))

    return fuzz_data


def _with_seed(campaign: Campaign, test: Callable[[], None], seed: int) -> None:
    from hypothesis import seed as hypothesis_seed

    try:
        hypothesis_seed(seed)(test)()
    except BaseException as error:  # Hypothesis re-raised a failure after shrinking it
        if isinstance(error, KeyboardInterrupt) or not campaign.pending:
            raise
    finally:
        campaign.flush()


def _alarm(signum: int, frame: Any) -> None:
    raise Hang("hard time limit reached")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run")
    parser.add_argument("--target", choices=["text", "records", "readers", "all"], default="all")
    parser.add_argument("--per-round", type=int, default=500, help="inputs per round")
    parser.add_argument("--slow", type=float, default=2.0, help="seconds that count as a hang")
    parser.add_argument("--dry-run", action="store_true", help="do not write the corpus")
    parser.add_argument("--report", help="write a JSON summary here")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    campaign = Campaign(args.slow, hard=max(5, int(args.slow * 5)), dry_run=args.dry_run)
    started = time.time()
    _rounds(campaign, args.target, started + args.minutes * 60, args.per_round)
    summary = {
        "minutes": round((time.time() - started) / 60, 2),
        "inputs": campaign.inputs,
        "failures": campaign.seen,
    }
    print(json.dumps(summary, indent=1))
    if args.report:
        Path(args.report).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 1 if campaign.seen else 0


if __name__ == "__main__":
    sys.exit(main())
