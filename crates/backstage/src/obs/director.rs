//! Follows the show in OBS: switches scenes and shows or hides product sources as the stage commands arrive, and
//! runs the console's stream and record buttons.
//!
//! What OBS should show is a function of the show's state ([`Wanted`]); the task remembers what it last applied
//! and sends only differences. After OBS comes back from a restart it applies everything again, so OBS catches up
//! without the show noticing it was gone.
//!
//! The operator stays free in between: a scene picked by hand in OBS stays until the show moves to a moment that
//! wants a different scene. (Following OBS's scene-change events instead would race with the transitions: the
//! event for one switch can arrive after the next switch was sent.)

use super::config::ObsConfig;
use super::error::ObsError;
use super::link::ObsLink;
use model::StageCommand;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, mpsc};

/// A console button for OBS's outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObsControl {
    StartStreaming,
    StopStreaming,
    StartRecording,
    StopRecording,
}

impl ObsControl {
    fn request_type(self) -> &'static str {
        match self {
            ObsControl::StartStreaming => "StartStream",
            ObsControl::StopStreaming => "StopStream",
            ObsControl::StartRecording => "StartRecord",
            ObsControl::StopRecording => "StopRecord",
        }
    }
}

/// What the director tells the console.
#[derive(Clone, Debug, PartialEq)]
pub enum ObsReport {
    /// The link came up or went down (map to `ConsoleEvent::SourceHealth { source: "obs", .. }`).
    Health { healthy: bool, detail: String },
    /// A console button's outcome: `Err` carries OBS's reason (e.g. "StartStream failed: OBS answered 500
    /// (OutputRunning)").
    Control { action: ObsControl, outcome: Result<(), String> },
    /// A scene switch or source toggle OBS refused, usually a name in `[obs]` that OBS does not have.
    ActionFailed { action: String, error: String },
}

/// The show's state as far as OBS cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    pub product: Option<String>,
    pub human_host: bool,
    pub standby: bool,
}

impl Wanted {
    /// Takes in one stage command; says whether it can change what OBS should show.
    pub fn apply(&mut self, command: &StageCommand) -> bool {
        let before = self.clone();
        match command {
            StageCommand::PinOffer(card) => self.product = Some(card.product.0.clone()),
            StageCommand::UnpinOffer => self.product = None,
            StageCommand::HumanHost { on } => self.human_host = *on,
            StageCommand::Standby { on } => self.standby = *on,
            _ => {}
        }
        *self != before
    }

    /// The scene OBS should be on: human host, then standby, then the product's own, then the default (each only
    /// when configured). `None` leaves OBS's scene to the operator.
    pub fn scene<'c>(&self, config: &'c ObsConfig) -> Option<&'c str> {
        let product_scene = self.product.as_ref().and_then(|p| config.scene_on_product.get(p));
        [
            config.human_host_scene.as_ref().filter(|_| self.human_host),
            config.standby_scene.as_ref().filter(|_| self.standby),
            product_scene,
            config.default_scene.as_ref(),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(String::as_str)
    }

    /// Each product source and whether it should be visible: only the pitched product's, and none on standby.
    pub fn sources(&self, config: &ObsConfig) -> BTreeMap<String, bool> {
        let mut out = BTreeMap::new();
        for (product, source) in &config.product_sources {
            let on = !self.standby && self.product.as_deref() == Some(product.as_str());
            *out.entry(source.clone()).or_insert(false) |= on;
        }
        out
    }
}

/// What was last applied in OBS (cleared on every new session, so a restarted OBS gets everything again).
#[derive(Default)]
struct Applied {
    scene: Option<String>,
    sources: BTreeMap<String, bool>,
}

/// Starts the link from `config` and follows the show until `commands` closes (the show ended). Never blocks the
/// show: stage commands are read from a broadcast channel, and reports are dropped when `reports` is full.
///
/// `commands`: the stage command broadcast (the same the stage reads). `control`: console buttons; closing it
/// only stops the buttons. `reports`: health, button outcomes and refused actions, for the console.
pub async fn run_director(
    config: ObsConfig,
    commands: broadcast::Receiver<StageCommand>,
    control: mpsc::Receiver<ObsControl>,
    reports: mpsc::Sender<ObsReport>,
) {
    let link = ObsLink::start(config.link_options());
    run_director_on(&link, &config, commands, control, reports).await;
}

/// [`run_director`] on a link the caller started (tests use short backoffs).
pub async fn run_director_on(
    link: &ObsLink,
    config: &ObsConfig,
    mut commands: broadcast::Receiver<StageCommand>,
    mut control: mpsc::Receiver<ObsControl>,
    reports: mpsc::Sender<ObsReport>,
) {
    let report = |r: ObsReport| {
        if let Err(e) = reports.try_send(r) {
            tracing::debug!("OBS report dropped: {e}");
        }
    };
    let mut health = link.health();
    let mut wanted = Wanted::default();
    let mut applied = Applied::default();
    let mut control_open = true;
    let first = health.borrow_and_update().clone();
    report(ObsReport::Health { healthy: first.healthy, detail: first.detail });
    if first.healthy {
        sync(link, config, &wanted, &mut applied, &report).await;
    }
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                Ok(command) => {
                    if wanted.apply(&command) {
                        sync(link, config, &wanted, &mut applied, &report).await;
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!("the OBS director fell {n} stage commands behind; OBS may lag until the next change");
                }
                Err(RecvError::Closed) => return,
            },
            action = control.recv(), if control_open => match action {
                Some(action) => {
                    let outcome = link.request(action.request_type(), Value::Null).await.map(|_| ()).map_err(|e| e.to_string());
                    if let Err(e) = &outcome {
                        tracing::warn!("{e}");
                    }
                    report(ObsReport::Control { action, outcome });
                }
                None => control_open = false,
            },
            changed = health.changed() => {
                if changed.is_err() {
                    return;
                }
                let h = health.borrow_and_update().clone();
                report(ObsReport::Health { healthy: h.healthy, detail: h.detail });
                if h.healthy {
                    applied = Applied::default();
                    sync(link, config, &wanted, &mut applied, &report).await;
                }
            },
        }
    }
}

