//! CSV import: what is asked for, what came of it, and how a file's columns become fields.
//! The run itself is [`crate::Crm::import`], one transaction over every row.

pub(crate) mod cells;
pub(crate) mod columns;
pub(crate) mod encoding;
pub(crate) mod scan;
pub(crate) mod values;

use serde::Serialize;

use crate::model::fixed_set::fixed_set;

fixed_set! {
    /// The records a file can be imported as.
    ImportKind, "import kind" {
        Contacts => "contacts",
        Leads => "leads",
        Deals => "deals",
        Campaigns => "campaigns",
    }
}

impl ImportKind {
    /// The kind of record it makes.
    pub(crate) fn entity(self) -> crate::EntityKind {
        match self {
            ImportKind::Contacts => crate::EntityKind::Contact,
            ImportKind::Leads => crate::EntityKind::Lead,
            ImportKind::Deals => crate::EntityKind::Deal,
            ImportKind::Campaigns => crate::EntityKind::Campaign,
        }
    }

    /// One of its records, as an error names it ("lead 12").
    pub(crate) fn singular(self) -> &'static str {
        match self {
            ImportKind::Contacts => "contact",
            ImportKind::Leads => "lead",
            ImportKind::Deals => "deal",
            ImportKind::Campaigns => "campaign",
        }
    }
}

fixed_set! {
    /// How the text of a file is written, when it is not UTF-8. A file that starts with a
    /// UTF-16 byte-order mark (Excel's "Unicode text") is read as UTF-16 without being told.
    FileEncoding, "encoding" {
        Utf8 => "utf-8",
        /// What Excel on Windows saves as "CSV", and what Latin-1 files read as.
        Windows1252 => "windows-1252",
        Utf16Le => "utf-16le",
        Utf16Be => "utf-16be",
    }
}

fixed_set! {
    /// What to do with a row that matches an existing record (contacts and leads by email, or
    /// by phone in its normal form; campaigns by code or name).
    OnDuplicate, "on-duplicate" {
        /// Report it as a bad row (the default: nothing is changed by surprise).
        Error => "error",
        /// Leave the existing record alone and report the row as skipped.
        Skip => "skip",
        /// Fill the existing record with the row's non-blank cells.
        Update => "update",
        /// Add the row as a new record all the same (contacts and leads only).
        Add => "add",
    }
}

/// How to read and apply a file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub kind: ImportKind,
    /// The byte between cells: `,` unless the file uses `;` or tabs.
    pub delimiter: u8,
    /// `COLUMN=FIELD` overrides of the header mapping; `COLUMN=` ignores a column.
    pub map: Vec<String>,
    /// `COLUMN:THEIRS=OURS`: another tool's value of a stage or source read as one of ours,
    /// beside the built-in synonyms of other CRMs' standard values.
    pub map_values: Vec<String>,
    /// Run every row and report, then roll everything back.
    pub dry_run: bool,
    /// Import the good rows when some are bad (default: one bad row and nothing is written).
    pub skip_invalid: bool,
    pub on_duplicate: OnDuplicate,
    /// Give each imported lead to the next active sales rep in turn.
    pub auto_assign: bool,
    /// Keep each column no field takes as a new long-text custom field of the imported records
    /// (admins), so no cell of the file is lost; a column whose cells are all blank makes none.
    pub keep_extra: bool,
    /// Where the rows came from, for `crm import history` (`-` for standard input).
    pub file_name: String,
    /// What a lead's or deal's campaign or owner this database lacks does to its row.
    pub missing: MissingReferences,
    /// How the file's text is written, when not UTF-8 (or UTF-16 with a byte-order mark).
    pub encoding: Option<FileEncoding>,
}

/// What an import does with a campaign or owner named in a row that this database lacks: a
/// copy of another CRM names the other's campaigns and users.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingReferences {
    /// The row is invalid, and the message names the two flags below.
    #[default]
    Refuse,
    /// A missing campaign is made (named as the row names it); a missing owner is left empty,
    /// since an import never makes a user account.
    Create,
    /// Both are left empty (a lead goes to the general campaign), with a warning.
    Blank,
}

/// A campaign or owner named in rows of an import that the database lacks, left empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MissingReference {
    /// `campaign` or `owner`.
    pub field: String,
    pub value: String,
    pub rows: u64,
}

impl ImportOptions {
    pub fn new(kind: ImportKind) -> ImportOptions {
        ImportOptions {
            kind,
            delimiter: b',',
            map: Vec::new(),
            map_values: Vec::new(),
            dry_run: false,
            skip_invalid: false,
            on_duplicate: OnDuplicate::Error,
            auto_assign: false,
            keep_extra: false,
            file_name: "-".into(),
            missing: MissingReferences::Refuse,
            encoding: None,
        }
    }
}

/// Why one row was not imported as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ImportProblem {
    /// The row as a spreadsheet numbers it: the header is row 1.
    pub row: u64,
    /// The line of the file the row starts on (differs from `row` after quoted line breaks).
    pub line: u64,
    /// The column as the file names it; empty when the problem is the whole row.
    pub column: String,
    /// The cell's text.
    pub value: String,
    pub reason: String,
    /// A duplicate that was skipped on purpose, not a bad row.
    pub skipped: bool,
}

