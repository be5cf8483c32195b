"""An independent computation of policies/province-index/index.zb over the
2024 data (after 2023), in plain Python with exact decimals, written from the
policy's text and the README, not from the evaluator's code. Its output is
what tests/province_index.rs expects.

    python3 examples/province-index/compute.py
"""
import csv
from decimal import Decimal as D, ROUND_HALF_UP, getcontext
from pathlib import Path

getcontext().prec = 40
HERE = Path(__file__).parent


def read(name):
    def num(s):
        s = s.strip()
        return D(s[:-1]) / 100 if s.endswith("%") else D(s)
    with open(HERE / f"{name}.csv", encoding="utf-8") as f:
        return {r["id"]: {**r, **{k: num(v) for k, v in r.items() if k not in ("id", "name", "kind")}}
                for r in csv.DictReader(f)}


now, before = read("2024"), read("2023")
ids = list(now)


def minmax(key, lower=False):
    xs = [now[i][key] for i in ids]
    lo, hi = min(xs), max(xs)
    if hi == lo:
        return {i: D(1) for i in ids}
    return {i: ((hi - now[i][key]) if lower else (now[i][key] - lo)) / (hi - lo) for i in ids}


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


mean_s = sum(now[i]["满意度"] for i in ids) / len(ids)
sd = (sum((now[i]["满意度"] - mean_s) ** 2 for i in ids) / len(ids)).sqrt()
web, time, cert, data, safe = (minmax("网办率"), minmax("办件时长", True), minmax("证照应用率"),
                               minmax("开放数据集"), minmax("安全事件", True))
scores = {}
for i in ids:
    online = 15 * web[i] + 15 * time[i] + 10 * cert[i]
    r_open = max(D("0.1"), data[i])
    r_econ = clamp((now[i]["数字经济占比"] - D("0.2")) / D("0.3"), D("0.1"), D(1))
    # weighted geometric mean, weights 15/30 each
    resources = 30 * (r_open ** D("0.5")) * (r_econ ** D("0.5"))
    z = (now[i]["满意度"] - mean_s) / sd
    governance = 20 * clamp(D("0.5") + z / 4, D(0), D(1)) + 10 * safe[i]
    bonus = D(0)
    if i in before:
        bonus = clamp(D("0.5") * (now[i]["网办率"] - before[i]["网办率"]) / D("0.01"), D(0), D(3))
    total = online + resources + governance + min(bonus, D(3))
    scores[i] = total.quantize(D("0.01"), rounding=ROUND_HALF_UP)

order = sorted(ids, key=lambda i: -scores[i])
n = len(ids)
for i in order:
    rank = 1 + sum(1 for j in ids if scores[j] > scores[i])
    tier = "第一梯队" if rank <= int(D("0.2") * n) else "第二梯队" if rank <= int(D("0.6") * n) else "第三梯队"
    print(f'("{i}", "{scores[i]}", {rank}, "{tier}"),')
