//! Running under systemd: `READY=1` once the stage draws, `WATCHDOG=1` while the stage and the director are both
//! alive, `STOPPING=1` on the way out (sd_notify's datagram protocol, written here: a few lines of std).
//!
//! The pings come from the show's own heartbeats ([`Metrics`]), not from a timer of their own: a renderer stuck on
//! a frame or a director stuck on a turn stops them, and systemd restarts the service after `WatchdogSec`.

use crate::console::Metrics;
use std::os::unix::net::UnixDatagram;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Where systemd listens for this service's state, from `NOTIFY_SOCKET` (a path, or `@name` in the abstract
/// namespace).
#[derive(Debug)]
pub struct Notifier {
    socket: UnixDatagram,
    target: String,
}

impl Notifier {
    /// `None` when the process was not started by systemd with `Type=notify` (no `NOTIFY_SOCKET`).
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Option<Notifier> {
        let target = env("NOTIFY_SOCKET").filter(|t| !t.is_empty())?;
        // Never blocking: a full queue at systemd's end drops a message instead of stalling the show's runtime.
        match UnixDatagram::unbound().and_then(|socket| socket.set_nonblocking(true).map(|()| socket)) {
            Ok(socket) => Some(Notifier { socket, target }),
            Err(e) => {
                tracing::warn!("cannot tell systemd how the show is: {e}");
                None
            }
        }
    }

    /// Sends one state message (`READY=1`, `WATCHDOG=1`, `STATUS=…`, several separated by newlines).
    pub fn notify(&self, state: &str) -> std::io::Result<()> {
        match self.target.strip_prefix('@') {
            Some(name) => self.send_abstract(name, state),
            None => self.socket.send_to(state.as_bytes(), &self.target).map(drop),
        }
    }

    #[cfg(target_os = "linux")]
    fn send_abstract(&self, name: &str, state: &str) -> std::io::Result<()> {
        use std::os::linux::net::SocketAddrExt;
        let address = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
        self.socket.send_to_addr(state.as_bytes(), &address).map(drop)
    }

    #[cfg(not(target_os = "linux"))]
    fn send_abstract(&self, _name: &str, _state: &str) -> std::io::Result<()> {
        Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "abstract sockets are Linux only"))
    }
}

/// How often to ping, and how old a heartbeat may be before the pings stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Watchdog {
    /// Half of systemd's `WatchdogSec`, as its documentation advises.
    pub ping_every: Duration,
    /// A stage or director heartbeat older than this is a hang.
    pub stale_after: Duration,
}

/// The director beats every 5 s even when nothing happens; three missed beats are a hang.
const DIRECTOR_QUIET: Duration = Duration::from_secs(15);

impl Watchdog {
    /// From `WATCHDOG_USEC` (and `WATCHDOG_PID`, when set, naming this process); `None` without a watchdog.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Option<Watchdog> {
        let usec: u64 = env("WATCHDOG_USEC")?.trim().parse().ok().filter(|&u| u > 0)?;
        if let Some(pid) = env("WATCHDOG_PID")
            && pid.trim().parse::<u32>().ok() != Some(std::process::id())
        {
            return None;
        }
        let period = Duration::from_micros(usec);
        Some(Watchdog { ping_every: period / 2, stale_after: period.max(DIRECTOR_QUIET) })
    }
}

/// Tells systemd the show is ready once the stage has drawn, then pings the watchdog while both heartbeats are
/// fresh, until `shutdown`; then says it is stopping. Without a watchdog it only says ready and stopping.
pub async fn run(notifier: Notifier, watchdog: Option<Watchdog>, metrics: Metrics, shutdown: CancellationToken) {
    let tick = watchdog.map_or(Duration::from_millis(200), |w| w.ping_every.min(Duration::from_millis(200)));
    let mut ready = false;
    let mut last_ping = tokio::time::Instant::now();
    let mut said_stale = false;
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(tick) => {}
        }
        let stage = metrics.stage_heartbeat_age_ms().map(Duration::from_millis);
        if !ready {
            if stage.is_none() {
                continue;
            }
            ready = true;
            send(&notifier, "READY=1\nSTATUS=on air");
            last_ping = tokio::time::Instant::now();
            continue;
        }
        let Some(watchdog) = watchdog else { continue };
        if last_ping.elapsed() < watchdog.ping_every {
            continue;
        }
        let director = metrics.director_age_ms().map(Duration::from_millis);
        let stale: Vec<String> = [("stage", stage), ("director", director)]
            .into_iter()
            .filter_map(|(part, age)| match age {
                Some(age) if age <= watchdog.stale_after => None,
                Some(age) => Some(format!("the {part} last showed life {:.0} s ago", age.as_secs_f64())),
                None => Some(format!("the {part} never showed life")),
            })
            .collect();
        if stale.is_empty() {
            send(&notifier, "WATCHDOG=1");
            last_ping = tokio::time::Instant::now();
            said_stale = false;
        } else if !said_stale {
            // No ping: systemd restarts the service when WatchdogSec passes without one.
            tracing::error!("not pinging systemd's watchdog: {}; the service will be restarted", stale.join(", "));
            send(&notifier, &format!("STATUS=hung: {}", stale.join(", ")));
            said_stale = true;
        }
    }
    send(&notifier, "STOPPING=1");
}

