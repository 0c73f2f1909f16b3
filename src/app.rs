//! What each command does, from parsed arguments to an exit code.

use crate::cli::{Cli, Command, GradeArgs, KindsFormat, PolicyFormat, RunArgs, SelftestArgs, SelftestFormat};
use crate::collect::{self, Clients, Ctx};
use crate::grade::{GradeOptions, Progress, grade_lab};
use crate::lab::{Diagnostic, Lab, LoadedLabs, load_labs};
use crate::report::{self, Format, Report};
use crate::target::Target;
use anstream::{eprintln, print, println};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const EXIT_BAD_INPUT: i32 = 2;

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::List => list(&load_labs(&cli.labs)),
        Command::Show { lab } => show(&load_labs(&cli.labs), &lab),
        Command::Validate { path } => validate(&load_labs(path.as_deref().unwrap_or(&cli.labs))),
        Command::Kinds { format } => kinds(format),
        Command::Skills => skills(&load_labs(&cli.labs)),
        Command::Policy { lab, format } => policy(&load_labs(&cli.labs), &lab, format),
        Command::Run(args) => runtime().block_on(grade(&load_labs(&cli.labs), args)),
        Command::Selftest(args) => runtime().block_on(selftest(&load_labs(&cli.labs), args)),
        Command::Grade(args) => runtime().block_on(grade_roster(&load_labs(&cli.labs), args)),
    }
}

/// The target named by the command line and its SDK configuration; on failure the error
/// is printed and the exit code returned.
async fn resolve_target(args: &crate::cli::TargetArgs) -> Result<(Target, aws_types::SdkConfig), i32> {
    let target = Target::from(args);
    match target.sdk_config().await {
        Ok(conf) => Ok((target, conf)),
        Err(msg) => {
            eprintln!("error: {msg}");
            Err(EXIT_BAD_INPUT)
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime")
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("error: {d}");
    }
}

fn list(loaded: &LoadedLabs) -> i32 {
    let width = loaded.labs.iter().map(|l| l.id.len()).max().unwrap_or(2);
    println!("{:<width$}  {:<7}  {:>6}  TITLE", "ID", "DOMAIN", "POINTS");
    for lab in &loaded.labs {
        let domain = lab.domain_id().unwrap_or("-");
        println!("{:<width$}  {:<7}  {:>6}  {}", lab.id, domain, lab.possible_points(), lab.title);
    }
    print_diagnostics(&loaded.diagnostics);
    if loaded.diagnostics.is_empty() { 0 } else { EXIT_BAD_INPUT }
}

/// The lab named on the command line, or a message saying why there is none.
fn find_lab<'a>(loaded: &'a LoadedLabs, wanted: &str) -> Result<&'a Lab, String> {
    if let Some(lab) = loaded.find(wanted) {
        return Ok(lab);
    }
    let ids = loaded.labs.iter().map(|l| l.id.as_str());
    let hint = crate::lab::diagnostic::did_you_mean(wanted, ids)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_else(|| " (see `labcheck list`)".into());
    let broken = loaded.diagnostics.iter().any(|d| d.file.to_string_lossy().contains(wanted));
    if broken { Err(format!("lab `{wanted}` has errors:")) } else { Err(format!("no lab `{wanted}`{hint}")) }
}

fn show(loaded: &LoadedLabs, wanted: &str) -> i32 {
    let lab = match find_lab(loaded, wanted) {
        Ok(lab) => lab,
        Err(msg) => {
            eprintln!("error: {msg}");
            print_diagnostics(&loaded.diagnostics);
            return EXIT_BAD_INPUT;
        }
    };
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
    0
}

/// The labs, and the selftest scenarios beside them (near misses, alternatives).
fn validate(loaded: &LoadedLabs) -> i32 {
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(loaded.labs.iter().flat_map(crate::lab::scenario::scenario_problems));
    print_diagnostics(&diagnostics);
    let checks: usize = loaded.labs.iter().map(|l| l.checks.len()).sum();
    if diagnostics.is_empty() {
        println!("{} labs, {checks} checks: no problems found", loaded.labs.len());
        0
    } else {
        eprintln!("{} problem(s) found", diagnostics.len());
        EXIT_BAD_INPUT
    }
}

