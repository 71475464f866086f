//! The VRM host: a VRM 1.0 or 0.x model (read by the `vrm` crate) drawn by the stage's own 2D camera, without
//! Bevy's 3D renderer. Each frame the model is posed on the CPU (arms brought down from the T-pose every VRM rests
//! in, breathing, sway, a nod while talking, the gesture playing), its morph targets set from the expressions
//! (the five mouth shapes from the visemes being spoken, blinks, moods, and the eyes' look toward the comment or
//! the offer), and its skinned vertices written into [`Mesh2d`]s. An orthographic front view needs no
//! perspective: each vertex's depth goes into the 2D depth buffer, so the face draws over the hair behind it.
//! Materials are drawn by their base colour and texture (MToon's lit colour); no lights.
//!
//! Why not bevy_pbr and bevy_gltf: they add several minutes to a two-core build and a 3D pipeline per frame on a
//! software renderer, for a front view that the 2D pipeline draws (BENCHMARKS.md, "VRM host").
//!
//! The model is framed from the top of its head down past its hands at rest, centred in the scene's avatar
//! rectangle; geometry wholly below that (legs, feet) is dropped when the model is loaded.

use crate::avatar::{Blink, Face, Gaze, GesturePlay};
use crate::speech::{Speaking, current_viseme};
use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::NoFrustumCulling;
use bevy::mesh::{Indices, PrimitiveTopology, VertexAttributeValues};
use bevy::prelude::*;
use bevy::sprite_render::AlphaMode2d;
use model::{Expression, Viseme};
use std::collections::BTreeMap;
use vrm::{AlphaMode, LookAt, MorphBind, Preset, VrmModel};

/// Marks the VRM host's root entity.
#[derive(Component)]
pub struct VrmRoot;

/// What moves the model this frame, as angles in radians (positive nod dips the head; sway leans to the
/// model's left).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Motion {
    /// How far each upper arm is brought down from level (about 1.35 hangs at the side).
    pub left_arm_drop: f32,
    pub right_arm_drop: f32,
    /// Forearms bent forward from the upper arm's line.
    pub left_elbow: f32,
    pub right_elbow: f32,
    pub sway: f32,
    pub breath: f32,
    pub nod: f32,
    pub tilt: f32,
    /// Where the eyes turn (screen right and up positive), for models that look with eye bones.
    pub eye_yaw: f32,
    pub eye_pitch: f32,
}

/// The model's skeleton at rest, and how to pose it.
#[derive(Debug, Clone)]
pub struct Rig {
    rest: Vec<(Vec3, Quat, Vec3)>,
    parents: Vec<Option<usize>>,
    /// Nodes, parents before children.
    order: Vec<usize>,
    rest_global: Vec<Mat4>,
    bones: BTreeMap<String, usize>,
    /// +1 for models facing +Z (VRM 1.0), -1 for -Z (0.x).
    forward: f32,
    /// Each upper arm's direction along X at rest (+1 or -1), by side.
    left_arm_x: f32,
    right_arm_x: f32,
}

impl Rig {
    pub fn new(model: &VrmModel) -> Rig {
        let rest: Vec<(Vec3, Quat, Vec3)> = model
            .nodes
            .iter()
            .map(|n| {
                let q = Quat::from_array(n.rotation);
                let q = if q.is_finite() && q.length_squared() > 1e-6 { q.normalize() } else { Quat::IDENTITY };
                (Vec3::from_array(n.translation), q, Vec3::from_array(n.scale))
            })
            .collect();
        let parents: Vec<Option<usize>> = model.nodes.iter().map(|n| n.parent).collect();
        // Parents before children; a node in a cycle (a hostile file) is treated as a root.
        let mut order = Vec::with_capacity(rest.len());
        let mut placed = vec![false; rest.len()];
        let depth = |mut i: usize| {
            let mut d = 0;
            while let Some(p) = parents[i] {
                d += 1;
                if d > parents.len() {
                    return usize::MAX;
                }
                i = p;
            }
            d
        };
        let mut by_depth: Vec<(usize, usize)> = (0..rest.len()).map(|i| (depth(i), i)).collect();
        by_depth.sort();
        let parents: Vec<Option<usize>> = by_depth.iter().fold(parents.clone(), |mut ps, &(d, i)| {
            if d == usize::MAX {
                ps[i] = None;
            }
            ps
        });
        for (_, i) in by_depth {
            if !placed[i] {
                placed[i] = true;
                order.push(i);
            }
        }
        let mut rig = Rig {
            rest,
            parents,
            order,
            rest_global: Vec::new(),
            bones: model.humanoid.clone(),
            forward: model.version.forward_z(),
            left_arm_x: 1.0,
            right_arm_x: -1.0,
        };
        rig.rest_global = rig.pose(&Motion::default());
        let arm_x = |upper: &str, lower: &str, default: f32| match (rig.bone(upper), rig.bone(lower)) {
            (Some(u), Some(l)) => {
                let dx = rig.rest_global[l].w_axis.x - rig.rest_global[u].w_axis.x;
                if dx.abs() > 1e-4 { dx.signum() } else { default }
            }
            _ => default,
        };
        let left = arm_x("leftUpperArm", "leftLowerArm", model.version.forward_z());
        let right = arm_x("rightUpperArm", "rightLowerArm", -model.version.forward_z());
        rig.left_arm_x = left;
        rig.right_arm_x = right;
        rig
    }

