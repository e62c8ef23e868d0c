//! Bar charts: stacked shares over time, probability bars with whiskers, and range bars.

use super::*;

/// The shares a stacked bar chart draws, for its text alternative: each column's categories with
/// their shares, largest first, leaving out those under half a per cent.
pub(super) fn stacked_alt(chart: &Stacked) -> String {
    let columns: Vec<String> = chart
        .columns
        .iter()
        .filter_map(|(column, weights)| {
            let total: f64 = weights.iter().filter(|w| w.is_finite()).sum();
            if total <= 0.0 {
                return None;
            }
            let mut shares: Vec<(&str, f64)> = chart
                .categories
                .iter()
                .zip(weights)
                .filter(|(_, w)| w.is_finite() && **w / total >= 0.005)
                .map(|(c, w)| (c.label.as_str(), w / total))
                .collect();
            shares.sort_by(|a, b| b.1.total_cmp(&a.1));
            let words: Vec<String> = shares
                .iter()
                .map(|(label, share)| format!("{label} {}", percent(*share)))
                .collect();
            Some(format!("{column}: {}", words.join(", ")))
        })
        .collect();
    match (chart.title.is_empty(), columns.is_empty()) {
        (_, true) => format!("{}: no data", chart.title),
        (true, false) => columns.join("; "),
        (false, false) => format!("{}. {}", chart.title, columns.join("; ")),
    }
}

/// One row of a range chart: a label, the two ends of its bar and a tick (e.g. the value at the
/// defaults, or a first-order index).
#[derive(Clone, Debug, Default)]
pub struct RangeRow {
    pub label: String,
    pub low: f64,
    pub high: f64,
    pub tick: f64,
}

/// A row's height in a range chart: the label on its own line above a full-width bar, so that long
/// assumption keys fit and the text stays legible when a phone shrinks the chart (its style sets chart
/// text to 19 units there, which a 560-unit chart on a 360-px screen draws at about 12 px).
pub(super) const RANGE_ROW: f64 = 44.0;

/// Horizontal range bars over a shared axis `[low, high]` (a tornado; Sobol' indices), as one `<svg>`:
/// bars are `<rect class="bar">`, ticks `<line class="tick">`. The text alternative carries every
/// row's range and tick.
pub fn range_bars(title: &str, rows: &[RangeRow], axis: (f64, f64)) -> String {
    let (left, right) = (8.0, WIDTH - 12.0);
    let top = 34.0;
    let height = top + rows.len().max(1) as f64 * RANGE_ROW + 28.0;
    let (min, max) = axis;
    let span = if max > min { max - min } else { 1.0 };
    let x = |v: f64| left + ((v - min) / span).clamp(0.0, 1.0) * (right - left);
    let numbers: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} to {} (tick {})",
                r.label,
                spoken(r.low),
                spoken(r.high),
                spoken(r.tick)
            )
        })
        .collect();
    let alt = if numbers.is_empty() {
        format!("{title}: no data")
    } else {
        format!("{title}. {}", numbers.join("; "))
    };
    let mut out = String::new();
    open_svg_described(&mut out, height, title, &alt, "range");
    if rows.is_empty() {
        no_data(&mut out, (left + right) / 2.0, top + RANGE_ROW / 2.0);
    }
    for (i, r) in rows.iter().enumerate() {
        let label_y = top + i as f64 * RANGE_ROW + 18.0;
        let bar_y = label_y + 8.0;
        let (a, b) = (x(r.low.min(r.high)), x(r.low.max(r.high)));
        let _ = write!(
            out,
            r##"<text x="{left}" y="{label_y:.1}" fill="#1d1d1f">{}</text><rect class="bar" x="{a:.1}" y="{bar_y:.1}" width="{:.1}" height="12" fill="#8b1e1e" opacity="0.75"><title>{}: {} to {}</title></rect><line class="tick" x1="{m:.1}" x2="{m:.1}" y1="{:.1}" y2="{:.1}" stroke="#1d1d1f" stroke-width="2"/>"##,
            escape(&r.label),
            (b - a).max(1.0),
            escape(&r.label),
            spoken(r.low),
            spoken(r.high),
            bar_y - 3.0,
            bar_y + 15.0,
            m = x(r.tick)
        );
    }
    let axis_y = height - 8.0;
    let _ = write!(
        out,
        r##"<text x="{left}" y="{axis_y:.1}" fill="#555">{}</text><text x="{right}" y="{axis_y:.1}" text-anchor="end" fill="#555">{}</text></svg>"##,
        spoken(min),
        spoken(max)
    );
    out
}

