//! Layout maths: scene rectangles (frame fractions) to pixels and world coordinates, and scene colours to Bevy's.

use bevy::prelude::*;
use model::{Background, Rect, Rgba};

/// The output size in pixels (the window's or the render target's).
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct FrameSize {
    pub width: u32,
    pub height: u32,
}

impl FrameSize {
    /// A rectangle in UI pixels from the top-left: (left, top, width, height).
    pub fn px(&self, r: &Rect) -> (f32, f32, f32, f32) {
        let (w, h) = (self.width as f32, self.height as f32);
        (r.x * w, r.y * h, r.w * w, r.h * h)
    }

    /// The centre of a rectangle in 2D world coordinates (origin at the frame centre, +y up, 1 unit = 1 px).
    pub fn world_centre(&self, r: &Rect) -> Vec2 {
        let (w, h) = (self.width as f32, self.height as f32);
        Vec2::new((r.x + r.w / 2.0 - 0.5) * w, (0.5 - (r.y + r.h / 2.0)) * h)
    }

    /// A text size as a fraction of the frame height, in pixels, never below a legible floor.
    pub fn text_px(&self, fraction: f32) -> f32 {
        (fraction * self.height as f32).max(12.0)
    }

    /// How much a window showing this frame must shrink to fit a screen of `screen` physical pixels, leaving room
    /// for a taskbar and the window's title bar: 1.0 when it fits as it is, else the largest scale that fits.
    pub fn window_scale(&self, screen: (u32, u32)) -> f32 {
        if screen.0 == 0 || screen.1 == 0 || self.width == 0 || self.height == 0 {
            return 1.0;
        }
        let room_w = screen.0 as f32 * 0.95;
        let room_h = screen.1 as f32 * 0.9;
        (room_w / self.width as f32).min(room_h / self.height as f32).min(1.0)
    }

    /// The smallest text any overlay draws: the captions' minimum ([`model::Scene::MIN_CAPTION_SIZE`] of the frame
    /// height), so the ticker, the comment bubble, the label and the card's small rows are as legible as captions.
    pub fn min_text_px(&self) -> f32 {
        self.text_px(model::Scene::MIN_CAPTION_SIZE)
    }
}

pub fn colour(c: Rgba) -> Color {
    let [r, g, b, a] = c.0;
    Color::srgba_u8(r, g, b, a)
}

/// What the frame is cleared to: the studio colour, pure key green, or fully transparent.
pub fn clear_colour(background: &Background) -> Color {
    match background {
        Background::Colour { colour: c } => colour(*c),
        Background::Chroma { key } => colour(key.colour()),
        Background::Transparent => Color::NONE,
    }
}

/// Smooth start and smooth stop (cubic smoothstep), `t` clamped to 0..1.
pub fn ease_in_out(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vertical 1080x1920 scene on a 1080p screen shrinks to fit its height with room for a taskbar; a scene that
    /// fits stays at full size; an unknown screen (0x0) changes nothing.
    #[test]
    fn a_window_larger_than_the_screen_is_scaled_to_fit() {
        let vertical = FrameSize { width: 1080, height: 1920 };
        let scale = vertical.window_scale((1920, 1080));
        assert!((scale - 1080.0 * 0.9 / 1920.0).abs() < 1e-6, "{scale}");
        assert!(1920.0 * scale <= 1080.0 * 0.9 + 0.5 && 1080.0 * scale <= 1920.0);
        assert_eq!(FrameSize { width: 1280, height: 720 }.window_scale((1920, 1080)), 1.0);
        assert_eq!(FrameSize { width: 1920, height: 1080 }.window_scale((3840, 2160)), 1.0);
        let wide = FrameSize { width: 3840, height: 1080 }.window_scale((1920, 1080));
        assert!(3840.0 * wide <= 1920.0 * 0.95 + 0.5, "{wide}");
        assert_eq!(vertical.window_scale((0, 0)), 1.0);
        assert_eq!(vertical.min_text_px(), 0.04 * 1920.0);
    }

    #[test]
    fn rectangles_map_to_pixels_and_world_space() {
        let frame = FrameSize { width: 1000, height: 500 };
        let r = Rect { x: 0.5, y: 0.0, w: 0.5, h: 0.5 };
        assert_eq!(frame.px(&r), (500.0, 0.0, 500.0, 250.0));
        assert_eq!(frame.world_centre(&r), Vec2::new(250.0, 125.0));
        assert_eq!(frame.text_px(0.001), 12.0);
    }
}
