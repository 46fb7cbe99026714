"""The Ray engine gives exactly what the in-process engine gives, batch by batch."""

from __future__ import annotations

import json

import pytest

from storyline import pipeline
from storyline.engine import LocalEngine, engine_named

from conftest import EXAMPLES, run_cli


def _double(batch):
    return [2 * x for x in batch]


def test_local_engine_yields_batches_in_order():
    got = list(LocalEngine().map_batches(_double, list(range(7)), 3))
    assert got == [([0, 1, 2], [0, 2, 4]), ([3, 4, 5], [6, 8, 10]), ([6], [12])]


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        engine_named("spark")


@pytest.fixture(scope="module")
def ray_engine():
    pytest.importorskip("ray")
    from storyline.engine import RayEngine

    engine = RayEngine(num_cpus=2, in_flight=2)
    yield engine
    engine.shutdown()


def test_ray_engine_bounds_work_in_flight_and_keeps_order(ray_engine):
    # a builtin, because Ray workers cannot import functions defined in a test module
    got = list(ray_engine.map_batches(sorted, list(range(10, 0, -1)), 2))
    assert [b for b, _ in got] == [[10, 9], [8, 7], [6, 5], [4, 3], [2, 1]]
    assert [r for _, r in got] == [[9, 10], [7, 8], [5, 6], [3, 4], [1, 2]]


def test_pipeline_on_ray_matches_the_local_run(ray_engine, tmp_path):
    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".txt")[:6]
    pipeline.run(files, tmp_path / "local", db=tmp_path / "local.duckdb")
    pipeline.run(files, tmp_path / "ray", db=tmp_path / "ray.duckdb", engine=ray_engine)
    local = json.loads((tmp_path / "local" / "storyline.json").read_text("utf-8"))
    on_ray = json.loads((tmp_path / "ray" / "storyline.json").read_text("utf-8"))
    assert on_ray == local and local["quotes"] and local["stories"]


def test_cli_names_a_bad_engine(tmp_path):
    proc = run_cli("run", str(EXAMPLES), "--engine", "spark", "--out", str(tmp_path), "--db", str(tmp_path / "s.duckdb"),
                   check=False)
    assert proc.returncode == 2 and "spark" in proc.stderr
