//! The `[obs]` table of show.toml: where OBS is, and which OBS scene or source goes with which moment of the show.

use super::link::LinkOptions;
use crate::tomlfile::Source;
use model::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const DEFAULT_URL: &str = "ws://127.0.0.1:4455";

/// OBS settings as written in show.toml. Every key is optional; with no scene keys shopcast only reports OBS's
/// health and runs the console's stream/record buttons.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObsConfig {
    /// obs-websocket's address: OBS > Tools > WebSocket Server Settings (port 4455 by default).
    #[serde(default = "default_url")]
    pub url: String,
    /// The server password. The lead fills it from SHOPCAST_OBS_PASSWORD, which wins over the file (secrets are
    /// better kept out of show files; a password in the file draws a warning).
    #[serde(default)]
    pub password: Option<String>,
    /// The scene to switch to while a product is pitched, by product id.
    #[serde(default)]
    pub scene_on_product: BTreeMap<String, String>,
    /// The scene for products without their own, and when nothing is pinned.
    #[serde(default)]
    pub default_scene: Option<String>,
    /// The scene while a human host has taken over.
    #[serde(default)]
    pub human_host_scene: Option<String>,
    /// The scene while nothing may be pitched (sold out, between offers).
    #[serde(default)]
    pub standby_scene: Option<String>,
    /// A source (in any scene) shown while that product is pitched and hidden otherwise, by product id.
    #[serde(default)]
    pub product_sources: BTreeMap<String, String>,
}

fn default_url() -> String {
    DEFAULT_URL.to_string()
}

impl Default for ObsConfig {
    fn default() -> ObsConfig {
        ObsConfig {
            url: default_url(),
            password: None,
            scene_on_product: BTreeMap::new(),
            default_scene: None,
            human_host_scene: None,
            standby_scene: None,
            product_sources: BTreeMap::new(),
        }
    }
}

impl ObsConfig {
    /// Every problem with the values, each naming its key and what to write instead.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.url.strip_prefix("ws://") {
            Some(rest) if valid_host_port(rest) => {}
            _ if self.url.starts_with("wss://") => out.push(format!(
                "[obs] `url` \"{}\": OBS's websocket server speaks plain ws:// only; use ws://host:port (default {DEFAULT_URL})",
                self.url
            )),
            _ => out.push(format!(
                "[obs] `url` \"{}\" is not an address like {DEFAULT_URL} (ws://, a host, a port from 1 to 65535)",
                self.url
            )),
        }
        for (key, value) in [
            ("default_scene", &self.default_scene),
            ("human_host_scene", &self.human_host_scene),
            ("standby_scene", &self.standby_scene),
        ] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                out.push(format!("[obs] `{key}` is empty: name an OBS scene, or delete the key"));
            }
        }
        for (table, map, what) in [
            ("scene_on_product", &self.scene_on_product, "scene"),
            ("product_sources", &self.product_sources, "source"),
        ] {
            for (product, name) in map {
                if product.trim().is_empty() {
                    out.push(format!("[obs] `{table}` has an empty product id: use the id from the product file"));
                }
                if name.trim().is_empty() {
                    out.push(format!("[obs] `{table}` \"{product}\" names no {what}: write the OBS {what} name"));
                }
            }
        }
        out
    }

    /// Product ids named in `scene_on_product` or `product_sources` that `known` does not recognise (typos the
    /// director could otherwise never act on).
    pub fn unknown_products(&self, known: impl Fn(&str) -> bool) -> Vec<String> {
        let mut ids: Vec<String> =
            self.scene_on_product.keys().chain(self.product_sources.keys()).filter(|id| !known(id)).cloned().collect();
        ids.sort();
        ids.dedup();
        ids
    }

    pub fn link_options(&self) -> LinkOptions {
        LinkOptions::new(self.url.clone(), self.password.clone())
    }

    /// Reads the `[obs]` table of a show file: `Ok(None)` when the file has none. Errors and warnings carry the
    /// file, line and column (of the `[obs]` table for problems with a value).
    pub fn from_show_toml(path: &str, text: &str) -> (Option<ObsConfig>, Vec<Diagnostic>) {
        #[derive(Deserialize)]
        struct ShowFile {
            obs: Option<toml::Spanned<ObsConfig>>,
        }
        let src = Source::new(path, text);
        let file: ShowFile = match toml::from_str(text) {
            Ok(file) => file,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().replace('\n', " ");
                let message =
                    if message.contains("unknown field") { format!("[obs] {message}") } else { message.to_string() };
                return (None, vec![src.error(&span, message)]);
            }
        };
        let Some(spanned) = file.obs else { return (None, Vec::new()) };
        let span = spanned.span();
        let config = spanned.into_inner();
        let mut diags: Vec<Diagnostic> = config.problems().into_iter().map(|p| src.error(&span, p)).collect();
        if config.password.is_some() {
            diags.push(src.warning(
                &span,
                "[obs] `password` is in the show file; prefer SHOPCAST_OBS_PASSWORD, which wins when both are set",
            ));
        }
        let ok = diags.iter().all(|d| !d.is_error());
        (ok.then_some(config), diags)
    }
}

