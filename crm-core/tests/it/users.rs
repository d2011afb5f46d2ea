//! User management.

use crm_core::{Error, Role, UserPatch};

use crate::env::{Env, PASSWORD, new_user};

crate::on_both_engines!(admins_add_list_and_edit_users);
fn admins_add_list_and_edit_users(env: &Env) {
    let user = env
        .crm
        .add_user(
            &env.admin,
            &new_user("Asha", Some(Role::SalesRep)),
            PASSWORD,
        )
        .unwrap();
    assert_eq!(user.username, "asha");
    assert_eq!(user.role, Role::SalesRep);
    let names: Vec<_> = env
        .crm
        .list_users(&env.admin)
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(names, ["asha", "root"]);
    let patch = UserPatch {
        display_name: Some("Asha Verma".into()),
        ..UserPatch::default()
    };
    let edited = env.crm.edit_user(&env.admin, "asha", &patch).unwrap();
    assert_eq!(edited.display_name, "Asha Verma");
}

crate::on_both_engines!(only_admins_manage_users_and_a_refusal_changes_nothing);
fn only_admins_manage_users_and_a_refusal_changes_nothing(env: &Env) {
    for role in [
        Role::Manager,
        Role::SalesRep,
        Role::SupportAgent,
        Role::Marketer,
    ] {
        let actor = env.user(&format!("u-{role}").replace('_', "-"), role);
        let before = env.dump();
        let err = env
            .crm
            .add_user(&actor, &new_user("intruder", Some(Role::Admin)), PASSWORD)
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        assert!(err.to_string().contains("needs role admin"), "{err}");
        assert!(env.crm.list_users(&actor).is_err());
        assert!(
            env.crm
                .set_password(&actor, "root", "hijacked-pass")
                .is_err()
        );
        assert_eq!(env.dump(), before, "{role}: a refused call changes nothing");
    }
}

crate::on_both_engines!(duplicate_usernames_are_refused_in_any_case);
fn duplicate_usernames_are_refused_in_any_case(env: &Env) {
    let before = env.dump();
    let err = env
        .crm
        .add_user(&env.admin, &new_user("ROOT", Some(Role::Manager)), PASSWORD)
        .unwrap_err();
    assert_eq!(err.to_string(), "username 'root' is already taken");
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(the_last_active_admin_cannot_be_demoted_or_disabled);
fn the_last_active_admin_cannot_be_demoted_or_disabled(env: &Env) {
    for patch in [
        UserPatch {
            role: Some(Role::Manager),
            ..UserPatch::default()
        },
        UserPatch {
            active: Some(false),
            ..UserPatch::default()
        },
    ] {
        let err = env.crm.edit_user(&env.admin, "root", &patch).unwrap_err();
        assert!(err.to_string().contains("last active admin"), "{err}");
    }
    env.user("second", Role::Admin);
    let patch = UserPatch {
        role: Some(Role::Manager),
        ..UserPatch::default()
    };
    env.crm.edit_user(&env.admin, "second", &patch).unwrap();
}

crate::on_both_engines!(users_change_their_own_password_with_the_current_one);
fn users_change_their_own_password_with_the_current_one(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    let err = env
        .crm
        .change_own_password(&asha, "wrong-current", "new-password-1")
        .unwrap_err();
    assert_eq!(err.to_string(), "invalid current password: is wrong");
    env.crm
        .change_own_password(&asha, PASSWORD, "new-password-1")
        .unwrap();
    env.crm.login("asha", "new-password-1").unwrap();
}

crate::on_both_engines!(bootstrap_works_once);
fn bootstrap_works_once(env: &Env) {
    let err = env
        .crm
        .bootstrap_admin(&new_user("again", None), PASSWORD)
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)));
}

crate::on_both_engines!(short_passwords_are_refused);
fn short_passwords_are_refused(env: &Env) {
    let err = env
        .crm
        .add_user(&env.admin, &new_user("x", Some(Role::Manager)), "short")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid password: must be at least 8 characters"
    );
}
