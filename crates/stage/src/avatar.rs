//! The embedded default host, drawn by code from 2D shapes ([`crate::shapes`]): it breathes, sways, blinks at
//! natural random intervals, looks at the comment it is answering or else the offer card, and moves its mouth
//! along the current line's visemes.
//!
//! The avatar is built in "avatar units": 1.0 is the height of its layout rectangle, and the root entity's
//! scale turns units into pixels, so the same drawing fits any scene.

use crate::CurrentScene;
use crate::inbox::Command;
use crate::layered::{LayerExpression, LayerEyes, LayerMouth, LayeredRoot, load_layers, mouth_index, spawn_layers};
use crate::layout::{FrameSize, ease_in_out};
use crate::overlays::OverlayState;
use crate::shapes::{HostShape, Shape, ShapeQuad, soft_shape_bundle};
use crate::speech::{Speaking, current_mouth, current_viseme};
use bevy::prelude::*;
use model::{AvatarKind, Expression, Gesture, Scene, StageCommand};

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

/// The drawn host's lip colour (sRGB): its mouth is the only large patch of it, so `shopcast bench-av-sync` finds
/// how open the mouth is in a recorded stream by counting it and [`MOUTH_INSIDE`].
pub const LIPS: [u8; 3] = [150, 50, 60];

/// The colour inside the drawn host's open mouth (sRGB), behind the teeth.
pub const MOUTH_INSIDE: [u8; 3] = [92, 28, 40];

/// The inside of the mouth (and the teeth in it): hidden while the lips are closed, so no dark line shows
/// between them.
#[derive(Component)]
pub struct MouthInside;

/// Where the brows sit above the head's centre, and their resting tilt: nearly level, the outer ends a little
/// lower, a calm face (positive [`FacePose::brow_worry`] lifts the inner ends, negative lowers them).
const BROW_Y: f32 = 0.064;
const BROW_REST: f32 = -0.04;

/// An eyebrow; `side` is -1.0 for the host's right (screen left), 1.0 for the other.
#[derive(Component)]
pub struct Brow {
    side: f32,
}

/// A short lip stroke at each end of the mouth that turns up for a smile and down for concern.
#[derive(Component)]
pub struct MouthCorner {
    side: f32,
}

/// The gesturing arm's shoulder pivot (the arm on the offer card's side).
#[derive(Component)]
pub struct Shoulder {
    side: f32,
}

/// The gesturing arm's elbow pivot.
#[derive(Component)]
pub struct Elbow;

/// How long a new expression takes to replace the old one.
pub const EXPRESSION_BLEND_SECS: f32 = 0.25;

/// The face's shape, each value in avatar units or radians away from the neutral face.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FacePose {
    /// Both brows up (surprise, excitement) or down.
    pub brow_raise: f32,
    /// Inner brow ends up (worry) when positive.
    pub brow_worry: f32,
    /// One brow (the host's left) higher than the other (thinking).
    pub brow_asymmetry: f32,
    /// Mouth corners up (smile) when positive, down when negative.
    pub mouth_curve: f32,
    /// Eye height: 1.0 normal, below for a smiling squint, above for wide eyes.
    pub eye_open: f32,
    /// Pupils look up and away (thinking).
    pub gaze_up: f32,
}

impl FacePose {
    /// The face each expression settles into.
    pub fn of(expression: Expression) -> FacePose {
        let neutral = FacePose { eye_open: 1.0, ..FacePose::default() };
        match expression {
            Expression::Neutral => neutral,
            Expression::WarmSmile => FacePose { brow_raise: 0.006, mouth_curve: 0.7, eye_open: 0.8, ..neutral },
            Expression::Excited => FacePose { brow_raise: 0.02, mouth_curve: 1.0, eye_open: 1.25, ..neutral },
            Expression::Thinking => {
                FacePose { brow_asymmetry: 0.018, mouth_curve: -0.15, eye_open: 0.9, gaze_up: 1.0, ..neutral }
            }
            Expression::CalmConcerned => {
                FacePose { brow_worry: 0.3, brow_raise: 0.004, mouth_curve: -0.45, eye_open: 0.95, ..neutral }
            }
        }
    }

    /// `self` moved a fraction `t` (0 to 1) of the way to `to`.
    pub fn lerp(self, to: FacePose, t: f32) -> FacePose {
        let m = |a: f32, b: f32| a + (b - a) * t;
        FacePose {
            brow_raise: m(self.brow_raise, to.brow_raise),
            brow_worry: m(self.brow_worry, to.brow_worry),
            brow_asymmetry: m(self.brow_asymmetry, to.brow_asymmetry),
            mouth_curve: m(self.mouth_curve, to.mouth_curve),
            eye_open: m(self.eye_open, to.eye_open),
            gaze_up: m(self.gaze_up, to.gaze_up),
        }
    }
}

/// The face's expression over time: a cross-fade from wherever the face was to the newest expression.
#[derive(Resource, Debug, Clone)]
pub struct Face {
    from: FacePose,
    /// The expression being faded out (for layered avatars' expression layers).
    previous: Expression,
    pub target: Expression,
    started: f32,
}

impl Default for Face {
    fn default() -> Face {
        Face {
            from: FacePose::of(Expression::Neutral),
            previous: Expression::Neutral,
            target: Expression::Neutral,
            started: f32::NEG_INFINITY,
        }
    }
}

