//! One run: load the inputs, build the graph, run the rules.

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::graph::Graph;
use crate::load::{Input, LoadOptions};
use crate::model::{InputError, Model};
use crate::rules;
use crate::rules::{Context, RULES, Rule, Sink};
use crate::source::{Loc, SourceDb, Span};
use crate::suppress::{self, Suppression};
use crate::topology::Topology;
use std::collections::HashMap;

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
    /// Findings accepted by a baseline file.
    pub baseline: Option<Baseline>,
    /// Skip drawing the topology: only the Markdown report shows it, and on a large input it
    /// costs time and memory at the end of the run.
    pub without_topology: bool,
    /// The process ends right after the run (the command line): the model and the shared
    /// permission checks are left for the exit to free. Freed one by one, on a large plan, they
    /// cost about 30 ms of CPU time after the last rule.
    pub process_exits_after: bool,
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
    /// Findings removed by suppressions with a reason.
    pub suppressed: usize,
    /// Findings removed because the baseline accepts them.
    pub baselined: usize,
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

/// Frees `value`, unless the process is about to end and free it all at once.
fn dispose<T>(value: T, options: &Options) {
    if options.process_exits_after {
        std::mem::forget(value);
    }
}

pub fn run(inputs: &[Input], options: &Options) -> Outcome {
    let mut sources = SourceDb::new();
    let mut model = crate::load::load(inputs, &options.load, &mut sources);
    // The rest of the run reads only what findings point at: the pages of a large mapped input
    // need not stay resident while the graph, the rules and the findings take their memory.
    sources.release_resident();
    crate::timings::phase("load");
    let graph = Graph::build(&model);
    crate::timings::phase("graph");
    let cx = Context::with_config(&graph, &options.config);
    crate::timings::phase("context");
    // Decided here, on all cores, before the rules that share them start: a rule asking first
    // would hold the other rules' workers waiting, not helping.
    cx.decide_checks();
    crate::timings::phase("permission checks");
    let mut findings: Vec<Finding> = RULES
        .par_iter()
        .filter(|r| selected(**r, options))
        .flat_map_iter(|rule| {
            let mut out = Vec::new();
            crate::timings::rule(rule.meta().id, || {
                rule.check(&cx, &mut Sink::new(rule.meta(), &mut out));
            });
            out
        })
        .collect();
    crate::timings::phase("rules");
    // The permission checks the rules shared are not needed any more.
    dispose(cx, options);
    let topology = if options.without_topology {
        Topology::default()
    } else {
        Topology::from_graph(&graph)
    };
    crate::timings::phase("topology");
    // The graph (views, documents, indexes) is freed while the findings are filtered and sorted,
    // its documents on every core that is free: freed, not left to the exit, so that the
    // findings' sorting and rendering reuse its memory.
    let ((suppressed, baselined), ()) = rayon::join(
        || {
            let suppressed = apply_suppressions(&sources, &model, options, &mut findings);
            apply_severities(&options.config, &mut findings);
            let baselined = options
                .baseline
                .as_ref()
                .map_or(0, |b| b.apply(&mut findings));
            sort_findings(&sources, &mut findings);
            (suppressed, baselined)
        },
        move || graph.free(),
    );
    crate::timings::phase("freeing the graph; suppressions, baseline, sorting findings");
    // A problem of a whole configuration is found once per replication rule: keep one.
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| seen.insert(f.identity()));
    let input_errors = std::mem::take(&mut model.input_errors);
    let notes = std::mem::take(&mut model.notes);
    if options.process_exits_after {
        std::mem::forget(model);
    } else {
        // Freed before the run returns: a process that runs many analyses (a test binary, the
        // fuzzers) must not find memory of the last run still being freed, or held, after it.
        drop(model);
        forget_answers_of_the_run();
    }
    Outcome {
        sources,
        findings,
        input_errors,
        notes,
        topology,
        suppressed,
        baselined,
    }
}

/// The answers that the rules' workers keep per thread, by action text and resource glob, are
/// for this run's policies: kept, they would grow with every input a long-lived process reads.
fn forget_answers_of_the_run() {
    fn forget() {
        rules::policy_hygiene::lost_grants::forget_answers_of_this_thread();
        crate::iam::catalogue::forget_answers_of_this_thread();
    }
    if rayon::current_thread_index().is_some() {
        // A run inside a worker of a pool (a caller analysing inputs in parallel) cannot wait
        // for every other worker: waiting, it would take up other queued work, runs nested in
        // runs without bound. The caches stay, each bounded by its size cap.
        return;
    }
    rayon::broadcast(|_| forget());
    forget();
}

