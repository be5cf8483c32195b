//! Funding that follows the evaluation (seed 001's 比例法 and 级差法): the
//! parts add up to the pool to the cent, caps pass the rest on, and the last
//! cents go by the largest remainder. Every expected amount is worked out by
//! hand in the comments.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/run.rs"]
mod run;

use run::{stderr, stdout, temp_dir, zhibiao};

/// Each unit's funding, by id, from `eval --format csv`.
fn funding(policy: &str, data: &str) -> (Vec<(String, String)>, String) {
    let o = zhibiao(&["eval", policy, "--data", data, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "运维经费").unwrap();
    let rows = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_string(), cells[at].to_string())
        })
        .collect();
    (rows, stderr(&o))
}

fn cents(amount: &str) -> i64 {
    let (yuan, cents) = amount.split_once('.').unwrap();
    yuan.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

/// The province's policy on its example data. Claims are 建设投资 × the
/// grade's factor: D01 18M × 1.2 = 21.6M, D02 42M × 1.2 = 50.4M, D03 25M × 0.8
/// = 20M, D04 30M × 0.8 = 24M, D05 and D06 (不合格) 0; 116M in all. D02's part,
/// 5M × 50.4 / 116 = 2,172,413.79, is above the cap: it gets 1.8M, and the
/// other 3.2M go by 21.6 : 20 : 24 — D01 1,053,658.536…, D03 975,609.756…, D04
/// 1,170,731.707…. Rounded down they are 3,199,999.98; the two cents left go
/// to the largest fractions of a cent, D04 (.707) and D01 (.536).
#[test]
fn the_province_shares_its_pool_to_the_cent() {
    let (rows, _) = funding(
        "policies/province-it/2024.zb",
        "examples/province-it/units.csv",
    );
    let expected = [
        ("D01", "1053658.54"),
        ("D02", "1800000.00"),
        ("D03", "975609.75"),
        ("D04", "1170731.71"),
        ("D05", "0.00"),
        ("D06", "0.00"),
    ];
    let got: Vec<(&str, &str)> = rows.iter().map(|(u, f)| (u.as_str(), f.as_str())).collect();
    assert_eq!(got, expected);
    let total: i64 = rows.iter().map(|(_, f)| cents(f)).sum();
    assert_eq!(total, 5_000_000 * 100);
}

const HEADER: &str = "policy \"经费\" {\n  total 10\n  precision 2 half_up\n}\ninput 完成率: percent\ninput 规模: number\ncategory 甲 10 {\n  item 完成 10 score 完成率\n}\n";

fn run_case(name: &str, funding: &str, data: &str) -> (Vec<(String, String)>, String) {
    let dir = temp_dir(name);
    let policy = dir.join("p.zb");
    std::fs::write(&policy, format!("{HEADER}{funding}")).unwrap();
    let csv = dir.join("u.csv");
    std::fs::write(&csv, data).unwrap();
    let out = funding_of(&policy, &csv);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn funding_of(policy: &std::path::Path, csv: &std::path::Path) -> (Vec<(String, String)>, String) {
    funding(policy.to_str().unwrap(), csv.to_str().unwrap())
}

/// 100 yuan in three equal parts: 33.333… each, 99.99 rounded down; the cent
/// left goes to the largest fraction (all equal), then the better rank: B
/// (score 9) before A and C (8, tied; A first in the data would come next).
#[test]
fn the_last_cent_goes_to_the_largest_remainder_then_the_better_rank() {
    let data = "id,完成率,规模\nA,80%,1\nB,90%,1\nC,80%,1\n";
    let (rows, _) = run_case("funding-thirds", "funding 运维经费 100 { }\n", data);
    let got: Vec<&str> = rows.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(got, ["33.33", "33.34", "33.33"]);
}

/// 1000 by 规模 1 : 1 : 2 is 250, 250, 500; C is capped at 400 and its 100
/// goes to A and B, 300 each. With a cap of 100 every unit is at it and 700
/// is left, which `eval` says.
#[test]
fn a_cap_passes_the_rest_on_and_what_no_one_can_take_is_said() {
    let data = "id,完成率,规模\nA,80%,1\nB,90%,1\nC,70%,2\n";
    let shares = "funding 运维经费 1000 {\n  share 规模\n  cap 400\n}\n";
    let (rows, _) = run_case("funding-cap", shares, data);
    let got: Vec<&str> = rows.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(got, ["300.00", "300.00", "400.00"]);
    let tight = "funding 运维经费 1000 {\n  share 规模\n  cap 100\n}\n";
    let (rows, err) = run_case("funding-all-capped", tight, data);
    let got: Vec<&str> = rows.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(got, ["100.00", "100.00", "100.00"]);
    assert!(err.contains("700.00 yuan of 运维经费 is left"), "{err}");
}
