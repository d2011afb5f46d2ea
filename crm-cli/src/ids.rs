//! `--ids FILE|-`: record ids one per line, as `--output ids` prints them, for bulk commands.

use std::io::{BufRead, BufReader, Read};

use anyhow::{Context as _, Result, bail};
use crm_core::EntityKind;

/// The most ids one bulk command takes: a million-record cleanup, not an endless stream.
const MAX_IDS: usize = 1_000_000;
/// Lines read in all, blank ones included.
const MAX_LINES: usize = 2 * MAX_IDS;
/// The longest line an id can need (`contact:` and 19 digits, with room for spaces).
const MAX_LINE_BYTES: u64 = 64;

/// The ids in `source` (`-` for standard input): one per line, blank lines skipped, either a
/// bare number or `kind:number` of the expected `kind` (as `crm search --output ids` prints).
/// Names the line of anything else, before anything is changed. Bounded: a line longer than
/// an id, or more ids than [`MAX_IDS`], is refused at once (`--ids /dev/zero` reached 3 GB).
pub(crate) fn read_ids(source: &str, kind: EntityKind) -> Result<Vec<i64>> {
    let mut reader: Box<dyn BufRead> = if source == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(source).with_context(|| format!("cannot open {source}"))?;
        Box::new(BufReader::new(file))
    };
    let mut ids = Vec::new();
    let mut bytes = Vec::new();
    for n in 1.. {
        bytes.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut bytes)
            .with_context(|| format!("cannot read the ids from {source}"))?;
        if read == 0 {
            break;
        }
        if n > MAX_LINES {
            bail!("invalid ids: more than {MAX_LINES} lines; split the list");
        }
        if bytes.len() as u64 > MAX_LINE_BYTES {
            bail!("invalid ids: line {n} is longer than {MAX_LINE_BYTES} bytes, not a {kind} id");
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            bail!("invalid ids: line {n} is not text, not a {kind} id");
        };
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let number = match text.split_once(':') {
            Some((k, number)) if k.eq_ignore_ascii_case(kind.as_str()) => number,
            Some(_) => bail!("invalid ids: line {n} is '{text}', not a {kind} id"),
            None => text,
        };
        match number.parse::<i64>() {
            Ok(id) if id > 0 => ids.push(id),
            _ => bail!(
                "invalid ids: line {n} is '{text}', not a {kind} id (one positive number per line)"
            ),
        }
        if ids.len() > MAX_IDS {
            bail!("invalid ids: more than {MAX_IDS} ids; split the list");
        }
    }
    Ok(ids)
}