impl Face {
    /// The face at `now`: eased from the previous pose to the target over [`EXPRESSION_BLEND_SECS`].
    pub fn pose_at(&self, now: f32) -> FacePose {
        let t = ease_in_out((now - self.started) / EXPRESSION_BLEND_SECS);
        self.from.lerp(FacePose::of(self.target), t)
    }

    /// How much of `expression` shows at `now` (0 to 1): rising for the target, falling for the one it replaces.
    pub fn weight(&self, expression: Expression, now: f32) -> f32 {
        let t = ease_in_out((now - self.started) / EXPRESSION_BLEND_SECS);
        match expression {
            e if e == self.target => t,
            e if e == self.previous => 1.0 - t,
            _ => 0.0,
        }
    }

    /// Starts easing toward `expression` from the face as it is at `now`, so a change mid-blend does not jump.
    pub fn set(&mut self, expression: Expression, now: f32) {
        if expression == self.target {
            return;
        }
        self.from = self.pose_at(now);
        self.previous = self.target;
        self.target = expression;
        self.started = now;
    }
}

/// The gesturing arm and head, as angles (radians) and offsets from the idle pose.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BodyPose {
    /// Upper arm swung out toward the offer side (0 hangs down, about 1.6 is level).
    pub shoulder: f32,
    /// Forearm bent up from the upper arm's line.
    pub elbow: f32,
    /// Head dipped down, in avatar units (a nod).
    pub head_dip: f32,
}

impl BodyPose {
    pub fn lerp(self, to: BodyPose, t: f32) -> BodyPose {
        let m = |a: f32, b: f32| a + (b - a) * t;
        BodyPose {
            shoulder: m(self.shoulder, to.shoulder),
            elbow: m(self.elbow, to.elbow),
            head_dip: m(self.head_dip, to.head_dip),
        }
    }
}

/// Seconds to raise into a gesture and to ease back out of it.
const GESTURE_IN: f32 = 0.3;
const GESTURE_OUT: f32 = 0.35;

/// How long each gesture plays, easing in and out included.
pub fn gesture_length(gesture: Gesture) -> f32 {
    match gesture {
        Gesture::PointAtOffer => 1.5,
        Gesture::Present => 1.7,
        Gesture::Wave => 1.8,
        Gesture::Nod => 0.9,
    }
}

/// The pose `t` seconds into a gesture, eased in from idle and back out to it; `None` once it is over.
pub fn gesture_pose(gesture: Gesture, t: f32) -> Option<BodyPose> {
    let length = gesture_length(gesture);
    if !(0.0..length).contains(&t) {
        return None;
    }
    let envelope = ease_in_out(t / GESTURE_IN).min(ease_in_out((length - t) / GESTURE_OUT));
    let held = match gesture {
        Gesture::PointAtOffer => BodyPose { shoulder: 1.45, elbow: 0.1, head_dip: 0.0 },
        Gesture::Present => BodyPose { shoulder: 0.75, elbow: 1.2, head_dip: 0.0 },
        // The hand swings side to side twice a second above the shoulder.
        Gesture::Wave => {
            BodyPose { shoulder: 2.4, elbow: 0.5 + 0.45 * (t * std::f32::consts::TAU * 2.0).sin(), head_dip: 0.0 }
        }
        // Two dips of the head.
        Gesture::Nod => BodyPose {
            shoulder: 0.0,
            elbow: 0.0,
            head_dip: 0.022 * (t / length * std::f32::consts::TAU * 2.0).sin().abs(),
        },
    };
    Some(BodyPose::default().lerp(held, envelope))
}

/// The gesture playing, if any, and when it started.
#[derive(Resource, Debug, Default, Clone)]
pub struct GesturePlay {
    pub current: Option<(Gesture, f32)>,
}

impl GesturePlay {
    pub fn pose_at(&self, now: f32) -> BodyPose {
        self.current.and_then(|(g, started)| gesture_pose(g, now - started)).unwrap_or_default()
    }
}

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
        .init_resource::<Face>()
        .init_resource::<GesturePlay>()
        .init_resource::<Gaze>()
        .add_systems(Startup, spawn_avatar);
}

fn spawn_avatar(
    mut commands: Commands,
    quad: Res<ShapeQuad>,
    mut shapes: ResMut<Assets<HostShape>>,
    mut images: ResMut<Assets<Image>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
) {
    let mut assets =
        HostAssets { shapes: &mut shapes, images: &mut images, meshes: &mut meshes, materials: &mut materials };
    spawn_host(&mut commands, &quad, &mut assets, &scene.0, &frame);
}

/// The asset stores a host is made of.
pub struct HostAssets<'a> {
    pub shapes: &'a mut Assets<HostShape>,
    pub images: &'a mut Assets<Image>,
    pub meshes: &'a mut Assets<Mesh>,
    pub materials: &'a mut Assets<ColorMaterial>,
}

