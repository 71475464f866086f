//! The embedded default host, drawn by code from 2D meshes: it breathes, sways, blinks at natural random
//! intervals, looks toward the offer card and moves its mouth along the current line's visemes.
//!
//! The avatar is built in "avatar units": 1.0 is the height of its layout rectangle, and the root entity's
//! scale turns units into pixels, so the same drawing fits any scene.

use crate::inbox::Command;
use crate::layered::{LayerExpression, LayerEyes, LayerMouth, LayeredRoot, load_layers, mouth_index, spawn_layers};
use crate::layout::FrameSize;
use crate::overlays::SceneBound;
use crate::speech::{Speaking, current_mouth, current_viseme};
use crate::{CurrentScene, StageSystems};
use bevy::camera::RenderTarget;
use bevy::camera::visibility::RenderLayers;
use bevy::core_pipeline::tonemapping::DebandDither;
use bevy::prelude::*;
use bevy::render::render_resource::TextureFormat;
use model::{AvatarKind, Background, Expression, Gesture, Scene, StageCommand};

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

/// Smooth start and smooth stop (cubic smoothstep), `t` clamped to 0..1.
pub fn ease_in_out(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

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
        .add_systems(Startup, spawn_avatar)
        .add_systems(Update, apply_avatar_commands.in_set(StageSystems::Apply))
        .add_systems(PostUpdate, (route_host_to_its_view, hand_antialiasing_to_the_host_view))
        .add_systems(
            Update,
            (
                idle_motion,
                blink,
                move_mouth,
                show_expression,
                play_gesture.before(pick_host_view),
                animate_layers,
                pick_host_view,
            )
                .in_set(StageSystems::Animate),
        );
}

fn spawn_avatar(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    mut images: ResMut<Assets<Image>>,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
    in_frame: Option<Res<HostInFrame>>,
) {
    spawn_host(&mut commands, &mut meshes, &mut materials, &mut images, &scene.0, &frame, in_frame.is_none());
}

