//! Charts as SVG text: fan charts of yearly bands, stacked bars of shares over time, and horizontal
//! probability bars with interval whiskers.
//!
//! Each function takes plain numbers and labels and returns one self-contained `<svg>` element (no
//! script, no external reference), so any page can inline it: the HTML report does, and a web page can.
//! Every label is XML-escaped, since names come from data files. Charts scale with their container
//! (they carry a `viewBox`) and read their font from the page, falling back to a sans-serif.

use std::fmt::Write;

/// Escapes text for XML and HTML: `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Colour-blind-safe colours (Okabe and Ito), for series without a colour of their own.
pub const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c6d31", "#555555",
];

/// The width of every chart's coordinate system; charts scale to their container.
pub const WIDTH: f64 = 560.0;

/// The plot area of a fan chart, in chart coordinates: left, right, top, bottom.
pub const FAN_PLOT: (f64, f64, f64, f64) = (56.0, 530.0, 44.0, 272.0);
const FAN_HEIGHT: f64 = 302.0;

/// One year of a fan: its 5th, 50th and 95th percentiles. Non-finite values leave a gap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FanPoint {
    pub year: f64,
    pub low: f64,
    pub median: f64,
    pub high: f64,
}

/// One band and median line of a fan chart.
#[derive(Clone, Debug, Default)]
pub struct FanSeries {
    pub label: String,
    /// A CSS colour; empty picks one from [`PALETTE`].
    pub colour: String,
    pub points: Vec<FanPoint>,
}

/// A fan chart: yearly 5–95% bands with their medians, on axes with ticks.
#[derive(Clone, Debug, Default)]
pub struct Fan {
    pub title: String,
    /// The y axis's unit, written above it ("million tonnes", "1928 = 100").
    pub unit: String,
    pub series: Vec<FanSeries>,
    /// Recorded (year, value) points drawn over the bands, and their legend label.
    pub recorded: Vec<(f64, f64)>,
    pub recorded_label: String,
    /// A dashed vertical line at this year with its label (e.g. the divergence).
    pub marker: Option<(f64, String)>,
}

/// Ticks at 1, 2 or 5 times a power of ten covering `[low, high]`: (first, step, count).
fn nice_ticks(low: f64, high: f64, target: usize) -> (f64, f64, usize) {
    let span = (high - low).abs().max(1e-9);
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).floor() * step;
    let last = (high / step).ceil() * step;
    let count = ((last - first) / step).round() as usize + 1;
    (first, step, count)
}

/// A tick label: as many decimals as the step needs, thousands separated by a thin space.
fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let text = format!("{:.*}", decimals, if value == 0.0 { 0.0 } else { value });
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("−", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    if whole.len() > 4 {
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
    } else {
        grouped.push_str(whole);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

fn open_svg(out: &mut String, height: f64, title: &str, class: &str) {
    open_svg_described(out, height, title, title, class);
}

/// Opens a chart whose text alternative (`alt`, read by screen readers and shown on hover) may say
/// more than its visible `title`: the numbers the chart draws.
fn open_svg_described(out: &mut String, height: f64, title: &str, alt: &str, class: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{t}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" font-size="13"><title>{t}</title>"#,
        t = escape(alt)
    );
    if !title.is_empty() {
        let _ = write!(
            out,
            r##"<text x="8" y="20" font-size="15" font-weight="600" fill="#1d1d1f">{}</text>"##,
            escape(title)
        );
    }
}

/// Legend entries laid out left to right from `x`, wrapping before `right`; returns the rows used.
/// Each entry is (label, colour, kind: "box" | "line" | "dot").
fn legend(
    out: &mut String,
    entries: &[(String, String, &str)],
    x: f64,
    y: f64,
    right: f64,
) -> usize {
    if entries.is_empty() {
        return 0;
    }
    let (mut cx, mut cy, mut rows) = (x, y, 1);
    for (label, colour, kind) in entries {
        let width = 22.0 + 7.0 * label.chars().count() as f64 + 14.0;
        if cx + width > right && cx > x {
            cx = x;
            cy += 17.0;
            rows += 1;
        }
        match *kind {
            "line" => {
                let _ = write!(
                    out,
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2.5"/>"#,
                    cx,
                    cy - 4.0,
                    cx + 16.0,
                    cy - 4.0
                );
            }
            "dot" => {
                let _ = write!(
                    out,
                    r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}" stroke="#fff" stroke-width="1"/>"##,
                    cx + 8.0,
                    cy - 4.0
                );
            }
            _ => {
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{:.1}" width="12" height="12" rx="2" fill="{colour}"/>"#,
                    cx + 2.0,
                    cy - 10.0
                );
            }
        }
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" fill="#333">{}</text>"##,
            cx + 22.0,
            cy,
            escape(label)
        );
        cx += width;
    }
    rows
}