/// Where each resource is declared, by address: a suppression on a block covers findings about
/// the resource declared there even when they point into another file.
fn headers(model: &Model) -> HashMap<&str, Span> {
    let mut out = HashMap::new();
    let origins = model
        .buckets
        .iter()
        .map(|x| &x.origin)
        .chain(model.bucket_settings.iter().map(|x| &x.origin))
        .chain(model.replications.iter().map(|x| &x.origin))
        .chain(model.roles.iter().map(|x| &x.origin))
        .chain(model.managed_policies.iter().map(|x| &x.origin))
        .chain(model.role_policy_attachments.iter().map(|x| &x.origin))
        .chain(model.keys.iter().map(|x| &x.origin))
        .chain(model.key_policies.iter().map(|x| &x.origin))
        .chain(model.aliases.iter().map(|x| &x.origin));
    for o in origins {
        if let Loc::Span(s) = &o.header {
            out.entry(o.address.as_str()).or_insert(*s);
        }
    }
    out
}

fn covers(s: &Suppression, span: Option<Span>) -> bool {
    span.is_some_and(|p| p.file == s.file && s.scope.contains(&p.start))
}

/// Removes the findings that suppressions with a reason cover; reports suppressions without a
/// reason (not applied) and rule ids a suppression names but that reported nothing there.
fn apply_suppressions(
    sources: &SourceDb,
    model: &Model,
    options: &Options,
    findings: &mut Vec<Finding>,
) -> usize {
    let suppressions = suppress::scan(sources);
    if suppressions.is_empty() {
        return 0;
    }
    let headers = headers(model);
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.rules.len()])
        .collect();
    let before = findings.len();
    findings.retain(|f| {
        let primary = sources.resolve(&f.primary);
        let header = headers.get(f.resource.as_str()).copied();
        let mut keep = true;
        for (si, s) in suppressions.iter().enumerate() {
            if s.reason.is_none() || !(covers(s, primary) || covers(s, header)) {
                continue;
            }
            if let Some(ri) = s.rules.iter().position(|r| r == f.rule.id) {
                used[si][ri] = true;
                keep = false;
            }
        }
        keep
    });
    let removed = before - findings.len();
    let no_reason = rules::by_id("std-suppression-no-reason").filter(|r| selected(*r, options));
    let unused = rules::by_id("std-suppression-unused").filter(|r| selected(*r, options));
    for (si, s) in suppressions.iter().enumerate() {
        let path = sources.path(s.file).display().to_string();
        let mut out = Vec::new();
        match (&s.reason, no_reason, unused) {
            (None, Some(rule), _) => {
                Sink::new(rule.meta(), &mut out)
                    .report(&s.loc, format!("suppression of {} gives no reason, so it is not applied", s.rules.join(", ")))
                    .label("add the reason after the rule ids")
                    .help("`# repl-lint:ignore=RULE why this is acceptable` (CloudFormation: `reason:` next to `id:`)")
                    .resource(path)
                    .discriminator(s.rules.join(","));
            }
            (Some(_), _, Some(rule)) => {
                for (ri, id) in s.rules.iter().enumerate() {
                    if used[si][ri] {
                        continue;
                    }
                    let message = if rules::by_id(id).is_none() {
                        format!("suppression names `{id}`, which is not a rule")
                    } else {
                        format!("suppression of `{id}` suppresses nothing")
                    };
                    Sink::new(rule.meta(), &mut out)
                        .report(&s.loc, message)
                        .label("remove it, or correct the rule id")
                        .resource(path.clone())
                        .discriminator(id.clone());
                }
            }
            _ => {}
        }
        findings.extend(out);
    }
    removed
}

/// Deterministic order: by file, position, rule.
fn sort_findings(sources: &SourceDb, findings: &mut [Finding]) {
    let keys: Vec<Option<(u32, u32)>> = findings
        .iter()
        .map(|f| sources.resolve(&f.primary).map(|s| (s.file.0, s.start)))
        .collect();
    // Stable: findings equal in every key keep the order the rules reported them in. The
    // order is found over indices and then applied in place, without a second list of the
    // findings.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&findings[a], &findings[b]);
        keys[a]
            .cmp(&keys[b])
            .then_with(|| fa.rule.id.cmp(fb.rule.id))
            .then_with(|| fa.resource.cmp(&fb.resource))
            .then_with(|| fa.discriminator.cmp(&fb.discriminator))
            .then_with(|| fa.message.cmp(&fb.message))
    });
    permute(findings, order);
}