/// What an import did (or, after a dry run or a refusal, would have done).
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ImportReport {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub skipped: u64,
    pub invalid: u64,
    /// Columns of the file that no field takes.
    pub ignored_columns: Vec<String>,
    /// Names the header gives two columns, each said once: a row's first non-empty cell of
    /// them is taken.
    pub repeated_columns: Vec<String>,
    /// Cells that held only a word for no value (`null`, `N/A`, `#N/A`, `-`), read as blank.
    pub blank_words: u64,
    /// Campaigns and owners the rows named that this database lacks, left empty.
    pub missing: Vec<MissingReference>,
    /// Campaigns made for the rows that named them (`--create-missing`).
    pub created_campaigns: Vec<String>,
    /// Custom fields made for columns no field took (`--keep-extra`), by key, with the
    /// header each holds.
    pub created_fields: Vec<KeptColumn>,
    /// Columns whose cells held several values joined by " ::: " (Google Contacts): the first
    /// of each filled the field; the others are kept with `--keep-extra`.
    pub several_values: Vec<SeveralValues>,
    /// Further columns of a field (Outlook's "Mobile Phone" after "Business Phone") whose cells
    /// were passed over because an earlier column filled the field; kept with `--keep-extra`.
    pub passed_over: Vec<SeveralValues>,
    /// Values of a stage or source the CRM does not know, once each, with their rows.
    pub unknown_values: Vec<UnknownValue>,
    /// The rows refused, grouped by column and kind of problem (the cell's own text left
    /// out), most rows first: a file with one bad column is one group, whatever its length.
    pub problem_groups: Vec<ProblemGroup>,
    /// Whether the changes were kept: false after a dry run or when bad rows refused it.
    pub committed: bool,
    pub dry_run: bool,
    pub seconds: f64,
    /// The batch the committed rows belong to, for `crm import undo`.
    pub batch: Option<crate::BatchId>,
}

/// A column of an imported file kept as a new custom field (`--keep-extra`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct KeptColumn {
    pub column: String,
    pub key: String,
}

/// A column of an imported file whose cells held several values (see
/// [`ImportReport::several_values`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SeveralValues {
    pub column: String,
    /// How many of its cells held more than one value.
    pub cells: u64,
    /// The custom field that keeps the values after the first (`--keep-extra`).
    pub kept_in: Option<String>,
}

/// A value of a fixed set (a stage, a source) that rows of an import hold and the CRM does not
/// know, neither as its own nor as another CRM's standard value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct UnknownValue {
    /// The field (`stage`, `source`).
    pub field: String,
    /// The column as the file names it.
    pub column: String,
    pub value: String,
    /// How many rows hold it.
    pub rows: u64,
    /// The first few of those rows, as a spreadsheet numbers them.
    pub first_rows: Vec<u64>,
    /// The values it may be mapped to (`--map-value 'COLUMN:THEIRS=OURS'`).
    pub choices: Vec<String>,
}

/// Rows refused for one kind of problem in one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProblemGroup {
    /// The column as the file names it; empty for a problem of the whole row.
    pub column: String,
    /// The problem, with the text quoted from each cell shown as `'…'`.
    pub kind: String,
    pub rows: u64,
    /// The first few of the rows, as a spreadsheet numbers them.
    pub first_rows: Vec<u64>,
}

impl ProblemGroup {
    /// The reason of a problem with its quoted cell text left out, so rows refused alike
    /// group together ("'tara-at-example.com' has no @" is "'…' has no @").
    pub(crate) fn kind_of(reason: &str) -> String {
        let mut kind = String::with_capacity(reason.len());
        let mut quoted = false;
        for c in reason.chars() {
            if c == '\'' {
                if !quoted {
                    kind.push_str("'…'");
                }
                quoted = !quoted;
            } else if !quoted {
                kind.push(c);
            }
        }
        kind
    }
}

/// What `crm import undo` did.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UndoneImport {
    pub batch: ImportBatch,
    /// Records the import created that were removed (fewer than it created when some were
    /// deleted since).
    pub removed: usize,
    /// Records it updated whose fields were put back.
    pub restored: usize,
    /// Companies the import created that nothing links to any more, removed with it.
    pub companies_removed: usize,
}

/// One committed import, as `crm import history` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ImportBatch {
    pub id: crate::BatchId,
    pub kind: ImportKind,
    pub file_name: String,
    pub imported_by: Option<String>,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub skipped: u64,
    pub invalid: u64,
    pub undone_by: Option<String>,
    pub undone_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Hears about an import as it runs: the CLI draws a progress bar and writes the report file.
pub trait ImportObserver {
    /// Called every few hundred rows with the rows and bytes read so far.
    fn progress(&mut self, _rows: u64, _bytes: u64) {}
    /// Called once per row that was not imported as it stands.
    fn problem(&mut self, _problem: &ImportProblem) {}
    /// Called after the last row of a large import, before its indexes and search entries are
    /// rebuilt (tens of seconds for a million leads).
    fn finishing(&mut self) {}
}

/// An observer that ignores everything.
impl ImportObserver for () {}
