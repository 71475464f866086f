//! Real servers for the fleet's tests, started on 127.0.0.1 in folders of their own and stopped when dropped:
//! Debian's `nats-server` with JetStream, and a PostgreSQL 15 cluster made by `initdb` for the test alone.

use crate::need::need_program;
use crate::process::{Guarded, free_port, poll};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A folder under the system's temporary directory, removed with everything in it when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(what: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "shopcast-{what}-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("cannot make {}: {e}", path.display()));
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn listening(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// `nats-server -js` on a free port, its JetStream store in its own folder. [`Nats::restart`] kills it as a crash
/// would and starts it again on the same port and store.
pub struct Nats {
    child: Option<Guarded>,
    pub port: u16,
    store: TempDir,
}

impl Nats {
    pub fn start() -> Nats {
        let store = TempDir::new("nats");
        let mut nats = Nats { child: None, port: free_port(), store };
        for _ in 0..3 {
            nats.spawn();
            // Another test's server may take the same free port between free_port and the bind: ours then exits at
            // once while the port answers for the other one. A server of our own still running is ours.
            std::thread::sleep(Duration::from_millis(300));
            if nats.child.as_mut().is_some_and(|c| c.exited().is_none()) {
                return nats;
            }
            nats.port = free_port();
        }
        panic!("nats-server exited at start three times (see `nats-server -js -a 127.0.0.1` run by hand)");
    }

    fn spawn(&mut self) {
        let program = need_program("nats-server", "nats-server");
        let mut command = Command::new(program);
        command
            .args(["-js", "-a", "127.0.0.1", "-p", &self.port.to_string(), "-sd"])
            .arg(self.store.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = Guarded::spawn(&mut command, "nats-server").unwrap_or_else(|e| panic!("{e}"));
        self.child = Some(child);
        let port = self.port;
        assert!(poll(Duration::from_secs(10), || listening(port)), "nats-server did not listen on {port} within 10 s");
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// kill -9, then the same server again (its JetStream store survives, as on a real restart).
    pub fn restart(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill();
        }
        self.spawn();
    }
}

/// A PostgreSQL 15 cluster of the test's own: `initdb` into a fresh folder (as the `postgres` user when the tests
/// run as root, since PostgreSQL refuses to run as root), trust authentication on 127.0.0.1, a random port.
pub struct Postgres {
    child: Option<Guarded>,
    pub port: u16,
    data: TempDir,
}

/// Where Debian's PostgreSQL 15 server programs are.
const BIN: &str = "/usr/lib/postgresql/15/bin";

fn as_postgres_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=postgres", "--regid=postgres", "--init-groups", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

impl Postgres {
    pub fn start() -> Postgres {
        let initdb = Path::new(BIN).join("initdb");
        crate::need("postgresql-15 (/usr/lib/postgresql/15/bin)", initdb.exists());
        let data = TempDir::new("postgres");
        if is_root() {
            let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(data.path()).status();
            assert!(
                matches!(status, Ok(s) if s.success()),
                "cannot hand {} to the postgres user",
                data.path().display()
            );
        }
        let output = as_postgres_user(&initdb)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "-D"])
            .arg(data.path().join("db"))
            .output()
            .unwrap_or_else(|e| panic!("cannot run initdb: {e}"));
        assert!(output.status.success(), "initdb failed: {}", String::from_utf8_lossy(&output.stderr));
        let mut pg = Postgres { child: None, port: free_port(), data };
        pg.spawn();
        pg
    }

    fn spawn(&mut self) {
        let mut command = as_postgres_user(&Path::new(BIN).join("postgres"));
        command
            .arg("-D")
            .arg(self.data.path().join("db"))
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-k"])
            .arg(self.data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.child = Some(Guarded::spawn(&mut command, "postgresql-15").unwrap_or_else(|e| panic!("{e}")));
        let port = self.port;
        assert!(poll(Duration::from_secs(20), || listening(port)), "PostgreSQL did not listen on {port} within 20 s");
    }

    /// A connection string for the cluster's `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server as a crash would (kill -9); [`Postgres::resume`] starts it again on the same data.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill();
        }
        // A killed postmaster leaves its children to notice and exit; the lock file goes with the last of them.
        let pid_file = self.data.path().join("db/postmaster.pid");
        poll(Duration::from_secs(10), || !pid_file.exists() || !listening(self.port));
        let _ = std::fs::remove_file(pid_file);
    }

    pub fn resume(&mut self) {
        self.spawn();
    }
}
