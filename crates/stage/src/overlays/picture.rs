//! Product pictures for the offer card: decoded and shrunk to fit on the async compute pool, off the frame's
//! thread, and cached by path.
//!
//! A product picture may be 8192 px a side; decoding one takes longer than many frames, and the stage must not stop
//! moving (mouth, captions, countdown) while it does. So nothing about a picture is read on the frame's thread,
//! not even its header: the card goes up without the picture, and [`show_decoded_pictures`] lays it out again
//! when the picture is ready. Offline rendering (`shopcast render`, pixel tests) inserts [`WaitForPictures`], and
//! each of its frames waits for the pictures it shows, so the same input always gives the same frames.

use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ImageCache>();
}

/// Decodes the picture at a path and fits it into a width and height; run on a task pool thread.
pub(crate) type PictureDecoder = Arc<dyn Fn(&Path, u32, u32) -> Option<Image> + Send + Sync>;

/// Product pictures by path (decoded, on their way, or unusable), so re-pinning an offer does not decode the file
/// again; QR codes by URL and the most room they were given.
#[derive(Resource)]
pub(crate) struct ImageCache {
    pictures: HashMap<PathBuf, PictureState>,
    pub(super) qr: HashMap<(String, u32), Option<(Handle<Image>, u32)>>,
    /// Pictures being decoded on the async compute pool.
    decoding: Vec<Decoding>,
    /// Decodes and fits one picture: [`load_picture`], unless a test holds it up.
    pub(crate) decode: PictureDecoder,
}

impl Default for ImageCache {
    fn default() -> ImageCache {
        ImageCache {
            pictures: HashMap::new(),
            qr: HashMap::new(),
            decoding: Vec::new(),
            decode: Arc::new(load_picture),
        }
    }
}

enum PictureState {
    Decoding,
    Ready(Picture),
    /// Missing, broken or too large (a warning named the file when it was tried).
    Unusable,
}

/// A decoded product picture, ready for the card.
#[derive(Clone)]
pub(super) struct Picture {
    pub(super) handle: Handle<Image>,
    /// Width over height, for the card's layout.
    pub(super) aspect: f32,
}

struct Decoding {
    path: PathBuf,
    task: Task<Option<Image>>,
}

/// Present in offline rendering: each frame waits for the product pictures it shows (see the module's docs). A
/// live stage never waits; a picture appears when it is decoded.
#[derive(Resource)]
pub(crate) struct WaitForPictures;

impl ImageCache {
    /// The picture at `path` if it is decoded. The first time a path is asked for, its decoding starts on the async
    /// compute pool, fitted to `max_w` x `max_h`; until it ends (and for good, if the file cannot be shown) the
    /// answer is `None` and the card is laid out without a picture.
    pub(super) fn picture(&mut self, path: &Path, max_w: u32, max_h: u32) -> Option<Picture> {
        match self.pictures.get(path) {
            Some(PictureState::Ready(picture)) => return Some(picture.clone()),
            Some(PictureState::Decoding | PictureState::Unusable) => return None,
            None => {}
        }
        let decode = self.decode.clone();
        let file = path.to_path_buf();
        let task = AsyncComputeTaskPool::get().spawn(async move { decode(&file, max_w, max_h) });
        self.decoding.push(Decoding { path: path.to_path_buf(), task });
        self.pictures.insert(path.to_path_buf(), PictureState::Decoding);
        None
    }

    /// How many pictures are still being decoded.
    pub(crate) fn decoding(&self) -> usize {
        self.decoding.len()
    }

    /// Takes the decodes that have ended (all of them, waiting, when `wait`), puts the pictures among the stage's
    /// images, and returns the paths that became ready.
    pub(super) fn collect_decoded(&mut self, images: &mut Assets<Image>, wait: bool) -> Vec<PathBuf> {
        let mut ready = Vec::new();
        let mut still = Vec::new();
        for mut job in std::mem::take(&mut self.decoding) {
            let done = if wait { Some(block_on(&mut job.task)) } else { block_on(future::poll_once(&mut job.task)) };
            let state = match done {
                None => {
                    still.push(job);
                    continue;
                }
                Some(Some(image)) => {
                    let size = image.size_f32();
                    let aspect = size.x / size.y.max(1.0);
                    ready.push(job.path.clone());
                    PictureState::Ready(Picture { handle: images.add(image), aspect })
                }
                Some(None) => PictureState::Unusable,
            };
            self.pictures.insert(job.path, state);
        }
        self.decoding = still;
        ready
    }
}

/// Decodes a product picture (PNG, JPEG, WebP) and shrinks it to fit `max_w` x `max_h`. A missing or broken file
/// gives a card without a picture and a warning naming the file, never a crash. Heavy (a picture may be 8192 px a
/// side): the stage runs it on the async compute pool.
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
