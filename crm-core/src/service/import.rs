//! `Crm::import`: a CSV file through the same service code as `add` and `edit`, row by row, in
//! one transaction.

mod bulk;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::time::Instant;

use super::campaigns::{create_campaign, update_campaign};
use super::contacts::{create_contact, update_contact};
use super::deals::import_deal;
use super::leads::{checked_lead, insert_checked_lead, update_lead};
use super::{Crm, duplicates, fields};
use crate::import::cells::{self, Cells};
use crate::import::columns::{self, ColumnMap, normalise};
use crate::import::encoding;
use crate::import::scan::{Malformed, Scan};
use crate::import::values::ValueMap;
use crate::import::{
    ImportKind, ImportObserver, ImportOptions, ImportProblem, ImportReport, KeptColumn,
    MissingReference, MissingReferences, OnDuplicate, ProblemGroup, SeveralValues, UnknownValue,
};
use crate::store::Tx;
use crate::text::{formula_unguarded, one_line};
use crate::{
    Actor, BatchId, CampaignId, ContactId, CustomField, EntityKind, Error, FieldInput, FieldsOf,
    LeadId, LeadSource, LeadStage, Result, Temperature,
};
use bulk::Bulk;

/// How often the observer hears about progress.
const PROGRESS_EVERY: u64 = 500;

/// What became of one row.
enum Outcome {
    Inserted,
    Updated,
    /// A duplicate left alone: the field it matched on, and why.
    Skipped(&'static str, String),
}

/// The parts of a run every row needs.
#[derive(Clone, Copy)]
struct Run<'a> {
    actor: &'a Actor,
    options: &'a ImportOptions,
    map: &'a ColumnMap,
    now: &'a str,
    /// Records with ids from here on were added by this import: a match among them is a
    /// repeat inside the file, not a record that was already in the CRM.
    fresh_from: i64,
    /// Where updates are recorded for an undo (none on a dry run).
    batch: Option<BatchId>,
    /// The custom fields the file's columns fill.
    custom: &'a CustomColumns,
    /// Other tools' values of stages and sources, read as ours.
    synonyms: &'a ValueMap,
    /// A refused row asked again for its further problems (`other_problems`): nothing it does
    /// is kept, and it is not compared with other records.
    trial: bool,
}

/// The custom fields of the records imported, and the columns that fill them: a header the
/// built-in fields leave that names a field by key or label (any case, spaces or punctuation),
/// as `crm export` writes them.
#[derive(Default)]
struct CustomColumns {
    of: Option<FieldsOf>,
    fields: Vec<CustomField>,
    /// (column index, field key)
    columns: Vec<(usize, String)>,
    /// Fields made for columns no field took (`--keep-extra`).
    kept: Vec<(CustomField, KeptColumn)>,
    /// (column index, field key): where the values of a built-in field's cell after its first
    /// go (`--keep-extra`; see `cells::JOINED`).
    more: Vec<(usize, String)>,
    /// (column index, field key): where a further column of a built-in field keeps its cell
    /// when an earlier column filled the field (`--keep-extra`; see `ColumnMap::also`).
    passed: Vec<(usize, String)>,
}

impl CustomColumns {
    /// The custom columns of the file: headers no built-in field takes, and headers a
    /// built-in field took only by an alias (a custom "Budget" over BANT's `budget` alias),
    /// which then leave `map`.
    ///
    /// With `keep` (`--keep-extra`), every other column no field takes gets a long-text field
    /// of its own, made in the import's transaction.
    fn find(
        tx: &Tx<'_>,
        kind: ImportKind,
        headers: &[String],
        map: &mut ColumnMap,
        keep: Option<&str>,
    ) -> Result<Self> {
        let Some(of) = FieldsOf::of(kind.entity()) else {
            return Ok(CustomColumns::default());
        };
        let mut fields: Vec<CustomField> = tx
            .fields_of(Some(of))?
            .into_iter()
            .filter(|f| !f.is_retired())
            .collect();
        let mut columns = Vec::new();
        for (i, header) in headers.iter().enumerate() {
            if !map.ignored.contains(header) && !map.by_alias.contains(&i) {
                continue;
            }
            let wanted = normalise(header);
            if let Some(field) = fields
                .iter()
                .find(|f| normalise(&f.key) == wanted || normalise(&f.label) == wanted)
                && !columns.iter().any(|(_, k)| *k == field.key)
            {
                columns.push((i, field.key.clone()));
                map.fields.retain(|(_, at)| *at != i);
            }
        }
        let mut kept = Vec::new();
        let mut more = Vec::new();
        let mut passed = Vec::new();
        if let Some(now) = keep {
            let mut make = |header: &str, i: usize, fields: &mut Vec<CustomField>| {
                let field = fields::add_kept_column(tx, of, header, i, now)?;
                kept.push((
                    field.clone(),
                    KeptColumn {
                        column: header.to_string(),
                        key: field.key.clone(),
                    },
                ));
                fields.push(field.clone());
                Ok::<_, Error>(field.key)
            };
            for (i, header) in headers.iter().enumerate() {
                if map.ignored.contains(header) && !columns.iter().any(|(at, _)| *at == i) {
                    let key = make(header, i, &mut fields)?;
                    columns.push((i, key));
                } else if map.also.iter().any(|(_, at)| *at == i) {
                    let key = make(header, i, &mut fields)?;
                    passed.push((i, key));
                } else if map.fields.iter().any(|(_, at)| *at == i) {
                    // Made for every built-in column; those no cell of several values fills
                    // are deleted again at the end.
                    let key = make(&format!("{} (more)", header.trim()), i, &mut fields)?;
                    more.push((i, key));
                }
            }
        }
        Ok(CustomColumns {
            of: Some(of),
            fields,
            columns,
            kept,
            more,
            passed,
        })
    }

