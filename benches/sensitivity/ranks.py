"""The benchmark's analysis of benches/sensitivity/weights.zb written with
numpy, vectorised, as an analyst would write it without zhibiao.

It reads the evaluation (`zhibiao eval --format json`): each unit's
category scores and maxima, bonus and deductions, kind and rank. Saltelli's
design over two choices — the categories' weights from a Dirichlet around
the published ones, and one of two categories left out or none — with
numpy's own generator; each run re-weights the categories (keeping the
total), rescales a unit whose maximum is below the total, rounds to the
hundredth, ranks within kinds (competition), grades. Out: the per-unit
summary (median, 5th and 95th percentile ranks, mean absolute shift) as
CSV, and the indices of the mean absolute rank shift on standard output.

    python3 ranks.py EVAL.json BASE_SAMPLES SEED GRADE_LOWS OUT.csv
"""

import json
import sys

import numpy as np

LEFT_OUT = ["安全保障", "应用成效"]
CONCENTRATION = 100.0
RESAMPLES = 1000


def main():
    source, n, seed, lows, out = sys.argv[1:6]
    n, seed = int(n), int(seed)
    lows = np.array([float(x) for x in lows.split(",")])
    ev = json.load(open(source, encoding="utf-8"))
    nodes = ev["policy"]["nodes"]
    total = float(ev["policy"]["total"])
    cats = [i for i, x in enumerate(nodes) if x["path"] and "/" not in x["path"]]
    points = np.array([float(nodes[i]["points"]) for i in cats])
    names = [nodes[i]["path"] for i in cats]
    units = ev["units"]
    s = np.array([[float(u["nodes"][i][0]) for i in cats] for u in units])
    x = np.array([[float(u["nodes"][i][1]) for i in cats] for u in units])
    extra = np.array([float(u["bonus"]) - float(u["deductions"]) for u in units])
    # A unit whose score a veto set keeps it.
    final = np.array([float(u["score"]) for u in units])
    base = np.array([float(u["base"]) for u in units])
    vetoed = np.abs(final - np.maximum(base + extra, 0.0)) > 0.006
    kinds = np.array([u["kind"] for u in units])
    nominal = np.array([u["rank_in_kind"] for u in units])

    rng = np.random.default_rng(seed)
    share = points / points.sum()

    def draw():
        w = rng.dirichlet(CONCENTRATION * share, size=n) / share
        leave = rng.integers(0, len(LEFT_OUT) + 1, size=n)
        return w, leave

    (wa, la), (wb, lb) = draw(), draw()
    # Runs: A, B, A with the weights from B, A with the category left out from B.
    w = np.concatenate([wa, wb, wb, wa])
    leave = np.concatenate([la, lb, la, lb])
    for k, name in enumerate(LEFT_OUT, start=1):
        w[leave == k, names.index(name)] = 0.0
    w *= points.sum() / (w @ points)[:, None]

    # The root rescales to its points (the published category scores are
    # already rescaled, which leaves the ratio as it is).
    score = total * (w @ s.T) / (w @ x.T)
    score = np.where(vetoed, final, np.maximum(score + extra, 0.0))
    key = np.rint(score * 100).astype(np.int64)

    ranks = np.empty(key.shape, dtype=np.int64)
    runs = key.shape[0]
    for kind in np.unique(kinds):
        cols = np.flatnonzero(kinds == kind)
        sub = key[:, cols]
        m = sub.shape[1]
        # One sort for every run: each run's keys lifted above the last's.
        lifted = sub + (np.arange(runs, dtype=np.int64) * (key.max() + 1))[:, None]
        flat = np.sort(lifted, axis=None)
        at_most = np.searchsorted(flat, lifted, side="right") - (np.arange(runs) * m)[:, None]
        ranks[:, cols] = 1 + (m - at_most)

    shift = np.abs(ranks - nominal)
    y = shift.mean(axis=1)
    ya, yb, y1, y2 = y[:n], y[n : 2 * n], y[2 * n : 3 * n], y[3 * n :]

    def indices(rows):
        a, b = ya[rows], yb[rows]
        v = np.concatenate([a, b], axis=-1).var(axis=-1)
        out = []
        for ab in (y1[rows], y2[rows]):
            first = (b * (ab - a)).mean(axis=-1) / v
            tot = ((a - ab) ** 2).mean(axis=-1) / (2 * v)
            out.append((first, tot))
        return out

    point = indices(np.arange(n))
    boot = indices(rng.integers(0, n, size=(RESAMPLES, n)))
    for (first, tot), (bf, bt) in zip(point, boot):
        lo_f, hi_f = np.percentile(bf, [2.5, 97.5])
        lo_t, hi_t = np.percentile(bt, [2.5, 97.5])
        print(f"{first:.3f} [{lo_f:.3f}, {hi_f:.3f}]  {tot:.3f} [{lo_t:.3f}, {hi_t:.3f}]")
    print(f"mean absolute rank shift {y.mean():.3f}")

    grade = (score[:, :, None] < lows[None, None, :]).sum(axis=2)
    q = np.percentile(ranks, [5, 50, 95], axis=0, method="inverted_cdf").astype(int)
    with open(out, "w", encoding="utf-8") as f:
        f.write("unit,rank,median_rank,rank_5,rank_95,mean_shift,grades\n")
        for i, u in enumerate(units):
            p = np.bincount(grade[:, i], minlength=len(lows) + 1) / runs
            f.write(
                f"{u['id']},{nominal[i]},{q[1, i]},{q[0, i]},{q[2, i]},{shift[:, i].mean():.3f},"
                + " ".join(f"{v:.3f}" for v in p)
                + "\n"
            )


main()
