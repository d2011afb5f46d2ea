//! `crm import KIND FILE`: CSV rows into the CRM through the same rules as `add`, all in one
//! transaction, with a progress bar on a terminal and a report of every row left out.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use crm_core::BatchId;
use crm_core::import::{
    ImportBatch, ImportKind, ImportObserver, ImportOptions, ImportProblem, ImportReport,
    MissingReferences, OnDuplicate,
};
use crm_core::text::formula_safe;
use indicatif::{ProgressBar, ProgressStyle};

use crate::context::Context;
use crate::output::{Record, hint, opt, time};
use crate::progress::{self, spinner_style};

/// How many problems are printed on the terminal; the --report file has them all.
const SHOWN_PROBLEMS: usize = 20;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "\
Columns are matched by name, any case, spaces and punctuation ignored, with common aliases
(\"First Name\", \"first_name\", \"E-mail\", \"Phone Number\", \"Organisation\", ...). Columns no
field takes are listed, never dropped silently, and --keep-extra keeps each as a new custom
field of the records (admins). A leading apostrophe that `crm export` put before
=, +, -, @ (formula protection) is removed again. The standard lead statuses, lead sources and
opportunity stages of Salesforce, HubSpot, Zoho, SuiteCRM, Pipedrive and EspoCRM read as ours
(\"Working - Contacted\" is Contacted, \"Phone Inquiry\" is Cold call, \"Closed Won\" is Won);
--map-value maps the rest, and a value still unknown is named once with its rows. A
\"Rating\" (Hot, Warm, Cold) sets how warm a lead is. A row with several problems has them all
named at once.

One transaction: with a bad row nothing is written unless --skip-invalid; a killed import leaves
the database as it was.

Examples:
  crm import leads seeds/sample-leads.csv --dry-run
  crm import contacts people.csv --map 'Given=first_name' --map 'Notes=' --report problems.csv
  crm import leads export.csv --delimiter ';' --on-duplicate update --auto-assign
  crm import leads zoho.csv --map-value 'Lead Status:Hot=Qualified' --map-value 'source:Expo=Event'
  crm export leads --db old.db | crm import leads - --on-duplicate skip --create-missing
  crm import contacts phone-contacts.vcf --on-duplicate skip   (vCard 3.0 or 4.0)
  crm import contacts google-contacts.csv --keep-extra --dry-run
  crm import contacts excel-export.csv --encoding windows-1252

Every committed import is a batch: crm import history lists them, crm import undo BATCH takes
one back (the records it created go, the fields its updates changed come back).")]
pub(crate) struct Args {
    #[command(subcommand)]
    batches: Option<Batches>,
    /// What the rows are: contacts, leads, deals or campaigns
    #[arg(required = true)]
    kind: Option<ImportKind>,
    /// The CSV file (UTF-8, with or without a BOM, or UTF-16 with one), or - for standard input
    #[arg(required = true)]
    file: Option<String>,
    /// Read column COLUMN as field FIELD; COLUMN= ignores the column (repeatable)
    #[arg(long, value_name = "COLUMN=FIELD")]
    map: Vec<String>,
    /// Read value THEIRS of a stage or source column as OURS (repeatable); COLUMN is the
    /// file's header or the field
    #[arg(long, value_name = "COLUMN:THEIRS=OURS")]
    map_value: Vec<String>,
    /// The cell separator: one character such as ';' or '|', or 'tab'
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    delimiter: u8,
    /// How the file's text is written when it is not UTF-8: windows-1252 (Excel on Windows,
    /// Latin-1), utf-16le or utf-16be (UTF-16 without a byte-order mark)
    #[arg(long, value_name = "ENCODING")]
    encoding: Option<crm_core::import::FileEncoding>,
    /// Check every row and report what would happen; write nothing
    #[arg(long)]
    dry_run: bool,
    /// Import the good rows even when some are bad (default: all or nothing)
    #[arg(long)]
    skip_invalid: bool,
    /// A row whose email or phone (campaigns: code or name) is already in the CRM: error, skip,
    /// update (fill the existing record) or add (a new record all the same)
    #[arg(long, default_value = "error")]
    on_duplicate: OnDuplicate,
    /// Give each lead to the next active sales rep in turn (leads only)
    #[arg(long)]
    auto_assign: bool,
    /// Write every row that was not imported (row, line, column, value, reason) to this CSV file
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// A lead's or deal's campaign this database lacks is made (named as the row names it); an
    /// owner it lacks is left empty (an import never makes a user)
    #[arg(long, conflicts_with = "blank_missing")]
    create_missing: bool,
    /// A lead's or deal's campaign or owner this database lacks is left empty (a lead goes to
    /// the general campaign), with a warning
    #[arg(long)]
    blank_missing: bool,
    /// Keep each column no field takes as a new custom text field of the imported records
    /// (admins), instead of ignoring it: no cell of the file is lost
    #[arg(long)]
    keep_extra: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Batches {
    /// The latest imports, newest first (yours; admins and managers see everyone's)
    #[command(
        after_help = "Examples:\n  crm import history\n  crm import history --limit 5 --output json"
    )]
    History {
        /// How many (1-1000)
        #[arg(long, default_value_t = 20, value_parser = crate::flags::page_limit)]
        limit: u32,
    },
    /// Take an import back: remove what it created, restore what it updated
    #[command(
        after_help = "Example:\n  crm import undo 7\n\nRefused, naming the records, when one it created has since been converted or gained\ndeals, notes, tasks or tickets. Only its importer, or an admin or manager, may undo it."
    )]
    Undo {
        /// The batch id (crm import history lists them)
        batch: BatchId,
    },
}

