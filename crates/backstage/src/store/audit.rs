//! The audit writer: every aired line, escalation and catalog load from the console broadcast goes to the store
//! actor, off the show's path, so a slow disk never delays a line.

use super::StoreHandle;
use super::chat_minutes::{ChatCounter, ChatMinute};
use crate::clock::wall_now;
use model::{AiredLine, ConsoleEvent, GuardAction, LineSource, Product};
use std::sync::Arc;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use tokio_util::sync::CancellationToken;

/// Where this show's lines come from: written once when the show starts (with the products as they were) and
/// stamped on every aired line, so the record says which build, prompts, model and server wrote each line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Provenance {
    /// The show's id, the same the stream's AI marking carries.
    pub show_id: String,
    /// `shopcast/<version>`.
    pub producer: String,
    /// The LLM behind the writer, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelProvenance>,
    /// The voice (`espeak-ng`, the speech server's model, or silent captions).
    pub voice: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModelProvenance {
    pub name: String,
    /// The server's address, without credentials or query.
    pub server: String,
    /// [`director::prompt::prompt_version`] for the show's persona.
    pub prompt_version: String,
}

impl ModelProvenance {
    pub fn new(name: &str, server: &str, prompt_version: String) -> ModelProvenance {
        ModelProvenance { name: name.to_string(), server: without_credentials(server), prompt_version }
    }
}

/// An address as it may be written down: `https://user:key@host/v1?key=x` is `https://host/v1`.
pub fn without_credentials(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or("");
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
            let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
            if path.is_empty() { format!("{scheme}://{host}") } else { format!("{scheme}://{host}/{path}") }
        }
        None => url.rsplit_once('@').map_or(url, |(_, host)| host).to_string(),
    }
}

/// What the audit log keeps beside each aired line: the show, who or what wrote it, and what the guard did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineProvenance {
    pub show_id: String,
    pub producer: String,
    /// `llm`, `template` or `moderator`.
    pub written_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelProvenance>,
    /// `pass` when every sentence aired as written; otherwise how many the guard repaired, replaced or dropped
    /// (the line's guard notes say which rule and what was written).
    pub guard: String,
    /// The account behind the line: `shopcast` for the host's own lines, the console's shared token for a
    /// moderator's words (the only moderator credential there is today).
    pub account: String,
    pub voice: String,
}

impl LineProvenance {
    pub fn of(show: &Provenance, line: &AiredLine) -> LineProvenance {
        let count = |action: GuardAction| line.guard.iter().filter(|n| n.action == action).count();
        let guard = if line.guard.is_empty() {
            "pass".to_string()
        } else {
            let parts: Vec<String> = [
                (GuardAction::Repaired, "repaired"),
                (GuardAction::Replaced, "replaced"),
                (GuardAction::Dropped, "dropped"),
            ]
            .into_iter()
            .filter(|(action, _)| count(*action) > 0)
            .map(|(action, name)| format!("{} {name}", count(action)))
            .collect();
            parts.join(", ")
        };
        let written_by = match line.source {
            LineSource::Llm => "llm",
            LineSource::Template => "template",
            LineSource::Moderator => "moderator",
        };
        // On whose authority it aired: the console account that wrote, edited or approved it, else the host itself.
        // (A moderator's line from before accounts were recorded was the shared token's.)
        let account = match (&line.by, line.source) {
            (Some(by), _) => by.as_str(),
            (None, LineSource::Moderator) => crate::console::accounts::SHARED_ACCOUNT,
            (None, _) => "shopcast",
        };
        LineProvenance {
            show_id: show.show_id.clone(),
            producer: show.producer.clone(),
            written_by: written_by.into(),
            model: show.model.clone().filter(|_| line.source == LineSource::Llm),
            guard,
            account: account.into(),
            voice: show.voice.clone(),
        }
    }
}

/// Writes each aired line to the audit log before the stage plays it, so that no line is heard without its
/// record, even when the process is killed the moment after. The show loop waits for the store's answer at most
/// `wait`: a stuck disk must not silence the show, so past that the line airs anyway and its record follows from
/// the broadcast as before (logged).
#[derive(Clone)]
pub struct WriteAhead {
    store: StoreHandle,
    show: Arc<Provenance>,
    wait: std::time::Duration,
}

