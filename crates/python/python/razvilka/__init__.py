"""razvilka: a counterfactual-history simulator of the USSR, 1922-1945, from Python.

The worlds run in the Rust library (with the GIL released); this package turns their results into
``pyarrow`` tables and dicts::

    import razvilka
    table, summary = razvilka.run("stalin-expelled", runs=1000, seed=1)
    table.to_pandas()["leader_1930"].value_counts(normalize=True)
    summary["categorical"]["leader_1930"]

The table has one row per world with the columns of ``razvilka run --out FILE.parquet``
(docs/exports.md); the summary is the contract of ``razvilka run --json`` (docs/json.md). The same
scenario, runs and seed give the same numbers as the command line, on any thread count.
History matching against the calibration targets is ``python -m razvilka.calibrate``
(docs/calibration.md).
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Mapping, Optional

import pyarrow as pa
import pyarrow.parquet as pq

from . import _razvilka

__all__ = ["run", "compare", "validate", "assumptions", "scenarios", "targets", "__version__"]
__version__ = _razvilka.__version__


def _overrides(assumptions: Optional[Mapping[str, float]]) -> list:
    if assumptions is None:
        return []
    if not isinstance(assumptions, Mapping):
        raise TypeError(
            f"assumptions must be a mapping of assumption key to value, not {type(assumptions).__name__}"
        )
    out = []
    for key, value in assumptions.items():
        if not isinstance(key, str):
            raise TypeError(f"assumption keys are strings such as 'politics.pursuit', not {key!r}")
        try:
            out.append((key, float(value)))
        except (TypeError, ValueError):
            raise TypeError(f"assumption `{key}` = {value!r} is not a number") from None
    return out


def _path(path) -> Optional[str]:
    return None if path is None else os.fspath(path)


def run(
    scenario: str,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    assumptions: Optional[Mapping[str, float]] = None,
    threads: int = 0,
    series: bool = False,
    posterior=None,
):
    """Runs an ensemble of ``scenario`` (a shipped name such as ``"otl"`` or a path to a scenario file).

    Returns ``(table, summary)``: a ``pyarrow.Table`` with one row per world (the export's columns,
    docs/exports.md; with ``series=True`` also every yearly series) and the summary contract as a dict.
    ``runs`` and ``seed`` default to the scenario's own; ``assumptions`` overrides assumptions by key
    (checked against their domains and priors' bounds); ``threads=0`` uses one thread per core.
    ``posterior`` names a Parquet sample of assumption sets (``python -m razvilka.calibrate``): each
    world then takes one of its rows, drawn from the world's own random streams.
    """
    with tempfile.TemporaryDirectory(prefix="razvilka-") as tmp:
        out = os.path.join(tmp, "runs.parquet")
        summary = _razvilka.run(
            scenario,
            runs,
            seed,
            _overrides(assumptions),
            threads,
            out,
            series,
            _path(posterior),
        )
        # Read into memory (not mapped) before the directory goes.
        table = pq.read_table(out, memory_map=False)
    return table, json.loads(summary)


def compare(
    a: str,
    b: str,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    assumptions: Optional[Mapping[str, float]] = None,
    threads: int = 0,
    posterior=None,
) -> dict:
    """Twin pairs of scenarios ``a`` and ``b``, as ``razvilka compare A B --json``: world ``k`` of each
    shares its random streams, so the pair differs only by what the divergence changed. ``assumptions``
    apply to ``b``; ``posterior`` gives both twins of a pair the same row of the sample."""
    return json.loads(
        _razvilka.compare_json(a, b, runs, seed, _overrides(assumptions), threads, _path(posterior))
    )


def assumptions() -> pa.Table:
    """Every assumption of ``data/assumptions.toml``, one row each: key, meaning, unit, domain, the
    model's narrower bounds (``min``, ``max``), default, prior (its distribution, its bounds where it
    has them, and the whole prior as JSON), provenance (source, calibration or judgment), basis and
    the thread's authors whose claims it encodes."""
    rows = json.loads(_razvilka.assumptions_json())
    columns = {
        "key": [], "meaning": [], "unit": [], "domain": [], "min": [], "max": [], "default": [],
        "prior": [], "prior_low": [], "prior_high": [], "prior_json": [], "provenance": [],
        "basis": [], "thread": [],
    }
    for a in rows:
        prior = a["prior"]
        low, high = prior.get("low"), prior.get("high")
        columns["key"].append(a["key"])
        columns["meaning"].append(a["meaning"])
        columns["unit"].append(a["unit"])
        columns["domain"].append(a["domain"] if isinstance(a["domain"], str) else json.dumps(a["domain"]))
        columns["min"].append(a.get("min"))
        columns["max"].append(a.get("max"))
        columns["default"].append(float(a["default"]))
        columns["prior"].append(prior["dist"])
        columns["prior_low"].append(None if low is None else float(low))
        columns["prior_high"].append(None if high is None else float(high))
        columns["prior_json"].append(json.dumps(prior, sort_keys=True))
        columns["provenance"].append(a["provenance"])
        columns["basis"].append(a["basis"])
        columns["thread"].append(list(a.get("thread", [])))
    schema = pa.schema([
        ("key", pa.string()), ("meaning", pa.string()), ("unit", pa.string()), ("domain", pa.string()),
        ("min", pa.float64()), ("max", pa.float64()), ("default", pa.float64()), ("prior", pa.string()),
        ("prior_low", pa.float64()), ("prior_high", pa.float64()), ("prior_json", pa.string()),
        ("provenance", pa.string()), ("basis", pa.string()), ("thread", pa.list_(pa.string())),
    ])
    return pa.table(columns, schema=schema)


def scenarios() -> list:
    """The shipped scenarios: name, title, description, start, end, divergence, runs and seed."""
    return json.loads(_razvilka.scenarios_json())


def targets() -> list:
    """The targets of ``data/targets.toml``: id, run (baseline or free) and role (calibrated or
    validation)."""
    return json.loads(_razvilka.targets_json())


def validate(runs: int = 2000, seed: int = 1, threads: int = 0, posterior=None) -> dict:
    """``razvilka validate --json``: the baseline and the free run scored against data/targets.toml.
    With ``posterior``, each world of both ensembles takes an assumption set from the sample, so the
    validation targets judge the calibration (docs/calibration.md)."""
    return json.loads(_razvilka.validate_json(runs, seed, threads, _path(posterior)))
