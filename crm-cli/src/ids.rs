//! `--ids FILE|-`: record ids one per line, as `--output ids` prints them, for bulk commands.

use std::io::{BufRead, BufReader};

use anyhow::{Context as _, Result, bail};
use crm_core::EntityKind;

/// The ids in `source` (`-` for standard input): one per line, blank lines skipped, either a
/// bare number or `kind:number` of the expected `kind` (as `crm search --output ids` prints).
/// Names the line of anything else, before anything is changed.
pub(crate) fn read_ids(source: &str, kind: EntityKind) -> Result<Vec<i64>> {
    let reader: Box<dyn BufRead> = if source == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(source).with_context(|| format!("cannot open {source}"))?;
        Box::new(BufReader::new(file))
    };
    let mut ids = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read the ids from {source}"))?;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let number = match text.split_once(':') {
            Some((k, number)) if k.eq_ignore_ascii_case(kind.as_str()) => number,
            Some(_) => bail!("invalid ids: line {} is '{text}', not a {kind} id", n + 1),
            None => text,
        };
        match number.parse::<i64>() {
            Ok(id) if id > 0 => ids.push(id),
            _ => bail!(
                "invalid ids: line {} is '{text}', not a {kind} id (one positive number per line)",
                n + 1
            ),
        }
    }
    Ok(ids)
}
