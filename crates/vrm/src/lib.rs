//! A VRM avatar file (VRM 1.0, or 0.x) read into plain data: the node tree, skinned meshes with their morph
//! targets, materials with decoded base-colour textures, the humanoid bones and the expressions. No Bevy here: the
//! stage poses and draws what this crate reads, `shopcast check host.vrm` reports what [`check`] finds, and the
//! scene loader refuses a file that [`read`] cannot use.
//!
//! A VRM file is a binary glTF (GLB) whose JSON carries the `VRMC_vrm` extension (VRM 1.0) or the `VRM` extension
//! (VRM 0.x). The two differ in ways that matter here: 0.x models face -Z and 1.0 models +Z; 0.x expressions
//! ("blend shape groups") bind morph targets by glTF mesh with weights 0 to 100, 1.0 binds them by node with
//! weights 0 to 1; the preset names differ (0.x "a", "joy", "sorrow"; 1.0 "aa", "happy", "sad").
//!
//! Everything read from the file is bounds-checked before use: a truncated or hostile file is an error that names
//! what is wrong, never a panic.

pub mod clip;
pub mod pose;
pub mod sample;

use gltf::Gltf;
use image::RgbaImage;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The largest file read (a detailed VRoid model is 10 to 40 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The largest texture side: within every GPU's limit, and 64 MB decoded.
pub const MAX_TEXTURE_SIDE: u32 = 4096;
/// A texture side past which `check` warns: it costs memory and upload time for no visible gain in a stream
/// whose avatar is under 1,100 pixels high.
pub const LARGE_TEXTURE_SIDE: u32 = 2048;
/// Triangles past which `check` warns that software rendering (Mesa's lavapipe on two cores) will not keep
/// 30 frames a second; see BENCHMARKS.md, "VRM host".
pub const SOFTWARE_TRIANGLE_BUDGET: usize = 50_000;
/// The most vertices one primitive may have (a whole VRoid model has about 60,000).
const MAX_VERTICES: usize = 2_000_000;

/// Which VRM specification the file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// VRM 0.x (the `VRM` extension, UniVRM 0.x exports): faces -Z.
    V0,
    /// VRM 1.0 (the `VRMC_vrm` extension): faces +Z.
    V1,
}

impl Version {
    /// The sign of the model's forward axis along Z (1.0 faces +Z, 0.x faces -Z).
    pub fn forward_z(self) -> f32 {
        match self {
            Version::V0 => -1.0,
            Version::V1 => 1.0,
        }
    }
}

/// Who made the model and under which licence, as the file says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub name: String,
    pub authors: Vec<String>,
    pub licence: String,
}

/// One glTF node: its rest transform (translation, rotation as x, y, z, w, scale) and its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    pub translation: [f32; 3],
    pub rotation: [f32; 4],
    pub scale: [f32; 3],
    pub parent: Option<usize>,
}

/// A node's mesh: where it hangs, the skin that bends it, and its triangle lists.
#[derive(Debug, Clone)]
pub struct MeshInstance {
    pub node: usize,
    /// The glTF mesh index (VRM 0.x expressions bind by it).
    pub gltf_mesh: usize,
    pub skin: Option<usize>,
    pub primitives: Vec<Primitive>,
}

/// One triangle list with one material.
#[derive(Debug, Clone, Default)]
pub struct Primitive {
    pub positions: Vec<[f32; 3]>,
    pub uvs: Vec<[f32; 2]>,
    /// Unit normals, one per vertex (from the file, or averaged from the faces where it has none).
    pub normals: Vec<[f32; 3]>,
    pub indices: Vec<u32>,
    /// Per vertex: four joints (indices into the skin's joint list) and their weights; empty when unskinned.
    pub joints: Vec<[u16; 4]>,
    pub weights: Vec<[f32; 4]>,
    /// Per morph target, a position offset per vertex.
    pub targets: Vec<Vec<[f32; 3]>>,
    pub material: Option<usize>,
}

/// How a material's alpha is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AlphaMode {
    Opaque,
    /// Cut out below this alpha (hair tips, lashes).
    Mask(f32),
    Blend,
}

/// The part of a material the stage draws: base colour and its texture (MToon's lit colour is its base colour).
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    pub name: String,
    pub base_colour: [f32; 4],
    /// Index into [`VrmModel::images`].
    pub texture: Option<usize>,
    pub alpha: AlphaMode,
}

/// A skin: the nodes that bend it and each one's inverse bind matrix (column-major).
#[derive(Debug, Clone)]
pub struct Skin {
    pub joints: Vec<usize>,
    pub inverse_bind: Vec<[[f32; 4]; 4]>,
}

/// The expressions shopcast drives, by their VRM 1.0 preset names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Preset {
    Aa,
    Ih,
    Ou,
    Ee,
    Oh,
    Blink,
    Happy,
    Angry,
    Sad,
    Relaxed,
    Surprised,
    Neutral,
    LookUp,
    LookDown,
    LookLeft,
    LookRight,
}