    fn bone(&self, name: &str) -> Option<usize> {
        self.bones.get(name).copied()
    }

    /// Every node's global transform for this motion. Each bone's turn is given in the rest pose's frame
    /// (world axes), so "bring the arm down" means the same on a model whose bones are oriented differently.
    pub fn pose(&self, motion: &Motion) -> Vec<Mat4> {
        let f = self.forward;
        let mut turns: Vec<(usize, Quat)> = Vec::new();
        let mut turn = |bone: &str, q: Quat| {
            if let Some(i) = self.bone(bone) {
                turns.push((i, q));
            }
        };
        turn("hips", Quat::from_rotation_z(motion.sway));
        turn("spine", Quat::from_rotation_x(-motion.breath * f));
        turn("head", Quat::from_rotation_x(motion.nod * f) * Quat::from_rotation_z(motion.tilt));
        for (upper, lower, drop, elbow, x) in [
            ("leftUpperArm", "leftLowerArm", motion.left_arm_drop, motion.left_elbow, self.left_arm_x),
            ("rightUpperArm", "rightLowerArm", motion.right_arm_drop, motion.right_elbow, self.right_arm_x),
        ] {
            // Down is a turn about Z toward -Y; forward a turn about Y toward the way the model faces.
            turn(upper, Quat::from_rotation_z(-drop * x) * Quat::from_rotation_y(-0.15 * x * f));
            turn(lower, Quat::from_rotation_y(-elbow * x * f));
        }
        let eyes = Quat::from_rotation_y(motion.eye_yaw) * Quat::from_rotation_x(-motion.eye_pitch * f);
        turn("leftEye", eyes);
        turn("rightEye", eyes);

        let mut global = vec![Mat4::IDENTITY; self.rest.len()];
        for &i in &self.order {
            let (t, r, s) = self.rest[i];
            let r = match turns.iter().find(|(b, _)| *b == i) {
                Some((_, q)) if !self.rest_global.is_empty() => {
                    let parent_rest =
                        self.parents[i].map_or(Quat::IDENTITY, |p| Quat::from_mat4(&self.rest_global[p]).normalize());
                    parent_rest.inverse() * *q * parent_rest * r
                }
                _ => r,
            };
            let local = Mat4::from_scale_rotation_translation(s, r, t);
            global[i] = match self.parents[i] {
                Some(p) => global[p] * local,
                None => local,
            };
        }
        global
    }
}

/// Per primitive: what to skin and where it goes.
struct Part {
    mesh: usize,
    base: Vec<Vec3>,
    joints: Vec<[u16; 4]>,
    weights: Vec<[f32; 4]>,
    targets: Vec<Vec<Vec3>>,
    skin: Option<usize>,
    node: usize,
    handle: Handle<Mesh>,
}

/// The VRM host's state: its rig, its parts and the expression weights being eased toward.
#[derive(Component)]
pub struct VrmPuppet {
    rig: Rig,
    parts: Vec<Part>,
    skins: Vec<(Vec<usize>, Vec<Mat4>)>,
    expressions: BTreeMap<Preset, Vec<MorphBind>>,
    look_at: LookAt,
    /// Model metres to the root's local pixels: scale, and the model point at the root.
    scale: f32,
    anchor: Vec3,
    /// Which side the offer is on, on screen (+1 right): the arm on that side gestures.
    offer_side: f32,
    /// The expression weights now (eased), by preset.
    weights: BTreeMap<Preset, f32>,
    morph: Vec<Vec<f32>>,
    last: f32,
}

