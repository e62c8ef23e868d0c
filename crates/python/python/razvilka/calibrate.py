"""History matching of the model to the calibration targets (docs/calibration.md).

Craig, Goldstein, Seheult & Smith (1997); Vernon, Goldstein & Bower (2010); Andrianakis et al.
(2015). In waves:

1. a design over the region not yet ruled out: a Latin hypercube over the prior box in the first wave,
   then points drawn from the non-implausible region (rejection from the box);
2. at each design point an ensemble of worlds with the same seed at every point (common random
   numbers: the points differ by their assumptions, not by their luck), giving for each quantity of
   each calibration target the mean over worlds and the variance of one world;
3. a Gaussian-process emulator (scikit-learn) per quantity, over the inputs that matter for it: the
   assumptions the target's `fitted` names, and those the wave's own design ranks highest by the
   share of the quantity's variance they explain;
4. implausibility I(x) = |z - E[f(x)]| / sqrt(emulator var + ensemble var of the observation +
   the design's own ensemble error + observation var + model-discrepancy var) per quantity; x is ruled out when the `order`-th largest I(x) exceeds 3
   (Pukelsheim's three-sigma rule holds for any unimodal distribution);
5. until the non-implausible share of the box stops shrinking (the last wave kept more than
   `stop_ratio` of the one before) or nothing is left.

Only the CALIBRATION targets of data/targets.toml are matched; the validation targets judge the
result (`razvilka validate`, or `run --posterior`).

    python -m razvilka.calibrate --waves 4 --points 60 --runs 100 --out posterior.parquet
"""

from __future__ import annotations

import argparse
import json
import warnings
import math
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from scipy.stats import qmc
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

from . import _razvilka
from . import assumptions as _assumptions
from . import targets as _targets

# ---------------------------------------------------------------------------------------------------
# Stated variances. Targets.toml gives each record as a point; these say how far from it a world that
# matches history may lie. All are judgment, for the reasons given, and the same for every target of
# a kind: a target the model cannot meet is reported as unmatched, never given a wider discrepancy.
# ---------------------------------------------------------------------------------------------------

#: Observation error, as a standard deviation, by quantity kind.
OBSERVATION_SD = {
    # A dated event is recorded to the month; validate gives a month either side (docs/validation.md).
    "month": 1.0,
    # Whether a category happened is not in doubt.
    "indicator": 0.0,
}
#: Numbers: a relative standard deviation. Judgment: the records of targets.toml (harvests, livestock,
#: famine deaths, votes, purged officers) are reconstructions whose sources differ by several percent;
#: 5% is a middling spread of the estimates their sources cite (data/economy.toml notes the ranges).
OBSERVATION_RELATIVE_SD = 0.05

#: Model discrepancy, as a standard deviation, by quantity kind (judgment).
DISCREPANCY_SD = {
    # The model acts at its calendar's meetings, which fall two to four months apart; history's
    # decisions fell between them (Trotsky was expelled between the October plenum and the December
    # congress of 1927): three months.
    "month": 3.0,
    # A probability the model gives the recorded outcome may be off by 0.1 from the best a model of its
    # structure could give (one in ten worlds), for the factors it leaves out.
    "indicator": 0.1,
}
#: Numbers: the model's sub-models are one-sector indices (industry is one index, not products; the war
#: is one axis): 10% of the recorded value, twice the observation error.
DISCREPANCY_RELATIVE_SD = 0.10

#: Pukelsheim's three-sigma rule: at least 95% of any unimodal distribution lies within 3 sd.
CUTOFF = 3.0

KEY = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")


@dataclass
class Quantity:
    """One scalar a calibration target reads from each world."""

    id: str
    target: str
    kind: str
    observed: float

    def observation_var(self) -> float:
        if self.kind == "number":
            return (OBSERVATION_RELATIVE_SD * abs(self.observed)) ** 2
        return OBSERVATION_SD[self.kind] ** 2

    def discrepancy_var(self) -> float:
        if self.kind == "number":
            return (DISCREPANCY_RELATIVE_SD * abs(self.observed)) ** 2
        return DISCREPANCY_SD[self.kind] ** 2


