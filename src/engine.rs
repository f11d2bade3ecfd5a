//! One run: load the inputs, build the graph, run the rules.

use rayon::prelude::*;

use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::graph::Graph;
use crate::load::{Input, LoadOptions};
use crate::model::InputError;
use crate::rules::{Context, RULES, Rule, Sink};
use crate::source::SourceDb;
use crate::topology::Topology;

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub load: LoadOptions,
    /// Only these rule ids (all when empty).
    pub select: Vec<String>,
    /// Never these rule ids.
    pub ignore: Vec<String>,
    /// `.repl-lint.toml`: its `select` applies when `select` is empty, its `ignore` adds to
    /// `ignore`; severities and standards apply as they are.
    pub config: Config,
}

impl Options {
    /// Options that run a single rule.
    pub fn only(id: &str) -> Options {
        Options {
            select: vec![id.to_string()],
            ..Options::default()
        }
    }
}

pub struct Outcome {
    pub sources: SourceDb,
    pub findings: Vec<Finding>,
    pub input_errors: Vec<InputError>,
    /// Notes that are neither findings nor errors.
    pub notes: Vec<InputError>,
    /// What replicates where, for reports that draw it.
    pub topology: Topology,
}

impl Outcome {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Input errors that are not mere warnings.
    pub fn has_input_errors(&self) -> bool {
        self.input_errors.iter().any(|e| !e.warning)
    }
}

fn selected(rule: &dyn Rule, options: &Options) -> bool {
    let id = rule.meta().id;
    let select = if options.select.is_empty() {
        &options.config.select
    } else {
        &options.select
    };
    (select.is_empty() || select.iter().any(|s| s == id))
        && !options.ignore.iter().any(|s| s == id)
        && !options.config.ignore.iter().any(|s| s == id)
}

/// `[severity]` overrides: only findings at the rule's own severity move, so a "cannot verify"
/// info stays info.
fn apply_severities(config: &Config, findings: &mut [Finding]) {
    if config.severity.is_empty() {
        return;
    }
    for f in findings {
        if let Some(&s) = config.severity.get(f.rule.id)
            && f.severity == f.rule.severity
        {
            f.severity = s;
        }
    }
}

pub fn run(inputs: &[Input], options: &Options) -> Outcome {
    let mut sources = SourceDb::new();
    let mut model = crate::load::load(inputs, &options.load, &mut sources);
    let graph = Graph::build(&model);
    let cx = Context::with_config(&graph, &options.config);
    let mut findings: Vec<Finding> = RULES
        .par_iter()
        .filter(|r| selected(**r, options))
        .flat_map_iter(|rule| {
            let mut out = Vec::new();
            rule.check(&cx, &mut Sink::new(rule.meta(), &mut out));
            out
        })
        .collect();
    let topology = Topology::from_graph(&graph);
    drop(graph);
    apply_severities(&options.config, &mut findings);
    sort_findings(&sources, &mut findings);
    let input_errors = std::mem::take(&mut model.input_errors);
    let notes = std::mem::take(&mut model.notes);
    Outcome {
        sources,
        findings,
        input_errors,
        notes,
        topology,
    }
}

/// Deterministic order: by file, position, rule.
fn sort_findings(sources: &SourceDb, findings: &mut [Finding]) {
    let mut keyed: Vec<(Option<(u32, u32)>, usize)> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (sources.resolve(&f.primary).map(|s| (s.file.0, s.start)), i))
        .collect();
    keyed.sort_by(|a, b| {
        let (fa, fb) = (&findings[a.1], &findings[b.1]);
        a.0.cmp(&b.0)
            .then_with(|| fa.rule.id.cmp(fb.rule.id))
            .then_with(|| fa.resource.cmp(&fb.resource))
            .then_with(|| fa.discriminator.cmp(&fb.discriminator))
            .then_with(|| fa.message.cmp(&fb.message))
    });
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let sorted: Vec<Finding> = order.iter().map(|&i| findings[i].clone()).collect();
    findings.clone_from_slice(&sorted);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::by_id;

    #[test]
    fn config_selects_ignores_and_sets_severities() {
        let config = crate::config::parse(
            std::path::Path::new(".repl-lint.toml"),
            "select = [\"ver-src-not-enabled\", \"ver-dst-not-enabled\"]\nignore = [\"ver-dst-not-enabled\"]\n[severity]\nver-src-not-enabled = \"warning\"\n",
        )
        .unwrap();
        let mut options = Options {
            config,
            ..Options::default()
        };
        let src = by_id("ver-src-not-enabled").unwrap();
        let dst = by_id("ver-dst-not-enabled").unwrap();
        let other = by_id("rtc-requires-metrics").unwrap();
        assert!(selected(src, &options));
        assert!(!selected(dst, &options));
        assert!(!selected(other, &options));
        options.select = vec!["rtc-requires-metrics".into()];
        assert!(
            selected(other, &options),
            "the command line wins over the file"
        );

        let finding = |severity| Finding {
            rule: src.meta(),
            severity,
            message: String::new(),
            primary: Default::default(),
            label: String::new(),
            related: Vec::new(),
            help: None,
            resource: String::new(),
            discriminator: String::new(),
        };
        let mut findings = vec![finding(Severity::Error), finding(Severity::Info)];
        apply_severities(&options.config, &mut findings);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(
            findings[1].severity,
            Severity::Info,
            "cannot-verify stays info"
        );
    }
}