impl Preset {
    pub const ALL: [Preset; 16] = [
        Preset::Aa,
        Preset::Ih,
        Preset::Ou,
        Preset::Ee,
        Preset::Oh,
        Preset::Blink,
        Preset::Happy,
        Preset::Angry,
        Preset::Sad,
        Preset::Relaxed,
        Preset::Surprised,
        Preset::Neutral,
        Preset::LookUp,
        Preset::LookDown,
        Preset::LookLeft,
        Preset::LookRight,
    ];

    /// The expressions the host uses: the five mouth shapes, blinks and the four moods it shows.
    pub const USED: [Preset; 10] = [
        Preset::Aa,
        Preset::Ih,
        Preset::Ou,
        Preset::Ee,
        Preset::Oh,
        Preset::Blink,
        Preset::Happy,
        Preset::Relaxed,
        Preset::Surprised,
        Preset::Sad,
    ];

    /// The VRM 1.0 name.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Aa => "aa",
            Preset::Ih => "ih",
            Preset::Ou => "ou",
            Preset::Ee => "ee",
            Preset::Oh => "oh",
            Preset::Blink => "blink",
            Preset::Happy => "happy",
            Preset::Angry => "angry",
            Preset::Sad => "sad",
            Preset::Relaxed => "relaxed",
            Preset::Surprised => "surprised",
            Preset::Neutral => "neutral",
            Preset::LookUp => "lookUp",
            Preset::LookDown => "lookDown",
            Preset::LookLeft => "lookLeft",
            Preset::LookRight => "lookRight",
        }
    }

    fn from_v1(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    /// VRM 0.x preset names ("a", "joy", "sorrow", "fun", "lookleft"; matched without case).
    fn from_v0(name: &str) -> Option<Preset> {
        Some(match name.to_ascii_lowercase().as_str() {
            "a" => Preset::Aa,
            "i" => Preset::Ih,
            "u" => Preset::Ou,
            "e" => Preset::Ee,
            "o" => Preset::Oh,
            "blink" => Preset::Blink,
            "joy" => Preset::Happy,
            "angry" => Preset::Angry,
            "sorrow" => Preset::Sad,
            "fun" => Preset::Relaxed,
            "neutral" => Preset::Neutral,
            "lookup" => Preset::LookUp,
            "lookdown" => Preset::LookDown,
            "lookleft" => Preset::LookLeft,
            "lookright" => Preset::LookRight,
            _ => return None,
        })
    }
}

/// One morph target of one mesh instance, at a weight from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorphBind {
    /// Index into [`VrmModel::meshes`].
    pub mesh: usize,
    pub target: usize,
    pub weight: f32,
}

/// How the eyes look somewhere: by turning the eye bones, or by expressions (lookLeft...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookAt {
    Bone,
    Expression,
}

/// A VRM model read and checked for consistency: every index in it is in range.
#[derive(Debug, Clone)]
pub struct VrmModel {
    pub version: Version,
    pub meta: Meta,
    pub nodes: Vec<Node>,
    pub meshes: Vec<MeshInstance>,
    pub skins: Vec<Skin>,
    pub materials: Vec<Material>,
    pub images: Vec<RgbaImage>,
    /// Humanoid bone name (VRM 1.0 spelling: "hips", "head", "leftUpperArm") to node.
    pub humanoid: BTreeMap<String, usize>,
    pub expressions: BTreeMap<Preset, Vec<MorphBind>>,
    pub look_at: LookAt,
    /// Chains of bones that swing (hair, ribbons, skirts) and the spheres they keep out of.
    pub springs: Vec<Spring>,
    pub colliders: Vec<Collider>,
    /// What was read but will not be used (non-triangle primitives, external textures), for `check` to report.
    pub notes: Vec<String>,
}

impl VrmModel {
    pub fn triangles(&self) -> usize {
        self.meshes.iter().flat_map(|m| &m.primitives).map(|p| p.indices.len() / 3).sum()
    }

    pub fn bone(&self, name: &str) -> Option<usize> {
        self.humanoid.get(name).copied()
    }
}

/// Why a file cannot be used as a host, naming the file and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VrmError {
    pub file: PathBuf,
    pub problem: String,
}

impl std::fmt::Display for VrmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VRM avatar {}: {}", self.file.display(), self.problem)
    }
}

impl std::error::Error for VrmError {}

