//! The plan's top-level object, its large sections parsed on all cores.
//!
//! `planned_values`, `resource_changes`, `prior_state` and `configuration` are most of a plan,
//! in about equal parts. Where each starts is only known once everything before it has been
//! parsed, so the parse is speculative: the first place each section's key occurs in the text is
//! a guess, and from every guess a worker parses the top-level object onwards as if the guess
//! were one of its keys. A worker's result is used only when the walk from the start of the
//! object lands exactly on its guess, between two top-level members: then the guess was a
//! top-level key, and parsing from there gives what one parse from the start would give. A
//! wrong guess (the same key inside a value) costs the work of its worker, never the result.
//!
//! `resource_changes`, the largest section, is split the same way: one more guess, at an element
//! of its array about half-way through, is used only when the walk over that array's elements
//! lands exactly on it.
//!
//! Anything unusual (an error, a duplicate or escaped key, text after the object) is left to one
//! ordinary parse of the whole text, so that errors read as they always did.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use memchr::memmem;
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::schema::{Configuration, Plan, ResourceChange, Spanned, State, Text, Values};

/// Below this size one ordinary parse is quick enough. The fuzzers' inputs are small: under
/// `cfg(fuzzing)` every plan takes the parallel way.
const PARALLEL_FROM: usize = if cfg!(fuzzing) { 0 } else { 4 << 20 };

/// The keys whose first occurrence is a guess: the sections that are large.
const LARGE: [&str; 5] = [
    "planned_values",
    "resource_changes",
    "prior_state",
    "configuration",
    "values",
];

/// Parses a plan (no byte order mark): on all cores when it is large and regular, else as one
/// `serde_json` parse.
pub fn parse(body: &str) -> serde_json::Result<Plan<'_>> {
    if body.len() >= PARALLEL_FROM
        && let Some(plan) = parse_in_parallel(body)
    {
        return Ok(plan);
    }
    serde_json::from_str(body)
}

