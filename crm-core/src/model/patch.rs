//! How a JSON body says "clear this field" in a patch: `null`. A missing key leaves the field
//! alone, as `None` does in the patch types.

use serde::{Deserialize, Deserializer};

/// An optional text: `null` clears it, as `""` does (the CLI's `--company ""`).
pub(super) fn clearable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?.unwrap_or_default()))
}

/// An optional date, time or link: `null` clears it.
#[allow(clippy::option_option)] // The patch types' own shape: absent, cleared or set.
pub(super) fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
