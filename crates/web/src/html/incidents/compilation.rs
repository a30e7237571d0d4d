//! The IT-säkerhetssamordnare's compilation of the incidents of a period
//! as a page: a period form, the totals, and for each count a bar chart
//! drawn on the server (inline SVG, no script) with the same figures in a
//! table right below it, and the CSV of the same period.

use super::word;
use crate::compilation::{PeriodQuery, compile, csv_response};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::html::{Chrome, Cx, form_page};
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use insyn_domain::incident::{ClockTally, Compilation};
use insyn_domain::validation::FieldErrors;

/// The width of a chart, the room of its labels, and the height of a row.
const WIDTH: u32 = 640;
const LABEL: u32 = 230;
const BAR_ROOM: u32 = 340;
const ROW: u32 = 30;
/// The longest label drawn; the table below has the whole name.
const LABEL_CHARS: usize = 30;

/// One coloured part of a bar (a clock's bar has one per outcome).
pub struct Segment {
    pub x: u32,
    pub width: u32,
    pub fill: &'static str,
    pub title: String,
}

/// One row of a chart: its label, its total and where it is drawn.
pub struct Bar {
    pub label: String,
    pub total: i64,
    pub y: u32,
    pub segments: Vec<Segment>,
    /// Where the total is written, just after the bar.
    pub value_x: u32,
}

/// A horizontal bar chart: one bar per row of the table under it.
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub height: u32,
    pub bars: Vec<Bar>,
}

/// A part of a row to draw: its count, colour and what it counts.
type Part = (i64, &'static str, String);

/// Colours with at least 3:1 contrast against white (WCAG 1.4.11).
const BAR: &str = "#1f5f99";
const OUTCOMES: [&str; 5] = ["#1b6e35", "#7a5c00", "#b3261e", "#1f5f99", "#5f6368"];

fn short(label: &str) -> String {
    if label.chars().count() > LABEL_CHARS {
        let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        label.to_owned()
    }
}

impl Chart {
    /// Draws rows of (label, parts), each part a (count, colour, title).
    fn new(id: &'static str, title: String, rows: Vec<(String, Vec<Part>)>) -> Chart {
        let max = rows
            .iter()
            .map(|(_, parts)| parts.iter().map(|p| p.0).sum::<i64>())
            .max()
            .unwrap_or(0)
            .max(1);
        let scale = |n: i64| (n * i64::from(BAR_ROOM) / max) as u32;
        let bars = rows
            .into_iter()
            .enumerate()
            .map(|(i, (label, parts))| {
                let mut x = LABEL;
                let mut segments = vec![];
                let mut total = 0;
                for (n, fill, title) in parts {
                    total += n;
                    let width = scale(n);
                    if n > 0 {
                        segments.push(Segment {
                            x,
                            width: width.max(2),
                            fill,
                            title: format!("{title}: {n}"),
                        });
                    }
                    x += width;
                }
                Bar {
                    label: short(&label),
                    total,
                    y: i as u32 * ROW,
                    segments,
                    value_x: x + 8,
                }
            })
            .collect::<Vec<_>>();
        Chart {
            id,
            title,
            height: (bars.len() as u32 * ROW).max(ROW),
            bars,
        }
    }

    pub fn width(&self) -> u32 {
        WIDTH
    }
    pub fn label_x(&self) -> u32 {
        LABEL - 8
    }
}

/// A count's chart and its table's rows.
pub struct Section {
    pub chart: Chart,
    pub rows: Vec<(String, i64)>,
    pub column: String,
}

#[derive(Template)]
#[template(path = "incident_compilation.html")]
struct CompilationPage {
    c: Chrome,
    from: String,
    to: String,
    errors: FieldErrors,
    compilation: Option<Compilation>,
    sections: Vec<Section>,
    clocks: Option<Chart>,
    csv_href: String,
}

impl CompilationPage {
    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }
    pub fn hours(&self, h: &Option<i64>) -> String {
        h.map(|h| h.to_string()).unwrap_or_else(|| "–".into())
    }
}

fn section(c: &Chrome, id: &'static str, heading: &str, rows: Vec<(String, i64)>) -> Section {
    let title = c.t(heading);
    let chart = Chart::new(
        id,
        title.clone(),
        rows.iter()
            .map(|(k, n)| (k.clone(), vec![(*n, BAR, title.clone())]))
            .collect(),
    );
    Section {
        chart,
        rows,
        column: title,
    }
}

/// The outcomes of a clock in the order of the chart and the table.
pub fn outcomes(t: &ClockTally) -> [i64; 5] {
    [t.met, t.met_late, t.missed, t.running, t.not_applicable]
}

/// The words of the outcomes, in that order.
const OUTCOME_KEYS: [&str; 5] = [
    "compilation-met",
    "compilation-met-late",
    "compilation-missed",
    "compilation-running",
    "compilation-not-applicable",
];

fn sections(c: &Chrome, k: &Compilation) -> (Vec<Section>, Chart) {
    let words = |group: &str, rows: &[insyn_domain::incident::Count]| {
        rows.iter()
            .map(|r| (word(c, group, &r.key), r.count))
            .collect::<Vec<_>>()
    };
    let plain = |rows: &[insyn_domain::incident::Count]| {
        rows.iter()
            .map(|r| (r.key.clone(), r.count))
            .collect::<Vec<_>>()
    };
    let s = vec![
        section(
            c,
            "by-kind",
            "compilation-by-kind",
            words("kind", &k.by_kind),
        ),
        section(
            c,
            "by-severity",
            "compilation-by-severity",
            words("severity", &k.by_severity),
        ),
        section(c, "by-system", "compilation-by-system", plain(&k.by_system)),
        section(c, "by-unit", "compilation-by-unit", plain(&k.by_unit)),
    ];
    let clocks = Chart::new(
        "clocks",
        c.t("compilation-clocks"),
        k.clocks
            .iter()
            .map(|t| {
                let parts = outcomes(t)
                    .into_iter()
                    .zip(OUTCOMES)
                    .zip(OUTCOME_KEYS)
                    .map(|((n, fill), key)| (n, fill, c.t(key)))
                    .collect();
                (t.name(c.lang.code()).to_owned(), parts)
            })
            .collect(),
    );
    (s, clocks)
}

/// The compilation of a period (this calendar year unless asked), or with
/// `format=csv` its CSV.
pub(in crate::html) async fn compilation_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let c = cx.chrome(Some(at.org.clone()), "incidents");
    let (period, errors) = match q.parse() {
        Ok(p) => (Some(p), FieldErrors::new()),
        Err(e) => (None, e),
    };
    let compilation = match period {
        Some(p) => Some(compile(cx.store(), at.id(), p).await?),
        None => None,
    };
    if let (Some(p), Some(k)) = (period, &compilation)
        && p.csv
    {
        return Ok(csv_response(p, k));
    }
    let (from, to) = match period {
        Some(p) => (p.from.to_string(), p.to.to_string()),
        None => (q.from.unwrap_or_default(), q.to.unwrap_or_default()),
    };
    let (sections, clocks) = match &compilation {
        Some(k) => {
            let (s, ch) = sections(&c, k);
            (s, Some(ch))
        }
        None => (vec![], None),
    };
    let csv_href = format!(
        "/o/{}/incidents/compilation?from={from}&to={to}&format=csv",
        at.org.slug
    );
    let page = CompilationPage {
        c,
        from,
        to,
        errors,
        compilation,
        sections,
        clocks,
        csv_href,
    };
    Ok(form_page(&page.errors, &page))
}
