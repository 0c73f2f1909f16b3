//! What each command does, from parsed arguments to an exit code.

use crate::cli::{
    Cli, Command, ExplainArgs, ExplainFormat, GradeArgs, GradebookAction, KindsFormat, PolicyFormat, ProgressArgs,
    ReportFormat, RunArgs, SelftestArgs, SelftestFormat, WatchArgs,
};
use crate::collect::{self, Clients, Ctx};
use crate::error::{AppError, exit};
use crate::grade::{GradeOptions, Progress, grade_lab};
use crate::lab::{Diagnostic, Lab, LoadedLabs, load_labs, load_wanted};
use crate::report::{self, Report};
use crate::target::Target;
use anstream::{eprintln, print, println};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Run the command; its exit code (see [`crate::error`]). An error is printed here.
pub fn run(cli: Cli) -> i32 {
    let labs = cli.labs.unwrap_or_else(crate::lab::default_root);
    let done = match cli.command {
        Command::List => list(&load_labs(&labs)),
        Command::Show { lab } => show(&load_wanted(&labs, std::slice::from_ref(&lab)), &lab),
        Command::Validate { path } => validate(&load_labs(path.as_deref().unwrap_or(&labs))),
        Command::Kinds { format } => kinds(format),
        Command::Skills => skills(&load_labs(&labs)),
        Command::Policy { lab, format } => policy(&load_labs(&labs), &lab, format),
        Command::Run(args) => runtime().block_on(grade(&load_wanted(&labs, &args.lab), args)),
        Command::Watch(args) => runtime().block_on(watch(&load_wanted(&labs, std::slice::from_ref(&args.lab)), args)),
        Command::Explain(args) => {
            runtime().block_on(explain(&load_wanted(&labs, std::slice::from_ref(&args.lab)), args))
        }
        Command::Progress(args) => runtime().block_on(progress(&load_labs(&labs), args)),
        Command::Selftest(args) => runtime().block_on(selftest(&load_labs(&labs), args)),
        Command::Grade(args) => runtime().block_on(grade_roster(&load_labs(&labs), args)),
        Command::Schema { name } => schema(name),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
        Command::Gradebook { action: GradebookAction::Merge { out, shards } } => {
            gradebook_merge(&load_labs(&labs), &out, &shards)
        }
        Command::Gradebook { action: GradebookAction::Export(export) } => gradebook_export(&load_labs(&labs), export),
    };
    done.unwrap_or_else(|err| {
        eprintln!("error: {err}");
        err.exit_code()
    })
}

/// The target named by the command line and its SDK configuration (through its role,
/// when one is given).
async fn resolve_target(
    args: &crate::cli::TargetArgs,
    role: Option<&crate::cli::RoleArgs>,
) -> Result<(Target, aws_types::SdkConfig), AppError> {
    let target = args.target(role);
    let conf = target.sdk_config().await?;
    Ok((target, conf))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime")
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("error: {d}");
    }
}

fn list(loaded: &LoadedLabs) -> Result<i32, AppError> {
    let width = loaded.labs.iter().map(|l| l.id.len()).max().unwrap_or(2);
    println!("{:<width$}  {:<7}  {:>6}  TITLE", "ID", "DOMAIN", "POINTS");
    for lab in &loaded.labs {
        let domain = lab.domain_id().unwrap_or("-");
        println!("{:<width$}  {:<7}  {:>6}  {}", lab.id, domain, lab.possible_points(), lab.title);
    }
    labs_valid(loaded).map(|()| exit::PASSED)
}

/// Whether the labs loaded without problems; else the problems are printed.
fn labs_valid(loaded: &LoadedLabs) -> Result<(), AppError> {
    print_diagnostics(&loaded.diagnostics);
    if loaded.diagnostics.is_empty() { Ok(()) } else { Err(AppError::InvalidLabs) }
}