/// Spawns the scene's host: its layered PNGs, or the drawn host when the scene asks for it or the layers cannot
/// be loaded (`shopcast check` reports that before a show; here it is logged once, naming the file). With
/// `own_view`, the host is drawn by views of its own where the scene allows (see [`spawn_host_views`]).
pub fn spawn_host(
    commands: &mut Commands,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<ColorMaterial>,
    images: &mut Assets<Image>,
    scene: &Scene,
    frame: &FrameSize,
    own_view: bool,
) {
    let rect = scene.layout.avatar;
    let rest = frame.world_centre(&rect);
    let scale = rect.h * frame.height as f32;
    if let AvatarKind::Layered { folder } = &scene.avatar {
        match load_layers(folder) {
            Ok(layers) => {
                let (_, _, w, h) = frame.px(&rect);
                let views = [(HostReach::layered(&rect, frame), None)];
                let view = own_view && spawn_host_views(commands, images, scene, frame, &views);
                let mut root = commands.spawn((
                    AvatarRoot { rest, scale },
                    Transform::from_translation(rest.extend(0.0)),
                    Visibility::default(),
                ));
                if view {
                    root.insert(DrawnOffscreen);
                }
                spawn_layers(&mut root, layers, Vec2::new(w, h), images);
                return;
            }
            Err(e) => error!("{e}; showing the built-in host instead"),
        }
    }
    // The pupils look toward the offer card, so the host seems to present it; the arm on that side gestures.
    let card = scene.layout.offer_card;
    let gaze: f32 = if card.x + card.w / 2.0 > rect.x + rect.w / 2.0 { 0.012 } else { -0.012 };
    // With the arms down a narrow view holds the host; a gesture that swings the arm out needs the wide one, which
    // widens only toward the gesturing arm's side (the other arm keeps hanging).
    let [_, rest_right, bottom, top] = DRAWN_AT_REST;
    let wide =
        if gaze > 0.0 { [-rest_right, ARM_OUT_REACH, bottom, top] } else { [-ARM_OUT_REACH, rest_right, bottom, top] };
    let views = [
        (HostReach::drawn(&rect, frame, DRAWN_AT_REST), Some(false)),
        (HostReach::drawn(&rect, frame, wide), Some(true)),
    ];
    let view = own_view && spawn_host_views(commands, images, scene, frame, &views);
    let mut mat = |r: u8, g: u8, b: u8| MeshMaterial2d(materials.add(Color::srgb_u8(r, g, b)));
    let skin = mat(241, 194, 160);
    let hair = mat(52, 36, 30);
    let shirt = mat(40, 96, 160);
    // Sleeves a shade darker than the shirt, so an arm in front of the torso still reads as an arm.
    let sleeve = mat(30, 76, 132);
    let collar = mat(245, 245, 245);
    let white = mat(255, 255, 255);
    let iris = mat(60, 42, 30);
    let brow = mat(52, 36, 30);
    let lips = mat(150, 50, 60);
    let cheek = MeshMaterial2d(materials.add(Color::srgba_u8(235, 120, 120, 70)));
    let mut mesh = |m: Mesh| Mesh2d(meshes.add(m));

    let mut host = commands.spawn((
        AvatarRoot { rest, scale },
        Transform::from_translation(rest.extend(0.0)).with_scale(Vec3::splat(scale)),
        Visibility::default(),
    ));
    if view {
        host.insert(DrawnOffscreen);
    }
    host.with_children(|root| {
        root.spawn((Torso, mesh(Capsule2d::new(0.2, 0.3).into()), shirt.clone(), Transform::from_xyz(0.0, -0.33, 0.0)));
        root.spawn((mesh(Rectangle::new(0.1, 0.08).into()), skin.clone(), Transform::from_xyz(0.0, -0.06, 0.1)));
        root.spawn((
            mesh(Triangle2d::new(Vec2::new(-0.07, 0.0), Vec2::new(0.07, 0.0), Vec2::new(0.0, -0.08)).into()),
            collar,
            Transform::from_xyz(0.0, -0.1, 0.15),
        ));
        // Arms hang from the shoulders; the one on the offer side gestures (pivots at shoulder and elbow).
        let offer_side = gaze.signum();
        for side in [-1.0f32, 1.0] {
            let mut shoulder = root.spawn((
                Transform::from_xyz(side * 0.17, -0.08, 0.05).with_rotation(Quat::from_rotation_z(side * 0.12)),
                Visibility::default(),
            ));
            if side == offer_side {
                shoulder.insert(Shoulder { side });
            }
            shoulder.with_children(|upper| {
                upper.spawn((
                    mesh(Capsule2d::new(0.045, 0.14).into()),
                    sleeve.clone(),
                    Transform::from_xyz(0.0, -0.08, 0.0),
                ));
                let mut elbow = upper.spawn((Transform::from_xyz(0.0, -0.17, 0.01), Visibility::default()));
                if side == offer_side {
                    elbow.insert(Elbow);
                }
                elbow.with_children(|fore| {
                    fore.spawn((
                        mesh(Capsule2d::new(0.04, 0.12).into()),
                        sleeve.clone(),
                        Transform::from_xyz(0.0, -0.07, 0.0),
                    ));
                    fore.spawn((mesh(Circle::new(0.042).into()), skin.clone(), Transform::from_xyz(0.0, -0.16, 0.01)));
                });
            });
        }
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
                    Brow { side },
                    mesh(Rectangle::new(0.06, 0.01).into()),
                    brow.clone(),
                    Transform::from_xyz(side * 0.06, 0.065, 0.3).with_rotation(Quat::from_rotation_z(side * -0.12)),
                ));
                head.spawn((
                    MouthCorner { side },
                    mesh(Rectangle::new(0.024, 0.007).into()),
                    lips.clone(),
                    Transform::from_xyz(side * 0.03, -0.09, 0.36),
                ));
                head.spawn((
                    mesh(Circle::new(0.025).into()),
                    cheek.clone(),
                    Transform::from_xyz(side * 0.09, -0.05, 0.25),
                ));
            }
            head.spawn((
                mesh(Triangle2d::new(Vec2::new(0.0, 0.02), Vec2::new(-0.012, -0.03), Vec2::new(0.012, -0.03)).into()),
                MeshMaterial2d(materials.add(Color::srgb_u8(224, 172, 140))),
                Transform::from_xyz(0.0, -0.02, 0.3),
            ));
            head.spawn((
                Mouth,
                mesh(Ellipse::new(0.5, 0.5).into()),
                lips.clone(),
                Transform::from_xyz(0.0, -0.09, 0.35).with_scale(Vec3::new(0.06, 0.008, 1.0)),
            ));
        });
    });
}

/// The render layer the host is drawn on when it has its own view (layer 0 is everything else).
pub const HOST_LAYER: usize = 7;