@dataclass
class Input:
    """One free assumption: its key, its prior's bounds (the box) and its default."""

    key: str
    low: float
    high: float
    default: float

    def scale(self, unit: np.ndarray) -> np.ndarray:
        return self.low + unit * (self.high - self.low)

    def unit(self, value: float) -> float:
        return (value - self.low) / (self.high - self.low)


def calibration_targets() -> List[dict]:
    """The calibrated targets of the baseline (data/targets.toml), with the keys their `fitted` names."""
    keys = {a["key"] for a in _assumptions().to_pylist()}
    out = []
    for t in _targets():
        if t["role"] != "calibrated" or t["run"] != "baseline":
            continue
        fitted = [k for k in KEY.findall(t.get("fitted") or "") if k in keys]
        out.append({**t, "fitted_keys": fitted})
    return out


def free_inputs(targets: Sequence[dict], extra: Sequence[str] = ()) -> List[Input]:
    """The assumptions the calibration targets were fitted with (and any `extra`), each over its prior's
    bounds. An assumption without bounded prior cannot span a box and is refused by name."""
    table = {a["key"]: a for a in _assumptions().to_pylist()}
    keys: List[str] = []
    for t in targets:
        keys += [k for k in t["fitted_keys"] if k not in keys]
    for k in extra:
        if k not in table:
            raise ValueError(f"no assumption `{k}`: razvilka.assumptions() lists every key")
        if k not in keys:
            keys.append(k)
    out = []
    for k in keys:
        a = table[k]
        if a["prior_low"] is None or a["prior_high"] is None:
            # A `fixed` prior declares no uncertainty: the assumption is not free, and stays at its
            # default. Asked for by name, it is an error.
            if k in extra:
                raise ValueError(f"assumption `{k}` has a {a['prior']} prior without bounds: it spans no box")
            continue
        out.append(Input(k, a["prior_low"], a["prior_high"], a["default"]))
    return out


# ---------------------------------------------------------------------------------------------------
# The simulator: blocks of design points, in this process or as Ray tasks.
# ---------------------------------------------------------------------------------------------------


def simulate_block(scenario, target_ids, points, runs, seed, threads=1):
    """Runs `runs` worlds at each point of the block (the same seed at every point) and returns the
    quantities' header and, per point, [mean, variance, n] per quantity."""
    return json.loads(
        _razvilka.quantities_json(scenario, list(target_ids), [list(p.items()) for p in points], runs, seed, threads)
    )


class LocalSimulator:
    """All points in this process, every core on each point's ensemble."""

    name = "local"

    def __init__(self, scenario="otl", threads=0):
        self.scenario, self.threads = scenario, threads

    def __call__(self, target_ids, points, runs, seed):
        return simulate_block(self.scenario, target_ids, points, runs, seed, self.threads)


class RaySimulator:
    """Each block of `block` points is one Ray task (one thread each: Ray spreads the tasks over the
    cluster's cores). `address=None` starts a local cluster; otherwise joins the one given."""

    name = "ray"

    def __init__(self, scenario="otl", block=8, address=None, num_cpus=None):
        import ray

        self.ray = ray
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
        self.scenario, self.block = scenario, block
        self.task = ray.remote(num_cpus=1)(simulate_block)

    def __call__(self, target_ids, points, runs, seed):
        blocks = [points[i : i + self.block] for i in range(0, len(points), self.block)]
        futures = [self.task.remote(self.scenario, target_ids, b, runs, seed, 1) for b in blocks]
        results = self.ray.get(futures)
        return {"quantities": results[0]["quantities"], "points": [p for r in results for p in r["points"]]}


# ---------------------------------------------------------------------------------------------------
# Emulators and implausibility.
# ---------------------------------------------------------------------------------------------------


