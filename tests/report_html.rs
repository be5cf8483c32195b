//! The HTML report, as a leader's browser shows it: headless Chromium loads
//! the file, and the test reads the page it built (the summary, the ranking,
//! the charts), its console (nothing logged), and its print (A4, a page per
//! section). A screenshot is left in `target/tmp/report-heihe.png` for review.
//! `.ci/run` installs Chromium; without it the browser checks are skipped
//! unless `ZHIBIAO_REQUIRE_CHROMIUM` is set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/run.rs"]
mod run;

use run::{stderr, temp_dir, zhibiao};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const POLICY: &str = "policies/heihe/2023.zb";
const DATA: &str = "examples/heihe/units.csv";

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
        let o = Command::new("which").arg(name).output().ok()?;
        o.status
            .success()
            .then(|| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
    });
    if found.is_none() {
        assert!(
            std::env::var_os("ZHIBIAO_REQUIRE_CHROMIUM").is_none(),
            "Chromium is required (ZHIBIAO_REQUIRE_CHROMIUM) but not installed"
        );
        eprintln!("skipped: Chromium is not installed");
    }
    found
}

/// Headless Chromium on `page` with `args`, as the machine's notes say to
/// start it (no network of its own, a fresh profile).
fn browse(browser: &Path, dir: &Path, page: &Path, args: &[&str]) -> Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

/// Messages the page logged on its console.
fn console(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(String::from)
        .collect()
}

/// The page `command` (its subcommand and policy) writes to `page` for the
/// example data; it must succeed.
fn html(command: &[&str], page: &Path) -> String {
    let mut args = command.to_vec();
    args.extend([
        "--data",
        DATA,
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    let o = zhibiao(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::read_to_string(page).unwrap()
}

#[test]
fn the_report_is_one_file_a_browser_shows_and_prints() {
    let dir = temp_dir("report");
    let page = dir.join("report.html");
    let html = html(&["eval", POLICY], &page);
    // Self-contained: no script, no style sheet or image from elsewhere.
    for outside in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    // The same policy and data give the same report, byte for byte.
    let again = dir.join("again.html");
    assert_eq!(self::html(&["eval", POLICY], &again), html);

    let Some(browser) = chromium() else { return };
    let shown = browse(&browser, &dir, &page, &["--dump-dom"]);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let dom = String::from_utf8_lossy(&shown.stdout);
    // The summary and the ranking, against the CSV `eval` writes: the units,
    // their mean (worked out here in cents, half up), the first ranked.
    let csv = run::stdout(&zhibiao(&[
        "eval", POLICY, "--data", DATA, "--format", "csv",
    ]));
    let rows: Vec<Vec<&str>> = (csv.lines().skip(1))
        .map(|l| l.split(',').collect())
        .collect();
    let cents = |score: &str| -> i64 { score.replace('.', "").parse().unwrap() };
    let total: i64 = rows.iter().map(|r| cents(r[3])).sum();
    let n = rows.len() as i64;
    let mean = (2 * total + n) / (2 * n);
    let mean = format!("{}.{:02}", mean / 100, mean % 100);
    let first = rows.iter().find(|r| r[9] == "1").unwrap();
    assert!(dom.contains(&format!(r#"id="units">{n}<"#)), "{dom}");
    assert!(dom.contains(&format!(r#"id="mean">{mean}<"#)), "{mean}");
    let ranking = dom.split("<tbody>").nth(1).unwrap();
    let top = format!(r#"<tr data-unit="{}"><td>1</td>"#, first[0]);
    assert!(ranking.trim_start().starts_with(&top), "{ranking}");
    assert!(dom.contains(&format!(r#"<td class="score">{}</td>"#, first[3])));
    // A bar per unit in the stacked chart, a profile per unit, a heat-map row per unit.
    let stacked = dom.split(r#"class="chart stacked""#).nth(1).unwrap();
    let stacked = &stacked[..stacked.find("</svg>").unwrap()];
    assert_eq!(stacked.matches("class=\"value\"").count(), 20);
    assert_eq!(dom.matches(r#"<div class="profile""#).count(), 20);
    let heat = dom.split(r#"<table class="heat">"#).nth(1).unwrap();
    assert_eq!(
        heat.split("</table>")
            .next()
            .unwrap()
            .matches("<tr data-unit")
            .count(),
        20
    );
    // The veto of HH05 and the deductions, among the notes.
    let notes = dom.split(r#"id="notes""#).nth(1).unwrap();
    assert!(notes.contains("重大网络安全事件"), "{notes}");
    assert!(console(&shown).is_empty(), "{:?}", console(&shown));

    // The console check sees what a page logs.
    let noisy = dir.join("noisy.html");
    std::fs::write(
        &noisy,
        "<html><body><script>console.error('boom')</script></body></html>",
    )
    .unwrap();
    let logged = console(&browse(&browser, &dir, &noisy, &["--dump-dom"]));
    assert!(logged.iter().any(|l| l.contains("boom")), "{logged:?}");

    // Printed on A4: the summary and a page for each of the five sections after it.
    let pdf = dir.join("report.pdf");
    let printed = browse(
        &browser,
        &dir,
        &page,
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
    );
    assert!(printed.status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    let pages = bytes
        .windows(11)
        .filter(|w| w.starts_with(b"/Type /Page") && w[10] != b's')
        .count();
    assert!(pages >= 6, "{pages} pages");

    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-heihe.png");
    let taken = browse(
        &browser,
        &dir,
        &page,
        &[
            "--hide-scrollbars",
            "--window-size=1280,2400",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    assert!(taken.status.success() && shot.exists());
    eprintln!("screenshot for review: {}", shot.display());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_sensitivity_report_adds_the_robustness_of_the_ranks() {
    let dir = temp_dir("robustness");
    let page = dir.join("robustness.html");
    let html = html(
        &["sensitivity", "policies/heihe/2023-sensitivity.zb"],
        &page,
    );
    assert!(!html.contains("<script"));
    // The whole report, then the section: a row and two bars per choice,
    // a run of ranks per unit, in each kind's chart.
    assert!(html.contains(r#"<section id="ranking">"#));
    let section = html.split(r#"<section id="robustness">"#).nth(1).unwrap();
    assert!(section.contains("共 6000 次重算"), "{section}");
    let table = section.split("<tbody>").nth(1).unwrap();
    let table = &table[..table.find("</tbody>").unwrap()];
    assert_eq!(table.matches("<tr>").count(), 4);
    assert!(table.contains("剔除 安全保障"));
    assert_eq!(section.matches(r#"class="index""#).count(), 8);
    assert_eq!(section.matches("<g data-unit=").count(), 20);
    assert!(section.contains("<h3>县区</h3>") && section.contains("<h3>部门</h3>"));

    let Some(browser) = chromium() else { return };
    let shown = browse(&browser, &dir, &page, &["--dump-dom"]);
    assert!(shown.status.success());
    let dom = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(dom.matches("<g data-unit=").count(), 20);
    assert!(console(&shown).is_empty(), "{:?}", console(&shown));
}