impl Record for ImportBatch {
    const COLUMNS: &'static [&'static str] = &[
        "batch", "kind", "file", "by", "at", "rows", "inserted", "updated", "skipped", "invalid",
        "undone",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "kind",
        "file_name",
        "imported_by",
        "imported_at",
        "rows",
        "inserted",
        "updated",
        "skipped",
        "invalid",
        "undone_by",
        "undone_at",
    ];

    /// Every field but who undid it (the date says whether it was).
    fn cells(&self) -> Vec<String> {
        let mut cells = self.fields();
        cells.remove(10);
        cells
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.kind.to_string(),
            self.file_name.clone(),
            opt(self.imported_by.as_deref()),
            time(self.imported_at),
            self.rows.to_string(),
            self.inserted.to_string(),
            self.updated.to_string(),
            self.skipped.to_string(),
            self.invalid.to_string(),
            opt(self.undone_by.as_deref()),
            self.undone_at.map(time).unwrap_or_default(),
        ]
    }
}

fn batches(ctx: &Context, command: &Batches) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Batches::History { limit } => ctx.out.list(&ctx.crm.import_history(&actor, *limit)?),
        Batches::Undo { batch } => {
            let undone = ctx.crm.undo_import(&actor, *batch)?;
            ctx.out.done(
                &undone,
                &format!(
                    "Undid import batch {} ({}): {} {} removed, {} restored{}",
                    undone.batch.id,
                    undone.batch.file_name,
                    undone.removed,
                    undone.batch.kind,
                    undone.restored,
                    match undone.companies_removed {
                        0 => String::new(),
                        n => format!(", {n} company(ies) it created removed"),
                    }
                ),
            )
        }
    }
}

/// The rows to read and their size in bytes (for the progress bar), from a CSV file, standard
/// input or a vCard file turned into the same rows.
fn open_input(kind: ImportKind, path: &str) -> Result<(Box<dyn Read>, Option<u64>)> {
    Ok(if is_vcard(path) {
        if kind != ImportKind::Contacts {
            bail!("invalid file: {path} is a vCard file; import it as contacts");
        }
        // Streamed a card at a time: the rows it makes are not the file's bytes, so no size.
        let file = File::open(path).with_context(|| format!("cannot open {path}"))?;
        let cards = crm_core::interop::vcard::CardRows::new(std::io::BufReader::new(file));
        (Box::new(cards), None)
    } else if path == "-" {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let file = File::open(path).with_context(|| format!("cannot open {path}"))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(std::io::BufReader::new(file)), size)
    })
}

/// A `.vcf` file: contacts as vCards, read into the same rows as a CSV file.
fn is_vcard(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard"))
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match text.as_bytes() {
            [byte] if byte.is_ascii() && *byte != b'"' && *byte != b'\n' => Ok(*byte),
            _ => Err(format!(
                "'{text}' is not one ASCII character (use ',', ';', '|' or 'tab')"
            )),
        },
    }
}

/// Progress bar, problem list and report file of one run.
struct Watcher {
    bar: ProgressBar,
    shown: Vec<ImportProblem>,
    problems: usize,
    report: Option<csv::Writer<File>>,
    report_error: Option<csv::Error>,
}

impl ImportObserver for Watcher {
    fn progress(&mut self, rows: u64, bytes: u64) {
        self.bar.set_position(bytes);
        self.bar.set_message(format!("{rows} rows"));
    }

