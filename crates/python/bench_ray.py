"""The Ray speed-up of docs/calibration.md: the same design points simulated in one process (one
thread, then one per core) and as Ray tasks on a local cluster, with the task overhead measured on
empty blocks. Usage: python crates/python/bench_ray.py [points] [runs] [block]"""

import sys
import time

import numpy as np
import ray

from razvilka import calibrate

points_n = int(sys.argv[1]) if len(sys.argv) > 1 else 64
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
block = int(sys.argv[3]) if len(sys.argv) > 3 else 8
targets = calibrate.calibration_targets()
ids = [t["id"] for t in targets]
inputs = calibrate.free_inputs(targets)
rng = np.random.default_rng(1)
points = [{i.key: float(i.scale(u)) for i, u in zip(inputs, row)} for row in rng.random((points_n, len(inputs)))]


def timed(label, f):
    start = time.perf_counter()
    out = f()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s ({points_n * runs / seconds:,.0f} worlds/s)", flush=True)
    return out, seconds


one, t1 = timed("one process, 1 thread", lambda: calibrate.LocalSimulator(threads=1)(ids, points, runs, 1))
two, t2 = timed("one process, 1 thread per core", lambda: calibrate.LocalSimulator(threads=0)(ids, points, runs, 1))
sim = calibrate.RaySimulator(block=block)
print(f"ray cluster CPUs: {ray.cluster_resources().get('CPU')}")
sim(ids, points[:2], 1, 1)  # warm the workers (imports, the data parsed once per worker)
on_ray, tr = timed(f"ray, blocks of {block} points", lambda: sim(ids, points, runs, 1))
assert one == two == on_ray, "the three ways gave different numbers"
empty = ray.remote(lambda: None)
start = time.perf_counter()
ray.get([empty.remote() for _ in range(200)])
print(f"task overhead: {(time.perf_counter() - start) / 200 * 1000:.2f} ms per empty task (200 tasks)")
print(f"speed-up of ray over one thread: {t1 / tr:.2f}x; over one process with every core: {t2 / tr:.2f}x")
ray.shutdown()
