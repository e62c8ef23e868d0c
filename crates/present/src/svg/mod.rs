//! Charts as SVG text: fan charts of yearly bands, stacked bars of shares over time, and horizontal
//! probability bars with interval whiskers.
//!
//! Each function takes plain numbers and labels and returns one self-contained `<svg>` element (no
//! script, no external reference), so any page can inline it: the HTML report does, and a web page can.
//! Every label is XML-escaped, since names come from data files. Charts scale with their container
//! (they carry a `viewBox`) and read their font from the page, falling back to a sans-serif.

use std::fmt::Write;

mod bars;
mod calibration;
mod fan;

pub use bars::*;
pub use calibration::*;
pub use fan::*;

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

fn series_colour(colour: &str, index: usize) -> String {
    if colour.is_empty() {
        PALETTE[index % PALETTE.len()].to_string()
    } else {
        colour.to_string()
    }
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

    /// A stacked chart of three categories (a, b, c) over the given (year, weights) columns.
    fn fates_chart(columns: &[(&str, Vec<f64>)]) -> Stacked {
        Stacked {
            title: "fates".into(),
            categories: ["a", "b", "c"]
                .iter()
                .map(|l| Category {
                    label: l.to_string(),
                    colour: String::new(),
                })
                .collect(),
            columns: columns
                .iter()
                .map(|(year, weights)| (year.to_string(), weights.clone()))
                .collect(),
            legend: true,
            height: 260.0,
        }
    }

    #[test]
    fn stacked_bars_fill_the_full_height() {
        let chart = fates_chart(&[
            ("1930", vec![3.0, 1.0, 0.0]),
            ("1931", vec![0.2, 0.3, 0.5]),
            ("1932", vec![0.0, 0.0, 7.0]),
        ]);
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
        // Twenty-four years are told at six, the first and the last among them.
        let mut long = linear_fan();
        long.series[0].points = (0..24)
            .map(|k| FanPoint {
                year: 1922.0 + k as f64,
                low: 0.0,
                median: 1.0,
                high: 2.0,
            })
            .collect();
        let text = alt(&fan_chart(&long));
        assert_eq!(text.matches(" 1 (0–2)").count(), 6, "{text}");
        assert!(
            text.contains("1922 1 (0–2)") && text.ends_with("1945 1 (0–2)"),
            "{text}"
        );
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
        let chart = fates_chart(&[
            ("1930", vec![3.0, 1.0, 0.0]),
            ("1931", vec![0.0, 0.0, 0.0]),
            ("1932", vec![0.2, 0.3, 0.5]),
        ]);
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
    fn validation_charts_say_their_numbers() {
        let pits = [0.05, 0.15, 0.15, 0.95];
        assert_eq!(
            alt(&pit_histogram("PIT", &pits, 4)),
            "PIT. Recorded values by PIT, 4 in all (a calibrated model: 1.0 in each): 0–0.25: 3, 0.25–0.5: 0, 0.5–0.75: 0, 0.75–1: 1"
        );
        assert_eq!(
            alt(&coverage_plot("Coverage", &[(0.5, 0.25), (0.9, 0.75)])),
            "Coverage. 50% band: 25% inside; 90% band: 75% inside"
        );
        assert_eq!(alt(&coverage_plot("Coverage", &[])), "Coverage: no data");
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
