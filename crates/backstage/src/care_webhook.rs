//! The care webhook (`[care] webhook` in show.toml): when a viewer needs a person (a crisis, a medical emergency,
//! a child, money harm, a scam, someone who cannot follow the show), the moderators' group chat hears it at once,
//! even with nobody watching the console. The message is a JSON POST in the shape of the group robots operators
//! already use, chosen by the webhook's address: WeCom and DingTalk (`{"msgtype": "text", "text": {"content"}}`),
//! Feishu/Lark (`{"msg_type": "text", "content": {"text"}}`), Slack and anything else (`{"text"}`, plus the fields
//! as data). It names the category, the platform and the viewer, never the viewer's words (they stay on the
//! moderators' console). Failed posts are retried with back-off; a shutdown stops the task.

use crate::backoff::Backoff;
use model::{CareKind, ConsoleEvent};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// How many times one care event is posted before the task gives up on it (and logs that it did).
const ATTEMPTS: u32 = 6;

/// The group robot a webhook address belongs to, which decides the body's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Robot {
    WeComOrDingTalk,
    Feishu,
    Generic,
}

impl Robot {
    pub fn for_url(url: &str) -> Robot {
        let host = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or("");
        if host.ends_with("qyapi.weixin.qq.com") || host.ends_with("oapi.dingtalk.com") {
            Robot::WeComOrDingTalk
        } else if host.ends_with("open.feishu.cn") || host.ends_with("open.larksuite.com") {
            Robot::Feishu
        } else {
            Robot::Generic
        }
    }
}

/// The words the group reads: what happened, where, and what to do; not the viewer's own words.
pub fn message(kind: CareKind, platform: &str, user_name: &str) -> String {
    let what = match kind {
        CareKind::Crisis => "a viewer may be in crisis (suicide, self-harm or harm to others)",
        CareKind::Medical => "a viewer reports a medical emergency",
        CareKind::Scam => "a viewer reports someone posing as the shop and asking for money or codes",
        CareKind::Minor => "a viewer seems to be a child trying to buy",
        CareKind::Money => "a viewer says they are spending money they do not have",
        CareKind::Access => "a viewer cannot follow the show and needs help",
    };
    format!("shopcast care ({kind}): {what}. Viewer {user_name} on {platform}. Claim it on the console now.")
}

/// The JSON body for `robot`.
pub fn body(robot: Robot, kind: CareKind, platform: &str, user_name: &str) -> Value {
    let text = message(kind, platform, user_name);
    match robot {
        Robot::WeComOrDingTalk => json!({ "msgtype": "text", "text": { "content": text } }),
        Robot::Feishu => json!({ "msg_type": "text", "content": { "text": text } }),
        Robot::Generic => json!({ "text": text, "category": kind.code(), "platform": platform, "viewer": user_name }),
    }
}

/// Posts every care escalation on `events` to `url` until `shutdown`. One event's retries do not hold up the
/// next: each is posted by its own task.
pub async fn run(url: String, mut events: broadcast::Receiver<ConsoleEvent>, shutdown: CancellationToken) {
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
        Ok(client) => client,
        Err(e) => return tracing::warn!("the care webhook is off: no HTTP client ({e})"),
    };
    let robot = Robot::for_url(&url);
    loop {
        let event = tokio::select! {
            _ = shutdown.cancelled() => return,
            event = events.recv() => event,
        };
        let (kind, platform, user_name) = match event {
            Ok(ConsoleEvent::Escalated { comment, care: Some(kind), .. }) => {
                (kind, comment.platform.code().to_string(), comment.user_name)
            }
            Ok(_) => continue,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!("the care webhook missed {n} console events; check the console for care escalations");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let body = body(robot, kind, &platform, &user_name);
        let (client, url, shutdown) = (client.clone(), url.clone(), shutdown.clone());
        tokio::spawn(async move { post_with_retries(&client, &url, &body, &shutdown).await });
    }
}

