//! A small VRM presenter written from code: a skinned body and arms in the T-pose every VRM rests in, a head
//! and hair, eyes and a mouth with morph targets for the five mouth shapes, blinks and four moods, and one
//! texture. It is shopcast's own work (CC0), so tests and `shopcast sample-vrm` can make a real VRM file of
//! either version without shipping a third party's model; [`Options`] leaves expressions out, sizes the texture
//! and adds triangles to measure rendering cost.

use crate::Preset;
use serde_json::{Value, json};

/// What the sample should have.
#[derive(Debug, Clone)]
pub struct Options {
    /// Write VRM 0.x (the `VRM` extension, facing -Z) instead of 1.0.
    pub v0: bool,
    /// Rings of the head's sphere (segments are twice that): 16 gives about 2,300 triangles, 90 about 57,000.
    pub detail: u32,
    /// The cloth texture's side in pixels.
    pub texture_side: u32,
    /// Expressions the file leaves out (to test that `check` names them).
    pub without: Vec<Preset>,
}

impl Default for Options {
    fn default() -> Options {
        Options { v0: false, detail: 16, texture_side: 64, without: Vec::new() }
    }
}

/// The morph targets of the face mesh, in order.
const TARGETS: [Preset; 10] = [
    Preset::Aa,
    Preset::Ih,
    Preset::Ou,
    Preset::Ee,
    Preset::Oh,
    Preset::Blink,
    Preset::Happy,
    Preset::Sad,
    Preset::Relaxed,
    Preset::Surprised,
];

/// Humanoid bones: name, parent (index in this list), global position in metres (VRM 1.0 axes: +Z forward,
/// the model's left hand at +X).
const BONES: [(&str, Option<usize>, [f32; 3]); 11] = [
    ("hips", None, [0.0, 0.95, 0.0]),
    ("spine", Some(0), [0.0, 1.05, 0.0]),
    ("chest", Some(1), [0.0, 1.20, 0.0]),
    ("neck", Some(2), [0.0, 1.40, 0.0]),
    ("head", Some(3), [0.0, 1.48, 0.0]),
    ("leftUpperArm", Some(2), [0.17, 1.36, 0.0]),
    ("leftLowerArm", Some(5), [0.43, 1.36, 0.0]),
    ("leftHand", Some(6), [0.67, 1.36, 0.0]),
    ("rightUpperArm", Some(2), [-0.17, 1.36, 0.0]),
    ("rightLowerArm", Some(8), [-0.43, 1.36, 0.0]),
    ("rightHand", Some(9), [-0.67, 1.36, 0.0]),
];
/// A ponytail of three swinging bones behind the head (not humanoid bones): name, parent, global position.
const PONYTAIL: [(&str, Option<usize>, [f32; 3]); 4] = [
    ("ponytail1", Some(4), [0.0, 1.64, -0.12]),
    ("ponytail2", Some(11), [0.0, 1.52, -0.15]),
    ("ponytail3", Some(12), [0.0, 1.40, -0.16]),
    ("ponytailEnd", Some(13), [0.0, 1.29, -0.16]),
];

/// Every node of the skeleton: the humanoid bones, then the ponytail.
fn skeleton() -> Vec<(&'static str, Option<usize>, [f32; 3])> {
    BONES.iter().chain(PONYTAIL.iter()).copied().collect()
}

const HIPS: u16 = 0;
const SPINE: u16 = 1;
const CHEST: u16 = 2;
const NECK: u16 = 3;
const HEAD: u16 = 4;

/// One primitive being built: every vertex bound to one joint.
#[derive(Default)]
struct Part {
    positions: Vec<[f32; 3]>,
    uvs: Vec<[f32; 2]>,
    joints: Vec<u16>,
    indices: Vec<u32>,
    /// Per target, per vertex offset; filled only for the face.
    targets: Vec<Vec<[f32; 3]>>,
}