def rank_inputs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The inputs ordered by the share of y's variance a quadratic in each one alone explains (a
    first-order sensitivity, as a Sobol' main effect, estimated from the wave's own design)."""
    shares = []
    var = np.var(y)
    for j in range(x.shape[1]):
        if var <= 0:
            shares.append(0.0)
            continue
        a = np.vstack([np.ones(len(x)), x[:, j], x[:, j] ** 2]).T
        coef, *_ = np.linalg.lstsq(a, y, rcond=None)
        shares.append(max(0.0, 1.0 - np.var(y - a @ coef) / var))
    return np.argsort(shares)[::-1]


@dataclass
class Emulator:
    """A GP for one quantity's ensemble mean over its active inputs, and its ensemble variance."""

    quantity: Quantity
    active: List[int]
    gp: Optional[GaussianProcessRegressor]
    constant: float
    ensemble_var: float
    diagnostics: Dict[str, float] = field(default_factory=dict)
    #: Worlds behind each design point's mean (the design's `runs`, less the worlds without a value).
    design_worlds: float = 1.0

    #: How many worlds the observation averages: 1 for history (the record is one world), more for a
    #: synthetic observation that is an ensemble's mean.
    observed_worlds: int = 1
    #: Whether the observation and model-discrepancy variances apply (not for a synthetic observation
    #: made by the model itself, which has neither).
    stated_variances: bool = True

    def predict(self, unit_x: np.ndarray):
        """(mean, emulator variance, variance of one world) at each row of unit_x."""
        if self.gp is None:
            mean = np.full(len(unit_x), self.constant)
            em_var = np.zeros(len(unit_x))
        else:
            mean, sd = self.gp.predict(unit_x[:, self.active], return_std=True)
            em_var = sd**2
        if self.quantity.kind == "indicator":
            p = np.clip(mean, 0.0, 1.0)
            world_var = p * (1 - p)
        else:
            world_var = np.full(len(unit_x), self.ensemble_var)
        return mean, em_var, world_var

    def ensemble_vars(self, world_var: np.ndarray):
        """(the observation's ensemble variance, the design's common ensemble error) from the
        variance of one world.

        The observation is the mean of `observed_worlds` worlds (one, for history). The emulator is
        fitted to design means of `design_worlds` worlds each, all run with the same seed (common
        random numbers): the error of those means, variance world_var / design_worlds, is nearly the
        same at every design point, so the GP takes it for part of the function and its predictive
        variance never shows it. It must be added by hand, or the emulator's mean is trusted to a
        precision the design never had."""
        return world_var / self.observed_worlds, world_var / self.design_worlds


