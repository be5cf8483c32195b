//! The 黑河 2023 policy written by hand in Rust, straight from
//! `policies/heihe/2023.zb`, without the evaluator: the oracle the flagship
//! tests compare against, and the baseline of the benchmark (the practical
//! limit for evaluating the same rows).

use rust_decimal::{Decimal, RoundingStrategy};
use zhibiao::ir::{Policy, Value};

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

fn d(n: i64, scale: u32) -> Decimal {
    Decimal::new(n, scale)
}

impl Heihe {
    pub fn new(policy: &Policy) -> Heihe {
        let index = NAMES
            .iter()
            .map(|n| policy.input_id(n).unwrap_or(usize::MAX))
            .collect();
        Heihe { index }
    }

    /// The final score (rounded half up to 2 places) of one unit.
    pub fn score(&self, v: &[Value], county: bool) -> Decimal {
        let get = |i: usize| {
            v.get(self.index.get(i).copied().unwrap_or(usize::MAX))
                .copied()
                .unwrap_or(Value::Absent)
        };
        let num = |i: usize| match get(i) {
            Value::Number(n) => n,
            _ => Decimal::ZERO,
        };
        let yes = |i: usize| {
            if get(i) == Value::Bool(true) {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        };
        let count = |i: usize| match get(i) {
            Value::Set(s) => Decimal::from(s.count_ones()),
            _ => Decimal::ZERO,
        };
        // 全部 | 部分 | 无 (and any three-way choice) → 1 / 0.5 / 0
        let three = |i: usize| match get(i) {
            Value::Choice(0) => Decimal::ONE,
            Value::Choice(1) => d(5, 1),
            _ => Decimal::ZERO,
        };
        let rate = |x: Decimal| x.max(Decimal::ZERO).min(Decimal::ONE);
        let pts = |x: Decimal, max: i64| x.max(Decimal::ZERO).min(Decimal::from(max));
        let ratio = |x: Decimal, t: Decimal| rate(x / t);
        let one = Decimal::ONE;

        let mut sum = Decimal::ZERO;
        let mut max = Decimal::ONE_HUNDRED;
        // 统筹管理
        sum += rate(count(0) / Decimal::from(3)) * Decimal::from(5);
        sum += yes(1) * Decimal::from(3) + yes(2) * Decimal::from(3) + yes(3) * Decimal::TWO;
        sum += yes(4) + yes(5) * Decimal::TWO + three(6) * Decimal::TWO;
        if county {
            sum += pts(d(6, 1) * count(7), 3);
        } else {
            max -= Decimal::from(3);
        }
        sum += yes(8) + three(9) * Decimal::from(3) + three(10) * Decimal::from(3);
        // 项目建设
        sum += yes(11) + ratio(num(12), one) + pts(one - d(25, 2) * num(13), 1);
        sum += yes(14) + three(15);
        let faults = num(16);
        sum += if faults >= Decimal::TWO {
            Decimal::ZERO
        } else {
            pts(one - d(5, 1) * faults, 1)
        };
        sum += yes(17);
        if yes(18) == one {
            sum += (three(19) + three(20) + three(21)) * Decimal::TWO
                + (three(22) + three(23)) * Decimal::from(3)
                + three(24);
        } else {
            max -= Decimal::from(13);
        }
        // 数据共享开放
        let coverage = num(25) / num(26);
        sum += Decimal::from(3)
            * band(
                coverage,
                &[(d(9, 1), one), (d(7, 1), d(6, 1))],
                Decimal::ZERO,
            );
        sum += three(27) * Decimal::TWO;
        sum += Decimal::TWO
            * band(
                num(28),
                &[(d(95, 2), one), (d(8, 1), d(6, 1))],
                Decimal::ZERO,
            );
        sum += pts(Decimal::TWO - d(5, 1) * num(29), 2);
        sum += pts(
            Decimal::TWO - d(1, 1) * (d(95, 2) - num(30)).max(Decimal::ZERO) / d(1, 2),
            2,
        );
        sum += rate(count(31) / Decimal::from(3)) * Decimal::TWO;
        sum += ratio(num(32), d(9, 1)) + pts(d(5, 1) * num(33), 1) + pts(count(34), 2);
        // 安全保障
        sum += yes(35) + yes(36) + three(37) + yes(38) + three(39);
        // 应用成效
        sum += band(
            num(40),
            &[(d(999, 3), one), (d(99, 2), d(8, 1)), (d(95, 2), d(5, 1))],
            Decimal::ZERO,
        );
        sum += yes(41)
            + Decimal::TWO
                * band(
                    num(42),
                    &[(d(3, 1), one), (d(1, 1), d(5, 1))],
                    Decimal::ZERO,
                );
        sum += rate(count(43) / Decimal::from(4)) * Decimal::TWO + rate(num(44)) * Decimal::TWO;
        sum += rate(count(45) / Decimal::from(7)) * Decimal::TWO
            + rate(num(46))
            + ratio(num(47), d(5, 1))
            + three(48);
        sum += band(num(49), &[(d(8, 1), one), (d(5, 1), d(6, 1))], d(2, 1));
        sum += pts(one - d(2, 1) * num(50), 1);
        sum += rate(count(51) / Decimal::from(5)) * Decimal::from(3) + pts(d(3, 1) * num(52), 3);
        sum += ratio(num(53), d(8, 1)) * Decimal::from(5) + pts(num(54), 2);
        sum += match get(55) {
            Value::Choice(0) => Decimal::TWO,
            Value::Choice(1) => d(15, 1),
            Value::Choice(2) => one,
            _ => Decimal::ZERO,
        };
        // not_applicable rescale: back to 100
        let base = if max < Decimal::ONE_HUNDRED {
            sum * Decimal::ONE_HUNDRED / max
        } else {
            sum
        };
        let bonus = if base >= Decimal::from(60) {
            (yes(56) * Decimal::TWO + pts(d(5, 1) * num(57), 2)).min(Decimal::from(3))
        } else {
            Decimal::ZERO
        };
        let deduction = pts(num(58), 5).min(Decimal::from(5));
        let fin = (base + bonus - deduction).max(Decimal::ZERO);
        if yes(59) == one {
            return Decimal::ZERO;
        }
        fin.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
}

/// The first band whose lower bound (inclusive) `x` reaches, else `otherwise`.
fn band(x: Decimal, bands: &[(Decimal, Decimal)], otherwise: Decimal) -> Decimal {
    bands
        .iter()
        .find(|(low, _)| x >= *low)
        .map_or(otherwise, |(_, v)| *v)
}