    /// The fields made for kept columns that some row filled; the others are deleted again, so
    /// a column of blank cells leaves nothing behind.
    fn kept_and_filled(&self, tx: &Tx<'_>) -> Result<Vec<KeptColumn>> {
        let mut filled = Vec::new();
        for (field, kept) in &self.kept {
            if tx.field_has_values(field.id)? {
                filled.push(kept.clone());
            } else {
                tx.delete_field(field.id)?;
            }
        }
        Ok(filled)
    }

    /// The row's custom values by key; blank cells give none (an update leaves them as they are).
    fn input(&self, map: &ColumnMap, values: &[String]) -> FieldInput {
        let further = self.more.iter().filter_map(|(i, key)| {
            let rest = cells::other_values_of(map.field_at(*i)?, values.get(*i)?)?;
            Some((key.clone(), rest))
        });
        let passed = self
            .passed
            .iter()
            .filter(|(i, _)| passed_over(map, *i, values))
            .map(|(i, key)| (key.clone(), values[*i].clone()));
        self.columns
            .iter()
            .filter(|(i, _)| values.get(*i).is_some_and(|v| !cells::is_blank(v)))
            .map(|(i, key)| (key.clone(), values[*i].clone()))
            .chain(further)
            .chain(passed)
            .collect()
    }

    /// The stored custom values of record `id`, when the file has custom columns (what an
    /// update may change, for its undo).
    fn held(&self, tx: &Tx<'_>, id: i64) -> Result<Option<Vec<crate::store::RawValue>>> {
        match self.of {
            Some(of) if !self.columns.is_empty() => Ok(Some(tx.raw_values(of, id)?)),
            _ => Ok(None),
        }
    }

    /// Whether `header` is one of the columns it takes.
    fn takes(&self, headers: &[String], header: &str) -> bool {
        self.columns.iter().any(|(i, _)| headers[*i] == header)
    }
}

impl Crm {
    /// Imports the CSV in `input` as `options.kind`. The first line names the columns. Every row
    /// goes through the same validation and rules as `add` (or `edit` for `--on-duplicate
    /// update`) inside one transaction: with bad rows and no `skip_invalid`, or on a dry run,
    /// the transaction is rolled back and the report says what would have happened.
    ///
    /// Fails as a whole (nothing written) when the file cannot be read, its header maps no
    /// required field, or the actor may not create this kind of record at all.
    pub fn import(
        &self,
        actor: &Actor,
        input: impl Read,
        options: &ImportOptions,
        observer: &mut dyn ImportObserver,
    ) -> Result<ImportReport> {
        let started = Instant::now();
        allowed(actor, options)?;
        let input = encoding::decoded(input, options.encoding)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(options.delimiter)
            .from_reader(Scan::new(input, options.delimiter));
        let mut record = csv::ByteRecord::new();
        // Lines of only spaces before the header are as blank as empty ones, and so are the
        // notes some exports put above it.
        let mut in_preamble = false;
        loop {
            if !reader.read_byte_record(&mut record).map_err(read_error)? {
                return Err(Error::invalid(
                    "file",
                    "is empty; its first line must name the columns",
                ));
            }
            if !is_blank(&record) && !preamble(&record, &mut in_preamble) {
                break;
            }
        }
        refuse_other_delimiter(&record, options.delimiter)?;
        let headers = header_names(&record)?;
        let create = options.on_duplicate != OnDuplicate::Update;
        let map = columns::map(options.kind, &headers, &options.map, create)?;
        let synonyms = synonyms(options, &headers, &map)?;
        let now = self.now_text();
        let mut consumed = false;
        let mut report = self.store.write_or_discard(|tx| {
            // The input cannot be read twice: a retry after a busy database must not pretend the
            // file was empty.
            if consumed {
                return Err(Error::Conflict(
                    "the database stayed busy during the import; nothing was imported, run it again"
                        .into(),
                ));
            }
            consumed = true;
            let fresh_from = tx.highest_id(options.kind.entity())? + 1;
            let tallies = tx.defer_tallies()?;
            let batch = if options.dry_run {
                None
            } else {
                Some(tx.start_batch(options.kind, &options.file_name, actor.id, &now)?)
            };
            let mut map = map.clone();
            let keep = options.keep_extra.then_some(now.as_str());
            let custom = CustomColumns::find(tx, options.kind, &headers, &mut map, keep)?;
            let run = Run {
                actor,
                options,
                map: &map,
                now: &now,
                fresh_from,
                batch,
                custom: &custom,
                synonyms: &synonyms,
                trial: false,
            };
            let mut learned = Learned::default();
            let mut grouped = Grouped::new(observer);
            let mut report = rows(tx, &run, &mut learned, &mut reader, &headers, &mut grouped)?;
            report.problem_groups = grouped.finish();
            report.missing = std::mem::take(&mut learned.missing)
                .into_iter()
                .map(|((field, value), rows)| MissingReference {
                    field: field.to_string(),
                    value,
                    rows,
                })
                .collect();
            report.created_campaigns = std::mem::take(&mut learned.created);
            report.created_fields = custom.kept_and_filled(tx)?;
            for several in report
                .several_values
                .iter_mut()
                .chain(&mut report.passed_over)
            {
                // A field no written row filled (its rows were refused) was deleted again.
                let kept = |key: &String| report.created_fields.iter().any(|k| k.key == *key);
                several.kept_in = several.kept_in.take().filter(kept);
            }
            report.committed = !options.dry_run && (report.invalid == 0 || options.skip_invalid);
            // Discarded work needs no indexes: the rollback restores them.
            if let (true, Some(bulk)) = (report.committed, learned.bulk) {
                observer.finishing();
                bulk.finish(tx)?;
            }
            if let (true, Some(tallies)) = (report.committed, tallies) {
                tx.catch_up_tallies(tallies)?;
            }
            // A file that changed nothing (a header alone, every row skipped or invalid) leaves
            // no batch in the history: there is nothing to undo.
            let changed = report.inserted + report.updated > 0;
            if let (true, true, Some(batch)) = (report.committed, changed, batch) {
                tx.finish_batch(batch, &report)?;
                report.batch = Some(batch);
            }
            let keep = report.committed && changed;
            Ok((report, keep))
        })?;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }
}

