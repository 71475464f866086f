use super::*;
use crate::sample::{Options, glb, presenter};

fn split(bytes: &[u8]) -> (Value, Vec<u8>) {
    let glb = gltf::binary::Glb::from_slice(bytes).expect("the sample is a GLB");
    let json = serde_json::from_slice(&glb.json).expect("its JSON parses");
    (json, glb.bin.map(|b| b.into_owned()).unwrap_or_default())
}

fn rewrap(json: &Value, bin: &[u8]) -> Vec<u8> {
    glb(&serde_json::to_vec(json).unwrap(), bin)
}

fn warnings(model: &VrmModel) -> Vec<String> {
    check(model).into_iter().filter(|f| f.severity == Severity::Warning).map(|f| f.text).collect()
}

#[test]
fn the_sample_reads_as_vrm_1_with_every_expression_and_bone() {
    let model = parse(&presenter(&Options::default())).expect("the sample reads");
    assert_eq!(model.version, Version::V1);
    assert_eq!(model.meshes.len(), 4);
    assert_eq!(model.skins.len(), 1);
    assert_eq!(model.skins[0].joints.len(), 15);
    assert_eq!(model.springs.len(), 1);
    assert_eq!(model.colliders.len(), 1);
    for bone in ["hips", "spine", "chest", "neck", "head", "leftUpperArm", "rightLowerArm"] {
        assert!(model.bone(bone).is_some(), "{bone}");
    }
    for preset in Preset::USED {
        let binds = &model.expressions[&preset];
        assert_eq!(binds.len(), 1, "{preset:?}");
        assert_eq!(binds[0].weight, 1.0);
        assert_eq!(model.meshes[binds[0].mesh].primitives[0].targets.len(), 10);
    }
    assert_eq!((model.images[0].width(), model.images[0].height()), (64, 64));
    assert_eq!(model.materials[0].texture, Some(0));
    assert_eq!(model.materials[1].texture, None);
    assert_eq!(model.look_at, LookAt::Expression);
    assert_eq!(model.meta.authors, vec!["shopcast".to_string()]);
    assert!(warnings(&model).is_empty(), "{:?}", warnings(&model));
    // The head's front is toward +Z in VRM 1.0.
    let head = &model.meshes[1].primitives[0];
    let front = head.positions.iter().map(|p| p[2]).fold(f32::MIN, f32::max);
    assert!(front > 0.1);
    let info = check(&model);
    assert!(info[0].text.starts_with("VRM 1.0; \"shopcast sample presenter\" by shopcast"), "{}", info[0].text);
}

#[test]
fn a_vrm_0_file_maps_its_presets_and_faces_minus_z() {
    let model = parse(&presenter(&Options { v0: true, ..Options::default() })).expect("the 0.x sample reads");
    assert_eq!(model.version, Version::V0);
    assert_eq!(model.version.forward_z(), -1.0);
    // "a" is aa, "joy" happy, "sorrow" sad, "fun" relaxed; weights 100 read as 1.
    for preset in [Preset::Aa, Preset::Happy, Preset::Sad, Preset::Relaxed, Preset::Blink] {
        assert_eq!(model.expressions[&preset].len(), 1, "{preset:?}");
        assert_eq!(model.expressions[&preset][0].weight, 1.0);
    }
    // 0.x has no "surprised" preset: check names it.
    let w = warnings(&model);
    assert!(w.iter().any(|t| t.contains("expressions missing") && t.contains("surprised")), "{w:?}");
    let head = &model.meshes[1].primitives[0];
    let front = head.positions.iter().map(|p| p[2]).fold(f32::MAX, f32::min);
    assert!(front < -0.1);
}

#[test]
fn check_names_missing_expressions_large_textures_and_heavy_models() {
    let model = parse(&presenter(&Options { without: vec![Preset::Aa, Preset::Blink], ..Options::default() })).unwrap();
    let w = warnings(&model);
    assert!(w.iter().any(|t| t.contains("aa, blink")), "{w:?}");
    assert!(!w.iter().any(|t| t.contains("ih")), "{w:?}");

    let heavy = parse(&presenter(&Options { detail: 120, ..Options::default() })).unwrap();
    assert!(heavy.triangles() > SOFTWARE_TRIANGLE_BUDGET, "{}", heavy.triangles());
    let w = warnings(&heavy);
    assert!(w.iter().any(|t| t.contains("triangles") && t.contains("software rendering")), "{w:?}");
    let light = parse(&presenter(&Options::default())).unwrap();
    assert!(light.triangles() < 5_000);

    let big = parse(&presenter(&Options { texture_side: 2100, ..Options::default() })).unwrap();
    assert!(warnings(&big).iter().any(|t| t.contains("texture 0 is 2100x2100")));
}

