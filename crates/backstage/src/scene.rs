//! Scene files (scenes/*.toml): layout, colours, fonts and background, validated with positions.
//!
//! Every key is optional; what a file leaves out comes from the built-in studio scene. Validation enforces the
//! accessibility floor: captions at least 4% of the frame height and WCAG AA contrast (4.5:1) for every text.

use crate::tomlfile::{Fields, Source};
use model::{
    AvatarKind, Background, ChromaKey, Diagnostic, Expression, LAYER_FILES, MAX_LAYER_SIDE, Rect, Rgba, Scene, Viseme,
};
use std::path::{Path, PathBuf};

/// What reading one scene file gave: the scene when it is valid, and every problem found.
#[derive(Debug)]
pub struct SceneLoad {
    pub scene: Option<Scene>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn load_file(path: &Path) -> SceneLoad {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&shown, &text),
        Err(e) => SceneLoad {
            scene: None,
            diagnostics: vec![Diagnostic::error(shown, 0, 0, format!("cannot read the scene file: {e}"))],
        },
    }
}

pub fn parse(path: &str, text: &str) -> SceneLoad {
    let src = Source::new(path, text);
    let mut diags = Vec::new();
    let doc = match src.parse() {
        Ok(doc) => doc,
        Err(d) => {
            return SceneLoad { scene: None, diagnostics: vec![d] };
        }
    };
    let mut scene = Scene::studio();
    let mut root = Fields::new(&src, &doc, "scene");
    if let Some(name) = root.string("name", &mut diags) {
        scene.name = name.into_inner();
    }
    for (key, target) in [("width", &mut scene.width), ("height", &mut scene.height)] {
        if let Some(v) = root.integer(key, &mut diags) {
            match u32::try_from(*v.get_ref()) {
                Ok(n) if (16..=7680).contains(&n) && n.is_multiple_of(2) => *target = n,
                _ => diags.push(src.error(
                    &v.span(),
                    format!("scene: `{key}` {} must be an even number of pixels from 16 to 7680", v.get_ref()),
                )),
            }
        }
    }
    if let Some(size) = root.float("caption_size", &mut diags) {
        let size_value = *size.get_ref() as f32;
        if !(Scene::MIN_CAPTION_SIZE..=0.2).contains(&size_value) {
            diags.push(src.error(
                &size.span(),
                format!(
                    "scene: `caption_size` {size_value} must be from {} (4% of the frame height, for readability) to 0.2",
                    Scene::MIN_CAPTION_SIZE
                ),
            ));
        } else {
            scene.caption_size = size_value;
        }
    }
    if let Some(fonts) = root.string_list("fonts", &mut diags) {
        if fonts.get_ref().is_empty() {
            diags.push(src.error(&fonts.span(), "scene: `fonts` is empty; list at least one font family"));
        } else {
            scene.fonts = fonts.into_inner();
        }
    }
    if let Some(mut bg) = root.table("background", &mut diags) {
        bg.set_context("scene [background]");
        let kind = bg.string("kind", &mut diags);
        let colour = colour(&src, &mut bg, "colour", &mut diags);
        match kind.as_ref().map(|k| k.get_ref().as_str()) {
            Some("colour" | "color") => match colour {
                Some(colour) => scene.background = Background::Colour { colour },
                None if !bg.has("colour") => {
                    diags.push(src.error(&bg.span(), "scene [background]: kind \"colour\" needs colour = \"#rrggbb\""))
                }
                None => {}
            },
            Some("chroma") => {
                let key = bg.string("key", &mut diags).and_then(|k| {
                    let found = ChromaKey::parse(k.get_ref());
                    if found.is_none() {
                        diags.push(src.error(
                            &k.span(),
                            format!(
                                "scene [background]: key \"{}\" is not one of \"green\", \"blue\", \"magenta\"",
                                k.get_ref()
                            ),
                        ));
                    }
                    found
                });
                scene.background = Background::Chroma { key: key.unwrap_or_default() };
            }
            Some("transparent") => scene.background = Background::Transparent,
            Some(other) => diags.push(src.error(
                &bg.span_of("kind"),
                format!("scene [background]: kind \"{other}\" is not one of \"colour\", \"chroma\", \"transparent\""),
            )),
            None => diags.push(src.error(
                &bg.span(),
                "scene [background]: missing `kind`; use \"colour\", \"chroma\" or \"transparent\"",
            )),
        }
        bg.finish(&mut diags);
    }
    if let Some(mut theme) = root.table("theme", &mut diags) {
        theme.set_context("scene [theme]");
        let t = &mut scene.theme;
        for (key, slot) in [
            ("panel", &mut t.panel),
            ("text", &mut t.text),
            ("accent", &mut t.accent),
            ("caption_panel", &mut t.caption_panel),
            ("caption_text", &mut t.caption_text),
            ("label_panel", &mut t.label_panel),
            ("label_text", &mut t.label_text),
        ] {
            if let Some(c) = colour(&src, &mut theme, key, &mut diags) {
                *slot = c;
            }
        }
        theme.finish(&mut diags);
    }
    if let Some(mut layout) = root.table("layout", &mut diags) {
        layout.set_context("scene [layout]");
        let l = &mut scene.layout;
        for (key, slot) in [
            ("avatar", &mut l.avatar),
            ("offer_card", &mut l.offer_card),
            ("captions", &mut l.captions),
            ("label", &mut l.label),
            ("comment", &mut l.comment),
            ("ticker", &mut l.ticker),
        ] {
            if let Some(r) = rect(&src, &mut layout, key, &mut diags) {
                *slot = r;
            }
        }
        layout.finish(&mut diags);
    }
    if let Some(mut avatar) = root.table("avatar", &mut diags) {
        avatar.set_context("scene [avatar]");
        let kind = avatar.string("kind", &mut diags);
        let folder = avatar.string("folder", &mut diags);
        let model = avatar.string("path", &mut diags);
        let idle = avatar.string("idle", &mut diags);
        let kind_name = kind.as_ref().map(|k| k.get_ref().as_str());
        if let Some(idle) = &idle
            && model.is_none()
        {
            diags.push(src.error(
                &idle.span(),
                "scene [avatar]: `idle` (a .vrma clip) only applies to a VRM host; set kind = \"vrm\" and path",
            ));
        }
        if let Some(model) = &model
            && !matches!(kind_name, Some("vrm") | None)
        {
            diags.push(src.error(
                &model.span(),
                "scene [avatar]: `path` only applies to kind = \"vrm\"; remove it or set kind = \"vrm\"",
            ));
        }
        match kind_name {
            Some("vrm") | None if model.is_some() || kind_name == Some("vrm") => {
                if let Some(folder) = &folder {
                    diags.push(src.error(
                        &folder.span(),
                        "scene [avatar]: `folder` only applies to kind = \"layered\"; a VRM host needs only `path`",
                    ));
                }
                match model {
                    None => diags.push(src.error(
                        &avatar.span(),
                        "scene [avatar]: kind \"vrm\" needs path = \"host.vrm\" (relative to the scene file)",
                    )),
                    Some(model) => {
                        let resolved = resolve_folder(path, model.get_ref());
                        match vrm::read(&resolved) {
                            Ok(host) => {
                                for finding in vrm::check(&host) {
                                    if finding.severity == vrm::Severity::Warning {
                                        diags.push(src.warning(
                                            &model.span(),
                                            format!("scene [avatar]: {}: {}", resolved.display(), finding.text),
                                        ));
                                    }
                                }
                                let idle = match &idle {
                                    None => Some(None),
                                    Some(clip) => {
                                        let clip_path = resolve_folder(path, clip.get_ref());
                                        match vrm::clip::read_clip(&clip_path) {
                                            Ok(_) => Some(Some(clip_path)),
                                            Err(e) => {
                                                diags.push(src.error(&clip.span(), format!("scene [avatar]: {e}")));
                                                None
                                            }
                                        }
                                    }
                                };
                                if let Some(idle) = idle {
                                    scene.avatar = AvatarKind::Vrm { path: resolved, idle };
                                }
                            }
                            Err(e) => diags.push(src.error(&model.span(), format!("scene [avatar]: {e}"))),
                        }
                    }
                }
            }
            Some("drawn") | None if folder.is_none() => scene.avatar = AvatarKind::Drawn,
            Some("drawn") => diags.push(src.error(
                &avatar.span_of("folder"),
                "scene [avatar]: `folder` only applies to kind = \"layered\"; remove it or set kind = \"layered\"",
            )),
            Some("layered") | None => match folder {
                None => diags.push(src.error(
                    &avatar.span(),
                    "scene [avatar]: kind \"layered\" needs folder = \"path/to/layers\" (relative to the scene file)",
                )),
                Some(folder) => {
                    let resolved = resolve_folder(path, folder.get_ref());
                    let problems = check_layer_folder(&resolved);
                    for problem in &problems {
                        diags.push(src.error(&folder.span(), format!("scene [avatar]: {problem}")));
                    }
                    if problems.is_empty() {
                        scene.avatar = AvatarKind::Layered { folder: resolved };
                    }
                }
            },
            Some(other) => diags.push(src.error(
                &avatar.span_of("kind"),
                format!("scene [avatar]: kind \"{other}\" is not one of \"drawn\", \"layered\", \"vrm\""),
            )),
        }
        avatar.finish(&mut diags);
    }
    let theme_span = root.span_of("theme");
    let layout_span = root.span_of("layout");
    root.finish(&mut diags);
    // What lies behind a see-through panel: the scene's colour; behind a transparent window, unknown.
    let backdrop = match scene.background {
        Background::Colour { colour } => Some(colour),
        Background::Chroma { key } => Some(key.colour()),
        Background::Transparent => None,
    };
    let mut unknown_backdrop = false;
    for (what, fg, bg) in contrast_pairs(&scene) {
        let bg = match backdrop {
            Some(backdrop) => bg.over(backdrop),
            None if !bg.is_opaque() => {
                unknown_backdrop = true;
                continue;
            }
            None => bg,
        };
        // See-through text is judged as it shows on its panel (fully transparent text reads 1:1).
        let ratio = fg.over(bg).contrast_with(bg);
        if ratio < 4.5 {
            diags.push(src.error(
                &theme_span,
                format!("scene [theme]: {what} contrast is {ratio:.2}:1, below the 4.5:1 WCAG AA minimum; darken or lighten one of them"),
            ));
        }
    }
    if unknown_backdrop {
        diags.push(src.error(
            &theme_span,
            "scene [theme]: a panel is see-through over a transparent background, so its text's contrast depends on \
             whatever is behind the window; make the panel colours opaque (#rrggbb)",
        ));
    }
    // The caption panel must hold at least one line of caption text (the stage pads it by 0.3 of the text size
    // above and below and 0.6 at the sides, and a line is 1.2 high) and a few words across.
    let (height, size) = (scene.height as f32, scene.caption_size.max(Scene::MIN_CAPTION_SIZE));
    let captions = scene.layout.captions;
    let (panel_h, panel_w, text) = (captions.h * height, captions.w * scene.width as f32, size * height);
    if panel_h < text * 1.8 || panel_w < text * 7.2 {
        diags.push(src.error(
            &layout_span,
            format!(
                "scene [layout] `captions`: the panel ({:.0}x{:.0} px) cannot hold a line of {:.0} px caption text \
                 (it needs at least {:.0} px high and {:.0} px wide); enlarge the rectangle or lower caption_size",
                panel_w,
                panel_h,
                text,
                text * 1.8,
                text * 7.2
            ),
        ));
    }
    for problem in layout_problems(&scene) {
        diags.push(src.error(&layout_span, format!("scene [layout] {problem}")));
    }
    let scene = (!diags.iter().any(Diagnostic::is_error)).then_some(scene);
    SceneLoad { scene, diagnostics: diags }
}

