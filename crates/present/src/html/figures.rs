//! The report's figures: an outcome's probability bars, a series' fan with the recorded points
//! over it, the fates of a group of people year by year.

use super::*;

/// The values of a categorical outcome as probability bars, likeliest first (at most `limit`, and
/// none under half a percent).
pub(super) fn outcome_bars(
    data: &Data,
    summary: &Summary,
    key: &str,
    limit: usize,
) -> Vec<ProbabilityBar> {
    let Some(values) = summary.categorical.get(key) else {
        return Vec::new();
    };
    let mut bars: Vec<ProbabilityBar> = values
        .iter()
        .filter(|(_, p)| **p >= 0.005)
        .map(|(v, p)| ProbabilityBar {
            label: value_label(data, v),
            value: *p,
            interval: summary
                .intervals
                .get(key)
                .and_then(|m| m.get(v))
                .copied()
                .unwrap_or([*p, *p]),
        })
        .collect();
    bars.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.label.cmp(&b.label)));
    bars.truncate(limit);
    bars
}

/// One outcome's bars in two worlds, with the same values in the same order (likeliest in either
/// world first), so that side-by-side charts line up. A value absent from a world shows as 0%.
pub(super) fn aligned_bars(
    data: &Data,
    a: &Summary,
    b: &Summary,
    key: &str,
) -> (Vec<ProbabilityBar>, Vec<ProbabilityBar>) {
    let share = |s: &Summary, v: &str| {
        s.categorical
            .get(key)
            .and_then(|m| m.get(v))
            .copied()
            .unwrap_or(0.0)
    };
    let mut values: Vec<String> = a
        .categorical
        .get(key)
        .into_iter()
        .chain(b.categorical.get(key))
        .flat_map(|m| m.keys().cloned())
        .collect();
    values.sort();
    values.dedup();
    values.retain(|v| share(a, v).max(share(b, v)) >= 0.005);
    values.sort_by(|x, y| {
        let (px, py) = (share(a, x).max(share(b, x)), share(a, y).max(share(b, y)));
        py.total_cmp(&px).then(x.cmp(y))
    });
    values.truncate(8);
    let bars = |s: &Summary| -> Vec<ProbabilityBar> {
        values
            .iter()
            .map(|v| ProbabilityBar {
                label: value_label(data, v),
                value: share(s, v),
                interval: s
                    .intervals
                    .get(key)
                    .and_then(|m| m.get(v))
                    .copied()
                    .unwrap_or_else(|| razvilka_ensemble::wilson(0, s.runs as usize)),
            })
            .collect()
    };
    (bars(a), bars(b))
}

/// A figure of one categorical outcome's probability bars.
pub(super) fn outcome_figure(data: &Data, summary: &Summary, key: &str, colour: &str) -> String {
    let title = question(key);
    let bars = outcome_bars(data, summary, key, 8);
    let shown: f64 = bars.iter().map(|b| b.value).sum();
    let caption = if shown < 0.995 && !bars.is_empty() {
        format!(
            "Share of worlds with the 95% interval; the rest ({}) is spread over rarer values.",
            svg::percent(1.0 - shown)
        )
    } else {
        "Share of worlds with the 95% interval.".to_string()
    };
    figure(&svg::probability_bars(title, &bars, colour), &caption)
}

/// A fan series from a summary's yearly bands, scaled.
pub(super) fn fan_series(bands: &[YearBand], label: &str, colour: &str, scale: f64) -> FanSeries {
    FanSeries {
        label: label.to_string(),
        colour: colour.to_string(),
        points: bands
            .iter()
            .map(|b| FanPoint {
                year: b.year as f64,
                low: b.p05 * scale,
                median: b.p50 * scale,
                high: b.p95 * scale,
            })
            .collect(),
    }
}

/// The yearly series drawn as fan charts: the catalogue's id (which gives the chart its title), the
/// axis in words as the chart shows it, and the scale from the catalogue's unit to the axis.
pub(super) const SERIES: [(&str, &str, f64); 10] = [
    (id::GDP, "index, 1928 = 100", 1.0),
    (id::INDUSTRY, "index, 1928 = 100", 1.0),
    (id::CONSUMPTION_PER_HEAD, "index, 1928 = 100", 1.0),
    (id::URBAN_SHARE, "% of the population", 100.0),
    (id::GRAIN_HARVEST, "million tonnes", 1.0),
    (
        id::FAMINE_DEATHS,
        "million excess deaths in the harvest year",
        1.0,
    ),
    (id::MILITARY_CAPACITY, "index, 1928 = 100", 1.0),
    (id::REPRESSION, "index, 0 to 1", 1.0),
    (
        id::FRONT_KM,
        "km east of the June 1941 border at the end of each year of war (below zero: west of it)",
        1.0,
    ),
    (
        id::SOVIET_MILITARY_DEAD,
        "millions, in the worlds at war by that year",
        1.0,
    ),
];