fn skills(loaded: &LoadedLabs) -> i32 {
    let Some(outline) = &loaded.outline else {
        eprintln!("error: no skills.yaml in the labs folder or above it");
        return EXIT_BAD_INPUT;
    };
    let checks: usize = loaded.labs.iter().map(|l| l.checks.len()).sum();
    println!("{} coverage: {} labs, {checks} checks", outline.exam, loaded.labs.len());
    let (mut tasks_covered, mut skills_covered) = (0, 0);
    for domain in &outline.domains {
        println!("\n{} {} ({}%)", domain.id, domain.name, domain.weight);
        for task in &domain.tasks {
            let labs: Vec<&str> =
                loaded.labs.iter().filter(|l| l.tasks.contains(&task.id)).map(|l| l.id.as_str()).collect();
            let covered: Vec<&str> = task
                .skills
                .iter()
                .filter(|s| loaded.labs.iter().flat_map(|l| &l.checks).any(|c| c.skills.contains(&s.id)))
                .map(|s| s.id.as_str())
                .collect();
            tasks_covered += usize::from(!labs.is_empty());
            skills_covered += covered.len();
            let labs = if labs.is_empty() { "no lab".to_string() } else { labs.join(", ") };
            let list = if covered.is_empty() { String::new() } else { format!(" ({})", covered.join(", ")) };
            println!("  {} {}", task.id, task.title);
            println!("      labs: {labs}; skills checked: {}/{}{list}", covered.len(), task.skills.len());
        }
    }
    let total_tasks = outline.tasks().count();
    let total_skills = outline.skills().count();
    println!(
        "\nTask statements with a lab: {tasks_covered}/{total_tasks}; skills exercised by a check: {skills_covered}/{total_skills} ({}%)",
        crate::report::percent(skills_covered as u32, total_skills as u32)
    );
    print_diagnostics(&loaded.diagnostics);
    if loaded.diagnostics.is_empty() { 0 } else { EXIT_BAD_INPUT }
}

fn kinds(format: KindsFormat) -> i32 {
    if format == KindsFormat::Markdown {
        print!("{}", collect::kinds_markdown());
        return 0;
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
    0
}

async fn grade(loaded: &LoadedLabs, args: RunArgs) -> i32 {
    let mut labs = Vec::new();
    for wanted in &args.lab {
        match find_lab(loaded, wanted) {
            Ok(lab) => labs.push(lab),
            Err(msg) => {
                eprintln!("error: {msg}");
                print_diagnostics(&loaded.diagnostics);
                return EXIT_BAD_INPUT;
            }
        }
    }
    let params: BTreeMap<String, String> = args.params.into_iter().collect();
    for name in params.keys() {
        if !labs.iter().any(|l| l.params.contains_key(name)) {
            let known: Vec<&str> = labs.iter().flat_map(|l| l.params.keys().map(String::as_str)).collect();
            eprintln!("error: --param {name}: no selected lab has this param (params: {})", known.join(", "));
            return EXIT_BAD_INPUT;
        }
    }
    let (target, conf) = match resolve_target(&args.target).await {
        Ok(resolved) => resolved,
        Err(code) => return code,
    };
    let ctx = Ctx::new(Clients::new(&conf));
    let progress: crate::grade::ProgressFn = Arc::new(|p| match p {
        Progress::Waiting { check, attempt, remaining } => {
            eprintln!("… {check}: not yet (try {attempt}); waiting up to {}s more", remaining.as_secs());
        }
    });
    let opts =
        GradeOptions { params, progress: Some(progress), max_wait: args.max_wait.map(std::time::Duration::from_secs) };
    let mut results = Vec::new();
    for lab in labs {
        results.push(grade_lab(lab, &ctx, &opts).await);
    }
    let info = target.info(&conf);
    let report = Report { results: &results, outline: loaded.outline.as_ref(), target: &info };
    match args.format {
        Format::Human => print!("{}", report::human::render(&report)),
        Format::Json => print!("{}", report::json::render(&report)),
        Format::Junit => print!("{}", report::junit::render(&report)),
    }
    report::exit_code(&results)
}

/// The labs named on the command line (every lab when none is named), all valid.
fn select_labs<'a>(loaded: &'a LoadedLabs, wanted: &[String]) -> Result<Vec<&'a Lab>, String> {
    if !loaded.diagnostics.is_empty() {
        print_diagnostics(&loaded.diagnostics);
        return Err("fix the lab files first".into());
    }
    if wanted.is_empty() {
        return Ok(loaded.labs.iter().collect());
    }
    wanted.iter().map(|w| find_lab(loaded, w)).collect()
}

fn policy(loaded: &LoadedLabs, wanted: &[String], format: PolicyFormat) -> i32 {
    let labs = match select_labs(loaded, wanted) {
        Ok(labs) => labs,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_BAD_INPUT;
        }
    };
    match format {
        PolicyFormat::Iam => {
            println!("{}", serde_json::to_string_pretty(&crate::policy::policy_document(&labs)).expect("serializes"))
        }
        PolicyFormat::Cloudformation => print!("{}", crate::policy::cloudformation_role(&labs)),
    }
    0
}