/// Spawns the scene's host: its VRM model or layered PNGs, or the drawn host when the scene asks for it or the
/// file cannot be loaded (`shopcast check` reports that before a show; here it is logged once, naming the file).
/// The drawn host's parts are [`Shape`]s that antialias their own edges, so the frame needs no multisampling.
pub fn spawn_host(
    commands: &mut Commands,
    quad: &ShapeQuad,
    assets: &mut HostAssets<'_>,
    scene: &Scene,
    frame: &FrameSize,
) {
    let HostAssets { shapes, images, meshes, materials } = assets;
    let rect = scene.layout.avatar;
    let rest = frame.world_centre(&rect);
    let scale = rect.h * frame.height as f32;
    if let AvatarKind::Vrm { path, idle } = &scene.avatar {
        match vrm::read(path) {
            Ok(model) => {
                let clip = idle
                    .as_ref()
                    .and_then(|p| vrm::clip::read_clip(p).map_err(|e| error!("{e}; the host idles without it")).ok());
                let (_, _, w, h) = frame.px(&rect);
                let card = scene.layout.offer_card;
                let offer_side = if card.x + card.w / 2.0 > rect.x + rect.w / 2.0 { 1.0 } else { -1.0 };
                let mut root = commands.spawn((
                    AvatarRoot { rest, scale },
                    Transform::from_translation(rest.extend(0.0)),
                    Visibility::default(),
                ));
                crate::vrm_host::spawn_vrm(
                    &mut root,
                    &model,
                    clip,
                    Vec2::new(w, h),
                    offer_side,
                    meshes,
                    materials,
                    images,
                );
                return;
            }
            Err(e) => error!("{e}; showing the built-in host instead"),
        }
    }
    if let AvatarKind::Layered { folder } = &scene.avatar {
        match load_layers(folder) {
            Ok(layers) => {
                let (_, _, w, h) = frame.px(&rect);
                let mut root = commands.spawn((
                    AvatarRoot { rest, scale },
                    Transform::from_translation(rest.extend(0.0)),
                    Visibility::default(),
                ));
                spawn_layers(&mut root, layers, Vec2::new(w, h), images);
                return;
            }
            Err(e) => error!("{e}; showing the built-in host instead"),
        }
    }
    // The pupils look toward the offer card, so the host seems to present it; the arm on that side gestures.
    let card = scene.layout.offer_card;
    let gaze: f32 = if card.x + card.w / 2.0 > rect.x + rect.w / 2.0 { 0.012 } else { -0.012 };
    let skin = Color::srgb_u8(241, 194, 160);
    let skin_shade = Color::srgba_u8(205, 140, 112, 70);
    let hair = Color::srgb_u8(52, 36, 30);
    let hair_back = Color::srgb_u8(40, 27, 22);
    let hair_sheen = Color::srgba_u8(128, 92, 72, 150);
    // The jacket; its sleeves and lapels a shade darker, so an arm in front of the torso still reads as an arm.
    let jacket = Color::srgb_u8(40, 96, 160);
    let jacket_dark = Color::srgb_u8(30, 76, 132);
    let button = Color::srgb_u8(22, 56, 100);
    let blouse = Color::srgb_u8(245, 245, 245);
    let white = Color::srgb_u8(255, 255, 255);
    let iris = Color::srgb_u8(92, 62, 42);
    let pupil_dark = Color::srgb_u8(28, 20, 18);
    let lash = Color::srgb_u8(40, 28, 24);
    let brow = Color::srgb_u8(74, 52, 42);
    let lips = Color::srgb_u8(LIPS[0], LIPS[1], LIPS[2]);
    let inside = Color::srgb_u8(MOUTH_INSIDE[0], MOUTH_INSIDE[1], MOUTH_INSIDE[2]);
    let teeth = Color::srgb_u8(250, 248, 242);
    let cheek = Color::srgba_u8(235, 120, 120, 60);
    let nose = Color::srgba_u8(205, 140, 112, 110);
    // Every part is a shape in a colour; a soft one (a shadow, a blush, light on the hair) fades out over its edge.
    let mut paint = |shape: Shape, color: Color, soft: f32| soft_shape_bundle(quad, shapes, shape, color, soft);
    let capsule = |radius: f32, length: f32| Shape::Capsule { radius, length };
    let ellipse = |w: f32, h: f32| Shape::Ellipse(Vec2::new(w, h));
    let rectangle = |w: f32, h: f32| Shape::Rectangle(Vec2::new(w, h));
    let v = Vec2::new;

    let mut host = commands.spawn((
        AvatarRoot { rest, scale },
        // Scaled in x and y only: the parts' z (their drawing order, up to 0.8) must stay within the 2D camera's
        // depth range (1000) at any frame size.
        Transform::from_translation(rest.extend(0.0)).with_scale(Vec3::new(scale, scale, 1.0)),
        Visibility::default(),
    ));
    host.with_children(|root| {
        // The torso: shoulders wider than the waist, rounded on top, with the jacket's opening, lapels and
        // buttons on it (they breathe with it).
        root.spawn((
            Torso,
            paint(Shape::Quad([v(-0.2, 0.25), v(0.2, 0.25), v(0.165, -0.36), v(-0.165, -0.36)]), jacket, 0.0),
            Transform::from_xyz(0.0, -0.35, 0.0),
            Visibility::default(),
        ))
        .with_children(|torso| {
            torso.spawn((paint(ellipse(0.205, 0.075), jacket, 0.0), Transform::from_xyz(0.0, 0.25, 0.001)));
            // The blouse in the jacket's V, and the skin of the neckline inside its collar.
            torso.spawn((
                paint(Shape::Triangle([v(-0.075, 0.27), v(0.075, 0.27), v(0.0, 0.1)]), blouse, 0.0),
                at(0.0, 0.0, 0.01),
            ));
            torso.spawn((
                paint(Shape::Triangle([v(-0.045, 0.27), v(0.045, 0.27), v(0.0, 0.19)]), skin, 0.0),
                at(0.0, 0.0, 0.02),
            ));
            for side in [-1.0f32, 1.0] {
                // A lapel along each edge of the V, folded back over the jacket.
                torso.spawn((
                    paint(
                        Shape::Triangle([v(side * 0.075, 0.27), v(0.0, 0.1), v(side * 0.125, 0.2)]),
                        jacket_dark,
                        0.0,
                    ),
                    at(0.0, 0.0, 0.015),
                ));
            }
            for y in [0.05, -0.05] {
                torso.spawn((paint(Shape::circle(0.011), button, 0.0), at(0.0, y, 0.02)));
            }
        });
        root.spawn((paint(rectangle(0.085, 0.09), skin, 0.0), at(0.0, -0.055, 0.1)));
        // The chin's shadow on the neck.
        root.spawn((paint(ellipse(0.05, 0.022), skin_shade, 0.5), at(0.0, -0.03, 0.11)));
        // Arms hang from the shoulders; the one on the offer side gestures (pivots at shoulder and elbow).
        let offer_side = gaze.signum();
        for side in [-1.0f32, 1.0] {
            let mut shoulder = root.spawn((
                Transform::from_xyz(side * 0.18, -0.1, 0.05).with_rotation(Quat::from_rotation_z(side * 0.12)),
                Visibility::default(),
            ));
            if side == offer_side {
                shoulder.insert(Shoulder { side });
            }
            shoulder.with_children(|upper| {
                upper.spawn((paint(capsule(0.045, 0.14), jacket_dark, 0.0), Transform::from_xyz(0.0, -0.08, 0.0)));
                let mut elbow = upper.spawn((Transform::from_xyz(0.0, -0.17, 0.01), Visibility::default()));
                if side == offer_side {
                    elbow.insert(Elbow);
                }
                elbow.with_children(|fore| {
                    fore.spawn((paint(capsule(0.04, 0.11), jacket_dark, 0.0), Transform::from_xyz(0.0, -0.065, 0.0)));
                    // The blouse's cuff, then the hand: a palm, four fingers together and a thumb on the inside.
                    fore.spawn((paint(ellipse(0.038, 0.012), blouse, 0.0), at(0.0, -0.135, 0.005)));
                    fore.spawn((paint(ellipse(0.032, 0.036), skin, 0.0), at(0.0, -0.165, 0.01)));
                    fore.spawn((paint(capsule(0.027, 0.02), skin, 0.0), at(0.0, -0.19, 0.011)));
                    fore.spawn((
                        paint(capsule(0.01, 0.026), skin, 0.0),
                        Transform::from_xyz(-side * 0.03, -0.16, 0.012)
                            .with_rotation(Quat::from_rotation_z(side * 0.5)),
                    ));
                });
            });
        }
        root.spawn((Head, Transform::from_xyz(0.0, 0.16, 0.2), Visibility::default())).with_children(|head| {
            // A bob: the hair behind the face falls to the jaw, fuller at the sides.
            head.spawn((paint(ellipse(0.198, 0.222), hair_back, 0.0), at(0.0, 0.0, -0.15)));
            for side in [-1.0f32, 1.0] {
                head.spawn((
                    paint(ellipse(0.072, 0.16), hair, 0.0),
                    Transform::from_xyz(side * 0.138, -0.045, -0.14).with_rotation(Quat::from_rotation_z(side * 0.12)),
                ));
            }
            // The face narrows to the chin.
            head.spawn((paint(ellipse(0.148, 0.17), skin, 0.0), at(0.0, 0.01, 0.1)));
            head.spawn((paint(ellipse(0.117, 0.125), skin, 0.0), at(0.0, -0.055, 0.1)));
            // The crown, and a fringe swept from a side parting toward the host's right.
            head.spawn((paint(ellipse(0.166, 0.085), hair, 0.0), at(0.0, 0.155, 0.2)));
            head.spawn((
                paint(ellipse(0.12, 0.05), hair, 0.0),
                Transform::from_xyz(-0.05, 0.118, 0.21).with_rotation(Quat::from_rotation_z(0.32)),
            ));
            head.spawn((
                paint(ellipse(0.07, 0.04), hair, 0.0),
                Transform::from_xyz(0.09, 0.13, 0.21).with_rotation(Quat::from_rotation_z(-0.5)),
            ));
            // Light on the hair: a soft sheen across the crown.
            head.spawn((
                paint(ellipse(0.075, 0.016), hair_sheen, 0.6),
                Transform::from_xyz(-0.06, 0.178, 0.22).with_rotation(Quat::from_rotation_z(0.3)),
            ));
            for side in [-1.0f32, 1.0] {
                // The eye: its white, the iris (which looks about) with a pupil and a catch light, and the upper
                // lid's lash line, which closes with the eye when it blinks.
                head.spawn((Eye, paint(ellipse(0.032, 0.022), white, 0.0), at(side * 0.06, 0.02, 0.3))).with_children(
                    |eye| {
                        let rest = Vec2::new(gaze, -0.002);
                        eye.spawn((
                            Pupil,
                            paint(Shape::circle(0.016), iris, 0.0),
                            Transform::from_translation(rest.extend(0.1)),
                        ))
                        .with_children(|iris| {
                            iris.spawn((paint(Shape::circle(0.0085), pupil_dark, 0.0), at(0.0, 0.0, 0.01)));
                            iris.spawn((paint(Shape::circle(0.0042), white, 0.0), at(-0.005, 0.0055, 0.02)));
                        });
                        eye.spawn((paint(ellipse(0.036, 0.0068), lash, 0.0), at(0.0, 0.0185, 0.2)));
                        eye.spawn((
                            paint(
                                Shape::Triangle([v(side * 0.024, 0.02), v(side * 0.044, 0.03), v(side * 0.034, 0.012)]),
                                lash,
                                0.0,
                            ),
                            at(0.0, 0.0, 0.2),
                        ));
                    },
                );
                head.spawn((
                    Brow { side },
                    paint(ellipse(0.033, 0.0075), brow, 0.0),
                    Transform::from_xyz(side * 0.06, BROW_Y, 0.3)
                        .with_rotation(Quat::from_rotation_z(side * BROW_REST)),
                ));
                head.spawn((
                    MouthCorner { side },
                    paint(ellipse(0.013, 0.0038), lips, 0.0),
                    Transform::from_xyz(side * 0.03, -0.09, 0.36),
                ));
                head.spawn((paint(Shape::circle(0.028), cheek, 0.7), at(side * 0.085, -0.045, 0.25)));
            }
            // The nose: a soft shadow down one side and under the tip.
            head.spawn((
                paint(ellipse(0.012, 0.03), nose, 0.6),
                Transform::from_xyz(0.006, -0.012, 0.3).with_rotation(Quat::from_rotation_z(0.1)),
            ));
            head.spawn((paint(ellipse(0.016, 0.006), nose, 0.5), at(0.0, -0.04, 0.3)));
            // The mouth: lips around a dark inside with the upper teeth, shown once the mouth opens.
            head.spawn((
                Mouth,
                paint(ellipse(0.5, 0.5), lips, 0.0),
                Transform::from_xyz(0.0, -0.09, 0.35).with_scale(Vec3::new(0.06, 0.008, 1.0)),
            ))
            .with_children(|mouth| {
                mouth
                    .spawn((
                        MouthInside,
                        paint(ellipse(0.4, 0.34), inside, 0.0),
                        at(0.0, 0.0, 0.01),
                        Visibility::Hidden,
                    ))
                    .with_children(|inner| {
                        inner.spawn((paint(ellipse(0.3, 0.1), teeth, 0.0), at(0.0, 0.25, 0.001)));
                    });
            });
        });
    });
}

