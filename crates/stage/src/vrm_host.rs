//! The VRM host: a VRM 1.0 or 0.x model (read by the `vrm` crate) drawn by the stage's own 2D camera, without
//! Bevy's 3D renderer. Each frame the model is posed on the CPU (arms brought down from the T-pose every VRM rests
//! in, breathing, sway, a nod while talking, the gesture playing), its morph targets set from the expressions
//! (the five mouth shapes from the visemes being spoken, blinks, moods, and the eyes' look toward the comment or
//! the offer), and its skinned vertices written into [`Mesh2d`]s. An orthographic front view needs no
//! perspective: each vertex's depth goes into the 2D depth buffer, so the face draws over the hair behind it.
//! Materials are drawn by their base colour and texture (MToon's lit colour), in two tones from one key light
//! baked into the vertex colours at rest (`vrm::pose::Skinned::shade`).
//!
//! Why not bevy_pbr and bevy_gltf: they add several minutes to a two-core build and a 3D pipeline per frame on a
//! software renderer, for a front view that the 2D pipeline draws (BENCHMARKS.md, "VRM host").
//!
//! Spring bones (hair, ribbons) swing behind the body's motion (`vrm::pose::Springs`).
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
use vrm::pose::{ARM_DROP, Motion, Rig, Skinned, Springs};
use vrm::{AlphaMode, LookAt, MorphBind, Preset, VrmModel};

/// Marks the VRM host's root entity.
#[derive(Component)]
pub struct VrmRoot;