/// One top-level member, parsed.
enum Member<'a> {
    FormatVersion(Option<Spanned<'a, Text<'a>>>),
    PlannedValues(Option<Values<'a>>),
    Values(Option<Values<'a>>),
    ResourceChanges(Option<Vec<ResourceChange<'a>>>),
    /// The elements of `resource_changes` from a guess inside its array on.
    MoreChanges(Vec<ResourceChange<'a>>),
    PriorState(Option<State<'a>>),
    Configuration(Option<Configuration<'a>>),
    Other,
}

/// How a worker's walk over top-level members ended.
enum End {
    /// At the start of the member guessed at this position (an index into the guesses).
    AtGuess(usize),
    /// The object closed and nothing but white space follows.
    Closed,
}

/// What one worker parsed: the members from its start up to `end`.
struct Run<'a> {
    members: Vec<Member<'a>>,
    end: End,
}

fn parse_in_parallel(body: &str) -> Option<Plan<'_>> {
    let bytes = body.as_bytes();
    let open = skip_space(bytes, 0);
    if bytes.get(open) != Some(&b'{') {
        return None;
    }
    // A key the plan lacks is searched for to the end of the text: the searches share the
    // cores.
    let mut guesses: Vec<usize> = LARGE
        .par_iter()
        .filter_map(|key| guess(bytes, open + 1, key))
        .collect();
    guesses.sort_unstable();
    guesses.dedup();
    if guesses.is_empty() {
        return None;
    }
    // An element guess is a `{`, a key guess a `"`: the two never share a position.
    let element = change_guess(bytes, &guesses);
    if let Some(at) = element
        && let Err(i) = guesses.binary_search(&at)
    {
        guesses.insert(i, at);
    }
    // Run 0 starts at the object's first member; run i + 1 at guess i.
    let starts: Vec<usize> = std::iter::once(open + 1)
        .chain(guesses.iter().copied())
        .collect();
    // A run's text is about as long as the distance to the next guess. Not to a `"values"` of
    // a plan: that is a resource's, inside `planned_values` (only a state has it at the top).
    let plan_values = |at: &usize| {
        bytes
            .get(*at..)
            .is_some_and(|rest| rest.starts_with(b"\"values\""))
            && guesses.len() > 1
    };
    let sizes: Vec<usize> = starts
        .iter()
        .map(|&start| {
            let end = starts
                .iter()
                .copied()
                .find(|at| *at > start && !plan_values(at))
                .unwrap_or(bytes.len());
            end.saturating_sub(start)
        })
        .collect();
    let mut runs: Vec<Option<Run<'_>>> = largest_first(&sizes, |n| {
        let start = *starts.get(n)?;
        let own = n.checked_sub(1);
        if own.is_some() && element == Some(start) {
            walk_from_change(body, start, own, &guesses)
        } else {
            walk(body, start, own, &guesses)
        }
    });
    // Follow the runs from the start: one that ends at a guess hands over to that guess's run.
    // Every run ends further on than it starts, so the chain ends.
    let mut chain = Vec::new();
    let mut next = 0;
    loop {
        let run = runs.get(next)?.as_ref()?;
        chain.push(next);
        match run.end {
            End::Closed => break,
            End::AtGuess(g) => next = g + 1,
        }
    }
    // A field given twice is an error of the whole parse: left to it.
    let mut seen = [false; Member::FIELDS];
    for &n in &chain {
        for member in runs.get(n)?.as_ref()?.members.iter() {
            if let Some(field) = member.field()
                && std::mem::replace(seen.get_mut(field)?, true)
            {
                return None;
            }
        }
    }
    let mut plan = Plan::default();
    for n in chain {
        for member in runs.get_mut(n)?.take()?.members {
            member.store(&mut plan);
        }
    }
    Some(plan)
}

/// `work(n)` for every job `n`, on all cores, each free core taking the largest job left: the
/// parse ends when the largest runs do, not when a large run started last does.
fn largest_first<T: Send + Sync>(
    sizes: &[usize],
    work: impl Fn(usize) -> Option<T> + Sync,
) -> Vec<Option<T>> {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&n| std::cmp::Reverse(sizes.get(n).copied().unwrap_or(0)));
    let next = AtomicUsize::new(0);
    let done: Vec<OnceLock<T>> = sizes.iter().map(|_| OnceLock::new()).collect();
    let take_jobs = || {
        while let Some(&n) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            if let (Some(out), Some(slot)) = (work(n), done.get(n)) {
                let _ = slot.set(out);
            }
        }
    };
    rayon::scope(|scope| {
        for _ in 1..rayon::current_num_threads().min(sizes.len()) {
            scope.spawn(|_| take_jobs());
        }
        take_jobs();
    });
    done.into_iter().map(OnceLock::into_inner).collect()
}

impl Member<'_> {
    /// How many fields of the plan members fill.
    const FIELDS: usize = 6;

    /// Which field of the plan the member fills: `None` for members the plan skips.
    fn field(&self) -> Option<usize> {
        Some(match self {
            Member::FormatVersion(_) => 0,
            Member::PlannedValues(_) => 1,
            Member::Values(_) => 2,
            Member::ResourceChanges(_) => 3,
            Member::PriorState(_) => 4,
            Member::Configuration(_) => 5,
            Member::MoreChanges(_) | Member::Other => return None,
        })
    }
}

impl<'a> Member<'a> {
    fn store(self, plan: &mut Plan<'a>) {
        match self {
            Member::FormatVersion(v) => plan.format_version = v,
            Member::PlannedValues(v) => plan.planned_values = v,
            Member::Values(v) => plan.values = v,
            Member::ResourceChanges(v) => plan.resource_changes = v.unwrap_or_default(),
            Member::PriorState(v) => plan.prior_state = v,
            Member::Configuration(v) => plan.configuration = v,
            Member::MoreChanges(v) => plan.resource_changes.extend(v),
            Member::Other => {}
        }
    }
}

/// Where the member whose key is `key` would start if its first occurrence after `from` were a
/// top-level key: at the quote of a key that a colon follows.
fn guess(bytes: &[u8], from: usize, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let finder = memmem::Finder::new(quoted.as_bytes());
    let rest = bytes.get(from..)?;
    let at = from + finder.find(rest)?;
    let after = skip_space(bytes, at + quoted.len());
    (bytes.get(after) == Some(&b':')).then_some(at)
}

