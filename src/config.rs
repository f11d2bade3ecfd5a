//! `.repl-lint.toml`: rule selection, severities, accounts, and organization standards.
//!
//! ```toml
//! select = ["ver-dst-not-enabled"]        # only these rules (all when absent)
//! ignore = ["rtc-requires-metrics"]
//! [severity]
//! kms-opt-in-missing = "warning"
//! [accounts]                               # same as --account NAME=ID
//! "aws.backup" = "222222222222"
//! [standards]                              # org standards: rules `std-*`, off unless set
//! require-rtc = true
//! require-replica-kms = true
//! allowed-destination-accounts = ["222222222222"]
//! allowed-destination-regions = ["eu-west-1"]
//! require-delete-marker-replication = true
//! require-storage-class = "STANDARD_IA"
//! ```
//!
//! A typo in a key would silently switch a standard off, so unknown keys are errors that point
//! at the key.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;

pub const FILE_NAME: &str = ".repl-lint.toml";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub path: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Rule id → the severity its findings get instead of the rule's own.
    pub severity: BTreeMap<String, Severity>,
    /// Provider or template name → account id.
    pub accounts: BTreeMap<String, String>,
    pub standards: Standards,
}

/// Organization standards; each is checked by its `std-*` rule when set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standards {
    pub require_rtc: bool,
    pub require_replica_kms: bool,
    /// Empty: any account.
    pub allowed_destination_accounts: Vec<String>,
    /// Empty: any region.
    pub allowed_destination_regions: Vec<String>,
    pub require_delete_marker_replication: bool,
    pub require_storage_class: Option<String>,
}

impl Config {
    /// No file: every rule, no standards.
    pub const EMPTY: Config = Config {
        path: None,
        select: Vec::new(),
        ignore: Vec::new(),
        severity: BTreeMap::new(),
        accounts: BTreeMap::new(),
        standards: Standards {
            require_rtc: false,
            require_replica_kms: false,
            allowed_destination_accounts: Vec::new(),
            allowed_destination_regions: Vec::new(),
            require_delete_marker_replication: false,
            require_storage_class: None,
        },
    };
}

/// A configuration error at a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl ConfigError {
    /// The error with the offending key underlined.
    pub fn render(&self) -> String {
        let mut diag = miette::MietteDiagnostic::new(self.message.clone())
            .with_code("config-error")
            .with_severity(miette::Severity::Error);
        if let Some(span) = &self.span {
            diag = diag.with_label(miette::LabeledSpan::at(span.clone(), "here"));
        }
        let report = miette::Report::new(diag).with_source_code(miette::NamedSource::new(
            self.path.display().to_string(),
            self.text.clone(),
        ));
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out = format!("{}: {}", self.path.display(), self.message);
        }
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    accounts: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    standards: RawStandards,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawStandards {
    #[serde(default)]
    require_rtc: bool,
    #[serde(default)]
    require_replica_kms: bool,
    #[serde(default)]
    allowed_destination_accounts: Vec<Spanned<String>>,
    #[serde(default)]
    allowed_destination_regions: Vec<String>,
    #[serde(default)]
    require_delete_marker_replication: bool,
    #[serde(default)]
    require_storage_class: Option<Spanned<String>>,
}

/// The storage classes S3 replication accepts for `Destination.StorageClass`.
const STORAGE_CLASSES: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "OUTPOSTS",
    "GLACIER_IR",
];

