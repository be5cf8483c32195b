//! The 黑河 2023 policy written by hand in Rust, straight from
//! `policies/heihe/2023.zb`, without the evaluator and with its own exact
//! number type (num-rational's big rationals): the oracle the flagship tests
//! compare against.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use zhibiao::ir::{Policy, Value};

type Q = BigRational;

/// `n / 10^scale`.
fn d(n: i64, scale: u32) -> Q {
    Q::new(BigInt::from(n), BigInt::from(10).pow(scale))
}

fn int(n: i64) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// A cell's number, through its exact fraction.
fn exact(n: zhibiao::num::Num) -> Q {
    Q::new(BigInt::from(n.numerator()), BigInt::from(n.denominator()))
}

/// `x` rounded half up at two places, written with both places.
pub fn half_up_2(x: &Q) -> String {
    let hundredths = x * int(100);
    let floor = hundredths.floor();
    let rounded = if &hundredths - &floor >= d(5, 1) {
        floor + Q::one()
    } else {
        floor
    };
    let cents = rounded.to_integer();
    let (sign, cents) = if cents.is_negative() {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = &cents / BigInt::from(100);
    let rest = &cents % BigInt::from(100);
    format!("{sign}{whole}.{rest:0>2}")
}

/// Input names in the order `score` reads them.
const NAMES: &[&str] = &[
    "规划文件",
    "年度计划",
    "领导小组",
    "统筹机制",
    "推进机构",
    "工作职责",
    "培训考评",
    "标准规范",
    "管理制度",
    "省级平台复用",
    "市级平台复用",
    "按期完成",
    "内容完成率",
    "需求偏离项数",
    "进展报告及时",
    "项目材料",
    "故障超时次数",
    "安全制度",
    "服务渠道",
    "身份认证",
    "电子证照",
    "电子印章",
    "好差评",
    "一体化平台",
    "工作台",
    "覆盖领域数",
    "应覆盖领域数",
    "目录文档",
    "资源完整率",
    "数据差错数",
    "及时更新率",
    "目录编制",
    "需求响应率",
    "应用场景数",
    "案例入库",
    "应急预案",
    "预警能力",
    "等保防护",
    "安全运维团队",
    "隐私保护",
    "系统可用率",
    "评价机制",
    "用户活跃度",
    "服务层级",
    "指南覆盖率",
    "清单发布",
    "省内通办覆盖率",
    "跨省通办覆盖率",
    "便民查询",
    "全程网办率",
    "要素差错数",
    "高频导航",
    "一件事数",
    "移动端事项率",
    "创新案例数",
    "获奖级别",
    "国家级试点",
    "经验推广次数",
    "通报次数",
    "重大安全事件",
    "数据造假",
];

pub struct Heihe {
    index: Vec<usize>,
}

impl Heihe {
    pub fn new(policy: &Policy) -> Heihe {
        let index = NAMES
            .iter()
            .map(|n| policy.input_id(n).unwrap_or(usize::MAX))
            .collect();
        Heihe { index }
    }

    /// The final score, exactly, of one unit.
    pub fn score(&self, v: &[Value], county: bool) -> Q {
        let get = |i: usize| {
            v.get(self.index.get(i).copied().unwrap_or(usize::MAX))
                .copied()
                .unwrap_or(Value::Absent)
        };
        let num = |i: usize| match get(i) {
            Value::Number(n) => exact(n),
            _ => Q::zero(),
        };
        let yes = |i: usize| {
            if get(i) == Value::Bool(true) {
                int(1)
            } else {
                int(0)
            }
        };
        let count = |i: usize| match get(i) {
            Value::Set(s) => int(i64::from(s.count_ones())),
            _ => Q::zero(),
        };
        // 全部 | 部分 | 无 (and any three-way choice) → 1 / 0.5 / 0
        let three = |i: usize| match get(i) {
            Value::Choice(0) => int(1),
            Value::Choice(1) => d(5, 1),
            _ => Q::zero(),
        };
        let clamp = |x: Q, hi: Q| {
            if x < Q::zero() {
                Q::zero()
            } else if x > hi {
                hi
            } else {
                x
            }
        };
        let rate = |x: Q| clamp(x, int(1));
        let pts = |x: Q, max: i64| clamp(x, int(max));
        let ratio = |x: Q, t: Q| rate(x / t);

        let mut sum = Q::zero();
        let mut max = int(100);
        // 统筹管理
        sum += rate(count(0) / int(3)) * int(5);
        sum += yes(1) * int(3) + yes(2) * int(3) + yes(3) * int(2);
        sum += yes(4) + yes(5) * int(2) + three(6) * int(2);
        if county {
            sum += pts(d(6, 1) * count(7), 3);
        } else {
            max -= int(3);
        }
        sum += yes(8) + three(9) * int(3) + three(10) * int(3);
        // 项目建设
        sum += yes(11) + ratio(num(12), int(1)) + pts(int(1) - d(25, 2) * num(13), 1);
        sum += yes(14) + three(15);
        let faults = num(16);
        sum += if faults >= int(2) {
            Q::zero()
        } else {
            pts(int(1) - d(5, 1) * faults, 1)
        };
        sum += yes(17);
        if yes(18).is_one() {
            sum += (three(19) + three(20) + three(21)) * int(2)
                + (three(22) + three(23)) * int(3)
                + three(24);
        } else {
            max -= int(13);
        }
        // 数据共享开放
        let coverage = num(25) / num(26);
        sum += int(3)
            * band(
                &coverage,
                &[(d(9, 1), int(1)), (d(7, 1), d(6, 1))],
                Q::zero(),
            );
        sum += three(27) * int(2);
        sum += int(2)
            * band(
                &num(28),
                &[(d(95, 2), int(1)), (d(8, 1), d(6, 1))],
                Q::zero(),
            );
        sum += pts(int(2) - d(5, 1) * num(29), 2);
        let late = d(95, 2) - num(30);
        let late = if late < Q::zero() { Q::zero() } else { late };
        sum += pts(int(2) - d(1, 1) * late / d(1, 2), 2);
        sum += rate(count(31) / int(3)) * int(2);
        sum += ratio(num(32), d(9, 1)) + pts(d(5, 1) * num(33), 1) + pts(count(34), 2);
        // 安全保障
        sum += yes(35) + yes(36) + three(37) + yes(38) + three(39);
        // 应用成效
        let availability = [
            (d(999, 3), int(1)),
            (d(99, 2), d(8, 1)),
            (d(95, 2), d(5, 1)),
        ];
        sum += band(&num(40), &availability, Q::zero());
        sum += yes(41)
            + int(2)
                * band(
                    &num(42),
                    &[(d(3, 1), int(1)), (d(1, 1), d(5, 1))],
                    Q::zero(),
                );
        sum += rate(count(43) / int(4)) * int(2) + rate(num(44)) * int(2);
        sum +=
            rate(count(45) / int(7)) * int(2) + rate(num(46)) + ratio(num(47), d(5, 1)) + three(48);
        sum += band(&num(49), &[(d(8, 1), int(1)), (d(5, 1), d(6, 1))], d(2, 1));
        sum += pts(int(1) - d(2, 1) * num(50), 1);
        sum += rate(count(51) / int(5)) * int(3) + pts(d(3, 1) * num(52), 3);
        sum += ratio(num(53), d(8, 1)) * int(5) + pts(num(54), 2);
        sum += match get(55) {
            Value::Choice(0) => int(2),
            Value::Choice(1) => d(15, 1),
            Value::Choice(2) => int(1),
            _ => Q::zero(),
        };
        // not_applicable rescale: back to 100
        let base = if max < int(100) {
            sum * int(100) / max
        } else {
            sum
        };
        let bonus = if base >= int(60) {
            let b = yes(56) * int(2) + pts(d(5, 1) * num(57), 2);
            if b > int(3) { int(3) } else { b }
        } else {
            Q::zero()
        };
        let deduction = pts(num(58), 5);
        let total = base + bonus - deduction;
        if yes(59).is_one() || total < Q::zero() {
            return Q::zero();
        }
        total
    }
}

/// The first band whose lower bound (inclusive) `x` reaches, else `otherwise`.
fn band(x: &Q, bands: &[(Q, Q)], otherwise: Q) -> Q {
    bands
        .iter()
        .find(|(low, _)| x >= low)
        .map_or(otherwise, |(_, v)| v.clone())
}
