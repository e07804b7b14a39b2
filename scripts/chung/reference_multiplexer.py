"""Runs the public reference code of Chung's Weight Maximization (stephen-chung-mh/weight_max) on the
20-bit multiplexer with config_mp.ini's settings, one seeded run per line of JSON: the yardstick our
trainer is compared with (docs/chung.md, "The public code on the multiplexer").

Usage: python3 scripts/chung/reference_multiplexer.py --repo PATH_TO_weight_max [--rule weightmax]
           [--seeds 0-9] [--episodes 800000] [--w-reg 0]

The loop is main.py's multiplexer branch (batch 1, lr [.01, .001, 1e-4] constant, Adam); the four
rules are the code's switches: weightmax (weight_max = 2), reinforce (weight_max = 0), ste
(actor_bp with the Bernoulli units' sigmoid' as the straight-through derivative) and backprop
(actor_bp with ReLU hidden units). Needs numpy; gym and matplotlib, which the repository imports
but this loop never uses, are stubbed.
"""
import argparse, json, sys, time, types

ap = argparse.ArgumentParser()
ap.add_argument("--repo", required=True, help="checkout of stephen-chung-mh/weight_max (holds util.py, weightmax.py)")
ap.add_argument("--rule", default="weightmax", choices=["weightmax", "reinforce", "ste", "backprop"])
ap.add_argument("--seeds", default="0-9", help="numpy seeds: 'a-b' or 'a,b,c'")
ap.add_argument("--episodes", type=int, default=800_000)
ap.add_argument("--w-reg", type=float, default=0.0, help="the code's w_reg (L2 weight decay c on every layer; config_mp.ini: 0)")
args = ap.parse_args()

for name in ("gym", "matplotlib", "matplotlib.pyplot"):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["matplotlib"].use = lambda *a, **k: None
sys.path.insert(0, args.repo)
import numpy as np  # noqa: E402
import util  # noqa: E402
import weightmax as wm  # noqa: E402

seeds = (list(range(int(args.seeds.split("-")[0]), int(args.seeds.split("-")[1]) + 1))
         if "-" in args.seeds else [int(s) for s in args.seeds.split(",")])
weight_max = 2 if args.rule == "weightmax" else 0
actor_bp = args.rule in ("ste", "backprop")
hidden_type = wm.L_RELU if args.rule == "backprop" else wm.L_BINARY_Z
lr = [0.01, 0.001, 0.0001]

for seed in seeds:
    np.random.seed(seed)
    env = util.complex_multiplexer_MDP(addr_size=4, action_size=1, zero=False, reward_zero=False)
    net = wm.Network(state_n=env.x_size, action_n=1, hidden=[64, 32], var=0, temp=[1, 1, 1],
                     hidden_l_type=hidden_type, output_l_type=wm.L_BINARY_Z, opt="adam", beta_1=0.9, beta_2=0.999,
                     unbiased=False)
    rewards = np.empty(args.episodes)
    t0 = time.time()
    for i in range(args.episodes):
        state = env.reset(1)
        action = util.zero_to_neg(net.forward(state, False)[..., np.newaxis][:, :, 0])
        reward = env.act(action)[:, 0]
        rewards[i] = np.average(reward)
        if actor_bp:
            net.backprop(targ=None, grad_mean=False, w_reg=args.w_reg, w_reg_p=2, entro_reg=0)
        else:
            for a in net.layers:
                a.record_trace(lambda_=0, det=False, zero_learn=False)
        net.learn(reward, lr=lr, w_reg=args.w_reg, w_reg_p=2, h_reg=0, entro_reg=0, weight_max=weight_max, baseline=False, det=False)
    w = 50_000
    print(json.dumps({
        "rule": args.rule, "w_reg": args.w_reg, "seed": seed, "episodes": args.episodes, "mean": round(float(rewards.mean()), 4),
        "last10pct": round(float(rewards[-args.episodes // 10:].mean()), 4), "wall_s": round(time.time() - t0, 1),
        "curve50k": [round(float(rewards[k:k + w].mean()), 3) for k in range(0, args.episodes, w)],
    }), flush=True)
