//! `shopcast console`: the console's named accounts (moderators, merchandisers, admins), kept in the audit log's
//! database so that the show sees a new or removed account at once, without a restart.

use anyhow::{Context, Result, bail};
use backstage::console::accounts::{self, Role};
use backstage::store::{self, DEFAULT_RETENTION_DAYS, Store};
use std::io::BufRead;
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum ConsoleCommand {
    /// Create an account; prints a generated password once unless --password-stdin gives one.
    AddUser(AddUserArgs),
    /// Give an account a new password (generated unless --password-stdin gives one) and, with --role, a new role.
    /// Its browser sessions keep working with the new role at once; use remove-user to end them.
    ResetUser(AddUserArgs),
    /// Remove an account: its browser sessions end at their next request.
    RemoveUser(NameArgs),
    /// List the accounts and their roles.
    Users(StoreArg),
}

#[derive(clap::Args, Debug)]
pub struct StoreArg {
    /// The audit log the show writes (default: SHOPCAST_STORE, else ~/.local/share/shopcast/audit.db).
    #[arg(long)]
    store: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct AddUserArgs {
    /// The account name: lower-case letters, digits, '.', '_' or '-' (it names the account in the audit log).
    name: String,
    /// moderator (the conversation), merchandiser (prices, stock, flash sales) or admin (everything).
    #[arg(long)]
    role: Option<String>,
    /// Read the password from the first line of standard input instead of generating one (at least 12 characters).
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    store: StoreArg,
}

#[derive(clap::Args, Debug)]
pub struct NameArgs {
    name: String,
    #[command(flatten)]
    store: StoreArg,
}

pub fn run(command: ConsoleCommand) -> Result<()> {
    match command {
        ConsoleCommand::AddUser(args) => add_or_reset(args, false),
        ConsoleCommand::ResetUser(args) => add_or_reset(args, true),
        ConsoleCommand::RemoveUser(args) => remove(args),
        ConsoleCommand::Users(args) => users(args),
    }
}

fn open(arg: &StoreArg) -> Result<(Store, PathBuf)> {
    let env = |k: &str| std::env::var(k).ok();
    let path = store::path(arg.store.clone(), &env);
    let store = Store::open(&path, DEFAULT_RETENTION_DAYS)
        .with_context(|| format!("the accounts live in the audit log {}", path.display()))?;
    Ok((store, path))
}

fn now() -> model::UnixMs {
    backstage::clock::wall_now()
}

fn add_or_reset(args: AddUserArgs, reset: bool) -> Result<()> {
    let name = accounts::check_name(&args.name)?;
    let (store, path) = open(&args.store)?;
    let existing = store.account(&name)?;
    match (&existing, reset) {
        (Some(_), false) => {
            bail!("there is already an account {name} in {}; use `shopcast console reset-user {name}`", path.display())
        }
        (None, true) => {
            bail!("there is no account {name} in {}; use `shopcast console add-user {name}`", path.display())
        }
        _ => {}
    }
    let role = match (&args.role, &existing) {
        (Some(text), _) => Role::parse(text).ok_or_else(|| accounts::AccountError::BadRole(text.clone()))?,
        (None, Some(account)) => account.role,
        (None, None) => bail!("say which role {name} has: --role moderator, --role merchandiser or --role admin"),
    };
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (accounts::generate_password()?, true)
    };
    let hash = accounts::hash_password(&password)?;
    let done = if reset {
        store.reset_account(&name, role, &hash, now())?
    } else {
        store.add_account(&name, role, &hash, now())?
    };
    if !done {
        bail!("the account {name} changed while this ran; try again");
    }
    let verb = if reset { "reset" } else { "added" };
    eprintln!("account {name} ({}) {verb} in {}", role.as_str(), path.display());
    if generated {
        // Printed once, on stdout alone, so a script can capture it; it is kept only as a hash.
        println!("{password}");
        eprintln!("that is its password: hand it over privately; it is not shown again");
    }
    Ok(())
}

fn remove(args: NameArgs) -> Result<()> {
    let (store, path) = open(&args.store)?;
    if !store.remove_account(args.name.trim(), now())? {
        bail!("there is no account {:?} in {}; `shopcast console users` lists them", args.name, path.display());
    }
    eprintln!("account {} removed from {}", args.name.trim(), path.display());
    Ok(())
}

fn users(args: StoreArg) -> Result<()> {
    let (store, path) = open(&args)?;
    let accounts = store.accounts()?;
    if accounts.is_empty() {
        eprintln!("no accounts in {} yet; add one with `shopcast console add-user NAME --role ROLE`", path.display());
    }
    for account in accounts {
        println!(
            "{:<32} {:<13} since {}",
            account.name,
            account.role.as_str(),
            store::rfc3339(model::UnixMs(account.created_ms))
        );
    }
    Ok(())
}
