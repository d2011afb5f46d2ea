//! Login, sessions and lock-out.

use chrono::Duration;
use crm_core::{Error, Role, UserPatch};

use crate::env::{Env, PASSWORD, start};

crate::on_both_engines!(login_gives_a_session_that_authenticates_until_logout);
fn login_gives_a_session_that_authenticates_until_logout(env: &Env) {
    let (actor, token) = env.crm.login("ROOT", PASSWORD).unwrap();
    assert_eq!(actor.username(), "root");
    assert_eq!(env.crm.authenticate(&token).unwrap(), actor);
    assert!(env.crm.logout(&token).unwrap());
    assert!(matches!(
        env.crm.authenticate(&token),
        Err(Error::NotLoggedIn)
    ));
}

crate::on_both_engines!(unknown_user_and_wrong_password_get_the_same_error);
fn unknown_user_and_wrong_password_get_the_same_error(env: &Env) {
    let unknown = env.crm.login("nobody", PASSWORD).unwrap_err().to_string();
    let wrong = env
        .crm
        .login("root", "wrong-password")
        .unwrap_err()
        .to_string();
    assert_eq!(unknown, wrong);
    assert_eq!(
        wrong,
        "invalid username or password (5 failed logins in a row lock an account for 15 minutes)"
    );
}

crate::on_both_engines!(five_failures_lock_the_account_for_fifteen_minutes);
fn five_failures_lock_the_account_for_fifteen_minutes(env: &Env) {
    env.user("asha", Role::SalesRep);
    let unknown = env
        .crm
        .login("nobody", "nope-nope")
        .unwrap_err()
        .to_string();
    for _ in 0..5 {
        assert!(matches!(
            env.crm.login("asha", "nope-nope"),
            Err(Error::BadCredentials)
        ));
    }
    // Locked: even the right password is refused now, in the very words an unknown user gets,
    // so nobody learns that the account exists or is locked.
    let msg = env.crm.login("asha", PASSWORD).unwrap_err().to_string();
    assert_eq!(msg, unknown);
    assert!(!msg.contains("asha"));
    // The lock-out is in the activity feed, which admins read.
    let feed = env.crm.recent_activity(&env.admin, 10).unwrap();
    assert!(
        feed.iter()
            .any(|a| a.verb == "locked" && a.summary.contains("asha")),
        "{feed:?}"
    );
    // Attempts while locked do not extend the lock: fifteen minutes later the right password
    // works again.
    let later = env.at(start() + Duration::minutes(15) + Duration::seconds(1));
    later.login("asha", PASSWORD).unwrap();
}

crate::on_both_engines!(unknown_user_wrong_password_and_locked_account_take_the_same_time);
/// Red-team item 5: an unknown user cost two argon2 runs (83 ms against 45 ms), and a locked
/// account none. All three refusals now cost one argon2 run and one write. Medians of 10,
/// taken in turn in one process (the order rotating each round) so drift hits all three alike.
/// The other tests of this binary run beside it on two cores, so a measurement that load spoils
/// is taken again, up to five times: the differences this guards against (twice the cost, or
/// none at all) show in every one.
fn unknown_user_wrong_password_and_locked_account_take_the_same_time(env: &Env) {
    // Four wrong passwords each at most, so none of these users locks during a measurement.
    let wrong_users = ["w1", "w2", "w3"];
    for name in wrong_users {
        env.user(name, Role::SalesRep);
    }
    env.user("locky", Role::SalesRep);
    for _ in 0..5 {
        let _ = env.crm.login("locky", "nope-nope");
    }
    let time = |user: &str| {
        let started = std::time::Instant::now();
        let err = env.crm.login(user, "nope-nope").unwrap_err();
        assert!(matches!(err, Error::BadCredentials), "{err}");
        started.elapsed().as_secs_f64()
    };
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        f64::midpoint(v[4], v[5])
    };
    let mut attempts = Vec::new();
    for attempt in 0..5 {
        let mut samples = [Vec::new(), Vec::new(), Vec::new()];
        for round in 0..10 {
            for k in 0..3 {
                let which = (round + k) % 3;
                let user = match which {
                    0 => format!("nobody{attempt}x{round}"),
                    1 => wrong_users[round % 3].to_string(),
                    _ => "locky".to_string(),
                };
                samples[which].push(time(&user));
            }
        }
        for name in wrong_users {
            env.crm.login(name, crate::env::PASSWORD).unwrap();
        }
        let [u, w, l] = samples.map(median);
        let (low, high) = (u.min(w).min(l), u.max(w).max(l));
        println!(
            "login medians, attempt {}: unknown {:.1} ms, wrong password {:.1} ms, locked {:.1} ms",
            attempt + 1,
            u * 1e3,
            w * 1e3,
            l * 1e3
        );
        if high <= low * 1.2 {
            return;
        }
        attempts.push(format!("unknown {u:.4} s, wrong {w:.4} s, locked {l:.4} s"));
    }
    panic!(
        "more than 20% apart in every attempt: {}",
        attempts.join("; ")
    );
}

crate::on_both_engines!(sessions_expire_after_seven_days);
fn sessions_expire_after_seven_days(env: &Env) {
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

crate::on_both_engines!(sessions_end_on_password_change_role_change_and_deactivation);
fn sessions_end_on_password_change_role_change_and_deactivation(env: &Env) {
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

crate::on_both_engines!(the_password_is_stored_only_as_an_argon2id_hash);
fn the_password_is_stored_only_as_an_argon2id_hash(env: &Env) {
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

crate::on_both_engines!(long_passwords_count_to_their_last_character);
fn long_passwords_count_to_their_last_character(env: &Env) {
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

crate::on_both_engines!(session_tokens_are_long_random_and_never_stored);
fn session_tokens_are_long_random_and_never_stored(env: &Env) {
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
    if let Some(bytes) = env.file_bytes() {
        let wal = std::fs::read(env.path.with_file_name("crm.db-wal")).unwrap_or_default();
        for file in [&bytes, &wal] {
            assert!(!file.windows(hex.len()).any(|w| w == hex.as_bytes()));
        }
    }
}