/// A child part's place (its parent's units) and drawing order.
fn at(x: f32, y: f32, z: f32) -> Transform {
    Transform::from_xyz(x, y, z)
}

/// Breathing (the torso swells slowly), a gentle sway, and a small nod while talking.
pub(crate) fn idle_motion(
    time: Res<Time>,
    speaking: Res<Speaking>,
    gesture: Res<GesturePlay>,
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
    let dip = gesture.pose_at(t).head_dip;
    for mut head in &mut heads {
        head.translation.y = 0.16 + (t * 1.6).sin() * 0.002 + open * 0.004 - dip;
        head.rotation = Quat::from_rotation_z((t * 0.8).sin() * 0.015);
    }
}

pub(crate) fn blink(
    time: Res<Time>,
    mut state: ResMut<Blink>,
    face: Res<Face>,
    mut eyes: Query<&mut Transform, With<Eye>>,
) {
    let now = time.elapsed_secs();
    let openness = state.openness(now) * face.pose_at(now).eye_open;
    for mut eye in &mut eyes {
        eye.scale.y = openness;
    }
}

/// The layered host: eyes swap for blinks, the mouth layer follows the viseme being spoken, and a nod dips the
/// whole picture.
pub(crate) fn animate_layers(
    time: Res<Time>,
    mut blink: ResMut<Blink>,
    speaking: Res<Speaking>,
    gesture: Res<GesturePlay>,
    mut roots: Query<(&AvatarRoot, &mut Transform), With<LayeredRoot>>,
    mut eyes: Query<(&LayerEyes, &mut Sprite), (Without<LayerMouth>, Without<LayerExpression>)>,
    mut mouths: Query<(&LayerMouth, &mut Sprite), (Without<LayerEyes>, Without<LayerExpression>)>,
    mut expressions: Query<(&LayerExpression, &mut Sprite), (Without<LayerEyes>, Without<LayerMouth>)>,
    face: Res<Face>,
) {
    let now = time.elapsed_secs();
    let closed = blink.openness(now) < 0.5;
    for (layer, mut sprite) in &mut eyes {
        let wanted = if closed { &layer.closed } else { &layer.open };
        if sprite.image != *wanted {
            sprite.image = wanted.clone();
        }
    }
    let index = mouth_index(current_viseme(&speaking, now));
    for (layer, mut sprite) in &mut mouths {
        if let Some(wanted) = layer.shapes.get(index)
            && sprite.image != *wanted
        {
            sprite.image = wanted.clone();
        }
    }
    for (layer, mut sprite) in &mut expressions {
        let alpha = face.weight(layer.0, now);
        if (sprite.color.alpha() - alpha).abs() > f32::EPSILON {
            sprite.color.set_alpha(alpha);
        }
    }
    let dip = gesture.pose_at(now).head_dip;
    for (root, mut transform) in &mut roots {
        transform.translation.y = root.rest.y - dip * root.scale;
    }
}