/// Sends OBS what differs between `wanted` and `applied`. A request that fails because OBS is down is retried on
/// reconnect; one OBS refuses is reported once and not retried until the next session.
async fn sync(link: &ObsLink, config: &ObsConfig, wanted: &Wanted, applied: &mut Applied, report: &impl Fn(ObsReport)) {
    if let Some(scene) = wanted.scene(config)
        && applied.scene.as_deref() != Some(scene)
    {
        match link.request("SetCurrentProgramScene", json!({ "sceneName": scene })).await {
            Ok(_) => applied.scene = Some(scene.to_string()),
            Err(e) if e.is_retryable() => tracing::debug!("scene switch deferred: {e}"),
            Err(e) => {
                applied.scene = Some(scene.to_string());
                let hint = if e.status_code() == Some(600) { "; check the scene names in [obs]" } else { "" };
                report(ObsReport::ActionFailed {
                    action: format!("switch to scene \"{scene}\""),
                    error: format!("{e}{hint}"),
                });
            }
        }
    }
    for (source, on) in wanted.sources(config) {
        if applied.sources.get(&source) == Some(&on) {
            continue;
        }
        let action = format!("{} source \"{source}\"", if on { "show" } else { "hide" });
        match set_source_enabled(link, &source, on).await {
            Ok(0) => {
                applied.sources.insert(source.clone(), on);
                report(ObsReport::ActionFailed {
                    action,
                    error: format!("no OBS scene contains a source named \"{source}\"; check [obs] product_sources"),
                });
            }
            Ok(_) => {
                applied.sources.insert(source, on);
            }
            Err(e) if e.is_retryable() => tracing::debug!("{action} deferred: {e}"),
            Err(e) => {
                applied.sources.insert(source, on);
                report(ObsReport::ActionFailed { action, error: e.to_string() });
            }
        }
    }
}

/// Shows or hides `source` in every scene that contains it; returns how many scenes did.
pub async fn set_source_enabled(link: &ObsLink, source: &str, on: bool) -> Result<usize, ObsError> {
    let list = link.request("GetSceneList", Value::Null).await?;
    let scenes: Vec<String> = list["scenes"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["sceneName"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let mut count = 0;
    for scene in scenes {
        let item = match link.request("GetSceneItemId", json!({ "sceneName": scene, "sourceName": source })).await {
            Ok(item) => item,
            Err(e) if e.status_code() == Some(600) => continue,
            Err(e) => return Err(e),
        };
        let Some(id) = item["sceneItemId"].as_i64() else {
            return Err(ObsError::Protocol(format!("GetSceneItemId answered without a sceneItemId: {item}")));
        };
        link.request("SetSceneItemEnabled", json!({ "sceneName": scene, "sceneItemId": id, "sceneItemEnabled": on }))
            .await?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use model::{OfferCard, ProductId};

    pub(crate) fn pin(product: &str) -> StageCommand {
        StageCommand::PinOffer(OfferCard {
            product: ProductId(product.into()),
            title: "Tea set".into(),
            price: "¥199.00".into(),
            compare_at: None,
            discount: None,
            stock: None,
            stock_level: None,
            image: None,
            url: None,
            ends_in_ms: None,
            lang: model::Lang::En,
        })
    }

    #[test]
    fn the_scene_follows_human_host_then_standby_then_product_then_default() {
        let config = ObsConfig {
            scene_on_product: [("tea".to_string(), "Tea table".to_string())].into(),
            default_scene: Some("Host".into()),
            human_host_scene: Some("Camera".into()),
            standby_scene: Some("BRB".into()),
            product_sources: [("tea".to_string(), "Tea close-up".to_string()), ("mug".to_string(), "Mug".to_string())]
                .into(),
            ..ObsConfig::default()
        };
        let mut wanted = Wanted::default();
        assert_eq!(wanted.scene(&config), Some("Host"));
        assert!(wanted.apply(&pin("tea")));
        assert_eq!(wanted.scene(&config), Some("Tea table"));
        assert_eq!(wanted.sources(&config), [("Mug".into(), false), ("Tea close-up".into(), true)].into());
        assert!(!wanted.apply(&pin("tea")), "the same product again changes nothing");
        assert!(!wanted.apply(&StageCommand::ClearComment));
        wanted.apply(&StageCommand::Standby { on: true });
        assert_eq!(wanted.scene(&config), Some("BRB"));
        assert!(wanted.sources(&config).values().all(|on| !on), "nothing is pitched on standby");
        wanted.apply(&StageCommand::HumanHost { on: true });
        assert_eq!(wanted.scene(&config), Some("Camera"));
        wanted.apply(&StageCommand::HumanHost { on: false });
        wanted.apply(&StageCommand::Standby { on: false });
        wanted.apply(&pin("mug"));
        assert_eq!(wanted.scene(&config), Some("Host"), "a product without its own scene gets the default");
        wanted.apply(&StageCommand::UnpinOffer);
        assert!(wanted.sources(&config).values().all(|on| !on));
        assert_eq!(Wanted::default().scene(&ObsConfig::default()), None, "no scene keys: OBS is left alone");
    }
}
