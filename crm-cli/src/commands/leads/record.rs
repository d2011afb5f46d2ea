//! How a lead and a score's parts print as table, JSON and CSV rows.

use chrono::{DateTime, Utc};
use crm_core::{Lead, ScorePart};

use crate::output::{Record, opt, time};
use crm_core::interop::CsvRow;

pub(super) fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

impl Record for Lead {
    const COLUMNS: &'static [&'static str] = &[
        "id", "name", "company", "campaign", "source", "stage", "score", "temp", "owner",
    ];
    const FIELDS: &'static [&'static str] = <Self as CsvRow>::FIELDS;

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.full_name(),
            opt(self.company.as_deref()),
            self.campaign.clone(),
            self.source.to_string(),
            self.stage.to_string(),
            self.score.to_string(),
            self.temperature.to_string(),
            opt(self.owner.as_deref()),
        ]
    }

    fn custom(&self) -> Option<&crm_core::FieldValues> {
        Some(&self.fields)
    }

    fn fields(&self) -> Vec<String> {
        CsvRow::fields(self)
    }
}

impl Record for ScorePart {
    const COLUMNS: &'static [&'static str] = &["rule", "points", "why"];
    const FIELDS: &'static [&'static str] = &["rule", "points", "why"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.rule.to_string(),
            self.points.to_string(),
            self.reason.clone(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        self.cells()
    }
}
