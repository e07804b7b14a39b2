"""Runs the public Weight Maximization code (stephen-chung-mh/weight_max) unchanged: its main.py with
one of its configs, from a checkout given on the command line (nothing is fetched).

Usage: python3 scripts/peers/weight_max_main.py --repo PATH_TO_weight_max --config config_cp.ini
           [--set key=value]... [--seed N]

--set overrides a key of the config's [USER] section (e.g. weight_max=0 for REINFORCE, max_eps=20,
n_run=1). The code was written for gym <= 0.21 and numpy < 1.24; this wrapper supplies those APIs
over gymnasium's classic-control envs (reset() returns the observation, step() returns
(obs, reward, done, info) with info['TimeLimit.truncated']) and numpy's removed aliases (np.int,
np.float, np.bool), and stubs matplotlib and util.plot (main.py plots at the end). It counts env steps (the multiplexer: samples) and prints
one JSON line at the end: config, overrides, env steps, wall seconds, env steps/s and the per-run
mean return over all episodes (Table 1's metric) read back from the code's own result file.
"""
import argparse, configparser, json, os, runpy, shutil, sys, tempfile, time, types

ap = argparse.ArgumentParser()
ap.add_argument("--repo", required=True, help="checkout of stephen-chung-mh/weight_max (holds main.py, util.py, weightmax.py, config/)")
ap.add_argument("--config", default="config_cp.ini", help="a file in the checkout's config/ directory")
ap.add_argument("--set", action="append", default=[], help="key=value override of the config's [USER] section")
ap.add_argument("--seed", type=int, default=None, help="numpy and env seed (the code itself seeds nothing)")
args = ap.parse_args()

import numpy as np  # noqa: E402
import gymnasium  # noqa: E402

for alias, t in (("int", int), ("float", float), ("bool", bool)):
    if not hasattr(np, alias):
        setattr(np, alias, t)

STEPS = [0]


class OldApiEnv:
    """gym <= 0.21's API over a gymnasium env."""

    def __init__(self, name):
        self._env = gymnasium.make(name)
        self.action_space = self._env.action_space
        self.observation_space = self._env.observation_space
        self._seed = args.seed

    def reset(self):
        if self._seed is not None:
            obs, _ = self._env.reset(seed=self._seed)
            self._seed = None
        else:
            obs, _ = self._env.reset()
        return obs

    def step(self, action):
        STEPS[0] += 1
        obs, reward, term, trunc, info = self._env.step(int(action))
        info = dict(info)
        if trunc and not term:
            info["TimeLimit.truncated"] = True
        return obs, reward, bool(term or trunc), info


gym = types.ModuleType("gym")
gym.make = OldApiEnv
gym.spaces = gymnasium.spaces
sys.modules["gym"] = gym
mpl = types.ModuleType("matplotlib")
mpl.use = lambda *a, **k: None
plt = types.ModuleType("matplotlib.pyplot")
plt.__getattr__ = lambda name: (lambda *a, **k: None)
mpl.pyplot = plt
sys.modules["matplotlib"] = mpl
sys.modules["matplotlib.pyplot"] = plt

repo = os.path.abspath(args.repo)
cfg = configparser.ConfigParser(inline_comment_prefixes="#")
cfg.read(os.path.join(repo, "config", args.config))
for kv in args.set:
    k, v = kv.split("=", 1)
    cfg.set("USER", k, v)
work = tempfile.mkdtemp(prefix="weight_max_")
os.makedirs(os.path.join(work, "config"))
os.makedirs(os.path.join(work, "result"))
with open(os.path.join(work, "config", args.config), "w") as fh:
    cfg.write(fh)
if args.seed is not None:
    np.random.seed(args.seed)
sys.path.insert(0, repo)
import util  # noqa: E402  (main.py's `from util import *` then takes the stub below)

util.plot = lambda *a, **k: None  # plotting only (and it divides by zero on short runs)
sys.argv = ["main.py", "--config", args.config]
cwd = os.getcwd()
os.chdir(work)
out = sys.stdout
sys.stdout = open(os.devnull, "w")
t0 = time.perf_counter()
try:
    runpy.run_path(os.path.join(repo, "main.py"), run_name="__main__")
finally:
    wall = time.perf_counter() - t0
    sys.stdout.close()
    sys.stdout = out
    os.chdir(cwd)
name = cfg.get("USER", "name")
curves = np.load(os.path.join(work, "result", name + ".npy"), allow_pickle=True).item()[name]
shutil.rmtree(work)
batch = cfg.getint("USER", "batch_size")
# The multiplexer branch has no gym env: one episode per sample, batch_size samples per entry of its curve.
steps = STEPS[0] if STEPS[0] > 0 else sum(len(c) for c in curves) * batch
print(json.dumps({
    "code": "stephen-chung-mh/weight_max", "config": args.config, "set": args.set, "seed": args.seed,
    "envSteps": steps, "wallSeconds": round(wall, 3), "envStepsPerSecond": round(steps / wall, 1),
    "episodes": [len(c) for c in curves], "meanReturn": [round(float(np.mean(c)), 3) for c in curves],
}), flush=True)