/// What in a layout hides what viewers must see, or draws text below the captions' minimum: overlays over the
/// host's face ([`Scene::face`]) or over the offer card (its price), and a comment bubble, ticker or card too low
/// for one line of text at [`Scene::MIN_CAPTION_SIZE`] of the frame height. Each problem names the rectangle and
/// what to change.
pub fn layout_problems(scene: &Scene) -> Vec<String> {
    let l = scene.layout;
    let face = scene.face();
    let mut problems = Vec::new();
    let overlays = [("comment", l.comment), ("ticker", l.ticker), ("captions", l.captions), ("label", l.label)];
    for (i, (name, rect)) in overlays.iter().enumerate() {
        for (other, other_rect) in &overlays[i + 1..] {
            if rect.overlaps(other_rect) {
                problems.push(format!("`{name}` and `{other}` overlap; one would hide the other"));
            }
        }
    }
    for (name, rect) in overlays {
        if rect.overlaps(&face) {
            problems.push(format!(
                "`{name}` covers the host's face (the top half of `avatar`, x {:.2}-{:.2}, y {:.2}-{:.2}); move it \
                 below or beside the host",
                face.x,
                face.x + face.w,
                face.y,
                face.y + face.h
            ));
        }
        if rect.overlaps(&l.offer_card) {
            problems.push(format!("`{name}` covers the offer card and its price; move it off `offer_card`"));
        }
    }
    let height = scene.height as f32;
    let min = (Scene::MIN_CAPTION_SIZE * height).max(12.0);
    // One line in the comment bubble is 1.2 of its text size plus 0.4 of padding; the ticker's rows are text at
    // 0.62 of their height; the card needs a title, a price and a stock line with their gaps (about 5 lines).
    let needs = [
        ("comment", l.comment, 1.6 * min),
        ("ticker", l.ticker, min / 0.62),
        ("offer_card", l.offer_card, 5.0 * min),
        ("label", l.label, 1.5 * min),
    ];
    // "AI host · AI主播" is about 9.2 em wide: the label's rectangle must hold it at the minimum size, or the
    // panel grows over its neighbours.
    let label_w = 9.2 * min;
    if l.label.w * scene.width as f32 + 0.5 < label_w {
        problems.push(format!(
            "`label` is {:.0} px wide, too narrow for \"AI host · AI主播\" at the minimum text size; make it at least \
             {:.0} px ({:.3} of the width)",
            l.label.w * scene.width as f32,
            label_w,
            label_w / scene.width as f32
        ));
    }
    for (name, rect, need) in needs {
        if rect.h * height + 0.5 < need {
            problems.push(format!(
                "`{name}` is {:.0} px high, too low for text at the minimum size ({:.0} px, {:.0}% of the frame \
                 height); make it at least {:.0} px ({:.3} of the height)",
                rect.h * height,
                min,
                Scene::MIN_CAPTION_SIZE * 100.0,
                need,
                need / height
            ));
        }
    }
    problems
}