/// The field key paired with column `index` in a list of (column, key).
fn key_at(columns: &[(usize, String)], index: usize) -> Option<String> {
    columns
        .iter()
        .find(|(i, _)| *i == index)
        .map(|(_, key)| key.clone())
}

/// Values a field's cell or column could not hold, per built-in column: cells of several
/// values (`cells::JOINED`), and further columns' cells an earlier column kept out.
#[derive(Default)]
struct Spread {
    several: BTreeMap<usize, u64>,
    passed: BTreeMap<usize, u64>,
}

impl Spread {
    fn count(&mut self, map: &ColumnMap, values: &[String]) {
        for (field, i) in map.fields.iter().chain(&map.also) {
            if values
                .get(*i)
                .and_then(|v| cells::other_values_of(field, v))
                .is_some()
            {
                *self.several.entry(*i).or_insert(0) += 1;
            }
            if passed_over(map, *i, values) {
                *self.passed.entry(*i).or_insert(0) += 1;
            }
        }
    }

    /// The report's `several_values` and `passed_over`, with the fields that keep them.
    fn finish(
        self,
        headers: &[String],
        custom: &CustomColumns,
    ) -> (Vec<SeveralValues>, Vec<SeveralValues>) {
        let listed = |counts: BTreeMap<usize, u64>, kept: &[(usize, String)]| {
            counts
                .into_iter()
                .map(|(i, cells)| SeveralValues {
                    column: headers[i].clone(),
                    cells,
                    kept_in: key_at(kept, i),
                })
                .collect()
        };
        (
            listed(self.several, &custom.more),
            listed(self.passed, &custom.passed),
        )
    }
}

/// Whether column `index`, a further column of a field (`ColumnMap::also`), holds a value that
/// an earlier column's value kept out of the field.
fn passed_over(map: &ColumnMap, index: usize, values: &[String]) -> bool {
    let Some((field, _)) = map.also.iter().find(|(_, i)| *i == index) else {
        return false;
    };
    values.get(index).is_some_and(|v| !cells::is_blank(v))
        && map.taken(field, values) != Some(index)
}

/// Whether `record`, read before the header, is a line of the notes some exports put above
/// it: LinkedIn's connections start with a line `Notes:` and a paragraph, one cell each. The
/// notes start with a single cell ending in a colon and last while lines are one cell.
fn preamble(record: &csv::ByteRecord, in_preamble: &mut bool) -> bool {
    if record.len() != 1 {
        return false;
    }
    if !*in_preamble {
        *in_preamble = record[0].trim_ascii().ends_with(b":");
    }
    *in_preamble
}

/// Whether `actor` may run an import with `options`: add its kind of record, and assign or
/// define fields when its flags ask to.
fn allowed(actor: &Actor, options: &ImportOptions) -> Result<()> {
    match options.kind {
        ImportKind::Contacts => actor.require_contact_create()?,
        ImportKind::Leads => actor.require_lead_create()?,
        ImportKind::Deals => actor.require_deal_create()?,
        ImportKind::Campaigns => actor.require_campaign_write("import campaigns")?,
    }
    if options.auto_assign && options.kind != ImportKind::Leads {
        return Err(Error::invalid(
            "auto-assign",
            "only leads are auto-assigned; drop --auto-assign",
        ));
    }
    if options.auto_assign {
        actor.require_lead_assign()?;
    }
    if options.keep_extra {
        if FieldsOf::of(options.kind.entity()).is_none() {
            return Err(Error::invalid(
                "keep-extra",
                format!("{} have no custom fields; drop --keep-extra", options.kind),
            ));
        }
        actor.require_admin("keep extra columns as new custom fields (--keep-extra)")?;
    }
    Ok(())
}

/// A header read as one column that another delimiter would split (a semicolon file from a
/// European spreadsheet, a tab or pipe export) is refused with the flag that reads it.
fn refuse_other_delimiter(header: &csv::ByteRecord, delimiter: u8) -> Result<()> {
    // NUL bytes are a UTF-16 file's, which the header's own check names.
    if header.len() != 1 || header[0].contains(&0) {
        return Ok(());
    }
    let only = String::from_utf8_lossy(&header[0]).into_owned();
    let other = [(';', "';'"), ('\t', "tab"), ('|', "'|'"), (',', "','")]
        .into_iter()
        .filter(|(c, _)| u8::try_from(*c).ok() != Some(delimiter))
        .find(|(c, _)| only.contains(*c));
    let only = one_line(&only);
    match other {
        Some((c, flag)) => Err(Error::invalid(
            "file",
            format!(
                "its header is one column, '{only}', whose names are separated by {}; \
                 pass --delimiter {flag}",
                if c == '\t' {
                    "tabs".to_string()
                } else {
                    format!("'{c}'")
                }
            ),
        )),
        None => Ok(()),
    }
}

/// The `--map-value` pairs of `options`, their COLUMN read as a field's name or as a header of
/// the file (then the field its column fills).
fn synonyms(options: &ImportOptions, headers: &[String], map: &ColumnMap) -> Result<ValueMap> {
    let known = columns::fields(options.kind);
    ValueMap::parse(
        &options.map_values,
        options.kind == ImportKind::Deals,
        |column| {
            let wanted = normalise(column);
            known
                .iter()
                .find(|f| normalise(f.name) == wanted)
                .map(|f| f.name)
                .or_else(|| {
                    let at = headers.iter().position(|h| normalise(h) == wanted)?;
                    map.fields
                        .iter()
                        .find(|(_, i)| *i == at)
                        .map(|(name, _)| *name)
                })
        },
    )
}