/// The lab named on the command line, or why there is none (with the labs' problems
/// printed, when it is one of them).
fn find_lab<'a>(loaded: &'a LoadedLabs, wanted: &str) -> Result<&'a Lab, AppError> {
    if let Some(lab) = loaded.find(wanted) {
        return Ok(lab);
    }
    let ids = loaded.labs.iter().map(|l| l.id.as_str());
    let hint = crate::lab::diagnostic::did_you_mean(wanted, ids)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_else(|| " (see `labcheck list`)".into());
    let broken = loaded.diagnostics.iter().any(|d| d.file.to_string_lossy().contains(wanted));
    print_diagnostics(&loaded.diagnostics);
    if broken {
        Err(AppError::BadInput(format!("lab `{wanted}` has errors (above)")))
    } else {
        Err(AppError::BadInput(format!("no lab `{wanted}`{hint}")))
    }
}

fn show(loaded: &LoadedLabs, wanted: &str) -> Result<i32, AppError> {
    let lab = find_lab(loaded, wanted)?;
    println!("{} · {}", lab.id, lab.title);
    if !lab.tasks.is_empty() {
        let titles: Vec<String> = lab
            .tasks
            .iter()
            .map(|t| match loaded.outline.as_ref().and_then(|o| o.task(t)) {
                Some(task) => format!("{t} {}", task.title),
                None => t.clone(),
            })
            .collect();
        println!("DOP-C02: {}", titles.join("; "));
    }
    println!("\n{}", lab.summary.trim_end());
    if let Some(docs) = &lab.docs {
        println!("\nDocs: {docs}");
    }
    if !lab.params.is_empty() {
        println!("\nParams (override with --param NAME=VALUE):");
        for (name, p) in &lab.params {
            let default = p.default.as_ref().map(|d| format!(" = {}", crate::expect::show(d))).unwrap_or_default();
            println!("  {name}{default}  {}", p.description.as_deref().unwrap_or(""));
        }
    }
    println!("\nChecks ({} points):", lab.possible_points());
    let defaults = lab.param_values(&BTreeMap::new());
    for c in &lab.checks {
        let title = crate::lab::template::render_str(&c.title, &defaults).unwrap_or_else(|_| c.title.clone());
        let needs = if c.needs.is_empty() { String::new() } else { format!(" (after {})", c.needs.join(", ")) };
        println!("  {:>2} pt  {:<28} {title}{needs}", c.points, c.id);
    }
    println!("\nAsks and the checks that grade them:");
    for (number, _) in lab.asks() {
        let grading: Vec<&str> =
            lab.checks.iter().filter(|c| c.asks.contains(&number)).map(|c| c.id.as_str()).collect();
        println!("  {number}. {}", if grading.is_empty() { "no check".to_string() } else { grading.join(", ") });
    }
    Ok(exit::PASSED)
}

/// The labs, and the selftest scenarios beside them (near misses, alternatives).
fn validate(loaded: &LoadedLabs) -> Result<i32, AppError> {
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(loaded.labs.iter().flat_map(crate::lab::scenario::scenario_problems));
    print_diagnostics(&diagnostics);
    let checks: usize = loaded.labs.iter().map(|l| l.checks.len()).sum();
    if diagnostics.is_empty() {
        println!("{} labs, {checks} checks: no problems found", loaded.labs.len());
        Ok(exit::PASSED)
    } else {
        // The problems are the output: their count ends it, with the bad-input code.
        eprintln!("{} problem(s) found", diagnostics.len());
        Ok(exit::ERROR)
    }
}

