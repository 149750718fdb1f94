//! Small inline SVG bar charts: one per indicator, measure and unit with several periods or
//! places. Actuals are solid, estimates hatched, targets outlined with a dashed line, forecasts
//! dotted; a range ("4–5%") is a bar to its low end with a lighter band up to its high end.

use std::collections::BTreeMap;

use chiso_model::{IndicatorRecord, Kind, Measure, Unit};

use crate::ReportInput;
use crate::format;
use crate::html::{Esc, w};
use crate::page::Lookup;

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 250.0;
// Room for tick labels such as "400,000 bn".
const LEFT: f64 = 72.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 58.0;
/// Most categories (periods or places) one chart shows; the rest are named under it.
const MAX_CATEGORIES: usize = 16;
/// Most bars in one category.
const MAX_BARS: usize = 4;
/// Width of a character of a chart's labels, about (11 px system-ui).
const LABEL_CHAR_PX: f64 = 6.2;

/// What one chart plots: an indicator in one measure (against one base) and unit (and ranking
/// size, for ranks).
type ChartKey<'a> = (
    &'a str,
    Measure,
    Option<chiso_model::Base>,
    Unit,
    Option<u32>,
);
/// A category on the x axis: the period (by its bounds) and the place.
type Category<'a> = (
    Option<(chiso_model::Date, chiso_model::Date)>,
    Option<&'a str>,
);

/// The base a chart is drawn for: a change on the year before shares the chart of changes whose
/// text names no base (a growth rate, "tăng 7,3%", is most often on the year before), so
/// growth charts are not split by wording; a change on the month before, on December or on
/// another period has a chart of its own.
fn chart_base(base: Option<chiso_model::Base>) -> Option<chiso_model::Base> {
    base.filter(|b| *b != chiso_model::Base::YearAgo)
}

pub(crate) fn render(out: &mut String, input: &ReportInput<'_>, lookup: &Lookup<'_>) {
    let mut groups: BTreeMap<ChartKey<'_>, Vec<&IndicatorRecord>> = BTreeMap::new();
    for r in input.records {
        let rank_total = if r.measure == Measure::Rank {
            r.rank_total
        } else {
            None
        };
        groups
            .entry((
                r.indicator.as_str(),
                r.measure,
                chart_base(r.base),
                r.unit,
                rank_total,
            ))
            .or_default()
            .push(r);
    }
    out.push_str(
        "<section id=\"charts\" aria-labelledby=\"charts-h\"><h2 id=\"charts-h\">Charts</h2>\
         <p class=\"lede\">Each indicator stated for several periods or places, one chart per measure and unit.</p>",
    );
    legend(out);
    let mut shown = 0;
    out.push_str("<div class=\"charts\">");
    for (key, records) in &groups {
        let mut cats: BTreeMap<Category<'_>, Vec<&IndicatorRecord>> = BTreeMap::new();
        for r in records {
            cats.entry((
                r.period.map(|p| (p.start(), p.end())),
                // The unit of the map: Lào Cai before the 2025 merger and after are two.
                r.geo_unit(),
            ))
            .or_default()
            .push(r);
        }
        if cats.len() < 2 {
            continue;
        }
        chart(out, shown, *key, &cats, lookup);
        shown += 1;
    }
    out.push_str("</div>");
    if shown == 0 {
        out.push_str("<p>No indicator is stated for more than one period or place, so there is nothing to chart.</p>");
    }
    out.push_str("</section>\n");
}

fn legend(out: &mut String) {
    // The hatch pattern estimates are filled with, defined once for every chart of the page.
    out.push_str(
        "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\" focusable=\"false\"><defs>\
         <pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" class=\"hatch-bg\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hatch-line\"/></pattern>\
         </defs></svg><ul class=\"legend chart-legend\" aria-label=\"Chart legend\">",
    );
    for k in Kind::ALL {
        w!(
            out,
            "<li><svg width=\"22\" height=\"14\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\" width=\"20\" height=\"12\" class=\"bar k-{k}\"/></svg>{k}</li>"
        );
    }
    out.push_str(
        "<li><svg width=\"22\" height=\"14\" aria-hidden=\"true\"><rect x=\"1\" y=\"7\" width=\"20\" height=\"6\" class=\"bar k-actual\"/>\
         <rect x=\"1\" y=\"1\" width=\"20\" height=\"6\" class=\"bar k-actual rng\"/></svg>range (low–high)</li></ul>",
    );
}