/// What an import learns as it goes.
#[derive(Default)]
struct Learned {
    /// Set once a lead import goes bulk.
    bulk: Option<Bulk>,
    /// Campaign references already resolved: the rows of a file name a few campaigns each
    /// thousands of times, and the lookup was 7% of a million-lead import.
    campaigns: HashMap<String, CampaignId>,
    /// Owners as rows name them (a username or a display name), with the username each is
    /// (None: the database has no such user).
    owners: HashMap<String, Option<String>>,
    /// Campaigns and owners the database lacks, left empty, with their rows.
    missing: BTreeMap<(&'static str, String), u64>,
    /// Campaigns made for the rows that named them.
    created: Vec<String>,
}

impl Learned {
    /// What a trial of a refused row starts from: the lookups learned so far, and nothing it
    /// learns is kept.
    fn for_trial(&self) -> Learned {
        Learned {
            campaigns: self.campaigns.clone(),
            owners: self.owners.clone(),
            ..Learned::default()
        }
    }

    /// The owner a row names, checked: one the database lacks is left empty by
    /// `--blank-missing` or `--create-missing` (an import never makes a user account), and
    /// otherwise makes the row invalid with the flags named.
    fn owner(&mut self, tx: &Tx<'_>, run: &Run<'_>, owner: &mut Option<String>) -> Result<()> {
        let Some(name) = owner.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
            return Ok(());
        };
        let known = if let Some(known) = self.owners.get(name) {
            known.clone()
        } else {
            // Other CRMs export an owner by name ("Asha Verma"): a user whose display name it
            // is, when only one is, is that owner.
            let username = name.to_lowercase();
            let known = if tx.user_id(&username)?.is_some() {
                Some(username)
            } else {
                tx.username_of_display_name(name)?
            };
            self.owners.insert(name.to_string(), known.clone());
            known
        };
        if let Some(username) = known {
            *owner = Some(username);
            return Ok(());
        }
        if run.options.missing == MissingReferences::Refuse {
            return Err(Error::invalid(
                "owner",
                format!(
                    "no user named '{name}' in this database; pass --blank-missing (or \
                     --create-missing) to leave the owner empty"
                ),
            ));
        }
        *self.missing.entry(("owner", name.to_string())).or_default() += 1;
        *owner = None;
        Ok(())
    }

    /// A lead's campaign, resolved once per reference: one the database lacks is made or left
    /// out ([`Learned::missing_campaign`]; the lead then goes to the general campaign).
    fn lead_campaign(
        &mut self,
        tx: &Tx<'_>,
        run: &Run<'_>,
        campaign: &mut Option<String>,
    ) -> Result<()> {
        let Some(reference) = campaign.clone().filter(|r| !r.trim().is_empty()) else {
            return Ok(());
        };
        if self.campaigns.contains_key(&reference) {
            return Ok(());
        }
        let found = match tx.campaign_id_by_ref(&reference)? {
            Some(id) => Some(id),
            None => self.missing_campaign(tx, run, &reference)?,
        };
        match found {
            Some(id) => {
                self.campaigns.insert(reference, id);
            }
            None => *campaign = None,
        }
        Ok(())
    }

    /// A deal's campaign: one the database lacks is made or left out. Not remembered: a deal
    /// row runs in a savepoint, and a campaign made for a row that then fails goes with it.
    fn deal_campaign(
        &mut self,
        tx: &Tx<'_>,
        run: &Run<'_>,
        campaign: &mut Option<String>,
    ) -> Result<()> {
        if let Some(reference) = campaign.clone().filter(|r| !r.trim().is_empty())
            && tx.campaign_id_by_ref(&reference)?.is_none()
            && self.missing_campaign(tx, run, &reference)?.is_none()
        {
            *campaign = None;
        }
        Ok(())
    }

    /// The campaign a row names when the database lacks it: made by `--create-missing`, left
    /// empty (None) by `--blank-missing`, else the row is invalid with the flags named.
    fn missing_campaign(
        &mut self,
        tx: &Tx<'_>,
        run: &Run<'_>,
        reference: &str,
    ) -> Result<Option<CampaignId>> {
        let name = reference.trim();
        match run.options.missing {
            MissingReferences::Refuse => Err(Error::invalid(
                "campaign",
                format!(
                    "no campaign '{name}' in this database; pass --create-missing to make it, or \
                     --blank-missing to leave the row without it"
                ),
            )),
            MissingReferences::Create => {
                let new = crate::NewCampaign {
                    name: name.to_string(),
                    ..crate::NewCampaign::default()
                };
                let id = create_campaign(tx, run.actor, &new, run.now)?;
                self.created.push(name.to_string());
                Ok(Some(id))
            }
            MissingReferences::Blank => {
                *self
                    .missing
                    .entry(("campaign", name.to_string()))
                    .or_default() += 1;
                Ok(None)
            }
        }
    }
}

impl Run<'_> {
    /// Only a lead import that adds rows sets indexes aside: an update changes the keys the
    /// in-memory duplicate check holds.
    fn may_go_bulk(&self) -> bool {
        self.options.kind == ImportKind::Leads && self.options.on_duplicate != OnDuplicate::Update
    }
}

