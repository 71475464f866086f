//! `shopcast check` as a merchandiser uses it: good files pass, broken ones name the line and exit 1.

use super::support::{scratch, shopcast, text};

#[test]
fn the_shipped_demo_products_scenes_and_example_config_pass() {
    let out = shopcast(&[
        "check",
        "assets/demo/products.toml",
        "scenes/studio.toml",
        "scenes/vertical.toml",
        "scenes/chroma.toml",
        "scenes/transparent.toml",
        "scenes/large_captions.toml",
        "show.example.toml",
    ]);
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stderr).contains("3 valid product(s)"));
}

#[test]
fn a_broken_product_is_reported_at_its_line_and_the_others_still_load() {
    let dir = scratch("check-broken");
    let file = dir.join("products.toml");
    std::fs::write(
        &file,
        "currency = \"USD\"\n\
         \n\
         [[product]]\n\
         id = \"mug\"\n\
         title.en = \"Mug\"\n\
         price = \"8.50\"\n\
         \n\
         [[product]]\n\
         id = \"kettle\"\n\
         title.en = \"Kettle\"\n\
         price = \"twelve\"\n\
         stock = -3\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let out = shopcast(&["check", &path]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("{path}:11:9: error: product \"kettle\": `price`: \"twelve\" is not an amount")),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("{path}:12:9: error: product \"kettle\": `stock` -3")), "{stdout}");
    assert!(text(&out.stderr).contains("1 valid product(s)"));

    let json = shopcast(&["check", "--json", &path]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    let products = report["files"][0]["products"].as_array().unwrap();
    assert_eq!(products.len(), 1);
    assert_eq!(products[0]["id"], "mug");
    assert_eq!(products[0]["price"]["amount_minor"], 850);
    assert_eq!(products[0]["price"]["currency"], "USD");
    assert_eq!(report["errors"], 2);
    assert_eq!(report["files"][0]["diagnostics"][0]["line"], 11);
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let dir = scratch("check-syntax");
    let file = dir.join("products.toml");
    std::fs::write(&file, "[[product]]\nid = \"mug\"\ntitle.en = \"Mug\nprice = 3\n").unwrap();
    let path = file.display().to_string();
    let out = shopcast(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with(&format!("{path}:3:")), "{stdout}");
    assert!(stdout.contains("error: this is not valid TOML"), "{stdout}");

    // A broken scene file is read as a scene, so the error names the line: a key given twice, a table left open.
    let scene = dir.join("scene.toml");
    std::fs::write(&scene, "caption_size = 0.05\ncaption_size = 0.06\n").unwrap();
    let path = scene.display().to_string();
    let stdout = text(&shopcast(&["check", &path]).stdout);
    assert!(stdout.starts_with(&format!("{path}:2:")) && stdout.contains("duplicate key"), "{stdout}");
    std::fs::write(&scene, "[layout\ncaptions = { x = 0.05, y = 0.8, w = 0.9, h = 0.17 }\n").unwrap();
    let stdout = text(&shopcast(&["check", &path]).stdout);
    assert!(stdout.starts_with(&format!("{path}:1:")) && !stdout.contains("cannot tell"), "{stdout}");
    // A scene with nothing but its avatar is a scene.
    std::fs::write(&scene, "[avatar]\nkind = \"drawn\"\n").unwrap();
    let out = shopcast(&["check", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn missing_files_and_unknown_files_are_errors_not_crashes() {
    let dir = scratch("check-unknown");
    let other = dir.join("notes.toml");
    std::fs::write(&other, "hello = 1\n").unwrap();
    let out = shopcast(&["check", "/nonexistent/products.toml", &other.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("/nonexistent/products.toml:0:0: error: cannot read the file"), "{stdout}");
    assert!(stdout.contains("cannot tell what this file is"), "{stdout}");
}

/// One of our own shop exports in testdata/catalogs (always there).
fn own_catalog(rel: &str) -> String {
    testkit::testdata("catalogs").join(rel).display().to_string()
}

/// A platform's own sample in the outside corpus (`SHOPCAST_CORPUS`; such tests are ignored without it).
fn corpus_catalog(rel: &str) -> String {
    testkit::corpus("catalogs").join(rel).display().to_string()
}

fn check_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--json"];
    all.extend_from_slice(args);
    let out = shopcast(&all);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("check --json prints JSON")
}

#[test]
fn shop_exports_check_as_json_with_products_variants_and_prices() {
    let shopify = check_json(&["--currency", "USD", &own_catalog("shopify/tea_shop_export.csv")]);
    let products = shopify["files"][0]["products"].as_array().unwrap();
    assert_eq!(products.len(), 4, "the draft and the archived product are skipped");
    assert_eq!(products[0]["id"], "dragon-well-green-tea");
    assert_eq!(products[0]["variants"].as_array().unwrap().len(), 6);
    assert_eq!(products[0]["price"]["amount_minor"], 1400);
    assert_eq!(products[0]["price"]["currency"], "USD");

    let woo = check_json(&["--currency", "EUR", &own_catalog("woocommerce/kitchen_export.csv")]);
    let products = woo["files"][0]["products"].as_array().unwrap();
    assert_eq!(products.len(), 5, "the grouped set and the draft are skipped");
    assert_eq!(products[0]["price"]["amount_minor"], 5900);
    assert_eq!(products[0]["price"]["currency"], "EUR");

    let merchant = check_json(&[&own_catalog("google-merchant/product_feed_example.xml")]);
    let products = merchant["files"][0]["products"].as_array().unwrap();
    assert_eq!(products.len(), 1);
    assert_eq!(products[0]["price"]["amount_minor"], 10529);
}

#[test]
#[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
fn the_platforms_sample_exports_check_as_json_with_products_variants_and_prices() {
    let shopify = check_json(&["--currency", "USD", &corpus_catalog("shopify/product_template.csv")]);
    let products = shopify["files"][0]["products"].as_array().unwrap();
    assert_eq!(products.len(), 1, "drafts and archived products are skipped");
    assert_eq!(products[0]["variants"].as_array().unwrap().len(), 12);
    assert_eq!(products[0]["price"]["amount_minor"], 2500);
    assert_eq!(products[0]["price"]["currency"], "USD");

    let woo = check_json(&["--currency", "USD", &corpus_catalog("woocommerce/sample_products.csv")]);
    assert_eq!(woo["files"][0]["products"].as_array().unwrap().len(), 17);
}

/// `check` reads a file exactly as `run` and its hot reload do: an export that names no currency is refused with
/// the fix (never guessed as USD, which the host would then say on air), and with the currency given it passes.
#[test]
fn an_export_without_a_currency_is_refused_as_the_show_would_refuse_it() {
    let path = own_catalog("shopify/tea_shop_export.csv");
    let report = check_json(&[&path]);
    let file = &report["files"][0];
    assert_eq!(file["products"].as_array().unwrap().len(), 0, "{file}");
    let said: Vec<model::Diagnostic> = serde_json::from_value(file["diagnostics"].clone()).unwrap();
    let errors: Vec<_> = said.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "one error for the whole file, not one per row: {said:?}");
    assert!(errors[0].message.contains("--currency"), "{}", errors[0]);
    let show = backstage::catalog::load_file_as(std::path::Path::new(&path), None, None);
    assert_eq!(show.products.len(), 0);
    assert_eq!(show.diagnostics, said, "check and the show's loader agree message for message");
}

/// The README's JSON example is real: it parses without a single diagnostic.
#[test]
fn the_readme_json_example_is_valid() {
    let readme = std::fs::read_to_string(super::support::repo().join("README.md")).unwrap();
    let start = readme.find("```json\n").expect("README has a JSON example") + "```json\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let demo = super::support::repo().join("assets/demo");
    let load =
        backstage::catalog::parse_as("README.md", &readme[start..end], &demo, backstage::catalog::Format::Json, None);
    assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
    let tea = &load.products[0];
    assert_eq!((tea.price.minor, tea.variants.len(), tea.stock), (19900, 2, Some(42)));
}

/// A chroma scene checked with a product whose picture is green: `check` warns that OBS's green key would cut the
/// product out, names the picture and the key to use instead, and still passes (a warning, not an error); with
/// `key = "blue"` in the scene it says nothing.
#[test]
fn a_green_product_under_a_green_key_is_warned_about_with_the_key_to_use() {
    let dir = scratch("check-key");
    let teapot = image::RgbaImage::from_fn(64, 64, |x, y| {
        let inside = (x as i32 - 32).pow(2) + (y as i32 - 32).pow(2) < 24 * 24;
        if inside { image::Rgba([105, 170, 120, 255]) } else { image::Rgba([240, 240, 236, 255]) }
    });
    teapot.save(dir.join("teapot.png")).unwrap();
    let products = dir.join("products.toml");
    std::fs::write(
        &products,
        "currency = \"USD\"\n\n[[product]]\nid = \"teapot\"\ntitle.en = \"Sage Teapot\"\nprice = \"30\"\nimage = \"teapot.png\"\n",
    )
    .unwrap();
    let blue = dir.join("blue.toml");
    std::fs::write(&blue, "name = \"blue\"\n\n[background]\nkind = \"chroma\"\nkey = \"blue\"\n").unwrap();
    let out = shopcast(&["check", "scenes/chroma.toml", &products.display().to_string()]);
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scenes/chroma.toml") && stdout.contains("teapot.png"), "{stdout}");
    assert!(stdout.contains("green key") && stdout.contains("key = \"blue\""), "{stdout}");
    let out = shopcast(&["check", &blue.display().to_string(), &products.display().to_string()]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("key colour"), "{}", text(&out.stdout));
}

#[test]
fn a_vrm_host_model_is_checked_and_what_it_lacks_is_named() {
    let dir = scratch("check-vrm");
    let good = dir.join("host.vrm");
    let out = shopcast(&["sample-vrm", &good.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = good.display().to_string();
    let out = shopcast(&["check", &path]);
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("{path}: VRM 1.0; \"shopcast sample presenter\" by shopcast")), "{stderr}");
    assert!(stderr.contains("triangles in 4 meshes") && stderr.contains("0 error(s), 0 warning(s)"), "{stderr}");

    // A 0.x model without "surprised" or "ee", and one past software rendering's triangle budget: warnings.
    let lacking = dir.join("lacking.vrm");
    let options = vrm::sample::Options { v0: true, without: vec![vrm::Preset::Ee], ..Default::default() };
    std::fs::write(&lacking, vrm::sample::presenter(&options)).unwrap();
    let heavy = dir.join("heavy.vrm");
    assert!(shopcast(&["sample-vrm", "--detail", "120", &heavy.display().to_string()]).status.success());
    let out = shopcast(&["check", &lacking.display().to_string(), &heavy.display().to_string()]);
    assert!(out.status.success(), "warnings only: {}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("lacking.vrm:0:0: warning: expressions missing") && stdout.contains("ee, surprised"),
        "{stdout}"
    );
    assert!(stdout.contains("heavy.vrm:0:0: warning:") && stdout.contains("software rendering"), "{stdout}");
    assert!(text(&out.stderr).contains("VRM 0.x"));

    // An idle clip (.vrma) is read as one.
    let clip = dir.join("idle.vrma");
    std::fs::write(&clip, vrm::sample::idle_clip()).unwrap();
    let out = shopcast(&["check", &clip.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("VRM animation: a 2.0 s loop moving spine, head, leftUpperArm, rightUpperArm"));

    // A damaged file (here: cut in half) is an error, exit status 1; --json says what kind of file it was.
    let bytes = std::fs::read(&good).unwrap();
    let broken = dir.join("broken.vrm");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    let out = shopcast(&["check", "--json", &broken.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(report["files"][0]["kind"], "avatar");
    let message = report["files"][0]["diagnostics"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("glTF") || message.contains("truncated"), "{message}");
}
