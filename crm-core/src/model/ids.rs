//! Typed ids, so a contact id can never be passed where a user id is meant.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().trim_start_matches('#').parse::<i64>() {
                    Ok(n) if n > 0 => Ok($name(n)),
                    _ => Err(crate::Error::invalid(
                        concat!($what, " id"),
                        format!("'{s}' is not a positive whole number"),
                    )),
                }
            }
        }
    };
}

id_type!(
    /// Id of a row in `users`.
    UserId,
    "user"
);
id_type!(
    /// Id of a row in `contacts`.
    ContactId,
    "contact"
);
id_type!(
    /// Id of a row in `companies`.
    CompanyId,
    "company"
);
id_type!(
    /// Id of a row in `campaigns`.
    CampaignId,
    "campaign"
);
id_type!(
    /// Id of a row in `leads`.
    LeadId,
    "lead"
);
id_type!(
    /// Id of a row in `deals`.
    DealId,
    "deal"
);
id_type!(
    /// Id of a row in `tasks`.
    TaskId,
    "task"
);
id_type!(
    /// Id of a row in `pipeline_stages`.
    StageId,
    "stage"
);
id_type!(
    /// Id of a row in `tickets`.
    TicketId,
    "ticket"
);
id_type!(
    /// Id of a row in `outbox`.
    OutboxId,
    "outbox message"
);
id_type!(
    /// Id of a row in `notes`.
    NoteId,
    "note"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_positive_numbers_only() {
        assert_eq!("42".parse::<ContactId>().unwrap(), ContactId(42));
        assert_eq!("#7".parse::<ContactId>().unwrap(), ContactId(7));
        let err = "-1".parse::<ContactId>().unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid contact id: '-1' is not a positive whole number"
        );
        assert!("abc".parse::<UserId>().is_err());
    }
}
id_type!(
    /// Id of a row in `merges`.
    MergeId,
    "merge"
);
id_type!(
    /// Id of a row in `import_batches`.
    BatchId,
    "import batch"
);
id_type!(
    /// Id of a row in `api_keys`.
    ApiKeyId,
    "API key"
);
id_type!(
    /// Id of a row in `capture_forms`.
    CaptureFormId,
    "capture form"
);
id_type!(
    /// Id of a row in `webhooks`.
    WebhookId,
    "webhook"
);
id_type!(
    /// Id of a row in `webhook_deliveries`.
    DeliveryId,
    "delivery"
);
id_type!(
    /// Id of a row in `ssh_keys`.
    SshKeyId,
    "key"
);
id_type!(
    /// Id of a row in `custom_fields`.
    FieldId,
    "field"
);
