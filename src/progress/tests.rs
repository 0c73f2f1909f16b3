use super::history::{append, load};
use super::*;
use crate::lab::{LoadedLabs, load_labs};

fn load_all() -> LoadedLabs {
    let loaded = load_labs(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("labs").as_path());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded
}

fn run(at: &str, labs: &[(&Lab, u32)]) -> Run {
    Run {
        schema: SCHEMA.into(),
        at: at.into(),
        region: Some("us-east-1".into()),
        endpoint: None,
        profile: None,
        labs: labs
            .iter()
            .map(|(lab, earned)| LabRun {
                id: lab.id.clone(),
                earned: *earned,
                possible: lab.possible_points(),
                passed: *earned == lab.possible_points(),
                errors: 0,
            })
            .collect(),
    }
}

fn in_domain<'a>(loaded: &'a LoadedLabs, domain: &str) -> Vec<&'a Lab> {
    loaded.labs.iter().filter(|l| l.domain_id() == Some(domain)).collect()
}

fn full(labs: &[&'static Lab]) -> Vec<(&'static Lab, u32)> {
    labs.iter().map(|l| (*l, l.possible_points())).collect()
}

static LABS: std::sync::LazyLock<LoadedLabs> = std::sync::LazyLock::new(load_all);

fn outline() -> &'static Outline {
    LABS.outline.as_ref().expect("labs/skills.yaml")
}

#[test]
fn no_runs_is_the_bottom_of_the_scale_and_every_lab_passed_the_top() {
    let none = Standing::new(outline(), &LABS.labs, &[]);
    assert_eq!(none.readiness, 100);
    assert!(none.trend.is_empty());
    let all: Vec<&Lab> = LABS.labs.iter().collect();
    let every = Standing::new(outline(), &LABS.labs, &[run("2026-12-01T10:00:00Z", &full(&all))]);
    assert_eq!(every.readiness, 1000);
    assert!(every.next_labs(3).is_empty());
}

/// Domains count by the exam's weights: all of domain 1 (22%) and nothing else is
/// 100 + 900 × 0.22; all of domain 5 (14%) 100 + 900 × 0.14.
#[test]
fn readiness_weighs_domains_as_the_exam_does() {
    let one = Standing::new(outline(), &LABS.labs, &[run("t1", &full(&in_domain(&LABS, "1")))]);
    assert_eq!(one.readiness, 298);
    assert_eq!(one.domains[0].score(), 1.0);
    assert!(one.domains[1..].iter().all(|d| d.score() == 0.0));
    let five = Standing::new(outline(), &LABS.labs, &[run("t1", &full(&in_domain(&LABS, "5")))]);
    assert_eq!(five.readiness, 226);
}

/// A lab's latest grading counts, from whichever run it was in; the trend is the figure
/// after each run, and `previous` the domain's score before the last.
#[test]
fn the_latest_grading_of_each_lab_counts() {
    let sdlc = in_domain(&LABS, "1");
    let (a, b) = (sdlc[0], sdlc[1]);
    let runs = [run("t1", &[(a, a.possible_points()), (b, b.possible_points())]), run("t2", &[(a, 0)])];
    let standing = Standing::new(outline(), &LABS.labs, &runs);
    let domain = &standing.domains[0];
    assert_eq!(domain.earned(), b.possible_points(), "a's last grading earned nothing; b's stands");
    assert_eq!(domain.passed(), 1);
    let before = f64::from(a.possible_points() + b.possible_points()) / f64::from(domain.possible());
    assert_eq!(domain.previous, Some(before));
    assert_eq!(standing.trend.len(), 2);
    assert!(standing.trend[0].1 > standing.trend[1].1, "{:?}", standing.trend);
    assert_eq!(standing.trend[1].1, standing.readiness);
    let next: Vec<&str> = standing.next_labs(usize::MAX).iter().map(|(l, _)| l.id).collect();
    assert!(next.contains(&a.id.as_str()) && !next.contains(&b.id.as_str()), "{next:?}");
}

/// A lab whose points changed since it was graded counts in proportion; a lab no
/// longer in the labs folder counts for nothing.
#[test]
fn a_changed_lab_counts_in_proportion_and_a_gone_one_not_at_all() {
    let lab = in_domain(&LABS, "2")[0];
    let mut old = run("t1", &[(lab, 0)]);
    old.labs[0].possible = lab.possible_points() * 2;
    old.labs[0].earned = lab.possible_points();
    old.labs.push(LabRun { id: "gone".into(), earned: 50, possible: 50, passed: true, errors: 0 });
    let standing = Standing::new(outline(), &LABS.labs, &[old]);
    let mine = standing.domains[1].labs.iter().find(|l| l.id == lab.id).unwrap();
    assert_eq!(mine.earned, lab.possible_points().div_ceil(2));
    assert!(!mine.passed);
    assert_eq!(standing.domains.iter().map(|d| d.labs.len()).sum::<usize>(), LABS.labs.len());
}