/// How far the drawn host with its arms down can reach from its root, in avatar units (left, right, bottom, top):
/// the hanging hands (0.256 to the side, see [`arm_reach`]) are the widest part, the hair (0.406: the head at
/// 0.166 at most with breathing and an open mouth, the hair's ellipse 0.04 above it and 0.2 high) the highest,
/// the breathing torso (0.684: 0.33 down, 0.35 long and 1.2% taller) the lowest; each with the sway (0.006) and
/// the body's turn (0.01 radians), and a margin of about 0.02. Every pixel of the view is multisampled, so it is
/// kept tight: the test `view_tests` checks that no pose is clipped.
const DRAWN_AT_REST: [f32; 4] = [-0.28, 0.28, -0.71, 0.43];

/// How far the gesturing arm can reach to its side (0.555 pointing level, see [`arm_reach`]), with the sway, the
/// turn and a margin; raised in a wave the hand stays below the hair (0.27 up), so the top and bottom are those
/// of [`DRAWN_AT_REST`].
const ARM_OUT_REACH: f32 = 0.58;

/// The farthest the gesturing arm may reach sideways for the narrow view to hold it: [`DRAWN_AT_REST`]'s half
/// width less the sway and the body's turn (0.02 together).
const ARM_IN: f32 = 0.26;

/// How far from the root the gesturing arm reaches sideways in `pose`, in avatar units, from the arm built in
/// [`spawn_host`]: the shoulder 0.17 out, the elbow 0.17 down the upper arm, the forearm and hand 0.17 beyond it,
/// 0.045 of rounding at the end. About 0.256 hanging at rest; a nod leaves it there.
pub fn arm_reach(pose: BodyPose) -> f32 {
    let upper = 0.12 + pose.shoulder;
    0.17 + 0.17 * upper.sin().max(0.0) + 0.17 * (upper + pose.elbow).sin().max(0.0) + 0.045
}

/// Present when the host must be drawn in the frame's own pass rather than by views of its own (for comparing
/// the two; a transparent background always draws it in the frame). Read when the host is spawned.
#[derive(Resource, Debug, Default)]
pub struct HostInFrame;

/// The part of the frame the host can ever cover, in whole pixels from the top-left: left, top, width, height.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostReach {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

impl HostReach {
    /// Clamps a pixel box (left, top, right, bottom; may lie partly outside the frame) to whole frame pixels.
    fn clamped(frame: &FrameSize, l: f32, t: f32, r: f32, b: f32) -> HostReach {
        let (w, h) = (frame.width as f32, frame.height as f32);
        let left = l.floor().clamp(0.0, w) as u32;
        let top = t.floor().clamp(0.0, h) as u32;
        let right = r.ceil().clamp(0.0, w) as u32;
        let bottom = b.ceil().clamp(0.0, h) as u32;
        HostReach { left, top, width: right.saturating_sub(left), height: bottom.saturating_sub(top) }
    }

    /// The drawn host: `reach` (avatar units) around the avatar rectangle's centre, two pixels of margin for its
    /// edges.
    fn drawn(rect: &model::Rect, frame: &FrameSize, reach: [f32; 4]) -> HostReach {
        let (x, y, w, h) = frame.px(rect);
        let (cx, cy, unit) = (x + w / 2.0, y + h / 2.0, h);
        let [left, right, bottom, top] = reach;
        HostReach::clamped(
            frame,
            cx + left * unit - 2.0,
            cy - top * unit - 2.0,
            cx + right * unit + 2.0,
            cy - bottom * unit + 2.0,
        )
    }

    /// The layered host: its rectangle, plus the nod's dip and the sway's turn and shift.
    pub fn layered(rect: &model::Rect, frame: &FrameSize) -> HostReach {
        let (x, y, w, h) = frame.px(rect);
        let margin = 0.04 * h + 0.01 * w.max(h) + 2.0;
        HostReach::clamped(frame, x - margin, y - margin, x + w + margin, y + h + margin)
    }

    /// The centre of the box in 2D world coordinates (origin at the frame centre, +y up).
    fn world_centre(&self, frame: &FrameSize) -> Vec2 {
        Vec2::new(
            self.left as f32 + self.width as f32 / 2.0 - frame.width as f32 / 2.0,
            frame.height as f32 / 2.0 - (self.top as f32 + self.height as f32 / 2.0),
        )
    }
}

/// A camera that draws the host alone into its own picture. `arm_out`: `None` draws every frame, `Some(out)` only
/// while whether the gesturing arm reaches past [`ARM_IN`] is `out`, so with the arms down (no gesture, a nod, the
/// start and end of a gesture) only the narrow view runs.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct HostView {
    pub arm_out: Option<bool>,
}