async fn post_with_retries(client: &reqwest::Client, url: &str, body: &Value, shutdown: &CancellationToken) {
    let backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(30));
    for attempt in 0..ATTEMPTS {
        let outcome = client.post(url).json(body).send().await;
        let why = match outcome {
            Ok(response) if response.status().is_success() => return,
            Ok(response) => format!("it answered {}", response.status()),
            Err(e) => e.to_string(),
        };
        tracing::warn!("the care webhook post failed (attempt {} of {ATTEMPTS}): {why}", attempt + 1);
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(backoff.delay(attempt)) => {}
        }
    }
    tracing::error!("the care webhook gave up on a care event after {ATTEMPTS} attempts; the console still has it");
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Json;
    use axum::extract::State;
    use axum::http::StatusCode;
    use model::{Comment, CommentFlags, CommentId, Intent, Platform, UnixMs};
    use std::sync::{Arc, Mutex};

    #[test]
    fn the_body_takes_the_shape_of_the_group_robot() {
        let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x";
        assert_eq!(Robot::for_url(wecom), Robot::WeComOrDingTalk);
        assert_eq!(Robot::for_url("https://oapi.dingtalk.com/robot/send?access_token=x"), Robot::WeComOrDingTalk);
        assert_eq!(Robot::for_url("https://open.feishu.cn/open-apis/bot/v2/hook/x"), Robot::Feishu);
        assert_eq!(Robot::for_url("https://hooks.slack.com/services/x"), Robot::Generic);
        let b = body(Robot::WeComOrDingTalk, CareKind::Crisis, "twitch", "rowan");
        assert_eq!(b["msgtype"], "text");
        assert!(b["text"]["content"].as_str().unwrap().contains("crisis"));
        let b = body(Robot::Feishu, CareKind::Minor, "douyin", "小明");
        assert!(b["content"]["text"].as_str().unwrap().contains("小明"));
        let b = body(Robot::Generic, CareKind::Scam, "youtube", "ann");
        assert_eq!(b["category"], "scam");
    }

    /// A real HTTP peer that fails the first post: the care event arrives on the retry, with no viewer's words, and
    /// ordinary escalations are not posted at all.
    #[tokio::test]
    async fn care_escalations_are_posted_and_retried() {
        type Seen = Arc<Mutex<(u32, Vec<Value>)>>;
        async fn hook(State(seen): State<Seen>, Json(body): Json<Value>) -> StatusCode {
            let mut seen = seen.lock().unwrap();
            seen.0 += 1;
            if seen.0 == 1 {
                return StatusCode::INTERNAL_SERVER_ERROR;
            }
            seen.1.push(body);
            StatusCode::OK
        }
        let seen: Seen = Arc::new(Mutex::new((0, Vec::new())));
        let app = axum::Router::new().route("/hook", axum::routing::post(hook)).with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let (tx, rx) = broadcast::channel(16);
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(run(format!("http://{addr}/hook"), rx, shutdown.clone()));
        let comment = |id: &str, text: &str| Comment {
            platform: Platform::Twitch,
            id: CommentId(id.into()),
            user_id: format!("u-{id}"),
            user_name: "rowan".into(),
            text: text.into(),
            time: UnixMs(0),
            paid: None,
            flags: CommentFlags::default(),
        };
        tx.send(ConsoleEvent::Escalated {
            comment: comment("c1", "my order is late"),
            intent: Intent::ComplaintOrRefund,
            reason: None,
            care: None,
        })
        .unwrap();
        tx.send(ConsoleEvent::Escalated {
            comment: comment("c2", "i want to end it tonight"),
            intent: Intent::Other,
            reason: Some("care: crisis".into()),
            care: Some(CareKind::Crisis),
        })
        .unwrap();
        let started = std::time::Instant::now();
        while seen.lock().unwrap().1.is_empty() && started.elapsed() < Duration::from_secs(10) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (attempts, bodies) = seen.lock().unwrap().clone();
        assert_eq!(attempts, 2, "the first post failed and was retried");
        assert_eq!(bodies.len(), 1, "only the care escalation is posted: {bodies:?}");
        let text = bodies[0]["text"].as_str().unwrap();
        assert!(text.contains("crisis") && text.contains("rowan") && text.contains("twitch"), "{text}");
        assert!(!text.contains("end it tonight"), "the viewer's words stay on the console: {text}");
        shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(5), task).await.expect("the task stops on shutdown").unwrap();
    }
}