fn valid_host_port(rest: &str) -> bool {
    let rest = rest.trim_end_matches('/');
    let Some((host, port)) = rest.rsplit_once(':') else { return false };
    !host.is_empty() && !host.contains('/') && port.parse::<u16>().is_ok_and(|p| p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_obs_table_reads_back_and_an_absent_one_is_none() {
        let text = r#"
[show]
language = "en"

[obs]
url = "ws://192.168.1.20:4455"
default_scene = "Host"
human_host_scene = "Camera"
standby_scene = "Be right back"
scene_on_product = { tea-set = "Tea table" }
product_sources = { tea-set = "Tea set close-up", "scarf-01" = "Scarf video" }
"#;
        let (config, diags) = ObsConfig::from_show_toml("show.toml", text);
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.expect("an [obs] table");
        assert_eq!(config.url, "ws://192.168.1.20:4455");
        assert_eq!(config.scene_on_product["tea-set"], "Tea table");
        assert_eq!(config.product_sources["scarf-01"], "Scarf video");
        assert_eq!(config.standby_scene.as_deref(), Some("Be right back"));
        assert_eq!(config.unknown_products(|id| id == "tea-set"), ["scarf-01"]);

        let (none, diags) = ObsConfig::from_show_toml("show.toml", "[show]\nlanguage = \"zh\"\n");
        assert_eq!((none, diags.len()), (None, 0));
        let (defaults, _) = ObsConfig::from_show_toml("show.toml", "[obs]\n");
        assert_eq!(defaults, Some(ObsConfig::default()));
    }

    #[test]
    fn bad_values_are_named_with_their_key_line_and_fix() {
        let text = "[show]\nlanguage = \"en\"\n\n[obs]\nurl = \"http://localhost:4455\"\ndefault_scene = \" \"\nproduct_sources = { tea = \"\" }\n";
        let (config, diags) = ObsConfig::from_show_toml("show.toml", text);
        assert!(config.is_none());
        let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(diags.len(), 3, "{shown:#?}");
        assert!(
            shown[0].starts_with("show.toml:4:1") && shown[0].contains("`url` \"http://localhost:4455\""),
            "{shown:#?}"
        );
        assert!(shown[1].contains("`default_scene` is empty"), "{shown:#?}");
        assert!(shown[2].contains("`product_sources` \"tea\" names no source"), "{shown:#?}");

        let (_, typo) = ObsConfig::from_show_toml("show.toml", "[obs]\ndefault_scen = \"Host\"\n");
        assert_eq!(typo.len(), 1);
        let typo = typo[0].to_string();
        assert!(typo.starts_with("show.toml:2:1") && typo.contains("unknown field `default_scen`"), "{typo}");

        let (_, tls) = ObsConfig::from_show_toml("show.toml", "[obs]\nurl = \"wss://obs:4455\"\n");
        assert!(tls[0].message.contains("plain ws:// only"), "{tls:?}");
        let (_, wrong_type) = ObsConfig::from_show_toml("show.toml", "[obs]\nscene_on_product = \"Tea\"\n");
        assert!(wrong_type[0].to_string().starts_with("show.toml:2:"), "{wrong_type:?}");

        let (config, secret) = ObsConfig::from_show_toml("show.toml", "[obs]\npassword = \"hunter2\"\n");
        assert!(config.is_some() && !secret[0].is_error() && secret[0].message.contains("SHOPCAST_OBS_PASSWORD"));
    }

    /// show.example.toml documents `[obs]` commented out; uncommented, it must read back as written.
    #[test]
    fn the_commented_example_in_show_example_toml_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../show.example.toml");
        let text = std::fs::read_to_string(path).expect("show.example.toml");
        let start = text.find("# [obs]").expect("show.example.toml has a commented [obs] example");
        let uncommented: String = text[start..]
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|l| l.starts_with("[obs]") || l.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')))
            .map(|l| format!("{l}\n"))
            .collect();
        let (config, diags) = ObsConfig::from_show_toml("show.example.toml", &uncommented);
        assert!(diags.is_empty(), "{diags:?}\n{uncommented}");
        let config = config.expect("an [obs] table");
        assert_eq!(config.url, DEFAULT_URL);
        assert_eq!(config.scene_on_product["celadon-tea-set"], "Tea table");
        assert_eq!(config.product_sources["celadon-tea-set"], "Tea close-up");
        assert!(config.default_scene.is_some() && config.human_host_scene.is_some() && config.standby_scene.is_some());
    }
}
