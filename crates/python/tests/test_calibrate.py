"""An honest test of history matching: pseudo-observations made by the model at known assumption values
must leave those values non-implausible while the waves shrink the volume, and a broken implausibility
must fail the same test."""

import numpy as np
import pyarrow.parquet as pq
import pytest

import razvilka
from razvilka import calibrate

# Number targets whose quantities move with the assumptions fitted to them (germany.nsdap_*,
# economy.lethality, economy.tfp_growth_industry). GDP growth 1928-40 is the one whose worlds spread
# most relative to how much its assumption moves it (a war begun by 1940 cuts GDP in some worlds and
# not others), which is what exposes a missing ensemble variance (docs/calibration.md).
TARGETS = ["nsdap_1930", "nsdap_1932_07", "famine_1930_1934", "gdp_growth_1928_1940"]
OBSERVED_WORLDS = 400


def setup(target_ids=TARGETS):
    targets = [t for t in calibrate.calibration_targets() if t["id"] in target_ids]
    inputs = calibrate.free_inputs(targets)
    # The truth: a point inside the box, away from its corners and its centre.
    fractions = np.linspace(0.3, 0.7, len(inputs))
    truth = {i.key: float(i.scale(f)) for i, f in zip(inputs, fractions)}
    # Pseudo-observations: the ensemble mean at the truth, with another seed than the calibration's.
    sim = calibrate.LocalSimulator()
    out = sim([t["id"] for t in targets], [truth], OBSERVED_WORLDS, 99)
    observed = {h["id"]: p[0] for h, p in zip(out["quantities"], out["points"][0])}
    return targets, inputs, truth, observed


def recover(implausibility_fn, target_ids=TARGETS):
    targets, inputs, truth, observed = setup(target_ids)
    settings = calibrate.Settings(waves=3, points=30, runs=60, seed=1, candidates=4000, sample=200,
                                  observed_worlds=OBSERVED_WORLDS, stated_variances=False)
    result = calibrate.history_match(calibrate.LocalSimulator(), targets, inputs, settings,
                                     observed=observed, implausibility_fn=implausibility_fn)
    return result, truth


def recovered(result, truth):
    volumes = [w["volume"] for w in result.waves]
    return result.non_implausible(truth, order=1) and volumes[-1] < 0.5, volumes


@pytest.fixture(scope="module")
def honest():
    return recover(calibrate.implausibility)


def test_the_truth_stays_non_implausible_and_the_volume_shrinks(honest):
    result, truth = honest
    ok, volumes = recovered(result, truth)
    assert result.non_implausible(truth, order=1), f"the truth was ruled out (volumes {volumes})"
    assert volumes[-1] < 0.5, f"the waves did not shrink the volume: {volumes}"
    assert volumes == sorted(volumes, reverse=True)
    assert ok
    # The sample lies inside the box, and every row of it passes every wave's cut.
    assert len(result.sample) > 0
    for row in result.sample[:20]:
        values = {i.key: float(i.scale(u)) for i, u in zip(result.inputs, row)}
        assert result.non_implausible(values, order=1)


def test_a_broken_implausibility_fails_the_recovery():
    """Leaving out the emulator's and the ensemble's variances (a common slip) makes the cut far too
    sharp: the truth is ruled out, and the test above would catch it."""

    def broken(emulator, unit_x):
        mean, _, _ = emulator.predict(unit_x)
        return np.abs(emulator.quantity.observed - mean) / np.sqrt(1e-12)

    result, truth = recover(broken)
    ok, volumes = recovered(result, truth)
    assert not ok, f"a broken implausibility passed the recovery test (volumes {volumes})"


class CommonNoiseSimulator:
    """A toy simulator with the structure that makes the design's ensemble error matter: one world's
    quantity is f(x) plus noise drawn from the seed alone, so every design point (all run with the
    same seed, as the calibration runs them) shares the same error of its mean, exactly as common
    random numbers make it in the model. Three smooth quantities of two inputs; the world sd is 1."""

    name = "toy"
    QUANTITIES = ["a", "b", "c"]

    @staticmethod
    def f(x):
        return [4 * x["u"] + x["v"] ** 2, 3 * x["v"] - 2 * x["u"] * x["v"], 2 * np.sin(2 * x["u"]) + x["v"]]

    def __call__(self, target_ids, points, runs, seed):
        noise = np.random.default_rng(seed).standard_normal((runs, len(self.QUANTITIES)))
        mean_noise, var_noise = noise.mean(axis=0), noise.var(axis=0, ddof=1)
        return {
            "quantities": [{"id": q, "kind": "number", "observed": 0.0} for q in self.QUANTITIES],
            "points": [[[fq + mean_noise[j], var_noise[j], runs] for j, fq in enumerate(self.f(p))]
                       for p in points],
        }


def toy_recovery(implausibility_fn, repetition):
    """History matching of the toy at a truth drawn per repetition; the observation is the mean of
    400 worlds of another seed. Returns whether the truth survived every wave."""
    rng = np.random.default_rng(1000 + repetition)
    truth = {"u": float(rng.uniform(0.2, 0.8)), "v": float(rng.uniform(0.2, 0.8))}
    sim = CommonNoiseSimulator()
    obs = sim(sim.QUANTITIES, [truth], OBSERVED_WORLDS, 5000 + repetition)
    observed = {h["id"]: p[0] for h, p in zip(obs["quantities"], obs["points"][0])}
    targets = [{"id": q, "fitted_keys": ["u", "v"]} for q in sim.QUANTITIES]
    inputs = [calibrate.Input("u", 0.0, 1.0, 0.5), calibrate.Input("v", 0.0, 1.0, 0.5)]
    settings = calibrate.Settings(waves=3, points=20, runs=60, seed=repetition, candidates=1024, sample=50,
                                  observed_worlds=OBSERVED_WORLDS, stated_variances=False)
    result = calibrate.history_match(sim, targets, inputs, settings, observed=observed,
                                     implausibility_fn=implausibility_fn)
    return result.non_implausible(truth, order=1)


