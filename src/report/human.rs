//! `--format human`: miette diagnostics with the exact attribute or statement underlined.
//!
//! Plans are often one line of many megabytes, so the source shown to miette is a window: whole
//! lines where they are short, a slice around the span where a line is long. Windows are cut
//! from a line index, never by scanning the file from its start.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::engine::Outcome;
use crate::finding::{Finding, Severity};
use crate::model::InputError;
use crate::source::{FileId, Loc, SourceDb, SourceFile, Span};

/// Lines longer than this are shown as a window around the span.
const LONG_LINE: usize = 240;
/// Bytes shown on each side of a span in a long line.
const WINDOW_MARGIN: usize = 60;
/// At most this many bytes of a span are underlined in a long line.
const MAX_LONG_SPAN: usize = 160;

struct FileSource<'a> {
    name: String,
    file: &'a SourceFile,
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl FileSource<'_> {
    fn line_bounds(&self, line0: usize) -> (usize, usize) {
        let text = &self.file.text;
        let start = self.file.line_start(line0).unwrap_or(0) as usize;
        let end = self
            .file
            .line_start(line0 + 1)
            .map_or(text.len(), |s| (s as usize).saturating_sub(1));
        (start, end.max(start))
    }

    fn is_long(&self, offset: usize) -> bool {
        let (line, _) = self.file.line_col(offset as u32);
        let (s, e) = self.line_bounds(line - 1);
        e - s > LONG_LINE
    }
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = &self.file.text;
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        let (line, _) = self.file.line_col(start as u32);
        let line0 = line - 1;
        let (ls, le) = self.line_bounds(line0);
        let (data_start, data_end, first_line, line_count) = if le - ls > LONG_LINE {
            let s = floor_boundary(text, start.saturating_sub(WINDOW_MARGIN).max(ls));
            let e = ceil_boundary(text, (end + WINDOW_MARGIN).min(le).max(s));
            (s, e, line0, 1)
        } else {
            let first = line0.saturating_sub(before);
            let (end_line, _) = self.file.line_col(end as u32);
            let last = (end_line - 1 + after).min(self.file.line_count().saturating_sub(1));
            let s = self.line_bounds(first).0;
            let e = self.line_bounds(last).1;
            (s, e.max(s), first, last - first + 1)
        };
        let column = data_start - self.line_bounds(first_line).0;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[data_start..data_end],
            SourceSpan::new(data_start.into(), data_end - data_start),
            first_line,
            column,
            line_count,
        )))
    }
}

/// One diagnostic in one file, with related diagnostics in other files.
struct Rendered<'a> {
    code: Option<String>,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn source_of<'a>(sources: &'a SourceDb, file: FileId) -> FileSource<'a> {
    FileSource {
        name: sources.path(file).display().to_string(),
        file: sources.get(file),
    }
}

fn label(sources: &SourceDb, span: Span, text: &str) -> LabeledSpan {
    let source = source_of(sources, span.file);
    let t: &str = &source.file.text;
    let start = (span.start as usize).min(t.len());
    let mut end = (span.end as usize).clamp(start, t.len());
    if source.is_long(start) && end - start > MAX_LONG_SPAN {
        end = ceil_boundary(t, start + MAX_LONG_SPAN);
    }
    let text = if text.is_empty() {
        None
    } else {
        Some(text.to_string())
    };
    LabeledSpan::new(text, start, end - start)
}

fn finding_diagnostic<'a>(sources: &'a SourceDb, f: &Finding) -> Rendered<'a> {
    let primary = sources.resolve(&f.primary);
    let mut labels = Vec::new();
    let mut related = Vec::new();
    if let Some(span) = primary {
        labels.push(label(sources, span, &f.label));
    }
    for r in &f.related {
        let Some(span) = sources.resolve(&r.loc) else {
            continue;
        };
        // On a long line (a one-line plan) every label gets its own short excerpt.
        let near_primary = primary.is_some_and(|p| {
            p.file == span.file && !source_of(sources, p.file).is_long(p.start as usize)
        });
        if near_primary {
            labels.push(label(sources, span, &r.message));
        } else {
            related.push(Rendered {
                code: None,
                message: r.message.clone(),
                severity: miette::Severity::Advice,
                help: None,
                source: Some(source_of(sources, span.file)),
                labels: vec![label(sources, span, &r.message)],
                related: Vec::new(),
            });
        }
    }
    let mut message = f.message.clone();
    if primary.is_none() && !f.resource.is_empty() {
        message = format!("{message} ({})", f.resource);
    }
    Rendered {
        code: Some(f.rule.id.to_string()),
        message,
        severity: miette_severity(f.severity),
        help: f.help.clone(),
        source: primary.map(|p| source_of(sources, p.file)),
        labels,
        related,
    }
}

fn input_error_diagnostic<'a>(sources: &'a SourceDb, e: &InputError, note: bool) -> Rendered<'a> {
    let span = sources.resolve(&e.loc);
    let path = sources.path(e.file).display().to_string();
    let severity = if note {
        miette::Severity::Advice
    } else if e.warning {
        miette::Severity::Warning
    } else {
        miette::Severity::Error
    };
    Rendered {
        code: Some(if note { "note" } else { "input-error" }.to_string()),
        message: if span.is_some() || path.is_empty() {
            e.message.clone()
        } else {
            format!("{path}: {}", e.message)
        },
        severity,
        help: None,
        source: span.map(|s| source_of(sources, s.file)),
        labels: span
            .map(|s| vec![label(sources, s, "")])
            .unwrap_or_default(),
        related: Vec::new(),
    }
}

/// Renders every finding and input error. `color` picks the theme (off for tests and pipes).
pub fn render(outcome: &Outcome, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .with_wrap_lines(false);
    let mut out = String::new();
    let sources = &outcome.sources;
    let mut emit = |d: &Rendered<'_>| {
        let mut s = String::new();
        if handler.render_report(&mut s, d).is_ok() {
            out.push_str(&s);
            out.push('\n');
        }
    };
    for e in &outcome.input_errors {
        emit(&input_error_diagnostic(sources, e, false));
    }
    for n in &outcome.notes {
        emit(&input_error_diagnostic(sources, n, true));
    }
    for f in &outcome.findings {
        emit(&finding_diagnostic(sources, f));
    }
    let (e, w, i) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info),
    );
    out.push_str(&format!(
        "{e} error{}, {w} warning{}, {i} info; {} input error{}\n",
        if e == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" },
        outcome.input_errors.iter().filter(|e| !e.warning).count(),
        if outcome.input_errors.iter().filter(|e| !e.warning).count() == 1 {
            ""
        } else {
            "s"
        }
    ));
    out
}

/// Resolves a location to its span (for callers that only need the bytes).
pub fn excerpt(sources: &SourceDb, loc: &Loc) -> Option<String> {
    let span = sources.resolve(loc)?;
    let text = sources.text(span.file);
    text.get(span.start as usize..span.end as usize)
        .map(str::to_string)
}
