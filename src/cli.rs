//! The command line: clap definitions only.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "labcheck",
    version,
    about = "Grade hands-on AWS labs (DOP-C02) by reading an AWS account, never writing to it.",
    after_help = "Exit codes: 0 every check passed; 1 some check failed or was skipped; \
                  2 some check could not be run (ERROR) or the input was bad; 130 interrupted."
)]
pub struct Cli {
    /// The labs folder [default: ./labs, else the installed labs in
    /// ~/.local/share/labcheck/labs, else labs/ beside the binary].
    #[arg(long, global = true, env = "LABCHECK_LABS")]
    pub labs: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the labs: id, title, exam domain, points.
    List,
    /// Show what a lab asks for: its summary, params and checks.
    Show {
        /// Lab id or folder.
        lab: String,
    },
    /// Grade one or more labs against an AWS account (read-only).
    Run(RunArgs),
    /// Grade one lab in rounds until every check passes (exit 0), Ctrl-C to stop.
    Watch(WatchArgs),
    /// Explain one check: what it reads (the API calls, an AWS CLI command to try), the
    /// facts it found now, and each expectation PASS or FAIL, with `run`'s verdict.
    Explain(ExplainArgs),
    /// How ready your lab work is: grade the labs (default: all), keep the run in a local
    /// history, and show each exam domain's standing, the trend over your runs and a
    /// 100–1000 lab readiness figure weighted as the exam weights its domains.
    Progress(ProgressArgs),
    /// Grade a roster of student accounts (assuming a role in each) into a gradebook.
    Grade(GradeArgs),
    /// Check lab files for mistakes without touching AWS.
    Validate {
        /// A labs folder, a lab folder or a lab.yaml (default: the labs folder).
        path: Option<PathBuf>,
    },
    /// List the resource kinds checks can read: selectors, API calls, facts.
    Kinds {
        /// `text` for reading, `markdown` for the README's table.
        #[arg(long, value_enum, default_value_t = KindsFormat::Text)]
        format: KindsFormat,
    },
    /// The DOP-C02 outline as a coverage matrix: which labs and checks exercise each task
    /// statement and skill.
    Skills,
    /// Print the least-privilege IAM policy that grading these labs needs.
    Policy {
        /// Lab ids or folders (default: every lab).
        lab: Vec<String>,
        /// `iam` prints the policy document; `cloudformation` a template for a grader role.
        #[arg(long, value_enum, default_value = "iam")]
        format: PolicyFormat,
    },
    /// For lab authors: prove labs against a local emulator (empty account fails, the
    /// solution passes, each near miss fails exactly its checks). Writes to the emulator.
    Selftest(SelftestArgs),
    /// Print a JSON Schema: of a machine output, `report` (run --format json), `selftest`
    /// (selftest --format json), `student` (a line of grade's results.jsonl) or `progress`
    /// (a line of progress's history); or of a lab file, `lab` (what labs/lab.schema.json holds, for editors).
    Schema {
        #[arg(value_enum)]
        name: SchemaName,
    },
    /// Work with gradebooks (`grade --out`): merge shards into one, or print the file an LMS imports.
    Gradebook {
        #[command(subcommand)]
        action: GradebookAction,
    },
    /// Print a completion script for a shell, e.g.
    /// `labcheck completions bash > ~/.local/share/bash-completion/completions/labcheck`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `labcheck man > ~/.local/share/man/man1/labcheck.1`.
    Man,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SchemaName {
    Report,
    Selftest,
    Student,
    Progress,
    Lab,
}

#[derive(Debug, Args)]
pub struct SelftestArgs {
    /// Lab ids or folders (default: every lab).
    pub lab: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SelftestFormat,
    /// Emulator name to print in the report (e.g. moto, localstack).
    #[arg(long, default_value = "emulator")]
    pub emulator: String,
    /// Scenarios at once, over all labs (each a fresh account running the solution or
    /// a near miss, then a grading). Default: two per core.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Wait at most this many seconds for eventually-consistent checks (emulators
    /// settle at once).
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub max_wait: u64,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum KindsFormat {
    /// Each kind with its selectors, calls and fact.
    Text,
    /// One table row per kind.
    Markdown,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum PolicyFormat {
    /// The IAM policy document (JSON).
    Iam,
    /// A CloudFormation template for a grader role holding the policy.
    Cloudformation,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum SelftestFormat {
    /// A table for the terminal.
    Table,
    /// A Markdown table (for localstack/SUPPORT.md).
    Markdown,
    /// JSON, one object per lab.
    Json,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Lab ids or folders.
    #[arg(required = true)]
    pub lab: Vec<String>,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// What a check that does not pass tells (for graders running it on students' behalf).
    #[arg(long, value_enum, default_value = "full")]
    pub feedback: FeedbackLevel,
    #[command(flatten)]
    pub account: AccountArgs,
}

/// The account a grading command reads (where, through which role) and how long it
/// waits for it to settle: `run`, `explain` and `progress` take the same.
#[derive(Debug, Args)]
pub struct AccountArgs {
    /// Wait at most this many seconds for eventually-consistent checks (default: each
    /// check's own `eventually.timeout`).
    #[arg(long, value_name = "SECONDS")]
    pub max_wait: Option<u64>,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub role: RoleArgs,
}

/// `--param`: the lab params a learner names their resources with.
#[derive(Debug, Args, Clone)]
pub struct ParamArgs {
    /// Override a lab param: --param name=value (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Lab id or folder.
    pub lab: String,
    /// The check's id (`labcheck show LAB` lists them).
    pub check: String,
    /// Print each resource's whole fact, not only the values the check looks at.
    #[arg(long)]
    pub full: bool,
    /// `human` for reading; `json` for a program (schema `labcheck.explain/v1`).
    #[arg(long, value_enum, default_value = "human")]
    pub format: ExplainFormat,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub account: AccountArgs,
}

/// `explain --format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ExplainFormat {
    /// Readable terminal output (colour on a terminal, NO_COLOR honoured).
    Human,
    /// One JSON document, schema `labcheck.explain/v1`.
    Json,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Lab id or folder.
    pub lab: String,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Seconds between rounds; while nothing changes (or the account throttles) the
    /// wait doubles, up to 8 times this.
    #[arg(long, value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,
    /// Stop after this many seconds with the last round's exit code (default: never).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub role: RoleArgs,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Lab ids or folders to grade now (default: every lab). The standing counts every
    /// lab, each at its latest grading in the history.
    pub lab: Vec<String>,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Also write the report as a self-contained HTML page with charts.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// The history file (JSON lines; default: progress.jsonl in labcheck's data folder,
    /// e.g. ~/.local/share/labcheck).
    #[arg(long, value_name = "FILE", env = "LABCHECK_HISTORY")]
    pub history: Option<PathBuf>,
    /// Show the standing from the history without grading (no AWS call).
    #[arg(long, conflicts_with = "lab")]
    pub from_history: bool,
    #[command(flatten)]
    pub account: AccountArgs,
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Lab ids or folders.
    #[arg(required = true)]
    pub lab: Vec<String>,
    /// The students: YAML, or CSV (`id,account,role_arn[,external_id,session_name,region,param:NAME...]`).
    #[arg(long)]
    pub roster: PathBuf,
    /// Where results.jsonl, gradebook.csv, gradebook.json and junit/ go.
    #[arg(long, default_value = "gradebook")]
    pub out: PathBuf,
    /// Keep the results already in the output folder and grade only who is missing.
    #[arg(long)]
    pub resume: bool,
    /// Grade only part I of N of the roster (e.g. 2/4), each student always in the same
    /// part (by their id), into a folder of its own; `gradebook merge` joins the parts.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::batch::shard::Shard>,
    /// Students graded at the same time.
    #[arg(long, default_value_t = 8)]
    pub jobs: usize,
    /// API calls in flight at once against one student's account.
    #[arg(long, default_value_t = 4)]
    pub per_account_calls: usize,
    /// Longest one student's grading may take, in seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Wait at most this many seconds for eventually-consistent checks.
    #[arg(long, value_name = "SECONDS")]
    pub max_wait: Option<u64>,
    /// What a check that does not pass tells the student, in every output.
    #[arg(long, value_enum, default_value = "full")]
    pub feedback: FeedbackLevel,
    /// What to print besides the gradebook files: `github` adds annotations for students
    /// who could not be graded and a class summary for $GITHUB_STEP_SUMMARY.
    #[arg(long, value_enum, default_value = "human")]
    pub format: GradeFormat,
    /// The instructor's credentials and Region (the roles are assumed from them).
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Subcommand)]
pub enum GradebookAction {
    /// Merge the folders of a sharded class (`grade --shard I/N`) into one gradebook,
    /// the same as grading the whole roster on one machine would have written. Refuses
    /// a shard missing or given twice, and a shard whose students are not all graded.
    Merge {
        /// The folder for the merged gradebook (must not hold results yet).
        out: PathBuf,
        /// The shards' folders, all N of them.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
    },
    #[command(flatten)]
    Export(GradebookExport),
}

#[derive(Debug, Subcommand)]
pub enum GradebookExport {
    /// Canvas's gradebook import CSV: Student, ID, SIS User ID, SIS Login ID, Section, a
    /// column per lab (or the total), and the Points Possible row.
    Canvas(LmsArgs),
    /// Moodle's grade import CSV: the identity column to map users from, then points and
    /// feedback per lab (or the total).
    Moodle {
        #[command(flatten)]
        args: LmsArgs,
        /// The roster field Moodle maps users by: `email` (email), `username`
        /// (sis_login_id) or `idnumber` (sis_user_id).
        #[arg(long, value_enum, default_value = "email")]
        identity: MoodleIdentityArg,
    },
}

#[derive(Debug, Args)]
pub struct LmsArgs {
    /// The gradebook folder (what `grade --out` wrote).
    pub gradebook: PathBuf,
    /// The roster the class was graded from, with its LMS identity fields (name, email,
    /// sis_user_id, sis_login_id, section, canvas_id).
    #[arg(long)]
    pub roster: PathBuf,
    /// One column with each student's total, by this name, instead of one per lab.
    #[arg(long, value_name = "NAME")]
    pub total: Option<String>,
    /// The LMS's ID of a lab's assignment (`total` for the total column), so the import
    /// updates it: --assignment-id LAB=ID, repeatable.
    #[arg(long = "assignment-id", value_name = "LAB=ID", value_parser = parse_param)]
    pub assignment_ids: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum MoodleIdentityArg {
    Email,
    Username,
    Idnumber,
}

/// `grade --format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum GradeFormat {
    /// A progress bar on a terminal, and one closing line.
    Human,
    /// GitHub Actions: annotations and a class job summary as well.
    Github,
}

/// `--feedback`: how much a check that does not pass tells (see [`crate::feedback`]).
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum FeedbackLevel {
    /// What was found and expected, the hint and the docs link.
    Full,
    /// Which checks do not pass, with hints and docs links; not found or expected values.
    Hints,
    /// Which checks do not pass, nothing more.
    Minimal,
}

impl From<FeedbackLevel> for crate::feedback::Feedback {
    fn from(level: FeedbackLevel) -> Self {
        match level {
            FeedbackLevel::Full => Self::Full,
            FeedbackLevel::Hints => Self::Hints,
            FeedbackLevel::Minimal => Self::Minimal,
        }
    }
}

/// `run --format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// Readable terminal report (colour on a terminal, NO_COLOR honoured).
    Human,
    /// Versioned machine-readable report (schema `labcheck.report/v1`; `labcheck schema report`).
    Json,
    /// JUnit XML, one testcase per check.
    Junit,
    /// GitHub Actions: the terminal report with annotations for what does not pass, and
    /// a Markdown job summary appended to $GITHUB_STEP_SUMMARY (printed when it is unset).
    Github,
}

#[derive(Debug, Args, Clone)]
pub struct TargetArgs {
    /// Named profile from your AWS config (else AWS_PROFILE, else the default chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// AWS Region (else AWS_REGION / AWS_DEFAULT_REGION, else your profile's).
    #[arg(long)]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint, e.g. a local emulator (else AWS_ENDPOINT_URL).
    #[arg(long)]
    pub endpoint_url: Option<String>,
}

/// `run`'s way into another account: a role assumed from your credentials.
#[derive(Debug, Args, Clone)]
pub struct RoleArgs {
    /// Read the account through this role (such as the grader role that `labcheck policy
    /// --format cloudformation` creates), assumed from your credentials.
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// The external ID the role's trust policy asks for.
    #[arg(long, requires = "role_arn")]
    pub external_id: Option<String>,
}

impl TargetArgs {
    /// The target these flags name, through the role `role` names, if it names one.
    pub fn target(&self, role: Option<&RoleArgs>) -> crate::target::Target {
        let role = role.and_then(|r| {
            r.role_arn.as_ref().map(|arn| crate::target::Role {
                arn: arn.clone(),
                external_id: r.external_id.clone(),
                session_name: "labcheck".into(),
            })
        });
        crate::target::Target {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            role,
        }
    }
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}
