//! A VRM animation clip (`.vrma`: binary glTF with the `VRMC_vrm_animation` extension) read into rotation tracks
//! per humanoid bone, for the host's idle motion. Rotations are brought into the normalized humanoid's frame (the
//! clip's own rest pose taken out, as the VRMA specification asks), which is the frame [`crate::pose::Rig`] turns
//! bones in, so a clip plays on any model whatever its bones' own orientations. Translations (the hips moving)
//! and the clip's expressions are not used.

use crate::VrmError;
use glam::Quat;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The longest clip read (an idle loop is seconds long).
const MAX_CLIP_SECONDS: f32 = 600.0;
/// The most keyframes one track may have.
const MAX_KEYS: usize = 100_000;

/// One bone's rotations over time.
#[derive(Debug, Clone)]
struct Track {
    bone: String,
    times: Vec<f32>,
    rotations: Vec<Quat>,
    step: bool,
}

/// A looping clip of humanoid bone rotations.
#[derive(Debug, Clone)]
pub struct Clip {
    pub duration: f32,
    tracks: Vec<Track>,
}

impl Clip {
    /// The humanoid bones the clip moves.
    pub fn bones(&self) -> Vec<&str> {
        self.tracks.iter().map(|t| t.bone.as_str()).collect()
    }

    /// Each bone's rotation (in the normalized humanoid's frame) `t` seconds in, the clip looping.
    pub fn sample(&self, t: f32) -> Vec<(&str, Quat)> {
        let t = if self.duration > 0.0 && t.is_finite() { t.rem_euclid(self.duration) } else { 0.0 };
        self.tracks
            .iter()
            .filter_map(|track| {
                let (times, rotations) = (&track.times, &track.rotations);
                let last = times.len().checked_sub(1)?;
                let q = match times.iter().position(|&k| k > t) {
                    Some(0) => rotations[0],
                    None => rotations[last],
                    Some(i) if track.step => rotations[i - 1],
                    Some(i) => {
                        let (t0, t1) = (times[i - 1], times[i]);
                        let k = if t1 > t0 { (t - t0) / (t1 - t0) } else { 0.0 };
                        rotations[i - 1].slerp(rotations[i], k)
                    }
                };
                Some((track.bone.as_str(), q))
            })
            .collect()
    }
}

/// Reads and checks a `.vrma` file.
pub fn read_clip(path: &Path) -> Result<Clip, VrmError> {
    let err = |problem: String| VrmError { file: path.to_path_buf(), problem };
    let bytes = std::fs::read(path)
        .map_err(|e| err(format!("cannot be read ({e}); check the idle clip's path in the scene's [avatar] table")))?;
    if bytes.len() as u64 > crate::MAX_FILE_BYTES {
        return Err(err("is too large for an animation clip".into()));
    }
    parse_clip(&bytes).map_err(err)
}