fn skills(loaded: &LoadedLabs) -> Result<i32, AppError> {
    let Some(outline) = &loaded.outline else {
        return Err(AppError::BadInput("no skills.yaml in the labs folder or above it".into()));
    };
    let checks: usize = loaded.labs.iter().map(|l| l.checks.len()).sum();
    println!("{} coverage: {} labs, {checks} checks", outline.exam, loaded.labs.len());
    let (mut tasks_covered, mut skills_covered) = (0, 0);
    for (domain, tasks) in outline.coverage(&loaded.labs) {
        println!("\n{} {} ({}%)", domain.id, domain.name, domain.weight);
        for covered in tasks {
            tasks_covered += usize::from(!covered.labs.is_empty());
            skills_covered += covered.skills.len();
            let labs = if covered.labs.is_empty() { "no lab".to_string() } else { covered.labs.join(", ") };
            let list =
                if covered.skills.is_empty() { String::new() } else { format!(" ({})", covered.skills.join(", ")) };
            let task = covered.task;
            println!("  {} {}", task.id, task.title);
            println!("      labs: {labs}; skills checked: {}/{}{list}", covered.skills.len(), task.skills.len());
        }
    }
    let total_tasks = outline.tasks().count();
    let total_skills = outline.skills().count();
    println!(
        "\nTask statements with a lab: {tasks_covered}/{total_tasks}; skills exercised by a check: {skills_covered}/{total_skills} ({}%)",
        crate::report::percent(skills_covered as u32, total_skills as u32)
    );
    labs_valid(loaded).map(|()| exit::PASSED)
}

fn kinds(format: KindsFormat) -> Result<i32, AppError> {
    if format == KindsFormat::Markdown {
        print!("{}", collect::kinds_markdown());
        return Ok(exit::PASSED);
    }
    for kind in collect::KINDS.iter() {
        println!("{}\n  {}", kind.name, kind.description);
        for s in kind.selector {
            let req = if s.required { " (required)" } else { "" };
            println!("  select.{}: {}{req}", s.name, s.doc);
        }
        if !kind.one_of.is_empty() {
            println!("  one of: {}", kind.one_of.join(", "));
        }
        println!("  calls: {}", kind.operations.join(", "));
        println!("  fact: as printed by `{}`\n", kind.cli);
    }
    Ok(exit::PASSED)
}

async fn grade(loaded: &LoadedLabs, args: RunArgs) -> Result<i32, AppError> {
    let labs = args.lab.iter().map(|wanted| find_lab(loaded, wanted)).collect::<Result<Vec<_>, _>>()?;
    let params = declared_params(&labs, args.params.params)?;
    let (target, conf) = resolve_target(&args.account.target, Some(&args.account.role)).await?;
    let ctx = Ctx::new(Clients::new(&conf));
    let opts = grading_options(params, args.account.max_wait);
    // The labs share one memo: a read two labs need is made once.
    let mut results = futures::future::join_all(labs.into_iter().map(|lab| grade_lab(lab, &ctx, &opts))).await;
    crate::feedback::apply(&mut results, args.feedback.into());
    let info = target.info(&conf);
    let report = Report { results: &results, outline: loaded.outline.as_ref(), target: &info };
    match args.format {
        ReportFormat::Human => print!("{}", report::human::render(&report)),
        ReportFormat::Json => print!("{}", report::json::render(&report)),
        ReportFormat::Junit => print!("{}", report::junit::render(&report)),
        ReportFormat::Github => {
            let github = report::github::render(&report);
            print!("{}{}", report::human::render(&report), github.annotations);
            write_step_summary(&github.summary)?;
        }
    }
    Ok(report::exit_code(&results))
}

/// Grade the lab as `run` does and explain one of its checks. Its exit code is the
/// check's, as `run` would give it for that check alone.
async fn explain(loaded: &LoadedLabs, args: ExplainArgs) -> Result<i32, AppError> {
    let lab = find_lab(loaded, &args.lab)?;
    let check = crate::explain::find_check(lab, &args.check).map_err(AppError::BadInput)?;
    let params = declared_params(&[lab], args.params.params)?;
    let (target, conf) = resolve_target(&args.account.target, Some(&args.account.role)).await?;
    let ctx = Ctx::new(Clients::new(&conf));
    let opts = grading_options(params, args.account.max_wait);
    let explained = crate::explain::explain(lab, check, &ctx, &opts, args.full).await;
    match args.format {
        ExplainFormat::Human => print!("{}", report::explain::render(&explained, &target.info(&conf))),
        ExplainFormat::Json => println!("{}", serde_json::to_string_pretty(&explained).expect("serializes")),
    }
    Ok(match explained.outcome.status {
        crate::grade::Status::Pass => exit::PASSED,
        crate::grade::Status::Fail | crate::grade::Status::Skip => exit::FAILED,
        crate::grade::Status::Error => exit::ERROR,
    })
}