/// A category of a stacked bar chart.
#[derive(Clone, Debug, Default)]
pub struct Category {
    pub label: String,
    /// A CSS colour; empty picks one from [`PALETTE`].
    pub colour: String,
}

/// Stacked bars: for each column (a year), the shares of each category, stacked to the full height.
#[derive(Clone, Debug, Default)]
pub struct Stacked {
    pub title: String,
    /// Bottom to top.
    pub categories: Vec<Category>,
    /// (column label, one weight per category). Weights are normalised per column, so counts or
    /// shares both work; a column of zeros is left empty.
    pub columns: Vec<(String, Vec<f64>)>,
    /// Draw the legend (small multiples may share one drawn elsewhere).
    pub legend: bool,
    /// Chart height without the legend.
    pub height: f64,
}

/// The plot's left, right and top edges in a stacked bar chart; the bottom depends on its height.
pub const STACKED_PLOT: (f64, f64, f64) = (44.0, 550.0, 34.0);

/// Stacked bars as one `<svg>` element. Each segment is a `<rect class="bar">` carrying
/// `data-column`, with its category and share in a `<title>` tooltip.
pub fn stacked_bars(chart: &Stacked) -> String {
    let (left, right, top) = STACKED_PLOT;
    let height = if chart.height > 0.0 {
        chart.height
    } else {
        260.0
    };
    let bottom = height - 26.0;
    // The legend's rows are known only once laid out; lay it out into a scratch buffer first.
    let mut legend_svg = String::new();
    let entries: Vec<(String, String, &str)> = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.label.clone(), series_colour(&c.colour, i), "box"))
        .collect();
    let rows = if chart.legend {
        legend(&mut legend_svg, &entries, left, height + 12.0, right)
    } else {
        0
    };
    let total_height = height + rows as f64 * 17.0 + if rows > 0 { 6.0 } else { 0.0 };
    let mut out = String::new();
    open_svg_described(
        &mut out,
        total_height,
        &chart.title,
        &stacked_alt(chart),
        "stacked",
    );
    for share in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let yy = bottom - share * (bottom - top);
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{yy:.2}" x2="{right}" y2="{yy:.2}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{:.0}%</text>"##,
            left - 6.0,
            yy + 4.0,
            share * 100.0
        );
    }
    if chart.columns.is_empty() {
        no_data(&mut out, (left + right) / 2.0, (top + bottom) / 2.0);
    }
    let n = chart.columns.len().max(1) as f64;
    let slot = (right - left) / n;
    let width = (slot * 0.82).max(1.0);
    let label_every = ((n * 34.0 / (right - left)).ceil() as usize).max(1);
    for (c, (label, weights)) in chart.columns.iter().enumerate() {
        let xx = left + slot * c as f64 + (slot - width) / 2.0;
        let total: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
        let mut base = bottom;
        if total > 0.0 {
            for (k, w) in weights.iter().enumerate() {
                if !(w.is_finite() && *w > 0.0) {
                    continue;
                }
                let share = w / total;
                let h = share * (bottom - top);
                let category = chart
                    .categories
                    .get(k)
                    .map_or(String::new(), |c| c.label.clone());
                let _ = write!(
                    out,
                    r#"<rect class="bar" data-column="{}" x="{xx:.2}" y="{:.3}" width="{width:.2}" height="{h:.3}" fill="{}"><title>{} — {}: {:.1}%</title></rect>"#,
                    escape(label),
                    base - h,
                    series_colour(chart.categories.get(k).map_or("", |c| c.colour.as_str()), k),
                    escape(label),
                    escape(&category),
                    share * 100.0
                );
                base -= h;
            }
        }
        if c % label_every == 0 {
            let _ = write!(
                out,
                r##"<text x="{:.2}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
                xx + width / 2.0,
                bottom + 16.0,
                escape(label)
            );
        }
    }
    out.push_str(&legend_svg);
    out.push_str("</svg>");
    out
}

/// One horizontal bar: a probability (0–1) and its 95% interval.
#[derive(Clone, Debug, Default)]
pub struct ProbabilityBar {
    pub label: String,
    pub value: f64,
    pub interval: [f64; 2],
}

