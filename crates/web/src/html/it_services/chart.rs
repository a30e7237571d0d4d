//! A service's agreed and measured availability per period drawn as SVG on
//! the server: one bar per period, the target as a dashed line, a missed
//! period's bar hatched and marked with a cross (meaning not carried by
//! colour alone); the page shows the same numbers in a table beside it.

use insyn_domain::it_service::{FollowUp, LevelOutcome};

pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 260;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;

/// One period's bar.
pub struct Bar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    /// The label's centre.
    pub mid: String,
    pub period: String,
    pub value: String,
    pub missed: bool,
}

/// A line across the plot at a percentage.
pub struct Tick {
    pub y: String,
    pub label: String,
}

pub struct Chart {
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    /// The target's line, if a target is agreed.
    pub target_y: Option<String>,
    pub baseline_y: String,
    pub right_x: String,
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

/// The percentage with a decimal comma in Swedish.
pub fn percent(p: f64, sv: bool) -> String {
    let s = format!("{p:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if sv {
        s.replace('.', ",")
    } else {
        s.to_owned()
    }
}

impl Chart {
    /// The chart of `items` (oldest first) against `target`; the scale runs
    /// from a whole per cent below the lowest value to 100.
    pub fn of(items: &[FollowUp], target: Option<f64>, sv: bool) -> Chart {
        let lowest = items
            .iter()
            .filter_map(|i| i.draft.measured_availability)
            .chain(target)
            .fold(100.0_f64, f64::min);
        let floor = (lowest.floor() - 1.0).clamp(0.0, 99.0);
        let plot_h = f64::from(HEIGHT) - TOP - BOTTOM;
        let plot_w = f64::from(WIDTH) - LEFT - RIGHT;
        let y_of = |p: f64| TOP + plot_h * (100.0 - p.clamp(floor, 100.0)) / (100.0 - floor);
        let slot = plot_w / items.len().max(1) as f64;
        let bars = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let measured = item.draft.measured_availability;
                let top = measured.map(y_of).unwrap_or(TOP + plot_h);
                let x = LEFT + slot * i as f64 + slot * 0.15;
                Bar {
                    x: f(x),
                    y: f(top),
                    width: f(slot * 0.7),
                    height: f(TOP + plot_h - top),
                    mid: f(x + slot * 0.35),
                    period: item.draft.period.to_string(),
                    value: measured
                        .map(|m| percent(m, sv))
                        .unwrap_or_else(|| "–".into()),
                    missed: item.judgement.availability == LevelOutcome::Missed,
                }
            })
            .collect();
        let step = ((100.0 - floor) / 4.0).max(0.25);
        let ticks = (0..=4)
            .map(|k| {
                let p = floor + step * f64::from(k);
                Tick {
                    y: f(y_of(p)),
                    label: percent((p * 100.0).round() / 100.0, sv),
                }
            })
            .collect();
        Chart {
            bars,
            ticks,
            target_y: target.map(|t| f(y_of(t))),
            baseline_y: f(TOP + plot_h),
            right_x: f(f64::from(WIDTH) - RIGHT),
        }
    }
}