/// Reads a VRMA clip held in memory.
pub fn parse_clip(bytes: &[u8]) -> Result<Clip, String> {
    if bytes.len() < 12 || &bytes[0..4] != b"glTF" {
        return Err("is not a VRM animation: a .vrma file is binary glTF (it starts with \"glTF\")".into());
    }
    let glb = gltf::binary::Glb::from_slice(bytes).map_err(|e| format!("its glTF container is damaged: {e}"))?;
    let json: Value = serde_json::from_slice(&glb.json).map_err(|e| format!("its glTF JSON cannot be read: {e}"))?;
    let Some(ext) = json.pointer("/extensions/VRMC_vrm_animation") else {
        return Err("is glTF but not a VRM animation: it has no VRMC_vrm_animation extension; export the clip as \
                    .vrma (VRM Animation)"
            .into());
    };
    let gltf = gltf::Gltf::from_slice(bytes).map_err(|e| format!("is not valid glTF: {e}"))?;
    let blob: &[u8] = gltf.blob.as_deref().unwrap_or(&[]);
    crate::check_buffers(&gltf, blob)?;
    let node_count = gltf.nodes().count();
    // Which node is which humanoid bone.
    let mut bone_of: BTreeMap<usize, String> = BTreeMap::new();
    for (name, bone) in ext.pointer("/humanoid/humanBones").and_then(Value::as_object).into_iter().flatten() {
        if let Some(node) = bone.get("node").and_then(Value::as_u64) {
            if node as usize >= node_count {
                return Err(format!("humanoid bone \"{name}\" points at node {node}, which the file does not have"));
            }
            bone_of.insert(node as usize, name.clone());
        }
    }
    // The clip's rest pose, to take out of its rotations.
    let nodes = crate::read_nodes(&gltf);
    let mut rest_global = vec![Quat::IDENTITY; nodes.len()];
    let mut done = vec![false; nodes.len()];
    fn global(i: usize, nodes: &[crate::Node], out: &mut [Quat], done: &mut [bool], depth: usize) -> Quat {
        if done[i] || depth > nodes.len() {
            return out[i];
        }
        let local = Quat::from_array(nodes[i].rotation).normalize();
        let q = match nodes[i].parent {
            Some(p) => global(p, nodes, out, done, depth + 1) * local,
            None => local,
        };
        out[i] = if q.is_finite() { q } else { Quat::IDENTITY };
        done[i] = true;
        out[i]
    }
    for i in 0..nodes.len() {
        global(i, &nodes, &mut rest_global, &mut done, 0);
    }
    let mut tracks = Vec::new();
    let mut duration: f32 = 0.0;
    for animation in gltf.animations() {
        for channel in animation.channels() {
            let node = channel.target().node().index();
            let Some(bone) = bone_of.get(&node) else { continue };
            if channel.target().property() != gltf::animation::Property::Rotation {
                continue;
            }
            let reader = channel.reader(|_| Some(blob));
            let times: Vec<f32> = reader.read_inputs().map(|i| i.collect()).unwrap_or_default();
            let Some(gltf::animation::util::ReadOutputs::Rotations(r)) = reader.read_outputs() else { continue };
            let mut values: Vec<Quat> = r.into_f32().map(Quat::from_array).collect();
            let sampler = channel.sampler();
            if sampler.interpolation() == gltf::animation::Interpolation::CubicSpline {
                // In-tangent, value, out-tangent per key: keep the values.
                values = values.chunks_exact(3).map(|c| c[1]).collect();
            }
            if times.is_empty() || times.len() != values.len() || times.len() > MAX_KEYS {
                return Err(format!(
                    "animation channel for \"{bone}\" has {} times for {} rotations",
                    times.len(),
                    values.len()
                ));
            }
            if times.iter().any(|t| !t.is_finite() || *t < 0.0) || times.windows(2).any(|w| w[1] < w[0]) {
                return Err(format!("animation channel for \"{bone}\" has times that are not in order"));
            }
            let parent_rest = nodes[node].parent.map_or(Quat::IDENTITY, |p| rest_global[p]);
            let own_rest = rest_global[node];
            let rotations: Vec<Quat> = values
                .into_iter()
                .map(|q| {
                    let q = if q.is_finite() && q.length_squared() > 1e-8 { q.normalize() } else { Quat::IDENTITY };
                    (parent_rest * q * own_rest.inverse()).normalize()
                })
                .collect();
            duration = duration.max(*times.last().unwrap_or(&0.0));
            tracks.push(Track {
                bone: bone.clone(),
                times,
                rotations,
                step: sampler.interpolation() == gltf::animation::Interpolation::Step,
            });
        }
    }
    if tracks.is_empty() {
        return Err("has no rotation tracks for humanoid bones: nothing to play".into());
    }
    if duration > MAX_CLIP_SECONDS {
        return Err(format!("is {duration:.0} s long; an idle clip may be at most {MAX_CLIP_SECONDS:.0} s"));
    }
    Ok(Clip { duration, tracks })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::idle_clip;

    #[test]
    fn the_idle_clip_loops_with_its_rest_pose_taken_out() {
        let clip = parse_clip(&idle_clip()).expect("the sample clip reads");
        assert_eq!(clip.duration, 2.0);
        assert_eq!(clip.bones(), ["spine", "head", "leftUpperArm", "rightUpperArm"]);
        let at = |t: f32, bone: &str| clip.sample(t).into_iter().find(|(b, _)| *b == bone).map(|(_, q)| q).unwrap();
        // The spine's quarter turn at rest is gone: what is left is the sway about Z.
        let sway = at(0.5, "spine");
        assert!(sway.angle_between(Quat::from_rotation_z(0.06)) < 1e-4, "{sway:?}");
        assert!(at(0.0, "spine").angle_between(Quat::IDENTITY) < 1e-4);
        // Halfway between keys, slerped; after the end, it loops.
        let q = at(0.25, "spine");
        assert!(q.angle_between(Quat::IDENTITY) > 0.01 && q.angle_between(sway) > 0.01);
        assert!(at(2.5, "spine").angle_between(sway) < 1e-4);
        assert!(at(7.0, "leftUpperArm").angle_between(Quat::from_rotation_z(-1.2)) < 1e-4);
    }

    #[test]
    fn files_that_are_not_clips_say_what_they_are() {
        assert!(parse_clip(b"nope").unwrap_err().contains("not a VRM animation"));
        let model = crate::sample::presenter(&Default::default());
        assert!(parse_clip(&model).unwrap_err().contains("no VRMC_vrm_animation"));
        let bytes = idle_clip();
        for cut in (0..bytes.len()).step_by(53) {
            assert!(parse_clip(&bytes[..cut]).is_err());
        }
        let mut state = 0x9e37_79b9_u64;
        for _ in 0..300 {
            let mut b = bytes.clone();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % b.len();
            b[at] = (state >> 32) as u8;
            if let Ok(c) = parse_clip(&b) {
                let _ = c.sample(1.3).len();
            }
        }
    }
}
