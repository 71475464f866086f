//! The layered avatar (PNGTuber style): a folder of same-sized PNG layers stacked into the host. The body is at
//! the bottom, the eyes (open or closed, for blinks) above it, and on top the mouth for the viseme being spoken.
//!
//! Folder format (see the README, "Layered PNG avatar"): `body.png`, `eyes_open.png`, `eyes_closed.png` and one
//! `mouth_<viseme>.png` per [`Viseme`] (`mouth_rest.png`, `mouth_a.png`, ... `mouth_wide.png`), all the same size,
//! transparent where a layer draws nothing. Optional expression layers (`expr_warm_smile.png`, `expr_excited.png`,
//! `expr_thinking.png`, `expr_calm_concerned.png`) fade in over the eyes while that expression holds.

use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use image::RgbaImage;
use model::{Expression, LAYER_FILES, MAX_LAYER_SIDE, Viseme};
use std::path::{Path, PathBuf};

/// Why a layered avatar folder cannot be used; every variant names the file and what was expected of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerError {
    NotAFolder(PathBuf),
    Missing(PathBuf),
    Unreadable { file: PathBuf, reason: String },
    WrongSize { file: PathBuf, got: (u32, u32), expected: (u32, u32) },
    TooLarge { file: PathBuf, got: (u32, u32) },
}

impl std::fmt::Display for LayerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayerError::NotAFolder(dir) => write!(
                f,
                "avatar folder {} does not exist or is not a folder; it needs {} and one mouth_*.png per viseme",
                dir.display(),
                LAYER_FILES.join(", ")
            ),
            LayerError::Missing(file) => {
                write!(f, "avatar layer {} is missing; every layered avatar needs it", file.display())
            }
            LayerError::Unreadable { file, reason } => {
                write!(f, "avatar layer {} cannot be read as a PNG image: {reason}", file.display())
            }
            LayerError::TooLarge { file, got } => write!(
                f,
                "avatar layer {} is {}x{}; layers may be at most {MAX_LAYER_SIDE} pixels wide and high: scale the \
                 layers down (all by the same factor)",
                file.display(),
                got.0,
                got.1
            ),
            LayerError::WrongSize { file, got, expected } => write!(
                f,
                "avatar layer {} is {}x{} but the layers must all be the size of body.png ({}x{})",
                file.display(),
                got.0,
                got.1,
                expected.0,
                expected.1
            ),
        }
    }
}

impl std::error::Error for LayerError {}

/// A decoded layer folder.
pub struct AvatarLayers {
    pub width: u32,
    pub height: u32,
    pub body: RgbaImage,
    pub eyes_open: RgbaImage,
    pub eyes_closed: RgbaImage,
    /// One mouth per viseme, in [`Viseme::ALL`] order.
    pub mouths: Vec<RgbaImage>,
    /// The expression layers the folder has.
    pub expressions: Vec<(Expression, RgbaImage)>,
}

/// Decodes every layer of `folder`, checking each is there, readable and the size of `body.png`.
pub fn load_layers(folder: &Path) -> Result<AvatarLayers, LayerError> {
    if !folder.is_dir() {
        return Err(LayerError::NotAFolder(folder.to_path_buf()));
    }
    let read = |name: &str, expected: Option<(u32, u32)>| -> Result<RgbaImage, LayerError> {
        let file = folder.join(name);
        if !file.is_file() {
            return Err(LayerError::Missing(file));
        }
        let unreadable = |e: image::ImageError| LayerError::Unreadable { file: file.clone(), reason: e.to_string() };
        // The size first, from the header alone: a huge layer is refused before it is decoded.
        let (w, h) = image::image_dimensions(&file).map_err(unreadable)?;
        if w > MAX_LAYER_SIDE || h > MAX_LAYER_SIDE {
            return Err(LayerError::TooLarge { file, got: (w, h) });
        }
        let img = image::open(&file).map_err(unreadable)?;
        let got = (img.width(), img.height());
        match expected {
            Some(expected) if expected != got => Err(LayerError::WrongSize { file, got, expected }),
            _ => Ok(img.into_rgba8()),
        }
    };
    let body = read(LAYER_FILES[0], None)?;
    let size = Some(body.dimensions());
    let eyes_open = read(LAYER_FILES[1], size)?;
    let eyes_closed = read(LAYER_FILES[2], size)?;
    let mouths = Viseme::ALL.iter().map(|v| read(v.layer_file(), size)).collect::<Result<Vec<_>, _>>()?;
    let mut expressions = Vec::new();
    for expression in Expression::ALL {
        if let Some(name) = expression.layer_file()
            && folder.join(name).exists()
        {
            expressions.push((expression, read(name, size)?));
        }
    }
    Ok(AvatarLayers { width: body.width(), height: body.height(), body, eyes_open, eyes_closed, mouths, expressions })
}

/// The eyes layer, with both images to swap between.
#[derive(Component)]
pub struct LayerEyes {
    pub open: Handle<Image>,
    pub closed: Handle<Image>,
}

/// The mouth layer, with one image per viseme (in [`Viseme::ALL`] order).
#[derive(Component)]
pub struct LayerMouth {
    pub shapes: Vec<Handle<Image>>,
}

/// An optional expression layer; its opacity follows how much of its expression the face shows.
#[derive(Component)]
pub struct LayerExpression(pub Expression);

/// Marks the root of a layered avatar.
#[derive(Component)]
pub struct LayeredRoot;

fn to_image(img: RgbaImage) -> Image {
    Image::from_dynamic(image::DynamicImage::ImageRgba8(img), true, RenderAssetUsages::default())
}