/// Expressions and gestures from the show; the newest of each wins.
pub(crate) fn apply_avatar_commands(
    mut messages: MessageReader<Command>,
    time: Res<Time>,
    mut face: ResMut<Face>,
    mut gesture: ResMut<GesturePlay>,
) {
    let now = time.elapsed_secs();
    for Command(command) in messages.read() {
        match command {
            StageCommand::Expression(expression) => face.set(*expression, now),
            StageCommand::Gesture(g) => gesture.current = Some((*g, now)),
            _ => {}
        }
    }
}

/// Brows, mouth corners and pupils follow the face's current pose and the [`Gaze`].
pub(crate) fn show_expression(
    time: Res<Time>,
    face: Res<Face>,
    gaze: Res<Gaze>,
    mut brows: Query<(&Brow, &mut Transform), (Without<MouthCorner>, Without<Pupil>)>,
    mut corners: Query<(&MouthCorner, &mut Transform), (Without<Brow>, Without<Pupil>)>,
    mut pupils: Query<&mut Transform, (With<Pupil>, Without<Brow>, Without<MouthCorner>)>,
    mouths: Query<&Transform, (With<Mouth>, Without<Brow>, Without<MouthCorner>, Without<Pupil>)>,
) {
    let pose = face.pose_at(time.elapsed_secs());
    for (brow, mut t) in &mut brows {
        let lift = pose.brow_raise + if brow.side > 0.0 { pose.brow_asymmetry } else { 0.0 };
        t.translation.y = BROW_Y + lift;
        // A brow on the +x side turned clockwise (a negative angle) lifts its inner end, toward the nose; the
        // other brow mirrors it. Positive worry lifts the inner ends.
        t.rotation = Quat::from_rotation_z(brow.side * (BROW_REST - pose.brow_worry));
    }
    let half_width = mouths.iter().next().map_or(0.03, |m| m.scale.x * 0.5);
    for (corner, mut t) in &mut corners {
        let curve = pose.mouth_curve;
        t.translation.x = corner.side * (half_width + 0.008);
        t.translation.y = -0.09 + curve * 0.008;
        t.rotation = Quat::from_rotation_z(corner.side * curve * 0.6);
        // A neutral mouth has no visible corners; they grow with the curve.
        t.scale = Vec3::new(curve.abs().min(1.0), 1.0, 1.0);
    }
    let pupil = keep_in_eye(Vec2::new(gaze.offset.x, -0.002 + gaze.offset.y + pose.gaze_up * 0.008));
    for mut t in &mut pupils {
        t.translation.x = pupil.x;
        t.translation.y = pupil.y;
    }
}