def test_leaving_out_the_designs_common_ensemble_error_fails_the_recovery():
    """The slip this test once let through: every design point runs the same seed, so the error of
    the design's ensemble means is common to all of them and the emulator cannot see it. Leaving that
    variance out compares |observation - emulated mean| (sd sqrt(1/400 + 1/60) of a world's sd) with
    sqrt(1/400) alone: each quantity then rules the truth out with probability P(|Z| > 3/2.77) = 0.28,
    at least one of three with 0.63. The honest implausibility keeps the truth (each quantity rules it
    out with probability 0.003 once the emulator is exact). The emulator's own variance dilutes both:
    over these 40 truths and seeds the honest one keeps the truth in 39, the broken one in 22. The toy
    makes certain what the model's own outcomes show only for some seeds (docs/calibration.md)."""

    def without_design_error(emulator, unit_x):
        mean, em_var, world_var = emulator.predict(unit_x)
        observation_ens, _ = emulator.ensemble_vars(world_var)
        return np.abs(emulator.quantity.observed - mean) / np.sqrt(em_var + observation_ens)

    repetitions = range(40)
    honest_kept = sum(toy_recovery(calibrate.implausibility, r) for r in repetitions)
    broken_kept = sum(toy_recovery(without_design_error, r) for r in repetitions)
    # At most 3 of 40 honest losses is what a per-truth loss rate under 0.03 allows; 30 of 40 is far
    # above the broken cut's expected 15 to 25.
    assert honest_kept >= 37, f"the honest implausibility ruled the truth out in {40 - honest_kept} of 40"
    assert broken_kept <= 30, f"without the design's error the truth survived in {broken_kept} of 40"


def test_the_sample_drives_run_posterior(honest, tmp_path, cli):
    import json
    import subprocess

    result, _ = honest
    path = tmp_path / "posterior.parquet"
    calibrate.write_sample(result, str(path), {"test": True})
    table = pq.read_table(path)
    assert [i.key for i in result.inputs] == [c for c in table.column_names if "." in c]
    mine, summary = razvilka.run("otl", runs=200, seed=4, posterior=path)
    default, _ = razvilka.run("otl", runs=200, seed=4)
    assert not mine.equals(default)
    out = tmp_path / "runs.parquet"
    cli_summary = json.loads(subprocess.run(
        [cli, "run", "otl", "--runs", "200", "--seed", "4", "--posterior", str(path), "--json", "--out", str(out)],
        check=True, capture_output=True, text=True).stdout)
    assert mine.equals(pq.read_table(out))
    assert summary == cli_summary
    one, _ = razvilka.run("otl", runs=200, seed=4, posterior=path, threads=1)
    assert one.equals(mine)
    twins = razvilka.compare("otl", "stalin-expelled", runs=100, seed=4, posterior=path)
    cli_twins = json.loads(subprocess.run(
        [cli, "compare", "otl", "stalin-expelled", "--runs", "100", "--seed", "4", "--posterior", str(path), "--json"],
        check=True, capture_output=True, text=True).stdout)
    assert twins == cli_twins
    assert twins != razvilka.compare("otl", "stalin-expelled", runs=100, seed=4)


def test_a_bad_posterior_file_is_a_clear_error(tmp_path):
    import pyarrow as pa

    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"politics.no_such": [0.1]}), path)
    with pytest.raises(ValueError, match="column `politics.no_such`: there is no assumption"):
        razvilka.run("otl", runs=5, posterior=path)
    pq.write_table(pa.table({"mortality.annual_at_50": [0.01, 7.0]}), path, compression="none")
    with pytest.raises(ValueError, match="row 1, column `mortality.annual_at_50`.*outside its domain"):
        razvilka.run("otl", runs=5, posterior=path)
    pq.write_table(pa.table({"mortality.annual_at_50": [0.01]}), path, compression="snappy")
    with pytest.raises(ValueError, match="write the sample uncompressed"):
        razvilka.run("otl", runs=5, posterior=path)


def test_two_waves_on_a_local_ray_cluster():
    """The CI's tiny calibration: two waves, blocks of points as Ray tasks on a local cluster; the
    numbers equal those of the same blocks in this process (Ray changes where worlds run, not what)."""
    ray = pytest.importorskip("ray")
    targets = [t for t in calibrate.calibration_targets() if t["id"] in TARGETS[:2]]
    inputs = calibrate.free_inputs(targets)
    settings = calibrate.Settings(waves=2, points=16, runs=30, seed=2, candidates=2000, sample=50, stop_ratio=1.0)
    on_ray = calibrate.RaySimulator(block=4, num_cpus=2)
    try:
        result = calibrate.history_match(on_ray, targets, inputs, settings)
        points = [{i.key: float(i.scale(0.5)) for i in inputs}, {i.key: float(i.scale(0.2)) for i in inputs}]
        ids = [t["id"] for t in targets]
        assert on_ray(ids, points, 30, 2) == calibrate.LocalSimulator()(ids, points, 30, 2)
    finally:
        ray.shutdown()
    assert [w["wave"] for w in result.waves] == [1, 2]
    assert all(w["simulator"] == "ray" for w in result.waves)
