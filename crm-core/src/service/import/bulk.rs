//! A large lead import: once it has added more leads than the table held before it, it sets
//! the table's indexes and per-row triggers aside (`store/bulk.rs`) and finds duplicates in
//! memory instead, then rebuilds everything once before it commits.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use crate::rules::normalise;
use crate::store::{LeadUpkeep, Tx};
use crate::{EntityKind, Result};

/// An import goes bulk after adding this many leads, and at least as many as the table held
/// before it: from there rebuilding the indexes over the whole table costs less than keeping
/// them current row by row, and a small import into a large table never rebuilds them.
pub(super) const BULK_AFTER: u64 = 1_000;

/// Whether an import that has added `inserted` leads to a table whose ids began at
/// `fresh_from` should go bulk now.
pub(super) fn due(inserted: u64, fresh_from: i64) -> bool {
    let before = u64::try_from(fresh_from - 1).unwrap_or(0);
    inserted >= BULK_AFTER.max(before)
}

/// A lead import gone bulk: the upkeep it owes and the leads' keys.
pub(super) struct Bulk {
    upkeep: LeadUpkeep,
    keys: LeadKeys,
}

/// The leads' emails and phone keys, hashed, each with the oldest lead that has it: the same
/// answers as the duplicate check's queries (`store/duplicates.rs`), which need the indexes.
struct LeadKeys {
    hasher: RandomState,
    emails: HashMap<u64, i64>,
    phones: HashMap<u64, i64>,
}

impl Bulk {
    /// Remembers every lead's keys, then sets the upkeep aside for leads from `from` on.
    pub(super) fn start(tx: &Tx<'_>, from: i64) -> Result<Bulk> {
        let mut keys = LeadKeys {
            hasher: RandomState::new(),
            emails: HashMap::new(),
            phones: HashMap::new(),
        };
        tx.each_lead_key(|id, email, phone| keys.remember(id, email, phone))?;
        Ok(Bulk {
            upkeep: tx.set_aside_lead_upkeep(from)?,
            keys,
        })
    }

    /// The oldest lead with this email (any ASCII case, as `COLLATE NOCASE` compares) or, failing
    /// that, this phone in normal form; with the field that matched.
    pub(super) fn existing(
        &self,
        tx: &Tx<'_>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<Option<(i64, &'static str)>> {
        let email = email.map(normalise::email).filter(|e| !e.is_empty());
        let phone = phone.map(normalise::phone).filter(|p| !p.is_empty());
        let keys = &self.keys;
        if let Some(email) = &email
            && let Some(&id) = keys.emails.get(&keys.hasher.hash_one(email))
        {
            let (stored, _) = tx.lead_key(id)?;
            if stored.is_some_and(|s| s.eq_ignore_ascii_case(email)) {
                return Ok(Some((id, "email")));
            }
            // Two emails with one hash: ask the table, slowly but exactly.
            return tx.matching(EntityKind::Lead, Some(email), phone.as_deref());
        }
        if let Some(phone) = &phone
            && let Some(&id) = keys.phones.get(&keys.hasher.hash_one(phone))
        {
            let (_, stored) = tx.lead_key(id)?;
            if stored.as_deref() == Some(phone.as_str()) {
                return Ok(Some((id, "phone")));
            }
            return tx.matching(EntityKind::Lead, None, Some(phone));
        }
        Ok(None)
    }

    /// Remembers the keys of a lead this import just added. Its phone passed validation, so
    /// the rule's normal form is the stored key (a test in `duplicates` holds the two equal).
    pub(super) fn added(&mut self, id: i64, email: Option<&str>, phone: Option<&str>) {
        let phone = phone.map(normalise::phone);
        self.keys.remember(id, email, phone.as_deref());
    }

    /// Indexes, counts and makes searchable the leads added since the start, and restores the
    /// indexes and triggers.
    pub(super) fn finish(self, tx: &Tx<'_>) -> Result<()> {
        // The keys go first: the full-text index's batch needs the memory.
        drop(self.keys);
        tx.restore_lead_upkeep(self.upkeep)
    }
}

impl LeadKeys {
    /// Keeps the first (oldest) lead seen for each key.
    fn remember(&mut self, id: i64, email: Option<&str>, phone: Option<&str>) {
        if let Some(email) = email.filter(|e| !e.is_empty()) {
            self.emails
                .entry(self.hasher.hash_one(email.to_ascii_lowercase()))
                .or_insert(id);
        }
        if let Some(phone) = phone.filter(|p| !p.is_empty()) {
            self.phones.entry(self.hasher.hash_one(phone)).or_insert(id);
        }
    }
}
