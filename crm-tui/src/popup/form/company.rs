//! The company form: its fields, and saving it through one service call.

use crm_core::{Company, CompanyId, CompanyPatch, CompanySize, EntityKind, RecordRef};

use super::{Field, Form, FormKind, names, opt};
use crate::ctx::Ctx;

impl Form {
    pub(crate) fn edit_company(c: &Company) -> Form {
        // The first choice is "no size".
        let mut sizes = vec![String::new()];
        sizes.extend(names(CompanySize::ALL));
        Form::new(
            FormKind::EditCompany(c.id),
            &format!("Edit company {}", c.id),
            vec![
                Field::text("name", "Name", &c.name).required(),
                Field::text("domain", "Domain", opt(c.domain.as_deref())),
                Field::text("industry", "Industry", opt(c.industry.as_deref())),
                Field::choice(
                    "size",
                    "Size",
                    sizes,
                    &c.size.map(|s| s.to_string()).unwrap_or_default(),
                ),
                Field::text("phone", "Phone", opt(c.phone.as_deref())),
                Field::text("address", "Address", opt(c.address.as_deref())),
                Field::text("owner", "Owner (username)", opt(c.owner.as_deref())),
            ],
        )
        .at_version(c.version)
        .holding(&c.fields)
    }

    pub(super) fn save_edit_company(
        &self,
        ctx: &Ctx<'_>,
        id: CompanyId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let c = ctx.crm.edit_company(
            ctx.actor,
            id,
            &CompanyPatch {
                fields: self.custom_input(),
                name: self.changed("name"),
                domain: self.changed("domain"),
                industry: self.changed("industry"),
                size: self.changed("size"),
                phone: self.changed("phone"),
                address: self.changed("address"),
                owner: self.changed("owner"),
                if_version: self.version,
            },
        )?;
        Ok((
            format!("Company {} saved", c.id),
            RecordRef::new(EntityKind::Company, c.id.0),
        ))
    }
}