/// Parses members from `start` (the object's first member, or the guess numbered `own`) until
/// the object closes or the walk stands at the start of a member at another guess. `None` when
/// the text there does not read as members of the plan's object.
fn walk<'a>(body: &'a str, start: usize, own: Option<usize>, guesses: &[usize]) -> Option<Run<'a>> {
    let bytes = body.as_bytes();
    let mut members = Vec::new();
    let mut at = skip_space(bytes, start);
    if own.is_none() && bytes.get(at) == Some(&b'}') {
        return closed(bytes, at, members);
    }
    loop {
        if let Ok(g) = guesses.binary_search(&at)
            && Some(g) != own
        {
            return Some(Run {
                members,
                end: End::AtGuess(g),
            });
        }
        let (key, after_key) = plain_key(bytes, at)?;
        at = skip_space(bytes, after_key);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        at = skip_space(bytes, at + 1);
        if key == "resource_changes" && bytes.get(at) == Some(&b'[') {
            let (changes, stop) = changes(body, skip_space(bytes, at + 1), own, guesses)?;
            members.push(Member::ResourceChanges(Some(changes)));
            match stop {
                Stop::AtGuess(g) => {
                    return Some(Run {
                        members,
                        end: End::AtGuess(g),
                    });
                }
                Stop::Closed(after) => at = after,
            }
        } else {
            let (member, len) = member(key, body.get(at..)?)?;
            members.push(member);
            at += len;
        }
        at = skip_space(bytes, at);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b'}') => return closed(bytes, at, members),
            _ => return None,
        }
    }
}

/// A walk from the element guess numbered `own` inside the `resource_changes` array: the
/// elements to the end of the array, then the members after it.
fn walk_from_change<'a>(
    body: &'a str,
    start: usize,
    own: Option<usize>,
    guesses: &[usize],
) -> Option<Run<'a>> {
    let bytes = body.as_bytes();
    let (changes, stop) = changes(body, start, own, guesses)?;
    let members = vec![Member::MoreChanges(changes)];
    let after = match stop {
        Stop::AtGuess(g) => {
            return Some(Run {
                members,
                end: End::AtGuess(g),
            });
        }
        Stop::Closed(after) => skip_space(bytes, after),
    };
    let mut run = match bytes.get(after) {
        Some(b',') => walk(body, after + 1, own, guesses)?,
        Some(b'}') => return closed(bytes, after, members),
        _ => return None,
    };
    run.members.splice(0..0, members);
    Some(run)
}

/// How a walk over the elements of `resource_changes` ended.
enum Stop {
    /// At the start of the element guessed at this position.
    AtGuess(usize),
    /// After the array's closing bracket.
    Closed(usize),
}

/// The elements of `resource_changes` from `at` (an element's start, or the array's closing
/// bracket) until the array closes or the next element starts at a guess other than `own`.
fn changes<'a>(
    body: &'a str,
    mut at: usize,
    own: Option<usize>,
    guesses: &[usize],
) -> Option<(Vec<ResourceChange<'a>>, Stop)> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    if bytes.get(at) == Some(&b']') {
        return Some((out, Stop::Closed(at + 1)));
    }
    loop {
        if let Ok(g) = guesses.binary_search(&at)
            && Some(g) != own
        {
            return Some((out, Stop::AtGuess(g)));
        }
        let (change, len) = one(body.get(at..)?)?;
        out.push(change);
        at = skip_space(bytes, at + len);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b']') => return Some((out, Stop::Closed(at + 1))),
            _ => return None,
        }
    }
}

/// Where an element of `resource_changes` may start about half-way through the section: the
/// `{` before an `"address"` key (Terraform writes it first) that follows a comma.
fn change_guess(bytes: &[u8], guesses: &[usize]) -> Option<usize> {
    let section = guesses.iter().copied().find(|&at| {
        bytes
            .get(at..)
            .is_some_and(|rest| rest.starts_with(b"\"resource_changes\""))
    })?;
    let end = guesses
        .iter()
        .copied()
        .find(|&at| at > section)
        .unwrap_or(bytes.len());
    let middle = section + (end - section) / 2;
    let key = middle + memmem::find(bytes.get(middle..end)?, b"\"address\"")?;
    let open = skip_space_back(bytes, key)?;
    (bytes.get(open) == Some(&b'{')
        && skip_space_back(bytes, open).and_then(|comma| bytes.get(comma)) == Some(&b','))
    .then_some(open)
}

