//! The policies transcribed from seeds 000/003/004 (信息惠民, 深圳信息共享):
//! their structure as the seeds state it, the seeds' figures in the example
//! data, and units scored by hand.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use zhibiao::data::Dataset;
use zhibiao::ir::Policy;
use zhibiao::report::{NodeReport, Report, UnitReport};
use zhibiao::source::SourceFile;

fn compile(path: &str) -> Policy {
    let source = SourceFile::read(Path::new(path)).unwrap();
    zhibiao::check::compile(&source).result.unwrap().policy
}

fn report(policy: &str, data: &str) -> Report {
    let p = compile(policy);
    let d = Dataset::load(&p, Path::new(data)).unwrap();
    let e = zhibiao::eval::evaluate(&p, &d);
    assert!(e.errors.is_empty());
    Report::new(&p, &d, &e)
}

fn unit<'r>(r: &'r Report, id: &str) -> &'r UnitReport {
    r.units.iter().find(|u| u.id == id).unwrap()
}

fn node<'u>(u: &'u UnitReport, path: &str) -> &'u NodeReport {
    path.split('/').fold(&u.tree, |n, name| {
        n.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no {path}"))
    })
}

fn n(p: zhibiao::report::Points) -> String {
    p.0.to_string()
}

const SZ_2015: &str = "policies/shenzhen-sharing/2015.zb";
const SZ_2016: &str = "policies/shenzhen-sharing/2016.zb";
const SZ_DATA: &str = "examples/shenzhen-sharing/departments.csv";

#[test]
fn shenzhen_has_the_seeds_indicators() {
    let p = compile(SZ_2015);
    let level = |d: usize| -> Vec<&str> {
        p.nodes
            .iter()
            .filter(|n| n.depth == d)
            .map(|n| n.name.as_str())
            .collect()
    };
    assert_eq!(level(1), ["信息共享", "信息惠民"]);
    assert_eq!(
        level(2),
        [
            "共享信息提供",
            "跨部门共享利用",
            "内部共享",
            "制度配合",
            "主动告知",
            "新媒体服务"
        ]
    );
    // 其他创新, the seventh level-2 indicator and third level-1, is the capped bonus part.
    assert_eq!(p.parts.len(), 1);
    assert_eq!(p.parts[0].name, "其他创新");
    assert_eq!(p.parts[0].cap.map(|c| c.to_string()), Some("10".into()));
}

#[test]
fn shenzhen_example_data_adds_up_to_the_seeds_figures() {
    // 已提供 388 of 490 (79.2%); 401 of 546 cancelled originals (73%); 48 rules revised.
    let mut r = csv::Reader::from_path(SZ_DATA).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let sum = |name: &str| {
        rows.iter()
            .map(|row| row[col(name)].parse::<u32>().unwrap())
            .sum::<u32>()
    };
    assert_eq!(
        (sum("已提供共享信息数"), sum("应提供共享信息数")),
        (388, 490)
    );
    assert_eq!((sum("已取消原件事项数"), sum("需共享事项数")), (401, 546));
    assert_eq!(sum("修订制度数"), 48);
    assert_eq!(format!("{:.1}%", 388.0 / 490.0 * 100.0), "79.2%");
}

#[test]
fn shenzhen_2015_scored_by_hand() {
    let r = report(SZ_2015, SZ_DATA);
    // SZ01 市教育局: 10 of 14 provided → 30 × 10/14 = 21.43; 8 of 12 → 25 × 8/12 = 16.67;
    // 内部 无 0; 0 rules 0; 主动告知 83.7% × 15 = 12.555; 4 channels 15; bonus 2+0+2+2+0 = 6.
    // 21.4286 + 16.6667 + 12.555 + 15 + 6 = 71.6503 → 71.65.
    let u = unit(&r, "SZ01");
    assert_eq!(n(node(u, "信息共享/共享信息提供").score), "21.43");
    assert_eq!(n(node(u, "信息共享/跨部门共享利用").score), "16.67");
    assert_eq!(n(node(u, "信息惠民/主动告知").score), "12.56");
    assert_eq!(
        (n(u.bonus.unwrap()), n(u.score.unwrap())),
        ("6".into(), "71.65".into())
    );
    // SZ22 市发展和改革委员会 provides nothing and needs nothing: both items do not
    // apply and their 55 points go to 内部共享 (5) and 制度配合 (10) in proportion:
    // 5 + 55 × 5/15 = 23.33 and 10 + 55 × 10/15 = 46.67, both full marks (全部; 6 rules).
    // 主动告知 40.5% × 15 = 6.075; 3 channels 11.25; bonus 1 + 0 + min(5, 4) + 3 + 1 = 9.
    // 70 + 6.075 + 11.25 + 9 = 96.325 → 96.33.
    let u = unit(&r, "SZ22");
    assert_eq!(n(node(u, "信息共享/内部共享").max), "23.33");
    assert_eq!(n(node(u, "信息共享/制度配合").score), "46.67");
    assert_eq!(n(u.score.unwrap()), "96.33");
    assert_eq!(u.grade.as_deref(), Some("优秀"));
}