/// Grade the labs asked for (all by default), append the run to the history, and show
/// the standing: in the terminal, and as a page with `--html`. Its exit code is `run`'s
/// for the labs graded (0 with `--from-history`).
async fn progress(loaded: &LoadedLabs, args: ProgressArgs) -> Result<i32, AppError> {
    use crate::progress::{Run, Standing, history};
    labs_valid(loaded)?;
    let Some(outline) = loaded.outline.as_ref() else {
        return Err(AppError::BadInput("progress needs the exam outline (skills.yaml) beside the labs".into()));
    };
    let path = args.history.clone().or_else(history::default_path).ok_or_else(|| {
        AppError::BadInput("no data folder to keep the history in: set HOME or pass --history FILE".into())
    })?;
    let unreadable = |source| AppError::BadInput(format!("reading the history {}: {source}", path.display()));
    let mut past = history::load(&path).map_err(unreadable)?;
    for (line, why) in &past.skipped {
        eprintln!("note: {}:{line} skipped: {why}", path.display());
    }
    let mut code = exit::PASSED;
    if !args.from_history {
        let labs: Vec<&Lab> = if args.lab.is_empty() {
            loaded.labs.iter().collect()
        } else {
            args.lab.iter().map(|wanted| find_lab(loaded, wanted)).collect::<Result<_, _>>()?
        };
        let params = declared_params(&labs, args.params.params)?;
        let (target, conf) = resolve_target(&args.account.target, Some(&args.account.role)).await?;
        let ctx = Ctx::new(Clients::new(&conf));
        let opts = grading_options(params, args.account.max_wait);
        let results = futures::future::join_all(labs.into_iter().map(|lab| grade_lab(lab, &ctx, &opts))).await;
        code = report::exit_code(&results);
        let run = Run::new(&results, &target.info(&conf));
        history::append(&path, &run).map_err(|source| AppError::Write { path: path.clone(), source })?;
        past.runs.push(run);
    }
    let this_run = if args.from_history { None } else { past.runs.last() };
    let standing = Standing::new(outline, &loaded.labs, &past.runs);
    print!("{}", crate::progress::text::render(&standing, this_run));
    println!("History: {} ({} run{})", path.display(), past.runs.len(), if past.runs.len() == 1 { "" } else { "s" });
    if let Some(html) = &args.html {
        std::fs::write(html, crate::progress::html::render(&standing))
            .map_err(|source| AppError::Write { path: html.clone(), source })?;
        println!("Wrote {}", html.display());
    }
    Ok(code)
}

/// `run`'s grading options: the params, `--max-wait`, and progress on stderr (which
/// check waits for the account to settle, and how long more).
fn grading_options(params: BTreeMap<String, String>, max_wait: Option<u64>) -> GradeOptions {
    let progress: crate::grade::ProgressFn = Arc::new(|p| match p {
        Progress::Waiting { check, attempt, remaining } => {
            eprintln!("… {check}: not yet (try {attempt}); waiting up to {}s more", remaining.as_secs());
        }
    });
    GradeOptions { params, progress: Some(progress), max_wait: max_wait.map(std::time::Duration::from_secs) }
}

/// Append the job summary to the file GitHub Actions names in $GITHUB_STEP_SUMMARY, or
/// print it when there is none (a run outside Actions).
fn write_step_summary(summary: &str) -> Result<(), AppError> {
    use std::io::Write;
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        print!("\n{summary}");
        return Ok(());
    };
    let path = PathBuf::from(path);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(summary.as_bytes()))
        .map_err(|source| AppError::Write { path, source })
}