/// The VRM host's state: its rig, its skinned parts and their meshes, and the expression weights being eased
/// toward.
#[derive(Component)]
pub struct VrmPuppet {
    rig: Rig,
    skinned: Skinned,
    springs: Springs,
    /// The idle clip looped under the motion, if the scene gives one.
    clip: Option<vrm::clip::Clip>,
    /// Per skinned part, its mesh (none when the whole part lies below the frame).
    handles: Vec<Option<Handle<Mesh>>>,
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

/// The host's band of depths in the 2D world: a hundred units for a metre, because a face's lines and brows lie a
/// millimetre or two over its skin and the 2D camera spreads its depth buffer over 2,000 units (at one unit a metre
/// those layers would fight). Nothing else is drawn in the 2D world's depth while a VRM host is up (the overlays
/// are UI).
const DEPTH_MID: f32 = 50.0;
const DEPTH_PER_METRE: f32 = 100.0;
const DEPTH_HALF: f32 = 45.0;

/// Model metres to the root's local pixels; the model turned to face the camera, depth kept for ordering (in
/// front is higher, within [`DEPTH_MID`]'s band).
#[derive(Clone, Copy)]
struct ToLocal {
    forward: f32,
    scale: f32,
    anchor: Vec3,
}

impl ToLocal {
    fn apply(self, v: Vec3) -> [f32; 3] {
        let d = v - self.anchor;
        [
            d.x * self.forward * self.scale,
            d.y * self.scale,
            DEPTH_MID + (d.z * self.forward * DEPTH_PER_METRE).clamp(-DEPTH_HALF, DEPTH_HALF),
        ]
    }
}

/// How far below the avatar rectangle's top the model's head starts, as a fraction of the rectangle's height.
const FRAME_TOP: f32 = 0.1;

/// Toon brightness per vertex as the vertex colours the material multiplies by (linear grey, opaque).
fn shade_colours(shade: &[f32]) -> Vec<[f32; 4]> {
    shade.iter().map(|&k| [k, k, k, 1.0]).collect()
}

impl VrmPuppet {
    /// Builds the puppet and its meshes, framed in a `fit` (width, height in pixels) rectangle; returns the
    /// meshes with their material indices.
    fn new(
        model: &VrmModel,
        fit: Vec2,
        offer_side: f32,
        meshes: &mut Assets<Mesh>,
    ) -> (VrmPuppet, Vec<(Handle<Mesh>, Option<usize>)>) {
        let rig = Rig::new(model);
        let skinned = Skinned::new(model);
        // Frame the model as it stands at rest: the head's top to just past the lower of hips and hands.
        let globals = rig.pose(&Motion::at_rest());
        let at_rest: Vec<Vec<Vec3>> = (0..skinned.parts.len())
            .map(|i| {
                let mut out = Vec::new();
                skinned.place(i, &globals, &[], &mut out, |v| v);
                out
            })
            .collect();
        let top = at_rest.iter().flatten().map(|v| v.y).fold(f32::MIN, f32::max);
        let hips = rig.bone("hips").map_or(0.0, |h| globals[h].w_axis.y);
        let hands = ["leftHand", "rightHand"]
            .iter()
            .filter_map(|b| rig.bone(b))
            .map(|h| globals[h].w_axis.y)
            .fold(hips, f32::min);
        let span = (top - hands).max(0.1) * 1.08;
        let bottom = top - span;
        // The root sits at the rectangle's centre: the model point there is half the span below the top.
        let centre_x = rig.bone("head").map_or(0.0, |h| globals[h].w_axis.x);
        let half_width =
            at_rest.iter().flatten().filter(|v| v.y >= bottom).map(|v| (v.x - centre_x).abs()).fold(0.05, f32::max);
        // The head's top sits a tenth of the rectangle below its top, where the drawn host's hair starts, so the
        // scene's check that no overlay covers the face (model::Scene::face) holds for this host too.
        let scale = (fit.y * (1.0 - FRAME_TOP) / span).min(fit.x / (2.1 * half_width)).max(1e-3);
        let anchor = Vec3::new(centre_x, top - (0.5 - FRAME_TOP) * fit.y / scale, 0.0);
        let to_local = ToLocal { forward: rig.forward, scale, anchor };
        let mut handles = Vec::new();
        let mut made = Vec::new();
        for (i, (part, placed)) in skinned.parts.iter().zip(&at_rest).enumerate() {
            let p = &model.meshes[part.mesh].primitives[part.primitive];
            // Triangles wholly below the frame (legs, feet) are dropped.
            let indices: Vec<u32> = p
                .indices
                .chunks_exact(3)
                .filter(|t| t.iter().any(|&i| placed.get(i as usize).is_some_and(|v| v.y >= bottom)))
                .flatten()
                .copied()
                .collect();
            if indices.is_empty() {
                handles.push(None);
                continue;
            }
            let positions: Vec<[f32; 3]> = placed.iter().map(|v| to_local.apply(*v)).collect();
            let mesh = Mesh::new(PrimitiveTopology::TriangleList, RenderAssetUsages::default())
                .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
                .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, p.uvs.clone())
                .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, shade_colours(&skinned.shade(i, &globals, rig.forward)))
                .with_inserted_indices(Indices::U32(indices));
            let handle = meshes.add(mesh);
            made.push((handle.clone(), p.material));
            handles.push(Some(handle));
        }
        let morph =
            model.meshes.iter().map(|m| vec![0.0; m.primitives.first().map_or(0, |p| p.targets.len())]).collect();
        let springs = Springs::new(model, &rig, &globals);
        let puppet = VrmPuppet {
            rig,
            skinned,
            springs,
            clip: None,
            handles,
            expressions: model.expressions.clone(),
            look_at: model.look_at,
            scale,
            anchor,
            offer_side,
            weights: BTreeMap::new(),
            morph,
            last: f32::NAN,
        };
        (puppet, made)
    }

    fn to_local(&self) -> ToLocal {
        ToLocal { forward: self.rig.forward, scale: self.scale, anchor: self.anchor }
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
    clip: Option<vrm::clip::Clip>,
    fit: Vec2,
    offer_side: f32,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<ColorMaterial>,
    images: &mut Assets<Image>,
) {
    let (mut puppet, handles) = VrmPuppet::new(model, fit, offer_side, meshes);
    puppet.clip = clip;
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
            let look = material.and_then(|m| looks.get(m)).cloned().unwrap_or_else(|| fallback.clone());
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
    mut scratch: Local<Vec<[f32; 3]>>,
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
        let mut motion = Motion::at_rest();
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
        let clip = p.clip.as_ref().map(|c| c.sample(now)).unwrap_or_default();
        let mut globals = p.rig.pose_with(&motion, &clip);
        p.springs.step(&p.rig, &mut globals, dt);
        let to_local = p.to_local();
        for (i, part) in p.skinned.parts.iter().enumerate() {
            let Some(handle) = p.handles.get(i).and_then(Option::as_ref) else { continue };
            let morph = p.morph.get(part.mesh).map_or(&[][..], |m| &m[..]);
            p.skinned.place(i, &globals, morph, &mut scratch, |v| to_local.apply(v));
            let Some(mut mesh) = meshes.get_mut(handle) else { continue };
            if let Ok(Some(VertexAttributeValues::Float32x3(positions))) =
                mesh.try_attribute_mut_option(Mesh::ATTRIBUTE_POSITION)
                && positions.len() == scratch.len()
            {
                positions.copy_from_slice(&scratch);
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
        // The framed model's top and sides.
        let globals = puppet.rig.pose(&Motion::at_rest());
        let to_local = puppet.to_local();
        let mut all: Vec<Vec3> = Vec::new();
        for i in 0..puppet.skinned.parts.len() {
            let mut out = Vec::new();
            puppet.skinned.place(i, &globals, &[], &mut out, |v| Vec3::from_array(to_local.apply(v)));
            all.extend(out);
        }
        let top = all.iter().map(|v| v.y).fold(f32::MIN, f32::max);
        let widest = all.iter().map(|v| v.x.abs()).fold(0.0, f32::max);
        // It fits the 500x800 rectangle.
        // The head's top a tenth of the way down (320 px above the centre of an 800 px rectangle).
        assert!((top - 320.0).abs() < 1.0 && widest <= 250.0, "top {top}, widest {widest}");
        assert!(all.iter().all(|v| (DEPTH_MID - DEPTH_HALF..=DEPTH_MID + DEPTH_HALF).contains(&v.z)));
        // The face's features (a couple of millimetres over the skin) are whole depth units in front of it.
        let face_z = all.iter().map(|v| v.z).fold(f32::MIN, f32::max);
        assert!(face_z - DEPTH_MID > 10.0, "{face_z}");
        // The face part's mouth opens with "aa": its lowest vertex drops.
        let face = puppet.skinned.parts.iter().position(|p| p.target_count() > 0).unwrap();
        let aa = model.expressions[&Preset::Aa][0].target;
        let mut morph = vec![0.0; puppet.skinned.parts[face].target_count()];
        let (mut closed, mut open) = (Vec::new(), Vec::new());
        puppet.skinned.place(face, &globals, &morph, &mut closed, |v| v);
        morph[aa] = 1.0;
        puppet.skinned.place(face, &globals, &morph, &mut open, |v| v);
        let low = |v: &[Vec3]| v.iter().map(|p| p.y).fold(f32::MAX, f32::min);
        assert!(low(&closed) - low(&open) > 0.02, "{} vs {}", low(&closed), low(&open));
    }
}