/// Reads and imports every row after the header, reporting problems as they come.
fn rows<R: Read>(
    tx: &Tx<'_>,
    run: &Run<'_>,
    learned: &mut Learned,
    reader: &mut csv::Reader<Scan<R>>,
    headers: &[String],
    observer: &mut dyn ImportObserver,
) -> Result<ImportReport> {
    let mut record = csv::ByteRecord::new();
    let mut report = ImportReport {
        ignored_columns: run
            .map
            .ignored
            .iter()
            .filter(|h| !run.custom.takes(headers, h))
            .cloned()
            .collect(),
        repeated_columns: run.map.repeated.clone(),
        dry_run: run.options.dry_run,
        ..ImportReport::default()
    };
    let mut values = Vec::with_capacity(headers.len());
    let mut unknown = UnknownValues::default();
    let mut spread = Spread::default();
    let mut row_number = 1;
    while reader.read_byte_record(&mut record).map_err(read_error)? {
        row_number += 1;
        let start = record.position().map_or(0, csv::Position::byte);
        let line = reader.get_mut().line_at(start);
        if is_blank(&record) {
            continue;
        }
        report.rows += 1;
        let mut problem = |column: String, value: String, reason: String, skipped| {
            observer.problem(&ImportProblem {
                row: row_number,
                line,
                column,
                value,
                reason,
                skipped,
            });
        };
        let decoded = decode(&record, headers, &mut values);
        if decoded.is_ok() {
            let words = values.iter().filter(|v| cells::is_blank_word(v)).count();
            report.blank_words += u64::try_from(words).unwrap_or(u64::MAX);
            spread.count(run.map, &values);
        }
        match decoded {
            Ok(()) => match row_once(tx, run, learned, &values) {
                Ok(Outcome::Inserted) => report.inserted += 1,
                Ok(Outcome::Updated) => report.updated += 1,
                Ok(Outcome::Skipped(field, reason)) => {
                    report.skipped += 1;
                    let index = run.map.index(field);
                    let column = index.map(|i| headers[i].clone()).unwrap_or_default();
                    let value = index.and_then(|i| values.get(i)).cloned();
                    problem(column, value.unwrap_or_default(), reason, true);
                }
                Err(err @ (Error::Database(_) | Error::Io(_))) => return Err(err),
                Err(err) => {
                    report.invalid += 1;
                    let (column, reason) = blame(&err, run.map, headers);
                    unknown.note_row(tx, run, headers, &values, row_number)?;
                    let others = other_problems(tx, run, learned, headers, &values, &column)?;
                    for (column, reason) in std::iter::once((column, reason)).chain(others) {
                        let value = cell(headers, &values, &column);
                        problem(column, value, reason, false);
                    }
                }
            },
            Err((column, reason)) => {
                report.invalid += 1;
                problem(column, String::new(), reason, false);
            }
        }
        if report.rows.is_multiple_of(PROGRESS_EVERY) {
            observer.progress(report.rows, reader.position().byte());
        }
        if learned.bulk.is_none() && run.may_go_bulk() && bulk::due(report.inserted, run.fresh_from)
        {
            learned.bulk = Some(Bulk::start(tx, tx.highest_id(EntityKind::Lead)? + 1)?);
        }
    }
    observer.progress(report.rows, reader.position().byte());
    report.unknown_values = unknown.finish(tx, run.options.kind)?;
    (report.several_values, report.passed_over) = spread.finish(headers, run.custom);
    Ok(report)
}

/// The problems of a refused row after its first (blamed on `first`), so that a file takes one
/// round of fixes, not one per bad cell. The services stop at a row's first problem; each
/// further one is found by blanking the cells already blamed and asking again, in a trial that
/// keeps nothing. A problem in a cell the row left blank may only be there because of the
/// blanking (a contact needs a name, an email or a phone), so the search stops at one.
fn other_problems(
    tx: &Tx<'_>,
    run: &Run<'_>,
    learned: &Learned,
    headers: &[String],
    values: &[String],
    first: &str,
) -> Result<Vec<(String, String)>> {
    let trial = Run {
        trial: true,
        batch: None,
        ..*run
    };
    let mut blanked = values.to_vec();
    let mut blamed = vec![first.to_string()];
    let mut found = Vec::new();
    loop {
        let last = blamed.last().map_or("", String::as_str);
        let columns = columns_named(run.map, headers, last);
        if columns.is_empty() {
            break;
        }
        for i in columns {
            blanked[i].clear();
        }
        let mut learned = learned.for_trial();
        let err = match tx.trial(|tx| row_once(tx, &trial, &mut learned, &blanked)) {
            Ok(_) => break,
            Err(err @ (Error::Database(_) | Error::Io(_))) => return Err(err),
            Err(err) => err,
        };
        let (column, reason) = blame(&err, run.map, headers);
        if blamed.contains(&column) || cells::is_blank(&cell(headers, values, &column)) {
            break;
        }
        found.push((column.clone(), reason));
        blamed.push(column);
    }
    Ok(found)
}

/// The columns under the header `column`, with the further columns of the fields they fill
/// ([`ColumnMap::also`]), which fill the field when the first is blank.
fn columns_named(map: &ColumnMap, headers: &[String], column: &str) -> Vec<usize> {
    if column.is_empty() {
        return Vec::new();
    }
    let named: Vec<usize> = (0..headers.len())
        .filter(|&i| headers[i] == column)
        .collect();
    let further = map
        .fields
        .iter()
        .filter(|(_, i)| named.contains(i))
        .flat_map(|&(field, _)| map.also.iter().filter(move |(f, _)| *f == field))
        .map(|&(_, i)| i);
    further.chain(named.iter().copied()).collect()
}

/// Passes problems on, and groups the refused rows by column and kind of problem.
struct Grouped<'a> {
    inner: &'a mut dyn ImportObserver,
    groups: BTreeMap<(String, String), ProblemGroup>,
}

impl<'a> Grouped<'a> {
    fn new(inner: &'a mut dyn ImportObserver) -> Self {
        Grouped {
            inner,
            groups: BTreeMap::new(),
        }
    }

    /// The groups, most rows first.
    fn finish(self) -> Vec<ProblemGroup> {
        let mut all: Vec<ProblemGroup> = self.groups.into_values().collect();
        all.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.first_rows.cmp(&b.first_rows)));
        all
    }
}

impl ImportObserver for Grouped<'_> {
    fn progress(&mut self, rows: u64, bytes: u64) {
        self.inner.progress(rows, bytes);
    }

    fn finishing(&mut self) {
        self.inner.finishing();
    }

    fn problem(&mut self, problem: &ImportProblem) {
        self.inner.problem(problem);
        if problem.skipped {
            return;
        }
        let kind = ProblemGroup::kind_of(&problem.reason);
        let group = self
            .groups
            .entry((problem.column.clone(), kind.clone()))
            .or_insert_with(|| ProblemGroup {
                column: problem.column.clone(),
                kind,
                rows: 0,
                first_rows: Vec::new(),
            });
        group.rows += 1;
        if group.first_rows.len() < ROWS_NAMED {
            group.first_rows.push(problem.row);
        }
    }
}

