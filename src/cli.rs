//! The command line, declared with clap's derive API and nothing else.

use crate::config::FailOn;
use crate::schema::SchemaKind;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "supportcheck",
    version,
    about = "Tells a product team, with evidence, whether its customer support is ready for launch.",
    long_about = None,
    after_help = "Start here:\n  supportcheck audit            walk through the built-in checklist in this folder\n  supportcheck status           where you stand\n  supportcheck check            the CI gate (exit 1 when not ready)\n\nExit status: 0 ok, 1 problems found (lint errors, gate failed), 2 could not run, 130 interrupted.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Project root (where supportcheck.yaml and readiness/ live) [default: the
    /// nearest folder up from here with a supportcheck.yaml]
    #[arg(
        short = 'C',
        long = "dir",
        global = true,
        value_name = "DIR",
        env = "SUPPORTCHECK_DIR",
        hide_env_values = true,
        help_heading = "Project"
    )]
    pub dir: Option<PathBuf>,
    /// Config file [default: <root>/supportcheck.yaml]
    #[arg(long, global = true, value_name = "FILE", help_heading = "Project")]
    pub config: Option<PathBuf>,
    /// Playbook file, folder or `builtin`; repeat for several (overrides the config)
    #[arg(
        long = "checklists",
        global = true,
        value_name = "PATH",
        help_heading = "Project"
    )]
    pub checklists: Vec<String>,
    /// Answers file [default: readiness/answers.yaml]
    #[arg(long, global = true, value_name = "FILE", help_heading = "Project")]
    pub answers: Option<PathBuf>,
    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Output")]
    pub color: ColorChoice,
    /// Print only what was asked for: no hints, no progress
    #[arg(short, long, global = true, help_heading = "Output")]
    pub quiet: bool,
    /// Say more: skipped files, each warning
    #[arg(short, long, global = true, help_heading = "Output")]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write supportcheck.yaml and a fillable answers file
    #[command(
        after_help = "Examples:\n  supportcheck init --product \"Acme Helpdesk\"\n  supportcheck init --checklists playbooks/ --force"
    )]
    Init(InitArgs),
    /// List the loaded playbooks and their questions
    #[command(
        after_help = "Examples:\n  supportcheck list\n  supportcheck list --tag launch-blocker\n  supportcheck list --format json --checklists playbooks/"
    )]
    List(ListArgs),
    /// Validate playbooks and the answers file
    #[command(
        after_help = "Examples:\n  supportcheck lint\n  supportcheck lint playbooks/ --deny-warnings\n  supportcheck lint --format github"
    )]
    Lint(LintArgs),
    /// Walk the team through every question, saving each answer at once
    #[command(
        after_help = "Examples:\n  supportcheck audit\n  supportcheck audit --only help-desk --by \"Dana Lee\"\n  supportcheck audit --stale\n  supportcheck audit --owner legal\n  supportcheck audit --mine"
    )]
    Audit(AuditArgs),
    /// Scores per playbook, the level, and what is missing
    #[command(
        after_help = "Examples:\n  supportcheck status\n  supportcheck status --format json\n  supportcheck status --by owner\n  supportcheck status --owner legal"
    )]
    Status(StatusArgs),
    /// The CI gate: exit 1 when answers are missing, stale, blocked or below the bar
    #[command(
        after_help = "Examples:\n  supportcheck check\n  supportcheck check --min-score 90 --fail-on missing,blocker\n  supportcheck check --format junit > readiness.xml"
    )]
    Check(CheckArgs),
    /// Write the next versioned readiness report
    #[command(
        after_help = "Examples:\n  supportcheck report\n  supportcheck report --format pdf --tz Europe/Berlin\n  supportcheck report --format html --out out/\n  supportcheck report --template examples/templates/brand.html.j2 --preview\n  supportcheck report -o draft.pdf"
    )]
    Report(ReportArgs),
    /// What changed between two report versions, or since the last one
    #[command(
        after_help = "Examples:\n  supportcheck diff\n  supportcheck diff 3 5\n  supportcheck diff --live --format markdown >> \"$GITHUB_STEP_SUMMARY\""
    )]
    Diff(DiffArgs),
    /// Every report version with its score and the trend
    #[command(after_help = "Examples:\n  supportcheck history\n  supportcheck history --verify")]
    History(HistoryArgs),
    /// Many products' readiness side by side, read from their reports
    #[command(
        after_help = "Examples:\n  supportcheck portfolio clients/\n  supportcheck portfolio . --sort score --level blocked\n  supportcheck portfolio repos/ --format html --output dashboard.html\n  supportcheck portfolio repos/ --verify --fail-if blocked,stale:30d"
    )]
    Portfolio(PortfolioArgs),
    /// Campaigns across a portfolio: what raising the bar would cost
    #[command(
        after_help = "Examples:\n  supportcheck campaign preview campaigns/ga-q1.yaml repos/\n  supportcheck portfolio repos/ --campaign campaigns/ga-q1.yaml --fail-if campaign-overdue"
    )]
    Campaign(CampaignArgs),
    /// Show the scoring arithmetic for a question, a playbook or everything
    #[command(
        after_help = "Examples:\n  supportcheck explain\n  supportcheck explain help-desk\n  supportcheck explain help-desk/q1"
    )]
    Explain(ExplainArgs),
    /// Record that a person in a role approves the readiness as it stands
    #[command(
        after_help = "The sign-off holds the sha256 of the answers, playbooks, facts and gate it approved;\nany later change makes it outdated. Identity is what git says (user.name), or --as;\n--sign adds proof: an SSH signature that gate.signoffs_signed checks against allowed_signers.\n\nExamples:\n  supportcheck signoff support-lead\n  supportcheck signoff legal --as \"Jonas Berg\" --note \"Terms reviewed\"\n  supportcheck signoff legal --sign --key ~/.ssh/id_ed25519\n  supportcheck signoff support-lead --accept-blocked --note \"Blocker waived by the CEO\""
    )]
    Signoff(SignoffArgs),
    /// Run every probe and record the results (readiness/probes.jsonl)
    #[command(
        after_help = "Probes check what is publicly checkable: a help centre that answers, a support\npolicy in the repository, an on-call script. Results are recorded beside the answers,\nso `status`, `check` and `report` read them without the network.\nExit 0 when every probe that ran passed, 1 when one failed or could not run.\n\nExamples:\n  supportcheck verify\n  supportcheck verify --offline\n  supportcheck verify --jobs 8 --budget 90s --format json"
    )]
    Verify(VerifyArgs),
    /// Trust a playbook's command probes, by the sha256 of the file as it is now
    #[command(
        after_help = "The digest goes into probes.trusted in supportcheck.yaml; any later change to\nthe file makes it untrusted again, and its command probes do not run.\n\nExamples:\n  supportcheck trust playbooks/oncall.md"
    )]
    Trust(TrustArgs),
    /// Git merge driver: merge two answers files question by question
    #[command(
        name = "merge-answers",
        after_help = "Git runs it as `supportcheck merge-answers %O %A %B` once configured:\n  .gitattributes:  readiness/answers.yaml merge=supportcheck-answers\n  git config merge.supportcheck-answers.driver \"supportcheck merge-answers %O %A %B\"\nExit 0 when merged cleanly; 1 when a question changed on both sides (left between\nconflict markers in %A, which `supportcheck lint` names)."
    )]
    MergeAnswers(MergeAnswersArgs),
    /// Write the question register and improvement plan as a spreadsheet
    #[command(
        after_help = "Examples:\n  supportcheck export\n  supportcheck export --format csv --out register.csv"
    )]
    Export(ExportArgs),
    /// Read answers back from a spreadsheet filled in from `export`
    #[command(
        after_help = "Examples:\n  supportcheck import readiness/register.xlsx\n  supportcheck import register.csv --by \"Dana Lee\""
    )]
    Import(ImportArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  supportcheck completions bash > ~/.local/share/bash-completion/completions/supportcheck\n  supportcheck completions zsh > \"${fpath[1]}/_supportcheck\""
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(after_help = "Example:\n  supportcheck man > ~/.local/share/man/man1/supportcheck.1")]
    Man,
    /// Print the JSON Schema of a file format
    #[command(
        after_help = "Examples:\n  supportcheck schema answers > readiness/answers.schema.json\n  supportcheck schema report"
    )]
    Schema(SchemaArgs),
    /// Internal: renders a user template in a child process with CPU and
    /// memory limits (reads the template and report as JSON on stdin)
    #[command(hide = true, name = "__render-template")]
    RenderTemplate,
    /// Internal: reads an .xls workbook in a child process with CPU and
    /// memory limits (the workbook on stdin, its register sheet as JSON out)
    #[command(hide = true, name = "__read-sheet")]
    ReadSheet,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Product name written into the files
    #[arg(long)]
    pub product: Option<String>,
    /// Rewrite existing files, keeping the answers and comments already in them
    #[arg(long)]
    pub force: bool,
    /// A fact about the product, e.g. `chatbot=true`, `channels=email,chat`;
    /// repeat for several. Facts not given are asked on a terminal
    #[arg(long = "fact", value_name = "KEY=VALUE")]
    pub facts: Vec<String>,
    /// Set by `audit` when it starts a project: it asks the facts itself,
    /// saving each at once, so `init` does not ask them first.
    #[arg(skip)]
    pub facts_asked_later: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only questions with this tag
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Github,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to lint [default: the configured set and the answers file]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only these playbooks or questions (ids like `help-desk` or `help-desk/q2`)
    #[arg(long, num_args = 1.., value_name = "ID")]
    pub only: Vec<String>,
    /// Only questions with this tag
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
    /// Revisit answered questions too (current answers are the defaults)
    #[arg(long)]
    pub all: bool,
    /// Revisit only stale answers: given for an older version of the
    /// question, or past (or within gate.warn_days of) their max_age
    #[arg(long)]
    pub stale: bool,
    /// Who is answering [default: git user.name, else the login name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Only the questions this role owns
    #[arg(long, value_name = "ROLE", conflicts_with = "mine")]
    pub owner: Option<String>,
    /// Only the questions of your roles (you: --by, else git user.name, matched in `owners:`)
    #[arg(long)]
    pub mine: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum StatusBy {
    #[default]
    Playbook,
    Owner,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    /// Group by playbook, or by owner: each role's questions, score and gaps
    #[arg(long, value_enum, default_value_t = StatusBy::Playbook)]
    pub by: StatusBy,
    /// Only this role, with its gaps and actions (implies --by owner)
    #[arg(long, value_name = "ROLE")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Github,
    Junit,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Lowest passing score, 0-100 [default: gate.min_score, else 80]
    #[arg(long, value_name = "N", value_parser = parse_score)]
    pub min_score: Option<f64>,
    // The help lists every category, from the enum (`FailOn::ALL`).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_fail_on, help = fail_on_help())]
    pub fail_on: Option<Vec<FailOn>>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Run every probe first (as `supportcheck verify`), then judge
    #[arg(long)]
    pub verify: bool,
    /// With --verify: skip the probes that need the network
    #[arg(long, requires = "verify")]
    pub offline: bool,
}

