//! The `repl-lint` command line.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use repl_lint::baseline::Baseline;
use repl_lint::engine::{self, Options};
use repl_lint::finding::Severity;
use repl_lint::load::{Input, LoadOptions};
use repl_lint::report;
use repl_lint::rules::listing;

/// Proves before apply that Amazon S3 replication will work.
///
/// Reads Terraform plans (`terraform show -json`), Terraform directories, CloudFormation
/// templates and policy documents, and reports every reason replication would fail.
#[derive(Parser)]
#[command(name = "repl-lint", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluates IAM authorization cases offline (the shape of iam-cases.json) and prints the decisions as JSON.
    Simulate {
        /// A JSON file with one case or a list of cases (`-` for standard input).
        file: PathBuf,
    },
    /// Lists every rule: id, catalogue code, severity, group and summary.
    Rules {
        /// `table` for terminals, `json` for tools, `markdown` for the docs/rules.md index.
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Prints one rule's documentation: what goes wrong, how to fix it, an example, sources.
    Explain {
        /// The rule id (`ver-dst-not-enabled`).
        id: String,
        /// Never color the output.
        #[arg(long)]
        no_color: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Parser)]
struct CheckArgs {
    /// Files or directories to analyze (`-` reads a plan from standard input).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// The account of a Terraform provider configuration (`aws.backup=123456789012`) or of a
    /// CloudFormation template (`dest.yaml=123456789012`).
    #[arg(long = "account", value_name = "NAME=ID")]
    accounts: Vec<String>,
    /// The region of a CloudFormation template (`dest.yaml=eu-west-1`); `AWS::Region` is
    /// unknown without it.
    #[arg(long = "region", value_name = "NAME=REGION")]
    regions: Vec<String>,
    /// Terraform variable (`name=value`).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Terraform variable file.
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// CloudFormation parameters file (ParameterKey/ParameterValue JSON).
    #[arg(long = "parameters", value_name = "FILE")]
    parameter_files: Vec<PathBuf>,
    /// CloudFormation parameter (`Key=Value`).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Never color the output.
    #[arg(long)]
    no_color: bool,
    /// The repository root that SARIF, GitHub and Markdown paths are relative to.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The configuration file (default: `.repl-lint.toml` in the working directory or above).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Accept the findings recorded in this baseline file (by fingerprint).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file, and exit 0 unless an input fails.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Also write the Markdown summary to this file (for `$GITHUB_STEP_SUMMARY`).
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// Also write SARIF to this file (whatever `--format` says).
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// A Markdown summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment.
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

fn split_pair(text: &str, what: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("{what} must look like NAME=VALUE, got `{text}`")),
    }
}

fn load_options(args: &CheckArgs) -> Result<LoadOptions, String> {
    let mut o = LoadOptions::default();
    for a in &args.accounts {
        let (k, v) = split_pair(a, "--account")?;
        if !repl_lint::model::arn::is_account_id(&v) {
            return Err(format!(
                "--account {k}={v}: the account must be a 12-digit id"
            ));
        }
        o.accounts.insert(k, v);
    }
    for r in &args.regions {
        let (k, v) = split_pair(r, "--region")?;
        o.regions.insert(k, v);
    }
    for v in &args.vars {
        o.vars.push(split_pair(v, "--var")?);
    }
    for p in &args.params {
        o.params.push(split_pair(p, "--param")?);
    }
    o.var_files = args.var_files.clone();
    o.parameter_files = args.parameter_files.clone();
    Ok(o)
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("repl-lint: {message}");
    ExitCode::from(2)
}

fn read_input(path: &PathBuf) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path)
    }
}

fn write_out(text: &str) {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = lock.write_all(text.as_bytes());
    let _ = lock.flush();
}