/// `--param` values, each declared by one of `labs`.
fn declared_params(labs: &[&Lab], params: Vec<(String, String)>) -> Result<BTreeMap<String, String>, AppError> {
    let params: BTreeMap<String, String> = params.into_iter().collect();
    for name in params.keys() {
        if !labs.iter().any(|l| l.params.contains_key(name)) {
            let known: Vec<&str> = labs.iter().flat_map(|l| l.params.keys().map(String::as_str)).collect();
            let known = known.join(", ");
            return Err(AppError::BadInput(format!(
                "--param {name}: no selected lab has this param (params: {known})"
            )));
        }
    }
    Ok(params)
}

/// Grade one lab in rounds, each with fresh reads, until every check passes. On a
/// terminal each round redraws the report; otherwise the first round prints it and
/// later rounds print only the checks that changed.
async fn watch(loaded: &LoadedLabs, args: WatchArgs) -> Result<i32, AppError> {
    use crate::watch::{self, Backoff};
    use std::io::{IsTerminal, Write};
    use std::time::{Duration, Instant};
    let lab = find_lab(loaded, &args.lab)?;
    let params = declared_params(&[lab], args.params.params)?;
    let (target, conf) = resolve_target(&args.target, Some(&args.role)).await?;
    let ctx = Ctx::new(Clients::new(&conf));
    // The next round reads again: a round never waits on `eventually` checks itself.
    let opts = GradeOptions { params, progress: None, max_wait: Some(Duration::ZERO) };
    let info = target.info(&conf);
    let terminal = std::io::stdout().is_terminal();
    let deadline = args.timeout.map(|seconds| Instant::now() + Duration::from_secs(seconds));
    let mut backoff = Backoff::new(Duration::from_secs(args.interval));
    let mut previous: Option<crate::grade::LabResult> = None;
    let mut round = 0;
    loop {
        round += 1;
        let fresh = ctx.fresh();
        let graded = tokio::select! {
            graded = grade_lab(lab, &fresh, &opts) => graded,
            _ = tokio::signal::ctrl_c() => return Ok(exit::INTERRUPTED),
        };
        let changes = previous.as_ref().map(|before| watch::changes(before, &graded));
        let results = std::slice::from_ref(&graded);
        let report = Report { results, outline: loaded.outline.as_ref(), target: &info };
        match &changes {
            Some(changes) if !terminal => print!("{}", watch::render_changes(round, changes, &graded)),
            _ => {
                if terminal {
                    // Clear the screen and go home: written past anstream, which would
                    // strip it with colours off.
                    let _ = write!(std::io::stdout(), "\x1b[2J\x1b[H");
                }
                print!("{}", report::human::render(&report));
            }
        }
        if watch::all_pass(&graded) {
            return Ok(exit::PASSED);
        }
        let changed = changes.is_none_or(|c| !c.is_empty());
        let mut wait = backoff.next(changed, watch::throttled(&graded));
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                eprintln!("watch: stopped after --timeout {}s", args.timeout.unwrap_or_default());
                return Ok(report::exit_code(results));
            }
            wait = wait.min(left);
        }
        if terminal {
            println!("round {round} · next round in {}s · Ctrl-C to stop", wait.as_secs());
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = tokio::signal::ctrl_c() => return Ok(exit::INTERRUPTED),
        }
        previous = Some(graded);
    }
}

/// The labs named on the command line (every lab when none is named), all valid.
fn select_labs<'a>(loaded: &'a LoadedLabs, wanted: &[String]) -> Result<Vec<&'a Lab>, AppError> {
    labs_valid(loaded)?;
    if wanted.is_empty() {
        return Ok(loaded.labs.iter().collect());
    }
    wanted.iter().map(|w| find_lab(loaded, w)).collect()
}

