//! Fan charts: yearly 5–95% bands with their medians, recorded points over them.

use super::*;

/// The plot area of a fan chart, in chart coordinates: left, right, top, bottom.
pub const FAN_PLOT: (f64, f64, f64, f64) = (56.0, 530.0, 44.0, 272.0);
pub(super) const FAN_HEIGHT: f64 = 302.0;

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

/// Maximal runs of consecutive points that pass `keep`.
pub(super) fn runs(points: &[FanPoint], keep: impl Fn(&FanPoint) -> bool) -> Vec<Vec<FanPoint>> {
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

/// The numbers a fan chart draws, for its text alternative: for each series the median and 5–95%
/// band at no more than six years (the first, the last and evenly between), then the recorded
/// points. A screen reader hears what a sighted reader sees.
pub(super) fn fan_alt(fan: &Fan) -> String {
    const MOST: usize = 6;
    let mut parts = Vec::new();
    for (i, s) in fan.series.iter().enumerate() {
        let points: Vec<&FanPoint> = s.points.iter().filter(|p| p.median.is_finite()).collect();
        if points.is_empty() {
            continue;
        }
        let step = (points.len() - 1).div_ceil(MOST - 1).max(1);
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
