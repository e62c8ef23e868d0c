"""The package against the command line: same scenario, runs and seed, same numbers."""

import json
import subprocess
import threading
import time

import pyarrow.parquet as pq
import pytest

import razvilka
from conftest import REPO


def cli_json(cli, *args):
    out = subprocess.run([cli, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_run_matches_the_command_line_row_for_row(cli, tmp_path):
    table, summary = razvilka.run("stalin-expelled", runs=1000, seed=1)
    out = tmp_path / "runs.parquet"
    cli_summary = cli_json(
        cli, "run", "stalin-expelled", "--runs", "1000", "--seed", "1", "--json", "--out", str(out)
    )
    expected = pq.read_table(out)
    assert table.num_rows == 1000
    assert table.column_names == expected.column_names
    assert table.equals(expected)
    assert summary == cli_summary
    # Not a vacuous equality: the worlds differ among themselves.
    assert len(set(table.column("leader_1930").to_pylist())) > 1


def test_overrides_match_a_scenario_file_with_the_same_assumptions(cli, tmp_path):
    key, value = "politics.appointment_bias", 0.5
    table, summary = razvilka.run("otl", runs=300, seed=3, assumptions={key: value})
    text = (REPO / "scenarios" / "otl.toml").read_text()
    assert "[assumptions]" not in text
    scenario = tmp_path / "otl-edited.toml"
    scenario.write_text(text + f'\n[assumptions]\n"{key}" = {value}\n')
    out = tmp_path / "runs.parquet"
    cli_summary = cli_json(cli, "run", str(scenario), "--runs", "300", "--seed", "3", "--json", "--out", str(out))
    assert table.equals(pq.read_table(out))
    assert summary["categorical"] == cli_summary["categorical"]
    # ... and the override changed something, or the comparison proves nothing.
    default, _ = razvilka.run("otl", runs=300, seed=3)
    assert not default.equals(table)


def test_compare_matches_the_command_line(cli):
    mine = razvilka.compare("otl", "stalin-expelled", runs=300, seed=2)
    theirs = cli_json(cli, "compare", "otl", "stalin-expelled", "--runs", "300", "--seed", "2", "--json")
    assert mine == theirs
    assert mine["paired"]["leader_1930"]["value"] > 0


def test_the_thread_count_does_not_change_the_worlds():
    one, _ = razvilka.run("otl", runs=200, seed=5, threads=1)
    two, _ = razvilka.run("otl", runs=200, seed=5, threads=2)
    assert one.equals(two)


def test_the_gil_is_released_while_worlds_run():
    """A Python thread keeps running while an ensemble runs in another; were the GIL held for the
    whole ensemble, the counter would stand still until it finished."""
    ticks = []
    done = threading.Event()

    def ensemble():
        razvilka.run("otl", runs=3000, seed=1, threads=1)
        done.set()

    worker = threading.Thread(target=ensemble)
    start = time.perf_counter()
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.002)
    worker.join()
    elapsed = time.perf_counter() - start
    assert elapsed > 0.3, "the ensemble was too quick to tell"
    # Ticks all through the run, not only before and after it.
    during = [t for t in ticks if start + 0.1 < t < start + elapsed - 0.1]
    assert len(during) >= 20


def test_assumptions_table_lists_every_assumption_with_its_prior(cli):
    table = razvilka.assumptions()
    listed = cli_json(cli, "assumptions", "--json")
    assert table.column("key").to_pylist() == [a["key"] for a in listed]
    rows = {r["key"]: r for r in table.to_pylist()}
    pursuit = rows["politics.pursuit"]
    assert pursuit["provenance"] in {"source", "calibration", "judgment"}
    assert pursuit["basis"]
    assert pursuit["prior_low"] <= pursuit["default"] <= pursuit["prior_high"]


def test_scenarios_lists_the_shipped_ones():
    names = [s["name"] for s in razvilka.scenarios()]
    assert "otl" in names and "stalin-expelled" in names
    seed = next(s for s in razvilka.scenarios() if s["name"] == "stalin-expelled")
    assert seed["divergence"] == "1924-05"


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="no assumption `politics.no_such`"):
        razvilka.run("otl", runs=10, assumptions={"politics.no_such": 1.0})
    with pytest.raises(ValueError, match="outside its domain"):
        razvilka.run("otl", runs=10, assumptions={"mortality.annual_at_50": 2.0})
    with pytest.raises(ValueError, match="no scenario `atlantis`"):
        razvilka.run("atlantis", runs=10)
    with pytest.raises(TypeError, match="not a number"):
        razvilka.run("otl", runs=10, assumptions={"mortality.annual_at_50": "high"})


def test_validate_matches_the_command_line(cli):
    mine = razvilka.validate(runs=100, seed=1)
    out = subprocess.run([cli, "validate", "--runs", "100", "--seed", "1", "--json"], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    assert mine == json.loads(out.stdout)
