//! Scene layouts: where the avatar, offer card, captions and label sit, and in which colours.
//!
//! Positions are fractions of the frame (0.0 to 1.0 from the top-left), so one scene works at any output size.

use serde::{Deserialize, Serialize};

/// A colour with alpha, 0 to 255 per channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba([r, g, b, 255])
    }

    /// Reads `#rrggbb` or `#rrggbbaa`.
    pub fn parse_hex(text: &str) -> Option<Rgba> {
        let hex = text.trim().strip_prefix('#')?;
        if !(hex.len() == 6 || hex.len() == 8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        let alpha = if hex.len() == 8 { byte(6)? } else { 255 };
        Some(Rgba([byte(0)?, byte(2)?, byte(4)?, alpha]))
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(self.0[0]) + 0.7152 * channel(self.0[1]) + 0.0722 * channel(self.0[2])
    }

    /// This colour drawn over `below` (taken as opaque): what the eye sees, opaque. Blended per channel as stored,
    /// which is close enough to judge contrast.
    pub fn over(self, below: Rgba) -> Rgba {
        let a = self.0[3] as u32;
        let mix = |i: usize| ((self.0[i] as u32 * a + below.0[i] as u32 * (255 - a) + 127) / 255) as u8;
        Rgba([mix(0), mix(1), mix(2), 255])
    }

    pub fn is_opaque(self) -> bool {
        self.0[3] == 255
    }

    /// WCAG 2 contrast ratio between two opaque colours (1.0 to 21.0).
    pub fn contrast_with(self, other: Rgba) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

/// A rectangle in frame fractions: `x`, `y` of the top-left corner and `w`, `h`, each 0.0 to 1.0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn is_within_frame(&self) -> bool {
        let ok = |v: f32| v.is_finite() && (0.0..=1.0).contains(&v);
        ok(self.x) && ok(self.y) && ok(self.w) && ok(self.h) && self.x + self.w <= 1.0001 && self.y + self.h <= 1.0001
    }

    /// Whether the two rectangles share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// What fills the frame behind everything.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Background {
    /// A solid studio colour.
    Colour { colour: Rgba },
    /// A pure key colour for OBS's chroma-key filter: green unless the scene picks blue or magenta (a green
    /// product would be keyed out with a green background; `shopcast check` says which key the pictures allow).
    Chroma {
        #[serde(default)]
        key: ChromaKey,
    },
    /// A transparent window (needs a compositor to capture).
    Transparent,
}

impl Background {
    /// The key colour OBS's default green chroma key removes cleanly.
    pub const CHROMA_GREEN: Rgba = Rgba::rgb(0, 255, 0);
}

/// The key colours OBS's chroma-key filter offers by name (its "Key Color Type": Green, Blue, Magenta).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChromaKey {
    #[default]
    Green,
    Blue,
    Magenta,
}

impl ChromaKey {
    pub const ALL: [ChromaKey; 3] = [ChromaKey::Green, ChromaKey::Blue, ChromaKey::Magenta];

    /// The pure colour the frame is cleared to.
    pub fn colour(self) -> Rgba {
        match self {
            ChromaKey::Green => Background::CHROMA_GREEN,
            ChromaKey::Blue => Rgba::rgb(0, 0, 255),
            ChromaKey::Magenta => Rgba::rgb(255, 0, 255),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ChromaKey::Green => "green",
            ChromaKey::Blue => "blue",
            ChromaKey::Magenta => "magenta",
        }
    }

    pub fn parse(s: &str) -> Option<ChromaKey> {
        ChromaKey::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// The colours of every overlay; each text colour is checked for contrast against its panel.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub panel: Rgba,
    pub text: Rgba,
    pub accent: Rgba,
    pub caption_panel: Rgba,
    pub caption_text: Rgba,
    pub label_panel: Rgba,
    pub label_text: Rgba,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            panel: Rgba::rgb(255, 255, 255),
            text: Rgba::rgb(20, 24, 33),
            accent: Rgba::rgb(196, 30, 58),
            caption_panel: Rgba::rgb(12, 12, 16),
            caption_text: Rgba::rgb(255, 255, 255),
            label_panel: Rgba::rgb(255, 214, 0),
            label_text: Rgba::rgb(0, 0, 0),
        }
    }
}