/// A round step of about `span / 4`: 1, 2 or 5 times a power of ten.
fn nice_step(span: f64) -> f64 {
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn chart(
    out: &mut String,
    n: usize,
    key: ChartKey<'_>,
    cats: &BTreeMap<Category<'_>, Vec<&IndicatorRecord>>,
    lookup: &Lookup<'_>,
) {
    let (indicator, measure, base, unit, rank_total) = key;
    let measure_text = format::measure_text(measure, base);
    let places: std::collections::BTreeSet<Option<&str>> = cats.keys().map(|c| c.1).collect();
    let periods: std::collections::BTreeSet<_> = cats.keys().map(|c| c.0).collect();
    let shown: Vec<(&Category<'_>, Vec<&IndicatorRecord>)> = cats
        .iter()
        .take(MAX_CATEGORIES)
        .map(|(c, rs)| {
            let mut rs = rs.clone();
            rs.sort_by(|a, b| {
                format::kind_order(a.kind)
                    .cmp(&format::kind_order(b.kind))
                    .then(a.value_low.total_cmp(&b.value_low))
            });
            rs.dedup_by(|a, b| {
                a.kind == b.kind && a.value_low == b.value_low && a.value_high == b.value_high
            });
            rs.truncate(MAX_BARS);
            (c, rs)
        })
        .collect();

    let (mut lo, mut hi) = (0f64, 0f64);
    for (_, rs) in &shown {
        for r in rs {
            lo = lo.min(r.value_low).min(r.value_high);
            hi = hi.max(r.value_low).max(r.value_high);
        }
    }
    let scale = if measure == Measure::Rank {
        Scale::rank(rank_total.map(f64::from).unwrap_or(hi).max(hi))
    } else {
        Scale::linear(lo, hi)
    };
    let ph = HEIGHT - TOP - BOTTOM;
    let pw = WIDTH - LEFT - RIGHT;
    let y = |v: f64| scale.y(v, TOP, ph);

    let title = lookup.label_en(indicator);
    let unit_text = match (measure, unit) {
        (Measure::Rank, _) => match rank_total {
            Some(t) => format!("rank of {t} (1 = first)"),
            None => "rank (1 = first)".to_owned(),
        },
        (_, u) => match format::unit_symbol(u) {
            "" => u.as_str().to_owned(),
            s => s.to_owned(),
        },
    };
    let x_axis = match (periods.len() > 1, places.len() > 1) {
        (true, true) => "period and place",
        (false, true) => "place",
        _ => "period",
    };
    w!(
        out,
        "<figure class=\"chart\" data-indicator=\"{}\"><figcaption><b>{}</b><small>{}{}{} · {} · {}</small></figcaption>\
         <svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"chart-{n}-t\"><title id=\"chart-{n}-t\">{}: {} by {}</title>",
        Esc(indicator),
        Esc(title),
        Esc(indicator),
        if lookup.label_vi(indicator).is_some() {
            " · "
        } else {
            ""
        },
        Esc(lookup.label_vi(indicator).unwrap_or("")),
        Esc(&measure_text),
        Esc(&unit_text),
        Esc(title),
        Esc(&measure_text),
        x_axis,
    );

    // Grid and y axis.
    for &t in &scale.ticks {
        let yy = y(t);
        let class = if t == scale.base { "grid zero" } else { "grid" };
        w!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" class=\"{class}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 3.5,
            Esc(&format::number(t)),
        );
    }
    w!(
        out,
        // The value axis's title above the plot, clear of the tick labels however wide.
        "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"start\">{}</text>\
         <text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        LEFT,
        TOP - 8.0,
        Esc(&if measure == Measure::Rank {
            unit_text.clone()
        } else {
            format!("{measure_text}, {unit_text}")
        }),
        LEFT + pw / 2.0,
        HEIGHT - 6.0,
        x_axis,
    );

    // Bars.
    let cw = pw / shown.len() as f64;
    for (ci, (_, rs)) in shown.iter().enumerate() {
        let period_label = rs
            .first()
            .and_then(|r| r.period)
            .map(|p| p.label())
            .unwrap_or_else(|| "no period".into());
        let place_label = rs
            .first()
            .and_then(|r| format::place(r))
            .unwrap_or_else(|| "no place".into());
        let cx = LEFT + cw * (ci as f64 + 0.5);
        let group = cw * 0.74;
        let bw = (group / rs.len() as f64).min(34.0);
        let x0 = cx - bw * rs.len() as f64 / 2.0;
        for (bi, r) in rs.iter().enumerate() {
            let x = x0 + bw * bi as f64 + 1.0;
            let width = (bw - 2.0).max(1.0);
            let (a, b) = span(y(scale.base), y(r.value_low));
            let tip = format!(
                "{period_label} · {place_label} · {} · {}",
                r.kind,
                format::record_value(r)
            );
            w!(
                out,
                "<g class=\"b\"><title>{}</title><rect x=\"{x:.1}\" y=\"{a:.1}\" width=\"{width:.1}\" height=\"{:.1}\" class=\"bar k-{}\"/>",
                Esc(&tip),
                (b - a).max(0.5),
                r.kind
            );
            if r.value_high != r.value_low {
                let (ra, rb) = span(y(r.value_low), y(r.value_high));
                w!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{ra:.1}\" width=\"{width:.1}\" height=\"{:.1}\" class=\"bar k-{} rng\"/>",
                    (rb - ra).max(0.5),
                    r.kind
                );
            }
            let label = if r.value_high != r.value_low {
                format!(
                    "{}–{}",
                    format::short(r.value_low),
                    format::short(r.value_high)
                )
            } else {
                format::short(r.value_low)
            };
            // Only where it fits over its bar and its neighbours' (about 6 px a character).
            if bw >= 16.0 && label.chars().count() as f64 * LABEL_CHAR_PX <= bw + 8.0 {
                let top = y(scale.base).min(y(r.value_low)).min(y(r.value_high));
                w!(
                    out,
                    "<text class=\"val\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    x + width / 2.0,
                    top - 4.0,
                    Esc(&label)
                );
            }
            out.push_str("</g>");
        }
        let line1 = if periods.len() > 1 || places.len() == 1 {
            period_label.clone()
        } else {
            place_label.to_owned()
        };
        // Cut to the category's width, so that neighbours do not overprint; the whole label is
        // the text's title.
        let fit = |label: &str| -> String {
            let room = ((cw - 4.0) / LABEL_CHAR_PX).floor().max(3.0) as usize;
            if label.chars().count() <= room {
                label.to_owned()
            } else {
                let mut cut: String = label.chars().take(room - 1).collect();
                cut.push('…');
                cut
            }
        };
        let whole = if periods.len() > 1 && places.len() > 1 {
            format!("{line1} · {place_label}")
        } else {
            line1.clone()
        };
        w!(
            out,
            "<text class=\"cat\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\"><title>{}</title>{}",
            HEIGHT - BOTTOM + 16.0,
            Esc(&whole),
            Esc(&fit(&line1))
        );
        if periods.len() > 1 && places.len() > 1 {
            w!(
                out,
                "<tspan x=\"{cx:.1}\" dy=\"13\">{}</tspan>",
                Esc(&fit(&place_label))
            );
        }
        out.push_str("</text>");
    }
    out.push_str("</svg>");
    if cats.len() > shown.len() {
        w!(
            out,
            "<p class=\"note\">{} more periods or places are in the table.</p>",
            cats.len() - shown.len()
        );
    }
    out.push_str("</figure>");
}

