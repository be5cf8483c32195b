//! The 黑河 2023 policy as a hand-written Rust program, CSV in → CSV out, as
//! a developer would write it for this one table without zhibiao: the tree
//! transcribed from the published table, each rule a line of integer
//! arithmetic, every score kept exactly as a whole number of 1/L points
//! (L = 2520 × 10^6 covers the thirds, quarters, sevenths, ninths and the
//! six decimal places of the percentages), rounded half up at the end. It
//! shares no code, number type or data structure with zhibiao; the
//! benchmark checks that its output is byte for byte zhibiao's.

use std::collections::HashMap;
use std::io::Write;

/// One point, in the program's unit.
const L: i64 = 2_520_000_000;
/// A fraction given in millionths, in the program's unit.
const PER_MILLIONTH: i64 = L / 1_000_000;

/// The tree in pre-order: path, parent, and for an item its row.
const TREE: &[(&str, usize, u8)] = &[
    ("", 0, 0),
    ("统筹管理", 0, 0),
    ("统筹管理/规划设计", 1, 0),
    ("统筹管理/规划设计/规划设计", 2, 0),
    ("统筹管理/规划设计/规划设计/任务规划", 3, 1),
    ("统筹管理/规划设计/规划设计/年度计划", 3, 2),
    ("统筹管理/组织保障", 1, 0),
    ("统筹管理/组织保障/领导机制", 6, 0),
    ("统筹管理/组织保障/领导机制/领导小组", 7, 3),
    ("统筹管理/组织保障/领导机制/统筹机制", 7, 4),
    ("统筹管理/组织保障/管理机构", 6, 0),
    ("统筹管理/组织保障/管理机构/推进机构", 10, 5),
    ("统筹管理/组织保障/管理机构/工作职责", 10, 6),
    ("统筹管理/组织保障/人员组织", 6, 7),
    ("统筹管理/制度保障", 1, 0),
    ("统筹管理/制度保障/制度标准", 14, 0),
    ("统筹管理/制度保障/制度标准/标准规范", 15, 8),
    ("统筹管理/制度保障/制度标准/管理制度", 15, 9),
    ("统筹管理/省市平台复用", 1, 0),
    ("统筹管理/省市平台复用/省级平台复用", 18, 10),
    ("统筹管理/省市平台复用/市级平台复用", 18, 11),
    ("项目建设", 0, 0),
    ("项目建设/系统建设", 21, 0),
    ("项目建设/系统建设/建设完成及时情况", 22, 12),
    ("项目建设/系统建设/系统建设目标达成情况", 22, 13),
    ("项目建设/系统建设/需求完成偏离度情况", 22, 14),
    ("项目建设/过程管理", 21, 0),
    ("项目建设/过程管理/项目进展跟踪机制", 26, 15),
    ("项目建设/过程管理/项目材料", 26, 16),
    ("项目建设/过程管理/故障响应及时性", 26, 17),
    ("项目建设/过程管理/安全制度", 26, 18),
    ("项目建设/省建市用", 21, 0),
    ("项目建设/省建市用/身份认证", 31, 19),
    ("项目建设/省建市用/电子证照", 31, 20),
    ("项目建设/省建市用/电子印章", 31, 21),
    ("项目建设/省建市用/好差评", 31, 22),
    ("项目建设/省建市用/一体化政务服务平台", 31, 23),
    ("项目建设/省建市用/政务服务工作台", 31, 24),
    ("数据共享开放", 0, 0),
    ("数据共享开放/数据资源", 38, 0),
    ("数据共享开放/数据资源/领域覆盖率", 39, 25),
    ("数据共享开放/数据资源/数据资源目录完整性", 39, 26),
    ("数据共享开放/数据资源/数据资源完整性", 39, 27),
    ("数据共享开放/数据资源/数据准确性", 39, 28),
    ("数据共享开放/数据资源/数据及时性", 39, 29),
    ("数据共享开放/数据资源/数据资源目录", 39, 30),
    ("数据共享开放/数据应用", 38, 0),
    ("数据共享开放/数据应用/需求响应度", 46, 31),
    ("数据共享开放/数据应用/数据共享的应用情况", 46, 32),
    ("数据共享开放/数据应用/应用案例推广情况", 46, 33),
    ("安全保障", 0, 0),
    ("安全保障/安全保障", 50, 0),
    ("安全保障/安全保障/信息安全预案", 51, 34),
    ("安全保障/安全保障/信息安全预警", 51, 35),
    ("安全保障/安全保障/信息安全防护", 51, 36),
    ("安全保障/安全保障/系统安全维护", 51, 37),
    ("安全保障/安全保障/隐私保护", 51, 38),
    ("应用成效", 0, 0),
    ("应用成效/使用情况", 57, 0),
    ("应用成效/使用情况/系统运行稳定性", 58, 39),
    ("应用成效/使用情况/体验评价", 58, 40),
    ("应用成效/使用情况/用户量、活跃度、访问量情况", 58, 41),
    ("应用成效/使用情况/服务覆盖度", 58, 0),
    ("应用成效/使用情况/服务覆盖度/覆盖层级", 62, 42),
    ("应用成效/使用情况/服务覆盖度/指南覆盖", 62, 43),
    ("应用成效/使用情况/服务覆盖度/清单发布", 62, 44),
    ("应用成效/使用情况/服务覆盖度/省内通办", 62, 45),
    ("应用成效/使用情况/服务覆盖度/跨省通办", 62, 46),
    ("应用成效/使用情况/服务覆盖度/便民查询", 62, 47),
    ("应用成效/政务服务", 57, 0),
    ("应用成效/政务服务/网办深度", 69, 48),
    ("应用成效/政务服务/服务准确性", 69, 49),
    ("应用成效/政务服务/服务集成度", 69, 0),
    ("应用成效/政务服务/服务集成度/分类导航", 72, 50),
    ("应用成效/政务服务/服务集成度/一件事一次办", 72, 51),
    ("应用成效/政务服务/移动政务服务", 69, 52),
    ("应用成效/推广影响", 57, 0),
    ("应用成效/推广影响/社会效益", 76, 53),
    ("应用成效/推广影响/影响力及推广性", 76, 54),
];