fn no_data(out: &mut String, x: f64, y: f64) {
    let _ = write!(
        out,
        r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" fill="#777" font-style="italic">no data</text>"##
    );
}

/// Year ticks: every year for short spans, else every second or fifth year.
fn year_step(span: f64) -> f64 {
    if span <= 8.0 {
        1.0
    } else if span <= 24.0 {
        2.0
    } else {
        5.0
    }
}

/// A fan chart as one `<svg>` element. The medians are `<path class="median">`, the bands
/// `<path class="band">`, recorded points `<circle class="recorded">`.
pub fn fan_chart(fan: &Fan) -> String {
    let (left, right, top, bottom) = FAN_PLOT;
    // The legend goes under the x axis; lay it out first, since it sets the chart's height.
    let mut entries: Vec<(String, String, &str)> = Vec::new();
    if fan.series.len() > 1 || !fan.recorded.is_empty() {
        for (i, s) in fan.series.iter().enumerate() {
            let label = if s.label.is_empty() {
                "median"
            } else {
                s.label.as_str()
            };
            entries.push((label.to_string(), series_colour(&s.colour, i), "line"));
        }
    }
    if !fan.recorded.is_empty() {
        let label = if fan.recorded_label.is_empty() {
            "recorded"
        } else {
            fan.recorded_label.as_str()
        };
        entries.push((label.to_string(), "#1d1d1f".to_string(), "dot"));
    }
    let mut legend_svg = String::new();
    let rows = legend(&mut legend_svg, &entries, left, FAN_HEIGHT + 4.0, right);
    let mut out = String::new();
    open_svg_described(
        &mut out,
        FAN_HEIGHT + 17.0 * rows as f64,
        &fan.title,
        &fan_alt(fan),
        "fan",
    );
    let finite = |p: &FanPoint| p.year.is_finite() && p.median.is_finite();
    let points = || {
        fan.series
            .iter()
            .flat_map(|s| s.points.iter().filter(|p| finite(p)))
    };
    let years: Vec<f64> = points()
        .map(|p| p.year)
        .chain(fan.recorded.iter().map(|r| r.0))
        .filter(|y| y.is_finite())
        .collect();
    let values: Vec<f64> = points()
        .flat_map(|p| [p.low, p.median, p.high])
        .chain(fan.recorded.iter().map(|r| r.1))
        .filter(|v| v.is_finite())
        .collect();
    if years.is_empty() || values.is_empty() {
        no_data(&mut out, (left + right) / 2.0, (top + bottom) / 2.0);
        out.push_str("</svg>");
        return out;
    }
    let (x0, x1) = (
        years.iter().copied().fold(f64::INFINITY, f64::min),
        years.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    // Zero is always on the axis: a band drawn from zero shows proportion honestly.
    let (lo, hi) = (
        values.iter().copied().fold(0.0, f64::min),
        values.iter().copied().fold(0.0, f64::max),
    );
    let (first, step, count) = nice_ticks(lo, if hi > lo { hi } else { lo + 1.0 }, 5);
    let (y0, y1) = (first, first + step * (count - 1) as f64);
    let x = |year: f64| {
        if x1 > x0 {
            left + (year - x0) / (x1 - x0) * (right - left)
        } else {
            (left + right) / 2.0
        }
    };
    let y = |value: f64| bottom - (value - y0) / (y1 - y0) * (bottom - top);

    // Grid and y ticks.
    for i in 0..count {
        let v = y0 + step * i as f64;
        let yy = y(v);
        let colour = if v == 0.0 { "#999" } else { "#e4e4e4" };
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{yy:.2}" x2="{right}" y2="{yy:.2}" stroke="{colour}" stroke-width="1"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            left - 6.0,
            yy + 4.0,
            tick_label(v, step)
        );
    }
    if !fan.unit.is_empty() {
        let _ = write!(
            out,
            r##"<text x="{left}" y="{:.1}" fill="#555" font-size="11">{}</text>"##,
            top - 8.0,
            escape(&fan.unit)
        );
    }
    // X ticks.
    let ystep = year_step(x1 - x0);
    let mut year = (x0 / ystep).ceil() * ystep;
    while year <= x1 + 1e-9 {
        let xx = x(year);
        let _ = write!(
            out,
            r##"<line x1="{xx:.2}" y1="{bottom}" x2="{xx:.2}" y2="{:.1}" stroke="#999"/><text x="{xx:.2}" y="{:.1}" text-anchor="middle" fill="#555">{year:.0}</text>"##,
            bottom + 4.0,
            bottom + 18.0
        );
        year += ystep;
    }
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#999"/>"##
    );
    if let Some((at, label)) = &fan.marker {
        if *at >= x0 && *at <= x1 {
            let xx = x(*at);
            let _ = write!(
                out,
                r##"<line class="marker" x1="{xx:.2}" y1="{top}" x2="{xx:.2}" y2="{bottom}" stroke="#8b1e1e" stroke-dasharray="4 3"/><text x="{:.2}" y="{:.1}" fill="#8b1e1e" font-size="11">{}</text>"##,
                xx + 4.0,
                top + 11.0,
                escape(label)
            );
        }
    }
    // Bands first, then medians on top, each split where a value is missing.
    // Overlapping bands stay readable when lighter.
    let opacity = if fan.series.len() > 1 { 0.12 } else { 0.18 };
    for (i, s) in fan.series.iter().enumerate() {
        let colour = series_colour(&s.colour, i);
        for run in runs(&s.points, |p| {
            finite(p) && p.low.is_finite() && p.high.is_finite()
        }) {
            let mut d = String::new();
            for (k, p) in run.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.2},{:.2} ",
                    if k == 0 { "M" } else { "L" },
                    x(p.year),
                    y(p.high)
                );
            }
            for p in run.iter().rev() {
                let _ = write!(d, "L{:.2},{:.2} ", x(p.year), y(p.low));
            }
            d.push('Z');
            let _ = write!(
                out,
                r#"<path class="band" d="{d}" fill="{colour}" fill-opacity="{opacity}" stroke="{colour}" stroke-opacity="0.5" stroke-width="0.8"/>"#
            );
        }
    }
    for (i, s) in fan.series.iter().enumerate() {
        let colour = series_colour(&s.colour, i);
        for run in runs(&s.points, finite) {
            let mut d = String::new();
            for (k, p) in run.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.2},{:.2} ",
                    if k == 0 { "M" } else { "L" },
                    x(p.year),
                    y(p.median)
                );
            }
            let _ = write!(
                out,
                r#"<path class="median" d="{}" fill="none" stroke="{colour}" stroke-width="2.2" stroke-linejoin="round"/>"#,
                d.trim_end()
            );
            if run.len() == 1 {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.2}" cy="{:.2}" r="2.5" fill="{colour}"/>"#,
                    x(run[0].year),
                    y(run[0].median)
                );
            }
        }
    }
    for (year, value) in fan
        .recorded
        .iter()
        .filter(|r| r.0.is_finite() && r.1.is_finite())
    {
        let _ = write!(
            out,
            r##"<circle class="recorded" cx="{:.2}" cy="{:.2}" r="3.5" fill="#1d1d1f" stroke="#fff" stroke-width="1"><title>{year:.0}: {value}</title></circle>"##,
            x(*year),
            y(*value)
        );
    }
    out.push_str(&legend_svg);
    out.push_str("</svg>");
    out
}

