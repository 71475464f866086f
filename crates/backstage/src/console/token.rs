//! The console token: the one secret that opens the console, its API and its live feed.
//!
//! It comes from `SHOPCAST_CONSOLE_TOKEN` when that is set, so deployments keep secrets in their own secret store.
//! Otherwise the first start generates 256 random bits and writes them, readable by the owner only, to a file
//! outside any repository; later starts read the same file, so bookmarks, scrapers and bridges keep working across
//! restarts. The caller prints a newly created token once (the file is where to find it again).

use std::fmt;
use std::io::Write;
// File modes (0600 token, 0700 folder) exist on Unix; elsewhere the user's profile folder is private already.
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The environment variable that sets the token.
pub const TOKEN_ENV: &str = "SHOPCAST_CONSOLE_TOKEN";
/// Shorter secrets are refused: a guessable token is an open door to the show's microphone.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Where the token came from, so the caller knows whether to print it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenSource {
    /// `SHOPCAST_CONSOLE_TOKEN`.
    Environment,
    /// Read from the token file a previous start wrote.
    File(PathBuf),
    /// Generated now and written to this file: print it once.
    Created(PathBuf),
    /// Handed over in code ([`ConsoleToken::new`]).
    Given,
}

/// The secret and its origin. Its `Debug` never shows the secret, so it cannot leak into logs by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsoleToken {
    secret: String,
    pub source: TokenSource,
}

impl ConsoleToken {
    /// A token given directly (tests, embedding). Refused when shorter than [`MIN_TOKEN_CHARS`].
    pub fn new(secret: impl Into<String>) -> Result<ConsoleToken, TokenError> {
        let secret = secret.into();
        check_secret(&secret, "the token")?;
        Ok(ConsoleToken { secret, source: TokenSource::Given })
    }

    /// The secret itself, for printing once at creation and for handing to the chat ingest.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for ConsoleToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleToken").field("secret", &"<redacted>").field("source", &self.source).finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(
        "{what} is {chars} characters long; use at least {MIN_TOKEN_CHARS} random characters (or unset \
             {TOKEN_ENV} and let shopcast generate one)"
    )]
    TooShort { what: String, chars: usize },
    #[error("{what} contains whitespace or control characters; use letters, digits and punctuation only")]
    BadCharacters { what: String },
    #[error("the console token file {path} can be read by other users (mode {mode:o}); run `chmod 600 {path}`")]
    OpenPermissions { path: PathBuf, mode: u32 },
    #[error("cannot read the console token file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot create the console token file {path}: {source}; set {TOKEN_ENV} instead")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(std::io::Error),
}

fn check_secret(secret: &str, what: &str) -> Result<(), TokenError> {
    let chars = secret.chars().count();
    if chars < MIN_TOKEN_CHARS {
        return Err(TokenError::TooShort { what: what.to_string(), chars });
    }
    if secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(TokenError::BadCharacters { what: what.to_string() });
    }
    Ok(())
}