fn simulate(file: &PathBuf) -> ExitCode {
    let text = match read_input(file) {
        Ok(t) => t,
        Err(e) => return usage_error(&format!("cannot read {}: {e}", file.display())),
    };
    match repl_lint::iam::simulate::simulate(&text) {
        Ok(out) => {
            write_out(&out);
            if !out.ends_with('\n') {
                write_out("\n");
            }
            ExitCode::SUCCESS
        }
        Err(e) => usage_error(&e.0),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    if args.paths.is_empty() {
        return usage_error(
            "no input: pass a plan (`terraform show -json plan.out > plan.json`), a directory or a template",
        );
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let config = match repl_lint::config::load(args.config.as_deref(), &cwd) {
        Ok(c) => c,
        Err(e) => {
            eprint!("{}", e.render());
            return ExitCode::from(2);
        }
    };
    let baseline = match &args.baseline {
        None => None,
        Some(file) => match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|t| Baseline::parse(&t))
        {
            Ok(b) => Some(b),
            Err(e) => return usage_error(&format!("baseline {}: {e}", file.display())),
        },
    };
    let mut load = match load_options(&args) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    for (name, id) in &config.accounts {
        load.accounts
            .entry(name.clone())
            .or_insert_with(|| id.clone());
    }
    let mut inputs = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            let mut bytes = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
                return usage_error(&format!("cannot read standard input: {e}"));
            }
            inputs.push(Input::Stdin(bytes));
        } else {
            inputs.push(Input::Path(p.clone()));
        }
    }
    let options = Options {
        load,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        config,
        baseline,
        without_topology: !matches!(args.format, Format::Markdown) && args.summary.is_none(),
        process_exits_after: true,
    };
    // Leaked on purpose: the process ends right after, and freeing the sources and findings of
    // a large input one by one would only delay the exit.
    let outcome: &'static engine::Outcome = Box::leak(Box::new(engine::run(&inputs, &options)));
    let color =
        !args.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    let paths = report::RepoPaths::new(&outcome.sources, &args.root);
    let text = match args.format {
        Format::Human => report::human::render(outcome, color),
        Format::Json => report::json::render(outcome),
        Format::Sarif => report::sarif::render(outcome, &paths),
        Format::Github => report::github::render(outcome, &paths),
        Format::Markdown => report::markdown::render(outcome, &paths),
    };
    write_out(&text);
    repl_lint::timings::phase("render");
    if let Some(file) = &args.sarif
        && let Err(e) = std::fs::write(file, report::sarif::render(outcome, &paths))
    {
        return usage_error(&format!("cannot write {}: {e}", file.display()));
    }
    if let Some(file) = &args.summary
        && let Err(e) = std::fs::write(file, report::markdown::render(outcome, &paths))
    {
        return usage_error(&format!("cannot write {}: {e}", file.display()));
    }
    if outcome.has_input_errors() {
        return ExitCode::from(2);
    }
    if let Some(file) = &args.write_baseline {
        let baseline = Baseline::from_findings(&outcome.findings);
        if let Err(e) = std::fs::write(file, baseline.to_json()) {
            return usage_error(&format!("cannot write {}: {e}", file.display()));
        }
        eprintln!(
            "repl-lint: recorded {} finding(s) in {}",
            outcome.findings.len(),
            file.display()
        );
        return ExitCode::SUCCESS;
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|t| outcome.findings.iter().any(|f| f.severity >= t));
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The run makes hundreds of thousands of small allocations on a large plan; glibc's allocator
/// spent a quarter of the time in them.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc gives freed memory back to the system a second after it is freed, which is most of
/// a run: the graph and the rules grew on top of the freed parse of a large plan (70 MB more at
/// the peak of a 100 MB plan). Given back after 10 ms instead, unless `MIMALLOC_PURGE_DELAY`
/// says otherwise. At once (0 ms) kept the same peak but cost page faults and `madvise` calls
/// whenever memory was used again: a 5000-setup Terraform tree ran 1.16 s instead of 0.88 s,
/// the CloudFormation set 0.75 s instead of 0.66 s, for 1-3 MB less at the peak.
#[cfg(feature = "mimalloc")]
fn give_back_freed_memory_soon() {
    /// `mi_option_purge_delay` in `mi_option_t` of mimalloc v3 (`mimalloc.h`), which the
    /// bindings name no constant for; its default, 1000 ms, tells that the index is still right.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    const PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;
    // SAFETY: reading and setting an option are plain loads and stores in mimalloc's option
    // table; this runs first in `main`, before any other thread exists. An index out of range
    // is ignored.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            libmimalloc_sys::mi_option_set_default(PURGE_DELAY, 10);
        }
    }
}

fn main() -> ExitCode {
    repl_lint::timings::start();
    #[cfg(feature = "mimalloc")]
    give_back_freed_memory_soon();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Some(Command::Simulate { file }) => simulate(&file),
        Some(Command::Rules { format }) => {
            write_out(&match format {
                RulesFormat::Table => listing::table(),
                RulesFormat::Json => listing::json(),
                RulesFormat::Markdown => listing::markdown(),
            });
            ExitCode::SUCCESS
        }
        Some(Command::Explain { id, no_color }) => {
            let color = !no_color
                && std::env::var_os("NO_COLOR").is_none()
                && std::io::stdout().is_terminal();
            match listing::explain(&id, color) {
                Ok(text) => {
                    write_out(&text);
                    ExitCode::SUCCESS
                }
                Err(message) => usage_error(&message),
            }
        }
        None => check(cli.check),
    }
}