/// Where the pupils look, as an offset from the eye's centre in avatar units, eased toward what the host attends
/// to: the comment being answered while one is shown, else the pinned offer, else straight ahead.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct Gaze {
    pub offset: Vec2,
}

/// How far the gaze moves the pupils from the eye's centre, before [`keep_in_eye`].
const GAZE_REACH: Vec2 = Vec2::new(0.012, 0.008);

/// How far a pupil's centre may sit from the eye's centre and still lie wholly inside the eye (half axes 0.032 and
/// 0.022, the pupil's radius 0.016): an ellipse a little inside the eye's less the radius, because a circle slid
/// along that one would poke out where the eye curves most (checked numerically: at most 0.994 of the eye).
const PUPIL_TRAVEL: Vec2 = Vec2::new(0.0148, 0.0055);

/// `offset` (a pupil's centre from the eye's) pulled back inside the ellipse the pupil can travel, so looking hard
/// down, or up while thinking, never pushes the pupil out of the eye white.
pub fn keep_in_eye(offset: Vec2) -> Vec2 {
    let e = (offset / PUPIL_TRAVEL).length_squared();
    if e > 1.0 { offset / e.sqrt() } else { offset }
}

/// Eyes settle on a new target within about a quarter second (a time constant of 60 ms).
const GAZE_SETTLE_SECS: f32 = 0.06;

/// The pupils' offset for looking from `eyes` toward `target` (both in world pixels, +y up). Vertical differences
/// count double: eyes turn down to a comment below far more than the head's angle to it alone would show.
pub fn gaze_toward(eyes: Vec2, target: Vec2) -> Vec2 {
    let d = target - eyes;
    let d = Vec2::new(d.x, d.y * 2.0);
    if d.length() < 1.0 { Vec2::ZERO } else { d.normalize() * GAZE_REACH }
}

/// Moves the gaze toward the comment being answered, the offer or ahead (see [`Gaze`]).
pub(crate) fn look(
    time: Res<Time>,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
    overlays: Res<OverlayState>,
    mut gaze: ResMut<Gaze>,
    roots: Query<&AvatarRoot, Without<LayeredRoot>>,
) {
    let Some(root) = roots.iter().next() else {
        return;
    };
    // The eyes sit 0.18 units above the root (the head at 0.16, the eyes 0.02 up it).
    let eyes = root.rest + Vec2::new(0.0, 0.18 * root.scale);
    let layout = &scene.0.layout;
    let target = if overlays.comment.is_some() {
        Some(layout.comment)
    } else if overlays.pinned.is_some() && !overlays.standby {
        Some(layout.offer_card)
    } else {
        None
    };
    let wanted = target.map_or(Vec2::ZERO, |r| gaze_toward(eyes, frame.world_centre(&r)));
    let k = 1.0 - (-time.delta_secs() / GAZE_SETTLE_SECS).exp();
    let step = (wanted - gaze.offset) * k;
    gaze.offset += step;
}