/// A layered avatar's folder, relative to the scene file's own folder unless absolute.
fn resolve_folder(scene_path: &str, folder: &str) -> PathBuf {
    let folder = Path::new(folder);
    if folder.is_absolute() {
        return folder.to_path_buf();
    }
    Path::new(scene_path).parent().map_or_else(|| folder.to_path_buf(), |dir| dir.join(folder))
}

/// Every problem with a layered avatar folder: each layer must be there, decode as an image, and match the size
/// of `body.png`. The stage decodes the same files at start-up (stage::layered); checking here lets `shopcast
/// check` name the bad file before a show starts.
pub fn check_layer_folder(folder: &Path) -> Vec<String> {
    if !folder.is_dir() {
        return vec![format!(
            "avatar folder {} does not exist or is not a folder; it needs {} and one mouth_*.png per viseme",
            folder.display(),
            LAYER_FILES.join(", ")
        )];
    }
    let mut problems = Vec::new();
    let mut expected: Option<(u32, u32)> = None;
    let required = LAYER_FILES.iter().copied().chain(Viseme::ALL.iter().map(|v| v.layer_file())).map(|f| (f, true));
    // Expression layers are optional, but one that is there must be as good as the rest.
    let optional = Expression::ALL.iter().filter_map(|e| e.layer_file()).map(|f| (f, false));
    for (name, needed) in required.chain(optional) {
        let file = folder.join(name);
        if !file.is_file() {
            if needed {
                problems.push(format!("avatar layer {} is missing; every layered avatar needs it", file.display()));
            }
            continue;
        }
        match image::image_dimensions(&file) {
            Ok((w, h)) if w > MAX_LAYER_SIDE || h > MAX_LAYER_SIDE => {
                problems.push(format!(
                    "avatar layer {} is {w}x{h}; layers may be at most {MAX_LAYER_SIDE} pixels wide and high: scale \
                     the layers down (all by the same factor)",
                    file.display()
                ));
                continue;
            }
            _ => {}
        }
        match image::open(&file) {
            Err(e) => problems.push(format!("avatar layer {} cannot be read as a PNG image: {e}", file.display())),
            Ok(img) => {
                let size = (img.width(), img.height());
                match expected {
                    None => expected = Some(size),
                    Some(want) if want != size => problems.push(format!(
                        "avatar layer {} is {}x{} but the layers must all be the size of the first ({}x{})",
                        file.display(),
                        size.0,
                        size.1,
                        want.0,
                        want.1
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    problems
}

/// Every text colour with the panel it is drawn on.
pub fn contrast_pairs(scene: &Scene) -> [(&'static str, Rgba, Rgba); 7] {
    let t = &scene.theme;
    [
        ("offer text on panel", t.text, t.panel),
        ("accent (price) on panel", t.accent, t.panel),
        ("discount badge text on accent", t.panel, t.accent),
        ("comment and ticker text on panel", t.text, t.panel),
        ("standby card text on panel", t.text, t.panel),
        ("caption text on caption panel", t.caption_text, t.caption_panel),
        ("label text on label panel", t.label_text, t.label_panel),
    ]
}

fn colour(src: &Source<'_>, f: &mut Fields<'_, '_>, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Rgba> {
    let text = f.string(key, diags)?;
    let parsed = Rgba::parse_hex(text.get_ref());
    if parsed.is_none() {
        diags.push(src.error(
            &text.span(),
            format!("{}: `{key}` \"{}\" is not a colour; write \"#rrggbb\"", f.context(), text.get_ref()),
        ));
    }
    parsed
}

fn rect(src: &Source<'_>, f: &mut Fields<'_, '_>, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Rect> {
    let mut t = f.table(key, diags)?;
    let mut get = |k: &str, diags: &mut Vec<Diagnostic>| t.float(k, diags).map(|v| *v.get_ref() as f32);
    let (x, y, w, h) = (get("x", diags), get("y", diags), get("w", diags), get("h", diags));
    let span = t.span();
    t.finish(diags);
    let (Some(x), Some(y), Some(w), Some(h)) = (x, y, w, h) else {
        diags.push(src.error(&span, format!("[layout] `{key}` needs x, y, w and h, as fractions of the frame")));
        return None;
    };
    let r = Rect { x, y, w, h };
    if !r.is_within_frame() || w <= 0.0 || h <= 0.0 {
        diags.push(src.error(
            &span,
            format!(
                "[layout] `{key}` must lie inside the frame: x, y, w, h from 0 to 1 with x + w and y + h at most 1"
            ),
        ));
        return None;
    }
    Some(r)
}

/// Scene hot reload: watches `path` until `shutdown` is cancelled. A saved file that validates goes to `scenes`
/// (the stage puts it on screen at its next frame); one with errors is reported (file, line, what to fix) while
/// the last good scene stays up.
pub async fn watch(
    path: PathBuf,
    scenes: async_channel::Sender<Scene>,
    shutdown: tokio_util::sync::CancellationToken,
) -> Result<(), crate::file_watch::WatchError> {
    let mut file = crate::file_watch::FileWatch::start(&path, "the scene").await?;
    while file.changed(&shutdown).await {
        let job = path.clone();
        let Ok(load) = tokio::task::spawn_blocking(move || load_file(&job)).await else { continue };
        for d in &load.diagnostics {
            tracing::warn!("{d}");
        }
        match load.scene {
            Some(scene) => {
                tracing::info!(path = %path.display(), "scene reloaded");
                if scenes.try_send(scene).is_err() {
                    tracing::warn!("the stage has not taken the previous scene yet; this one waits for the next save");
                }
            }
            None => tracing::error!(
                path = %path.display(),
                "the changed scene file has errors; the last good scene stays on screen"
            ),
        }
    }
    Ok(())
}

/// How much of each product picture a chroma key would take: the share of its visible pixels whose colour lies
/// near `key` (see [`near_key`]). OBS's chroma-key filter removes such pixels from shopcast's window along with the
/// background, cutting holes in the product.
pub fn key_share(key: ChromaKey, picture: &image::RgbaImage) -> f32 {
    let mut visible = 0u64;
    let mut near = 0u64;
    for p in picture.pixels() {
        if p[3] < 128 {
            continue;
        }
        visible += 1;
        if near_key(key, [p[0], p[1], p[2]]) {
            near += 1;
        }
    }
    if visible == 0 { 0.0 } else { near as f32 / visible as f32 }
}

/// Whether OBS's chroma-key filter, at its default settings, would take away (wholly or in part) a pixel of this
/// colour: it compares colours on the colour wheel only (the Cb/Cr plane of BT.601 YCbCr, each from -0.5 to 0.5)
/// and removes what lies within `similarity` (default 400, that is 0.40) of the key, fading it out over a further
/// `smoothness` (default 80, 0.08). Greys, whites and blacks sit at the wheel's centre, far from every key; a sage
/// or celadon glaze lies within reach of green.
pub fn near_key(key: ChromaKey, rgb: [u8; 3]) -> bool {
    const SIMILARITY: f32 = 0.40;
    const SMOOTHNESS: f32 = 0.08;
    let chroma = |[r, g, b]: [u8; 3]| {
        let (r, g, b) = (f32::from(r) / 255.0, f32::from(g) / 255.0, f32::from(b) / 255.0);
        (-0.168_736 * r - 0.331_264 * g + 0.5 * b, 0.5 * r - 0.418_688 * g - 0.081_312 * b)
    };
    let k = key.colour().0;
    let (kb, kr) = chroma([k[0], k[1], k[2]]);
    let (pb, pr) = chroma(rgb);
    ((pb - kb).powi(2) + (pr - kr).powi(2)).sqrt() < SIMILARITY + SMOOTHNESS
}

/// The share of key-coloured pixels above which `check` warns that a picture would lose part of itself.
pub const KEY_SHARE_WARNING: f32 = 0.01;

/// For a chroma scene keyed with `key` and the product pictures given (name, picture): one warning per picture the
/// key would cut into, naming the key that touches the pictures least; nothing when the key is safe for all.
pub fn key_warnings(scene_path: &str, key: ChromaKey, pictures: &[(String, image::RgbaImage)]) -> Vec<Diagnostic> {
    let worst = |k: ChromaKey| pictures.iter().map(|(_, p)| key_share(k, p)).fold(0.0f32, f32::max);
    let best = ChromaKey::ALL.into_iter().min_by(|a, b| worst(*a).total_cmp(&worst(*b))).unwrap_or_default();
    pictures
        .iter()
        .filter_map(|(name, picture)| {
            let share = key_share(key, picture);
            (share > KEY_SHARE_WARNING).then(|| {
                let advice = if best == key {
                    "no other key suits the pictures better; use a solid `colour` background with OBS's window \
                     capture instead"
                        .to_string()
                } else if worst(best) > KEY_SHARE_WARNING {
                    format!(
                        "no key leaves every picture whole (the least harmful, `key = \"{}\"`, still takes up to \
                         {:.1}% of one); a solid `colour` background with OBS's window capture keeps them all",
                        best.name(),
                        worst(best) * 100.0
                    )
                } else {
                    format!(
                        "set `key = \"{}\"` under [background] (at most {:.1}% of any picture is near it)",
                        best.name(),
                        worst(best) * 100.0
                    )
                };
                Diagnostic::warning(
                    scene_path,
                    0,
                    0,
                    format!(
                        "scene [background]: {:.1}% of {name} is close to the {} key colour, and OBS's chroma key \
                         would cut it out of the product; {advice}",
                        share * 100.0,
                        key.name()
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_studio_theme_meets_wcag_aa() {
        for (what, fg, bg) in contrast_pairs(&Scene::studio()) {
            assert!(fg.contrast_with(bg) >= 4.5, "{what}");
        }
    }

    /// Every scene file shipped in scenes/ loads cleanly, keeps captions at 4% of the frame or more, and every
    /// text colour in its theme reaches WCAG AA (4.5:1) on the panel it is drawn on.
    #[test]
    fn every_shipped_scene_is_accessible() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenes");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 4, "{files:?}");
        for file in &files {
            let load = load_file(file);
            assert!(load.diagnostics.is_empty(), "{}: {:?}", file.display(), load.diagnostics);
            let scene = load.scene.unwrap();
            assert!(scene.caption_size >= Scene::MIN_CAPTION_SIZE, "{}", file.display());
            for (what, fg, bg) in contrast_pairs(&scene) {
                let ratio = fg.contrast_with(bg);
                assert!(ratio >= 4.5, "{}: {what} is {ratio:.2}:1", file.display());
            }
            let l = scene.layout;
            for (what, r) in [("ticker", l.ticker), ("captions", l.captions), ("label", l.label)] {
                assert!(r.is_within_frame(), "{}: {what}", file.display());
            }
        }
    }

    /// Overlays over the host's face or the offer card, overlays over each other, and rectangles too small for text
    /// at the captions' minimum are refused, each naming the rectangle; the studio scene has none of these.
    #[test]
    fn layouts_that_hide_the_host_or_the_price_or_shrink_text_are_refused() {
        assert_eq!(layout_problems(&Scene::studio()), Vec::<String>::new());
        let mut over_face = Scene::studio();
        let face = over_face.face();
        over_face.layout.comment = model::Rect { x: face.x, y: face.y, w: 0.3, h: 0.08 };
        let problems = layout_problems(&over_face);
        assert!(problems.iter().any(|p| p.contains("`comment` covers the host's face")), "{problems:?}");
        let mut over_card = Scene::studio();
        over_card.layout.ticker = model::Rect { x: 0.55, y: 0.12, w: 0.3, h: 0.08 };
        let problems = layout_problems(&over_card);
        assert!(problems.iter().any(|p| p.contains("`ticker` covers the offer card")), "{problems:?}");
        let mut tiny = Scene::studio();
        tiny.layout.ticker.h = 0.02;
        tiny.layout.comment.h = 0.03;
        let problems = layout_problems(&tiny);
        assert!(problems.iter().any(|p| p.starts_with("`ticker` is 14 px high")), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("`comment` is 22 px high")), "{problems:?}");
        let mut crowded = Scene::studio();
        crowded.layout.ticker = crowded.layout.label;
        let problems = layout_problems(&crowded);
        assert!(problems.iter().any(|p| p.contains("`ticker` and `label` overlap")), "{problems:?}");
        // The face follows the avatar's rectangle: the studio's head is in the upper part of the left half.
        let face = Scene::studio().face();
        assert!(face.x > 0.04 && face.x + face.w < 0.46 && face.y > 0.1 && face.y + face.h < 0.5, "{face:?}");
    }

    #[test]
    fn wcag_contrast_matches_known_values() {
        let black = Rgba::rgb(0, 0, 0);
        let white = Rgba::rgb(255, 255, 255);
        assert!((black.contrast_with(white) - 21.0).abs() < 0.01);
        assert!((white.contrast_with(white) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known 4.54:1 grey.
        assert!((Rgba::rgb(0x76, 0x76, 0x76).contrast_with(white) - 4.54).abs() < 0.01);
    }

    /// A scratch folder under the system temp dir, removed when dropped.
    struct Scratch(PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("shopcast-scene-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("avatars/host")).unwrap();
        Scratch(dir)
    }

    fn write_layers(dir: &Path) {
        for name in LAYER_FILES.iter().copied().chain(Viseme::ALL.iter().map(|v| v.layer_file())) {
            image::RgbaImage::new(10, 20).save(dir.join(name)).unwrap();
        }
    }

    #[test]
    fn a_vrm_host_is_read_beside_the_scene_file_and_its_gaps_are_named() {
        use vrm::sample::{Options, presenter};
        let dir = scratch("vrm");
        std::fs::create_dir_all(dir.0.join("avatars")).unwrap();
        let model = dir.0.join("avatars/host.vrm");
        std::fs::write(&model, presenter(&Options::default())).unwrap();
        let scene_file = dir.0.join("scene.toml");
        std::fs::write(&scene_file, "[avatar]\nkind = \"vrm\"\npath = \"avatars/host.vrm\"\n").unwrap();
        let load = load_file(&scene_file);
        assert_eq!(load.scene.map(|s| s.avatar), Some(AvatarKind::Vrm { path: model.clone(), idle: None }));
        assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);

        // An idle clip beside it is read and checked too.
        let clip = dir.0.join("avatars/idle.vrma");
        std::fs::write(&clip, vrm::sample::idle_clip()).unwrap();
        let with_idle = "[avatar]\nkind = \"vrm\"\npath = \"avatars/host.vrm\"\nidle = \"avatars/idle.vrma\"\n";
        std::fs::write(&scene_file, with_idle).unwrap();
        let load = load_file(&scene_file);
        assert_eq!(
            load.scene.map(|s| s.avatar),
            Some(AvatarKind::Vrm { path: model.clone(), idle: Some(clip.clone()) })
        );
        std::fs::write(&clip, presenter(&Options::default())).unwrap();
        let load = load_file(&scene_file);
        assert!(load.scene.is_none());
        let text = load.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        assert!(
            text.contains(":4:8: error: scene [avatar]: VRM avatar")
                && text.contains("idle.vrma: is glTF but not a VRM animation"),
            "{text}"
        );
        let load = parse("s.toml", "[avatar]\nidle = \"idle.vrma\"\n");
        assert!(load.diagnostics.iter().any(|d| d.to_string().contains("`idle` (a .vrma clip) only applies")));

        // `path` alone means a VRM host; expressions the model lacks are warnings naming them.
        std::fs::write(&model, presenter(&Options { without: vec![vrm::Preset::Oh], ..Options::default() })).unwrap();
        std::fs::write(&scene_file, "[avatar]\npath = \"avatars/host.vrm\"\n").unwrap();
        let load = load_file(&scene_file);
        assert!(matches!(load.scene.map(|s| s.avatar), Some(AvatarKind::Vrm { .. })));
        let text = load.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        assert!(
            text.contains(":2:8: warning: scene [avatar]")
                && text.contains("expressions missing")
                && text.contains("oh"),
            "{text}"
        );

        std::fs::write(&model, b"glTF but cut short").unwrap();
        let load = load_file(&scene_file);
        assert!(load.scene.is_none());
        let text = load.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        assert!(text.contains("error: scene [avatar]: VRM avatar") && text.contains("host.vrm"), "{text}");
        std::fs::remove_file(&model).unwrap();
        let text = load_file(&scene_file).diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        assert!(text.contains("host.vrm: cannot be read"), "{text}");

        let load = parse("s.toml", "[avatar]\nkind = \"vrm\"\n");
        assert!(load.diagnostics[0].to_string().contains("needs path = \"host.vrm\""), "{:?}", load.diagnostics);
        let load = parse("s.toml", "[avatar]\nkind = \"drawn\"\npath = \"x.vrm\"\n");
        assert!(load.diagnostics[0].to_string().contains("`path` only applies to kind = \"vrm\""));
        let load = parse("s.toml", "[avatar]\nkind = \"vrm\"\npath = \"x.vrm\"\nfolder = \"f\"\n");
        assert!(load.diagnostics.iter().any(|d| d.to_string().contains("`folder` only applies")));
    }

    #[test]
    fn a_layered_avatar_folder_is_found_beside_the_scene_file_and_checked() {
        let dir = scratch("layered");
        let layers = dir.0.join("avatars/host");
        write_layers(&layers);
        let scene_file = dir.0.join("scene.toml");
        std::fs::write(&scene_file, "[avatar]\nkind = \"layered\"\nfolder = \"avatars/host\"\n").unwrap();
        let load = load_file(&scene_file);
        assert_eq!(load.scene.map(|s| s.avatar), Some(AvatarKind::Layered { folder: layers.clone() }));

        image::RgbaImage::new(10, 20).save(layers.join("expr_excited.png")).unwrap();
        assert!(load_file(&scene_file).scene.is_some(), "an optional expression layer of the right size is fine");
        image::RgbaImage::new(MAX_LAYER_SIDE + 5, 1).save(layers.join("expr_calm_concerned.png")).unwrap();
        let load = load_file(&scene_file);
        assert!(load.scene.is_none(), "an oversized layer is an error");
        let text = load.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        assert!(text.contains("expr_calm_concerned.png is 4101x1") && text.contains("at most 4096"), "{text}");
        std::fs::remove_file(layers.join("expr_calm_concerned.png")).unwrap();
        image::RgbaImage::new(10, 21).save(layers.join("expr_thinking.png")).unwrap();
        image::RgbaImage::new(11, 20).save(layers.join("mouth_wide.png")).unwrap();
        std::fs::remove_file(layers.join("eyes_closed.png")).unwrap();
        let load = load_file(&scene_file);
        assert!(load.scene.is_none());
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            lines.iter().any(|l| l.contains(":3:10: error: scene [avatar]: avatar layer")
                && l.contains("eyes_closed.png is missing")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains("mouth_wide.png is 11x20") && l.contains("(10x20)")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("expr_thinking.png is 10x21")), "{lines:?}");

        let load = parse("s.toml", "[avatar]\nkind = \"layered\"\n");
        assert!(load.diagnostics[0].to_string().contains("needs folder"), "{:?}", load.diagnostics);
        let load = parse("s.toml", "[avatar]\nkind = \"pngtuber\"\n");
        assert!(load.diagnostics[0].to_string().contains("not one of \"drawn\", \"layered\", \"vrm\""));
        assert_eq!(parse("s.toml", "[avatar]\nkind = \"drawn\"\n").scene.map(|s| s.avatar), Some(AvatarKind::Drawn));
    }

    #[test]
    fn reports_low_contrast_small_captions_and_typos_with_positions() {
        let text = "caption_size = 0.02\n[theme]\ncaption_text = \"#222222\"\ncaption_panel = \"#000000\"\n[layout]\navatr = { x = 0.1, y = 0.1, w = 0.2, h = 0.2 }\n";
        let load = parse("s.toml", text);
        assert!(load.scene.is_none());
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(lines.iter().any(|l| l.starts_with("s.toml:1:16: error: scene: `caption_size` 0.02")), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.starts_with("s.toml:6:1: error: scene [layout]: unknown key `avatr`")
                && l.contains("did you mean `avatar`")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains("caption text on caption panel contrast")), "{lines:?}");
    }

    /// Text made see-through is judged as it shows (invisible text reads 1:1); a see-through panel is judged over
    /// the scene's colour, and refused over a transparent window, whose backdrop nobody knows.
    #[test]
    fn see_through_text_and_panels_are_judged_as_they_show() {
        let load = parse("s.toml", "[theme]\ncaption_text = \"#ffffff00\"\nlabel_text = \"#00000010\"\n");
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(load.scene.is_none(), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("caption text on caption panel contrast is 1.00:1")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("label text on label panel contrast")), "{lines:?}");
        // A half-see-through dark caption panel over the dark studio colour still carries white text.
        let load = parse("s.toml", "[theme]\ncaption_panel = \"#00000080\"\n");
        assert!(load.scene.is_some(), "{:?}", load.diagnostics);
        let transparent = "[background]\nkind = \"transparent\"\n[theme]\ncaption_panel = \"#00000080\"\n";
        let load = parse("s.toml", transparent);
        assert!(load.diagnostics.iter().any(|d| d.to_string().contains("see-through over a transparent")));
    }

    /// A caption panel that cannot hold one line of its own caption text is refused with the sizes it needs.
    #[test]
    fn a_caption_panel_too_small_for_one_line_is_refused() {
        let text = "caption_size = 0.2\n[layout]\ncaptions = { x = 0.05, y = 0.90, w = 0.30, h = 0.05 }\n";
        let load = parse("s.toml", text);
        assert!(load.scene.is_none());
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("`captions`: the panel (384x36 px) cannot hold a line of 144 px caption text")),
            "{lines:?}"
        );
    }

    /// Real files, a real watcher: a saved scene that validates reaches the stage's inbox; a broken save does not.
    #[tokio::test]
    async fn a_saved_scene_goes_to_the_stage_and_a_broken_one_does_not() {
        let dir = std::env::temp_dir().join(format!("shopcast-scene-watch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("scene.toml");
        std::fs::write(&path, "name = \"first\"\n").unwrap();
        let (scenes, inbox) = async_channel::bounded(1);
        let stop = tokio_util::sync::CancellationToken::new();
        let task = tokio::spawn(watch(path.clone(), scenes, stop.clone()));
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        std::fs::write(&path, "name = [\n").unwrap();
        tokio::time::sleep(crate::file_watch::DEBOUNCE * 4).await;
        assert!(inbox.try_recv().is_err(), "a broken scene must not replace the one on screen");
        std::fs::write(&path, "name = \"second\"\n").unwrap();
        let scene = tokio::time::timeout(std::time::Duration::from_secs(10), inbox.recv()).await.unwrap().unwrap();
        assert_eq!(scene.name, "second");
        // The reload read the file; that read, and a `sed -i`-style save of the same bytes, are no new scene.
        let same = dir.join(".scene.toml.tmp");
        std::fs::write(&same, "name = \"second\"\n").unwrap();
        std::fs::rename(&same, &path).unwrap();
        tokio::time::sleep(crate::file_watch::DEBOUNCE * 5).await;
        assert!(inbox.try_recv().is_err(), "one save must be one scene");
        stop.cancel();
        task.await.unwrap().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A celadon teapot and a sage mug are near the green key, grey and white are near none; a picture the green
    /// key would cut into gets a warning that names the key least near every picture.
    #[test]
    fn a_green_product_warns_against_the_green_key_and_names_a_better_one() {
        assert!(near_key(ChromaKey::Green, [0, 255, 0]));
        assert!(near_key(ChromaKey::Green, [120, 170, 120]), "a celadon glaze");
        assert!(near_key(ChromaKey::Green, [60, 140, 60]));
        assert!(!near_key(ChromaKey::Green, [128, 128, 128]), "grey");
        assert!(!near_key(ChromaKey::Green, [250, 250, 250]), "white");
        assert!(!near_key(ChromaKey::Green, [200, 60, 40]), "red");
        assert!(near_key(ChromaKey::Blue, [30, 60, 200]));
        assert!(near_key(ChromaKey::Magenta, [200, 40, 200]));
        // A picture: a green teapot on a white table, and a red mug on white.
        let teapot = image::RgbaImage::from_fn(40, 40, |x, y| {
            let inside = (x as i32 - 20).pow(2) + (y as i32 - 20).pow(2) < 15 * 15;
            if inside { image::Rgba([110, 165, 115, 255]) } else { image::Rgba([245, 245, 240, 255]) }
        });
        let mug = image::RgbaImage::from_fn(40, 40, |x, _| {
            if x < 20 { image::Rgba([190, 30, 40, 255]) } else { image::Rgba([245, 245, 240, 255]) }
        });
        assert!(key_share(ChromaKey::Green, &teapot) > 0.4);
        assert_eq!(key_share(ChromaKey::Green, &mug), 0.0);
        let pictures = vec![("teapot.png".to_string(), teapot), ("mug.png".to_string(), mug)];
        let warnings = key_warnings("scenes/chroma.toml", ChromaKey::Green, &pictures);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let text = warnings[0].to_string();
        assert!(text.contains("teapot.png") && text.contains("green key"), "{text}");
        assert!(text.contains("key = \"blue\""), "{text}");
        assert!(!warnings[0].is_error());
        assert!(key_warnings("scenes/chroma.toml", ChromaKey::Blue, &pictures).is_empty());
    }

    #[test]
    fn a_chroma_scene_may_pick_blue_or_magenta_and_a_wrong_key_is_named() {
        let load = parse("s.toml", "[background]\nkind = \"chroma\"\nkey = \"magenta\"\n");
        assert_eq!(load.scene.map(|s| s.background), Some(Background::Chroma { key: ChromaKey::Magenta }));
        let load = parse("s.toml", "[background]\nkind = \"chroma\"\n");
        assert_eq!(load.scene.map(|s| s.background), Some(Background::Chroma { key: ChromaKey::Green }));
        let load = parse("s.toml", "[background]\nkind = \"chroma\"\nkey = \"purple\"\n");
        let messages: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages.iter().any(|m| m.contains("s.toml:3") && m.contains("\"purple\" is not one of")),
            "{messages:?}"
        );
    }
}