/// The columns read, in the order the rules below index them.
const COLUMNS: &[&str] = &[
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

/// One row's cells, read as the rules need them.
struct Cells<'a>(Vec<&'a str>);

impl Cells<'_> {
    fn get(&self, i: usize) -> &str {
        self.0.get(i).copied().unwrap_or("")
    }
    fn yes(&self, i: usize) -> bool {
        self.get(i) == "是"
    }
    /// 全部 / 部分 / 无 as a share of the points, in 1/L.
    fn three(&self, i: usize) -> i64 {
        match self.get(i) {
            "全部" => L,
            "部分" => L / 2,
            _ => 0,
        }
    }
    fn count(&self, i: usize) -> i64 {
        match self.get(i) {
            "" | "-" => 0,
            s => s.split('、').count() as i64,
        }
    }
    fn int(&self, i: usize) -> i64 {
        self.get(i).parse().unwrap_or(0)
    }
    /// A percentage cell (`85.3%`) in millionths.
    fn millionths(&self, i: usize) -> i64 {
        let s = self.get(i).trim_end_matches('%');
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let frac = format!("{frac:0<4}");
        let whole: i64 = whole.parse().unwrap_or(0);
        whole * 10_000 + frac.get(..4).and_then(|f| f.parse().ok()).unwrap_or(0)
    }
}

fn clamp(x: i64, hi: i64) -> i64 {
    x.clamp(0, hi)
}

/// Points for the first band whose lower bound (millionths) `x` reaches.
fn band(x: i64, bands: &[(i64, i64)], otherwise: i64) -> i64 {
    bands
        .iter()
        .find(|(low, _)| x >= *low)
        .map_or(otherwise, |(_, v)| *v)
}

