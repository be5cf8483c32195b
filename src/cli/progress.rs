//! A progress bar on standard error for what takes longer than a moment
//! (reading, scoring, writing many units): drawn only when standard error
//! is a terminal (never into a pipe, a file or a CI log), and only once the
//! run has taken half a second, so quick runs print nothing.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a run goes before bars appear.
const MOMENT: Duration = Duration::from_millis(500);

/// When the first step started.
static STARTED: OnceLock<Instant> = OnceLock::new();

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `total` units.
    pub fn new(what: &str, total: usize) -> Progress {
        let style = ProgressStyle::with_template("{msg:>8} [{bar:40}] {pos}/{len} units ({eta})")
            .map(|s| s.progress_chars("=> "));
        Progress::start(what, Some(total), style)
    }

    /// A spinner, for a step whose size is not known in advance.
    pub fn spinner(what: &str) -> Progress {
        let style = ProgressStyle::with_template("{msg:>8} {spinner} {elapsed}");
        Progress::start(what, None, style)
    }

    fn start(
        what: &str,
        total: Option<usize>,
        style: Result<ProgressStyle, indicatif::style::TemplateError>,
    ) -> Progress {
        let shown = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if !shown {
            return Progress { bar: None };
        }
        let bar =
            ProgressBar::with_draw_target(total.map(|t| t as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(100));
        let later = bar.clone();
        let started = *STARTED.get_or_init(Instant::now);
        std::thread::spawn(move || {
            std::thread::sleep(MOMENT.saturating_sub(started.elapsed()));
            if !later.is_finished() {
                later.set_draw_target(ProgressDrawTarget::stderr());
            }
        });
        Progress { bar: Some(bar) }
    }

    /// `n` more units done.
    pub fn advance(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
