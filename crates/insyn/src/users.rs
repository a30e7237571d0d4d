//! `insyn user …` and `insyn token …`: accounts and API tokens from the shell.

use crate::cli::{TokenCommand, UserCommand};
use crate::{explain, open};
use anyhow::{Context, Result};
use insyn_domain::{AppRole, Grant, TokenScope};
use insyn_store::Actor;
use std::io::Read;

pub(crate) async fn user(cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add {
            email,
            name,
            role,
            org,
            db,
        } => {
            let store = open(&db).await?;
            let role = AppRole::parse(&role).with_context(|| {
                format!("unknown role {role:?}: use administrator, security_coordinator, editor or reader")
            })?;
            let org_id = match org {
                Some(slug) => Some(crate::org_id(&store, &slug).await?),
                None => None,
            };
            let (password, generated) = password_from_stdin()?;
            let user = store
                .create_user(
                    &Actor::new("cli"),
                    &email,
                    &name,
                    Some(&password),
                    &[Grant { org_id, role }],
                )
                .await
                .map_err(explain)?;
            println!("user {} created", user.email);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        UserCommand::ResetPassword { email, db } => {
            let store = open(&db).await?;
            let user = store
                .user_by_email(&email)
                .await
                .with_context(|| format!("no user with the e-mail {email}"))?;
            let (password, generated) = password_from_stdin()?;
            store
                .set_password(&Actor::new("cli"), user.id, &password)
                .await
                .map_err(explain)?;
            println!("password of {} set; their sessions have ended", user.email);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
    }
}

pub(crate) async fn token(cmd: TokenCommand) -> Result<()> {
    let TokenCommand::Create {
        email,
        scope,
        name,
        expires_in_days,
        db,
    } = cmd;
    let store = open(&db).await?;
    let scope = TokenScope::parse(&scope)
        .with_context(|| format!("unknown scope {scope:?}: use read or write"))?;
    let user = store
        .user_by_email(&email)
        .await
        .with_context(|| format!("no user with the e-mail {email}"))?;
    let (_, secret) = store
        .create_token_until(
            &Actor::new("cli"),
            user.id,
            &name,
            scope,
            expires_in_days.map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d))),
        )
        .await
        .map_err(explain)?;
    println!("{secret}");
    Ok(())
}

/// A password from standard input (first line), or a generated one.
pub(crate) fn password_from_stdin() -> Result<(String, bool)> {
    let mut input = String::new();
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        std::io::stdin().read_to_string(&mut input)?;
    }
    let pw = input.lines().next().unwrap_or("").to_owned();
    if pw.is_empty() {
        Ok((insyn_store::users::new_secret()[..20].to_owned(), true))
    } else {
        Ok((pw, false))
    }
}