fn send(notifier: &Notifier, state: &str) {
    if let Err(e) = notifier.notify(state) {
        tracing::warn!(target = %notifier.target, "cannot tell systemd {state:?}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_watchdog_is_read_from_the_environment_for_this_process_only() {
        let me = std::process::id().to_string();
        let w = Watchdog::from_env(&env_of(&[("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", &me)])).unwrap();
        assert_eq!(w, Watchdog { ping_every: Duration::from_secs(15), stale_after: Duration::from_secs(30) });
        let short = Watchdog::from_env(&env_of(&[("WATCHDOG_USEC", "1000000")])).unwrap();
        assert_eq!(short.stale_after, DIRECTOR_QUIET, "never stricter than the director's own beat");
        assert_eq!(Watchdog::from_env(&env_of(&[("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", "1")])), None);
        assert_eq!(Watchdog::from_env(&env_of(&[("WATCHDOG_USEC", "soon")])), None);
        assert_eq!(Watchdog::from_env(&env_of(&[])), None);
        assert!(Notifier::from_env(&env_of(&[])).is_none());
    }

    fn receive_all(socket: &UnixDatagram) -> Vec<String> {
        let mut got = Vec::new();
        let mut buf = [0u8; 512];
        while let Ok(n) = socket.recv(&mut buf) {
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        got
    }

    #[tokio::test]
    async fn ready_once_the_stage_draws_pings_while_alive_and_silence_when_the_stage_hangs() {
        let path = std::env::temp_dir().join(format!("shopcast-notify-{}.sock", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let systemd = UnixDatagram::bind(&path).unwrap();
        systemd.set_nonblocking(true).unwrap();
        let notifier = Notifier::from_env(&env_of(&[("NOTIFY_SOCKET", path.to_str().unwrap())])).unwrap();
        let watchdog = Watchdog { ping_every: Duration::from_millis(100), stale_after: Duration::from_millis(400) };
        let metrics = Metrics::new();
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(run(notifier, Some(watchdog), metrics.clone(), shutdown.clone()));

        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receive_all(&systemd), Vec::<String>::new(), "nothing before the stage draws");
        // Alive: both parts beat.
        for _ in 0..10 {
            metrics.stage_heartbeat();
            metrics.director_heartbeat();
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
        let alive = receive_all(&systemd);
        assert_eq!(alive.first().map(String::as_str), Some("READY=1\nSTATUS=on air"), "{alive:?}");
        assert!(alive.iter().filter(|m| *m == "WATCHDOG=1").count() >= 2, "{alive:?}");

        // The stage hangs; the director goes on. The pings stop once the stage's beat is stale.
        for _ in 0..15 {
            metrics.director_heartbeat();
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
        let hung = receive_all(&systemd);
        let stale_at = hung.iter().position(|m| m.starts_with("STATUS=hung: the stage last showed life"));
        let stale_at = stale_at.unwrap_or_else(|| panic!("{hung:?}"));
        assert!(hung[stale_at + 1..].iter().all(|m| m != "WATCHDOG=1"), "{hung:?}");

        shutdown.cancel();
        task.await.unwrap();
        assert_eq!(receive_all(&systemd), vec!["STOPPING=1".to_string()]);
        let _ = std::fs::remove_file(&path);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_abstract_socket_is_reached_by_its_at_name() {
        use std::os::linux::net::SocketAddrExt;
        let name = format!("shopcast-notify-test-{}", std::process::id());
        let address = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let systemd = UnixDatagram::bind_addr(&address).unwrap();
        let notifier = Notifier::from_env(&env_of(&[("NOTIFY_SOCKET", &format!("@{name}"))])).unwrap();
        notifier.notify("READY=1").unwrap();
        let mut buf = [0u8; 64];
        let n = systemd.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1");
    }
}