/// The recorded points of a charted series from the validation targets, with their source, in the
/// chart's units (`scale` as its bands). A target's statistic names the series in the model's units;
/// an index is drawn only when the target indexes it to 1928, the base of the charts' indices.
pub(super) fn recorded(data: &Data, series: &str, scale: f64) -> Option<(Vec<(f64, f64)>, String)> {
    let targets = validate::targets(data).ok()?;
    targets.iter().find_map(|t| {
        let recorded = t.recorded_series()?;
        if recorded.series != series {
            return None;
        }
        // The charts' indices are each world's 1928 = 100; a target's index over 1928 is a ratio.
        let index = catalogue::about(series).is_some_and(|q| q.unit == Unit::Index1928);
        let factor = match recorded.base {
            None => scale,
            Some(1928) if index => 100.0,
            Some(_) => return None,
        };
        let points = recorded
            .points
            .iter()
            .map(|(y, v)| (*y as f64, *v * factor))
            .collect();
        Some((points, recorded.source.to_string()))
    })
}

/// A fan chart of one series from one or more summaries ((label, colour, summary) each).
pub(super) fn fan_figure(
    data: &Data,
    name: &str,
    worlds: &[(&str, &str, &Summary)],
    marker: f64,
) -> String {
    let Some(&(_, unit, scale)) = SERIES.iter().find(|s| s.0 == name) else {
        return String::new();
    };
    let mut fan = Fan {
        title: catalogue::title(name).to_string(),
        unit: unit.to_string(),
        marker: Some((marker, "divergence".to_string())),
        ..Fan::default()
    };
    for (label, colour, summary) in worlds {
        if let Some(bands) = summary.series.get(name) {
            fan.series.push(fan_series(bands, label, colour, scale));
        }
    }
    let mut caption =
        "Median (line) and 5–95% band of the worlds, at the end of each year.".to_string();
    if let Some((points, source)) = recorded(data, name, scale) {
        fan.recorded = points;
        fan.recorded_label = "recorded".to_string();
        let _ = write!(caption, " Dots: recorded history ({source}).");
    }
    figure(&svg::fan_chart(&fan), &caption)
}

/// A fate's colour: greens in the party, oranges out of it, purples in the Caucasus, blue abroad,
/// greys and reds dead.
pub fn fate_colour(fate: Fate) -> &'static str {
    match fate {
        Fate::InLeadership => "#1b7837",
        Fate::InParty => "#7fbf7b",
        Fate::Readmitted => "#c2e4a0",
        Fate::Expelled => "#fdb863",
        Fate::InternalExile => "#e08214",
        Fate::CaucasusBase => "#b2abd2",
        Fate::Revolt => "#8073ac",
        Fate::Breakaway => "#542788",
        Fate::Imprisoned => "#8c510a",
        Fate::Abroad => "#4393c3",
        Fate::DeadNatural => "#bababa",
        Fate::Executed => "#b2182b",
        Fate::Killed => "#e7664f",
        Fate::Suicide => "#4d4d4d",
    }
}

/// For each year, how many (world, person) pairs stand in each fate, over `people` pooled.
pub(super) fn fate_counts(outcomes: &[Outcome], people: &[PersonId]) -> Vec<(u32, [usize; 32])> {
    let years: Vec<u32> = outcomes
        .first()
        .map(|o| o.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    years
        .into_iter()
        .map(|year| {
            let mut counts = [0usize; 32];
            for o in outcomes {
                if let Some(record) = o.year(year) {
                    for p in people {
                        if let Some(f) = record.fates.get(p.index()) {
                            counts[*f as usize] += 1;
                        }
                    }
                }
            }
            (year, counts)
        })
        .collect()
}

/// Stacked bars of the fates of `people` (pooled) by year; only fates that occur are shown.
pub(super) fn fate_chart(
    title: &str,
    counts: &[(u32, [usize; 32])],
    legend: bool,
    height: f64,
) -> String {
    let fates: Vec<Fate> = if legend {
        Fate::ALL
            .iter()
            .copied()
            .filter(|f| counts.iter().any(|(_, c)| c[*f as usize] > 0))
            .collect()
    } else {
        Fate::ALL.to_vec()
    };
    let chart = Stacked {
        title: title.to_string(),
        categories: fates
            .iter()
            .map(|f| Category {
                label: f.describe().to_string(),
                colour: fate_colour(*f).to_string(),
            })
            .collect(),
        columns: counts
            .iter()
            .map(|(year, c)| {
                (
                    year.to_string(),
                    fates.iter().map(|f| c[*f as usize] as f64).collect(),
                )
            })
            .collect(),
        legend,
        height,
    };
    svg::stacked_bars(&chart)
}

/// The legend of the fate colours, as HTML (shared by small multiples).
pub(super) fn fate_legend(fates: &[Fate]) -> String {
    let mut out = String::from("<p class=\"legend-marks\">");
    for f in fates {
        let _ = write!(
            out,
            "<span><span class=\"mark\" style=\"color:{}\">■</span>{}</span> ",
            fate_colour(*f),
            escape(f.describe())
        );
    }
    out.push_str("</p>");
    out
}