def fit_emulator(quantity, fitted_inputs, unit_x, means, variances, counts, max_active=5, seed=0):
    """Fits one emulator; diagnostics from a held-out fifth of the design (standardised errors)."""
    ok = np.isfinite(means)
    x, y = unit_x[ok], means[ok]
    noise = np.where(counts[ok] > 0, variances[ok] / np.maximum(counts[ok], 1), 0.0)
    ensemble_var = float(np.nanmean(variances[ok])) if ok.any() else 0.0
    design_worlds = float(np.mean(counts[ok])) if ok.any() else 1.0
    if len(y) < 5 or np.ptp(y) == 0:
        return Emulator(quantity, [], None, float(np.mean(y)) if len(y) else float("nan"), ensemble_var,
                        {"points": int(len(y)), "constant": True}, max(design_worlds, 1.0))
    order = [int(j) for j in rank_inputs(x, y)]
    active = list(dict.fromkeys([j for j in fitted_inputs] + order))[: max(max_active, len(fitted_inputs))]
    active = sorted(active)

    def gp():
        kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(
            length_scale=np.full(len(active), 0.5), length_scale_bounds=(1e-2, 1e2)
        ) + WhiteKernel(1e-3, (1e-8, 1e0))
        return GaussianProcessRegressor(
            kernel=kernel,
            alpha=np.maximum(noise_fit, 1e-10) / max(np.var(y), 1e-12),
            normalize_y=True,
            n_restarts_optimizer=0,
            random_state=seed,
        )

    rng = np.random.default_rng(seed)
    held = rng.permutation(len(y))[: max(1, len(y) // 5)]
    train = np.setdiff1d(np.arange(len(y)), held)
    noise_fit = noise[train]
    check = gp().fit(x[train][:, active], y[train])
    m, s = check.predict(x[held][:, active], return_std=True)
    z = (y[held] - m) / np.sqrt(s**2 + noise[held] + 1e-12)
    noise_fit = noise
    model = gp().fit(x[:, active], y)
    diagnostics = {
        "points": int(len(y)),
        "held_out": int(len(held)),
        "held_out_within_3sd": float(np.mean(np.abs(z) < 3)),
        "held_out_rmse": float(np.sqrt(np.mean((y[held] - m) ** 2))),
        "spread": float(np.std(y)),
    }
    return Emulator(quantity, active, model, float(np.mean(y)), ensemble_var, diagnostics, max(design_worlds, 1.0))


def implausibility(emulator: Emulator, unit_x: np.ndarray) -> np.ndarray:
    """|z - E[f(x)]| over the square root of the five variances: the emulator's, the observation's
    ensemble variance, the design's common ensemble error, observation error and model discrepancy."""
    q = emulator.quantity
    mean, em_var, world_var = emulator.predict(unit_x)
    observation_ens, design_ens = emulator.ensemble_vars(world_var)
    stated = q.observation_var() + q.discrepancy_var() if emulator.stated_variances else 0.0
    return np.abs(q.observed - mean) / np.sqrt(em_var + observation_ens + design_ens + stated)


ImplausibilityFn = Callable[[Emulator, np.ndarray], np.ndarray]


def combined(values: np.ndarray, order: int) -> np.ndarray:
    """The `order`-th largest implausibility at each point (values: quantities × points)."""
    if values.shape[0] == 0:
        return np.zeros(values.shape[1])
    k = min(order, values.shape[0])
    return -np.sort(-values, axis=0)[k - 1]


# ---------------------------------------------------------------------------------------------------
# The waves.
# ---------------------------------------------------------------------------------------------------


@dataclass
class Settings:
    waves: int = 4
    points: int = 60
    runs: int = 100
    seed: int = 1
    order: int = 1
    stop_ratio: float = 0.9
    candidates: int = 16384
    max_active: int = 5
    sample: int = 1000
    observed_worlds: int = 1
    stated_variances: bool = True


@dataclass
class Result:
    inputs: List[Input]
    quantities: List[Quantity]
    waves: List[dict]
    sample: np.ndarray  # unit coordinates of the non-implausible sample
    sample_implausibility: np.ndarray
    emulators: List[List[Emulator]]
    implausibility_fn: ImplausibilityFn

    def non_implausible(self, values: Dict[str, float], order: int) -> bool:
        """Whether an assumption set survives every wave's cut."""
        x = np.array([[i.unit(values[i.key]) for i in self.inputs]])
        return bool(np.all([combined(np.vstack([self.implausibility_fn(e, x) for e in wave]), order)[0] <= CUTOFF
                            for wave in self.emulators]))


def history_match(
    simulator,
    targets: Sequence[dict],
    inputs: Sequence[Input],
    settings: Settings,
    observed: Optional[Dict[str, float]] = None,
    implausibility_fn: ImplausibilityFn = implausibility,
    log=lambda *_: None,
) -> Result:
    """Runs the waves. `observed` replaces the recorded values by quantity id (the synthetic test)."""
    d = len(inputs)
    target_ids = [t["id"] for t in targets]
    fitted_of = {t["id"]: [j for j, i in enumerate(inputs) if i.key in t["fitted_keys"]] for t in targets}
    rng = np.random.default_rng(settings.seed)
    # Candidates: a fixed uniform cloud over the box, so each wave's volume is measured on the same
    # points (the share of them not yet ruled out estimates the non-implausible share of the box).
    cloud = qmc.Sobol(d, scramble=True, seed=settings.seed).random_base2(
        max(1, math.ceil(math.log2(settings.candidates))))
    alive = np.ones(len(cloud), dtype=bool)
    cloud_imp = np.zeros(len(cloud))
    waves, all_emulators = [], []
    quantities: List[Quantity] = []
    for wave in range(1, settings.waves + 1):
        if wave == 1:
            design = qmc.LatinHypercube(d, seed=settings.seed).random(settings.points)
        else:
            pool = np.flatnonzero(alive)
            design = cloud[rng.choice(pool, size=min(settings.points, len(pool)), replace=False)]
        points = [{i.key: float(v) for i, v in zip(inputs, i_scale)} for i_scale in
                  (np.array([inp.scale(u) for inp, u in zip(inputs, row)]) for row in design)]
        started = time.perf_counter()
        out = simulator(target_ids, points, settings.runs, settings.seed)
        seconds = time.perf_counter() - started
        header = out["quantities"]
        if not quantities:
            for h in header:
                obs = h["observed"] if observed is None else observed.get(h["id"], h["observed"])
                quantities.append(Quantity(h["id"], h["id"].split(":")[0], h["kind"], float(obs)))
        stats = np.array(out["points"], dtype=float)  # points × quantities × (mean, var, n)
        emulators = []
        with warnings.catch_warnings():
            # A length scale at its bound means the input hardly moves the quantity: expected, not news.
            warnings.simplefilter("ignore", ConvergenceWarning)
            for qi, q in enumerate(quantities):
                e = fit_emulator(q, fitted_of[q.target], design, stats[:, qi, 0], stats[:, qi, 1],
                                 stats[:, qi, 2], settings.max_active, settings.seed + wave)
                e.observed_worlds, e.stated_variances = settings.observed_worlds, settings.stated_variances
                emulators.append(e)
        all_emulators.append(emulators)
        imp = np.vstack([implausibility_fn(e, cloud[alive]) for e in emulators])
        before = alive.mean()
        keep = combined(imp, settings.order) <= CUTOFF
        idx = np.flatnonzero(alive)
        cloud_imp[idx] = combined(imp, settings.order)
        alive[idx[~keep]] = False
        # A quantity is matched in this wave if some candidate still alive has it within the cut.
        matched = sorted({q.target for q, row in zip(quantities, imp) if keep.any() and (row[keep] <= CUTOFF).any()})
        design_imp = np.vstack([implausibility_fn(e, design) for e in emulators])
        record = {
            "wave": wave,
            "design_points": int(len(design)),
            "worlds": int(len(design) * settings.runs),
            "simulator": getattr(simulator, "name", "custom"),
            "seconds": round(seconds, 2),
            "volume": float(alive.mean()),
            "volume_ratio": float(alive.mean() / before) if before > 0 else 0.0,
            "targets_matched": matched,
            "targets_unmatched": sorted({q.target for q in quantities} - set(matched)),
            "quantities_within_cut_at_best_design_point": int((design_imp <= CUTOFF).sum(axis=0).max()),
            "quantities": len(quantities),
            "emulators": {e.quantity.id: {"active": [inputs[j].key for j in e.active], **e.diagnostics}
                          for e in emulators},
        }
        waves.append(record)
        log(f"wave {wave}: {record['worlds']} worlds in {seconds:.1f} s, non-implausible share "
            f"{record['volume']:.4f} (x{record['volume_ratio']:.2f}), {len(matched)} of "
            f"{len({q.target for q in quantities})} targets matched")
        if not alive.any() or record["volume_ratio"] > settings.stop_ratio:
            break
    pool = np.flatnonzero(alive)
    chosen = rng.choice(pool, size=min(settings.sample, len(pool)), replace=False) if len(pool) else pool
    return Result(list(inputs), quantities, waves, cloud[chosen], cloud_imp[chosen], all_emulators, implausibility_fn)


def write_sample(result: Result, path: str, meta: dict) -> None:
    """The non-implausible sample as Parquet: one column per free assumption (its key), then `wave`
    and `implausibility` (no dot: `run --posterior` reads only the assumption columns). The waves'
    history is in the file's metadata under `razvilka.history`."""
    columns = {inp.key: pa.array(inp.scale(result.sample[:, j]), pa.float64()) for j, inp in enumerate(result.inputs)}
    columns["wave"] = pa.array(np.full(len(result.sample), len(result.waves)), pa.int64())
    columns["implausibility"] = pa.array(result.sample_implausibility, pa.float64())
    table = pa.table(columns)
    history = json.dumps({**meta, "waves": result.waves})
    table = table.replace_schema_metadata({"razvilka.history": history})
    # Uncompressed: the simulator's Parquet reader carries no codecs (see the workspace's Cargo.toml).
    pq.write_table(table, path, compression="none")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m razvilka.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--waves", type=int, default=4, help="at most this many waves (default 4)")
    parser.add_argument("--points", type=int, default=60, help="design points per wave (default 60)")
    parser.add_argument("--runs", type=int, default=100, help="worlds per design point (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="the worlds' seed at every point, and the designs'")
    parser.add_argument("--order", type=int, default=1,
                        help="cut on the ORDER-th largest implausibility (1: the maximum; default 1)")
    parser.add_argument("--targets", help="comma-separated calibration target ids (default: all calibrated)")
    parser.add_argument("--extra", default="", help="comma-separated assumptions to vary beside the fitted ones")
    parser.add_argument("--candidates", type=int, default=16384, help="uniform candidates measuring the volume (rounded up to a power of 2)")
    parser.add_argument("--sample", type=int, default=1000, help="rows of the posterior sample")
    parser.add_argument("--out", default="posterior.parquet", help="the sample (Parquet)")
    parser.add_argument("--history", help="also write the waves' history as JSON to this file")
    parser.add_argument("--no-ray", action="store_true", help="run every block in this process")
    parser.add_argument("--threads", type=int, default=0,
                        help="with --no-ray, worker threads per ensemble (default 0: one per core)")
    parser.add_argument("--address", help="join this Ray cluster (default: start a local one)")
    parser.add_argument("--block", type=int, default=8, help="design points per Ray task (default 8)")
    parser.add_argument("--num-cpus", type=int, help="CPUs of the local Ray cluster (default: all)")
    args = parser.parse_args(argv)
    for name in ("waves", "points", "runs", "candidates", "sample", "block", "order"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, not {getattr(args, name)}")
    targets = calibration_targets()
    if args.targets:
        wanted = [t.strip() for t in args.targets.split(",") if t.strip()]
        known = {t["id"] for t in targets}
        unknown = [t for t in wanted if t not in known]
        if unknown:
            parser.error(f"not calibration targets: {', '.join(unknown)}; use some of: {', '.join(sorted(known))}")
        targets = [t for t in targets if t["id"] in wanted]
    inputs = free_inputs(targets, [k.strip() for k in args.extra.split(",") if k.strip()])
    settings = Settings(args.waves, args.points, args.runs, args.seed, args.order, candidates=args.candidates,
                        sample=args.sample)
    simulator = LocalSimulator(threads=args.threads) if args.no_ray else RaySimulator(block=args.block, address=args.address,
                                                                   num_cpus=args.num_cpus)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    log(f"{len(targets)} calibration targets, {len(inputs)} free assumptions: {', '.join(i.key for i in inputs)}")
    result = history_match(simulator, targets, inputs, settings, log=log)
    meta = {"settings": vars(settings), "inputs": [vars(i) for i in inputs], "targets": [t["id"] for t in targets],
            "variances": {"observation_sd": OBSERVATION_SD, "observation_relative_sd": OBSERVATION_RELATIVE_SD,
                          "discrepancy_sd": DISCREPANCY_SD, "discrepancy_relative_sd": DISCREPANCY_RELATIVE_SD,
                          "cutoff": CUTOFF}}
    write_sample(result, args.out, meta)
    if args.history:
        with open(args.history, "w") as f:
            json.dump({**meta, "waves": result.waves}, f, indent=1)
    log(f"wrote {len(result.sample)} non-implausible assumption sets to {args.out}")
    if len(result.sample) == 0:
        log("no assumption set survives: the unmatched targets of the last wave indict their mechanisms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
