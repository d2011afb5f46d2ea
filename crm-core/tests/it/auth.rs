//! Login, sessions and lock-out.

use chrono::Duration;
use crm_core::{Error, Role, UserPatch};

use crate::env::{Env, PASSWORD, start};

#[test]
fn login_gives_a_session_that_authenticates_until_logout() {
    let env = Env::new();
    let (actor, token) = env.crm.login("ROOT", PASSWORD).unwrap();
    assert_eq!(actor.username, "root");
    assert_eq!(env.crm.authenticate(&token).unwrap(), actor);
    assert!(env.crm.logout(&token).unwrap());
    assert!(matches!(
        env.crm.authenticate(&token),
        Err(Error::NotLoggedIn)
    ));
}

#[test]
fn unknown_user_and_wrong_password_get_the_same_error() {
    let env = Env::new();
    let unknown = env.crm.login("nobody", PASSWORD).unwrap_err().to_string();
    let wrong = env
        .crm
        .login("root", "wrong-password")
        .unwrap_err()
        .to_string();
    assert_eq!(unknown, wrong);
    assert_eq!(wrong, "invalid username or password");
}

#[test]
fn five_failures_lock_the_account_for_fifteen_minutes() {
    let env = Env::new();
    env.user("asha", Role::SalesRep);
    for _ in 0..4 {
        assert!(matches!(
            env.crm.login("asha", "nope-nope"),
            Err(Error::BadCredentials)
        ));
    }
    let fifth = env.crm.login("asha", "nope-nope").unwrap_err();
    assert!(matches!(fifth, Error::Locked { .. }), "{fifth}");
    // Locked: even the right password is refused now, and the message says until when.
    let msg = env.crm.login("asha", PASSWORD).unwrap_err().to_string();
    assert_eq!(
        msg,
        "account 'asha' is locked until 2026-03-01 09:15 UTC after too many failed logins"
    );
    // The lock-out is in the activity feed.
    let feed = env.crm.recent_activity(&env.admin, 10).unwrap();
    assert!(
        feed.iter()
            .any(|a| a.verb == "locked" && a.summary.contains("asha")),
        "{feed:?}"
    );
    // Fifteen minutes later the right password works again.
    let later = env.at(start() + Duration::minutes(15) + Duration::seconds(1));
    later.login("asha", PASSWORD).unwrap();
}

#[test]
fn sessions_expire_after_seven_days() {
    let env = Env::new();
    let (_, token) = env.crm.login("root", PASSWORD).unwrap();
    assert!(
        env.at(start() + Duration::days(7) - Duration::seconds(1))
            .authenticate(&token)
            .is_ok()
    );
    assert!(
        env.at(start() + Duration::days(7))
            .authenticate(&token)
            .is_err()
    );
}

#[test]
fn sessions_end_on_password_change_role_change_and_deactivation() {
    let env = Env::new();
    env.user("ravi", Role::SalesRep);
    let session = || env.crm.login("ravi", PASSWORD).unwrap().1;

    let token = session();
    env.crm
        .set_password(&env.admin, "ravi", "another-password")
        .unwrap();
    assert!(env.crm.authenticate(&token).is_err(), "password change");
    env.crm.set_password(&env.admin, "ravi", PASSWORD).unwrap();

    let token = session();
    let patch = UserPatch {
        role: Some(Role::Marketer),
        ..UserPatch::default()
    };
    env.crm.edit_user(&env.admin, "ravi", &patch).unwrap();
    assert!(env.crm.authenticate(&token).is_err(), "role change");

    let token = session();
    let patch = UserPatch {
        active: Some(false),
        ..UserPatch::default()
    };
    env.crm.edit_user(&env.admin, "ravi", &patch).unwrap();
    assert!(env.crm.authenticate(&token).is_err(), "deactivation");
    assert!(matches!(
        env.crm.login("ravi", PASSWORD),
        Err(Error::Disabled(_))
    ));
}

#[test]
fn the_password_is_stored_only_as_an_argon2id_hash() {
    let env = Env::new();
    let dump = env.dump();
    assert!(!dump.contains(PASSWORD));
    assert!(dump.contains("$argon2id$v=19$m=19456,t=2,p=1$"));
}

#[cfg(unix)]
#[test]
fn the_database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", env.path.display());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{path}");
    }
}

#[test]
fn long_passwords_count_to_their_last_character() {
    let env = Env::new();
    env.user("asha", Role::SalesRep);
    // 200 characters, multi-byte included; bcrypt-style truncation at 72 bytes would make the
    // two below equal.
    let long: String = "pässwörd-".repeat(22) + "tail";
    assert!(long.chars().count() >= 200);
    env.crm.set_password(&env.admin, "asha", &long).unwrap();
    env.crm.login("asha", &long).unwrap();
    let mut near = long.clone();
    near.pop();
    near.push('X');
    assert!(matches!(
        env.crm.login("asha", &near),
        Err(Error::BadCredentials)
    ));
    let prefix: String = long.chars().take(72).collect();
    assert!(matches!(
        env.crm.login("asha", &prefix),
        Err(Error::BadCredentials)
    ));
}

#[test]
fn session_tokens_are_long_random_and_never_stored() {
    let env = Env::new();
    let (_, first) = env.crm.login("root", PASSWORD).unwrap();
    let (_, second) = env.crm.login("root", PASSWORD).unwrap();
    assert_ne!(first.0, second.0);
    // crm_ and 64 hex digits: 256 random bits.
    let hex = first.0.strip_prefix("crm_").unwrap();
    assert_eq!(hex.len(), 64);
    assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
    let dump = env.dump();
    assert!(
        !dump.contains(hex),
        "the token itself is not in the database"
    );
    let bytes = std::fs::read(&env.path).unwrap();
    let wal = std::fs::read(env.path.with_file_name("crm.db-wal")).unwrap_or_default();
    for file in [&bytes, &wal] {
        assert!(!file.windows(hex.len()).any(|w| w == hex.as_bytes()));
    }
}
