"""An independent computation of policies/county-index/index.zb over
units.csv, in plain Python with exact fractions, written from the policy's
text and the README (screening, `per`, `treat`, `minmax`, `missing
reweight`, tiers), not from the evaluator's code. Its output is what
tests/county_index.rs expects.

    python3 examples/county-index/compute.py
"""
import csv
from decimal import Decimal, ROUND_HALF_EVEN, ROUND_HALF_UP, getcontext
from fractions import Fraction as F
from pathlib import Path

getcontext().prec = 60
HERE = Path(__file__).parent
INPUTS = ["户数", "宽带用户数", "网办率", "开放数据集", "数字经济占比", "满意度"]


def cell(s):
    s = s.strip()
    if not s:
        return None
    return F(Decimal(s[:-1])) / 100 if s.endswith("%") else F(Decimal(s))


with open(HERE / "units.csv", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
units = {r["id"]: {k: cell(r[k]) for k in INPUTS} for r in rows}
names = {r["id"]: r["name"] for r in rows}

# 1. Screening: the share of the six inputs with a cell, at least 80%.
screened = {i for i, u in units.items() if F(sum(v is not None for v in u.values()), 6) < F(4, 5)}
ids = [i for i in units if i not in screened]

# 2. 宽带普及率 = 宽带用户数 / 户数.
for u in units.values():
    u["宽带普及率"] = None if None in (u["宽带用户数"], u["户数"]) else u["宽带用户数"] / u["户数"]


def shape(xs):
    """Population skewness (12 places, half-even) and excess kurtosis."""
    n = len(xs)
    mean = sum(xs) / n
    m = lambda k: sum((x - mean) ** k for x in xs) / n
    m2 = m(2)
    if m2 == 0:
        return F(0), F(0)
    root = Decimal(m2.numerator) / Decimal(m2.denominator)
    root = root.sqrt()
    m3 = Decimal(m(3).numerator) / Decimal(m(3).denominator)
    skew = (m3 / (Decimal(m2.numerator) / Decimal(m2.denominator) * root))
    skew = F(skew.quantize(Decimal("1e-12"), rounding=ROUND_HALF_EVEN))
    return skew, m(4) / (m2 * m2) - 3


def treat(values, most=5):
    """Winsorise one value at a time from the skewed side while |skew| > 2
    and kurtosis > 3.5, at most `most`; returns the mapping of values."""
    xs = sorted(values)
    n, low, high = len(xs), 0, 0
    work = list(xs)
    while True:
        s, k = shape(work)
        if not (abs(s) > 2 and k > F(7, 2)):
            return lambda x: min(max(x, xs[low]), xs[n - 1 - high])
        if low + high >= most or low + high + 2 >= n:
            raise SystemExit("log transform: not expected for this data")
        if s < 0:
            low += 1
            work[:low] = [xs[low]] * low
        else:
            high += 1
            work[n - high:] = [xs[n - 1 - high]] * high


def minmax(key, transform=lambda x: x):
    have = [i for i in ids if units[i][key] is not None]
    xs = {i: transform(units[i][key]) for i in have}
    lo, hi = min(xs.values()), max(xs.values())
    return {i: F(1) if hi == lo else (x - lo) / (hi - lo) for i, x in xs.items()}


opened = treat([units[i]["开放数据集"] for i in ids if units[i]["开放数据集"] is not None])
rates = {
    "宽带普及": minmax("宽带普及率"),
    "网上办事": minmax("网办率"),
    "数据开放": minmax("开放数据集", opened),
    "产业占比": minmax("数字经济占比"),
    "群众满意": minmax("满意度"),
}
categories = [[("宽带普及", 30)], [("网上办事", 20), ("数据开放", 20)], [("产业占比", 15), ("群众满意", 15)]]
points = {"宽带普及": 30, "网上办事": 20, "数据开放": 20, "产业占比": 15, "群众满意": 15}
category_points = [30, 40, 30]

# 5. Missing data: an item without a value gives its points to the items of
# its category that have one, in proportion to their points.
exact = {}
for i in ids:
    total = F(0)
    for items, cp in zip(categories, category_points):
        have = [(name, p) for name, p in items if i in rates[name]]
        weight = sum(p for _, p in have)
        total += sum(F(cp) * p / weight * rates[name][i] for name, p in have)
    exact[i] = total


def half_up(x):
    return Decimal(x.numerator) / Decimal(x.denominator)


score = {i: half_up(exact[i]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for i in ids}
order = sorted(ids, key=lambda i: -score[i])
rank = {i: 1 + sum(score[j] > score[i] for j in ids) for i in ids}
n = len(ids)


def tier(r):
    if r <= F(1, 4) * n:
        return "领先"
    if r <= F(3, 4) * n:
        return "追赶"
    return "起步"


for i in order:
    print(f'    ("{i}", "{score[i]}", {rank[i]}, "{tier(rank[i])}"),')
for i in sorted(screened):
    print(f"    // {i} {names[i]}: screened out")