#[derive(Debug, Args, Default)]
pub struct VerifyArgs {
    /// Skip the probes that need the network (`http`); run `file` and `command` ones
    #[arg(long)]
    pub offline: bool,
    /// Probes run at once [default: probes.jobs in supportcheck.yaml, else 32]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// How long the whole run may take: `90s`, `1h`, or seconds [default: probes.budget, else 120s]
    #[arg(long, value_name = "DURATION")]
    pub budget: Option<crate::config::Budget>,
    /// Only the probes of this playbook or question
    #[arg(long, value_name = "ID")]
    pub only: Option<String>,
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum VerifyFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The playbook file, relative to the project root
    pub path: PathBuf,
}

/// `--fail-on`'s help: every category the enum has, so none can be left out.
fn fail_on_help() -> String {
    let all: Vec<&str> = FailOn::ALL.iter().map(|f| f.as_str()).collect();
    format!(
        "Comma-separated failure categories: {} [default: gate.fail_on]",
        all.join(", ")
    )
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    s.parse()
}

fn parse_score(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 100"))
    }
}

/// The files `report` writes for a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
    Html,
    Pdf,
    Docx,
}

impl ReportFormat {
    /// The name on the command line, which is also the file's ending.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Md => "md",
            ReportFormat::Json => "json",
            ReportFormat::Html => "html",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Docx => "docx",
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Comma-separated formats: md, json, html, pdf, docx (JSON is always written: it is the record)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "md,json,html",
        value_enum
    )]
    pub format: Vec<ReportFormat>,
    /// Timezone for dates in the report (IANA name) [default: report.timezone in supportcheck.yaml, else UTC]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Show question, playbook and section ids in the HTML and PDF
    #[arg(long)]
    pub show_ids: bool,
    /// Reports folder [default: reports in supportcheck.yaml, else readiness/reports]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also render this minijinja template against the report model
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Render into <reports>/preview/ without taking a version (to try
    /// branding or a template)
    #[arg(long, conflicts_with = "output")]
    pub preview: bool,
    /// Render one file without taking a version; its ending (.md, .html,
    /// .pdf, .json) picks the format, else it is the --template output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Take a new version even when nothing changed since the last one
    #[arg(long, conflicts_with_all = ["preview", "output"])]
    pub force: bool,
    /// Also write a client bundle: one zip with the HTML report (and the
    /// PDF and Word files --format asks for) and the local evidence its
    /// answers cite, linked from the report
    #[arg(long, value_name = "FILE.zip", conflicts_with_all = ["output", "template"])]
    pub bundle: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetFormat {
    Xlsx,
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = SheetFormat::Xlsx)]
    pub format: SheetFormat,
    /// The file to write [default: readiness/register.xlsx or .csv]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Timezone for dates (IANA name) [default: report.timezone in supportcheck.yaml, else UTC]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A sheet written by `export` and filled in: .xlsx, .xls, .ods or .csv
    pub file: PathBuf,
    /// Who answered, recorded as `answered_by` on the answers that changed
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Say what would change without writing the answers file
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Older report: a version number or a path [default: the one before the last]
    pub a: Option<String>,
    /// Newer report: a version number or a path [default: the last]
    #[arg(conflicts_with = "live")]
    pub b: Option<String>,
    /// Compare the answers as they are now, evaluated now, with the latest
    /// report (or with A); the default when only one report exists
    #[arg(long)]
    pub live: bool,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Reports folder [default: the configured one]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
    /// Check the hash chain: report versions edited, removed or inserted
    #[arg(long)]
    pub verify: bool,
    /// Reports folder [default: the configured one]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A question (`help-desk/q1`), a playbook (`help-desk`), or nothing for the whole set
    pub id: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct SignoffArgs {
    /// The role signing (one of `owners:` in supportcheck.yaml)
    pub role: String,
    /// Who signs [default: git user.name]
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Why, or on what terms
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Sign although the project is blocked (needs --note saying why)
    #[arg(long)]
    pub accept_blocked: bool,
    /// Sign the entry with your SSH key, as git signs commits (runs `ssh-keygen -Y sign`)
    #[arg(long)]
    pub sign: bool,
    /// The SSH key to sign with [default: git config user.signingkey]
    #[arg(long, value_name = "PATH", requires = "sign")]
    pub key: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeAnswersArgs {
    /// The common ancestor's version (%O)
    pub base: PathBuf,
    /// Ours (%A): the merged result is written here
    pub ours: PathBuf,
    /// Theirs (%B)
    pub theirs: PathBuf,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(value_parser = names::<SchemaKind>())]
    pub kind: SchemaKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PortfolioFormat {
    Table,
    Json,
    Md,
    Html,
    Csv,
}

#[derive(Debug, Args)]
pub struct PortfolioArgs {
    /// Folders to search for projects (supportcheck.yaml) and reports folders
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = PortfolioFormat::Table)]
    pub format: PortfolioFormat,
    /// Write to this file instead of standard output (HTML links are made relative to it)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Row order; products without a readable report come last
    #[arg(long, value_parser = names::<crate::portfolio::Order>(), default_value = "path")]
    pub sort: crate::portfolio::Order,
    /// Only products at these levels (comma-separated)
    #[arg(long, value_parser = names::<crate::portfolio::State>(), value_delimiter = ',', value_name = "LEVEL")]
    pub level: Vec<crate::portfolio::State>,
    /// Only products whose latest report is older than this (12h, 30d, 2w, 6m), or that have none
    #[arg(long, value_name = "AGE", value_parser = parse_age)]
    pub older_than: Option<crate::duration::Duration>,
    /// Exit 1 when a product shown matches: blocked, not-ready, stale:<age> (comma-separated)
    #[arg(long, value_name = "WHEN", value_delimiter = ',', value_parser = parse_fail_if)]
    pub fail_if: Vec<crate::portfolio::FailIf>,
    /// Score each project's current answers instead of reading its latest report
    #[arg(long)]
    pub live: bool,
    /// Check each product's report hash chain (exit 1 when one is broken)
    #[arg(long)]
    pub verify: bool,
    /// Show each product's progress toward this campaign file (reached, on
    /// track, behind, overdue) and its burn-up
    #[arg(long, value_name = "FILE")]
    pub campaign: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CampaignArgs {
    #[command(subcommand)]
    pub command: CampaignCommand,
}

#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Before a campaign starts: which products it would put behind, and by
    /// how many questions
    Preview(CampaignPreviewArgs),
}

#[derive(Debug, Args)]
pub struct CampaignPreviewArgs {
    /// The campaign file (name, owner, where, level or questions, start, due)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Folders to search for projects and reports folders
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = PreviewFormat::Table)]
    pub format: PreviewFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewFormat {
    Table,
    Json,
}

/// A parser for a core enum that derives its names with strum: clap lists
/// them in `--help` and refuses any other word, as it does for a `ValueEnum`.
fn names<T>() -> impl TypedValueParser<Value = T>
where
    T: std::str::FromStr + strum::VariantNames + Clone + Send + Sync + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    PossibleValuesParser::new(T::VARIANTS).try_map(|name| name.parse::<T>())
}

fn parse_age(s: &str) -> Result<crate::duration::Duration, String> {
    crate::duration::Duration::parse(s)
}

fn parse_fail_if(s: &str) -> Result<crate::portfolio::FailIf, String> {
    s.parse()
}