/// Spawns the stacked layers as children of `root`, scaled to fit `fit_px` (width, height) with the image's own
/// proportions.
pub fn spawn_layers(root: &mut EntityCommands<'_>, layers: AvatarLayers, fit_px: Vec2, images: &mut Assets<Image>) {
    let scale = (fit_px.x / layers.width.max(1) as f32).min(fit_px.y / layers.height.max(1) as f32);
    let AvatarLayers { body, eyes_open, eyes_closed, mouths, expressions, .. } = layers;
    let expressions: Vec<(Expression, Handle<Image>)> =
        expressions.into_iter().map(|(e, img)| (e, images.add(to_image(img)))).collect();
    let body = images.add(to_image(body));
    let open = images.add(to_image(eyes_open));
    let closed = images.add(to_image(eyes_closed));
    let shapes: Vec<Handle<Image>> = mouths.into_iter().map(|m| images.add(to_image(m))).collect();
    let rest = shapes[0].clone();
    root.insert(LayeredRoot).with_children(|c| {
        let at = |z: f32| Transform::from_xyz(0.0, 0.0, z).with_scale(Vec3::new(scale, scale, 1.0));
        c.spawn((Sprite::from_image(body), at(0.0)));
        c.spawn((Sprite::from_image(open.clone()), at(0.1), LayerEyes { open, closed }));
        for (expression, handle) in expressions {
            let mut sprite = Sprite::from_image(handle);
            sprite.color = Color::WHITE.with_alpha(0.0);
            c.spawn((sprite, at(0.15), LayerExpression(expression)));
        }
        c.spawn((Sprite::from_image(rest), at(0.2), LayerMouth { shapes }));
    });
}

/// The layer index of a viseme in [`Viseme::ALL`].
pub fn mouth_index(viseme: Viseme) -> usize {
    Viseme::ALL.iter().position(|v| *v == viseme).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh scratch folder under the system temp dir, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("shopcast-layers-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn write_all(dir: &Path, w: u32, h: u32) {
        let names = LAYER_FILES.iter().copied().chain(Viseme::ALL.iter().map(|v| v.layer_file()));
        for (i, name) in names.enumerate() {
            RgbaImage::from_pixel(w, h, image::Rgba([i as u8 * 10, 0, 0, 255])).save(dir.join(name)).unwrap();
        }
    }

    #[test]
    fn a_complete_folder_loads_every_layer_in_viseme_order() {
        let dir = Scratch::new("ok");
        write_all(&dir.0, 8, 12);
        let layers = load_layers(&dir.0).unwrap();
        assert!(layers.expressions.is_empty(), "expression layers are optional");
        assert_eq!((layers.width, layers.height), (8, 12));
        assert_eq!(layers.mouths.len(), Viseme::ALL.len());
        // mouth_a.png is the fifth file written (after three base layers and mouth_rest.png).
        assert_eq!(layers.mouths[mouth_index(Viseme::A)].get_pixel(0, 0)[0], 40);
        assert_eq!(layers.eyes_closed.get_pixel(0, 0)[0], 20);
        RgbaImage::new(8, 12).save(dir.0.join("expr_thinking.png")).unwrap();
        let layers = load_layers(&dir.0).unwrap();
        assert_eq!(layers.expressions.iter().map(|(e, _)| *e).collect::<Vec<_>>(), [Expression::Thinking]);
        RgbaImage::new(8, 13).save(dir.0.join("expr_excited.png")).unwrap();
        let e = load_layers(&dir.0).err().unwrap().to_string();
        assert!(e.contains("expr_excited.png is 8x13"), "{e}");
    }

    /// A layer wider than the limit is refused from its header, naming the file, before anything is decoded (a
    /// 16,400-pixel layer once stopped the renderer; a 6,000-pixel one took gigabytes).
    #[test]
    fn an_oversized_layer_is_refused_before_it_is_decoded() {
        let dir = Scratch::new("huge");
        write_all(&dir.0, 8, 12);
        RgbaImage::new(MAX_LAYER_SIDE + 1, 2).save(dir.0.join("body.png")).unwrap();
        let e = load_layers(&dir.0).err().expect("refused");
        assert!(matches!(e, LayerError::TooLarge { got: (4097, 2), .. }), "{e}");
        let text = e.to_string();
        assert!(text.contains("body.png is 4097x2") && text.contains("at most 4096"), "{text}");
    }

    #[test]
    fn missing_wrong_sized_and_corrupt_layers_are_named() {
        let dir = Scratch::new("bad");
        assert!(matches!(load_layers(&dir.0.join("nope")), Err(LayerError::NotAFolder(_))));
        write_all(&dir.0, 8, 12);
        std::fs::remove_file(dir.0.join("mouth_o.png")).unwrap();
        let e = load_layers(&dir.0).err().unwrap().to_string();
        assert!(e.contains("mouth_o.png is missing"), "{e}");

        write_all(&dir.0, 8, 12);
        RgbaImage::new(9, 12).save(dir.0.join("eyes_closed.png")).unwrap();
        let e = load_layers(&dir.0).err().unwrap().to_string();
        assert!(e.contains("eyes_closed.png is 9x12") && e.contains("(8x12)"), "{e}");

        write_all(&dir.0, 8, 12);
        std::fs::write(dir.0.join("mouth_l.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
        let e = load_layers(&dir.0).err().unwrap().to_string();
        assert!(e.contains("mouth_l.png cannot be read as a PNG image"), "{e}");
    }
}