impl Part {
    fn vertex(&mut self, p: [f32; 3], uv: [f32; 2], joint: u16) -> u32 {
        self.positions.push(p);
        self.uvs.push(uv);
        self.joints.push(joint);
        (self.positions.len() - 1) as u32
    }

    /// An axis-aligned box from `lo` to `hi`, each corner bound by `joint_of(corner)`.
    fn cuboid(&mut self, lo: [f32; 3], hi: [f32; 3], joint_of: impl Fn([f32; 3]) -> u16) {
        let base = self.positions.len() as u32;
        for i in 0..8 {
            let p = [
                if i & 1 == 0 { lo[0] } else { hi[0] },
                if i & 2 == 0 { lo[1] } else { hi[1] },
                if i & 4 == 0 { lo[2] } else { hi[2] },
            ];
            let uv = [(i & 1) as f32, ((i >> 1) & 1) as f32];
            self.vertex(p, uv, joint_of(p));
        }
        const FACES: [[u32; 4]; 6] =
            [[0, 1, 3, 2], [4, 6, 7, 5], [0, 4, 5, 1], [2, 3, 7, 6], [0, 2, 6, 4], [1, 5, 7, 3]];
        for f in FACES {
            self.indices.extend([base + f[0], base + f[1], base + f[2], base + f[0], base + f[2], base + f[3]]);
        }
    }

    /// An ellipsoid (a UV sphere of `rings` rings), keeping only triangles `keep` accepts.
    fn ellipsoid(&mut self, c: [f32; 3], r: [f32; 3], rings: u32, joint: u16, keep: impl Fn([f32; 3]) -> bool) {
        let segments = rings * 2;
        let base = self.positions.len() as u32;
        for i in 0..=rings {
            let theta = std::f32::consts::PI * i as f32 / rings as f32;
            for j in 0..=segments {
                let phi = std::f32::consts::TAU * j as f32 / segments as f32;
                let p = [
                    c[0] + r[0] * theta.sin() * phi.sin(),
                    c[1] + r[1] * theta.cos(),
                    c[2] + r[2] * theta.sin() * phi.cos(),
                ];
                self.vertex(p, [j as f32 / segments as f32, i as f32 / rings as f32], joint);
            }
        }
        let row = segments + 1;
        for i in 0..rings {
            for j in 0..segments {
                let a = base + i * row + j;
                let quad = [a, a + row, a + row + 1, a + 1];
                let centre = quad.iter().fold([0.0f32; 3], |s, &v| {
                    let p = self.positions[v as usize];
                    [s[0] + p[0] / 4.0, s[1] + p[1] / 4.0, s[2] + p[2] / 4.0]
                });
                if keep(centre) {
                    self.indices.extend([quad[0], quad[1], quad[2], quad[0], quad[2], quad[3]]);
                }
            }
        }
    }

