//! The console's named accounts, kept beside the audit log so that the log's rows and the accounts they name
//! live and are backed up together. Adding and removing an account is itself an audit row (without the hash).

use super::{Store, StoreError};
use crate::console::accounts::{Account, Role};
use model::UnixMs;
use rusqlite::{OptionalExtension, params};

pub(super) const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS console_accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);";

fn account_of(name: String, role: String, password_hash: String, created_ms: i64) -> Result<Account, StoreError> {
    let role = Role::parse(&role).ok_or_else(|| {
        StoreError::Corrupt(format!("console account {name:?} has the unknown role {role:?}; remove and add it again"))
    })?;
    Ok(Account { name, role, password_hash, created_ms })
}

impl Store {
    /// Adds an account; `Ok(false)` when the name is taken (nothing changes).
    pub fn add_account(&self, name: &str, role: Role, password_hash: &str, now: UnixMs) -> Result<bool, StoreError> {
        let added = self.conn.execute(
            "INSERT INTO console_accounts (name, role, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO NOTHING",
            params![name, role.as_str(), password_hash, now.0],
        )? == 1;
        if added {
            let row = serde_json::json!({ "account": name, "role": role.as_str() });
            self.append_event(now.0, "account_added", &row.to_string())?;
        }
        Ok(added)
    }

    /// Replaces an account's password (and role); `Ok(false)` when there is no such account.
    pub fn reset_account(&self, name: &str, role: Role, password_hash: &str, now: UnixMs) -> Result<bool, StoreError> {
        let changed = self.conn.execute(
            "UPDATE console_accounts SET role = ?2, password_hash = ?3 WHERE name = ?1",
            params![name, role.as_str(), password_hash],
        )? == 1;
        if changed {
            let row = serde_json::json!({ "account": name, "role": role.as_str() });
            self.append_event(now.0, "account_reset", &row.to_string())?;
        }
        Ok(changed)
    }

    /// Removes an account: its browser sessions stop at their next request. `Ok(false)` when there was none.
    pub fn remove_account(&self, name: &str, now: UnixMs) -> Result<bool, StoreError> {
        let removed = self.conn.execute("DELETE FROM console_accounts WHERE name = ?1", params![name])? == 1;
        if removed {
            let row = serde_json::json!({ "account": name });
            self.append_event(now.0, "account_removed", &row.to_string())?;
        }
        Ok(removed)
    }

    pub fn account(&self, name: &str) -> Result<Option<Account>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT name, role, password_hash, created_ms FROM console_accounts WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(n, r, h, c)| account_of(n, r, h, c)).transpose()
    }

    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let mut statement =
            self.conn.prepare("SELECT name, role, password_hash, created_ms FROM console_accounts ORDER BY name")?;
        let rows: Vec<(String, String, String, i64)> =
            statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
        rows.into_iter().map(|(n, r, h, c)| account_of(n, r, h, c)).collect()
    }
}

impl Store {
    /// One console request and the account behind it (an event `console_action`).
    pub fn record_console_action(
        &self,
        action: &crate::console::audit::ConsoleAction,
        now: UnixMs,
    ) -> Result<(), StoreError> {
        self.append_event(now.0, "console_action", &serde_json::to_string(action)?)?;
        Ok(())
    }
}