/// The arms at rest: brought down to about 15 degrees from hanging straight, forearms a little forward.
const ARM_DROP: f32 = 1.3;
const ELBOW_REST: f32 = 0.35;

fn rest_motion() -> Motion {
    Motion {
        left_arm_drop: ARM_DROP,
        right_arm_drop: ARM_DROP,
        left_elbow: ELBOW_REST,
        right_elbow: ELBOW_REST,
        ..Motion::default()
    }
}

/// Skins one vertex (after its morph offsets) by up to four joints.
fn skin_vertex(p: Vec3, joints: &[u16; 4], weights: &[f32; 4], mats: &[Mat4]) -> Vec3 {
    let mut out = Vec3::ZERO;
    let mut total = 0.0;
    for k in 0..4 {
        let w = weights[k];
        if w > 0.0
            && let Some(m) = mats.get(joints[k] as usize)
        {
            out += w * m.transform_point3(p);
            total += w;
        }
    }
    if total > 1e-6 { out / total } else { p }
}

impl VrmPuppet {
    /// Builds the puppet and its meshes, framed in a `fit` (width, height in pixels) rectangle.
    fn new(
        model: &VrmModel,
        fit: Vec2,
        offer_side: f32,
        meshes: &mut Assets<Mesh>,
    ) -> (VrmPuppet, Vec<(Handle<Mesh>, usize)>) {
        let rig = Rig::new(model);
        let skins: Vec<(Vec<usize>, Vec<Mat4>)> = model
            .skins
            .iter()
            .map(|s| (s.joints.clone(), s.inverse_bind.iter().map(Mat4::from_cols_array_2d).collect()))
            .collect();
        let mut parts = Vec::new();
        let mut handles = Vec::new();
        for (mi, m) in model.meshes.iter().enumerate() {
            for p in &m.primitives {
                let part = Part {
                    mesh: mi,
                    base: p.positions.iter().map(|v| Vec3::from_array(*v)).collect(),
                    joints: p.joints.clone(),
                    weights: p.weights.clone(),
                    targets: p.targets.iter().map(|t| t.iter().map(|v| Vec3::from_array(*v)).collect()).collect(),
                    skin: m.skin.filter(|_| !p.joints.is_empty()),
                    node: m.node,
                    handle: Handle::default(),
                };
                parts.push((part, p));
            }
        }
        let mut puppet = VrmPuppet {
            rig,
            parts: Vec::new(),
            skins,
            expressions: model.expressions.clone(),
            look_at: model.look_at,
            scale: 1.0,
            anchor: Vec3::ZERO,
            offer_side,
            weights: BTreeMap::new(),
            morph: model
                .meshes
                .iter()
                .map(|m| vec![0.0; m.primitives.first().map_or(0, |p| p.targets.len())])
                .collect(),
            last: f32::NAN,
        };
        // Frame the model as it stands at rest: the head's top to just past the lower of hips and hands.
        let globals = puppet.rig.pose(&rest_motion());
        let at_rest: Vec<Vec<Vec3>> = parts.iter().map(|(part, _)| puppet.place(part, &globals, &[])).collect();
        let top = at_rest.iter().flatten().map(|v| v.y).fold(f32::MIN, f32::max);
        let hips = puppet.rig.bone("hips").map_or(0.0, |h| globals[h].w_axis.y);
        let hands = ["leftHand", "rightHand"]
            .iter()
            .filter_map(|b| puppet.rig.bone(b))
            .map(|h| globals[h].w_axis.y)
            .fold(hips, f32::min);
        let span = (top - hands).max(0.1) * 1.08;
        let bottom = top - span;
        // The root sits at the rectangle's centre: the model point there is half the span below the top.
        let centre_x = puppet.rig.bone("head").map_or(0.0, |h| globals[h].w_axis.x);
        let half_width =
            at_rest.iter().flatten().filter(|v| v.y >= bottom).map(|v| (v.x - centre_x).abs()).fold(0.05, f32::max);
        puppet.scale = (fit.y / span).min(fit.x / (2.1 * half_width)).max(1e-3);
        puppet.anchor = Vec3::new(centre_x, top - span * 0.5 + span * 0.02, 0.0);
        for ((mut part, p), placed) in parts.into_iter().zip(at_rest) {
            // Triangles wholly below the frame (legs, feet) are dropped.
            let indices: Vec<u32> = p
                .indices
                .chunks_exact(3)
                .filter(|t| t.iter().any(|&i| placed.get(i as usize).is_some_and(|v| v.y >= bottom)))
                .flatten()
                .copied()
                .collect();
            if indices.is_empty() {
                continue;
            }
            let positions: Vec<[f32; 3]> = placed.iter().map(|v| puppet.to_local(*v).to_array()).collect();
            let uvs: Vec<[f32; 2]> = p.uvs.clone();
            let mesh = Mesh::new(PrimitiveTopology::TriangleList, RenderAssetUsages::default())
                .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
                .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, uvs)
                .with_inserted_indices(Indices::U32(indices));
            part.handle = meshes.add(mesh);
            handles.push((part.handle.clone(), p.material.unwrap_or(usize::MAX)));
            puppet.parts.push(part);
        }
        (puppet, handles)
    }

    /// Model metres to the root's local pixels; the model turned to face the camera, depth kept for ordering
    /// (in front is higher).
    fn to_local(&self, v: Vec3) -> Vec3 {
        let f = self.rig.forward;
        let d = v - self.anchor;
        Vec3::new(d.x * f * self.scale, d.y * self.scale, 0.5 + (d.z * f).clamp(-0.45, 0.45))
    }

    /// A part's vertices in model space for these globals and morph weights.
    fn place(&self, part: &Part, globals: &[Mat4], morph: &[f32]) -> Vec<Vec3> {
        let mut out = Vec::with_capacity(part.base.len());
        self.place_into(part, globals, morph, &mut out);
        out
    }

    fn place_into(&self, part: &Part, globals: &[Mat4], morph: &[f32], out: &mut Vec<Vec3>) {
        out.clear();
        let active: Vec<(usize, f32)> =
            morph.iter().copied().enumerate().filter(|(t, w)| *w > 1e-3 && *t < part.targets.len()).collect();
        let joint_mats: Vec<Mat4> = match part.skin.and_then(|s| self.skins.get(s)) {
            Some((joints, inverse)) => joints
                .iter()
                .zip(inverse)
                .map(|(j, ib)| globals.get(*j).copied().unwrap_or(Mat4::IDENTITY) * *ib)
                .collect(),
            None => Vec::new(),
        };
        let node = globals.get(part.node).copied().unwrap_or(Mat4::IDENTITY);
        for (i, &b) in part.base.iter().enumerate() {
            let mut p = b;
            for &(t, w) in &active {
                if let Some(d) = part.targets[t].get(i) {
                    p += *d * w;
                }
            }
            let p = if joint_mats.is_empty() {
                node.transform_point3(p)
            } else {
                skin_vertex(p, &part.joints[i], &part.weights[i], &joint_mats)
            };
            out.push(p);
        }
    }

    /// Expression weights (0 to 1) wanted now, by preset.
    fn wanted(
        viseme: Viseme,
        blink_open: f32,
        moods: &[(Expression, f32)],
        look: Vec2,
        look_at: LookAt,
    ) -> BTreeMap<Preset, f32> {
        let mut w = BTreeMap::new();
        let mut add = |p: Preset, v: f32| {
            let e = w.entry(p).or_insert(0.0);
            *e = (*e + v).min(1.0);
        };
        match viseme {
            Viseme::A => add(Preset::Aa, 1.0),
            Viseme::E => add(Preset::Ee, 0.8),
            Viseme::I => add(Preset::Ih, 0.8),
            Viseme::O => add(Preset::Oh, 1.0),
            Viseme::U => add(Preset::Ou, 0.9),
            Viseme::Wide => {
                add(Preset::Ih, 0.6);
                add(Preset::Ee, 0.3);
            }
            Viseme::L => {
                add(Preset::Aa, 0.3);
                add(Preset::Ee, 0.2);
            }
            Viseme::Fv => add(Preset::Ih, 0.25),
            Viseme::Mbp | Viseme::Rest => {}
        }
        let mut happy = 0.0;
        for &(mood, k) in moods {
            match mood {
                Expression::WarmSmile => {
                    add(Preset::Happy, 0.6 * k);
                    happy += 0.6 * k;
                }
                Expression::Excited => {
                    add(Preset::Happy, k);
                    add(Preset::Surprised, 0.3 * k);
                    happy += k;
                }
                Expression::Thinking => add(Preset::Relaxed, 0.4 * k),
                Expression::CalmConcerned => add(Preset::Sad, 0.5 * k),
                Expression::Neutral => {}
            }
        }
        // Most models close the eyes for "happy"; a blink on top would overshoot.
        add(Preset::Blink, (1.0 - blink_open) * (1.0 - 0.5 * happy.min(1.0)));
        if look_at == LookAt::Expression {
            add(Preset::LookLeft, look.x.max(0.0) * 0.7);
            add(Preset::LookRight, (-look.x).max(0.0) * 0.7);
            add(Preset::LookUp, look.y.max(0.0) * 0.7);
            add(Preset::LookDown, (-look.y).max(0.0) * 0.7);
        }
        w
    }
}

