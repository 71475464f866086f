//! Named console accounts: who may do what in the console, and how they prove who they are.
//!
//! Every request that passes [`super::auth::require_auth`] carries an [`Actor`]: the named account a browser
//! logged in with, or the shared console token (scripts, bridges, single-operator setups), which acts under its
//! own name, [`SHARED_ACCOUNT`], with every right. What an actor may do follows from its [`Role`]: each console
//! route sits in exactly one [`Right`]'s group in [`super::router`], and the group's guard refuses other roles with
//! 403 before the handler runs. The director hears the actor's account with every line a moderator writes, edits
//! or approves, and every state-changing request is written to the audit log with it (see [`super::audit`]).
//!
//! Accounts live in the audit log's database (`shopcast console add-user`); their passwords are kept only as
//! Argon2id hashes in the PHC string format, with a random salt each.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The name the shared console token acts under, in the audit log and on every page.
pub const SHARED_ACCOUNT: &str = "console token (shared)";
/// Shorter passwords are refused: the console can put words on air.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords are refused before hashing (nobody types more; a megabyte would only cost CPU).
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The longest account name.
pub const MAX_ACCOUNT_CHARS: usize = 32;

/// What a named account is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Steers the conversation: approves, edits and rejects replies, says lines, aborts, bans and times out
    /// viewers, sets moderation modes, hands over to a human, handles escalations, pins and skips products.
    Moderator,
    /// Keeps the offer right: prices, stock, flash sales and the console's overrides, pins and skips products.
    Merchandiser,
    /// Everything, including OBS's outputs.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Moderator, Role::Merchandiser, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Moderator => "moderator",
            Role::Merchandiser => "merchandiser",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether this role holds `right`.
    pub fn may(self, right: Right) -> bool {
        match right {
            Right::View => true,
            Right::Moderate => matches!(self, Role::Moderator | Role::Admin),
            Right::Merchandise => matches!(self, Role::Merchandiser | Role::Admin),
            Right::Steer => true,
            Right::Operate => self == Role::Admin,
        }
    }
}

/// A group of console routes that needs the same role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Right {
    /// Pages, the state, the feed, `/healthz` and `/metrics`.
    View,
    /// The conversation (see [`Role::Moderator`]).
    Moderate,
    /// Prices, stock, flash sales and overrides (see [`Role::Merchandiser`]).
    Merchandise,
    /// Which product is on the card: pin, unpin, next, previous. Moderators and merchandisers both.
    Steer,
    /// OBS's outputs.
    Operate,
}

impl Right {
    /// Who holds it, for the 403's message.
    pub fn holders(self) -> String {
        let names: Vec<&str> = Role::ALL.into_iter().filter(|r| r.may(self)).map(Role::as_str).collect();
        names.join(" or ")
    }
}

/// Who is acting on a request: a named account or the shared token. Made only by the console's authentication
/// (its fields are private to this crate), so a handler that holds one knows the request proved itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    account: String,
    role: Role,
    shared: bool,
}

impl Actor {
    /// The shared console token: every right, under [`SHARED_ACCOUNT`].
    pub(crate) fn shared() -> Actor {
        Actor { account: SHARED_ACCOUNT.to_string(), role: Role::Admin, shared: true }
    }

    /// A named account that proved itself (a password at the login form, checked again on each request).
    pub(crate) fn named(account: String, role: Role) -> Actor {
        Actor { account, role, shared: false }
    }

    /// The account the audit log records.
    pub fn account(&self) -> &str {
        &self.account
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Whether this is the shared token rather than a named account.
    pub fn is_shared(&self) -> bool {
        self.shared
    }
}

/// A named account as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    pub name: String,
    pub role: Role,
    /// The Argon2id hash in PHC format; never shown.
    #[serde(skip)]
    pub password_hash: String,
    pub created_ms: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    #[error(
        "the account name {0:?} is not allowed: use 1 to {MAX_ACCOUNT_CHARS} lower-case letters, digits, '.', '_' or \
         '-', starting with a letter or digit"
    )]
    BadName(String),
    #[error("the role {0:?} is not moderator, merchandiser or admin")]
    BadRole(String),
    #[error("the password is {0} characters long; use at least {MIN_PASSWORD_CHARS} (or let shopcast generate one)")]
    ShortPassword(usize),
    #[error("the password is longer than {MAX_PASSWORD_CHARS} characters")]
    LongPassword,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
}

