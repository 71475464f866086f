//! The embedded default host, drawn by code from 2D meshes: it breathes, sways, blinks at natural random
//! intervals, looks toward the offer card and moves its mouth along the current line's visemes.
//!
//! The avatar is built in "avatar units": 1.0 is the height of its layout rectangle, and the root entity's
//! scale turns units into pixels, so the same drawing fits any scene.

use crate::layout::FrameSize;
use crate::speech::{Speaking, current_mouth};
use crate::{CurrentScene, StageSystems};
use bevy::prelude::*;

/// Blinks come every 2 to 6 seconds and last 130 ms, like a calm person's.
const BLINK_MIN_GAP: f32 = 2.0;
const BLINK_MAX_GAP: f32 = 6.0;
const BLINK_LENGTH: f32 = 0.13;

#[derive(Component)]
pub struct AvatarRoot {
    /// Where the root sits when still, in world pixels.
    rest: Vec2,
    scale: f32,
}

#[derive(Component)]
pub struct Torso;

#[derive(Component)]
pub struct Head;

#[derive(Component)]
pub struct Eye;

#[derive(Component)]
pub struct Pupil;

#[derive(Component)]
pub struct Mouth;

/// When the next blink starts, from a small deterministic generator so renders repeat exactly.
#[derive(Resource, Debug)]
pub struct Blink {
    pub next_at: f32,
    seed: u32,
}

impl Default for Blink {
    fn default() -> Blink {
        Blink { next_at: 1.5, seed: 0x5EED_CAFE }
    }
}

impl Blink {
    /// A gap from BLINK_MIN_GAP to BLINK_MAX_GAP seconds (xorshift; no external randomness needed).
    fn next_gap(&mut self) -> f32 {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.seed = x;
        BLINK_MIN_GAP + (x as f32 / u32::MAX as f32) * (BLINK_MAX_GAP - BLINK_MIN_GAP)
    }

    /// How open the eyes are at `now` (1.0 open, near 0 shut), advancing to the next blink when one ends.
    pub fn openness(&mut self, now: f32) -> f32 {
        while now >= self.next_at + BLINK_LENGTH {
            self.next_at += BLINK_LENGTH + self.next_gap();
        }
        if now >= self.next_at { 0.08 } else { 1.0 }
    }
}

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Blink>()
        .add_systems(Startup, spawn_avatar)
        .add_systems(Update, (idle_motion, blink, move_mouth).in_set(StageSystems::Animate));
}

fn spawn_avatar(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
) {
    let rect = scene.0.layout.avatar;
    let rest = frame.world_centre(&rect);
    let scale = rect.h * frame.height as f32;
    let mut mat = |r: u8, g: u8, b: u8| MeshMaterial2d(materials.add(Color::srgb_u8(r, g, b)));
    let skin = mat(241, 194, 160);
    let hair = mat(52, 36, 30);
    let shirt = mat(40, 96, 160);
    let collar = mat(245, 245, 245);
    let white = mat(255, 255, 255);
    let iris = mat(60, 42, 30);
    let brow = mat(52, 36, 30);
    let lips = mat(150, 50, 60);
    let cheek = MeshMaterial2d(materials.add(Color::srgba_u8(235, 120, 120, 70)));
    let mut mesh = |m: Mesh| Mesh2d(meshes.add(m));
    // The pupils look toward the offer card, so the host seems to present it.
    let card = scene.0.layout.offer_card;
    let gaze = if card.x + card.w / 2.0 > rect.x + rect.w / 2.0 { 0.012 } else { -0.012 };

    commands
        .spawn((
            AvatarRoot { rest, scale },
            Transform::from_translation(rest.extend(0.0)).with_scale(Vec3::splat(scale)),
            Visibility::default(),
        ))
        .with_children(|root| {
            root.spawn((Torso, mesh(Capsule2d::new(0.2, 0.3).into()), shirt, Transform::from_xyz(0.0, -0.33, 0.0)));
            root.spawn((mesh(Rectangle::new(0.1, 0.08).into()), skin.clone(), Transform::from_xyz(0.0, -0.06, 0.1)));
            root.spawn((
                mesh(Triangle2d::new(Vec2::new(-0.07, 0.0), Vec2::new(0.07, 0.0), Vec2::new(0.0, -0.08)).into()),
                collar,
                Transform::from_xyz(0.0, -0.1, 0.15),
            ));
            root.spawn((Head, Transform::from_xyz(0.0, 0.16, 0.2), Visibility::default())).with_children(|head| {
                head.spawn((mesh(Ellipse::new(0.19, 0.2).into()), hair.clone(), Transform::from_xyz(0.0, 0.04, 0.0)));
                head.spawn((mesh(Ellipse::new(0.155, 0.18).into()), skin.clone(), Transform::from_xyz(0.0, 0.0, 0.1)));
                head.spawn((mesh(Ellipse::new(0.16, 0.07).into()), hair, Transform::from_xyz(0.0, 0.14, 0.2)));
                for side in [-1.0f32, 1.0] {
                    head.spawn((
                        Eye,
                        mesh(Ellipse::new(0.032, 0.022).into()),
                        white.clone(),
                        Transform::from_xyz(side * 0.06, 0.02, 0.3),
                    ))
                    .with_children(|eye| {
                        let rest = Vec2::new(gaze, -0.002);
                        eye.spawn((
                            Pupil,
                            mesh(Circle::new(0.016).into()),
                            iris.clone(),
                            Transform::from_translation(rest.extend(0.1)),
                        ));
                    });
                    head.spawn((
                        mesh(Rectangle::new(0.06, 0.01).into()),
                        brow.clone(),
                        Transform::from_xyz(side * 0.06, 0.065, 0.3).with_rotation(Quat::from_rotation_z(side * -0.12)),
                    ));
                    head.spawn((
                        mesh(Circle::new(0.025).into()),
                        cheek.clone(),
                        Transform::from_xyz(side * 0.09, -0.05, 0.25),
                    ));
                }
                head.spawn((
                    mesh(
                        Triangle2d::new(Vec2::new(0.0, 0.02), Vec2::new(-0.012, -0.03), Vec2::new(0.012, -0.03)).into(),
                    ),
                    MeshMaterial2d(materials.add(Color::srgb_u8(224, 172, 140))),
                    Transform::from_xyz(0.0, -0.02, 0.3),
                ));
                head.spawn((
                    Mouth,
                    mesh(Ellipse::new(0.5, 0.5).into()),
                    lips,
                    Transform::from_xyz(0.0, -0.09, 0.35).with_scale(Vec3::new(0.06, 0.008, 1.0)),
                ));
            });
        });
}