#[test]
fn shenzhen_2016_scored_by_hand() {
    let r = report(SZ_2016, SZ_DATA);
    // SZ22 in 2016: 信息共享 still 70 (23.33 + 46.67); 主动告知 6.075; 新媒体 3/4 × 10 = 7.5;
    // 数据开放 ratio(0, 3) = 0; bonus 1 + 4 + 3 + 1 = 9, capped at 8.
    // 70 + 6.075 + 7.5 + 0 + 8 = 91.575 → 91.58.
    let u = unit(&r, "SZ22");
    assert_eq!(n(node(u, "信息惠民/新媒体服务").score), "7.5");
    assert_eq!(n(node(u, "信息惠民/数据开放").score), "0");
    assert_eq!(
        (n(u.bonus.unwrap()), n(u.score.unwrap())),
        ("8".into(), "91.58".into())
    );
    // SZ01: 10/14 = 71.4% of 95% → 25 × 0.7519 = 18.80; 8/12 × 30 = 20.
    let u = unit(&r, "SZ01");
    assert_eq!(n(node(u, "信息共享/共享信息提供").score), "18.8");
    assert_eq!(n(node(u, "信息共享/跨部门共享利用").score), "20");
}

const XH_NATIONAL: &str = "policies/xinxi-huimin/national.zb";
const XH_CITY: &str = "policies/xinxi-huimin/shenzhen.zb";

#[test]
fn xinxi_huimin_has_the_seeds_framework() {
    let p = compile(XH_NATIONAL);
    let children = |path: &str| -> Vec<&str> {
        let id = p.nodes.iter().position(|n| n.path == path).unwrap();
        p.nodes[id]
            .children
            .iter()
            .map(|c| p.nodes[*c].name.as_str())
            .collect()
    };
    assert_eq!(children("基本指标"), ["惠民保障", "信息共享", "综合成效"]);
    assert_eq!(
        children("基本指标/综合成效"),
        ["集约化服务", "延伸化服务", "多渠道服务", "服务满意度"]
    );
    let domains = children("扩展指标");
    assert_eq!(domains.len(), 9, "the nine domains of the 意见");
    for d in domains {
        let id = p
            .nodes
            .iter()
            .position(|n| n.path == format!("扩展指标/{d}"))
            .unwrap();
        assert!(p.nodes[id].when.is_some(), "{d} applies only when declared");
    }
}

#[test]
fn xinxi_huimin_city_scored_by_hand() {
    let r = report(XH_NATIONAL, "examples/xinxi-huimin/cities.csv");
    // C01 甲市. 惠民保障: 4 + (2 + 0) + (2 + 1 + 0) + 4 = 13.
    // 信息共享: 1/3 × 3 = 1; 86.3% × 3 = 2.589; 48%/80% × 5 = 3; 43/100 × 2 = 0.86; 0.5;
    //   1/3 × 5 = 1.6667; 4 → 13.6157.
    // 综合成效: 96.9% ≥ 90% → 6; 1/3 × 6 = 2; 3/4 × 6 = 4.5; 85.4% → 0.8 × 6 = 4.8 → 17.3.
    // 基本指标 43.9157. 扩展指标: declares 优质教育 (0.9 + 1.5 + 1 = 3.4), 公共安全
    // (0.45 + 1.2 + 1 = 2.65), 家庭服务 (1.2 + 1.5 + 0.8 = 3.5): 9.55 of 12, rescaled
    // to 36 → 28.65. Total 72.5657 → 72.57.
    let u = unit(&r, "C01");
    assert_eq!(n(node(u, "基本指标/惠民保障").score), "13");
    assert_eq!(n(node(u, "基本指标/信息共享").score), "13.62");
    assert_eq!(n(node(u, "基本指标/综合成效").score), "17.3");
    assert_eq!(n(node(u, "扩展指标").score), "28.65");
    assert_eq!(n(node(u, "扩展指标/优质教育").max), "12");
    assert_eq!(
        node(u, "扩展指标/社会保障").status,
        zhibiao::eval::Status::NotApplicable
    );
    assert_eq!(n(u.score.unwrap()), "72.57");
}

#[test]
fn the_city_policy_adds_a_domain_and_keeps_the_total() {
    let city = compile(XH_CITY);
    assert_eq!(city.total.to_string(), "100");
    let node = |path: &str| city.nodes.iter().find(|n| n.path == path).unwrap();
    assert_eq!(node("扩展指标").points.to_string(), "40");
    assert_eq!(node("基本指标").points.to_string(), "60");
    assert!(node("扩展指标/政务服务").when.is_some());
    let r = report(XH_CITY, "examples/xinxi-huimin/shenzhen-districts.csv");
    let declared = r
        .units
        .iter()
        .filter(|u| node_status(u, "扩展指标/政务服务"))
        .count();
    assert!(declared > 0, "some district declares 政务服务");
}

fn node_status(u: &UnitReport, path: &str) -> bool {
    node(u, path).status == zhibiao::eval::Status::Scored
}