/// Values of a stage, source or temperature the rows hold that the CRM does not know, counted
/// once each.
#[derive(Default)]
struct UnknownValues {
    seen: BTreeMap<(String, String), UnknownValue>,
    /// The pipeline's stages, read at the first bad row of a deal file.
    deal_stages: Option<Vec<String>>,
}

/// How many rows of an unknown value are named.
const ROWS_NAMED: usize = 5;

impl UnknownValues {
    /// Counts the stage, source and temperature of a refused row that the CRM does not know,
    /// whatever problem the row was refused for.
    fn note_row(
        &mut self,
        tx: &Tx<'_>,
        run: &Run<'_>,
        headers: &[String],
        values: &[String],
        row: u64,
    ) -> Result<()> {
        let deals = run.options.kind == ImportKind::Deals;
        for field in ["stage", "source", "temperature"] {
            let Some(at) = run.map.index(field) else {
                continue;
            };
            let value = values.get(at).map_or("", |v| v.trim());
            if cells::is_blank(value) {
                continue;
            }
            let ours = run.synonyms.translate(field, value);
            let known = match (field, deals) {
                ("stage", true) => {
                    if self.deal_stages.is_none() {
                        let names = tx.stages(false)?.into_iter().map(|s| s.name).collect();
                        self.deal_stages = Some(names);
                    }
                    self.deal_stages
                        .iter()
                        .flatten()
                        .any(|s| s.eq_ignore_ascii_case(ours.trim()))
                }
                ("stage", false) => ours.parse::<LeadStage>().is_ok(),
                ("temperature", _) => ours.parse::<Temperature>().is_ok(),
                _ => deals || ours.parse::<LeadSource>().is_ok(),
            };
            if !known {
                self.count(field, &headers[at], value, row);
            }
        }
        Ok(())
    }

    fn count(&mut self, field: &str, column: &str, value: &str, row: u64) {
        let seen = self
            .seen
            .entry((field.to_string(), value.to_string()))
            .or_insert_with(|| UnknownValue {
                field: field.to_string(),
                column: column.to_string(),
                value: value.to_string(),
                rows: 0,
                first_rows: Vec::new(),
                choices: Vec::new(),
            });
        seen.rows += 1;
        if seen.first_rows.len() < ROWS_NAMED {
            seen.first_rows.push(row);
        }
    }

    /// The values, most rows first, each with what it may be mapped to.
    fn finish(self, tx: &Tx<'_>, kind: ImportKind) -> Result<Vec<UnknownValue>> {
        let mut all: Vec<UnknownValue> = self.seen.into_values().collect();
        if all.is_empty() {
            return Ok(all);
        }
        let deal_stages = match self.deal_stages {
            Some(names) => names,
            None if kind == ImportKind::Deals => {
                tx.stages(false)?.into_iter().map(|s| s.name).collect()
            }
            None => Vec::new(),
        };
        for value in &mut all {
            value.choices = match (value.field.as_str(), kind) {
                ("stage", ImportKind::Deals) => deal_stages.clone(),
                ("stage", _) => LeadStage::ALL
                    .iter()
                    .filter(|s| **s != LeadStage::Converted)
                    .map(ToString::to_string)
                    .collect(),
                ("temperature", _) => Temperature::NAMES
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect(),
                _ => LeadSource::NAMES.iter().map(|s| (*s).to_string()).collect(),
            };
        }
        all.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.value.cmp(&b.value)));
        Ok(all)
    }
}

/// The header line's column names, as one-line labels.
fn header_names(record: &csv::ByteRecord) -> Result<Vec<String>> {
    record
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let text = std::str::from_utf8(cell).map_err(|_| {
                Error::invalid(
                    "file",
                    format!("its header line {}", encoding::not_utf8(cell)),
                )
            })?;
            if text.contains('\0') {
                let reason = match encoding::utf16_without_mark(record.get(0).unwrap_or_default()) {
                    Some(wide) => format!(
                        "has NUL bytes in its header line: it looks like UTF-16 without a \
                         byte-order mark; pass --encoding {wide}, or save it as CSV UTF-8"
                    ),
                    None => "has NUL bytes in its header line; is it UTF-32 or not a text \
                             file? save it as CSV UTF-8"
                        .to_string(),
                };
                return Err(Error::invalid("file", reason));
            }
            // A byte-order mark from spreadsheet exports is not part of the first name.
            let text = if i == 0 {
                text.trim_start_matches('\u{feff}')
            } else {
                text
            };
            // A header is a label: a line break inside a quoted one would break every
            // message that names the column.
            Ok(one_line(text))
        })
        .collect()
}

/// A row of nothing but spaces and empty cells.
fn is_blank(record: &csv::ByteRecord) -> bool {
    record
        .iter()
        .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
}

fn read_error(err: csv::Error) -> Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<Malformed>()) {
            Some(malformed) => Error::invalid("file", malformed.to_string()),
            None => Error::Io(io),
        },
        other => Error::invalid("file", format!("cannot be read as CSV: {other:?}")),
    }
}

/// The row's cells as text into `values`, or the column and reason it cannot be read.
fn decode(
    record: &csv::ByteRecord,
    headers: &[String],
    values: &mut Vec<String>,
) -> std::result::Result<(), (String, String)> {
    // A row of another length than the header cannot say which cell is which column: its
    // values would land in the wrong fields or be lost.
    if record.len() != headers.len() {
        let why = if record.len() > headers.len() {
            "a stray delimiter or a quote that does not close?"
        } else {
            "a row cut short, or a delimiter missing?"
        };
        return Err((
            String::new(),
            format!(
                "has {} cells but the header names {} columns ({why})",
                record.len(),
                headers.len()
            ),
        ));
    }
    values.clear();
    for (i, cell) in record.iter().enumerate() {
        let text = std::str::from_utf8(cell)
            .map_err(|_| (headers[i].clone(), encoding::not_utf8(cell)))?;
        values.push(formula_unguarded(text).to_string());
    }
    Ok(())
}