/// Every row's points, in 1/L, by row number (0: not applicable).
fn rows(c: &Cells, county: bool) -> ([Option<i64>; 55], i64) {
    let mut r = [None; 55];
    let mut max = 100 * L;
    let pct = |i: usize| c.millionths(i) * PER_MILLIONTH;
    r[1] = Some(c.count(0).min(3) * 5 * L / 3);
    r[2] = Some(i64::from(c.yes(1)) * 3 * L);
    r[3] = Some(i64::from(c.yes(2)) * 3 * L);
    r[4] = Some(i64::from(c.yes(3)) * 2 * L);
    r[5] = Some(i64::from(c.yes(4)) * L);
    r[6] = Some(i64::from(c.yes(5)) * 2 * L);
    r[7] = Some(match c.get(6) {
        "培训并考评" => 2 * L,
        "仅培训" => L,
        _ => 0,
    });
    if county {
        r[8] = Some(clamp(6 * c.count(7) * L / 10, 3 * L));
    } else {
        max -= 3 * L;
    }
    r[9] = Some(i64::from(c.yes(8)) * L);
    r[10] = Some(c.three(9) * 3);
    r[11] = Some(c.three(10) * 3);
    r[12] = Some(i64::from(c.yes(11)) * L);
    r[13] = Some(clamp(pct(12), L));
    r[14] = Some(clamp(L - c.int(13) * L / 4, L));
    r[15] = Some(i64::from(c.yes(14)) * L);
    r[16] = Some(c.three(15));
    let faults = c.int(16);
    r[17] = Some(if faults >= 2 {
        0
    } else {
        clamp(L - faults * L / 2, L)
    });
    r[18] = Some(i64::from(c.yes(17)) * L);
    if c.yes(18) {
        for (row, (col, points)) in
            (19..).zip([(19, 2), (20, 2), (21, 2), (22, 3), (23, 3), (24, 1)])
        {
            r[row] = Some(c.three(col) * points);
        }
    } else {
        max -= 13 * L;
    }
    let (covered, wanted) = (c.int(25), c.int(26));
    r[25] = Some(if 10 * covered >= 9 * wanted {
        3 * L
    } else if 10 * covered >= 7 * wanted {
        3 * L * 6 / 10
    } else {
        0
    });
    r[26] = Some(c.three(27) * 2);
    r[27] = Some(2 * band(c.millionths(28), &[(950_000, L), (800_000, L * 6 / 10)], 0));
    r[28] = Some(clamp(2 * L - c.int(29) * L / 2, 2 * L));
    let below = (950_000 - c.millionths(30)).max(0);
    r[29] = Some(clamp(2 * L - 10 * below * PER_MILLIONTH, 2 * L));
    r[30] = Some(c.count(31).min(3) * 2 * L / 3);
    r[31] = Some(clamp(c.millionths(32) * PER_MILLIONTH * 10 / 9, L));
    r[32] = Some(clamp(c.int(33) * L / 2, L));
    r[33] = Some(clamp(c.count(34) * L, 2 * L));
    r[34] = Some(i64::from(c.yes(35)) * L);
    r[35] = Some(i64::from(c.yes(36)) * L);
    r[36] = Some(c.three(37));
    r[37] = Some(i64::from(c.yes(38)) * L);
    r[38] = Some(c.three(39));
    let stable = [(999_000, L), (990_000, L * 8 / 10), (950_000, L / 2)];
    r[39] = Some(band(c.millionths(40), &stable, 0));
    r[40] = Some(i64::from(c.yes(41)) * L);
    r[41] = Some(2 * band(c.millionths(42), &[(300_000, L), (100_000, L / 2)], 0));
    r[42] = Some(c.count(43).min(4) * 2 * L / 4);
    r[43] = Some(clamp(pct(44), L) * 2);
    r[44] = Some(c.count(45).min(7) * 2 * L / 7);
    r[45] = Some(clamp(pct(46), L));
    r[46] = Some(clamp(pct(47) * 2, L));
    r[47] = Some(c.three(48));
    r[48] = Some(band(
        c.millionths(49),
        &[(800_000, L), (500_000, L * 6 / 10)],
        L / 5,
    ));
    r[49] = Some(clamp(L - c.int(50) * L / 5, L));
    r[50] = Some(c.count(51).min(5) * 3 * L / 5);
    r[51] = Some(clamp(c.int(52) * 3 * L / 10, 3 * L));
    r[52] = Some(clamp(pct(53) * 10 / 8, L) * 5);
    r[53] = Some(clamp(c.int(54) * L, 2 * L));
    r[54] = Some(match c.get(55) {
        "国家级" => 2 * L,
        "省级" => 3 * L / 2,
        "市级" => L,
        _ => 0,
    });
    (r, max)
}