/// Top and bottom of a vertical extent between two y positions.
fn span(a: f64, b: f64) -> (f64, f64) {
    (a.min(b), a.max(b))
}

/// The y axis: its domain, where bars start and the ticks to draw.
struct Scale {
    /// Value at the top of the plot.
    top: f64,
    /// Value at the bottom of the plot.
    bottom: f64,
    /// Where bars start: zero, or for ranks the last place.
    base: f64,
    ticks: Vec<f64>,
}

impl Scale {
    /// Zero-based, with round ticks covering `lo..hi`.
    fn linear(lo: f64, hi: f64) -> Scale {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let step = nice_step(hi - lo);
        let (t0, t1) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        let ticks = (0..=12)
            .map(|i| t0 + step * f64::from(i))
            .take_while(|t| *t <= t1 + step * 1e-9)
            .map(|t| if t.abs() < step * 1e-9 { 0.0 } else { t })
            .collect();
        Scale {
            top: t1,
            bottom: t0,
            base: 0.0,
            ticks,
        }
    }

    /// Ranks: first place at the top, the last (`worst`) at the bottom where bars start, so a
    /// better rank is a taller bar.
    fn rank(worst: f64) -> Scale {
        let worst = worst.max(2.0);
        let step = nice_step(worst - 1.0);
        let mut ticks = vec![1.0];
        ticks.extend(
            (1..=12)
                .map(|i| step * f64::from(i))
                .take_while(|t| *t < worst - step * 0.3)
                .filter(|t| *t > 1.0),
        );
        ticks.push(worst);
        Scale {
            top: 1.0,
            bottom: worst,
            base: worst,
            ticks,
        }
    }

    /// The y position of `v` in a plot `height` high starting at `top`.
    fn y(&self, v: f64, top: f64, height: f64) -> f64 {
        top + height * (self.top - v) / (self.top - self.bottom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(9.02), 5.0);
        assert_eq!(nice_step(19.3), 5.0);
        assert_eq!(nice_step(63.0), 20.0);
        assert_eq!(nice_step(0.4), 0.1);
        assert_eq!(nice_step(68_000e9), 20_000e9);
    }

    #[test]
    fn ranks_put_first_place_on_top() {
        let s = Scale::rank(63.0);
        assert_eq!(s.ticks, vec![1.0, 20.0, 40.0, 63.0]);
        assert!(
            s.y(1.0, 0.0, 100.0) < s.y(26.0, 0.0, 100.0),
            "rank 1 is above rank 26"
        );
        assert_eq!(s.y(63.0, 0.0, 100.0), 100.0);
        let l = Scale::linear(0.0, 12.0);
        assert_eq!(l.ticks, vec![0.0, 5.0, 10.0, 15.0]);
        assert_eq!((l.y(15.0, 0.0, 100.0), l.y(0.0, 0.0, 100.0)), (0.0, 100.0));
    }
}
