//! Posing and skinning on the CPU: a [`Rig`] turns bones from the rest pose (VRM's T-pose) by a [`Motion`], and
//! [`Skinned`] moves each vertex by its morph targets and its joints. Plain math on [`glam`] (the same version Bevy
//! uses), so the stage only copies the result into its meshes, and this runs optimised in test builds too.

use crate::{Collider, VrmModel};
use glam::{Mat4, Quat, Vec3};
use std::collections::BTreeMap;

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
    pub forward: f32,
    /// Each upper arm's direction along X at rest (+1 or -1), by side.
    pub left_arm_x: f32,
    pub right_arm_x: f32,
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

    pub fn bone(&self, name: &str) -> Option<usize> {
        self.bones.get(name).copied()
    }

    /// Every node's global transform for this motion. Each bone's turn is given in the rest pose's frame
    /// (world axes), so "bring the arm down" means the same on a model whose bones are oriented differently.
    pub fn pose(&self, motion: &Motion) -> Vec<Mat4> {
        self.pose_with(motion, &[])
    }

    /// [`Rig::pose`] with an idle clip's rotations (from [`crate::clip::Clip::sample`], in the normalized
    /// humanoid's frame) on the bones it moves: they replace the motion's turns, except that a nod still dips the
    /// head and a gesture still lifts its arm.
    pub fn pose_with(&self, motion: &Motion, clip: &[(&str, Quat)]) -> Vec<Mat4> {
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
        let gesturing = |side: &str| {
            let drop = if side == "left" { motion.left_arm_drop } else { motion.right_arm_drop };
            (drop - ARM_DROP).abs() > 1e-3
        };
        for &(bone, q) in clip {
            let Some(i) = self.bone(bone) else { continue };
            // Clips are authored facing +Z; a 0.x model faces -Z: half a turn about Y.
            let q = if f < 0.0 { Quat::from_xyzw(-q.x, q.y, -q.z, q.w) } else { q };
            let arm_side = ["left", "right"]
                .into_iter()
                .find(|s| bone.starts_with(s) && (bone.ends_with("UpperArm") || bone.ends_with("LowerArm")));
            if arm_side.is_some_and(gesturing) {
                continue;
            }
            match turns.iter_mut().find(|(b, _)| *b == i) {
                Some((_, existing)) if bone == "head" => *existing *= q,
                Some((_, existing)) => *existing = q,
                None => turns.push((i, q)),
            }
        }

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

/// The arms at rest: brought down to about 15 degrees from hanging straight, forearms a little forward.
pub const ARM_DROP: f32 = 1.3;
const ELBOW_REST: f32 = 0.35;

impl Motion {
    /// Standing at rest: arms down, nothing else moving.
    pub fn at_rest() -> Motion {
        Motion {
            left_arm_drop: ARM_DROP,
            right_arm_drop: ARM_DROP,
            left_elbow: ELBOW_REST,
            right_elbow: ELBOW_REST,
            ..Motion::default()
        }
    }
}

/// One primitive's vertices and what moves them.
#[derive(Debug, Clone)]
pub struct SkinnedPart {
    /// Index into [`VrmModel::meshes`].
    pub mesh: usize,
    /// Index into the mesh instance's primitives.
    pub primitive: usize,
    base: Vec<Vec3>,
    normals: Vec<Vec3>,
    joints: Vec<[u16; 4]>,
    weights: Vec<[f32; 4]>,
    targets: Vec<Vec<Vec3>>,
    skin: Option<usize>,
    node: usize,
}

impl SkinnedPart {
    pub fn len(&self) -> usize {
        self.base.len()
    }

    pub fn is_empty(&self) -> bool {
        self.base.is_empty()
    }

    pub fn target_count(&self) -> usize {
        self.targets.len()
    }
}

/// Every primitive of a model, ready to be posed.
#[derive(Debug, Clone)]
pub struct Skinned {
    pub parts: Vec<SkinnedPart>,
    skins: Vec<(Vec<usize>, Vec<Mat4>)>,
}

impl Skinned {
    pub fn new(model: &VrmModel) -> Skinned {
        let skins = model
            .skins
            .iter()
            .map(|s| (s.joints.clone(), s.inverse_bind.iter().map(Mat4::from_cols_array_2d).collect()))
            .collect();
        let mut parts = Vec::new();
        for (mi, m) in model.meshes.iter().enumerate() {
            for (pi, p) in m.primitives.iter().enumerate() {
                parts.push(SkinnedPart {
                    mesh: mi,
                    primitive: pi,
                    base: p.positions.iter().map(|v| Vec3::from_array(*v)).collect(),
                    normals: p.normals.iter().map(|v| Vec3::from_array(*v)).collect(),
                    joints: p.joints.clone(),
                    weights: p.weights.clone(),
                    targets: p.targets.iter().map(|t| t.iter().map(|v| Vec3::from_array(*v)).collect()).collect(),
                    skin: m.skin.filter(|_| !p.joints.is_empty()),
                    node: m.node,
                });
            }
        }
        Skinned { parts, skins }
    }

    /// Each of `part`'s skin joints' matrix for this pose (empty when the part is not skinned).
    fn joint_matrices(&self, part: &SkinnedPart, globals: &[Mat4]) -> Vec<Mat4> {
        match part.skin.and_then(|s| self.skins.get(s)) {
            Some((joints, inverse)) => joints
                .iter()
                .zip(inverse)
                .map(|(j, ib)| globals.get(*j).copied().unwrap_or(Mat4::IDENTITY) * *ib)
                .collect(),
            None => Vec::new(),
        }
    }

    /// Part `index`'s vertices in model space for these node transforms and morph weights (one per target),
    /// each passed through `map` into `out` (which is resized to fit).
    pub fn place<T>(&self, index: usize, globals: &[Mat4], morph: &[f32], out: &mut Vec<T>, map: impl Fn(Vec3) -> T) {
        out.clear();
        let Some(part) = self.parts.get(index) else { return };
        let active: Vec<(usize, f32)> =
            morph.iter().copied().enumerate().filter(|(t, w)| *w > 1e-3 && *t < part.targets.len()).collect();
        let joint_mats = self.joint_matrices(part, globals);
        let node = globals.get(part.node).copied().unwrap_or(Mat4::IDENTITY);
        out.reserve(part.base.len());
        for (i, &b) in part.base.iter().enumerate() {
            let mut p = b;
            for &(t, w) in &active {
                if let Some(d) = part.targets[t].get(i) {
                    p += *d * w;
                }
            }
            let p = match (joint_mats.is_empty(), part.joints.get(i), part.weights.get(i)) {
                (false, Some(j), Some(w)) => skin_vertex(p, j, w, &joint_mats),
                _ => node.transform_point3(p),
            };
            out.push(map(p));
        }
    }
}

impl Skinned {
    /// Part `index`'s toon shading for this pose, as a brightness per vertex: 1 where the key light (from the
    /// viewer's upper left, in front) falls, [`SHADE`] in the shade, with a narrow soft band between, as MToon's
    /// two tones. The stage bakes it once, at rest: the host sways and nods too little for the light to move.
    pub fn shade(&self, index: usize, globals: &[Mat4], forward: f32) -> Vec<f32> {
        let Some(part) = self.parts.get(index) else { return Vec::new() };
        let light = Vec3::new(-0.45 * forward, 0.55, 1.0 * forward).normalize();
        let joint_mats = self.joint_matrices(part, globals);
        let node = globals.get(part.node).copied().unwrap_or(Mat4::IDENTITY);
        (0..part.base.len())
            .map(|i| {
                let n = part.normals.get(i).copied().unwrap_or(Vec3::Z);
                let n = match (joint_mats.is_empty(), part.joints.get(i), part.weights.get(i)) {
                    (false, Some(j), Some(w)) => {
                        let mut out = Vec3::ZERO;
                        for k in 0..4 {
                            if let Some(m) = joint_mats.get(j[k] as usize) {
                                out += w[k] * m.transform_vector3(n);
                            }
                        }
                        out
                    }
                    _ => node.transform_vector3(n),
                };
                toon(n.normalize_or_zero().dot(light))
            })
            .collect()
    }
}

/// One simulated spring bone and where its tail is.
#[derive(Debug, Clone)]
struct SimBone {
    node: usize,
    parent: Option<usize>,
    /// The direction to the tail in the node's own space, and the distance to it in the model's.
    axis: Vec3,
    length: f32,
    stiffness: f32,
    gravity: Vec3,
    drag: f32,
    hit_radius: f32,
    colliders: Vec<usize>,
    /// Nodes below this one, parents first: they follow it rigidly unless they swing themselves.
    descendants: Vec<usize>,
    current: Vec3,
    previous: Vec3,
}

/// Hair and cloth that swing: VRM's spring bones, simulated as the specification describes (each tail keeps its
/// length from its joint, carries on with its last step less the drag, is pulled back toward its rest direction by
/// its stiffness and down by its gravity, and is pushed out of the colliders).
#[derive(Debug, Clone)]
pub struct Springs {
    bones: Vec<SimBone>,
    colliders: Vec<Collider>,
}

/// The longest step simulated at once: a stalled frame must not fling the hair.
const MAX_SPRING_STEP: f32 = 1.0 / 20.0;

impl Springs {
    /// The model's springs at rest in `globals` (a pose from `rig`).
    pub fn new(model: &VrmModel, rig: &Rig, globals: &[Mat4]) -> Springs {
        let mut bones = Vec::new();
        for spring in &model.springs {
            for b in &spring.bones {
                let (Some(head), Some(tail)) = (globals.get(b.node), globals.get(b.tail)) else { continue };
                let (head, tail) = (head.w_axis.truncate(), tail.w_axis.truncate());
                let length = head.distance(tail);
                let local_tail = rig.rest.get(b.tail).map_or(Vec3::ZERO, |r| r.0);
                if length < 1e-5 || local_tail.length_squared() < 1e-12 || !length.is_finite() {
                    continue;
                }
                let descendants: Vec<usize> = rig
                    .order
                    .iter()
                    .copied()
                    .filter(|&n| {
                        let mut at = rig.parents[n];
                        let mut steps = 0;
                        while let Some(p) = at {
                            if p == b.node {
                                return true;
                            }
                            steps += 1;
                            if steps > rig.parents.len() {
                                break;
                            }
                            at = rig.parents[p];
                        }
                        false
                    })
                    .collect();
                bones.push(SimBone {
                    node: b.node,
                    parent: rig.parents[b.node],
                    axis: local_tail.normalize(),
                    length,
                    stiffness: b.stiffness,
                    gravity: Vec3::from_array(b.gravity_dir).normalize_or_zero() * b.gravity_power,
                    drag: b.drag,
                    hit_radius: b.hit_radius,
                    colliders: spring.colliders.clone(),
                    descendants,
                    current: tail,
                    previous: tail,
                });
            }
        }
        Springs { bones, colliders: model.colliders.clone() }
    }

    pub fn is_empty(&self) -> bool {
        self.bones.is_empty()
    }

    /// Steps the springs by `dt` seconds against the body's pose `globals` and turns their bones (and what hangs
    /// from them) in `globals` to match.
    pub fn step(&mut self, rig: &Rig, globals: &mut [Mat4], dt: f32) {
        let dt = if dt.is_finite() { dt.clamp(0.0, MAX_SPRING_STEP) } else { 0.0 };
        for b in &mut self.bones {
            let Some((t, r0, s)) = rig.rest.get(b.node).copied() else { continue };
            let parent = b.parent.and_then(|p| globals.get(p).copied()).unwrap_or(Mat4::IDENTITY);
            let (_, parent_rotation, _) = parent.to_scale_rotation_translation();
            let head = parent.transform_point3(t);
            let rest_rotation = parent_rotation * r0;
            let rest_dir = (rest_rotation * b.axis).normalize_or(Vec3::NEG_Y);
            if dt > 0.0 {
                let inertia = (b.current - b.previous) * (1.0 - b.drag);
                let mut next = b.current + inertia + rest_dir * (b.stiffness * dt) + b.gravity * dt;
                next = head + (next - head).normalize_or(rest_dir) * b.length;
                for &c in &b.colliders {
                    let Some(collider) = self.colliders.get(c) else { continue };
                    let Some(at) = globals.get(collider.node) else { continue };
                    let a = at.transform_point3(Vec3::from_array(collider.offset));
                    // A capsule's nearest point on its axis; a sphere's centre.
                    let centre = match collider.tail {
                        Some(tail) => {
                            let b2 = at.transform_point3(Vec3::from_array(tail));
                            let ab = b2 - a;
                            let k = if ab.length_squared() > 1e-12 {
                                (next - a).dot(ab) / ab.length_squared()
                            } else {
                                0.0
                            };
                            a + ab * k.clamp(0.0, 1.0)
                        }
                        None => a,
                    };
                    let reach = collider.radius + b.hit_radius;
                    let away = next - centre;
                    if away.length() < reach {
                        next = centre + away.normalize_or(rest_dir) * reach;
                        next = head + (next - head).normalize_or(rest_dir) * b.length;
                    }
                }
                if next.is_finite() {
                    b.previous = b.current;
                    b.current = next;
                } else {
                    b.previous = head + rest_dir * b.length;
                    b.current = b.previous;
                }
            }
            let to = (b.current - head).normalize_or(rest_dir);
            let turned = Quat::from_rotation_arc(rest_dir, to) * rest_rotation;
            let local = (parent_rotation.inverse() * turned).normalize();
            if let Some(g) = globals.get_mut(b.node) {
                *g = parent * Mat4::from_scale_rotation_translation(s, local, t);
            }
            for &d in &b.descendants {
                let (Some(p), Some((dt_, dr, ds))) = (rig.parents[d], rig.rest.get(d).copied()) else { continue };
                if let Some(pg) = globals.get(p).copied() {
                    globals[d] = pg * Mat4::from_scale_rotation_translation(ds, dr, dt_);
                }
            }
        }
    }

    /// Where each swinging bone's tail is now (for tests and debugging).
    pub fn tails(&self) -> Vec<Vec3> {
        self.bones.iter().map(|b| b.current).collect()
    }
}

/// The brightness of the shaded tone.
pub const SHADE: f32 = 0.78;

/// MToon-like two tones from the cosine between a normal and the light.
pub fn toon(cos: f32) -> f32 {
    let t = ((cos + 0.05) / 0.2).clamp(0.0, 1.0);
    let t = t * t * (3.0 - 2.0 * t);
    SHADE + (1.0 - SHADE) * t
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{Options, presenter};

    #[test]
    fn the_ponytail_swings_behind_a_nod_and_settles_outside_the_head() {
        for v0 in [false, true] {
            let model = crate::parse(&presenter(&Options { v0, ..Options::default() })).unwrap();
            assert_eq!(model.springs.len(), 1, "v0={v0}");
            assert_eq!(model.springs[0].bones.len(), 3);
            let rig = Rig::new(&model);
            let still = rig.pose(&Motion::at_rest());
            let mut springs = Springs::new(&model, &rig, &still);
            let dt = 1.0 / 30.0;
            // Standing still for two seconds: the tail barely moves from where it hangs.
            let start = springs.tails();
            for _ in 0..60 {
                let mut g = still.clone();
                springs.step(&rig, &mut g, dt);
            }
            let drift = springs.tails().iter().zip(&start).map(|(a, b)| a.distance(*b)).fold(0.0, f32::max);
            assert!(drift < 0.06, "v0={v0}: drifted {drift} m standing still");
            // A nod: the head tips forward at once; the tail lags behind where a rigid tail would be, then
            // settles near its rest direction relative to the head.
            let nodded = rig.pose(&Motion { nod: 0.5, ..Motion::at_rest() });
            let rigid_tail = |g: &[Mat4]| {
                let end = rig.bone("head").map(|_| 14).unwrap();
                g[end].w_axis.truncate()
            };
            let mut g = nodded.clone();
            springs.step(&rig, &mut g, dt);
            let lag = springs.tails()[2].distance(rigid_tail(&nodded));
            assert!(lag > 0.02, "v0={v0}: the tail followed the nod rigidly ({lag} m)");
            let head = rig.bone("head").unwrap();
            for _ in 0..150 {
                g = nodded.clone();
                springs.step(&rig, &mut g, dt);
                let centre = g[head].transform_point3(Vec3::new(0.0, 0.12, 0.0));
                for t in springs.tails() {
                    assert!(t.is_finite());
                    assert!(t.distance(centre) > 0.12, "v0={v0}: a tail inside the head");
                }
            }
            let a = springs.tails();
            g = nodded.clone();
            springs.step(&rig, &mut g, dt);
            let still_moving = springs.tails().iter().zip(&a).map(|(x, y)| x.distance(*y)).fold(0.0, f32::max);
            assert!(still_moving < 0.002, "v0={v0}: still swinging {still_moving} m a frame after five seconds");
            // The ponytail's bones were turned in the pose the skin is drawn from.
            assert!(g[12].w_axis.distance(nodded[12].w_axis) > 1e-4 || g[13].w_axis.distance(nodded[13].w_axis) > 1e-4);
            // A stalled frame (a second late) moves it no further than a twentieth of a second would.
            let before = springs.tails();
            let nod_back = rig.pose(&Motion::at_rest());
            let mut g = nod_back.clone();
            springs.step(&rig, &mut g, 1.0);
            let jump = springs.tails().iter().zip(&before).map(|(x, y)| x.distance(*y)).fold(0.0, f32::max);
            assert!(jump < 0.2, "v0={v0}: {jump}");
        }
    }

    #[test]
    fn an_idle_clip_moves_the_bones_it_names_and_leaves_gestures_and_nods() {
        let clip = crate::clip::parse_clip(&crate::sample::idle_clip()).unwrap();
        for v0 in [false, true] {
            let model = crate::parse(&presenter(&Options { v0, ..Options::default() })).unwrap();
            let rig = Rig::new(&model);
            let hand = rig.bone("leftHand").unwrap();
            let shoulder = rig.bone("leftUpperArm").unwrap();
            let t_pose = rig.pose(&Motion::default());
            // The clip lowers the arms by 1.2 rad from level (our rest lowers them by 1.3).
            let clipped = rig.pose_with(&Motion::at_rest(), &clip.sample(0.0));
            let drop = t_pose[shoulder].w_axis.y - clipped[hand].w_axis.y;
            let expected = 0.5 * 1.2f32.sin();
            assert!((drop - expected).abs() < 0.02, "v0={v0}: hand {drop} m below the shoulder, wanted {expected}");
            // The hand stays on its side (the clip's left arm is the model's left arm, whichever way it faces).
            assert_eq!(clipped[hand].w_axis.x.signum(), t_pose[hand].w_axis.x.signum(), "v0={v0}");
            // The spine sways with the clip: the head moves sideways between 0 and 0.5 s.
            let head = rig.bone("head").unwrap();
            let later = rig.pose_with(&Motion::at_rest(), &clip.sample(0.5));
            assert!((later[head].w_axis.x - clipped[head].w_axis.x).abs() > 0.01, "v0={v0}");
            // A gesture lifts the arm the clip holds down; a nod still dips the head.
            let gesture = Motion { left_arm_drop: 0.2, ..Motion::at_rest() };
            let lifted = rig.pose_with(&gesture, &clip.sample(0.0));
            assert!(lifted[hand].w_axis.y > clipped[hand].w_axis.y + 0.2, "v0={v0}");
            let nod = rig.pose_with(&Motion { nod: 0.4, ..Motion::at_rest() }, &clip.sample(0.0));
            let top = |g: &[Mat4]| g[head].transform_point3(Vec3::new(0.0, 0.2, 0.0));
            assert!((top(&nod).z - top(&clipped).z) * rig.forward > 0.03, "v0={v0}");
        }
    }

    #[test]
    fn the_key_light_falls_on_the_front_and_the_upper_left_of_either_version() {
        assert_eq!(toon(1.0), 1.0);
        assert_eq!(toon(-1.0), SHADE);
        for v0 in [false, true] {
            let model = crate::parse(&presenter(&Options { v0, ..Options::default() })).unwrap();
            let rig = Rig::new(&model);
            let skinned = Skinned::new(&model);
            let globals = rig.pose(&Motion::at_rest());
            // The head sphere (mesh 1): its front is lit, its back in shade.
            let head = skinned.parts.iter().position(|p| p.mesh == 1).unwrap();
            let shade = skinned.shade(head, &globals, rig.forward);
            let mut placed = Vec::new();
            skinned.place(head, &globals, &[], &mut placed, |v| v);
            let f = rig.forward;
            // (The mesh also holds the hands; only the head is above 1.45 m.)
            let head_part = |p: &&Vec3| p.y > 1.45;
            let front = placed.iter().zip(&shade).filter(|(p, _)| head_part(p) && p.z * f > 0.1).map(|(_, s)| *s);
            let back = placed.iter().zip(&shade).filter(|(p, _)| head_part(p) && p.z * f < -0.1).map(|(_, s)| *s);
            assert!(front.clone().all(|s| s > 0.95) && front.count() > 0, "v0={v0}");
            assert!(back.clone().all(|s| s < 0.8) && back.count() > 0, "v0={v0}");
        }
    }

    #[test]
    fn the_arms_come_down_from_the_t_pose_on_either_version() {
        for v0 in [false, true] {
            let model = crate::parse(&presenter(&Options { v0, ..Options::default() })).unwrap();
            let rig = Rig::new(&model);
            let rest = rig.pose(&Motion::default());
            let posed = rig.pose(&Motion::at_rest());
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
            let nod = rig.pose(&Motion { nod: 0.3, ..Motion::at_rest() });
            let top = |g: &[Mat4]| g[head].transform_point3(Vec3::new(0.0, 0.2, 0.0));
            assert!((top(&nod).z - top(&posed).z) * model.version.forward_z() > 0.03, "v0={v0}");
        }
    }
}