    fn finishing(&mut self) {
        // The bar stands at 100% for the tens of seconds a million leads take to index: say
        // what is happening and keep the spinner moving.
        progress::spin(
            &self.bar,
            "all rows read; building the indexes and the search index",
        );
    }

    fn problem(&mut self, problem: &ImportProblem) {
        self.problems += 1;
        if self.shown.len() < SHOWN_PROBLEMS {
            self.shown.push(problem.clone());
        }
        if let (Some(writer), None) = (&mut self.report, &self.report_error) {
            let row = [
                problem.row.to_string(),
                problem.line.to_string(),
                problem.column.clone(),
                problem.value.clone(),
                problem.reason.clone(),
                if problem.skipped {
                    "skipped"
                } else {
                    "invalid"
                }
                .to_string(),
            ];
            if let Err(e) = writer.write_record(row.iter().map(|c| formula_safe(c).into_owned())) {
                self.report_error = Some(e);
            }
        }
    }
}

/// Where a problem is: a row (and line) of a CSV file, or the card of a vCard file (card N was
/// turned into row N + 1 under a header line).
fn describe(problem: &ImportProblem, cards: bool) -> String {
    let place = if cards {
        format!("card {}", problem.row.saturating_sub(1))
    } else if problem.line == problem.row {
        format!("row {}", problem.row)
    } else {
        format!("row {} (line {})", problem.row, problem.line)
    };
    let what = if problem.skipped {
        "skipped"
    } else {
        "invalid"
    };
    if problem.column.is_empty() {
        format!("{place}: {what}: {}", problem.reason)
    } else {
        format!(
            "{place}, column '{}': {what}: {}",
            problem.column, problem.reason
        )
    }
}

/// What the summary says besides its counts: columns no field took, campaigns made, campaigns
/// and owners left empty, cells read as blank.
fn summary_notes(outcome: &ImportReport, kind: ImportKind) {
    if !outcome.ignored_columns.is_empty() {
        hint(&format!(
            "ignored columns (no {} field takes them; map one with --map COLUMN=FIELD, or keep \
             them all as custom fields with --keep-extra): {}",
            kind.as_str().trim_end_matches('s'),
            outcome.ignored_columns.join(", ")
        ));
    }
    for several in &outcome.several_values {
        let rest = match &several.kept_in {
            Some(key) => format!("the others are kept in custom field {key}"),
            None => "the others were left out (--keep-extra keeps them in a custom field)".into(),
        };
        hint(&format!(
            "column '{}': {} cell(s) held several values joined by ' ::: '; the first of each \
             filled the field, {rest}",
            several.column, several.cells
        ));
    }
    for passed in &outcome.passed_over {
        let rest = match &passed.kept_in {
            Some(key) => format!("they are kept in custom field {key}"),
            None => "--keep-extra keeps them in a custom field".into(),
        };
        hint(&format!(
            "column '{}': {} cell(s) were passed over, an earlier column of the same field \
             having a value; {rest}",
            passed.column, passed.cells
        ));
    }
    if !outcome.created_fields.is_empty() {
        let made: Vec<String> = outcome
            .created_fields
            .iter()
            .map(|k| format!("'{}' as {}", k.column, k.key))
            .collect();
        hint(&format!(
            "columns kept as new custom fields{}: {}",
            if outcome.dry_run {
                " (on a real run)"
            } else {
                ""
            },
            made.join(", ")
        ));
    }
    for repeated in &outcome.repeated_columns {
        hint(repeated);
    }
    if !outcome.created_campaigns.is_empty() {
        hint(&format!(
            "campaigns made for the rows that name them: {}",
            outcome.created_campaigns.join(", ")
        ));
    }
    if !outcome.missing.is_empty() {
        let named: Vec<String> = outcome
            .missing
            .iter()
            .map(|m| format!("{} '{}' ({} rows)", m.field, m.value, m.rows))
            .collect();
        hint(&format!(
            "not in this database, left empty: {}",
            named.join(", ")
        ));
    }
    for unknown in &outcome.unknown_values {
        let rows = unknown
            .first_rows
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let more = if unknown.rows > unknown.first_rows.len() as u64 {
            ", …"
        } else {
            ""
        };
        hint(&format!(
            "{} '{}' is unknown on {} row(s) ({rows}{more}): add --map-value '{}:{}=OURS' with OURS one of {}",
            unknown.field,
            unknown.value,
            unknown.rows,
            unknown.column,
            unknown.value,
            unknown.choices.join(", ")
        ));
    }
    if outcome.blank_words > 0 {
        hint(&format!(
            "{} cells held only null, N/A, #N/A or - and were read as blank",
            outcome.blank_words
        ));
    }
}