/// Two scenarios per core: a scenario's AWS CLI calls keep a core busy, and its
/// gradings wait on the emulator about half the time.
fn default_selftest_jobs() -> usize {
    2 * std::thread::available_parallelism().map(usize::from).unwrap_or(2)
}

async fn selftest(loaded: &LoadedLabs, args: SelftestArgs) -> i32 {
    use crate::emulator::Emulator;
    use crate::selftest::Prover;
    use futures::StreamExt;
    let labs = match select_labs(loaded, &args.lab) {
        Ok(labs) => labs,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_BAD_INPUT;
        }
    };
    let (_, conf) = match resolve_target(&args.target).await {
        Ok(resolved) => resolved,
        Err(code) => return code,
    };
    let emulator = match Emulator::new(conf) {
        Ok(emulator) => emulator,
        Err(why) => {
            eprintln!(
                "error: selftest runs the labs' solution scripts, which create resources, so it only runs against a \
                 local emulator (--endpoint-url http://127.0.0.1:PORT): {why}"
            );
            return EXIT_BAD_INPUT;
        }
    };
    let jobs = args.jobs.unwrap_or_else(default_selftest_jobs).max(1);
    let prover = Prover::new(emulator, std::time::Duration::from_secs(args.max_wait), jobs).named(&args.emulator);
    // Labs wait for the prover's scenario slots; a few in flight keep every slot busy.
    let proofs: Vec<_> =
        futures::stream::iter(labs.iter().map(|lab| prover.prove_lab(lab))).buffered(jobs).collect().await;
    let out = match args.format {
        SelftestFormat::Table => crate::selftest::render_table(&proofs, &args.emulator, false),
        SelftestFormat::Markdown => crate::selftest::render_table(&proofs, &args.emulator, true),
        SelftestFormat::Json => serde_json::to_string_pretty(&proofs).expect("serializes") + "\n",
    };
    print!("{out}");
    if proofs.iter().any(|p| p.is_broken()) { 1 } else { 0 }
}

async fn grade_roster(loaded: &LoadedLabs, args: GradeArgs) -> i32 {
    use crate::batch::{self, BatchOptions, Event, gradebook, roster};
    let labs = match select_labs(loaded, &args.lab) {
        Ok(labs) => labs,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_BAD_INPUT;
        }
    };
    let roster = match roster::load_roster(&args.roster) {
        Ok(r) => r,
        Err(d) => {
            eprintln!("error: {d}");
            return EXIT_BAD_INPUT;
        }
    };
    print_diagnostics(&roster.problems);
    let existing = batch::read_results(&args.out);
    if !args.resume && !existing.is_empty() {
        eprintln!(
            "error: {} already holds {} results; pass --resume to keep them and grade the rest, or choose another --out",
            args.out.display(),
            existing.len()
        );
        return EXIT_BAD_INPUT;
    }
    let (_, conf) = match resolve_target(&args.target).await {
        Ok(resolved) => resolved,
        Err(code) => return code,
    };
    let conf =
        conf.into_builder().retry_config(aws_config::retry::RetryConfig::adaptive().with_max_attempts(5)).build();
    let opts = BatchOptions {
        jobs: args.jobs,
        per_student_timeout: std::time::Duration::from_secs(args.timeout),
        per_account_calls: args.per_account_calls,
        max_wait: args.max_wait.map(std::time::Duration::from_secs),
        out_dir: args.out.clone(),
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
            eprintln!("interrupted: finished students are kept in {}; rerun with --resume", args.out.join(batch::RESULTS_FILE).display());
            return 130;
        }
    };
    let records = match records
        .and_then(|records| gradebook::write(&args.out, &labs, loaded.outline.as_ref(), &records).map(|()| records))
    {
        Ok(records) => records,
        Err(e) => {
            eprintln!("error: writing to {}: {e}", args.out.display());
            return EXIT_BAD_INPUT;
        }
    };
    bar.finish_and_clear();
    let errors = records.iter().filter(|r| r.error.is_some()).count();
    println!(
        "{} students graded, {} could not be ({} graded now, {kept} kept from before); gradebook in {}",
        records.len() - errors,
        errors,
        todo,
        args.out.join(gradebook::CSV_FILE).display()
    );
    if errors > 0 || !roster.problems.is_empty() { EXIT_BAD_INPUT } else { 0 }
}
