//! The validation page's charts: the PIT histogram and the coverage plot.

use super::*;

/// A histogram of probability integral transforms (each in 0–1) in `bins` equal bins, with the
/// level a calibrated model would give (a flat line at the expected count) as one `<svg>` element.
/// Bars are `<rect class="pit">`, the expected level `<line class="uniform">`.
pub fn pit_histogram(title: &str, pits: &[f64], bins: usize) -> String {
    let bins = bins.max(1);
    let (left, right, top, bottom) = (56.0, 530.0, 44.0, 232.0);
    let finite: Vec<f64> = pits.iter().copied().filter(|p| p.is_finite()).collect();
    let mut counts = vec![0usize; bins];
    for p in &finite {
        counts[((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1)] += 1;
    }
    let expected = finite.len() as f64 / bins as f64;
    // The text alternative: each bin's count against the calibrated level.
    let alt = if finite.is_empty() {
        format!("{title}: no data")
    } else {
        let bars: Vec<String> = counts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                format!(
                    "{}–{}: {c}",
                    spoken(i as f64 / bins as f64),
                    spoken((i + 1) as f64 / bins as f64)
                )
            })
            .collect();
        format!(
            "{title}. Recorded values by PIT, {} in all (a calibrated model: {expected:.1} in each): {}",
            finite.len(),
            bars.join(", ")
        )
    };
    let mut out = String::new();
    open_svg_described(&mut out, bottom + 40.0, title, &alt, "pit");
    if finite.is_empty() {
        no_data(&mut out, (left + right) / 2.0, (top + bottom) / 2.0);
        out.push_str("</svg>");
        return out;
    }
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
    let finite: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    // The text alternative: each band's coverage beside its nominal share.
    let alt = if finite.is_empty() {
        format!("{title}: no data")
    } else {
        let bands: Vec<String> = finite
            .iter()
            .map(|(n, c)| format!("{:.0}% band: {:.0}% inside", n * 100.0, c * 100.0))
            .collect();
        format!("{title}. {}", bands.join("; "))
    };
    let mut out = String::new();
    open_svg_described(&mut out, bottom + 40.0, title, &alt, "coverage");
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