impl HostView {
    fn wanted(&self, arm_out: bool) -> bool {
        self.arm_out.is_none_or(|out| out == arm_out)
    }
}

/// A view's picture, shown in the frame where the host would otherwise be drawn (while its view draws).
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct HostPicture(pub HostView);

/// On a host root whose parts are drawn by the [`HostView`].
#[derive(Component)]
pub struct DrawnOffscreen;

/// On a camera whose multisampling was handed to the [`HostView`], so it can be given back.
#[derive(Component)]
pub struct AntialiasingHandedToHost;

/// Gives the host views of its own when the scene's background is opaque; returns whether it did.
///
/// Why: the host is the only geometry that needs multisampling (its curved edges); the overlays are UI and the
/// rest of the frame is the clear colour. On a software renderer a multisampled pass costs in proportion to its
/// whole target once anything is drawn into it, so the host is drawn with 4x multisampling into a picture just the
/// size of the part of the frame it can reach, and the frame's own pass runs without multisampling. Each view sits
/// on the frame's pixel grid and is cleared to the frame's colour, so its picture lays over the frame pixel for
/// pixel and the host looks as if drawn in place. A transparent background keeps the host in the frame's own pass:
/// its antialiased edges must blend with whatever lies behind the stage, not with a cleared colour.
fn spawn_host_views(
    commands: &mut Commands,
    images: &mut Assets<Image>,
    scene: &Scene,
    frame: &FrameSize,
    views: &[(HostReach, Option<bool>)],
) -> bool {
    if matches!(scene.background, Background::Transparent) || views.iter().any(|(r, _)| r.width == 0 || r.height == 0) {
        return false;
    }
    for (reach, arm_out) in views {
        let view = HostView { arm_out: *arm_out };
        let active = view.wanted(false);
        let mut target = Image::new_target_texture(reach.width, reach.height, TextureFormat::Rgba8UnormSrgb, None);
        target.texture_descriptor.label = Some("shopcast host view");
        let handle = images.add(target);
        let centre = reach.world_centre(frame);
        commands.spawn((
            view,
            SceneBound,
            Camera2d,
            Camera {
                order: -1,
                is_active: active,
                clear_color: ClearColorConfig::Custom(crate::layout::clear_colour(&scene.background)),
                ..default()
            },
            Msaa::Sample4,
            RenderTarget::from(handle.clone()),
            RenderLayers::layer(HOST_LAYER),
            Transform::from_translation(centre.extend(0.0)),
        ));
        commands.spawn((
            HostPicture(view),
            SceneBound,
            Sprite {
                image: handle,
                custom_size: Some(Vec2::new(reach.width as f32, reach.height as f32)),
                ..default()
            },
            Transform::from_translation(centre.extend(0.0)),
            if active { Visibility::Inherited } else { Visibility::Hidden },
        ));
    }
    true
}

/// Runs the view that fits the host's pose (the wide one while the arm is out) and shows its picture alone.
fn pick_host_view(
    time: Res<Time>,
    gesture: Res<GesturePlay>,
    mut views: Query<(&HostView, &mut Camera)>,
    mut pictures: Query<(&HostPicture, &mut Visibility)>,
) {
    let arm_out = arm_reach(gesture.pose_at(time.elapsed_secs())) > ARM_IN;
    for (view, mut camera) in &mut views {
        let wanted = view.wanted(arm_out);
        if camera.is_active != wanted {
            camera.is_active = wanted;
        }
    }
    for (picture, mut visibility) in &mut pictures {
        visibility.set_if_neq(if picture.0.wanted(arm_out) { Visibility::Inherited } else { Visibility::Hidden });
    }
}

/// Puts every part of a newly spawned host on the host's layer, so only its view draws it.
fn route_host_to_its_view(
    mut commands: Commands,
    roots: Query<Entity, Added<DrawnOffscreen>>,
    children: Query<&Children>,
) {
    for root in &roots {
        commands.entity(root).insert(RenderLayers::layer(HOST_LAYER));
        for part in children.iter_descendants(root) {
            commands.entity(part).insert(RenderLayers::layer(HOST_LAYER));
        }
    }
}