/// Checks an account name: lower case ASCII so that "Lin" and "lin" cannot be two people in the audit log, and
/// nothing that could pass for the shared token's name.
pub fn check_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_ACCOUNT_CHARS
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok { Ok(name.to_string()) } else { Err(AccountError::BadName(name.to_string())) }
}

pub fn check_password(password: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AccountError::ShortPassword(chars));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AccountError::LongPassword);
    }
    Ok(())
}

/// The Argon2id hash of `password` (RFC 9106's second recommended parameters, the crate's defaults), with a
/// random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    check_password(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches the stored hash. A damaged hash matches nothing.
pub fn verify_password(stored: &str, password: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default().verify_password(password.as_bytes(), &hash).is_ok(),
        Err(_) => false,
    }
}

/// Spends the same work as checking a real password, for a name with no account: the answer's timing does not
/// tell which names exist.
pub fn verify_nobody(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| generate_password().ok().and_then(|p| hash_password(&p).ok()));
    if let Some(hash) = dummy {
        let _ = verify_password(hash, password);
    }
}

/// A new password for `shopcast console add-user`: 20 characters from an alphabet without look-alikes (about
/// 110 bits).
pub fn generate_password() -> std::io::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(std::io::Error::from)?;
    // 256 is not a multiple of 56: bytes at or above 224 (4 x 56) are drawn again, so every character is as likely.
    let mut out = String::with_capacity(20);
    let mut pool = bytes.to_vec();
    while out.len() < 20 {
        if pool.is_empty() {
            let mut more = [0u8; 20];
            getrandom::fill(&mut more).map_err(std::io::Error::from)?;
            pool.extend_from_slice(&more);
        }
        let b = pool.remove(0);
        if b < 224 {
            out.push(ALPHABET[usize::from(b) % ALPHABET.len()] as char);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_holds_exactly_its_rights() {
        use Right::*;
        let table = [
            (Role::Moderator, [true, true, false, true, false]),
            (Role::Merchandiser, [true, false, true, true, false]),
            (Role::Admin, [true, true, true, true, true]),
        ];
        for (role, expected) in table {
            let got = [View, Moderate, Merchandise, Steer, Operate].map(|r| role.may(r));
            assert_eq!(got, expected, "{role:?}");
        }
        assert_eq!(Right::Merchandise.holders(), "merchandiser or admin");
        assert_eq!(Role::parse(" Merchandiser "), Some(Role::Merchandiser));
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn names_are_plain_lower_case_and_cannot_pose_as_the_shared_token() {
        for good in ["lin", "wei.zhang", "mod_2", "7eleven", "a-b"] {
            assert_eq!(check_name(good).as_deref(), Ok(good));
        }
        for bad in ["", "Lin", "-lin", "lin zhang", "林", "console token (shared)", &"a".repeat(33), "a/b"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_hash_with_a_fresh_salt_and_only_the_right_one_verifies() {
        let first = hash_password("correct horse battery").unwrap();
        let second = hash_password("correct horse battery").unwrap();
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "every hash has its own salt");
        assert!(verify_password(&first, "correct horse battery"));
        assert!(verify_password(&second, "correct horse battery"));
        assert!(!verify_password(&first, "correct horse batterY"));
        assert!(!verify_password("not a hash", "correct horse battery"));
        assert!(!verify_password(&first, &"x".repeat(10_000)));
        assert_eq!(hash_password("short"), Err(AccountError::ShortPassword(5)));
        verify_nobody("anything");
    }

    #[test]
    fn generated_passwords_are_long_random_and_pass_the_policy() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.chars().count(), 20);
        assert_ne!(a, b);
        assert!(check_password(&a).is_ok());
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() && !"0O1lI".contains(c)), "{a}");
    }
}