/// Reads and checks a `.vrm` file.
pub fn read(path: &Path) -> Result<VrmModel, VrmError> {
    let err = |problem: String| VrmError { file: path.to_path_buf(), problem };
    let size = std::fs::metadata(path)
        .map_err(|e| err(format!("cannot be read ({e}); check the path in the scene's [avatar] table")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(err(format!(
            "is {} MB; a VRM host may be at most {} MB: reduce its textures",
            size / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot be read ({e})")))?;
    parse(&bytes).map_err(err)
}

/// Reads a VRM file held in memory; the error says what is wrong with it.
pub fn parse(bytes: &[u8]) -> Result<VrmModel, String> {
    if bytes.len() < 12 || &bytes[0..4] != b"glTF" {
        return Err("is not a VRM file: a VRM file is binary glTF (it starts with \"glTF\"); export the model as \
                    .vrm from VRoid Studio, UniVRM or the VRM add-on for Blender"
            .into());
    }
    let glb = gltf::binary::Glb::from_slice(bytes).map_err(|e| format!("its glTF container is damaged: {e}"))?;
    let json: Value = serde_json::from_slice(&glb.json).map_err(|e| format!("its glTF JSON cannot be read: {e}"))?;
    let gltf = Gltf::from_slice(bytes).map_err(|e| format!("is not valid glTF: {e}"))?;
    let blob: &[u8] = gltf.blob.as_deref().unwrap_or(&[]);
    let extensions = json.get("extensions");
    let (version, vrm) = if let Some(v1) = extensions.and_then(|e| e.get("VRMC_vrm")) {
        let spec = v1.get("specVersion").and_then(Value::as_str).unwrap_or("");
        if !spec.starts_with("1.") {
            return Err(format!("says VRM specVersion \"{spec}\"; shopcast reads VRM 1.x and 0.x"));
        }
        (Version::V1, v1)
    } else if let Some(v0) = extensions.and_then(|e| e.get("VRM")) {
        (Version::V0, v0)
    } else {
        return Err("is glTF but not VRM: it has neither the VRMC_vrm (VRM 1.0) nor the VRM (0.x) extension; \
                    convert it to VRM with UniVRM or the VRM add-on for Blender"
            .into());
    };
    check_buffers(&gltf, blob)?;

    let nodes = read_nodes(&gltf);
    let mut notes = Vec::new();
    let images = read_images(&gltf, blob, &mut notes)?;
    let materials = gltf
        .materials()
        .map(|m| {
            let pbr = m.pbr_metallic_roughness();
            Material {
                name: m.name().unwrap_or("").to_string(),
                base_colour: pbr.base_color_factor(),
                texture: pbr
                    .base_color_texture()
                    .map(|t| t.texture().source().index())
                    .filter(|i| images.get(*i).is_some_and(|img| img.width() > 0)),
                alpha: match m.alpha_mode() {
                    gltf::material::AlphaMode::Opaque => AlphaMode::Opaque,
                    gltf::material::AlphaMode::Mask => AlphaMode::Mask(m.alpha_cutoff().unwrap_or(0.5)),
                    gltf::material::AlphaMode::Blend => AlphaMode::Blend,
                },
            }
        })
        .collect();
    let skins = read_skins(&gltf, blob)?;
    let meshes = read_meshes(&gltf, blob, &skins, &mut notes)?;
    let humanoid = read_humanoid(version, vrm, nodes.len())?;
    let expressions = read_expressions(version, vrm, &meshes)?;
    let look_at = match version {
        Version::V1 => vrm.pointer("/lookAt/type").and_then(Value::as_str),
        Version::V0 => vrm.pointer("/firstPerson/lookAtTypeName").and_then(Value::as_str),
    };
    let look_at = match look_at.map(str::to_ascii_lowercase).as_deref() {
        Some("expression") | Some("blendshape") => LookAt::Expression,
        _ => LookAt::Bone,
    };
    let meta = read_meta(version, vrm);
    let (springs, colliders) = read_springs(version, &json, vrm, &nodes)?;
    Ok(VrmModel {
        version,
        meta,
        nodes,
        meshes,
        skins,
        materials,
        images,
        humanoid,
        expressions,
        look_at,
        springs,
        colliders,
        notes,
    })
}

/// Every buffer is the GLB's own binary chunk and every view and accessor lies inside it, so reading never
/// slices past the data.
fn check_buffers(gltf: &Gltf, blob: &[u8]) -> Result<(), String> {
    for buffer in gltf.buffers() {
        match buffer.source() {
            gltf::buffer::Source::Bin if blob.len() >= buffer.length() => {}
            gltf::buffer::Source::Bin => {
                return Err(format!(
                    "its binary chunk holds {} bytes but buffer {} declares {}: the file is truncated",
                    blob.len(),
                    buffer.index(),
                    buffer.length()
                ));
            }
            gltf::buffer::Source::Uri(uri) => {
                return Err(format!(
                    "buffer {} lives in a separate file ({uri}); a VRM file must hold all its data: re-export it",
                    buffer.index()
                ));
            }
        }
    }
    for view in gltf.views() {
        let end = view.offset().checked_add(view.length());
        if end.is_none_or(|end| end > view.buffer().length()) {
            return Err(format!("buffer view {} reaches past the end of its buffer", view.index()));
        }
    }
    let fits = |view: &gltf::buffer::View, offset: usize, stride: usize, count: usize, elem: usize| {
        count == 0
            || stride
                .checked_mul(count - 1)
                .and_then(|n| n.checked_add(offset))
                .and_then(|n| n.checked_add(elem))
                .is_some_and(|end| end <= view.length())
    };
    for accessor in gltf.accessors() {
        let elem = accessor.size();
        if let Some(view) = accessor.view() {
            let stride = view.stride().unwrap_or(elem);
            if stride < elem || !fits(&view, accessor.offset(), stride, accessor.count(), elem) {
                return Err(format!("accessor {} reaches past the end of its buffer view", accessor.index()));
            }
        }
        if let Some(sparse) = accessor.sparse() {
            let n = sparse.count();
            let index_size = match sparse.indices().index_type() {
                gltf::accessor::sparse::IndexType::U8 => 1,
                gltf::accessor::sparse::IndexType::U16 => 2,
                gltf::accessor::sparse::IndexType::U32 => 4,
            };
            let iv = sparse.indices().view();
            let vv = sparse.values().view();
            if n > accessor.count()
                || !fits(&iv, sparse.indices().offset(), index_size, n, index_size)
                || !fits(&vv, sparse.values().offset(), elem, n, elem)
            {
                return Err(format!("sparse accessor {} reaches past the end of its data", accessor.index()));
            }
        }
    }
    Ok(())
}

fn read_nodes(gltf: &Gltf) -> Vec<Node> {
    let mut nodes: Vec<Node> = gltf
        .nodes()
        .map(|n| {
            let (translation, rotation, scale) = n.transform().decomposed();
            Node { name: n.name().unwrap_or("").to_string(), translation, rotation, scale, parent: None }
        })
        .collect();
    for n in gltf.nodes() {
        for child in n.children() {
            if let Some(c) = nodes.get_mut(child.index()) {
                c.parent = Some(n.index());
            }
        }
    }
    nodes
}

fn read_images(gltf: &Gltf, blob: &[u8], notes: &mut Vec<String>) -> Result<Vec<RgbaImage>, String> {
    let mut images = Vec::new();
    for image in gltf.images() {
        let gltf::image::Source::View { view, .. } = image.source() else {
            notes.push(format!("image {} is a separate file and is drawn as its material's colour", image.index()));
            images.push(RgbaImage::new(0, 0));
            continue;
        };
        let start = view.offset();
        let bytes = blob.get(start..start + view.length()).ok_or("an image reaches past the binary chunk")?;
        let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| format!("image {} cannot be read: {e}", image.index()))?;
        let (w, h) = reader
            .into_dimensions()
            .map_err(|e| format!("image {} ({}) cannot be read: {e}", image.index(), image.name().unwrap_or("")))?;
        if w > MAX_TEXTURE_SIDE || h > MAX_TEXTURE_SIDE {
            return Err(format!(
                "texture {} ({}) is {w}x{h}; textures may be at most {MAX_TEXTURE_SIDE} pixels a side: scale it \
                 down in VRoid Studio's export settings or UniVRM",
                image.index(),
                image.name().unwrap_or("unnamed")
            ));
        }
        let decoded = image::load_from_memory(bytes)
            .map_err(|e| format!("image {} ({}) cannot be decoded: {e}", image.index(), image.name().unwrap_or("")))?;
        images.push(decoded.to_rgba8());
    }
    Ok(images)
}

fn read_skins(gltf: &Gltf, blob: &[u8]) -> Result<Vec<Skin>, String> {
    let mut skins = Vec::new();
    for skin in gltf.skins() {
        let joints: Vec<usize> = skin.joints().map(|j| j.index()).collect();
        let reader = skin.reader(|_| Some(blob));
        let inverse_bind: Vec<[[f32; 4]; 4]> = match reader.read_inverse_bind_matrices() {
            Some(m) => m.collect(),
            None => vec![IDENTITY; joints.len()],
        };
        if inverse_bind.len() != joints.len() {
            return Err(format!(
                "skin {} has {} joints but {} inverse bind matrices",
                skin.index(),
                joints.len(),
                inverse_bind.len()
            ));
        }
        skins.push(Skin { joints, inverse_bind });
    }
    Ok(skins)
}

const IDENTITY: [[f32; 4]; 4] =
    [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]];

fn read_meshes(gltf: &Gltf, blob: &[u8], skins: &[Skin], notes: &mut Vec<String>) -> Result<Vec<MeshInstance>, String> {
    let mut out = Vec::new();
    for node in gltf.nodes() {
        let Some(mesh) = node.mesh() else { continue };
        let skin = node.skin().map(|s| s.index());
        let joint_count = skin.and_then(|s| skins.get(s)).map_or(0, |s| s.joints.len());
        let mut primitives = Vec::new();
        for (pi, p) in mesh.primitives().enumerate() {
            let what = || format!("mesh {} ({}) primitive {pi}", mesh.index(), mesh.name().unwrap_or("unnamed"));
            if p.mode() != gltf::mesh::Mode::Triangles {
                notes.push(format!("{} is not a triangle list and is not drawn", what()));
                continue;
            }
            let reader = p.reader(|_| Some(blob));
            let Some(positions) = reader.read_positions() else {
                notes.push(format!("{} has no positions and is not drawn", what()));
                continue;
            };
            let positions: Vec<[f32; 3]> = positions.collect();
            let n = positions.len();
            if n > MAX_VERTICES {
                return Err(format!("{} has {n} vertices; at most {MAX_VERTICES} are read", what()));
            }
            let indices: Vec<u32> = match reader.read_indices() {
                Some(i) => i.into_u32().collect(),
                None => (0..n as u32).collect(),
            };
            if !indices.len().is_multiple_of(3) || indices.iter().any(|&i| i as usize >= n) {
                return Err(format!("{} has triangle indices out of range of its {n} vertices", what()));
            }
            let normals: Vec<[f32; 3]> = match reader.read_normals() {
                Some(n) => n.collect(),
                None => face_normals(&positions, &indices),
            };
            if normals.len() != n {
                return Err(format!("{} has normals for some vertices only", what()));
            }
            let uvs: Vec<[f32; 2]> = match reader.read_tex_coords(0) {
                Some(t) => t.into_f32().collect(),
                None => vec![[0.0, 0.0]; n],
            };
            let (mut joints, mut weights) = (Vec::new(), Vec::new());
            if skin.is_some()
                && let (Some(j), Some(w)) = (reader.read_joints(0), reader.read_weights(0))
            {
                joints = j.into_u16().collect();
                weights = w.into_f32().collect();
                if joints.len() != n || weights.len() != n {
                    return Err(format!("{} has joints or weights for some vertices only", what()));
                }
                if joints.iter().flatten().any(|&j| j as usize >= joint_count) {
                    return Err(format!("{} names a joint its skin does not have", what()));
                }
            }
            let mut targets = Vec::new();
            for (ti, (pos, _, _)) in reader.read_morph_targets().enumerate() {
                let deltas: Vec<[f32; 3]> = pos.map(|p| p.collect()).unwrap_or_else(|| vec![[0.0; 3]; n]);
                if deltas.len() != n {
                    return Err(format!("{} morph target {ti} has {} offsets for {n} vertices", what(), deltas.len()));
                }
                targets.push(deltas);
            }
            if uvs.len() != n {
                return Err(format!("{} has texture coordinates for some vertices only", what()));
            }
            primitives.push(Primitive {
                positions,
                uvs,
                normals,
                indices,
                joints,
                weights,
                targets,
                material: p.material().index(),
            });
        }
        out.push(MeshInstance { node: node.index(), gltf_mesh: mesh.index(), skin, primitives });
    }
    Ok(out)
}

/// One swinging bone: it turns about its node so that its tail (the next joint, or its first child) trails.
#[derive(Debug, Clone, PartialEq)]
pub struct SpringBone {
    pub node: usize,
    pub tail: usize,
    /// How strongly it returns to its rest direction (per second), its weight's pull, the pull's direction, and
    /// how much of its swing it loses each frame (0 to 1).
    pub stiffness: f32,
    pub gravity_power: f32,
    pub gravity_dir: [f32; 3],
    pub drag: f32,
    /// The tail's radius against colliders.
    pub hit_radius: f32,
}

/// A chain of spring bones, parents first, and the colliders (indices into [`VrmModel::colliders`]) it avoids.
#[derive(Debug, Clone, PartialEq)]
pub struct Spring {
    pub bones: Vec<SpringBone>,
    pub colliders: Vec<usize>,
}

/// A sphere (or, with a tail, a capsule) fixed to a node, in the node's space.
#[derive(Debug, Clone, PartialEq)]
pub struct Collider {
    pub node: usize,
    pub offset: [f32; 3],
    pub radius: f32,
    pub tail: Option<[f32; 3]>,
}

/// Spring chains: VRM 1.0's `VRMC_springBone` (joints listed in order, the last one only a tail) or 0.x's
/// `secondaryAnimation` (root bones whose every descendant swings).
fn read_springs(
    version: Version,
    json: &Value,
    vrm: &Value,
    nodes: &[Node],
) -> Result<(Vec<Spring>, Vec<Collider>), String> {
    let node_at = |v: Option<&Value>, what: &str| -> Result<usize, String> {
        let n = v.and_then(Value::as_u64).ok_or_else(|| format!("{what} names no node"))? as usize;
        if n >= nodes.len() {
            return Err(format!("{what} points at node {n}, which the file does not have"));
        }
        Ok(n)
    };
    let f = |v: Option<&Value>, default: f64| v.and_then(Value::as_f64).unwrap_or(default) as f32;
    let vec3 = |v: Option<&Value>| -> [f32; 3] {
        match v {
            Some(Value::Array(a)) => [f(a.first(), 0.0), f(a.get(1), 0.0), f(a.get(2), 0.0)],
            Some(o @ Value::Object(_)) => [f(o.get("x"), 0.0), f(o.get("y"), 0.0), f(o.get("z"), 0.0)],
            _ => [0.0; 3],
        }
    };
    let mut springs = Vec::new();
    let mut colliders = Vec::new();
    match version {
        Version::V1 => {
            let Some(ext) = json.pointer("/extensions/VRMC_springBone") else { return Ok((springs, colliders)) };
            for (i, c) in ext.get("colliders").and_then(Value::as_array).into_iter().flatten().enumerate() {
                let node = node_at(c.get("node"), &format!("spring collider {i}"))?;
                let (offset, radius, tail) = if let Some(s) = c.pointer("/shape/sphere") {
                    (vec3(s.get("offset")), f(s.get("radius"), 0.0), None)
                } else if let Some(s) = c.pointer("/shape/capsule") {
                    (vec3(s.get("offset")), f(s.get("radius"), 0.0), Some(vec3(s.get("tail"))))
                } else {
                    continue;
                };
                colliders.push(Collider { node, offset, radius: radius.max(0.0), tail });
            }
            let groups: Vec<Vec<usize>> = ext
                .get("colliderGroups")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|g| {
                    g.get("colliders")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_u64)
                        .map(|c| c as usize)
                        .filter(|c| *c < colliders.len())
                        .collect()
                })
                .collect();
            for (si, spring) in ext.get("springs").and_then(Value::as_array).into_iter().flatten().enumerate() {
                let joints: Vec<&Value> =
                    spring.get("joints").and_then(Value::as_array).into_iter().flatten().collect();
                let mut bones = Vec::new();
                for (ji, pair) in joints.windows(2).enumerate() {
                    let j = pair[0];
                    bones.push(SpringBone {
                        node: node_at(j.get("node"), &format!("spring {si} joint {ji}"))?,
                        tail: node_at(pair[1].get("node"), &format!("spring {si} joint {}", ji + 1))?,
                        stiffness: f(j.get("stiffness"), 1.0).max(0.0),
                        gravity_power: f(j.get("gravityPower"), 0.0).max(0.0),
                        gravity_dir: j.get("gravityDir").map_or([0.0, -1.0, 0.0], |d| vec3(Some(d))),
                        drag: f(j.get("dragForce"), 0.5).clamp(0.0, 1.0),
                        hit_radius: f(j.get("hitRadius"), 0.0).max(0.0),
                    });
                }
                let used = colliders_of(spring, &groups);
                if !bones.is_empty() {
                    springs.push(Spring { bones, colliders: used });
                }
            }
        }
        Version::V0 => {
            let Some(ext) = vrm.get("secondaryAnimation") else { return Ok((springs, colliders)) };
            let mut group_colliders: Vec<Vec<usize>> = Vec::new();
            for (gi, g) in ext.get("colliderGroups").and_then(Value::as_array).into_iter().flatten().enumerate() {
                let node = node_at(g.get("node"), &format!("collider group {gi}"))?;
                let mut ids = Vec::new();
                for c in g.get("colliders").and_then(Value::as_array).into_iter().flatten() {
                    ids.push(colliders.len());
                    colliders.push(Collider {
                        node,
                        offset: vec3(c.get("offset")),
                        radius: f(c.get("radius"), 0.0).max(0.0),
                        tail: None,
                    });
                }
                group_colliders.push(ids);
            }
            let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
            for (i, n) in nodes.iter().enumerate() {
                if let Some(p) = n.parent {
                    children[p].push(i);
                }
            }
            for (gi, g) in ext.get("boneGroups").and_then(Value::as_array).into_iter().flatten().enumerate() {
                let mut bones = Vec::new();
                for root in g.get("bones").and_then(Value::as_array).into_iter().flatten() {
                    let root = node_at(Some(root), &format!("spring bone group {gi}"))?;
                    // Every descendant with a child swings toward that child, parents first.
                    let mut stack = vec![root];
                    let mut seen = 0;
                    while let Some(n) = stack.pop() {
                        seen += 1;
                        if seen > nodes.len() {
                            break;
                        }
                        if let Some(&tail) = children[n].first() {
                            bones.push(SpringBone {
                                node: n,
                                tail,
                                // 0.x spells it "stiffiness".
                                stiffness: f(g.get("stiffiness").or_else(|| g.get("stiffness")), 1.0).max(0.0),
                                gravity_power: f(g.get("gravityPower"), 0.0).max(0.0),
                                gravity_dir: g.get("gravityDir").map_or([0.0, -1.0, 0.0], |d| vec3(Some(d))),
                                drag: f(g.get("dragForce"), 0.5).clamp(0.0, 1.0),
                                hit_radius: f(g.get("hitRadius"), 0.0).max(0.0),
                            });
                        }
                        stack.extend(children[n].iter().rev());
                    }
                }
                let used = colliders_of(g, &group_colliders);
                if !bones.is_empty() {
                    springs.push(Spring { bones, colliders: used });
                }
            }
        }
    }
    Ok((springs, colliders))
}

/// The colliders a spring (or 0.x bone group) avoids: those of each collider group it names, skipping groups
/// the file does not have.
fn colliders_of(spring: &Value, groups: &[Vec<usize>]) -> Vec<usize> {
    spring
        .get("colliderGroups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .filter_map(|g| groups.get(g as usize))
        .flatten()
        .copied()
        .collect()
}

/// Smooth normals for a mesh without its own: each vertex gets the area-weighted mean of its triangles' normals.
fn face_normals(positions: &[[f32; 3]], indices: &[u32]) -> Vec<[f32; 3]> {
    let mut sums = vec![[0.0f32; 3]; positions.len()];
    for t in indices.chunks_exact(3) {
        let [a, b, c] = [t[0] as usize, t[1] as usize, t[2] as usize];
        let (Some(pa), Some(pb), Some(pc)) = (positions.get(a), positions.get(b), positions.get(c)) else { continue };
        let u = [pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]];
        let v = [pc[0] - pa[0], pc[1] - pa[1], pc[2] - pa[2]];
        let n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
        for i in [a, b, c] {
            for k in 0..3 {
                sums[i][k] += n[k];
            }
        }
    }
    sums.into_iter()
        .map(|n| {
            let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
            if len > 1e-12 { [n[0] / len, n[1] / len, n[2] / len] } else { [0.0, 0.0, 1.0] }
        })
        .collect()
}

fn read_humanoid(version: Version, vrm: &Value, node_count: usize) -> Result<BTreeMap<String, usize>, String> {
    let mut bones = BTreeMap::new();
    let mut add = |name: &str, node: Option<u64>| -> Result<(), String> {
        let Some(node) = node else { return Ok(()) };
        if node as usize >= node_count {
            return Err(format!("humanoid bone \"{name}\" points at node {node}, which the file does not have"));
        }
        bones.insert(name.to_string(), node as usize);
        Ok(())
    };
    match version {
        Version::V1 => {
            if let Some(map) = vrm.pointer("/humanoid/humanBones").and_then(Value::as_object) {
                for (name, bone) in map {
                    add(name, bone.get("node").and_then(Value::as_u64))?;
                }
            }
        }
        Version::V0 => {
            if let Some(list) = vrm.pointer("/humanoid/humanBones").and_then(Value::as_array) {
                for bone in list {
                    if let Some(name) = bone.get("bone").and_then(Value::as_str) {
                        add(name, bone.get("node").and_then(Value::as_u64))?;
                    }
                }
            }
        }
    }
    for required in ["hips", "head"] {
        if !bones.contains_key(required) {
            return Err(format!(
                "has no humanoid \"{required}\" bone; every VRM model needs one: set it in the exporter's humanoid \
                 settings"
            ));
        }
    }
    Ok(bones)
}

fn read_expressions(
    version: Version,
    vrm: &Value,
    meshes: &[MeshInstance],
) -> Result<BTreeMap<Preset, Vec<MorphBind>>, String> {
    let mut out = BTreeMap::new();
    // A bind is kept only if its mesh instance has that morph target in every primitive.
    let has_target =
        |m: &MeshInstance, t: usize| !m.primitives.is_empty() && m.primitives.iter().all(|p| t < p.targets.len());
    match version {
        Version::V1 => {
            let Some(presets) = vrm.pointer("/expressions/preset").and_then(Value::as_object) else {
                return Ok(out);
            };
            for (name, expr) in presets {
                let Some(preset) = Preset::from_v1(name) else { continue };
                let mut binds = Vec::new();
                for bind in expr.get("morphTargetBinds").and_then(Value::as_array).into_iter().flatten() {
                    let node = bind.get("node").and_then(Value::as_u64).map(|n| n as usize);
                    let target = bind.get("index").and_then(Value::as_u64).unwrap_or(u64::MAX) as usize;
                    let weight = bind.get("weight").and_then(Value::as_f64).unwrap_or(1.0) as f32;
                    for (mi, m) in meshes.iter().enumerate() {
                        if Some(m.node) == node && has_target(m, target) {
                            binds.push(MorphBind { mesh: mi, target, weight: weight.clamp(0.0, 1.0) });
                        }
                    }
                }
                out.insert(preset, binds);
            }
        }
        Version::V0 => {
            let groups = vrm.pointer("/blendShapeMaster/blendShapeGroups").and_then(Value::as_array);
            for group in groups.into_iter().flatten() {
                let name = group.get("presetName").and_then(Value::as_str).unwrap_or("");
                let Some(preset) = Preset::from_v0(name) else { continue };
                let mut binds = Vec::new();
                for bind in group.get("binds").and_then(Value::as_array).into_iter().flatten() {
                    let mesh = bind.get("mesh").and_then(Value::as_u64).map(|n| n as usize);
                    let target = bind.get("index").and_then(Value::as_u64).unwrap_or(u64::MAX) as usize;
                    let weight = bind.get("weight").and_then(Value::as_f64).unwrap_or(100.0) as f32 / 100.0;
                    for (mi, m) in meshes.iter().enumerate() {
                        if Some(m.gltf_mesh) == mesh && has_target(m, target) {
                            binds.push(MorphBind { mesh: mi, target, weight: weight.clamp(0.0, 1.0) });
                        }
                    }
                }
                out.insert(preset, binds);
            }
        }
    }
    Ok(out)
}

fn read_meta(version: Version, vrm: &Value) -> Meta {
    let text = |p: &str| vrm.pointer(p).and_then(Value::as_str).unwrap_or("").to_string();
    match version {
        Version::V1 => Meta {
            name: text("/meta/name"),
            authors: vrm
                .pointer("/meta/authors")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
            licence: text("/meta/licenseUrl"),
        },
        Version::V0 => Meta {
            name: text("/meta/title"),
            authors: vec![text("/meta/author")].into_iter().filter(|a| !a.is_empty()).collect(),
            licence: text("/meta/licenseName"),
        },
    }
}

/// How bad a finding is: an error stops the model being used, a warning is worth fixing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One thing `shopcast check` says about a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub text: String,
}

