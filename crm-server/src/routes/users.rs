//! `/users`: who works in the CRM and with what role (admins; anyone may read themselves).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use crm_core::{NewUser, Role, User, UserPatch};
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::{Authed, Body};
use crate::pool::Pool;
use crate::version::{IfMatch, Tagged};

/// A new user with the first password. The password is taken apart from the user's fields at
/// once, as `crm users add` takes it from a prompt, so it is in no value that could be logged.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewUser")]
pub(crate) struct NewUserBody {
    username: String,
    display_name: Option<String>,
    email: Option<String>,
    role: Role,
    password: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewPassword")]
pub(crate) struct PasswordBody {
    password: String,
}

/// `GET /users`.
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(
        pool.run(move |crm| crm.list_users(&authed.actor)).await??,
    ))
}

/// `POST /users`: 201 with the user.
pub(crate) async fn add(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(body): Body<NewUserBody>,
) -> Result<(StatusCode, Tagged<User>), ApiError> {
    let new = NewUser {
        username: body.username,
        display_name: body.display_name,
        email: body.email,
        role: Some(body.role),
    };
    let password = body.password;
    let user = pool
        .run(move |crm| crm.add_user(&authed.actor, &new, &password))
        .await??;
    Ok((StatusCode::CREATED, Tagged(user)))
}

/// `GET /users/{username}`.
pub(crate) async fn one(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(username): Path<String>,
) -> Result<Tagged<User>, ApiError> {
    let user = pool
        .run(move |crm| crm.user(&authed.actor, &username))
        .await??;
    Ok(Tagged(user))
}

/// `PATCH /users/{username}`: name, email, role, active. A role change or a deactivation ends
/// the user's sessions; the last active admin stays one.
pub(crate) async fn edit(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(username): Path<String>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<UserPatch>,
) -> Result<Tagged<User>, ApiError> {
    patch.if_version = version;
    let user = pool
        .run(move |crm| crm.edit_user(&authed.actor, &username, &patch))
        .await??;
    Ok(Tagged(user))
}

/// `POST /users/{username}/password`: 204; the user's sessions end.
pub(crate) async fn password(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(username): Path<String>,
    Body(body): Body<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.set_password(&authed.actor, &username, &body.password))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}