impl WriteAhead {
    /// How long the show waits for the record of a line before airing it anyway.
    pub const WAIT: std::time::Duration = std::time::Duration::from_millis(250);

    pub fn new(store: StoreHandle, show: Arc<Provenance>) -> WriteAhead {
        WriteAhead { store, show, wait: WriteAhead::WAIT }
    }

    /// Records `line`; true when the store confirmed it within the wait.
    pub async fn line(&self, line: &AiredLine) -> bool {
        let (line, show, now) = (line.clone(), self.show.clone(), wall_now());
        let id = line.line;
        let call = self.store.call(move |s| s.record_line_ahead(&line, now, &show));
        match tokio::time::timeout(self.wait, call).await {
            Ok(Ok(())) => true,
            Ok(Err(e)) => {
                tracing::warn!("{id} airs before its audit record: the audit log refused it ({e})");
                false
            }
            Err(_) => {
                tracing::warn!("{id} airs before its audit record: the audit log took over {:?}", self.wait);
                false
            }
        }
    }
}

/// Writes `events` to the store until `shutdown` is cancelled, then writes what is already queued and returns.
/// Cancel it after the show's task has ended, so its last lines are in the queue. Retention is enforced first,
/// then the show's start is recorded: its provenance and the products it starts with.
pub async fn run(
    mut events: broadcast::Receiver<ConsoleEvent>,
    store: StoreHandle,
    show: Arc<Provenance>,
    products: Vec<Product>,
    shutdown: CancellationToken,
) {
    match store.call(|s| s.purge(wall_now())).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("audit log: {n} row(s) past retention removed"),
        Err(e) => tracing::warn!("audit log: retention purge failed: {e}"),
    }
    {
        let show = show.clone();
        let now = wall_now();
        store.submit("audit log: the show's start", move |s| s.record_show_started(&show, &products, now)).await;
    }
    // The chat is kept in numbers, a minute at a time (never its words): `shopcast report` reads them.
    let mut chat = ChatCounter::default();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let event = tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tick.tick() => {
                if let Some(minute) = chat.due(wall_now()) {
                    write_minute(&store, minute).await;
                }
                continue;
            }
            event = events.recv() => event,
        };
        match event {
            Ok(event) => write(&store, &show, &mut chat, event).await,
            Err(RecvError::Lagged(n)) => tracing::error!("audit log fell behind and missed {n} event(s)"),
            Err(RecvError::Closed) => break,
        }
    }
    loop {
        match events.try_recv() {
            Ok(event) => write(&store, &show, &mut chat, event).await,
            Err(TryRecvError::Lagged(n)) => tracing::error!("audit log fell behind and missed {n} event(s)"),
            Err(TryRecvError::Empty | TryRecvError::Closed) => break,
        }
    }
    if let Some(minute) = chat.finish() {
        write_minute(&store, minute).await;
    }
}

async fn write(store: &StoreHandle, show: &Arc<Provenance>, chat: &mut ChatCounter, event: ConsoleEvent) {
    let now = wall_now();
    if let ConsoleEvent::CommentTriaged { comment, label } = &event {
        if let Some(minute) = chat.count(comment, label, now) {
            write_minute(store, minute).await;
        }
        return;
    }
    let show = show.clone();
    store.submit("audit log write failed", move |s| s.record_from(&event, now, Some(&show))).await;
}