/// The offer-side arm follows the gesture playing (hanging at rest otherwise); a finished gesture is dropped.
pub(crate) fn play_gesture(
    time: Res<Time>,
    mut gesture: ResMut<GesturePlay>,
    mut shoulders: Query<(&Shoulder, &mut Transform), Without<Elbow>>,
    mut elbows: Query<&mut Transform, (With<Elbow>, Without<Shoulder>)>,
) {
    let now = time.elapsed_secs();
    if let Some((g, started)) = gesture.current
        && gesture_pose(g, now - started).is_none()
        && now - started > 0.0
    {
        gesture.current = None;
    }
    let pose = gesture.pose_at(now);
    for (shoulder, mut t) in &mut shoulders {
        t.rotation = Quat::from_rotation_z(shoulder.side * (0.12 + pose.shoulder));
    }
    for mut t in &mut elbows {
        let side = shoulders.iter().next().map_or(1.0, |(s, _)| s.side);
        t.rotation = Quat::from_rotation_z(side * pose.elbow);
    }
}

pub(crate) fn move_mouth(
    time: Res<Time>,
    speaking: Res<Speaking>,
    mut mouths: Query<&mut Transform, With<Mouth>>,
    mut insides: Query<&mut Visibility, With<MouthInside>>,
) {
    let (open, wide) = current_mouth(&speaking, time.elapsed_secs());
    for mut mouth in &mut mouths {
        mouth.scale.x = 0.04 + 0.04 * wide;
        mouth.scale.y = 0.008 + 0.05 * open;
    }
    // The inside shows once the lips are apart by more than a closed mouth's line.
    let shown = if 0.008 + 0.05 * open > MOUTH_OPEN_AT { Visibility::Inherited } else { Visibility::Hidden };
    for mut inside in &mut insides {
        inside.set_if_neq(shown);
    }
}

