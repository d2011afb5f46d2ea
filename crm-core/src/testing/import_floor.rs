//! The floor of a lead import into this schema (issue 26), which `bench/run.sh` prints beside
//! the import: what an import of a file must write, written by set-wise SQL with no per-row
//! Rust but reading the file. Its cells go into a bare table through one prepared statement
//! (the `bare_insert` baseline); then one statement each writes the companies the rows name,
//! the leads and their activity rows, and the bulk import's own catch-up builds the indexes,
//! search entries and tallies the import builds. What the floor leaves out is the import's
//! work per row: parsing into types, checks, duplicates, owners and campaigns looked up.

use std::path::Path;

use crate::{Crm, Error, Result};

/// Writes the leads of `csv` (the columns `crm demo --leads-csv` writes) into the CRM
/// database at `db` as the floor does, as the user `admin`; returns how many.
pub fn import_floor(db: &Path, csv: &Path) -> Result<u64> {
    let crm = Crm::open(db)?;
    let now = crm.now_text();
    let unreadable = |e: csv::Error| Error::invalid("file", e.to_string());
    crm.store.write(|tx| {
        let mut reader = csv::Reader::from_path(csv).map_err(unreadable)?;
        let mut record = csv::StringRecord::new();
        let mut next = || -> Result<Option<Vec<String>>> {
            Ok(reader
                .read_record(&mut record)
                .map_err(unreadable)?
                .then(|| record.iter().map(str::to_string).collect()))
        };
        tx.import_floor(&mut next, &now)
    })
}