pub(super) const BAR_ROW: f64 = 24.0;
/// Where the bars start and end along the x axis (0% and 100%).
pub const BAR_PLOT: (f64, f64) = (166.0, 446.0);

pub(super) fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// Horizontal probability bars, 0 to 100%, with whiskers for the 95% intervals, as one `<svg>`
/// element. Bars are `<rect class="bar">`, whiskers `<line class="whisker">`.
pub fn probability_bars(title: &str, bars: &[ProbabilityBar], colour: &str) -> String {
    let (left, right) = BAR_PLOT;
    let top = if title.is_empty() { 12.0 } else { 34.0 };
    let rows = bars.len().max(1) as f64;
    let bottom = top + rows * BAR_ROW;
    let height = bottom + 26.0;
    let colour = if colour.is_empty() {
        PALETTE[0]
    } else {
        colour
    };
    let mut out = String::new();
    // The text alternative carries every bar's share and interval.
    let numbers: Vec<String> = bars
        .iter()
        .map(|b| {
            format!(
                "{} {} ({}–{})",
                b.label,
                percent(b.value),
                percent(b.interval[0]),
                percent(b.interval[1])
            )
        })
        .collect();
    let alt = match (title.is_empty(), numbers.is_empty()) {
        (_, true) => title.to_string(),
        (true, false) => numbers.join("; "),
        (false, false) => format!("{title}: {}", numbers.join("; ")),
    };
    open_svg_described(&mut out, height, title, &alt, "bars");
    let x = |p: f64| left + p.clamp(0.0, 1.0) * (right - left);
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let xx = x(tick);
        let _ = write!(
            out,
            r##"<line x1="{xx:.2}" y1="{:.1}" x2="{xx:.2}" y2="{bottom:.1}" stroke="{}"/><text x="{xx:.2}" y="{:.1}" text-anchor="middle" fill="#555">{:.0}%</text>"##,
            top - 4.0,
            if tick == 0.0 { "#999" } else { "#e4e4e4" },
            bottom + 16.0,
            tick * 100.0
        );
    }
    if bars.is_empty() {
        no_data(&mut out, (left + right) / 2.0, top + BAR_ROW / 2.0 + 4.0);
    }
    for (i, b) in bars.iter().enumerate() {
        let yy = top + i as f64 * BAR_ROW;
        let mid = yy + BAR_ROW / 2.0;
        let value = if b.value.is_finite() { b.value } else { 0.0 };
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#1d1d1f">{}<title>{}</title></text>"##,
            left - 8.0,
            mid + 4.0,
            escape(&shorten(&b.label, 22)),
            escape(&b.label)
        );
        let _ = write!(
            out,
            r#"<rect class="bar" x="{left}" y="{:.1}" width="{:.2}" height="{:.1}" fill="{colour}" rx="2"><title>{}: {:.1}% (95% interval {:.1}–{:.1}%)</title></rect>"#,
            yy + 5.0,
            x(value) - left,
            BAR_ROW - 10.0,
            escape(&b.label),
            value * 100.0,
            b.interval[0] * 100.0,
            b.interval[1] * 100.0
        );
        let (lo, hi) = (x(b.interval[0]), x(b.interval[1]));
        let _ = write!(
            out,
            r##"<line class="whisker" x1="{lo:.2}" y1="{mid:.1}" x2="{hi:.2}" y2="{mid:.1}" stroke="#1d1d1f" stroke-width="1.2"/><line x1="{lo:.2}" y1="{:.1}" x2="{lo:.2}" y2="{:.1}" stroke="#1d1d1f" stroke-width="1.2"/><line x1="{hi:.2}" y1="{:.1}" x2="{hi:.2}" y2="{:.1}" stroke="#1d1d1f" stroke-width="1.2"/>"##,
            mid - 4.0,
            mid + 4.0,
            mid - 4.0,
            mid + 4.0
        );
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" fill="#1d1d1f"><tspan font-weight="600">{}</tspan><tspan fill="#666" font-size="11"> {}–{}</tspan></text>"##,
            right + 10.0,
            mid + 4.0,
            percent(value),
            percent_bare(b.interval[0]),
            percent_bare(b.interval[1])
        );
    }
    out.push_str("</svg>");
    out
}