    /// A flat quad facing +Z from its four corners (bottom left, bottom right, top right, top left), with an
    /// offset per corner for each morph target.
    fn feature(&mut self, corners: [[f32; 3]; 4], offsets: &dyn Fn(Preset, usize) -> [f32; 3]) {
        let base = self.positions.len() as u32;
        for (i, c) in corners.iter().enumerate() {
            self.vertex(*c, [(i == 1 || i == 2) as u8 as f32, (i >= 2) as u8 as f32], HEAD);
        }
        if self.targets.is_empty() {
            self.targets = vec![Vec::new(); TARGETS.len()];
        }
        for (t, preset) in TARGETS.iter().enumerate() {
            for i in 0..4 {
                self.targets[t].push(offsets(*preset, i));
            }
        }
        self.indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
}

/// Writes the sample as a `.vrm` (binary glTF) file's bytes.
pub fn presenter(options: &Options) -> Vec<u8> {
    let rings = options.detail.max(4);
    let mut body = Part::default();
    // Torso: the lower half follows the spine, the upper the chest; the neck its own bone.
    body.cuboid([-0.16, 0.86, -0.1], [0.16, 1.42, 0.1], |p| if p[1] > 1.1 { CHEST } else { SPINE });
    body.cuboid([-0.15, 0.80, -0.09], [0.15, 0.96, 0.09], |_| HIPS);
    body.cuboid([-0.045, 1.38, -0.04], [0.045, 1.52, 0.04], |_| NECK);
    for side in [1.0f32, -1.0] {
        let (upper, lower) = if side > 0.0 { (5, 6) } else { (8, 9) };
        let x = |a: f32| a * side;
        let lo = |a: f32, b: f32| [x(a).min(x(b)), 1.31, -0.05];
        let hi = |a: f32, b: f32| [x(a).max(x(b)), 1.41, 0.05];
        body.cuboid(lo(0.15, 0.43), hi(0.15, 0.43), |_| upper);
        body.cuboid(lo(0.43, 0.66), hi(0.43, 0.66), |_| lower);
    }
    let mut skin = Part::default();
    let head_c = [0.0, 1.60, 0.0];
    let head_r = [0.11, 0.13, 0.11];
    skin.ellipsoid(head_c, head_r, rings, HEAD, |_| true);
    for side in [1.0f32, -1.0] {
        let hand = if side > 0.0 { 7 } else { 10 };
        skin.ellipsoid([0.70 * side, 1.36, 0.0], [0.045, 0.04, 0.03], 6, hand, |_| true);
    }
    let mut hair = Part::default();
    // A cap over the crown and the back of the head, open over the face.
    hair.ellipsoid([0.0, 1.625, -0.012], [0.122, 0.14, 0.122], rings, HEAD, |p| p[1] > 1.66 || p[2] < 0.0);
    // The ponytail: a block per segment, each bound to its bone (skeleton nodes 11 to 13).
    for k in 0..3 {
        let (a, b) = (PONYTAIL[k].2, PONYTAIL[k + 1].2);
        let lo = [-0.03, b[1], a[2].min(b[2]) - 0.025];
        let hi = [0.03, a[1], a[2].max(b[2]) + 0.015];
        hair.cuboid(lo, hi, |_| 11 + k as u16);
    }
    let mut face = Part::default();
    let front = head_c[2] + head_r[2] + 0.002;
    for side in [1.0f32, -1.0] {
        let (x0, x1, y0, y1) = (0.042 * side - 0.016, 0.042 * side + 0.016, 1.605, 1.640);
        face.feature([[x0, y0, front], [x1, y0, front], [x1, y1, front], [x0, y1, front]], &|p, i| {
            let top = i >= 2;
            match (p, top) {
                (Preset::Blink, true) => [0.0, -0.032, 0.0],
                (Preset::Happy, true) | (Preset::Relaxed, true) => [0.0, -0.018, 0.0],
                (Preset::Happy, false) => [0.0, 0.006, 0.0],
                (Preset::Surprised, true) => [0.0, 0.008, 0.0],
                (Preset::Surprised, false) => [0.0, -0.004, 0.0],
                (Preset::Sad, true) => [0.0, -0.010, 0.0],
                _ => [0.0; 3],
            }
        });
    }
    let (mx, my0, my1) = (0.026, 1.530, 1.536);
    face.feature([[-mx, my0, front], [mx, my0, front], [mx, my1, front], [-mx, my1, front]], &|p, i| {
        let left = i == 0 || i == 3;
        let top = i >= 2;
        let side = if left { -1.0 } else { 1.0 };
        // (widen each side, lift the top lip, drop the bottom lip)
        let (wide, up, down) = match p {
            Preset::Aa => (0.0, 0.008, 0.026),
            Preset::Ih => (0.008, 0.003, 0.006),
            Preset::Ou => (-0.012, 0.004, 0.010),
            Preset::Ee => (0.012, 0.004, 0.010),
            Preset::Oh => (-0.006, 0.006, 0.018),
            Preset::Happy => (0.006, 0.004, 0.0),
            Preset::Sad => (-0.004, -0.002, 0.0),
            Preset::Surprised => (-0.008, 0.004, 0.014),
            _ => (0.0, 0.0, 0.0),
        };
        [wide * side, if top { up } else { -down }, 0.0]
    });
    write(options, [body, skin, hair, face])
}

fn write(options: &Options, parts: [Part; 4]) -> Vec<u8> {
    // V0 models face -Z: turn every position half a turn about Y.
    let flip = |p: [f32; 3]| if options.v0 { [-p[0], p[1], -p[2]] } else { p };
    let mut bin = Builder::default();
    let mut meshes = Vec::new();
    let names = ["Body", "Skin", "Hair", "Face"];
    for (m, part) in parts.iter().enumerate() {
        let positions: Vec<[f32; 3]> = part.positions.iter().map(|&p| flip(p)).collect();
        let attributes = json!({
            "POSITION": bin.vec3(&positions),
            "TEXCOORD_0": bin.floats(&part.uvs.iter().flatten().copied().collect::<Vec<_>>(), "VEC2", part.uvs.len()),
            "JOINTS_0": bin.joints(&part.joints),
            "WEIGHTS_0": bin.floats(&part.joints.iter().flat_map(|_| [1.0, 0.0, 0.0, 0.0]).collect::<Vec<_>>(), "VEC4", part.joints.len()),
        });
        let mut primitive = json!({
            "attributes": attributes,
            "indices": bin.indices(&part.indices),
            "material": m,
        });
        if !part.targets.is_empty() {
            let targets: Vec<Value> = part
                .targets
                .iter()
                .map(|t| json!({ "POSITION": bin.vec3(&t.iter().map(|&d| flip(d)).collect::<Vec<_>>()) }))
                .collect();
            primitive["targets"] = Value::Array(targets);
        }
        meshes.push(json!({ "name": names[m], "primitives": [primitive] }));
    }
    let bones = skeleton();
    let mut nodes: Vec<Value> = bones
        .iter()
        .map(|(name, parent, at)| {
            let p = parent.map_or([0.0; 3], |i| bones[i].2);
            let local = flip([at[0] - p[0], at[1] - p[1], at[2] - p[2]]);
            json!({ "name": name, "translation": local })
        })
        .collect();
    for (i, (_, parent, _)) in bones.iter().enumerate() {
        if let Some(p) = parent {
            let children = nodes[*p].as_object_mut().map(|o| o.entry("children").or_insert_with(|| json!([])));
            if let Some(Value::Array(c)) = children {
                c.push(json!(i));
            }
        }
    }
    let ibm: Vec<f32> = bones
        .iter()
        .flat_map(|(_, _, at)| {
            let g = flip(*at);
            [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, -g[0], -g[1], -g[2], 1.0]
        })
        .collect();
    let ibm = bin.floats(&ibm, "MAT4", bones.len());
    let first_mesh_node = nodes.len();
    for (m, name) in names.iter().enumerate() {
        nodes.push(json!({ "name": name, "mesh": m, "skin": 0 }));
    }
    let texture = bin.view(&cloth_png(options.texture_side));
    let material = |name: &str, colour: [f32; 4], textured: bool| {
        let mut pbr = json!({ "baseColorFactor": colour, "metallicFactor": 0.0, "roughnessFactor": 1.0 });
        if textured {
            pbr["baseColorTexture"] = json!({ "index": 0 });
        }
        json!({ "name": name, "pbrMetallicRoughness": pbr })
    };
    let face_node = first_mesh_node + 3;
    let kept: Vec<(usize, Preset)> =
        TARGETS.iter().copied().enumerate().filter(|(_, p)| !options.without.contains(p)).collect();
    let extension = if options.v0 {
        let v0_name = |p: Preset| match p {
            Preset::Aa => "a",
            Preset::Ih => "i",
            Preset::Ou => "u",
            Preset::Ee => "e",
            Preset::Oh => "o",
            Preset::Happy => "joy",
            Preset::Sad => "sorrow",
            Preset::Relaxed => "fun",
            other => other.name(),
        };
        let groups: Vec<Value> = kept
            .iter()
            .filter(|(_, p)| *p != Preset::Surprised)
            .map(|(t, p)| json!({ "name": p.name(), "presetName": v0_name(*p), "binds": [{ "mesh": 3, "index": t, "weight": 100 }] }))
            .collect();
        let bones: Vec<Value> =
            BONES.iter().enumerate().map(|(i, (name, _, _))| json!({ "bone": name, "node": i })).collect();
        json!({ "VRM": {
            "exporterVersion": "shopcast-sample",
            "meta": { "title": "shopcast sample presenter", "author": "shopcast", "licenseName": "CC0" },
            "humanoid": { "humanBones": bones },
            "blendShapeMaster": { "blendShapeGroups": groups },
            "firstPerson": { "lookAtTypeName": "BlendShape" },
        }})
    } else {
        let mut preset = serde_json::Map::new();
        for (t, p) in &kept {
            preset.insert(
                p.name().into(),
                json!({ "morphTargetBinds": [{ "node": face_node, "index": t, "weight": 1.0 }] }),
            );
        }
        let mut bones = serde_json::Map::new();
        for (i, (name, _, _)) in BONES.iter().enumerate() {
            bones.insert((*name).into(), json!({ "node": i }));
        }
        json!({ "VRMC_vrm": {
            "specVersion": "1.0",
            "meta": {
                "name": "shopcast sample presenter",
                "authors": ["shopcast"],
                "licenseUrl": "https://creativecommons.org/publicdomain/zero/1.0/",
                "avatarPermission": "everyone",
                "commercialUsage": "corporation",
            },
            "humanoid": { "humanBones": bones },
            "expressions": { "preset": preset },
            "lookAt": { "type": "expression" },
        }})
    };
    // The ponytail swings, and keeps out of a sphere around the head.
    let mut extension = extension;
    let (first, head) = (BONES.len(), 4);
    if options.v0 {
        extension["VRM"]["secondaryAnimation"] = json!({
            "boneGroups": [{
                "comment": "ponytail", "stiffiness": 1.0, "gravityPower": 0.6, "gravityDir": { "x": 0, "y": -1, "z": 0 },
                "dragForce": 0.4, "hitRadius": 0.02, "bones": [first], "colliderGroups": [0],
            }],
            "colliderGroups": [{ "node": head, "colliders": [{ "offset": { "x": 0, "y": 0.12, "z": 0 }, "radius": 0.12 }] }],
        });
    } else {
        let joints: Vec<Value> = (0..PONYTAIL.len())
            .map(|k| {
                json!({ "node": first + k, "hitRadius": 0.02, "stiffness": 1.0, "gravityPower": 0.6,
                             "gravityDir": [0.0, -1.0, 0.0], "dragForce": 0.4 })
            })
            .collect();
        extension["VRMC_springBone"] = json!({
            "specVersion": "1.0",
            "colliders": [{ "node": head, "shape": { "sphere": { "offset": [0.0, 0.12, 0.0], "radius": 0.12 } } }],
            "colliderGroups": [{ "colliders": [0] }],
            "springs": [{ "name": "ponytail", "joints": joints, "colliderGroups": [0] }],
        });
    }
    let scene_nodes: Vec<usize> = std::iter::once(0).chain(first_mesh_node..first_mesh_node + names.len()).collect();
    let root = json!({
        "asset": { "version": "2.0", "generator": "shopcast vrm::sample" },
        "extensionsUsed": if options.v0 { json!(["VRM"]) } else { json!(["VRMC_vrm", "VRMC_springBone"]) },
        "extensions": extension,
        "scene": 0,
        "scenes": [{ "nodes": scene_nodes }],
        "nodes": nodes,
        "meshes": meshes,
        "skins": [{ "joints": (0..bones.len()).collect::<Vec<_>>(), "inverseBindMatrices": ibm, "skeleton": 0 }],
        "materials": [
            material("Cloth", [1.0, 1.0, 1.0, 1.0], true),
            material("Skin", [0.95, 0.78, 0.66, 1.0], false),
            material("Hair", [0.22, 0.15, 0.12, 1.0], false),
            material("Features", [0.25, 0.12, 0.12, 1.0], false),
        ],
        "textures": [{ "source": 0 }],
        "images": [{ "name": "cloth", "bufferView": texture, "mimeType": "image/png" }],
        "bufferViews": bin.views,
        "accessors": bin.accessors,
        "buffers": [{ "byteLength": bin.data.len() }],
    });
    glb(&serde_json::to_vec(&root).unwrap_or_default(), &bin.data)
}

/// A jacket-blue cloth with a lighter stripe every eighth of its width, as a PNG.
fn cloth_png(side: u32) -> Vec<u8> {
    let side = side.max(1);
    let img = image::RgbaImage::from_fn(side, side, |x, _| {
        if (x * 8 / side).is_multiple_of(2) {
            image::Rgba([40, 96, 160, 255])
        } else {
            image::Rgba([52, 110, 178, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding an in-memory RGBA image to PNG cannot fail; an empty texture would only be reported by `check`.
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// The binary chunk and the views and accessors into it.
#[derive(Default)]
struct Builder {
    data: Vec<u8>,
    views: Vec<Value>,
    accessors: Vec<Value>,
}

impl Builder {
    fn view(&mut self, bytes: &[u8]) -> usize {
        while !self.data.len().is_multiple_of(4) {
            self.data.push(0);
        }
        self.views.push(json!({ "buffer": 0, "byteOffset": self.data.len(), "byteLength": bytes.len() }));
        self.data.extend_from_slice(bytes);
        self.views.len() - 1
    }

    fn accessor(&mut self, bytes: &[u8], component: u32, kind: &str, count: usize, extra: Value) -> usize {
        let view = self.view(bytes);
        let mut a = json!({ "bufferView": view, "componentType": component, "type": kind, "count": count });
        if let (Some(a), Value::Object(extra)) = (a.as_object_mut(), extra) {
            a.extend(extra);
        }
        self.accessors.push(a);
        self.accessors.len() - 1
    }

    fn floats(&mut self, values: &[f32], kind: &str, count: usize) -> usize {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.accessor(&bytes, 5126, kind, count, json!({}))
    }

    fn vec3(&mut self, values: &[[f32; 3]]) -> usize {
        let mut lo = [f32::MAX; 3];
        let mut hi = [f32::MIN; 3];
        for v in values {
            for k in 0..3 {
                lo[k] = lo[k].min(v[k]);
                hi[k] = hi[k].max(v[k]);
            }
        }
        if values.is_empty() {
            (lo, hi) = ([0.0; 3], [0.0; 3]);
        }
        let bytes: Vec<u8> = values.iter().flatten().flat_map(|v| v.to_le_bytes()).collect();
        self.accessor(&bytes, 5126, "VEC3", values.len(), json!({ "min": lo, "max": hi }))
    }

    fn joints(&mut self, joints: &[u16]) -> usize {
        let bytes: Vec<u8> = joints.iter().flat_map(|&j| [j, 0, 0, 0]).flat_map(|v| v.to_le_bytes()).collect();
        self.accessor(&bytes, 5123, "VEC4", joints.len(), json!({}))
    }

    fn indices(&mut self, indices: &[u32]) -> usize {
        let bytes: Vec<u8> = indices.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.accessor(&bytes, 5125, "SCALAR", indices.len(), json!({}))
    }
}

/// A GLB container: header, the JSON chunk (space-padded) and the binary chunk (zero-padded).
pub fn glb(json: &[u8], bin: &[u8]) -> Vec<u8> {
    let pad = |n: usize| (4 - n % 4) % 4;
    let json_len = json.len() + pad(json.len());
    let bin_len = bin.len() + pad(bin.len());
    let total = 12 + 8 + json_len + if bin.is_empty() { 0 } else { 8 + bin_len };
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"glTF");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&(json_len as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(json);
    out.extend(std::iter::repeat_n(b' ', pad(json.len())));
    if !bin.is_empty() {
        out.extend_from_slice(&(bin_len as u32).to_le_bytes());
        out.extend_from_slice(b"BIN\0");
        out.extend_from_slice(bin);
        out.extend(std::iter::repeat_n(0u8, pad(bin.len())));
    }
    out
}

/// A two-second idle loop as a `.vrma` file: the arms hang, the spine sways side to side and the head tilts. The
/// clip's spine rests turned a quarter turn about Y, as some exporters leave bones, so readers must take its rest
/// pose out.
pub fn idle_clip() -> Vec<u8> {
    use glam::Quat;
    let mut bin = Builder::default();
    let names = ["hips", "spine", "head", "leftUpperArm", "rightUpperArm"];
    let parents = [None, Some(0), Some(1), Some(1), Some(1)];
    let spine_rest = Quat::from_rotation_y(std::f32::consts::FRAC_PI_2);
    let mut nodes: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut n = json!({ "name": name, "translation": [0.0, if i == 0 { 0.95 } else { 0.2 }, 0.0] });
            if *name == "spine" {
                n["rotation"] = json!(spine_rest.to_array());
            }
            n
        })
        .collect();
    for (i, p) in parents.iter().enumerate() {
        if let Some(p) = p {
            let children = nodes[*p].as_object_mut().map(|o| o.entry("children").or_insert_with(|| json!([])));
            if let Some(Value::Array(c)) = children {
                c.push(json!(i));
            }
        }
    }
    // A bone under the turned spine rests turned with it: its file rotation is the normalized one seen from there.
    let under_spine = move |d: Quat| spine_rest.inverse() * d * spine_rest;
    let times = [0.0f32, 0.5, 1.0, 1.5, 2.0];
    let input = bin.floats(&times, "SCALAR", times.len());
    // What each bone does, in the normalized humanoid's frame; the spine's file rotation has its rest put back in.
    type Track = (usize, Box<dyn Fn(f32) -> Quat>);
    let tracks: [Track; 4] = [
        (1, Box::new(move |t: f32| Quat::from_rotation_z(0.06 * (t * std::f32::consts::PI).sin()) * spine_rest)),
        (2, Box::new(move |t: f32| under_spine(Quat::from_rotation_z(-0.05 * (t * std::f32::consts::PI).sin())))),
        (3, Box::new(move |_| under_spine(Quat::from_rotation_z(-1.2)))),
        (4, Box::new(move |_| under_spine(Quat::from_rotation_z(1.2)))),
    ];
    let mut samplers = Vec::new();
    let mut channels = Vec::new();
    for (node, rotation) in tracks.iter() {
        let values: Vec<f32> = times.iter().flat_map(|&t| rotation(t).to_array()).collect();
        let output = bin.floats(&values, "VEC4", times.len());
        // Animation inputs need their range.
        samplers.push(json!({ "input": input, "output": output, "interpolation": "LINEAR" }));
        channels.push(json!({ "sampler": samplers.len() - 1, "target": { "node": node, "path": "rotation" } }));
    }
    bin.accessors[input]["min"] = json!([0.0]);
    bin.accessors[input]["max"] = json!([2.0]);
    let mut bones = serde_json::Map::new();
    for (i, name) in names.iter().enumerate() {
        bones.insert((*name).into(), json!({ "node": i }));
    }
    let root = json!({
        "asset": { "version": "2.0", "generator": "shopcast vrm::sample" },
        "extensionsUsed": ["VRMC_vrm_animation"],
        "extensions": { "VRMC_vrm_animation": { "specVersion": "1.0", "humanoid": { "humanBones": bones } } },
        "scene": 0,
        "scenes": [{ "nodes": [0] }],
        "nodes": nodes,
        "animations": [{ "name": "idle", "samplers": samplers, "channels": channels }],
        "bufferViews": bin.views,
        "accessors": bin.accessors,
        "buffers": [{ "byteLength": bin.data.len() }],
    });
    glb(&serde_json::to_vec(&root).unwrap_or_default(), &bin.data)
}