/// `$XDG_CONFIG_HOME/shopcast/console-token`, or `~/.config/shopcast/console-token`: outside any repository, so it
/// is never committed by accident.
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    let base = env("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").filter(|h| !h.is_empty()).map(|h| Path::new(&h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("shopcast").join("console-token")
}

/// The token from `SHOPCAST_CONSOLE_TOKEN`, else from the token file at `path` (default [`default_path`]), else a
/// new one written there with mode 0600 (its folder 0700). A file that others can read is refused rather than
/// used, because whoever read it can run the show.
pub fn load_or_create(env: &dyn Fn(&str) -> Option<String>, path: Option<&Path>) -> Result<ConsoleToken, TokenError> {
    if let Some(secret) = env(TOKEN_ENV).filter(|t| !t.trim().is_empty()) {
        let secret = secret.trim().to_string();
        check_secret(&secret, TOKEN_ENV)?;
        return Ok(ConsoleToken { secret, source: TokenSource::Environment });
    }
    let path = path.map(Path::to_path_buf).unwrap_or_else(|| default_path(env));
    match read_token_file(&path) {
        Ok(Some(token)) => return Ok(token),
        Ok(None) => {}
        Err(e) => return Err(e),
    }
    let secret = random_hex(32).map_err(TokenError::Random)?;
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        builder.mode(0o700);
        builder.create(folder).map_err(|source| TokenError::Write { path: path.clone(), source })?;
    }
    // `create_new`: two shows starting at once must not overwrite each other's token; the loser reads the winner's.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let file = options.open(&path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return read_token_file(&path)?.ok_or_else(|| TokenError::Read {
                path: path.clone(),
                source: std::io::Error::other("the file vanished while it was being read"),
            });
        }
        Err(source) => return Err(TokenError::Write { path, source }),
    };
    file.write_all(format!("{secret}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| TokenError::Write { path: path.clone(), source })?;
    Ok(ConsoleToken { secret, source: TokenSource::Created(path) })
}

fn read_token_file(path: &Path) -> Result<Option<ConsoleToken>, TokenError> {
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(TokenError::Read { path: path.into(), source }),
    };
    #[cfg(unix)]
    {
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(TokenError::OpenPermissions { path: path.into(), mode });
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    let text = std::fs::read_to_string(path).map_err(|source| TokenError::Read { path: path.into(), source })?;
    let secret = text.trim().to_string();
    check_secret(&secret, &format!("the console token in {} (delete the file to get a new one)", path.display()))?;
    Ok(Some(ConsoleToken { secret, source: TokenSource::File(path.into()) }))
}

/// `bytes` random bytes from the operating system (`getrandom`), as lower-case hex.
pub fn random_hex(bytes: usize) -> std::io::Result<String> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(std::io::Error::from)?;
    Ok(buffer.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(PathBuf);
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("shopcast-token-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }

    #[test]
    fn the_first_start_creates_a_private_random_token_and_later_starts_reuse_it() {
        let dir = scratch("create");
        let home = dir.0.display().to_string();
        let env = |k: &str| (k == "HOME").then(|| home.clone());
        let first = load_or_create(&env, None).unwrap();
        let path = dir.0.join(".config/shopcast/console-token");
        assert_eq!(first.source, TokenSource::Created(path.clone()));
        assert_eq!(first.secret().len(), 64, "256 bits as hex");
        assert!(first.secret().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        let again = load_or_create(&env, None).unwrap();
        assert_eq!((again.secret(), &again.source), (first.secret(), &TokenSource::File(path.clone())));
        assert!(!format!("{again:?}").contains(first.secret()), "Debug redacts the secret");

        // Another show's token is another random token.
        let other = scratch("create-other");
        let other_home = other.0.display().to_string();
        let env2 = |k: &str| (k == "XDG_CONFIG_HOME").then(|| other_home.clone());
        let second = load_or_create(&env2, None).unwrap();
        assert_ne!(second.secret(), first.secret());
        assert!(matches!(&second.source, TokenSource::Created(p) if p == &other.0.join("shopcast/console-token")));
    }

    #[test]
    fn the_environment_wins_and_weak_tokens_are_refused_with_the_fix() {
        let dir = scratch("env");
        let file = dir.0.join("token");
        let env = |k: &str| (k == TOKEN_ENV).then(|| " a-long-enough-secret-value \n".to_string());
        let token = load_or_create(&env, Some(&file)).unwrap();
        assert_eq!((token.secret(), &token.source), ("a-long-enough-secret-value", &TokenSource::Environment));
        assert!(!file.exists(), "an environment token is not written anywhere");

        let short = |k: &str| (k == TOKEN_ENV).then(|| "hunter2".to_string());
        let err = load_or_create(&short, Some(&file)).unwrap_err().to_string();
        assert!(err.contains("SHOPCAST_CONSOLE_TOKEN is 7 characters") && err.contains("at least 16"), "{err}");
        let spaced = |k: &str| (k == TOKEN_ENV).then(|| "correct horse battery staple".to_string());
        assert!(matches!(load_or_create(&spaced, Some(&file)), Err(TokenError::BadCharacters { .. })));
        assert!(ConsoleToken::new("short").is_err());
    }

    #[test]
    fn a_token_file_others_can_read_or_a_damaged_one_is_refused_naming_the_file() {
        let dir = scratch("perms");
        std::fs::create_dir_all(&dir.0).unwrap();
        let file = dir.0.join("console-token");
        std::fs::write(&file, "0123456789abcdef0123456789abcdef\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let none = |_: &str| None;
        let err = load_or_create(&none, Some(&file)).unwrap_err().to_string();
        assert!(err.contains("chmod 600") && err.contains(&file.display().to_string()), "{err}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(load_or_create(&none, Some(&file)).unwrap().secret(), "0123456789abcdef0123456789abcdef");
        std::fs::write(&file, "abc\n").unwrap();
        let err = load_or_create(&none, Some(&file)).unwrap_err().to_string();
        assert!(err.contains("delete the file") && err.contains("3 characters"), "{err}");
    }

    #[test]
    fn an_unwritable_place_says_to_use_the_environment_instead() {
        let none = |_: &str| None;
        let err = load_or_create(&none, Some(Path::new("/proc/shopcast/console-token"))).unwrap_err().to_string();
        assert!(err.contains("/proc/shopcast/console-token") && err.contains(TOKEN_ENV), "{err}");
    }
}