/// The mouth's height (in avatar units) past which its inside and teeth show.
const MOUTH_OPEN_AT: f32 = 0.016;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easing_starts_and_ends_gently_and_clamps() {
        assert_eq!(ease_in_out(-1.0), 0.0);
        assert_eq!(ease_in_out(0.5), 0.5);
        assert_eq!(ease_in_out(2.0), 1.0);
        // Slow at both ends: the first and last tenth cover less than a tenth of the way.
        assert!(ease_in_out(0.1) < 0.05 && ease_in_out(0.9) > 0.95);
        let steps: Vec<f32> = (0..=20).map(|i| ease_in_out(i as f32 / 20.0)).collect();
        assert!(steps.windows(2).all(|w| w[1] >= w[0]), "monotonic: {steps:?}");
    }

    #[test]
    fn expressions_cross_fade_over_a_quarter_second_without_jumps() {
        let mut face = Face::default();
        assert_eq!(face.pose_at(0.0), FacePose::of(Expression::Neutral));
        face.set(Expression::Excited, 10.0);
        assert_eq!(face.pose_at(10.0), FacePose::of(Expression::Neutral));
        let mid = face.pose_at(10.0 + EXPRESSION_BLEND_SECS / 2.0);
        let (from, to) = (FacePose::of(Expression::Neutral), FacePose::of(Expression::Excited));
        assert!(mid.mouth_curve > from.mouth_curve && mid.mouth_curve < to.mouth_curve, "{mid:?}");
        assert_eq!(face.pose_at(10.0 + EXPRESSION_BLEND_SECS), to);
        // Changing mid-blend starts from where the face is, not from where it was going.
        face.set(Expression::CalmConcerned, 10.1);
        let at_change = face.pose_at(10.1);
        assert!((at_change.mouth_curve - mid.mouth_curve).abs() < 0.3, "{at_change:?}");
        assert!(at_change.mouth_curve > 0.0, "still smiling at the moment of change");
        assert_eq!(face.pose_at(11.0), FacePose::of(Expression::CalmConcerned));
        // Expression layers cross-fade the same way: the old one out as the new one comes in.
        let halfway = 10.1 + EXPRESSION_BLEND_SECS / 2.0;
        assert_eq!(face.weight(Expression::CalmConcerned, halfway), 0.5);
        assert_eq!(face.weight(Expression::Excited, halfway), 0.5);
        assert_eq!(face.weight(Expression::Thinking, halfway), 0.0);
        assert_eq!(face.weight(Expression::CalmConcerned, 11.0), 1.0);
        assert_eq!(face.weight(Expression::Excited, 11.0), 0.0);
        assert!(FacePose::of(Expression::CalmConcerned).mouth_curve < 0.0);
        assert!(FacePose::of(Expression::WarmSmile).mouth_curve > 0.0);
        assert!(FacePose::of(Expression::Thinking).brow_asymmetry > 0.0);
    }

    #[test]
    fn gestures_rise_hold_and_ease_back_to_rest() {
        for g in [Gesture::PointAtOffer, Gesture::Present, Gesture::Wave, Gesture::Nod] {
            let length = gesture_length(g);
            let start = gesture_pose(g, 0.0).unwrap();
            assert_eq!(start, BodyPose::default(), "{g:?} starts at rest");
            let end = gesture_pose(g, length - 0.001).unwrap();
            assert!(end.shoulder.abs() < 0.01 && end.head_dip.abs() < 0.001, "{g:?} ends near rest: {end:?}");
            assert!(gesture_pose(g, length).is_none() && gesture_pose(g, -0.1).is_none());
            let peak = (0..100)
                .filter_map(|i| gesture_pose(g, length * i as f32 / 100.0))
                .map(|p| p.shoulder.abs() + p.head_dip.abs() * 10.0)
                .fold(0.0f32, f32::max);
            assert!(peak > 0.1, "{g:?} visibly moves: {peak}");
        }
        // Pointing raises the arm about level toward the card.
        let point = gesture_pose(Gesture::PointAtOffer, 0.7).unwrap();
        assert!((1.2..1.7).contains(&point.shoulder), "{point:?}");
        // A wave swings the forearm back and forth while the arm is up.
        let elbows: Vec<f32> =
            (0..8).map(|i| gesture_pose(Gesture::Wave, 0.5 + i as f32 * 0.06).unwrap().elbow).collect();
        let swing = elbows.iter().cloned().fold(f32::MIN, f32::max) - elbows.iter().cloned().fold(f32::MAX, f32::min);
        assert!(swing > 0.5, "{elbows:?}");
        let play = GesturePlay { current: Some((Gesture::Nod, 1.0)) };
        assert!(play.pose_at(1.2).head_dip > 0.0);
        assert_eq!(play.pose_at(5.0), BodyPose::default());
    }

    #[test]
    fn the_eyes_turn_toward_what_the_host_attends_to_and_no_further_than_the_eye() {
        let eyes = Vec2::new(-320.0, 100.0);
        // The studio scene: the offer card to the right at about eye height, the comment to the right and below.
        let card = gaze_toward(eyes, Vec2::new(320.0, 50.0));
        let comment = gaze_toward(eyes, Vec2::new(320.0, -180.0));
        assert!(card.x > 0.011 && card.y < 0.0 && card.y > -0.003, "{card:?}");
        assert!(comment.x > 0.0 && comment.y < -0.005, "a comment below draws the eyes down: {comment:?}");
        // The vertical scene: the card straight above.
        let up = gaze_toward(Vec2::new(0.0, -100.0), Vec2::new(0.0, 500.0));
        assert!(up.x.abs() < 1e-6 && (up.y - GAZE_REACH.y).abs() < 1e-6, "{up:?}");
        for target in [Vec2::new(5000.0, 5000.0), Vec2::new(-3.0, 0.5), Vec2::new(0.0, -9000.0)] {
            let g = gaze_toward(Vec2::ZERO, target);
            assert!(g.x.abs() <= GAZE_REACH.x + 1e-6 && g.y.abs() <= GAZE_REACH.y + 1e-6, "{g:?} stays in the eye");
        }
        assert_eq!(gaze_toward(eyes, eyes), Vec2::ZERO, "nothing to look at: straight ahead");
        // Whatever the gaze and the face, the pupil (radius 0.016) stays inside the eye (half axes 0.032, 0.022).
        let thinking_up = Vec2::new(0.0, -0.002 + up.y + 0.008);
        for offset in [comment + Vec2::new(0.0, -0.002), thinking_up, Vec2::new(0.012, -0.010), Vec2::ZERO] {
            let p = keep_in_eye(offset);
            for k in 0..64 {
                let a = k as f32 / 64.0 * std::f32::consts::TAU;
                let edge = p + 0.016 * Vec2::new(a.cos(), a.sin());
                let inside = (edge / Vec2::new(0.032, 0.022)).length_squared();
                assert!(inside <= 1.0 + 1e-3, "{offset:?} -> {p:?}: the pupil's edge at {inside}");
            }
        }
        assert_eq!(keep_in_eye(Vec2::new(0.01, -0.002)), Vec2::new(0.01, -0.002), "small offsets are kept");
        // Round the whole travel ellipse's edge, the pupil stays inside.
        for k in 0..256 {
            let t = k as f32 / 256.0 * std::f32::consts::TAU;
            let p = keep_in_eye(PUPIL_TRAVEL * 2.0 * Vec2::new(t.cos(), t.sin()));
            for j in 0..64 {
                let a = j as f32 / 64.0 * std::f32::consts::TAU;
                let inside = ((p + 0.016 * Vec2::new(a.cos(), a.sin())) / Vec2::new(0.032, 0.022)).length_squared();
                assert!(inside <= 1.0, "{p:?}: the pupil's edge at {inside}");
            }
        }
    }

    /// At 8K (and any size) every part of the drawn host stays in front of the 2D camera's far plane (1000), so no
    /// part of the face is clipped away.
    #[test]
    fn the_host_stays_within_the_cameras_depth_at_any_frame_size() {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, bevy::asset::AssetPlugin::default(), bevy::transform::TransformPlugin))
            .init_asset::<Mesh>()
            .init_asset::<HostShape>()
            .init_asset::<Image>()
            .init_asset::<ColorMaterial>()
            .insert_resource(ShapeQuad(Handle::default()))
            .insert_resource(CurrentScene(Scene::studio()))
            .insert_resource(FrameSize { width: 7680, height: 4320 })
            .add_systems(Startup, spawn_avatar);
        app.update();
        let world = app.world_mut();
        let mut parts = world.query_filtered::<&GlobalTransform, With<Mesh2d>>();
        let depths: Vec<f32> = parts.iter(world).map(|t| t.translation().z).collect();
        assert!(depths.len() > 20, "the host's parts: {}", depths.len());
        let deepest = depths.iter().cloned().fold(f32::MIN, f32::max);
        assert!(deepest < 1.0, "the face's parts lie at z up to {deepest}");
    }

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
