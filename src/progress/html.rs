//! `progress --html FILE`: the readiness report as one self-contained page (no script,
//! no network: it opens offline). Two charts, drawn as inline SVG: each exam domain's
//! score as a bar beside its weight, and the readiness figure over the runs with the
//! 750 line. The page is `templates/progress.html` (minijinja, which escapes every value
//! for HTML); this module works out what it shows and where the charts' marks go.

use super::{DISCLAIMER, PASSING, Standing};
use serde::Serialize;

const TEMPLATE: &str = include_str!("templates/progress.html");

/// The history chart's drawing area, in SVG units.
const LINE_WIDTH: f64 = 640.0;
const LINE_HEIGHT: f64 = 220.0;
/// Room for the axis labels around the drawing area.
const LINE_MARGIN: f64 = 40.0;
/// The domain chart: a bar's full length and one row's height.
const BAR_LENGTH: f64 = 400.0;
const BAR_ROW: f64 = 30.0;

#[derive(Serialize)]
struct View<'a> {
    standing: &'a Standing<'a>,
    disclaimer: &'a str,
    passing: u32,
    reached: bool,
    bars: Vec<Bar<'a>>,
    bars_height: f64,
    bar_length: f64,
    line: Line,
    next: Vec<(&'a super::LabStanding<'a>, u32)>,
}

/// One domain's bar: its score drawn to `length`.
#[derive(Serialize)]
struct Bar<'a> {
    label: String,
    weight: u32,
    percent: f64,
    passed: usize,
    earned: u32,
    possible: u32,
    length: f64,
    y: f64,
    labs: &'a [super::LabStanding<'a>],
}

/// The history chart: the readiness after each run, as points of a polyline.
#[derive(Serialize)]
struct Line {
    width: f64,
    height: f64,
    margin: f64,
    points: Vec<Point>,
    /// `x,y x,y …` for the polyline.
    path: String,
    /// Where 100, 750 and 1000 fall.
    y_floor: f64,
    y_passing: f64,
    y_top: f64,
}

#[derive(Serialize)]
struct Point {
    x: f64,
    y: f64,
    at: String,
    readiness: u32,
}

/// Where a readiness figure falls on the history chart.
fn y_of(readiness: u32) -> f64 {
    let share = f64::from(readiness.clamp(100, 1000) - 100) / 900.0;
    round(LINE_MARGIN + LINE_HEIGHT * (1.0 - share))
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The page for `standing`.
pub fn render(standing: &Standing) -> String {
    let bars = standing
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| Bar {
            label: format!("{} {}", d.id, d.name),
            weight: d.weight,
            percent: (d.score() * 1000.0).round() / 10.0,
            passed: d.passed(),
            earned: d.earned(),
            possible: d.possible(),
            length: round(BAR_LENGTH * d.score()),
            y: i as f64 * BAR_ROW,
            labs: &d.labs,
        })
        .collect::<Vec<_>>();
    let runs = standing.trend.len();
    // One run sits in the middle; more spread from edge to edge.
    let x_of = |i: usize| {
        if runs <= 1 {
            LINE_MARGIN + LINE_WIDTH / 2.0
        } else {
            round(LINE_MARGIN + LINE_WIDTH * i as f64 / (runs - 1) as f64)
        }
    };
    let points: Vec<Point> = standing
        .trend
        .iter()
        .enumerate()
        .map(|(i, (at, readiness))| Point { x: x_of(i), y: y_of(*readiness), at: at.clone(), readiness: *readiness })
        .collect();
    let path = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let view = View {
        standing,
        disclaimer: DISCLAIMER,
        passing: PASSING,
        reached: standing.readiness >= PASSING,
        bars_height: BAR_ROW * standing.domains.len() as f64,
        bar_length: BAR_LENGTH,
        bars,
        line: Line {
            width: LINE_WIDTH,
            height: LINE_HEIGHT,
            margin: LINE_MARGIN,
            points,
            path,
            y_floor: y_of(100),
            y_passing: y_of(PASSING),
            y_top: y_of(1000),
        },
        next: standing.next_labs(3),
    };
    let mut env = minijinja::Environment::new();
    env.add_template("progress.html", TEMPLATE).expect("the progress template parses");
    let template = env.get_template("progress.html").expect("the progress template is there");
    template.render(minijinja::value::Serde(&view)).expect("the progress page renders") + "\n"
}