/// Moves `items[order[i]]` to position `i`, following each cycle of the permutation.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::by_id;

    proptest::proptest! {
        #[test]
        fn permute_puts_each_item_where_the_order_says(
            order in proptest::strategy::Strategy::prop_flat_map(0usize..40, |n| {
                proptest::strategy::Strategy::prop_shuffle(proptest::strategy::Just(
                    (0..n).collect::<Vec<usize>>(),
                ))
            })
        ) {
            let mut items: Vec<String> = (0..order.len()).map(|i| format!("item {i}")).collect();
            let expected: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            permute(&mut items, order);
            proptest::prop_assert_eq!(items, expected);
        }
    }

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

    fn finding(id: &str, loc: Loc, resource: &str) -> Finding {
        Finding {
            rule: by_id(id).unwrap().meta(),
            severity: Severity::Error,
            message: "m".into(),
            primary: loc,
            label: String::new(),
            related: Vec::new(),
            help: None,
            resource: resource.into(),
            discriminator: String::new(),
        }
    }

    #[test]
    fn suppressions_apply_with_reason_and_report_the_rest() {
        let text = "# repl-lint:ignore=ver-src-not-enabled,rtc-requires-metrics versioning comes from an SCP\nresource \"aws_s3_bucket\" \"src\" {\n  bucket = \"src\"\n}\n# repl-lint:ignore=ver-dst-not-enabled\nresource \"aws_s3_bucket\" \"dst\" {\n  bucket = \"dst\"\n}\n";
        let mut sources = SourceDb::new();
        let f = sources.add("main.tf", text);
        let other = sources.add("other.tf", "x");
        let at = |needle: &str| {
            let s = text.find(needle).unwrap();
            Loc::span(f, s, s + needle.len())
        };
        let mut model = Model::default();
        model.buckets.push(crate::model::Bucket {
            origin: crate::model::Origin {
                address: "aws_s3_bucket.src".into(),
                file: f,
                header: at("resource \"aws_s3_bucket\" \"src\""),
                format: crate::model::Format::Terraform,
            },
            name: Default::default(),
            arn: Default::default(),
            account: Default::default(),
            region: Default::default(),
            settings: Default::default(),
        });
        let mut findings = vec![
            // Inside the covered block.
            finding("ver-src-not-enabled", at("\"src\"\n"), "aws_s3_bucket.src"),
            // In another file, about the covered resource.
            finding(
                "ver-src-not-enabled",
                Loc::span(other, 0, 1),
                "aws_s3_bucket.src",
            ),
            // Same block, rule not named.
            finding("kms-opt-in-missing", at("\"src\"\n"), "aws_s3_bucket.src"),
            // Named, but the suppression has no reason.
            finding("ver-dst-not-enabled", at("\"dst\"\n"), "aws_s3_bucket.dst"),
        ];
        let removed = apply_suppressions(&sources, &model, &Options::default(), &mut findings);
        assert_eq!(removed, 2);
        let ids: Vec<&str> = findings.iter().map(|f| f.rule.id).collect();
        assert_eq!(
            ids,
            [
                "kms-opt-in-missing",
                "ver-dst-not-enabled",
                "std-suppression-unused",
                "std-suppression-no-reason"
            ]
        );
        assert!(
            findings[2]
                .message
                .contains("`rtc-requires-metrics` suppresses nothing")
        );
        let ignore = Options {
            ignore: vec![
                "std-suppression-unused".into(),
                "std-suppression-no-reason".into(),
            ],
            ..Options::default()
        };
        let mut again = findings[..2].to_vec();
        apply_suppressions(&sources, &model, &ignore, &mut again);
        assert_eq!(again.len(), 2);
    }

    #[test]
    fn baseline_accepts_by_fingerprint_not_line() {
        let mut sources = SourceDb::new();
        let f = sources.add("main.tf", "a\nb\nc\n");
        let today = vec![
            finding(
                "ver-src-not-enabled",
                Loc::span(f, 0, 1),
                "aws_s3_bucket.src",
            ),
            finding(
                "ver-src-not-enabled",
                Loc::span(f, 0, 1),
                "aws_s3_bucket.src",
            ),
        ];
        let b = Baseline::parse(&Baseline::from_findings(&today).to_json()).unwrap();
        assert_eq!(b.findings.values().next().unwrap().count, 2);
        let mut later = vec![
            finding(
                "ver-src-not-enabled",
                Loc::span(f, 4, 5),
                "aws_s3_bucket.src",
            ),
            finding(
                "ver-src-not-enabled",
                Loc::span(f, 2, 3),
                "aws_s3_bucket.src",
            ),
            finding(
                "ver-src-not-enabled",
                Loc::span(f, 2, 3),
                "aws_s3_bucket.src",
            ),
            finding(
                "ver-dst-not-enabled",
                Loc::span(f, 2, 3),
                "aws_s3_bucket.dst",
            ),
        ];
        assert_eq!(b.apply(&mut later), 2);
        assert_eq!(later.len(), 2, "a third copy and a new finding remain");
        assert!(Baseline::parse("{\"version\": 2, \"findings\": {}}").is_err());
    }
}