/// `num / den` rounded half up (both positive).
fn half_up(num: i128, den: i128) -> i64 {
    ((2 * num + den) / (2 * den)) as i64
}

/// What is kept of a unit until the ranks are known.
struct Scored {
    id: String,
    name: String,
    kind: String,
    /// Hundredths of a point: score, base, bonus, deductions, then every
    /// node below the root (`NOT_APPLICABLE` where it does not apply).
    cents: Vec<i32>,
    vetoes: &'static str,
    grade: &'static str,
}

/// Reads `input` (the evaluators' CSV) and writes the results CSV to `output`.
pub fn run(input: &str, output: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_path(input)?;
    let headers = reader.headers()?.clone();
    let at = |name: &str| headers.iter().position(|h| h == name);
    let (id, name, kind) = (
        at("id").ok_or("id")?,
        at("name").ok_or("name")?,
        at("kind").ok_or("kind")?,
    );
    let columns: Vec<usize> = COLUMNS
        .iter()
        .map(|c| at(c).unwrap_or(usize::MAX))
        .collect();
    let mut units = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let cells = Cells(
            columns
                .iter()
                .map(|&i| record.get(i).unwrap_or(""))
                .collect(),
        );
        units.push(score(&record[id], &record[name], &record[kind], &cells));
    }
    rank_and_write(&units, output)
}

fn score(id: &str, name: &str, kind: &str, c: &Cells) -> Scored {
    let (rows, max) = rows(c, kind == "县区");
    let mut nodes = [0i64; TREE.len()];
    // A row applies when it is scored; a group when one of its rows does.
    let mut applies = [false; TREE.len()];
    applies[0] = true;
    for (i, &(_, parent, row)) in TREE.iter().enumerate().rev() {
        if row > 0 {
            nodes[i] = rows[usize::from(row)].unwrap_or(0);
            applies[i] = rows[usize::from(row)].is_some();
        }
        if i > 0 {
            nodes[parent] += nodes[i];
            applies[parent] |= applies[i];
        }
    }
    // Rows that do not apply are left out; the rest rescaled to 100 points:
    // hundredths of a point of `x` × 100/max.
    let rescaled = |x: i64| half_up(i128::from(x) * 10_000, i128::from(max)) as i32;
    let root = i128::from(nodes[0]);
    let bonus = if root * 100 >= 60 * i128::from(max) {
        (i64::from(c.yes(56)) * 2 * L + clamp(c.int(57) * L / 2, 2 * L)).min(3 * L)
    } else {
        0
    };
    let deduction = clamp(c.int(58) * L, 5 * L);
    // The final score, over max × L.
    let exact = root * 100 * i128::from(L) + i128::from(bonus - deduction) * i128::from(max);
    let (major, fraud) = (c.yes(59), c.yes(60));
    let score = if exact <= 0 || major {
        0
    } else {
        half_up(exact * 100, i128::from(max) * i128::from(L))
    };
    let grade = match score {
        _ if major => "不合格",
        s if s >= 9000 && !fraud => "优秀",
        s if s >= 8000 && !fraud => "良好",
        s if s >= 6000 => "合格",
        _ => "不合格",
    };
    let vetoes = match (major, fraud) {
        (true, true) => "重大网络安全事件、数据造假",
        (true, false) => "重大网络安全事件",
        (false, true) => "数据造假",
        (false, false) => "",
    };
    let mut cents = vec![
        score as i32,
        rescaled(nodes[0]),
        half_up(i128::from(bonus) * 100, i128::from(L)) as i32,
        half_up(i128::from(deduction) * 100, i128::from(L)) as i32,
    ];
    cents.extend(
        nodes
            .iter()
            .zip(applies)
            .skip(1)
            .map(|(&x, applies)| if applies { rescaled(x) } else { NOT_APPLICABLE }),
    );
    Scored {
        id: id.to_string(),
        name: name.to_string(),
        kind: kind.to_string(),
        cents,
        vetoes,
        grade,
    }
}