/// Reads the scene's VRM file and spawns the host under `root`; the error names the file.
pub(crate) fn spawn_vrm(
    root: &mut EntityCommands<'_>,
    model: &VrmModel,
    fit: Vec2,
    offer_side: f32,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<ColorMaterial>,
    images: &mut Assets<Image>,
) {
    let (puppet, handles) = VrmPuppet::new(model, fit, offer_side, meshes);
    let textures: Vec<Option<Handle<Image>>> = model
        .images
        .iter()
        .map(|img| {
            (img.width() > 0).then(|| {
                images.add(Image::from_dynamic(
                    image::DynamicImage::ImageRgba8(img.clone()),
                    true,
                    RenderAssetUsages::RENDER_WORLD,
                ))
            })
        })
        .collect();
    let looks: Vec<Handle<ColorMaterial>> = model
        .materials
        .iter()
        .map(|m| {
            let [r, g, b, a] = m.base_colour;
            materials.add(ColorMaterial {
                color: Color::linear_rgba(r, g, b, a),
                alpha_mode: match m.alpha {
                    AlphaMode::Opaque => AlphaMode2d::Opaque,
                    AlphaMode::Mask(cut) => AlphaMode2d::Mask(cut),
                    AlphaMode::Blend => AlphaMode2d::Blend,
                },
                texture: m.texture.and_then(|t| textures.get(t).cloned().flatten()),
                ..default()
            })
        })
        .collect();
    let fallback = materials.add(ColorMaterial::from_color(Color::srgb(0.8, 0.8, 0.8)));
    root.insert((puppet, VrmRoot)).with_children(|parent| {
        for (mesh, material) in handles {
            let look = looks.get(material).cloned().unwrap_or_else(|| fallback.clone());
            parent.spawn((Mesh2d(mesh), MeshMaterial2d(look), Transform::IDENTITY, NoFrustumCulling));
        }
    });
}