/// The position of the last byte before `at` that is not white space.
fn skip_space_back(bytes: &[u8], at: usize) -> Option<usize> {
    bytes
        .get(..at)?
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
}

fn closed<'a>(bytes: &[u8], close: usize, members: Vec<Member<'a>>) -> Option<Run<'a>> {
    (skip_space(bytes, close + 1) == bytes.len()).then_some(Run {
        members,
        end: End::Closed,
    })
}

/// A key without escapes at `at`: its text and the position after its closing quote.
fn plain_key(bytes: &[u8], at: usize) -> Option<(&str, usize)> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let rest = bytes.get(at + 1..)?;
    let len = memchr::memchr2(b'"', b'\\', rest)?;
    if rest.get(len) != Some(&b'"') {
        return None;
    }
    let key = std::str::from_utf8(rest.get(..len)?).ok()?;
    Some((key, at + 1 + len + 1))
}

/// Parses the value of the member `key` at the start of `text`, as the plan's derived
/// deserializer would: the member and the length of its value's text.
fn member<'a>(key: &str, text: &'a str) -> Option<(Member<'a>, usize)> {
    Some(match key {
        "format_version" => value(text, Member::FormatVersion)?,
        "planned_values" => value(text, Member::PlannedValues)?,
        "values" => value(text, Member::Values)?,
        "resource_changes" => value(text, Member::ResourceChanges)?,
        "prior_state" => value(text, Member::PriorState)?,
        "configuration" => value(text, Member::Configuration)?,
        _ => value(text, |_: IgnoredAny| Member::Other)?,
    })
}

/// One JSON value at the start of `text` read as `T`, and the length of its text.
fn value<'a, T: Deserialize<'a>>(
    text: &'a str,
    wrap: impl FnOnce(T) -> Member<'a>,
) -> Option<(Member<'a>, usize)> {
    let (parsed, len) = one(text)?;
    Some((wrap(parsed), len))
}

