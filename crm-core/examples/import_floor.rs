//! The floor of a lead import into this schema, a baseline for `bench/run.sh` (issue 26): the
//! same leads, index builds and search entries written by set-wise SQL into a CRM database
//! (see `crm_core::testing::import_floor`).
//!
//! `cargo run --release -p crm-core --features testing --example import_floor -- leads.csv crm.db`
#![allow(clippy::unwrap_used)]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (csv_path, db_path) = (&args[1], &args[2]);
    let leads = crm_core::testing::import_floor(db_path.as_ref(), csv_path.as_ref()).unwrap();
    println!("{leads} leads written");
}
