//! The acting user and the permission rules of DESIGN.md section 5, in one place.

use serde::Serialize;

use crate::{Error, Result, Role, UserId};

/// The user a service call acts for. Only crm-core makes one, from a login or a valid session,
/// so holding one means the user was authenticated: its fields are private to the crate and a
/// front end reads them through the getters. Behind a server, this is the security boundary.
///
/// A front end cannot build one:
///
/// ```compile_fail
/// let forged = crm_core::Actor {
///     id: crm_core::UserId(1),
///     username: "admin".into(),
///     display_name: "Admin".into(),
///     role: crm_core::Role::Admin,
///     onboarded: true,
/// };
/// ```
///
/// nor change the one it was given:
///
/// ```compile_fail
/// fn promote(actor: &mut crm_core::Actor) {
///     actor.role = crm_core::Role::Admin;
/// }
/// ```
///
/// but reads what it needs to draw:
///
/// ```
/// fn greeting(actor: &crm_core::Actor) -> String {
///     format!("{} ({}, {})", actor.display_name(), actor.username(), actor.role())
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Actor {
    pub(crate) id: UserId,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) role: Role,
    /// False until the user has seen (or skipped) the TUI walkthrough.
    pub(crate) onboarded: bool,
}

impl Actor {
    pub fn id(&self) -> UserId {
        self.id
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// False until the user has seen (or skipped) the TUI walkthrough.
    pub fn onboarded(&self) -> bool {
        self.onboarded
    }
}

/// Which records of a kind an actor may see; the store turns it into a WHERE clause so paging
/// and counts only ever cover visible rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    All,
    /// Records owned by (or assigned to) this user.
    Own(UserId),
    /// Contacts that are the customer on a ticket assigned to this user.
    OnTicketsOf(UserId),
    Nothing,
}

impl Actor {
    pub(crate) fn refuse(&self, action: &str, needs: &str) -> Error {
        Error::Forbidden(format!(
            "{} '{}' may not {action} (needs {needs})",
            self.role, self.username
        ))
    }