/// One JSON value at the start of `text` read as `T`, and the length of its text.
///
/// Each value gets a deserializer of its own, whose nesting limit starts at the value: a
/// section, or an element of `resource_changes`, may nest one or two levels deeper than in one
/// parse of the whole text.
fn one<'a, T: Deserialize<'a>>(text: &'a str) -> Option<(T, usize)> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<T>();
    let parsed = stream.next()?.ok()?;
    Some((parsed, stream.byte_offset()))
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a parse gave, in a form two parses can be compared by: every value the loader reads
    /// and where its text is.
    fn summary(text: &str, plan: &Plan<'_>) -> Vec<String> {
        let at = |raw: &serde_json::value::RawValue| {
            format!(
                "{:?}@{}",
                raw.get(),
                raw.get().as_ptr() as usize - text.as_ptr() as usize
            )
        };
        let mut out = Vec::new();
        if let Some(v) = &plan.format_version {
            out.push(format!("format_version {} {}", v.0, at(v.raw)));
        }
        fn module(out: &mut Vec<String>, what: &str, m: &super::super::schema::Module<'_>) {
            for r in &m.resources {
                out.push(format!(
                    "{what} {} {} {} {:?}",
                    r.address.0,
                    r.mode,
                    r.type_,
                    r.values.map(|v| v.get())
                ));
            }
            for child in &m.child_modules {
                module(out, what, child);
            }
        }
        let values = [
            ("planned", plan.planned_values.as_ref()),
            ("values", plan.values.as_ref()),
            (
                "prior",
                plan.prior_state.as_ref().and_then(|s| s.values.as_ref()),
            ),
        ];
        for (what, v) in values {
            if let Some(m) = v.and_then(|v| v.root_module.as_ref()) {
                module(&mut out, what, m);
            }
        }
        for rc in &plan.resource_changes {
            out.push(format!(
                "change {} {} {:?} {:?} {}",
                rc.address.0,
                at(rc.address.raw),
                rc.change.actions(),
                rc.change.after.map(|v| v.get()),
                rc.type_
            ));
        }
        if let Some(c) = &plan.configuration {
            out.extend(c.provider_config.keys().map(|k| format!("provider {k}")));
            if let Some(m) = &c.root_module {
                out.extend(m.resources.iter().map(|r| format!("config {}", r.name)));
                out.extend(m.module_calls.keys().map(|k| format!("call {k}")));
            }
        }
        out
    }

    /// The speculative parse gives what one parse gives, or leaves the text to it.
    fn assert_as_one_parse(text: &str) {
        let one: serde_json::Result<Plan<'_>> = serde_json::from_str(text);
        match (parse_in_parallel(text), one) {
            (Some(parallel), Ok(one)) => {
                assert_eq!(summary(text, &parallel), summary(text, &one), "{text}")
            }
            (Some(_), Err(e)) => {
                panic!("the parallel parse accepts what one parse refuses ({e}): {text}")
            }
            (None, _) => {}
        }
    }

    fn resource_change(address: &str) -> String {
        format!(
            r#"{{"address": "{address}", "mode": "managed", "type": "aws_s3_bucket", "change": {{"actions": ["create"], "after": {{"bucket": "b"}}}}}}"#
        )
    }

    /// A change whose values hold what looks like the start of another change: `, {"address"`.
    fn change_with_decoy(address: &str) -> String {
        format!(
            r#"{{"address": "{address}", "mode": "managed", "type": "x", "change": {{"actions": ["create"], "after": {{"list": [1, {{"address": "decoy", "change": {{}}}}], "more": [{{"address": 2}}]}}}}}}"#
        )
    }

    #[test]
    fn resource_changes_are_split_at_an_element_half_way() {
        let changes: Vec<String> = (0..8)
            .map(|i| resource_change(&format!("aws_s3_bucket.b{i}")))
            .collect();
        let text = format!(
            "{{\"format_version\": \"1.2\", \"resource_changes\": [\n  {}\n], \"configuration\": {{}}}}",
            changes.join(",\n  ")
        );
        let bytes = text.as_bytes();
        let guesses = [
            guess(bytes, 1, "resource_changes").expect("key"),
            guess(bytes, 1, "configuration").expect("key"),
        ];
        let element = change_guess(bytes, &guesses).expect("an element half-way");
        assert!(text[element..].starts_with("{\"address\": \"aws_s3_bucket.b4\""));
        let plan = parse_in_parallel(&text).expect("parsed");
        assert_eq!(plan.resource_changes.len(), 8);
        assert_as_one_parse(&text);
    }

    #[test]
    fn an_element_guess_inside_a_value_costs_nothing_but_time() {
        let mut decoys = 0;
        for n in 1..8 {
            let changes: Vec<String> = (0..n)
                .map(|i| change_with_decoy(&format!("aws_s3_bucket.b{i}")))
                .collect();
            for separator in [",", ",\n    "] {
                let text = format!(
                    r#"{{"format_version": "1.2", "resource_changes": [{}], "configuration": {{}}}}"#,
                    changes.join(separator)
                );
                let bytes = text.as_bytes();
                let guesses = [
                    guess(bytes, 1, "resource_changes").expect("key"),
                    guess(bytes, 1, "configuration").expect("key"),
                ];
                if change_guess(bytes, &guesses)
                    .is_some_and(|at| text[at..].starts_with(r#"{"address": "decoy""#))
                {
                    decoys += 1;
                }
                let plan = parse_in_parallel(&text).expect("parsed");
                assert_eq!(plan.resource_changes.len(), n);
                assert_as_one_parse(&text);
            }
        }
        assert!(decoys > 0, "some guess fell on a decoy");
    }

    #[test]
    fn jobs_run_largest_first_and_keep_their_places() {
        let sizes = [3, 900, 0, 50];
        let out = largest_first(&sizes, |n| (n != 2).then_some(n * 10));
        assert_eq!(out, vec![Some(0), Some(10), None, Some(30)]);
    }

    #[test]
    fn sections_are_parsed_apart_and_joined_in_order() {
        let text = format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": []}}}}, "resource_changes": [{}, {}], "configuration": {{"root_module": {{"resources": [{{"type": "aws_s3_bucket", "name": "b"}}]}}}}}}"#,
            resource_change("aws_s3_bucket.a"),
            resource_change("aws_s3_bucket.b")
        );
        let plan = parse_in_parallel(&text).expect("a regular plan is parsed in parallel");
        assert_eq!(plan.resource_changes.len(), 2);
        assert_eq!(
            summary(&text, &plan),
            summary(&text, &serde_json::from_str(&text).unwrap())
        );
    }

    #[test]
    fn a_section_key_inside_a_value_is_a_wrong_guess_that_costs_nothing_but_time() {
        // The first `"resource_changes":` is a tag inside planned values.
        let text = format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [{{"address": "x.y", "mode": "managed", "type": "x", "values": {{"resource_changes": [], "configuration": {{"x": 1}}}}}}]}}}}, "resource_changes": [{}], "configuration": {{}}}}"#,
            resource_change("aws_s3_bucket.a")
        );
        let plan = parse_in_parallel(&text).expect("parsed");
        assert_eq!(plan.resource_changes.len(), 1);
        assert_as_one_parse(&text);
    }

    #[test]
    fn irregular_texts_are_left_to_one_parse() {
        for text in [
            r#"{"format_version": "1.2", "resource_changes": [], "resource_changes": []}"#,
            r#"{"format_version": "1.2", "resource\u005fchanges": []}"#,
            r#"{"format_version": "1.2", "resource_changes": []} x"#,
            r#"{"format_version": "1.2", "resource_changes": [],}"#,
            r#"{"format_version": "1.2", "resource_changes": [1]}"#,
            r#"{"format_version": "1.2", "resource_changes": ["#,
            r#"["resource_changes": []]"#,
        ] {
            assert!(parse_in_parallel(text).is_none(), "{text}");
            assert!(parse(text).is_err() || text.contains("\\u"), "{text}");
        }
    }

    #[test]
    fn nulls_and_unknown_members_read_as_in_one_parse() {
        for text in [
            r#"{"format_version": "1.2", "resource_changes": null, "configuration": null}"#,
            r#"{"terraform_version": "1.9.0", "resource_changes": [], "checks": [{"a": "configuration"}], "configuration": {}}"#,
            r#"  {"configuration": {}, "format_version": "1.2", "planned_values": null}  "#,
            "{\n  \"format_version\" : \"1.2\",\n  \"resource_changes\"\t:\n[]\n}\n",
        ] {
            assert!(parse_in_parallel(text).is_some(), "{text}");
            assert_as_one_parse(text);
        }
    }

    fn member_text() -> impl Strategy<Value = (String, String)> {
        let change = ("[a-z]{1,3}", any::<bool>()).prop_map(|(n, decoy)| {
            let address = format!("aws_s3_bucket.{n}");
            if decoy {
                change_with_decoy(&address)
            } else {
                resource_change(&address)
            }
        });
        prop_oneof![
            Just(("format_version".to_string(), "\"1.2\"".to_string())),
            prop::collection::vec(change, 0..7)
                .prop_map(|c| ("resource_changes".into(), format!("[{}]", c.join(",")))),
            Just(("resource_changes".to_string(), "null".to_string())),
            "[a-z_]{1,16}".prop_map(|k| ("planned_values".into(), format!(
                r#"{{"root_module": {{"resources": [{{"address": "a.b", "mode": "managed", "type": "t", "values": {{"{k}": {{"resource_changes": [1], "configuration": "x"}}}}}}]}}}}"#
            ))),
            Just(("prior_state".to_string(), r#"{"values": {"root_module": {}}}"#.to_string())),
            Just(("configuration".to_string(), r#"{"root_module": {"module_calls": {"m": {}}}}"#.to_string())),
            Just(("values".to_string(), "null".to_string())),
            "[a-z_]{1,16}".prop_map(|k| (k, r#"{"planned_values": {}, "configuration": []}"#.to_string())),
            Just(("configuration".to_string(), "[]".to_string())),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any order of members, repeats, decoys inside values and spacing: the parallel parse
        /// agrees with one parse or leaves the text to it.
        #[test]
        fn agrees_with_one_parse(
            members in prop::collection::vec(member_text(), 0..7),
            space in prop::sample::select(vec!["", " ", "\n  ", "\t"]),
            tail in prop::sample::select(vec!["", "\n", " x", ","]),
        ) {
            let body = members
                .iter()
                .map(|(k, v)| format!("{space}\"{k}\"{space}:{space}{v}"))
                .collect::<Vec<_>>()
                .join(",");
            let text = format!("{{{body}{space}}}{tail}");
            assert_as_one_parse(&text);
        }
    }
}
