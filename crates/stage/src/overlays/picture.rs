//! Product pictures for the offer card: decoded, shrunk to fit, and cached by path.

use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ImageCache>();
}

/// Product pictures already decoded, by path, so re-pinning an offer does not decode the file again; QR codes by
/// URL and the most room they were given.
#[derive(Resource, Default)]
pub(crate) struct ImageCache(
    pub(super) HashMap<PathBuf, Option<Handle<Image>>>,
    pub(super) HashMap<(String, u32), Option<(Handle<Image>, u32)>>,
);

/// Decodes a product picture (PNG, JPEG) and shrinks it to fit `max_w` x `max_h`. A missing or broken file gives
/// a card without a picture and a warning naming the file, never a crash.
pub fn load_picture(path: &Path, max_w: u32, max_h: u32) -> Option<Image> {
    // The size first, from the header alone: a picture too large to decode in reasonable memory is refused before
    // it is decoded (`shopcast check` reports it too).
    match image::ImageReader::open(path).and_then(|r| r.with_guessed_format()).map(|r| r.into_dimensions()) {
        Ok(Ok((w, h))) if w > model::MAX_PICTURE_SIDE || h > model::MAX_PICTURE_SIDE => {
            warn!(
                "product image {} is {w}x{h}, larger than {} px a side; showing the card without it",
                path.display(),
                model::MAX_PICTURE_SIDE
            );
            return None;
        }
        _ => {}
    }
    let decoded = match image::ImageReader::open(path).and_then(|r| r.with_guessed_format()).map(|r| r.decode()) {
        Ok(Ok(img)) => img,
        Ok(Err(e)) => {
            warn!("product image {} could not be loaded: {e}; showing the card without it", path.display());
            return None;
        }
        Err(e) => {
            warn!("product image {} could not be loaded: {e}; showing the card without it", path.display());
            return None;
        }
    };
    let fitted = if decoded.width() > max_w.max(1) || decoded.height() > max_h.max(1) {
        decoded.resize(max_w.max(1), max_h.max(1), image::imageops::FilterType::Triangle)
    } else {
        decoded
    };
    Some(Image::from_dynamic(fitted, true, RenderAssetUsages::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_picture_gives_none_not_a_crash() {
        assert!(load_picture(Path::new("/nonexistent/picture.png"), 100, 100).is_none());
    }
}