/// A node that does not apply, written `不适用`.
const NOT_APPLICABLE: i32 = i32::MIN;

/// Hundredths of a point written out (`9586` → `95.86`).
fn cents(out: &mut Vec<u8>, x: i32) {
    if x == NOT_APPLICABLE {
        out.extend_from_slice("不适用".as_bytes());
        return;
    }
    let mut digits = itoa::Buffer::new();
    out.extend_from_slice(digits.format(x / 100).as_bytes());
    out.push(b'.');
    let rest = x % 100;
    if rest < 10 {
        out.push(b'0');
    }
    out.extend_from_slice(digits.format(rest).as_bytes());
}

fn rank_and_write(units: &[Scored], output: &str) -> Result<(), Box<dyn std::error::Error>> {
    // Competition ranking ("1224") on the rounded score, overall and by kind.
    let score = |u: &Scored| u.cents.first().copied().unwrap_or(0);
    let mut all: Vec<i32> = units.iter().map(score).collect();
    all.sort_unstable_by(|a, b| b.cmp(a));
    let mut by_kind: HashMap<&str, Vec<i32>> = HashMap::new();
    for u in units {
        by_kind.entry(u.kind.as_str()).or_default().push(score(u));
    }
    by_kind
        .values_mut()
        .for_each(|v| v.sort_unstable_by(|a, b| b.cmp(a)));
    let rank = |sorted: &[i32], s: i32| 1 + sorted.partition_point(|x| *x > s);
    let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(output)?);
    let mut line =
        "\u{feff}id,name,kind,score,max,base,bonus,deductions,grade,rank,rank_in_kind,vetoes"
            .to_string();
    for (path, _, _) in TREE.iter().skip(1) {
        line.push(',');
        line.push_str(path);
    }
    line.push('\n');
    file.write_all(line.as_bytes())?;
    let mut out = Vec::with_capacity(1024);
    let mut digits = itoa::Buffer::new();
    for u in units {
        out.clear();
        for text in [&u.id, &u.name, &u.kind] {
            out.extend_from_slice(text.as_bytes());
            out.push(b',');
        }
        let c = &u.cents;
        cents(&mut out, c[0]);
        out.extend_from_slice(b",100.00,");
        for &x in &c[1..4] {
            cents(&mut out, x);
            out.push(b',');
        }
        out.extend_from_slice(u.grade.as_bytes());
        out.push(b',');
        out.extend_from_slice(digits.format(rank(&all, c[0])).as_bytes());
        out.push(b',');
        let in_kind = by_kind.get(u.kind.as_str()).map_or(0, |v| rank(v, c[0]));
        out.extend_from_slice(digits.format(in_kind).as_bytes());
        out.push(b',');
        out.extend_from_slice(u.vetoes.as_bytes());
        for &x in &c[4..] {
            out.push(b',');
            cents(&mut out, x);
        }
        out.push(b'\n');
        file.write_all(&out)?;
    }
    file.flush()?;
    Ok(())
}