/// A crash mid-write leaves a last line cut short: reading skips it (saying which
/// line), every run before it is kept, and the next append starts a line of its own.
#[test]
fn the_history_survives_a_write_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/progress.jsonl");
    let lab = &LABS.labs[0];
    append(&path, &run("t1", &[(lab, 1)])).unwrap();
    append(&path, &run("t2", &[(lab, 2)])).unwrap();
    let whole = std::fs::read_to_string(&path).unwrap();
    let third = serde_json::to_string(&run("t3", &[(lab, 3)])).unwrap();
    std::fs::write(&path, format!("{whole}{}", &third[..third.len() / 2])).unwrap();

    let read = load(&path).unwrap();
    assert_eq!(read.runs.iter().map(|r| r.at.as_str()).collect::<Vec<_>>(), ["t1", "t2"]);
    assert_eq!(read.skipped.len(), 1);
    assert_eq!(read.skipped[0].0, 3, "the cut line is named");

    append(&path, &run("t4", &[(lab, 4)])).unwrap();
    let read = load(&path).unwrap();
    assert_eq!(read.runs.iter().map(|r| r.at.as_str()).collect::<Vec<_>>(), ["t1", "t2", "t4"]);
    assert_eq!(read.runs[2].labs[0].earned, 4);
    assert_eq!(read.skipped.len(), 1);
}

#[test]
fn a_missing_history_is_empty_and_another_schema_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.jsonl");
    assert!(load(&path).unwrap().runs.is_empty());
    let mut other = run("t1", &[]);
    other.schema = "labcheck.progress/v9".into();
    std::fs::write(&path, serde_json::to_string(&other).unwrap() + "\n\n").unwrap();
    let read = load(&path).unwrap();
    assert!(read.runs.is_empty());
    assert!(read.skipped[0].1.contains("labcheck.progress/v9"), "{:?}", read.skipped);
}

/// Credentials never reach the history: a run holds where it graded, not who as.
#[test]
fn a_history_line_holds_no_credentials() {
    let target =
        crate::target::TargetInfo { profile: Some("learner".into()), region: Some("eu-west-1".into()), endpoint: None };
    let line = serde_json::to_value(Run::new(&[], &target)).unwrap();
    let keys: Vec<&str> = line.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["schema", "at", "region", "profile", "labs"]);
    let schema = crate::report::v1::schema("progress").unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&line), "a history line meets `labcheck schema progress`");
    let at = line["at"].as_str().unwrap();
    assert!(at.len() == 20 && at.ends_with('Z'), "RFC 3339 to the second: {at}");
}

/// Three runs: a first try, most of domains 1 and 4, then a lab lost again.
fn sample_runs() -> Vec<Run> {
    let sdlc = in_domain(&LABS, "1");
    let monitoring = in_domain(&LABS, "4");
    let mut second: Vec<(&Lab, u32)> = full(&sdlc);
    second.extend(full(&monitoring[..2]));
    second.push((monitoring[2], monitoring[2].possible_points() / 2));
    vec![
        run("2026-11-28T18:02:11Z", &[(sdlc[0], 2), (sdlc[1], 0)]),
        run("2026-11-30T20:15:40Z", &second),
        run("2026-12-01T09:30:05Z", &[(sdlc[1], 3)]),
    ]
}

#[test]
fn terminal_report() {
    let runs = sample_runs();
    let standing = Standing::new(outline(), &LABS.labs, &runs);
    let shown = text::render(&standing, runs.last());
    insta::assert_snapshot!("progress_terminal", anstream::adapter::strip_str(&shown).to_string());
}

#[test]
fn html_page() {
    let runs = sample_runs();
    let standing = Standing::new(outline(), &LABS.labs, &runs);
    let page = html::render(&standing);
    assert_eq!(page.matches("<rect class=\"score\"").count(), 6, "a bar per domain");
    assert_eq!(page.matches("<circle class=\"run\"").count(), 3, "a point per run");
    assert!(!page.contains("<script"), "no script: the page opens anywhere");
    insta::assert_snapshot!("progress_html", page);
}

/// Values from lab files are escaped in the page.
#[test]
fn html_escapes_what_it_shows() {
    let mut labs = LABS.labs.clone();
    labs[0].title = "<img src=x onerror=alert(1)> & co".into();
    let standing = Standing::new(outline(), &labs, &[]);
    let page = html::render(&standing);
    assert!(!page.contains("<img"), "{page}");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; &amp; co"));
    assert!(page.contains("No runs yet"));
}
