//! Duplicate people: a new contact or lead whose email or phone is already in the CRM.

use super::Crm;
use crate::rules::{companies, dedupe, normalise};
use crate::store::Tx;
use crate::{Actor, ContactId, DuplicateGroup, DuplicateMember, EntityKind, Error, LeadId, Result};

impl Crm {
    /// The groups of contacts or leads (`kind`) that look like one person, among those the
    /// actor may read, or of companies that look like one company (every user reads
    /// companies), scored out of 100; groups below `min_score` are left out.
    pub fn find_duplicates(
        &self,
        actor: &Actor,
        kind: EntityKind,
        min_score: u8,
    ) -> Result<Vec<DuplicateGroup>> {
        if min_score > 100 {
            return Err(Error::invalid(
                "min score",
                format!("{min_score} is outside 0..=100"),
            ));
        }
        let (rows, subject) = match kind {
            EntityKind::Contact => (
                self.store
                    .read(|tx| tx.duplicate_candidates(kind, actor.contact_read_scope()))?,
                dedupe::Subject::People,
            ),
            EntityKind::Lead => (
                self.store
                    .read(|tx| tx.duplicate_candidates(kind, actor.lead_scope()))?,
                dedupe::Subject::People,
            ),
            EntityKind::Company => (
                self.store.read(|tx| tx.company_candidates())?,
                dedupe::Subject::Companies,
            ),
            other => {
                return Err(Error::invalid(
                    "kind",
                    format!(
                        "duplicates are found among contacts, leads and companies, not {other}s"
                    ),
                ));
            }
        };
        let (mut candidates, mut companies): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
        // Company names compare without their legal suffixes ("Acme Pvt Ltd" is "Acme").
        let found = match subject {
            dedupe::Subject::People => dedupe::groups(&candidates, subject),
            dedupe::Subject::Companies => {
                let keyed: Vec<dedupe::Candidate> = candidates
                    .iter()
                    .map(|c| dedupe::Candidate {
                        name: companies::name_key(&c.name).unwrap_or_else(|| c.name.clone()),
                        ..c.clone()
                    })
                    .collect();
                dedupe::groups(&keyed, subject)
            }
        };
        // A candidate is in one group at most, so its text moves into the group uncopied (a
        // million leads sharing a few hundred names are nearly all in a group).
        Ok(found
            .into_iter()
            .filter(|g| g.score >= min_score)
            .map(|g| DuplicateGroup {
                score: g.score,
                reasons: g.reasons,
                members: g
                    .members
                    .into_iter()
                    .map(|i| {
                        let c = std::mem::take(&mut candidates[i]);
                        DuplicateMember {
                            id: c.id,
                            name: c.name,
                            email: c.email,
                            domain: c.domain,
                            phone: c.phone,
                            company: companies[i].take(),
                        }
                    })
                    .collect(),
            })
            .collect())
    }
}

/// Refuses a new record of `kind` (contact or lead) with the email or phone of an existing one
/// of the same kind, naming it. The name is shown only when the actor may read that record:
/// the id alone tells a rep that the person is taken without handing them someone else's data.
pub(crate) fn refuse_duplicate(
    tx: &Tx<'_>,
    actor: &Actor,
    kind: EntityKind,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<()> {
    let Some((id, field)) = existing(tx, kind, email, phone)? else {
        return Ok(());
    };
    let value = match field {
        "email" => email,
        _ => phone,
    }
    .unwrap_or_default()
    .to_string();
    Err(Error::Duplicate {
        entity: kind.as_str(),
        id,
        name: readable_name(tx, actor, kind, id)?
            .unwrap_or_else(|| "kept by another user".to_string()),
        field,
        value,
    })
}

/// The oldest record of `kind` with this email (any case) or, failing that, this phone in its
/// normal form; with the field that matched.
pub(crate) fn existing(
    tx: &Tx<'_>,
    kind: EntityKind,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Option<(i64, &'static str)>> {
    match kind {
        EntityKind::Contact | EntityKind::Lead => {}
        other => {
            return Err(Error::invalid(
                "kind",
                format!("{other}s have no email or phone to match; use contact or lead"),
            ));
        }
    }
    let email = email.map(normalise::email);
    let phone = phone.map(normalise::phone);
    tx.matching(kind, email.as_deref(), phone.as_deref())
}

fn readable_name(tx: &Tx<'_>, actor: &Actor, kind: EntityKind, id: i64) -> Result<Option<String>> {
    if kind == EntityKind::Contact {
        let readable = tx.contact_in_scope(ContactId(id), actor.contact_read_scope())?;
        return Ok(if readable {
            tx.contact(ContactId(id))?.map(|c| c.full_name())
        } else {
            None
        });
    }
    let readable = tx.lead_in_scope(LeadId(id), actor.lead_scope())?;
    Ok(if readable {
        tx.lead(LeadId(id))?.map(|l| l.full_name())
    } else {
        None
    })
}
