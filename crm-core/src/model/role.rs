//! The roles a user can hold. What each may do is decided in `auth::actor`.

use super::fixed_set::fixed_set;

fixed_set! {
    /// A user's role (DESIGN.md section 5).
    Role, "role" {
        /// Everything, users included.
        Admin => "admin",
        /// All records, no user management.
        Manager => "manager",
        /// Their own leads, contacts, deals and tasks.
        SalesRep => "sales_rep",
        /// Tickets and the contacts on them.
        SupportAgent => "support_agent",
        /// Campaigns and leads.
        Marketer => "marketer",
    }
}

impl Role {
    /// Tickets go to support agents, and to admins and managers who step in.
    pub fn works_tickets(self) -> bool {
        matches!(self, Role::SupportAgent | Role::Admin | Role::Manager)
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn every_role_round_trips_through_its_text() {
        assert_eq!(Role::ALL.len(), Role::NAMES.len());
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), *role);
            assert_eq!(role.to_string(), role.as_str());
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), *role);
        }
    }

    #[test]
    fn parsing_is_case_insensitive_and_lists_valid_values() {
        assert_eq!("Sales Rep".parse::<Role>().unwrap(), Role::SalesRep);
        assert_eq!("ADMIN".parse::<Role>().unwrap(), Role::Admin);
        let err = "boss".parse::<Role>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown role 'boss' (expected one of: admin, manager, sales_rep, support_agent, marketer)"
        );
    }
}