/// The first problems row by row, then, when there were more, the problems by column and
/// kind: a long file with one bad column is one line.
fn shown_problems(
    watcher: &Watcher,
    outcome: &ImportReport,
    report: Option<&std::path::Path>,
    vcard: bool,
) {
    for problem in &watcher.shown {
        hint(&describe(problem, vcard));
    }
    if watcher.problems > watcher.shown.len() {
        // Past the first few rows, the problems by column and kind: a long file with one bad
        // column is one line.
        for group in &outcome.problem_groups {
            let rows: Vec<String> = group.first_rows.iter().map(ToString::to_string).collect();
            let more = if group.rows > group.first_rows.len() as u64 {
                ", …"
            } else {
                ""
            };
            let column = if group.column.is_empty() {
                String::new()
            } else {
                format!("column '{}': ", group.column)
            };
            hint(&format!(
                "{column}{}: {} row(s) ({}{more})",
                group.kind,
                group.rows,
                rows.join(", ")
            ));
        }
        let more = watcher.problems - watcher.shown.len();
        match report {
            Some(path) => hint(&format!("... and {more} more in {}", path.display())),
            None => hint(&format!(
                "... and {more} more; pass --report FILE to list them all"
            )),
        }
    }
}

pub(crate) fn run(ctx: &Context, args: Args) -> Result<()> {
    if let Some(command) = &args.batches {
        return batches(ctx, command);
    }
    let (Some(kind), Some(path)) = (args.kind, args.file.clone()) else {
        bail!("name what to import and from where: crm import KIND FILE");
    };
    let actor = ctx.actor()?;
    let (input, size) = open_input(kind, &path)?;
    let report = args
        .report
        .as_ref()
        .map(|path| -> Result<_> {
            // The report quotes the rejected rows: customer data, kept private.
            let file = crate::private_file::create(path)
                .with_context(|| format!("cannot write the report {}", path.display()))?;
            let mut writer = csv::Writer::from_writer(file);
            writer.write_record(["row", "line", "column", "value", "reason", "outcome"])?;
            Ok(writer)
        })
        .transpose()?;
    let mut watcher = Watcher {
        bar: progress_bar(size),
        shown: Vec::new(),
        problems: 0,
        report,
        report_error: None,
    };
    let options = ImportOptions {
        kind,
        delimiter: args.delimiter,
        map: args.map,
        map_values: args.map_value,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        on_duplicate: args.on_duplicate,
        auto_assign: args.auto_assign,
        keep_extra: args.keep_extra,
        encoding: args.encoding,
        file_name: path.clone(),
        missing: if args.create_missing {
            MissingReferences::Create
        } else if args.blank_missing {
            MissingReferences::Blank
        } else {
            MissingReferences::Refuse
        },
    };
    let result = ctx.crm.import(&actor, input, &options, &mut watcher);
    watcher.bar.finish_and_clear();
    let outcome = result?;
    if let Some(mut writer) = watcher.report.take() {
        writer.flush()?;
    }
    if let Some(e) = watcher.report_error {
        bail!("cannot write the report: {e}");
    }
    summary_notes(&outcome, kind);
    shown_problems(&watcher, &outcome, args.report.as_deref(), is_vcard(&path));
    let summary = format!(
        "{} rows read: {} inserted, {} updated, {} skipped, {} invalid in {:.2} s",
        outcome.rows,
        outcome.inserted,
        outcome.updated,
        outcome.skipped,
        outcome.invalid,
        outcome.seconds
    );
    if outcome.invalid > 0 && !args.skip_invalid {
        hint(&summary);
        let good = outcome.inserted + outcome.updated;
        bail!(
            "import refused: {} invalid row(s), so nothing was written; fix them, or pass --skip-invalid to import the {good} good row(s)",
            outcome.invalid
        );
    }
    let sentence = if outcome.dry_run {
        format!("dry run, nothing written: {summary}")
    } else {
        summary
    };
    ctx.out.done(&outcome, &sentence)?;
    if let Some(batch) = outcome.batch {
        hint(&format!(
            "import batch {batch}; take it back with: crm import undo {batch}"
        ));
    }
    Ok(())
}

/// A bar over the file's bytes on a terminal (a spinner for standard input), nothing otherwise.
fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    match size {
        Some(size) => ProgressBar::new(size).with_style(
            ProgressStyle::with_template("{bar:40} {percent:>3}% {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(spinner_style()),
    }
}