/// Expressions eased toward what they should be within about a tenth of a second.
const EXPRESSION_SETTLE_SECS: f32 = 0.04;
/// How far [`Gaze::offset`] reaches (avatar units) at a full look.
const GAZE_FULL: Vec2 = Vec2::new(0.012, 0.008);

/// Poses, morphs and skins the VRM host for this frame.
pub(crate) fn animate_vrm(
    time: Res<Time>,
    speaking: Res<Speaking>,
    mut blink: ResMut<Blink>,
    face: Res<Face>,
    gaze: Res<Gaze>,
    gesture: Res<GesturePlay>,
    mut puppets: Query<&mut VrmPuppet>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut scratch: Local<Vec<Vec3>>,
) {
    let now = time.elapsed_secs();
    for mut puppet in &mut puppets {
        let dt = if puppet.last.is_finite() { (now - puppet.last).max(0.0) } else { 1.0 };
        puppet.last = now;
        let viseme = current_viseme(&speaking, now);
        let moods: Vec<(Expression, f32)> =
            [Expression::WarmSmile, Expression::Excited, Expression::Thinking, Expression::CalmConcerned]
                .into_iter()
                .map(|e| (e, face.weight(e, now)))
                .collect();
        let look = gaze.offset / GAZE_FULL;
        let wanted = VrmPuppet::wanted(viseme, blink.openness(now), &moods, look, puppet.look_at);
        let k = 1.0 - (-dt / EXPRESSION_SETTLE_SECS).exp();
        let p = &mut *puppet;
        for preset in Preset::ALL {
            let target = wanted.get(&preset).copied().unwrap_or(0.0);
            let w = p.weights.entry(preset).or_insert(0.0);
            // Blinks snap shut and open (they last a tenth of a second); everything else eases.
            *w = if preset == Preset::Blink { target } else { *w + (target - *w) * k };
        }
        for m in p.morph.iter_mut() {
            m.iter_mut().for_each(|w| *w = 0.0);
        }
        for (preset, binds) in &p.expressions {
            let w = p.weights.get(preset).copied().unwrap_or(0.0);
            for b in binds {
                if let Some(slot) = p.morph.get_mut(b.mesh).and_then(|m| m.get_mut(b.target)) {
                    *slot = (*slot + w * b.weight).min(1.0);
                }
            }
        }
        let body = gesture.pose_at(now);
        let mut motion = rest_motion();
        let talking = speaking.line.as_ref().is_some_and(|l| l.is_talking(now));
        motion.sway = (now * 0.55).sin() * 0.02;
        motion.breath = (now * 1.6).sin() * 0.012;
        motion.tilt = (now * 0.8).sin() * 0.03;
        motion.nod = body.head_dip * 8.0 + if talking { (now * 3.1).sin().abs() * 0.03 } else { 0.0 };
        // The arm on the offer's side (on screen) plays the gesture: `shoulder` swings it up from hanging.
        let left_on_right = p.rig.left_arm_x * p.rig.forward > 0.0;
        let (drop, elbow) = if (p.offer_side > 0.0) == left_on_right {
            (&mut motion.left_arm_drop, &mut motion.left_elbow)
        } else {
            (&mut motion.right_arm_drop, &mut motion.right_elbow)
        };
        // `shoulder` is the swing from hanging straight (0) toward level (about 1.6) and above; at rest the arm
        // already swings out a little, and a gesture only ever raises it from there.
        *drop = std::f32::consts::FRAC_PI_2 - body.shoulder.max(std::f32::consts::FRAC_PI_2 - ARM_DROP);
        *elbow += body.elbow;
        if p.look_at == LookAt::Bone {
            motion.eye_yaw = look.x.clamp(-1.0, 1.0) * 0.15;
            motion.eye_pitch = look.y.clamp(-1.0, 1.0) * 0.1;
        }
        let globals = p.rig.pose(&motion);
        for part in &p.parts {
            let morph = p.morph.get(part.mesh).map_or(&[][..], |m| &m[..]);
            p.place_into(part, &globals, morph, &mut scratch);
            let Some(mut mesh) = meshes.get_mut(&part.handle) else { continue };
            if let Ok(Some(VertexAttributeValues::Float32x3(positions))) =
                mesh.try_attribute_mut_option(Mesh::ATTRIBUTE_POSITION)
            {
                for (out, v) in positions.iter_mut().zip(scratch.iter()) {
                    *out = p.to_local(*v).to_array();
                }
            }
        }
    }
}