/// What a streamer should know about a model before a show: its version and author, expressions the host uses
/// that it lacks (named), bones missing for idle motion, large textures, and a triangle count past what software
/// rendering holds.
pub fn check(model: &VrmModel) -> Vec<Finding> {
    let mut out = Vec::new();
    let info = |text: String| Finding { severity: Severity::Info, text };
    let warn = |text: String| Finding { severity: Severity::Warning, text };
    out.push(info(format!(
        "VRM {}; \"{}\" by {}; licence: {}",
        match model.version {
            Version::V0 => "0.x",
            Version::V1 => "1.0",
        },
        model.meta.name,
        if model.meta.authors.is_empty() { "(no author given)".to_string() } else { model.meta.authors.join(", ") },
        if model.meta.licence.is_empty() { "(none given)" } else { &model.meta.licence }
    )));
    let missing: Vec<&str> = Preset::USED
        .iter()
        .filter(|p| model.expressions.get(p).is_none_or(|b| b.is_empty()))
        .map(|p| p.name())
        .collect();
    if !missing.is_empty() {
        out.push(warn(format!(
            "expressions missing (or bound to no morph target): {}; the host's mouth or face stays still for \
             those: add them in the exporter's expression settings",
            missing.join(", ")
        )));
    }
    let bones = ["spine", "neck", "leftUpperArm", "rightUpperArm", "leftLowerArm", "rightLowerArm"];
    let missing: Vec<&str> = bones.into_iter().filter(|b| !model.humanoid.contains_key(*b)).collect();
    if !missing.is_empty() {
        out.push(warn(format!(
            "humanoid bones missing: {}; the host's breathing, sway or resting arms use them",
            missing.join(", ")
        )));
    }
    if model.skins.is_empty() {
        out.push(warn("the model has no skin: it is drawn but cannot move (no idle motion or arms at rest)".into()));
    }
    for (i, img) in model.images.iter().enumerate() {
        if img.width() > LARGE_TEXTURE_SIDE || img.height() > LARGE_TEXTURE_SIDE {
            out.push(warn(format!(
                "texture {i} is {}x{}; {LARGE_TEXTURE_SIDE} pixels a side is plenty for a stream and loads faster",
                img.width(),
                img.height()
            )));
        }
    }
    let triangles = model.triangles();
    if !model.springs.is_empty() {
        let bones: usize = model.springs.iter().map(|s| s.bones.len()).sum();
        out.push(info(format!(
            "{} spring chains ({bones} swinging bones, {} colliders): hair and cloth swing as the host moves",
            model.springs.len(),
            model.colliders.len()
        )));
    }
    let text = format!("{triangles} triangles in {} meshes", model.meshes.len());
    if triangles > SOFTWARE_TRIANGLE_BUDGET {
        out.push(warn(format!(
            "{text}: past the {SOFTWARE_TRIANGLE_BUDGET} that software rendering (no GPU) holds at 30 frames a \
             second; use a GPU, or reduce the model (VRoid Studio's export 'reduce polygons')"
        )));
    } else {
        out.push(info(text));
    }
    for note in &model.notes {
        out.push(warn(note.clone()));
    }
    out
}

#[cfg(test)]
mod tests;