#[test]
fn an_oversized_texture_is_refused_by_its_size_before_decoding() {
    let err = parse(&presenter(&Options { texture_side: MAX_TEXTURE_SIDE + 1, ..Options::default() })).unwrap_err();
    assert!(err.contains("texture 0 (cloth) is 4097x4097") && err.contains("at most 4096"), "{err}");
}

#[test]
fn files_that_are_not_vrm_say_what_they_are() {
    assert!(parse(b"").unwrap_err().contains("is not a VRM file"));
    assert!(parse(b"PK\x03\x04 a zip file, not a model").unwrap_err().contains("binary glTF"));
    let (mut json, bin) = split(&presenter(&Options::default()));
    json["extensions"] = json!({});
    let err = parse(&rewrap(&json, &bin)).unwrap_err();
    assert!(err.contains("glTF but not VRM"), "{err}");
    let (mut json, bin) = split(&presenter(&Options::default()));
    json["extensions"]["VRMC_vrm"]["specVersion"] = json!("2.0");
    assert!(parse(&rewrap(&json, &bin)).unwrap_err().contains("specVersion \"2.0\""));
}

use serde_json::json;

#[test]
fn hostile_indices_are_errors_that_name_them() {
    let base = split(&presenter(&Options::default()));
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "humanoid bone \"head\" points at node 999",
            Box::new(|j| j["extensions"]["VRMC_vrm"]["humanoid"]["humanBones"]["head"]["node"] = json!(999)),
        ),
        (
            "no humanoid \"hips\" bone",
            Box::new(|j| {
                j["extensions"]["VRMC_vrm"]["humanoid"]["humanBones"].as_object_mut().unwrap().remove("hips");
            }),
        ),
        (
            "names a joint its skin does not have",
            Box::new(|j| {
                let joints = j["skins"][0]["joints"].as_array_mut().unwrap();
                joints.truncate(2);
                j["skins"][0]["inverseBindMatrices"] = json!(null);
                j["skins"][0].as_object_mut().unwrap().remove("inverseBindMatrices");
            }),
        ),
        ("reaches past the end", Box::new(|j| j["accessors"][0]["count"] = json!(1_000_000))),
        ("past the end of its buffer", Box::new(|j| j["bufferViews"][0]["byteOffset"] = json!(u32::MAX))),
        ("separate file", Box::new(|j| j["buffers"][0]["uri"] = json!("model.bin"))),
        (
            "spring 0 joint 1 points at node 999",
            Box::new(|j| j["extensions"]["VRMC_springBone"]["springs"][0]["joints"][1]["node"] = json!(999)),
        ),
        (
            "spring collider 0 points at node 4000",
            Box::new(|j| j["extensions"]["VRMC_springBone"]["colliders"][0]["node"] = json!(4000)),
        ),
    ];
    for (expected, change) in cases {
        let (mut json, bin) = base.clone();
        change(&mut json);
        let err = parse(&rewrap(&json, &bin)).expect_err(expected);
        assert!(err.contains(expected), "wanted {expected:?}, got {err}");
    }
    // A morph bind to a target the mesh lacks binds nothing (check then names the expression).
    let (mut json, bin) = base.clone();
    json["extensions"]["VRMC_vrm"]["expressions"]["preset"]["aa"]["morphTargetBinds"][0]["index"] = json!(77);
    let model = parse(&rewrap(&json, &bin)).unwrap();
    assert!(model.expressions[&Preset::Aa].is_empty());
    assert!(warnings(&model).iter().any(|w| w.contains("expressions missing") && w.contains("aa")));
}

#[test]
fn truncated_and_mutated_files_never_panic() {
    for v0 in [false, true] {
        let bytes = presenter(&Options { v0, ..Options::default() });
        // Cut anywhere: header, JSON, binary chunk.
        for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
            assert!(parse(&bytes[..cut]).is_err(), "cut at {cut} of {}", bytes.len());
        }
        // Bytes flipped by a fixed pseudo-random walk: any result but a panic is fine.
        let mut state = 0x2545_f491_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..400 {
            let mut b = bytes.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % b.len();
                b[at] = next() as u8;
            }
            let _ = parse(&b);
        }
    }
}

#[test]
fn read_names_the_file_in_its_errors() {
    let dir = std::env::temp_dir().join(format!("shopcast-vrm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("nowhere.vrm");
    let err = read(&missing).unwrap_err().to_string();
    assert!(err.contains("nowhere.vrm") && err.contains("cannot be read"), "{err}");
    let bad = dir.join("bad.vrm");
    std::fs::write(&bad, b"not a model").unwrap();
    assert!(read(&bad).unwrap_err().to_string().contains("bad.vrm: is not a VRM file"));
    let good = dir.join("host.vrm");
    std::fs::write(&good, presenter(&Options::default())).unwrap();
    assert!(read(&good).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}