fn policy(loaded: &LoadedLabs, wanted: &[String], format: PolicyFormat) -> Result<i32, AppError> {
    let labs = select_labs(loaded, wanted)?;
    match format {
        PolicyFormat::Iam => {
            println!("{}", serde_json::to_string_pretty(&crate::policy::policy_document(&labs)).expect("serializes"))
        }
        PolicyFormat::Cloudformation => print!("{}", crate::policy::cloudformation_role(&labs)),
    }
    Ok(exit::PASSED)
}

/// Two scenarios per core: a scenario's AWS CLI calls keep a core busy, and its
/// gradings wait on the emulator about half the time.
fn default_selftest_jobs() -> usize {
    2 * std::thread::available_parallelism().map(usize::from).unwrap_or(2)
}

async fn selftest(loaded: &LoadedLabs, args: SelftestArgs) -> Result<i32, AppError> {
    use crate::emulator::Emulator;
    use crate::selftest::Prover;
    use futures::StreamExt;
    let labs = select_labs(loaded, &args.lab)?;
    let (_, conf) = resolve_target(&args.target, None).await?;
    let emulator = Emulator::new(conf).map_err(|why| {
        AppError::BadInput(format!(
            "selftest runs the labs' solution scripts, which create resources, so it only runs against a local \
             emulator (--endpoint-url http://127.0.0.1:PORT): {why}"
        ))
    })?;
    let jobs = args.jobs.unwrap_or_else(default_selftest_jobs).max(1);
    let prover = Prover::new(emulator, std::time::Duration::from_secs(args.max_wait), jobs).named(&args.emulator);
    // Labs wait for the prover's scenario slots; a few in flight keep every slot busy.
    let proofs: Vec<_> =
        futures::stream::iter(labs.iter().map(|lab| prover.prove_lab(lab))).buffered(jobs).collect().await;
    let out = match args.format {
        SelftestFormat::Table => crate::selftest::render_table(&proofs, &args.emulator, false),
        SelftestFormat::Markdown => crate::selftest::render_table(&proofs, &args.emulator, true),
        SelftestFormat::Json => {
            let document = crate::report::v1::Selftest::new(&args.emulator, &proofs);
            serde_json::to_string_pretty(&document).expect("serializes") + "\n"
        }
    };
    print!("{out}");
    Ok(if proofs.iter().any(|p| p.is_broken()) { exit::FAILED } else { exit::PASSED })
}

fn schema(name: crate::cli::SchemaName) -> Result<i32, AppError> {
    use crate::cli::SchemaName;
    let name = match name {
        SchemaName::Report => "report",
        SchemaName::Selftest => "selftest",
        SchemaName::Student => "student",
        SchemaName::Progress => "progress",
        SchemaName::Lab => {
            println!("{}", serde_json::to_string_pretty(&crate::lab::schema::lab_schema()).expect("serializes"));
            return Ok(exit::PASSED);
        }
    };
    let schema = crate::report::v1::schema(name).expect("every SchemaName has a schema");
    println!("{}", serde_json::to_string_pretty(&schema).expect("serializes"));
    Ok(exit::PASSED)
}

/// A gradebook as the file Canvas or Moodle imports, on stdout; what the grader should
/// know (rows the LMS cannot match, students left out) on stderr.
/// `gradebook merge OUT SHARD...`: the shards' results in roster order, the gradebook
/// files written from them as `grade` writes its own, and each student's JUnit file.
fn gradebook_merge(loaded: &LoadedLabs, out: &Path, shards: &[PathBuf]) -> Result<i32, AppError> {
    use crate::batch::{self, gradebook, shard};
    if shard::holds_results(out) {
        return Err(AppError::BadInput(format!(
            "{} already holds a gradebook ({}); merge into a new folder",
            out.display(),
            batch::RESULTS_FILE
        )));
    }
    let merged = shard::merge(shards).map_err(|problems| AppError::BadInput(problems.join("\n")))?;
    let labs = merged.labs.iter().map(|id| find_lab(loaded, id)).collect::<Result<Vec<_>, _>>()?;
    let write = || -> std::io::Result<gradebook::Tally> {
        std::fs::create_dir_all(out.join(gradebook::JUNIT_DIR))?;
        for file in &merged.junit {
            std::fs::copy(file, out.join(gradebook::JUNIT_DIR).join(file.file_name().unwrap_or_default()))?;
        }
        batch::write_results(out, merged.records.iter().map(Ok))?;
        gradebook::write(out, &labs, loaded.outline.as_ref(), merged.records.iter().map(Ok))
    };
    let tally = write().map_err(|source| AppError::Write { path: out.to_path_buf(), source })?;
    let errors = tally.errors;
    println!(
        "{} shards merged: {} students graded, {errors} could not be; gradebook in {}",
        shards.len(),
        tally.students - errors,
        out.join(gradebook::CSV_FILE).display()
    );
    Ok(if errors > 0 { exit::ERROR } else { exit::PASSED })
}