    /// User management is for admins only.
    pub(crate) fn require_admin(&self, action: &str) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(self.refuse(action, "role admin"))
        }
    }

    /// The contacts this actor may read.
    pub(crate) fn contact_read_scope(&self) -> Scope {
        match self.role {
            Role::Admin | Role::Manager => Scope::All,
            Role::SalesRep => Scope::Own(self.id),
            Role::SupportAgent => Scope::OnTicketsOf(self.id),
            Role::Marketer => Scope::Nothing,
        }
    }

    /// The contacts this actor may change or delete: reps their own, support agents none.
    pub(crate) fn contact_write_scope(&self) -> Scope {
        match self.role {
            Role::Admin | Role::Manager => Scope::All,
            Role::SalesRep => Scope::Own(self.id),
            Role::SupportAgent | Role::Marketer => Scope::Nothing,
        }
    }

    /// Creating a contact: everyone who works with customers; marketers work with leads.
    pub(crate) fn require_contact_create(&self) -> Result<()> {
        match self.role {
            Role::Marketer => Err(self.refuse(
                "add contacts",
                "role admin, manager, sales_rep or support_agent",
            )),
            _ => Ok(()),
        }
    }

    /// Giving a record to someone else is a manager's call.
    pub(crate) fn require_assign_to(&self, owner: Option<UserId>, what: &str) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager => Ok(()),
            _ if owner == Some(self.id) => Ok(()),
            _ => Err(self.refuse(
                &format!("give {what} to another user"),
                "role admin or manager",
            )),
        }
    }

    /// Campaigns are read by everyone who works leads; support agents have no use for them.
    pub(crate) fn require_campaign_read(&self) -> Result<()> {
        match self.role {
            Role::SupportAgent => Err(self.refuse(
                "read campaigns",
                "role admin, manager, marketer or sales_rep",
            )),
            _ => Ok(()),
        }
    }

    /// Campaigns are planned and changed by marketing and management.
    pub(crate) fn require_campaign_write(&self, action: &str) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager | Role::Marketer => Ok(()),
            _ => Err(self.refuse(action, "role admin, manager or marketer")),
        }
    }

    /// Companies are kept by the people who sell to them; support agents only read them.
    /// Reps and marketers change the companies they own (or nobody owns); deleting and
    /// merging companies is for admins and managers.
    pub(crate) fn require_company_write(&self, action: &str, owner: Option<UserId>) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager => Ok(()),
            Role::SalesRep | Role::Marketer if owner.is_none_or(|o| o == self.id) => Ok(()),
            Role::SalesRep | Role::Marketer => {
                Err(self.refuse(action, "role admin or manager, or to own the company"))
            }
            Role::SupportAgent => {
                Err(self.refuse(action, "role admin, manager, sales_rep or marketer"))
            }
        }
    }

    pub(crate) fn require_company_admin(&self, action: &str) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager => Ok(()),
            _ => Err(self.refuse(action, "role admin or manager")),
        }
    }

    /// The leads this actor may read and work: reps their own, marketing and management all.
    pub(crate) fn lead_scope(&self) -> Scope {
        match self.role {
            Role::Admin | Role::Manager | Role::Marketer => Scope::All,
            Role::SalesRep => Scope::Own(self.id),
            Role::SupportAgent => Scope::Nothing,
        }
    }

    pub(crate) fn require_lead_create(&self) -> Result<()> {
        match self.role {
            Role::SupportAgent => {
                Err(self.refuse("add leads", "role admin, manager, marketer or sales_rep"))
            }
            _ => Ok(()),
        }
    }

    /// Handing leads to reps is distribution work: marketing and management.
    pub(crate) fn require_lead_assign(&self) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager | Role::Marketer => Ok(()),
            _ => Err(self.refuse("assign leads", "role admin, manager or marketer")),
        }
    }

    /// Converting makes a contact and a deal: sales work.
    pub(crate) fn require_convert(&self) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager | Role::SalesRep => Ok(()),
            _ => Err(self.refuse("convert leads", "role admin, manager or sales_rep")),
        }
    }

    pub(crate) fn require_marketing_report(&self) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager | Role::Marketer => Ok(()),
            _ => Err(self.refuse(
                "see the marketing report",
                "role admin, manager or marketer",
            )),
        }
    }

    /// The deals this actor may see and work: reps their own, management all.
    pub(crate) fn deal_scope(&self) -> Scope {
        match self.role {
            Role::Admin | Role::Manager => Scope::All,
            Role::SalesRep => Scope::Own(self.id),
            Role::SupportAgent | Role::Marketer => Scope::Nothing,
        }
    }

    pub(crate) fn require_deal_create(&self) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager | Role::SalesRep => Ok(()),
            _ => Err(self.refuse("add deals", "role admin, manager or sales_rep")),
        }
    }

    /// Sales figures: management sees the whole team, a rep their own deals.
    pub(crate) fn require_sales_report(&self) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager | Role::SalesRep => Ok(()),
            _ => Err(self.refuse("see the sales report", "role admin, manager or sales_rep")),
        }
    }

    /// Tickets: support, admins and managers work all of them; a rep sees those of their own
    /// contacts.
    pub(crate) fn ticket_scope(&self) -> crate::store::TicketScope {
        use crate::store::TicketScope;
        match self.role {
            Role::Admin | Role::Manager | Role::SupportAgent => TicketScope::All,
            Role::SalesRep => TicketScope::OwnContacts(self.id),
            Role::Marketer => TicketScope::Nothing,
        }
    }

    /// Assigning, starting, resolving and reopening tickets is support work.
    pub(crate) fn require_ticket_work(&self, action: &str) -> Result<()> {
        match self.role {
            Role::Admin | Role::Manager | Role::SupportAgent => Ok(()),
            _ => Err(self.refuse(action, "role admin, manager or support_agent")),
        }
    }

    /// Reading and sending the outbox.
    pub(crate) fn require_outbox(&self, action: &str) -> Result<()> {
        self.require_ticket_work(action)
    }

    /// Refusal for a record outside the actor's scope, naming what would have allowed it.
    /// The refusal of a record outside the actor's own (another rep's lead): [`Error::OutOfScope`],
    /// in the words of [`Actor::refuse_record`]. A role that may see no such records at all is
    /// refused as [`Error::Forbidden`]: that says nothing about which records exist.
    pub(crate) fn hide_record(&self, action: &str, scope: Scope) -> Error {
        match (scope, self.refuse_record(action, scope)) {
            (Scope::Nothing, refusal) => refusal,
            (_, Error::Forbidden(message)) => Error::OutOfScope(message),
            (_, other) => other,
        }
    }

    pub(crate) fn refuse_record(&self, action: &str, scope: Scope) -> Error {
        let needs = match scope {
            Scope::Nothing => "role admin or manager",
            Scope::OnTicketsOf(_) => {
                "a ticket of theirs for this contact, or role admin or manager"
            }
            Scope::Own(_) | Scope::All => "ownership of the record, or role admin or manager",
        };
        self.refuse(action, needs)
    }
}