/// The model's mouth morph weights now (for tests): the sum of the weights of the five mouth presets.
pub fn mouth_weight(puppet: &VrmPuppet) -> f32 {
    [Preset::Aa, Preset::Ih, Preset::Ou, Preset::Ee, Preset::Oh].iter().filter_map(|p| puppet.weights.get(p)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vrm::sample::{Options, presenter};

    fn sample() -> VrmModel {
        vrm::parse(&presenter(&Options::default())).unwrap()
    }

    #[test]
    fn the_arms_come_down_from_the_t_pose_on_either_version() {
        for v0 in [false, true] {
            let model = vrm::parse(&presenter(&Options { v0, ..Options::default() })).unwrap();
            let rig = Rig::new(&model);
            let rest = rig.pose(&Motion::default());
            let posed = rig.pose(&rest_motion());
            for (upper, hand) in [("leftUpperArm", "leftHand"), ("rightUpperArm", "rightHand")] {
                let (u, h) = (rig.bone(upper).unwrap(), rig.bone(hand).unwrap());
                // In the T-pose the hand is level with the shoulder; at rest it hangs well below it.
                assert!((rest[h].w_axis.y - rest[u].w_axis.y).abs() < 1e-4);
                let drop = rest[u].w_axis.y - posed[h].w_axis.y;
                assert!(drop > 0.35, "{upper} v0={v0}: hand only {drop} m below the shoulder");
                // And the forearm leans toward the way the model faces.
                assert!(posed[h].w_axis.z * model.version.forward_z() > 0.02, "{hand} v0={v0}");
                // The hand stays on its own side of the body.
                assert_eq!(posed[h].w_axis.x.signum(), rest[h].w_axis.x.signum());
            }
            // A nod tips the head's top forward.
            let head = rig.bone("head").unwrap();
            let nod = rig.pose(&Motion { nod: 0.3, ..rest_motion() });
            let top = |g: &[Mat4]| g[head].transform_point3(Vec3::new(0.0, 0.2, 0.0));
            assert!((top(&nod).z - top(&posed).z) * model.version.forward_z() > 0.03, "v0={v0}");
        }
    }

    #[test]
    fn visemes_moods_blinks_and_looks_pick_presets() {
        let w = VrmPuppet::wanted(Viseme::A, 1.0, &[], Vec2::ZERO, LookAt::Bone);
        assert_eq!(w.get(&Preset::Aa), Some(&1.0));
        assert_eq!(w.get(&Preset::Blink), Some(&0.0));
        let w = VrmPuppet::wanted(Viseme::Mbp, 0.08, &[], Vec2::ZERO, LookAt::Bone);
        assert!(!w.contains_key(&Preset::Aa) && w[&Preset::Blink] > 0.9);
        let w = VrmPuppet::wanted(
            Viseme::Rest,
            1.0,
            &[(Expression::WarmSmile, 1.0)],
            Vec2::new(1.0, 0.0),
            LookAt::Expression,
        );
        assert!((w[&Preset::Happy] - 0.6).abs() < 1e-6);
        // Looking toward screen right is the model's own left.
        assert!(w[&Preset::LookLeft] > 0.5 && w[&Preset::LookRight] == 0.0);
        let w = VrmPuppet::wanted(Viseme::O, 1.0, &[(Expression::CalmConcerned, 1.0)], Vec2::ZERO, LookAt::Bone);
        assert!(w[&Preset::Oh] == 1.0 && w[&Preset::Sad] == 0.5 && !w.contains_key(&Preset::LookLeft));
    }

    #[test]
    fn skinning_follows_the_bones_and_morphs_move_the_mouth() {
        let model = sample();
        let mut meshes = Assets::<Mesh>::default();
        let (puppet, handles) = VrmPuppet::new(&model, Vec2::new(500.0, 800.0), 1.0, &mut meshes);
        assert_eq!(handles.len(), 4);
        // The framed model fills the rectangle's height: its top near +400 px, nothing far outside.
        let globals = puppet.rig.pose(&rest_motion());
        let all: Vec<Vec3> =
            puppet.parts.iter().flat_map(|p| puppet.place(p, &globals, &[])).map(|v| puppet.to_local(v)).collect();
        let top = all.iter().map(|v| v.y).fold(f32::MIN, f32::max);
        let widest = all.iter().map(|v| v.x.abs()).fold(0.0, f32::max);
        // It fits the 500x800 rectangle and fills it one way: up to its top, or out to its sides.
        assert!(top <= 400.0 && widest <= 250.0, "top {top}, widest {widest}");
        assert!(top >= 380.0 || widest >= 225.0, "top {top}, widest {widest}");
        assert!(all.iter().all(|v| (0.0..=1.0).contains(&v.z)));
        // The face part's mouth opens with "aa": its lowest vertex drops.
        let face = puppet.parts.iter().find(|p| !p.targets.is_empty()).unwrap();
        let aa = model.expressions[&Preset::Aa][0].target;
        let mut morph = vec![0.0; face.targets.len()];
        let closed = puppet.place(face, &globals, &morph);
        morph[aa] = 1.0;
        let open = puppet.place(face, &globals, &morph);
        let low = |v: &[Vec3]| v.iter().map(|p| p.y).fold(f32::MAX, f32::min);
        assert!(low(&closed) - low(&open) > 0.02, "{} vs {}", low(&closed), low(&open));
    }
}