/// Parses a configuration file's text.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let err = |span: Option<Range<usize>>, message: String| ConfigError {
        path: path.to_path_buf(),
        text: text.to_string(),
        span,
        message,
    };
    let raw: Raw = toml::from_str(text).map_err(|e| err(e.span(), e.message().to_string()))?;
    let known_rule = |id: &Spanned<String>| {
        if crate::rules::by_id(id.get_ref()).is_some() {
            Ok(id.get_ref().clone())
        } else {
            Err(err(
                Some(id.span()),
                format!("unknown rule `{}` (see `repl-lint rules`)", id.get_ref()),
            ))
        }
    };
    let select = raw
        .select
        .iter()
        .map(known_rule)
        .collect::<Result<_, _>>()?;
    let ignore = raw
        .ignore
        .iter()
        .map(known_rule)
        .collect::<Result<_, _>>()?;
    let mut severity = BTreeMap::new();
    for (id, level) in &raw.severity {
        let id = known_rule(id)?;
        let Some(s) = Severity::parse(level.get_ref()) else {
            return Err(err(
                Some(level.span()),
                format!(
                    "severity must be \"error\", \"warning\" or \"info\", not \"{}\"",
                    level.get_ref()
                ),
            ));
        };
        severity.insert(id, s);
    }
    let account = |v: &Spanned<String>| {
        if crate::model::arn::is_account_id(v.get_ref()) {
            Ok(v.get_ref().clone())
        } else {
            Err(err(
                Some(v.span()),
                format!("`{}` is not a 12-digit account id", v.get_ref()),
            ))
        }
    };
    let mut accounts = BTreeMap::new();
    for (name, id) in &raw.accounts {
        accounts.insert(name.clone(), account(id)?);
    }
    let s = raw.standards;
    let require_storage_class = match s.require_storage_class {
        Some(c) if !STORAGE_CLASSES.contains(&c.get_ref().as_str()) => {
            return Err(err(
                Some(c.span()),
                format!(
                    "`{}` is not a storage class replication accepts ({})",
                    c.get_ref(),
                    STORAGE_CLASSES.join(", ")
                ),
            ));
        }
        other => other.map(Spanned::into_inner),
    };
    Ok(Config {
        path: Some(path.to_path_buf()),
        select,
        ignore,
        severity,
        accounts,
        standards: Standards {
            require_rtc: s.require_rtc,
            require_replica_kms: s.require_replica_kms,
            allowed_destination_accounts: s
                .allowed_destination_accounts
                .iter()
                .map(account)
                .collect::<Result<_, _>>()?,
            allowed_destination_regions: s.allowed_destination_regions,
            require_delete_marker_replication: s.require_delete_marker_replication,
            require_storage_class,
        },
    })
}

/// `.repl-lint.toml` in `start` or the nearest directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads `explicit`, else the file found from `cwd` upward, else the empty configuration.
pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match find(cwd) {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        path: path.clone(),
        text: String::new(),
        span: None,
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    parse(&path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Config, ConfigError> {
        parse(Path::new(".repl-lint.toml"), text)
    }

    #[test]
    fn reads_every_key() {
        let c = p(r#"
select = ["ver-dst-not-enabled", "std-require-rtc"]
ignore = ["rtc-requires-metrics"]
[severity]
ver-dst-not-enabled = "warning"
[accounts]
"aws.backup" = "222222222222"
[standards]
require-rtc = true
require-replica-kms = true
allowed-destination-accounts = ["222222222222"]
allowed-destination-regions = ["eu-west-1"]
require-delete-marker-replication = true
require-storage-class = "STANDARD_IA"
"#)
        .unwrap();
        assert_eq!(c.select, ["ver-dst-not-enabled", "std-require-rtc"]);
        assert_eq!(c.ignore, ["rtc-requires-metrics"]);
        assert_eq!(c.severity["ver-dst-not-enabled"], Severity::Warning);
        assert_eq!(c.accounts["aws.backup"], "222222222222");
        let s = &c.standards;
        assert!(s.require_rtc && s.require_replica_kms && s.require_delete_marker_replication);
        assert_eq!(s.allowed_destination_accounts, ["222222222222"]);
        assert_eq!(s.allowed_destination_regions, ["eu-west-1"]);
        assert_eq!(s.require_storage_class.as_deref(), Some("STANDARD_IA"));
    }

    #[test]
    fn unknown_key_points_at_it() {
        let text = "[standards]\nrequire-rtx = true\n";
        let e = p(text).unwrap_err();
        assert!(
            e.message.contains("unknown field `require-rtx`"),
            "{}",
            e.message
        );
        assert_eq!(&text[e.span.clone().unwrap()], "require-rtx");
        assert!(e.render().contains("require-rtx"));
        let e = p("selcet = []\n").unwrap_err();
        assert_eq!(e.span, Some(0..6));
    }

    #[test]
    fn bad_values_point_at_them() {
        let text = "[severity]\nver-dst-not-enabled = \"fatal\"\n";
        let e = p(text).unwrap_err();
        assert_eq!(&text[e.span.unwrap()], "\"fatal\"");
        let text = "ignore = [\"no-such-rule\"]\n";
        let e = p(text).unwrap_err();
        assert_eq!(&text[e.span.unwrap()], "\"no-such-rule\"");
        let text = "[accounts]\nx = \"12\"\n";
        assert!(p(text).unwrap_err().message.contains("12-digit"));
        let text = "[standards]\nrequire-storage-class = \"COLD\"\n";
        assert!(p(text).unwrap_err().message.contains("COLD"));
    }

    #[test]
    fn found_upward() {
        let dir = std::env::temp_dir().join(format!("repl-lint-config-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join(FILE_NAME), "ignore = []\n").unwrap();
        let c = load(None, &dir.join("a/b")).unwrap();
        assert_eq!(
            c.path.unwrap().canonicalize().unwrap(),
            dir.join(FILE_NAME).canonicalize().unwrap()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