async fn write_minute(store: &StoreHandle, minute: ChatMinute) {
    store.submit("audit log: a minute of chat", move |s| s.record_chat_minute(&minute)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use model::{AiredLine, Lang, LineId, LineKind, LineSource, UnixMs};

    fn aired(id: u64) -> ConsoleEvent {
        ConsoleEvent::LineAired(line(id, LineSource::Template, Vec::new()))
    }

    fn line(id: u64, source: LineSource, guard: Vec<model::GuardNote>) -> AiredLine {
        AiredLine {
            line: LineId(id),
            t_ms: 0,
            kind: LineKind::Disclosure,
            product: None,
            text: format!("line {id}"),
            lang: Lang::En,
            source,
            duration_ms: 1000,
            note: None,
            fallbacks: Vec::new(),
            trigger: None,
            guard,
            wall: UnixMs(wall_now().0 + id as i64),
            by: None,
            asked_by: 0,
        }
    }

    fn show() -> Provenance {
        Provenance {
            show_id: "show-test".into(),
            producer: "shopcast/0.0.0".into(),
            model: Some(ModelProvenance::new("smollm2", "http://user:secret@127.0.0.1:8080/v1?key=k", "abc".into())),
            voice: "espeak-ng (en-us, cmn)".into(),
        }
    }

    #[test]
    fn addresses_lose_their_credentials_before_they_are_written_down() {
        assert_eq!(without_credentials("http://user:secret@127.0.0.1:8080/v1?key=k"), "http://127.0.0.1:8080/v1");
        assert_eq!(without_credentials("https://api.deepseek.com"), "https://api.deepseek.com");
        assert_eq!(without_credentials("https://a@b.example/v1#frag"), "https://b.example/v1");
        assert_eq!(without_credentials("key@localhost:11434"), "localhost:11434");
    }

    #[test]
    fn each_line_says_who_wrote_it_with_which_model_and_what_the_guard_did() {
        let show = show();
        let llm = LineProvenance::of(&show, &line(1, LineSource::Llm, Vec::new()));
        assert_eq!((llm.written_by.as_str(), llm.guard.as_str(), llm.account.as_str()), ("llm", "pass", "shopcast"));
        let model = llm.model.expect("an LLM line names its model");
        assert_eq!((model.name.as_str(), model.server.as_str()), ("smollm2", "http://127.0.0.1:8080/v1"));
        let note = |action| model::GuardNote {
            rule: model::GuardRule::UnbackedPrice,
            action,
            original: "only ¥9 today".into(),
        };
        let guarded = vec![note(GuardAction::Dropped), note(GuardAction::Repaired), note(GuardAction::Dropped)];
        let template = LineProvenance::of(&show, &line(2, LineSource::Template, guarded));
        assert_eq!(template.written_by, "template");
        assert!(template.model.is_none(), "a template line names no model");
        assert_eq!(template.guard, "1 repaired, 2 dropped");
        let legacy = LineProvenance::of(&show, &line(3, LineSource::Moderator, Vec::new()));
        assert_eq!(legacy.account, "console token (shared)", "a moderator's line from before accounts");
        assert_eq!(legacy.show_id, "show-test");
        let said =
            LineProvenance::of(&show, &AiredLine { by: Some("lin".into()), ..line(4, LineSource::Moderator, vec![]) });
        assert_eq!((said.written_by.as_str(), said.account.as_str()), ("moderator", "lin"));
        let approved =
            LineProvenance::of(&show, &AiredLine { by: Some("wei".into()), ..line(5, LineSource::Llm, vec![]) });
        assert_eq!((approved.written_by.as_str(), approved.account.as_str()), ("llm", "wei"));
        assert!(approved.model.is_some(), "an approved LLM line still names its model");
    }

    /// Lines sent before the shutdown are all written, including those still in the broadcast when it came.
    #[tokio::test]
    async fn every_line_sent_before_the_shutdown_is_written() {
        let dir = std::env::temp_dir().join(format!("shopcast-audit-task-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("audit.db");
        let (store, thread) = StoreHandle::spawn(Store::open(&path, 30).unwrap()).unwrap();
        let (console, events) = broadcast::channel(64);
        let shutdown = CancellationToken::new();
        for id in 0..10 {
            console.send(aired(id)).unwrap();
        }
        shutdown.cancel();
        let products = director::adversary::sample_products();
        run(events, store.clone(), Arc::new(show()), products.clone(), shutdown).await;
        drop(store);
        thread.finish();
        let store = Store::open(&path, 30).unwrap();
        assert_eq!(store.line_count().unwrap(), 10);
        // The show's start is recorded first, with the products it started with; every line carries its
        // provenance; the chain holds.
        let shows = store.shows().unwrap();
        assert_eq!(shows.len(), 1);
        assert_eq!((shows[0].show_id.as_str(), shows[0].lines), ("show-test", 10));
        let rows = store.rows_between(shows[0].first_seq, shows[0].last_seq).unwrap();
        assert_eq!(rows[0].kind, "show_started");
        assert_eq!(rows[0].row["products"][0]["id"], serde_json::json!(products[0].id.0));
        assert!(rows[1..].iter().all(|r| r.kind == "line" && r.provenance.as_ref().unwrap()["show_id"] == "show-test"));
        assert!(store.verify_chain().unwrap().holds());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