/// Where each element sits, in frame fractions.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SceneLayout {
    pub avatar: Rect,
    pub offer_card: Rect,
    pub captions: Rect,
    pub label: Rect,
    /// The comment being answered.
    pub comment: Rect,
    /// The strip of newest viewer comments (the ticker).
    #[serde(default = "SceneLayout::default_ticker")]
    pub ticker: Rect,
}

impl SceneLayout {
    /// Where the ticker sits when a scene does not say: top centre, between the label and the offer card.
    pub const fn default_ticker() -> Rect {
        Rect { x: 0.25, y: 0.01, w: 0.28, h: 0.08 }
    }
}

/// Who is on stage: the host drawn by code, or a folder of layered PNGs (PNGTuber style).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AvatarKind {
    /// The built-in host drawn from 2D meshes.
    #[default]
    Drawn,
    /// Same-sized PNG layers stacked in a folder (already resolved against the scene file's folder); see
    /// [`LAYER_FILES`] and [`Viseme::layer_file`](crate::Viseme::layer_file).
    Layered { folder: std::path::PathBuf },
    /// A VRM 1.0 or 0.x model file (already resolved against the scene file's folder), read and checked by the
    /// `vrm` crate; see the README, "VRM host".
    Vrm {
        path: std::path::PathBuf,
        /// A VRM animation clip (`.vrma`) looped as the host's idle motion, resolved like `path`.
        #[serde(default)]
        idle: Option<std::path::PathBuf>,
    },
}

/// The layers every layered avatar folder must have besides one mouth per viseme, bottom to top.
pub const LAYER_FILES: [&str; 3] = ["body.png", "eyes_open.png", "eyes_closed.png"];

/// The largest width or height a layered avatar's layers may have: ample for any stream (a 4K frame's avatar is
/// under 2,200 px high), within every GPU's texture limit, and about 1 GB of decoded layers at most.
pub const MAX_LAYER_SIDE: u32 = 4096;

/// A validated scene: what `shopcast render` and the window draw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    pub name: String,
    /// The output size this scene was designed for; `--size` may override it.
    pub width: u32,
    pub height: u32,
    pub background: Background,
    pub theme: Theme,
    pub layout: SceneLayout,
    /// Caption text height as a fraction of the frame height (accessibility floor: 0.04).
    pub caption_size: f32,
    /// Font families tried in order for every text (system fonts, by family name).
    pub fonts: Vec<String>,
    /// The host's look.
    #[serde(default)]
    pub avatar: AvatarKind,
}

impl Scene {
    /// The minimum caption height the product promises (4% of the frame height).
    pub const MIN_CAPTION_SIZE: f32 = 0.04;

    /// Where the drawn host's head is, in frame fractions: the stage draws the host in units of its rectangle's
    /// height, centred in the rectangle, its hair and face from 0.10 to 0.54 of that height from the top and 0.2 of
    /// it either side of the middle. No overlay may cover it (`check` refuses a layout that does).
    pub fn face(&self) -> Rect {
        let a = self.layout.avatar;
        let half_w = 0.2 * a.h * self.height as f32 / (self.width.max(1) as f32);
        Rect { x: a.x + a.w / 2.0 - half_w, y: a.y + 0.10 * a.h, w: 2.0 * half_w, h: 0.44 * a.h }
    }

    /// The built-in 1280x720 studio scene used when no scene file is given.
    pub fn studio() -> Scene {
        Scene {
            name: "studio".into(),
            width: 1280,
            height: 720,
            background: Background::Colour { colour: Rgba::rgb(46, 58, 89) },
            theme: Theme::default(),
            layout: SceneLayout {
                avatar: Rect { x: 0.04, y: 0.10, w: 0.42, h: 0.72 },
                offer_card: Rect { x: 0.54, y: 0.10, w: 0.42, h: 0.58 },
                captions: Rect { x: 0.05, y: 0.80, w: 0.90, h: 0.17 },
                label: Rect { x: 0.02, y: 0.02, w: 0.21, h: 0.06 },
                comment: Rect { x: 0.54, y: 0.70, w: 0.42, h: 0.08 },
                ticker: SceneLayout::default_ticker(),
            },
            caption_size: 0.05,
            fonts: vec!["Noto Sans CJK SC".into()],
            avatar: AvatarKind::Drawn,
        }
    }
}