fn series_colour(colour: &str, index: usize) -> String {
    if colour.is_empty() {
        PALETTE[index % PALETTE.len()].to_string()
    } else {
        colour.to_string()
    }
}

/// Maximal runs of consecutive points that pass `keep`.
fn runs(points: &[FanPoint], keep: impl Fn(&FanPoint) -> bool) -> Vec<Vec<FanPoint>> {
    let mut out: Vec<Vec<FanPoint>> = Vec::new();
    let mut current = Vec::new();
    for p in points {
        if keep(p) {
            current.push(*p);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A number in a text alternative: whole numbers from 100 up, one decimal from 10, else two
/// significant digits; "no value" for NaN.
fn spoken(value: f64) -> String {
    if !value.is_finite() {
        "no value".to_string()
    } else if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{}", (value * 100.0).round() / 100.0)
    }
}

/// The numbers a fan chart draws, for its text alternative: for each series the median and 5–95%
/// band at no more than six years (the first, the last and evenly between), then the recorded
/// points. A screen reader hears what a sighted reader sees.
fn fan_alt(fan: &Fan) -> String {
    const MOST: usize = 6;
    let mut parts = Vec::new();
    for (i, s) in fan.series.iter().enumerate() {
        let points: Vec<&FanPoint> = s.points.iter().filter(|p| p.median.is_finite()).collect();
        if points.is_empty() {
            continue;
        }
        let step = points.len().div_ceil(MOST).max(1);
        let mut shown: Vec<&FanPoint> = points.iter().step_by(step).copied().collect();
        if shown.last() != points.last() {
            shown.push(points[points.len() - 1]);
        }
        let label = match (s.label.is_empty(), fan.series.len()) {
            (true, 1) => "median (5–95% of worlds)".to_string(),
            (true, _) => format!("series {}", i + 1),
            (false, _) => format!("{} (median, 5–95% of worlds)", s.label),
        };
        let years: Vec<String> = shown
            .iter()
            .map(|p| {
                format!(
                    "{:.0} {} ({}–{})",
                    p.year,
                    spoken(p.median),
                    spoken(p.low),
                    spoken(p.high)
                )
            })
            .collect();
        parts.push(format!("{label}: {}", years.join(", ")));
    }
    if !fan.recorded.is_empty() {
        let label = if fan.recorded_label.is_empty() {
            "recorded"
        } else {
            fan.recorded_label.as_str()
        };
        let points: Vec<String> = fan
            .recorded
            .iter()
            .map(|(year, value)| format!("{year:.0} {}", spoken(*value)))
            .collect();
        parts.push(format!("{label}: {}", points.join(", ")));
    }
    let head = match (fan.title.is_empty(), fan.unit.is_empty()) {
        (true, true) => String::new(),
        (false, true) => fan.title.clone(),
        (true, false) => fan.unit.clone(),
        (false, false) => format!("{} ({})", fan.title, fan.unit),
    };
    match (head.is_empty(), parts.is_empty()) {
        (_, true) => format!("{head}: no data"),
        (true, false) => parts.join("; "),
        (false, false) => format!("{head}. {}", parts.join("; ")),
    }
}

/// The shares a stacked bar chart draws, for its text alternative: each column's categories with
/// their shares, largest first, leaving out those under half a per cent.
fn stacked_alt(chart: &Stacked) -> String {
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
const RANGE_ROW: f64 = 44.0;

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

const BAR_ROW: f64 = 24.0;
/// Where the bars start and end along the x axis (0% and 100%).
pub const BAR_PLOT: (f64, f64) = (166.0, 446.0);

fn shorten(label: &str, max: usize) -> String {
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

/// A histogram of probability integral transforms (each in 0–1) in `bins` equal bins, with the
/// level a calibrated model would give (a flat line at the expected count) as one `<svg>` element.
/// Bars are `<rect class="pit">`, the expected level `<line class="uniform">`.
pub fn pit_histogram(title: &str, pits: &[f64], bins: usize) -> String {
    let bins = bins.max(1);
    let (left, right, top, bottom) = (56.0, 530.0, 44.0, 232.0);
    let mut out = String::new();
    open_svg(&mut out, bottom + 40.0, title, "pit");
    let finite: Vec<f64> = pits.iter().copied().filter(|p| p.is_finite()).collect();
    if finite.is_empty() {
        no_data(&mut out, (left + right) / 2.0, (top + bottom) / 2.0);
        out.push_str("</svg>");
        return out;
    }
    let mut counts = vec![0usize; bins];
    for p in &finite {
        counts[((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1)] += 1;
    }
    let expected = finite.len() as f64 / bins as f64;
    let top_count = counts.iter().copied().max().unwrap_or(0) as f64;
    let (_, step, ticks) = nice_ticks(0.0, top_count.max(expected).max(1.0), 4);
    let y_max = step * ticks.saturating_sub(1).max(1) as f64;
    let y_max = if y_max < top_count.max(expected) {
        y_max + step
    } else {
        y_max
    };
    let y = |c: f64| bottom - c / y_max * (bottom - top);
    let mut tick = 0.0;
    while tick <= y_max + 1e-9 {
        let yy = y(tick);
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{yy:.2}" x2="{right}" y2="{yy:.2}" stroke="{}"/><text x="{:.1}" y="{:.2}" text-anchor="end" fill="#555">{}</text>"##,
            if tick == 0.0 { "#999" } else { "#e4e4e4" },
            left - 6.0,
            yy + 4.0,
            tick
        );
        tick += step;
    }
    let width = (right - left) / bins as f64;
    for (i, c) in counts.iter().enumerate() {
        let x = left + i as f64 * width;
        let _ = write!(
            out,
            r#"<rect class="pit" x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{}"><title>PIT {:.1}–{:.1}: {c} of {} recorded values</title></rect>"#,
            x + 1.0,
            y(*c as f64),
            width - 2.0,
            bottom - y(*c as f64),
            PALETTE[0],
            i as f64 / bins as f64,
            (i + 1) as f64 / bins as f64,
            finite.len()
        );
    }
    let _ = write!(
        out,
        r##"<line class="uniform" x1="{left}" y1="{:.2}" x2="{right}" y2="{:.2}" stroke="#d55e00" stroke-width="2" stroke-dasharray="6 4"><title>a calibrated model: {expected:.1} in each bin</title></line>"##,
        y(expected),
        y(expected)
    );
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = left + t * (right - left);
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555">{t}</text>"##,
            bottom + 16.0
        );
    }
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">share of worlds below the recorded value (PIT); dashed: a calibrated model</text>"##,
        (left + right) / 2.0,
        bottom + 34.0
    );
    out.push_str("</svg>");
    out
}

/// Coverage against nominal: for each central band (nominal share, 0–1), the share of recorded values
/// inside it, as points joined by a line over the diagonal a calibrated model would follow, as one
/// `<svg>` element. Points are `<circle class="coverage">`, the diagonal `<line class="nominal">`.
pub fn coverage_plot(title: &str, points: &[(f64, f64)]) -> String {
    let (left, right, top, bottom) = (56.0, 330.0, 44.0, 318.0);
    let mut out = String::new();
    open_svg(&mut out, bottom + 40.0, title, "coverage");
    let x = |p: f64| left + p.clamp(0.0, 1.0) * (right - left);
    let y = |p: f64| bottom - p.clamp(0.0, 1.0) * (bottom - top);
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{:.2}" x2="{right}" y2="{:.2}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.2}" text-anchor="end" fill="#555">{:.0}%</text><text x="{:.2}" y="{:.1}" text-anchor="middle" fill="#555">{:.0}%</text>"##,
            y(t),
            y(t),
            left - 6.0,
            y(t) + 4.0,
            t * 100.0,
            x(t),
            bottom + 16.0,
            t * 100.0
        );
    }
    let _ = write!(
        out,
        r##"<line class="nominal" x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="#d55e00" stroke-width="2" stroke-dasharray="6 4"/>"##,
        x(0.0),
        y(0.0),
        x(1.0),
        y(1.0)
    );
    let finite: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    if finite.is_empty() {
        no_data(&mut out, (left + right) / 2.0, (top + bottom) / 2.0);
    } else {
        let path: Vec<String> = finite
            .iter()
            .enumerate()
            .map(|(i, (n, c))| {
                format!(
                    "{}{:.2},{:.2}",
                    if i == 0 { "M" } else { "L" },
                    x(*n),
                    y(*c)
                )
            })
            .collect();
        let _ = write!(
            out,
            r#"<path d="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
            path.join(" "),
            PALETTE[0]
        );
        for (n, c) in &finite {
            let _ = write!(
                out,
                r#"<circle class="coverage" cx="{:.2}" cy="{:.2}" r="4" fill="{}"><title>{:.0}% band: {:.0}% of recorded values inside</title></circle>"#,
                x(*n),
                y(*c),
                PALETTE[0],
                n * 100.0,
                c * 100.0
            );
        }
    }
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">nominal band; up: share of recorded values inside it</text>"##,
        (left + right) / 2.0 + 60.0,
        bottom + 34.0
    );
    out.push_str("</svg>");
    out
}

