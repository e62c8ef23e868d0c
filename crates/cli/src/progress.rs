//! Progress on stderr: a bar on a terminal, a line every few seconds elsewhere, nothing with
//! `--quiet`.

use super::*;
use std::sync::RwLock;

/// Seconds between two progress lines when stderr is not a terminal (a log, a batch job's output):
/// often enough to show a long run is alive, rarely enough not to fill the log. The environment
/// variable `RAZVILKA_PROGRESS_EVERY` (seconds) changes it.
const PROGRESS_LINE_EVERY: Duration = Duration::from_secs(5);

/// The interval between progress lines: `RAZVILKA_PROGRESS_EVERY` seconds if set, else 5.
fn progress_interval() -> Duration {
    let Ok(text) = std::env::var("RAZVILKA_PROGRESS_EVERY") else {
        return PROGRESS_LINE_EVERY;
    };
    match text.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && (0.0..=86_400.0).contains(&seconds) => {
            Duration::from_secs_f64(seconds)
        }
        _ => {
            note(&format!(
                "warning: RAZVILKA_PROGRESS_EVERY=`{text}` is not a number of seconds from 0 to 86400; using {}",
                PROGRESS_LINE_EVERY.as_secs()
            ));
            PROGRESS_LINE_EVERY
        }
    }
}

/// Progress of a long piece of work on stderr: a bar on a terminal, and elsewhere a line every
/// [`progress_interval`] once the work has run that long (so short runs print nothing); nothing
/// with `--quiet`.
pub(crate) enum Progress {
    Bar(ProgressBar),
    Lines(ProgressLines),
    Hidden,
}

pub(crate) struct ProgressLines {
    label: String,
    total: u64,
    done: AtomicU64,
    start: Instant,
    every: Duration,
    /// Milliseconds after `start` when the next line is due.
    next_line_ms: AtomicU64,
}

pub(crate) fn progress_bar(runs: u64, label: &str, quiet: bool) -> Progress {
    if quiet {
        return Progress::Hidden;
    }
    if !std::io::stderr().is_terminal() {
        let every = progress_interval();
        return Progress::Lines(ProgressLines {
            label: label.to_string(),
            total: runs,
            done: AtomicU64::new(0),
            start: Instant::now(),
            every,
            next_line_ms: AtomicU64::new(every.as_millis() as u64),
        });
    }
    if runs < 500 {
        return Progress::Hidden;
    }
    let bar = ProgressBar::new(runs);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} worlds, {eta} left")
            .expect("valid template"),
    );
    bar.set_message(label.to_string());
    Progress::Bar(bar)
}

impl Progress {
    /// `n` more units done (called from the worker threads).
    pub(crate) fn inc(&self, n: u64) {
        match self {
            Progress::Bar(bar) => bar.inc(n),
            Progress::Lines(lines) => lines.inc(n),
            Progress::Hidden => {}
        }
    }

    pub(crate) fn finish_and_clear(&self) {
        match self {
            Progress::Bar(bar) => bar.finish_and_clear(),
            Progress::Lines(lines) => lines.finish(),
            Progress::Hidden => {}
        }
    }
}

impl ProgressLines {
    pub(crate) fn inc(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        let now = self.start.elapsed().as_millis() as u64;
        let due = self.next_line_ms.load(Ordering::Relaxed);
        // One thread wins the line that is due; the others see the next deadline.
        if now >= due
            && self
                .next_line_ms
                .compare_exchange(
                    due,
                    now + self.every.as_millis() as u64,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_ok()
        {
            let left = (now as f64 / done.max(1) as f64) * self.total.saturating_sub(done) as f64;
            note(&format!(
                "{}: {done}/{} ({:.0}%), {} elapsed, about {} left",
                self.label,
                self.total,
                100.0 * done as f64 / self.total.max(1) as f64,
                clock(now),
                clock(left as u64),
            ));
        }
    }

    /// A closing line, if any line was printed (a run that took less time says nothing).
    fn finish(&self) {
        let now = self.start.elapsed();
        if now >= self.every {
            note(&format!(
                "{}: {}/{} done in {}",
                self.label,
                self.done.load(Ordering::Relaxed),
                self.total,
                clock(now.as_millis() as u64)
            ));
        }
    }
}

/// A duration in milliseconds as `1h02m`, `3m05s` or `42s`.
fn clock(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s / 60) % 60),
    }
}

/// The progress of an application use case, stage by stage (the validation runs two ensembles), each
/// stage shown as [`progress_bar`] shows one piece of work.
pub(crate) struct Stages {
    quiet: bool,
    current: RwLock<Progress>,
}

impl Stages {
    pub(crate) fn new(quiet: bool) -> Stages {
        Stages {
            quiet,
            current: RwLock::new(Progress::Hidden),
        }
    }
}

impl razvilka_app::Progress for Stages {
    fn begin(&self, label: &str, total: u64) {
        if let Ok(mut current) = self.current.write() {
            *current = progress_bar(total, label, self.quiet);
        }
    }

    fn tick(&self) {
        if let Ok(current) = self.current.read() {
            current.inc(1);
        }
    }

    fn end(&self) {
        if let Ok(current) = self.current.read() {
            current.finish_and_clear();
        }
    }
}