fn gradebook_export(loaded: &LoadedLabs, export: crate::cli::GradebookExport) -> Result<i32, AppError> {
    use crate::batch::lms::{self, Columns, MoodleIdentity};
    use crate::cli::{GradebookExport, MoodleIdentityArg};
    let (args, identity) = match export {
        GradebookExport::Canvas(args) => (args, None),
        GradebookExport::Moodle { args, identity } => (args, Some(identity)),
    };
    let roster = crate::batch::roster::load_roster(&args.roster).map_err(|d| AppError::BadInput(d.to_string()))?;
    print_diagnostics(&roster.problems);
    let records: Vec<_> = crate::batch::read_results(&args.gradebook).into_values().collect();
    if records.is_empty() {
        return Err(AppError::BadInput(format!(
            "{} holds no results ({}): grade the class first",
            args.gradebook.display(),
            crate::batch::RESULTS_FILE
        )));
    }
    // The labs the class was graded on, in the order the results list them.
    let mut lab_ids: Vec<&str> = Vec::new();
    for lab in records.iter().flat_map(|r| &r.labs) {
        if !lab_ids.contains(&lab.id.as_str()) {
            lab_ids.push(&lab.id);
        }
    }
    let labs = lab_ids.iter().map(|id| find_lab(loaded, id)).collect::<Result<Vec<_>, _>>()?;
    let assignment_ids: BTreeMap<String, String> = args.assignment_ids.into_iter().collect();
    for key in assignment_ids.keys() {
        if key != "total" && !lab_ids.contains(&key.as_str()) {
            return Err(AppError::BadInput(format!(
                "--assignment-id {key}: not a lab of this gradebook (labs: {}, or total)",
                lab_ids.join(", ")
            )));
        }
    }
    let cols = Columns {
        total: args.total.is_some(),
        total_name: args.total.as_deref().unwrap_or_default(),
        assignment_ids: &assignment_ids,
    };
    let (file, warnings) = match identity {
        None => lms::canvas(&labs, &roster.students, &records, &cols),
        Some(identity) => {
            let identity = match identity {
                MoodleIdentityArg::Email => MoodleIdentity::Email,
                MoodleIdentityArg::Username => MoodleIdentity::Username,
                MoodleIdentityArg::Idnumber => MoodleIdentity::IdNumber,
            };
            lms::moodle(&labs, &roster.students, &records, &cols, identity)
        }
    };
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    print!("{file}");
    Ok(exit::PASSED)
}

fn completions(shell: clap_complete::Shell) -> Result<i32, AppError> {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "labcheck", &mut std::io::stdout());
    Ok(exit::PASSED)
}

fn man() -> Result<i32, AppError> {
    let command = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(command)
        .render(&mut std::io::stdout())
        .map_err(|source| AppError::Write { path: "stdout".into(), source })?;
    Ok(exit::PASSED)
}