/// A share as a percentage, with "<1%" for small non-zero shares.
pub fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        "<1%".to_string()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

fn percent_bare(p: f64) -> String {
    format!("{:.0}", p * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers in the `d` attribute of every element with `class="{class}"`, as (x, y) pairs.
    fn paths(svg: &str, class: &str) -> Vec<Vec<(f64, f64)>> {
        let marker = format!(r#"class="{class}" d=""#);
        svg.match_indices(&marker)
            .map(|(i, _)| {
                let rest = &svg[i + marker.len()..];
                let d = &rest[..rest.find('"').unwrap()];
                d.split(|c: char| c == 'M' || c == 'L' || c.is_whitespace() || c == 'Z')
                    .filter(|s| !s.is_empty())
                    .map(|pair| {
                        let (x, y) = pair.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect()
            })
            .collect()
    }

    /// The value of attribute `name` in each `<rect class="bar"` element.
    fn bar_attribute(svg: &str, name: &str) -> Vec<f64> {
        svg.match_indices(r#"<rect class="bar""#)
            .map(|(i, _)| {
                let rest = &svg[i..];
                let rest = &rest[..rest.find('>').unwrap()];
                let key = format!(" {name}=\"");
                let at = rest.find(&key).unwrap() + key.len();
                rest[at..at + rest[at..].find('"').unwrap()]
                    .parse()
                    .unwrap()
            })
            .collect()
    }

    fn linear_fan() -> Fan {
        Fan {
            title: "test".into(),
            series: vec![FanSeries {
                label: "a".into(),
                colour: String::new(),
                points: (0..=10)
                    .map(|k| FanPoint {
                        year: 1930.0 + k as f64,
                        low: 0.5 * k as f64,
                        median: k as f64,
                        high: 2.0 * k as f64,
                    })
                    .collect(),
            }],
            ..Fan::default()
        }
    }

    #[test]
    fn escape_covers_markup_characters() {
        assert_eq!(
            escape(r#"<b>Tom & "Jerry's"</b>"#),
            "&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;"
        );
        assert_eq!(escape("Зиновьев"), "Зиновьев");
    }

    #[test]
    fn labels_from_data_are_escaped_in_every_chart() {
        let name = "Kamenev <&> \"Lev\"";
        let mut fan = linear_fan();
        fan.title = name.into();
        fan.series[0].label = name.into();
        fan.recorded = vec![(1931.0, 1.0)];
        let stacked = Stacked {
            title: name.into(),
            categories: vec![Category {
                label: name.into(),
                colour: String::new(),
            }],
            columns: vec![(name.into(), vec![1.0])],
            legend: true,
            height: 0.0,
        };
        let bars = [ProbabilityBar {
            label: name.into(),
            value: 0.5,
            interval: [0.4, 0.6],
        }];
        for svg in [
            fan_chart(&fan),
            stacked_bars(&stacked),
            probability_bars(name, &bars, ""),
        ] {
            assert!(!svg.contains(name), "raw label in {svg}");
            assert!(svg.contains("Kamenev &lt;&amp;&gt; &quot;Lev&quot;"));
            assert!(!svg.contains("<&"));
        }
    }

    #[test]
    fn fan_median_lies_where_the_values_put_it() {
        let svg = fan_chart(&linear_fan());
        let medians = paths(&svg, "median");
        assert_eq!(medians.len(), 1);
        let line = &medians[0];
        assert_eq!(line.len(), 11);
        let (left, right, _, bottom) = FAN_PLOT;
        // First and last years sit on the plot's edges; zero sits on its floor.
        assert!((line[0].0 - left).abs() < 0.01, "{:?}", line[0]);
        assert!((line[10].0 - right).abs() < 0.01, "{:?}", line[10]);
        assert!((line[0].1 - bottom).abs() < 0.01, "{:?}", line[0]);
        // Equal steps in year and value are equal steps on the page, upward.
        let (dx, dy) = (line[1].0 - line[0].0, line[1].1 - line[0].1);
        assert!(dy < 0.0);
        for pair in line.windows(2) {
            assert!((pair[1].0 - pair[0].0 - dx).abs() < 0.02);
            assert!((pair[1].1 - pair[0].1 - dy).abs() < 0.02);
        }
        // The median lies inside the band: above its lower edge and below its upper edge.
        let band = &paths(&svg, "band")[0];
        let (upper, lower) = band.split_at(11);
        for (k, m) in line.iter().enumerate() {
            assert!(upper[k].1 <= m.1 + 1e-9 && m.1 <= lower[10 - k].1 + 1e-9);
        }
        // The largest value (20) is on the chart.
        let (_, _, top, _) = FAN_PLOT;
        assert!(upper[10].1 >= top - 1e-9);
    }

    #[test]
    fn fan_gaps_split_the_median() {
        let mut fan = linear_fan();
        fan.series[0].points[4].median = f64::NAN;
        let medians = paths(&fan_chart(&fan), "median");
        assert_eq!(medians.iter().map(Vec::len).collect::<Vec<_>>(), [4, 6]);
    }

    #[test]
    fn stacked_bars_fill_the_full_height() {
        let chart = Stacked {
            title: "fates".into(),
            categories: ["a", "b", "c"]
                .iter()
                .map(|l| Category {
                    label: l.to_string(),
                    colour: String::new(),
                })
                .collect(),
            columns: vec![
                ("1930".into(), vec![3.0, 1.0, 0.0]),
                ("1931".into(), vec![0.2, 0.3, 0.5]),
                ("1932".into(), vec![0.0, 0.0, 7.0]),
            ],
            legend: true,
            height: 260.0,
        };
        let svg = stacked_bars(&chart);
        let heights = bar_attribute(&svg, "height");
        // Zero weights draw nothing: 2 + 3 + 1 segments.
        assert_eq!(heights.len(), 6);
        let full = 260.0 - 26.0 - STACKED_PLOT.2;
        for column in [&heights[0..2], &heights[2..5], &heights[5..6]] {
            let sum: f64 = column.iter().sum();
            assert!((sum - full).abs() < 0.01, "{column:?} sums to {sum}");
        }
        // The first column's shares are 3:1.
        assert!((heights[0] / heights[1] - 3.0).abs() < 1e-3);
    }

    /// The chart's text alternative, from its `aria-label`.
    fn alt(svg: &str) -> String {
        let at = svg.find(r#"aria-label=""#).unwrap() + r#"aria-label=""#.len();
        svg[at..at + svg[at..].find('"').unwrap()].to_string()
    }

    #[test]
    fn fan_text_alternative_carries_medians_bands_and_records() {
        let mut fan = linear_fan();
        fan.unit = "1928 = 100".into();
        fan.recorded = vec![(1931.0, 1.25), (1935.0, 5.5)];
        let text = alt(&fan_chart(&fan));
        assert!(
            text.starts_with("test (1928 = 100). a (median, 5–95% of worlds): 1930 0 (0–0), "),
            "{text}"
        );
        // Eleven years, at most six told, the last always.
        assert!(text.contains("1932 2 (1–4)"), "{text}");
        assert!(text.contains("1940 10.0 (5–20.0)"), "{text}");
        assert!(!text.contains("1931 1 "), "{text}");
        assert!(text.ends_with("recorded: 1931 1.25, 1935 5.5"), "{text}");
        // A chart without data says so rather than reading out nothing.
        assert_eq!(
            alt(&fan_chart(&Fan {
                title: "x".into(),
                ..Fan::default()
            })),
            "x: no data"
        );
    }

    #[test]
    fn stacked_text_alternative_carries_each_columns_shares_largest_first() {
        let chart = Stacked {
            title: "fates".into(),
            categories: ["a", "b", "c"]
                .iter()
                .map(|l| Category {
                    label: l.to_string(),
                    colour: String::new(),
                })
                .collect(),
            columns: vec![
                ("1930".into(), vec![3.0, 1.0, 0.0]),
                ("1931".into(), vec![0.0, 0.0, 0.0]),
                ("1932".into(), vec![0.2, 0.3, 0.5]),
            ],
            legend: true,
            height: 260.0,
        };
        assert_eq!(
            alt(&stacked_bars(&chart)),
            "fates. 1930: a 75%, b 25%; 1932: c 50%, b 30%, a 20%"
        );
    }

    #[test]
    fn range_bars_span_their_values_on_the_shared_axis_and_say_them() {
        let rows = vec![
            RangeRow {
                label: "politics.region_weight.north_caucasus".into(),
                low: 0.25,
                high: 0.75,
                tick: 0.5,
            },
            RangeRow {
                label: "b".into(),
                low: 1.0,
                high: 0.0,
                tick: 2.0,
            },
        ];
        let svg = range_bars("Tornado: x", &rows, (0.0, 1.0));
        let xs = bar_attribute(&svg, "x");
        let widths = bar_attribute(&svg, "width");
        let full = WIDTH - 12.0 - 8.0;
        assert!((xs[0] - (8.0 + full / 4.0)).abs() < 0.1, "{xs:?}");
        assert!((widths[0] - full / 2.0).abs() < 0.1, "{widths:?}");
        // Reversed ends draw the same bar; a tick off the axis stays on the chart's edge.
        assert!((xs[1] - 8.0).abs() < 0.1 && (widths[1] - full).abs() < 0.1);
        assert!(svg.contains(r#"class="chart range""#));
        assert_eq!(
            alt(&svg),
            "Tornado: x. politics.region_weight.north_caucasus 0.25 to 0.75 (tick 0.5); b 1 to 0 (tick 2)"
        );
        assert!(range_bars("t", &[], (0.0, 1.0)).contains("no data"));
    }

    #[test]
    fn probability_bar_widths_and_whiskers_follow_the_values() {
        let bars = [
            ProbabilityBar {
                label: "x".into(),
                value: 0.5,
                interval: [0.4, 0.6],
            },
            ProbabilityBar {
                label: "y".into(),
                value: 0.25,
                interval: [0.2, 0.3],
            },
        ];
        let svg = probability_bars("t", &bars, "");
        let widths = bar_attribute(&svg, "width");
        let (left, right) = BAR_PLOT;
        assert!((widths[0] - 0.5 * (right - left)).abs() < 0.01);
        assert!((widths[1] - 0.25 * (right - left)).abs() < 0.01);
        assert_eq!(svg.matches(r#"class="whisker""#).count(), 2);
        assert!(svg.contains(&format!(r#"x1="{:.2}""#, left + 0.4 * (right - left))));
    }

    #[test]
    fn empty_input_draws_a_frame_without_panicking() {
        for svg in [
            fan_chart(&Fan::default()),
            fan_chart(&Fan {
                series: vec![FanSeries {
                    points: vec![FanPoint {
                        year: 1930.0,
                        low: f64::NAN,
                        median: f64::NAN,
                        high: f64::NAN,
                    }],
                    ..FanSeries::default()
                }],
                ..Fan::default()
            }),
            stacked_bars(&Stacked::default()),
            probability_bars("", &[], ""),
        ] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains("no data"));
        }
        // One point, and constant values, still draw a median.
        let mut one = linear_fan();
        one.series[0].points.truncate(1);
        assert_eq!(paths(&fan_chart(&one), "median").len(), 1);
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(nice_ticks(0.0, 97.0, 5), (0.0, 20.0, 6));
        assert_eq!(nice_ticks(-300.0, 1200.0, 5), (-500.0, 500.0, 5));
        assert_eq!(tick_label(1500.0, 500.0), "1500");
        assert_eq!(tick_label(15000.0, 5000.0), "15\u{202f}000");
        assert_eq!(tick_label(-0.2, 0.2), "−0.2");
        assert_eq!(tick_label(0.15, 0.05), "0.15");
    }

    /// The `height` attributes of every `<rect class="{class}">`, in order.
    fn heights(svg: &str, class: &str) -> Vec<f64> {
        let marker = format!(r#"<rect class="{class}""#);
        svg.match_indices(&marker)
            .map(|(i, _)| {
                let rest = &svg[i..];
                let h = &rest[rest.find("height=\"").unwrap() + 8..];
                h[..h.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn pit_histogram_counts_each_tenth() {
        // Three values in the first tenth, one in the last, none between.
        let svg = pit_histogram("PIT", &[0.01, 0.05, 0.09, 1.0], 10);
        let h = heights(&svg, "pit");
        assert_eq!(h.len(), 10);
        assert!((h[0] - 3.0 * h[9]).abs() < 0.05 && h[9] > 0.0, "{h:?}");
        assert!(h[1..9].iter().all(|x| *x == 0.0), "{h:?}");
        assert_eq!(svg.matches(r#"class="uniform""#).count(), 1);
        assert!(pit_histogram("PIT", &[], 10).contains("no data"));
    }

    #[test]
    fn coverage_plot_draws_each_band_over_the_diagonal() {
        let svg = coverage_plot("Coverage", &[(0.5, 0.25), (0.9, 1.0)]);
        assert_eq!(svg.matches(r#"class="coverage""#).count(), 2);
        assert_eq!(svg.matches(r#"class="nominal""#).count(), 1);
        assert!(svg.contains("50% band: 25% of recorded values inside"));
    }
}