/// While the host has its own view, the frame's cameras draw without multisampling (nothing else of theirs needs
/// it) and without dithering (the host's picture is copied in as it is); without one they get both back.
fn hand_antialiasing_to_the_host_view(
    mut commands: Commands,
    views: Query<(), With<HostView>>,
    cameras: Query<(Entity, Has<AntialiasingHandedToHost>), (With<Camera>, Without<HostView>)>,
) {
    let handed = !views.is_empty();
    for (camera, was_handed) in &cameras {
        if handed && !was_handed {
            commands.entity(camera).insert((Msaa::Off, DebandDither::Disabled, AntialiasingHandedToHost));
        } else if !handed && was_handed {
            commands.entity(camera).insert((Msaa::Sample4, DebandDither::Enabled)).remove::<AntialiasingHandedToHost>();
        }
    }
}

/// Breathing (the torso swells slowly), a gentle sway, and a small nod while talking.
fn idle_motion(
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

fn blink(time: Res<Time>, mut state: ResMut<Blink>, face: Res<Face>, mut eyes: Query<&mut Transform, With<Eye>>) {
    let now = time.elapsed_secs();
    let openness = state.openness(now) * face.pose_at(now).eye_open;
    for mut eye in &mut eyes {
        eye.scale.y = openness;
    }
}

/// The layered host: eyes swap for blinks, the mouth layer follows the viseme being spoken, and a nod dips the
/// whole picture.
fn animate_layers(
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
fn apply_avatar_commands(
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

/// Brows, mouth corners and gaze follow the face's current pose.
fn show_expression(
    time: Res<Time>,
    face: Res<Face>,
    mut brows: Query<(&Brow, &mut Transform), (Without<MouthCorner>, Without<Pupil>)>,
    mut corners: Query<(&MouthCorner, &mut Transform), (Without<Brow>, Without<Pupil>)>,
    mut pupils: Query<&mut Transform, (With<Pupil>, Without<Brow>, Without<MouthCorner>)>,
    mouths: Query<&Transform, (With<Mouth>, Without<Brow>, Without<MouthCorner>, Without<Pupil>)>,
) {
    let pose = face.pose_at(time.elapsed_secs());
    for (brow, mut t) in &mut brows {
        let lift = pose.brow_raise + if brow.side > 0.0 { pose.brow_asymmetry } else { 0.0 };
        t.translation.y = 0.065 + lift;
        // Positive worry lifts the inner ends (toward the nose).
        t.rotation = Quat::from_rotation_z(brow.side * (-0.12 + pose.brow_worry));
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
    for mut t in &mut pupils {
        t.translation.y = -0.002 + pose.gaze_up * 0.008;
    }
}

/// The offer-side arm follows the gesture playing (hanging at rest otherwise); a finished gesture is dropped.
fn play_gesture(
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
    fn the_arm_stays_in_the_narrow_view_at_rest_and_in_a_nod_and_leaves_it_in_the_other_gestures() {
        assert!(arm_reach(BodyPose::default()) < ARM_IN, "{}", arm_reach(BodyPose::default()));
        let nod = (0..90).filter_map(|i| gesture_pose(Gesture::Nod, i as f32 / 100.0)).map(arm_reach);
        assert!(nod.fold(0.0f32, f32::max) < ARM_IN);
        for g in [Gesture::PointAtOffer, Gesture::Present, Gesture::Wave] {
            let peak = gesture_pose(g, gesture_length(g) / 2.0).map(arm_reach).unwrap_or(0.0);
            assert!(peak > ARM_IN, "{g:?} swings the arm out: {peak}");
        }
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

/// The host drawn by its own views against the host drawn in the frame's own pass, frame by frame on the software
/// renderer: the views must not clip it in any pose and must look the same.
#[cfg(test)]
mod view_tests {
    use super::*;
    use crate::capture::{Frame, HeadlessStage, vulkan_available};
    use crate::{SceneInbox, StageLink};

    const SIZE: FrameSize = FrameSize { width: 640, height: 360 };

    struct Run {
        stage: HeadlessStage,
        commands: async_channel::Sender<StageCommand>,
        _events: async_channel::Receiver<model::StageEvent>,
        _scenes: async_channel::Sender<Scene>,
        frames: Vec<Frame>,
    }

    impl Run {
        /// A stage whose host is laid out again (by a new scene) with or without views of its own.
        fn new(scene: &Scene, in_frame: bool) -> Run {
            let (link, commands, events) = StageLink::new(64);
            let mut stage = HeadlessStage::new(scene.clone(), SIZE, 30, link).expect("headless stage");
            let (scenes, inbox) = SceneInbox::channel();
            stage.app_mut().insert_resource(inbox);
            if in_frame {
                stage.app_mut().insert_resource(HostInFrame);
            }
            scenes.try_send(scene.clone()).expect("room for a scene");
            let mut run = Run { stage, commands, _events: events, _scenes: scenes, frames: Vec::new() };
            run.frames(1);
            run
        }

        fn frames(&mut self, n: u32) {
            let frames = &mut self.frames;
            let mut sink = |f: Frame| {
                frames.push(f);
                Ok(())
            };
            for _ in 0..n {
                self.stage.render_frame(&mut sink).expect("frame");
            }
            self.stage.flush(&mut sink).expect("flush");
        }

        fn views(&mut self) -> usize {
            let world = self.stage.app_mut().world_mut();
            world.query::<&HostView>().iter(world).count()
        }

        fn frame_msaa(&mut self) -> Vec<Msaa> {
            let world = self.stage.app_mut().world_mut();
            world.query_filtered::<&Msaa, (With<Camera>, Without<HostView>)>().iter(world).copied().collect()
        }
    }

    /// (pixels differing by more than `tolerance` in any channel, the largest difference).
    fn difference(a: &Frame, b: &Frame, tolerance: u8) -> (usize, u8) {
        let (mut n, mut most) = (0, 0);
        for (p, q) in a.rgba.chunks_exact(4).zip(b.rgba.chunks_exact(4)) {
            let d = (0..3).map(|c| p[c].abs_diff(q[c])).max().unwrap_or(0);
            most = most.max(d);
            if d > tolerance {
                n += 1;
            }
        }
        (n, most)
    }

    #[test]
    fn the_host_drawn_by_its_own_views_looks_as_if_drawn_in_the_frame_in_every_gesture() {
        if !vulkan_available() {
            assert!(std::env::var("CI").is_err(), "CI must have a Vulkan driver (mesa-vulkan-drivers)");
            eprintln!("skipped: no Vulkan driver installed (apt-get install mesa-vulkan-drivers)");
            return;
        }
        let scene = Scene::studio();
        let mut viewed = Run::new(&scene, false);
        let mut framed = Run::new(&scene, true);
        assert_eq!(viewed.views(), 2, "the drawn host gets a narrow and a wide view");
        assert_eq!(framed.views(), 0);
        assert_eq!(viewed.frame_msaa(), [Msaa::Off], "the frame's pass needs no multisampling of its own");
        assert_eq!(framed.frame_msaa(), [Msaa::Sample4], "multisampling is given back without views");
        let steps = [
            (Some(Expression::Excited), Gesture::Wave, 60),
            (None, Gesture::PointAtOffer, 50),
            (Some(Expression::CalmConcerned), Gesture::Present, 55),
            (None, Gesture::Nod, 30),
        ];
        for (expression, gesture, frames) in steps {
            for run in [&mut viewed, &mut framed] {
                if let Some(e) = expression {
                    run.commands.try_send(StageCommand::Expression(e)).expect("room");
                }
                run.commands.try_send(StageCommand::Gesture(gesture)).expect("room");
                run.frames(frames);
            }
        }
        assert_eq!(viewed.frames.len(), framed.frames.len());
        // Only rounding may differ: the renderer's dithering (a step or two), and now and then a multisample on a
        // sloped edge that falls the other way because the view's coordinates differ from the frame's (one sample
        // of four, a quarter of the edge's contrast). A clipped arm or a shifted host would differ by hundreds.
        let mut worst = (0, 0, 0);
        for (a, b) in viewed.frames.iter().zip(&framed.frames) {
            let (edges, most) = difference(a, b, 2);
            let (dither, _) = difference(a, b, 0);
            worst = (worst.0.max(edges), worst.1.max(most), worst.2.max(dither));
        }
        eprintln!(
            "over {} frames: at most {} pixels differ by more than 2, by up to {}; at most {} at all",
            viewed.frames.len(),
            worst.0,
            worst.1,
            worst.2
        );
        assert!(worst.2 <= 4, "pixels differing at all in one frame: {}", worst.2);
        assert!(worst.1 <= 72, "the largest difference is more than a quarter of an edge: {}", worst.1);
        // And the gestures did move the arm out of the narrow view's reach, so the wide view was exercised.
        let moved = viewed.frames.iter().map(|f| difference(f, &viewed.frames[0], 24).0).max().unwrap_or(0);
        assert!(moved > 500, "the gestures visibly move the host: {moved} pixels");
    }
}