/// Imports one decoded row so that a bad row leaves nothing behind. Other kinds run inside a
/// savepoint (measured: a fifth of a lead import's time went to its page copies); a new lead is
/// checked in full before its first write and an updated one gets its own savepoint.
fn row_once(
    tx: &Tx<'_>,
    run: &Run<'_>,
    learned: &mut Learned,
    values: &[String],
) -> Result<Outcome> {
    if run.options.kind == ImportKind::Leads {
        import_row(tx, run, learned, values)
    } else {
        tx.savepoint(|tx| import_row(tx, run, learned, values))
    }
}

/// Imports one decoded row.
fn import_row(
    tx: &Tx<'_>,
    run: &Run<'_>,
    learned: &mut Learned,
    values: &[String],
) -> Result<Outcome> {
    let c = Cells {
        map: run.map,
        values,
        synonyms: run.synonyms,
    };
    let (actor, now) = (run.actor, run.now);
    let custom = run.custom.input(run.map, values);
    match run.options.kind {
        ImportKind::Contacts => {
            let mut new = cells::new_contact(&c)?;
            new.fields.clone_from(&custom);
            learned.owner(tx, run, &mut new.owner)?;
            // The match is decided here, once, by `--on-duplicate`.
            new.allow_duplicate = true;
            let existing = if run.trial {
                None
            } else {
                duplicates::existing(
                    tx,
                    EntityKind::Contact,
                    new.email.as_deref().map(str::trim),
                    new.phone.as_deref(),
                )?
            };
            let existing = unless_shared_phone(
                tx,
                EntityKind::Contact,
                existing,
                &new.first_name,
                new.last_name.as_deref(),
            )?;
            apply(
                tx,
                run,
                ("contact", existing),
                || create_contact(tx, actor, &new, now).map(drop),
                |id| {
                    let mut patch = cells::contact_patch(&c)?;
                    patch.fields = custom;
                    update_contact(tx, actor, ContactId(id), &patch, now)
                },
            )
        }
        ImportKind::Leads => import_lead(tx, run, learned, &c, &custom),
        ImportKind::Deals => {
            let mut new = cells::new_deal(&c)?;
            new.fields = custom;
            learned.owner(tx, run, &mut new.owner)?;
            learned.deal_campaign(tx, run, &mut new.campaign)?;
            new.contact = deal_contact(tx, actor, &c)?;
            import_deal(tx, actor, &new, c.text("lost_reason").as_deref(), now)?;
            Ok(Outcome::Inserted)
        }
        ImportKind::Campaigns => {
            let new = cells::new_campaign(&c)?;
            let existing = tx
                .campaign_id_by_code_or_name(new.code.as_deref().map(str::trim), new.name.trim())?;
            if let Some(id) = existing {
                let campaign = tx
                    .campaign(id)?
                    .ok_or_else(|| Error::not_found("campaign", id))?;
                if campaign.is_system {
                    return Ok(Outcome::Skipped(
                        "name",
                        format!(
                            "'{}' is built in and always present; left as it is",
                            campaign.name
                        ),
                    ));
                }
            }
            apply(
                tx,
                run,
                ("campaign", existing.map(|id| (id.0, "code"))),
                || create_campaign(tx, actor, &new, now).map(drop),
                |id| update_campaign(tx, actor, CampaignId(id), &cells::campaign_patch(&c)?, now),
            )
        }
    }
}

/// Imports one row of a lead file: checked in full before its first write, so a bad row
/// leaves nothing behind without a savepoint.
fn import_lead(
    tx: &Tx<'_>,
    run: &Run<'_>,
    learned: &mut Learned,
    c: &Cells<'_>,
    custom: &FieldInput,
) -> Result<Outcome> {
    let (actor, now) = (run.actor, run.now);
    let mut new = cells::new_lead(c, run.options.auto_assign)?;
    new.allow_duplicate = true;
    learned.owner(tx, run, &mut new.owner)?;
    learned.lead_campaign(tx, run, &mut new.campaign)?;
    let (email, phone) = (new.email.as_deref().map(str::trim), new.phone.as_deref());
    let Learned {
        bulk, campaigns, ..
    } = learned;
    let existing = match bulk {
        _ if run.trial => None,
        Some(bulk) => bulk.existing(tx, email, phone)?,
        None => duplicates::existing(tx, EntityKind::Lead, email, phone)?,
    };
    let existing = unless_shared_phone(
        tx,
        EntityKind::Lead,
        existing,
        &new.first_name,
        new.last_name.as_deref(),
    )?;
    apply(
        tx,
        run,
        ("lead", existing),
        || {
            let mut row = checked_lead(tx, actor, &new, &mut |reference| {
                if let Some(&id) = campaigns.get(reference) {
                    return Ok(id);
                }
                let id = Crm::campaign_id(tx, reference)?;
                campaigns.insert(reference.to_owned(), id);
                Ok(id)
            })?;
            // Checked before the first write, as the rest of the row.
            let values = match run.custom.of {
                Some(of) => fields::check_values(tx, of, &run.custom.fields, custom, true)?,
                None => fields::CheckedValues::default(),
            };
            let id = insert_checked_lead(tx, actor, &mut row, new.auto_assign, now)?;
            values.write(tx, id.0)?;
            if let Some(bulk) = bulk {
                bulk.added(id.0, row.email.as_deref(), row.phone.as_deref());
            }
            Ok(())
        },
        |id| {
            tx.savepoint(|tx| {
                let mut patch = cells::lead_patch(c)?;
                patch.fields.clone_from(custom);
                update_lead(tx, actor, LeadId(id), &patch, now)
            })
        },
    )
}