async fn grade_roster(loaded: &LoadedLabs, args: GradeArgs) -> Result<i32, AppError> {
    use crate::batch::{self, BatchOptions, Event, gradebook, roster};
    let labs = select_labs(loaded, &args.lab)?;
    let mut roster = roster::load_roster(&args.roster).map_err(|d| AppError::BadInput(d.to_string()))?;
    print_diagnostics(&roster.problems);
    // Only who is graded already, not their results: memory stays flat in the roster.
    let existing = batch::results_index(&args.out).unwrap_or_default();
    if !args.resume && !existing.is_empty() {
        return Err(AppError::BadInput(format!(
            "{} already holds {} results; pass --resume to keep them and grade the rest, or choose another --out",
            args.out.display(),
            existing.len()
        )));
    }
    // After that refusal: a folder refused is left as it was, without a shard manifest.
    if let Some(part) = args.shard {
        let ids = roster.students.iter().map(|s| s.id.clone()).collect();
        let manifest = batch::shard::Manifest::new(part, labs.iter().map(|l| l.id.clone()).collect(), ids);
        manifest.write(&args.out).map_err(AppError::BadInput)?;
        roster.students.retain(|s| part.holds(&s.id));
    }
    let (_, conf) = resolve_target(&args.target, None).await?;
    let conf =
        conf.into_builder().retry_config(aws_config::retry::RetryConfig::adaptive().with_max_attempts(5)).build();
    let opts = BatchOptions {
        jobs: args.jobs,
        per_student_timeout: std::time::Duration::from_secs(args.timeout),
        per_account_calls: args.per_account_calls,
        max_wait: args.max_wait.map(std::time::Duration::from_secs),
        out_dir: args.out.clone(),
        feedback: args.feedback.into(),
    };
    // A progress bar on a terminal; nothing per student elsewhere (CI logs stay quiet).
    let kept = existing.len();
    let todo = roster.students.iter().filter(|s| !existing.contains_key(&s.id)).count();
    let bar = indicatif::ProgressBar::new(todo as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} students · {msg} · {elapsed} (about {eta} left)")
            .expect("valid template"),
    );
    let tally = std::sync::Mutex::new((0usize, 0usize));
    let on_event = |e: Event| match e {
        Event::Done { record, .. } => {
            let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
            if record.error.is_some() {
                t.1 += 1;
            } else if record.earned == record.possible {
                t.0 += 1;
            }
            bar.set_message(format!("{} full marks, {} errored", t.0, t.1));
            bar.inc(1);
        }
    };
    let run = batch::grade_roster(&conf, &roster.students, &labs, &opts, &on_event);
    let records = tokio::select! {
        records = run => records,
        _ = tokio::signal::ctrl_c() => {
            let kept = args.out.join(batch::RESULTS_FILE);
            return Err(AppError::Interrupted {
                resume: format!("finished students are kept in {}; rerun with --resume", kept.display()),
            });
        }
    };
    // The gradebook is written from results.jsonl, whose first lines are the roster's.
    let tally = records
        .and_then(|on_roster| {
            let records = batch::each_result(&args.out)?.take(on_roster);
            gradebook::write(&args.out, &labs, loaded.outline.as_ref(), records)
        })
        .map_err(|source| AppError::Write { path: args.out.clone(), source })?;
    bar.finish_and_clear();
    if args.format == crate::cli::GradeFormat::Github {
        // The annotations and job summary need the class at once (a CI log's worth).
        let records = batch::each_result(&args.out)
            .and_then(|records| records.take(tally.students).collect::<std::io::Result<Vec<_>>>())
            .map_err(|source| AppError::Write { path: args.out.clone(), source })?;
        let github = report::github::render_class(&labs, &records);
        print!("{}", github.annotations);
        write_step_summary(&github.summary)?;
    }
    let errors = tally.errors;
    println!(
        "{} students graded, {} could not be ({} graded now, {kept} kept from before); gradebook in {}",
        tally.students - errors,
        errors,
        todo,
        args.out.join(gradebook::CSV_FILE).display()
    );
    Ok(if errors > 0 || !roster.problems.is_empty() { exit::ERROR } else { exit::PASSED })
}