/// Breathing (the torso swells slowly), a gentle sway, and a small nod while talking.
fn idle_motion(
    time: Res<Time>,
    speaking: Res<Speaking>,
    mut roots: Query<(&AvatarRoot, &mut Transform), (Without<Torso>, Without<Head>)>,
    mut torsos: Query<&mut Transform, (With<Torso>, Without<Head>)>,
    mut heads: Query<&mut Transform, (With<Head>, Without<Torso>)>,
) {
    let t = time.elapsed_secs();
    for (root, mut transform) in &mut roots {
        let sway = (t * 0.55).sin() * 0.006 * root.scale;
        transform.translation.x = root.rest.x + sway;
        transform.rotation = Quat::from_rotation_z((t * 0.55).sin() * 0.01);
    }
    for mut torso in &mut torsos {
        torso.scale = Vec3::new(1.0, 1.0 + (t * 1.6).sin() * 0.012, 1.0);
    }
    let (open, _) = current_mouth(&speaking, t);
    for mut head in &mut heads {
        head.translation.y = 0.16 + (t * 1.6).sin() * 0.002 + open * 0.004;
        head.rotation = Quat::from_rotation_z((t * 0.8).sin() * 0.015);
    }
}

fn blink(time: Res<Time>, mut state: ResMut<Blink>, mut eyes: Query<&mut Transform, With<Eye>>) {
    let openness = state.openness(time.elapsed_secs());
    for mut eye in &mut eyes {
        eye.scale.y = openness;
    }
}

fn move_mouth(time: Res<Time>, speaking: Res<Speaking>, mut mouths: Query<&mut Transform, With<Mouth>>) {
    let (open, wide) = current_mouth(&speaking, time.elapsed_secs());
    for mut mouth in &mut mouths {
        mouth.scale.x = 0.04 + 0.04 * wide;
        mouth.scale.y = 0.008 + 0.05 * open;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blinks_come_at_natural_irregular_intervals() {
        let mut blink = Blink::default();
        let mut starts = Vec::new();
        let mut was_open = true;
        for frame in 0..(60 * 60) {
            let now = frame as f32 / 60.0;
            let open = blink.openness(now) > 0.5;
            if was_open && !open {
                starts.push(now);
            }
            was_open = open;
        }
        let gaps: Vec<f32> = starts.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.len() >= 9, "{} blinks in a minute", starts.len());
        assert!(gaps.iter().all(|g| (BLINK_MIN_GAP..=BLINK_MAX_GAP + 0.2).contains(g)), "{gaps:?}");
        let spread = gaps.iter().cloned().fold(0.0f32, f32::max) - gaps.iter().cloned().fold(f32::MAX, f32::min);
        assert!(spread > 1.0, "intervals should vary: {gaps:?}");
    }
}