/// A match on the phone alone is another person who shares it (an office's main line, a
/// family's landline) when the names say so (`rules::dedupe::other_person`): the row is a new
/// record, and `dupes` still groups the two by their phone for a person to judge. The emails
/// differ already: a match on the email is found first.
fn unless_shared_phone(
    tx: &Tx<'_>,
    kind: EntityKind,
    found: Option<(i64, &'static str)>,
    first_name: &str,
    last_name: Option<&str>,
) -> Result<Option<(i64, &'static str)>> {
    let Some((id, "phone")) = found else {
        return Ok(found);
    };
    let theirs = match kind {
        EntityKind::Contact => tx
            .contact(ContactId(id))?
            .map(|c| (c.first_name, c.last_name)),
        _ => tx.lead(LeadId(id))?.map(|l| (l.first_name, l.last_name)),
    };
    let shared = theirs.is_some_and(|(first, last)| {
        crate::rules::dedupe::other_person((&first, last.as_deref()), (first_name, last_name))
    });
    Ok(if shared { None } else { found })
}

/// Inserts the row, or, when it matches an existing record of `entity` (its id and the `key`
/// it matched on), does what `--on-duplicate` says: refuse, skip, update or add all the same.
fn apply(
    tx: &Tx<'_>,
    run: &Run<'_>,
    (entity, existing): (&str, Option<(i64, &'static str)>),
    insert: impl FnOnce() -> Result<()>,
    update: impl FnOnce(i64) -> Result<()>,
) -> Result<Outcome> {
    let Some((id, key)) = existing else {
        insert()?;
        return Ok(Outcome::Inserted);
    };
    let whose = if id >= run.fresh_from {
        format!("repeats the {key} of an earlier row of this file ({entity} {id})")
    } else {
        format!("matches {entity} {id} already in the CRM")
    };
    match run.options.on_duplicate {
        OnDuplicate::Error => Err(Error::invalid(
            key,
            format!("{whose}; pass --on-duplicate skip, update or add"),
        )),
        OnDuplicate::Add if entity != "campaign" => {
            insert()?;
            Ok(Outcome::Inserted)
        }
        OnDuplicate::Add => Err(Error::invalid(
            key,
            format!("{whose}; campaign codes are unique, so pass --on-duplicate skip or update"),
        )),
        OnDuplicate::Skip => Ok(Outcome::Skipped(key, format!("{whose}; skipped"))),
        OnDuplicate::Update => {
            let kind = run.options.kind.entity();
            let before = tx.whole_row(kind, id)?;
            let tags_before = contact_tags(tx, kind, id)?;
            let custom_before = run.custom.held(tx, id)?;
            update(id)?;
            if let (Some(batch), Some(before)) = (run.batch, before) {
                let after = tx.whole_row(kind, id)?.unwrap_or_default();
                let mut changed: serde_json::Map<String, serde_json::Value> = after
                    .into_iter()
                    .filter(|(column, value)| before.get(column) != Some(value))
                    .map(|(column, value)| {
                        let was = before.get(&column).cloned().unwrap_or_default();
                        (column, serde_json::json!([was, value]))
                    })
                    .collect();
                // A contact's tags live in their own table; the undo puts them back as a whole.
                let tags_after = contact_tags(tx, kind, id)?;
                if tags_after != tags_before {
                    changed.insert(TAGS.into(), serde_json::json!([tags_before, tags_after]));
                }
                // Custom values live in their own table too; put back as a whole.
                let custom_after = run.custom.held(tx, id)?;
                if custom_after != custom_before {
                    changed.insert(
                        CUSTOM.into(),
                        serde_json::json!([custom_before, custom_after]),
                    );
                }
                if !changed.is_empty() {
                    let text = serde_json::Value::Object(changed).to_string();
                    tx.insert_import_change(batch, id, &text)?;
                }
            }
            Ok(Outcome::Updated)
        }
    }
}

/// The key under which an update-import keeps a contact's tags before and after.
pub(crate) const TAGS: &str = "tags";
/// The key under which an update-import keeps a record's custom values before and after.
pub(crate) const CUSTOM: &str = "custom_fields";

/// A contact's tags (nothing for other kinds), to record what an update-import changed.
fn contact_tags(tx: &Tx<'_>, kind: EntityKind, id: i64) -> Result<Option<Vec<String>>> {
    if kind != EntityKind::Contact {
        return Ok(None);
    }
    Ok(tx.contact(ContactId(id))?.map(|c| c.tags))
}

/// A deal's contact: by email when the file has one, else by id.
/// A contact the actor may not read is answered as if there were none, so a file of guessed
/// addresses tells a rep nothing about other reps' customers.
fn deal_contact(tx: &Tx<'_>, actor: &Actor, c: &Cells<'_>) -> Result<Option<ContactId>> {
    if let Some(email) = c.text("contact_email") {
        let found = tx.contact_id_by_email(email.trim(), actor.contact_read_scope())?;
        return found.map(Some).ok_or_else(|| {
            Error::invalid(
                "contact_email",
                format!(
                    "no contact you may link to has the email '{}'; import the contacts first",
                    email.trim()
                ),
            )
        });
    }
    c.text("contact_id")
        .map(|id| {
            id.trim().parse().map(ContactId).map_err(|_| {
                Error::invalid("contact_id", format!("'{}' is not a contact id", id.trim()))
            })
        })
        .transpose()
}

/// The file's column an error is about (by the field or entity it names) and the reason.
fn blame(err: &Error, map: &ColumnMap, headers: &[String]) -> (String, String) {
    let column_of = |field: &str| {
        let wanted = normalise(field);
        map.fields
            .iter()
            .find(|(name, _)| normalise(name) == wanted)
            // A split full name carries the first-name errors.
            .or_else(|| {
                (wanted == "firstname" || wanted == "lastname")
                    .then(|| map.fields.iter().find(|(name, _)| *name == "name"))
                    .flatten()
            })
            .map(|(_, i)| headers[*i].clone())
    };
    match err {
        Error::Invalid { field, reason } => match column_of(field) {
            Some(column) => (column, reason.clone()),
            None => (String::new(), err.to_string()),
        },
        Error::NotFound { entity, .. } => (column_of(entity).unwrap_or_default(), err.to_string()),
        _ => (String::new(), err.to_string()),
    }
}

/// The text under the header `column` in this row, for the problem report.
fn cell(headers: &[String], values: &[String], column: &str) -> String {
    headers
        .iter()
        .position(|h| h == column)
        .and_then(|i| values.get(i))
        .cloned()
        .unwrap_or_default()
}
