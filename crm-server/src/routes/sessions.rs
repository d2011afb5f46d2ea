//! Logging in and out: a session token for people, the same rules as `crm login`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use crm_core::{Actor, SessionToken};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::{Authed, Body};
use crate::pool::Pool;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Login {
    username: String,
    password: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct Session {
    /// Send it as `Authorization: Bearer <token>`.
    token: String,
    user: Actor,
}

/// `POST /sessions`: username and password give a bearer token.
pub(crate) async fn login(
    State(pool): State<Arc<Pool>>,
    Body(login): Body<Login>,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    let (user, token) = pool
        .run(move |crm| crm.login(&login.username, &login.password))
        .await??;
    Ok((
        StatusCode::CREATED,
        Json(Session {
            token: token.0,
            user,
        }),
    ))
}

/// `DELETE /sessions`: ends the session of the token sent (an API key stays; revoke it).
pub(crate) async fn logout(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.logout(&SessionToken(authed.bearer)))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /me`: who the token acts as.
pub(crate) async fn me(authed: Authed) -> Json<Actor> {
    Json(authed.actor)
}
