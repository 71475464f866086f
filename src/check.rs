//! `shopcast check`: validates product, scene and show files and reports every problem with its position.

use crate::config;
use anyhow::{Context, Result};
use backstage::{catalog, scene};
use model::{Currency, Diagnostic, Product, Scene};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Print normalized products and all diagnostics as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Read product files in this format instead of detecting it: toml, json, csv, shopify, woocommerce,
    /// google-merchant (XML) or merchant-tsv.
    #[arg(long)]
    format: Option<String>,
    /// The currency of prices that do not name one (Shopify and WooCommerce exports never do), e.g. CNY or USD.
    #[arg(long)]
    currency: Option<String>,
    /// Product files, scene files (scenes/*.toml), show configuration files or VRM host models (.vrm).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum FileKind {
    Products,
    Scene,
    Show,
    /// A VRM host model (binary glTF).
    Avatar,
    Unknown,
}

#[derive(Serialize)]
struct FileReport {
    path: String,
    kind: FileKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    products: Option<Vec<Product>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scene: Option<Scene>,
    diagnostics: Vec<Diagnostic>,
    /// What `check` found out about the file beyond its problems (a VRM model's version, author, size).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

#[derive(Serialize)]
struct Report {
    files: Vec<FileReport>,
    errors: usize,
    warnings: usize,
}

/// Decides what a file is: a product export (CSV, JSON, XML feed) by its content or extension, a TOML file
/// by its top-level keys, so `check` needs no flags.
fn kind_of(path: &Path, text: &str) -> FileKind {
    let toml_ext = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !toml_ext && catalog::sniff(text).is_some_and(|f| f != catalog::Format::Toml) {
        return FileKind::Products;
    }
    if !toml_ext
        && path
            .extension()
            .is_some_and(|e| ["csv", "tsv", "txt", "json", "xml"].iter().any(|x| e.eq_ignore_ascii_case(x)))
    {
        return FileKind::Products;
    }
    let Ok(table) = text.parse::<toml::Table>() else {
        // A syntax error: guess from the text so the diagnostic comes from the right parser (which names the line).
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        return if has(&["[[product"]) {
            FileKind::Products
        } else if has(&["[layout", "[background", "[theme", "[avatar", "caption_size", "fonts"]) {
            FileKind::Scene
        } else if has(&["[show", "[stage", "[writer", "[voice", "[console", "[obs", "[moderation"]) {
            FileKind::Show
        } else {
            FileKind::Unknown
        };
    };
    if table.contains_key("product") {
        FileKind::Products
    } else if ["layout", "background", "theme", "caption_size", "fonts", "avatar"]
        .iter()
        .any(|k| table.contains_key(*k))
    {
        FileKind::Scene
    } else if ["show", "stage", "writer", "voice"].iter().any(|k| table.contains_key(*k)) {
        FileKind::Show
    } else {
        FileKind::Unknown
    }
}

/// A VRM model checked as the stage would load it: what stops it being used is an error, what the host will lack
/// (expressions, bones) or what software rendering will not hold (triangles) a warning, the rest a note.
fn check_avatar(path: &Path) -> FileReport {
    let shown = path.display().to_string();
    let mut report = FileReport {
        path: shown.clone(),
        kind: FileKind::Avatar,
        products: None,
        scene: None,
        diagnostics: Vec::new(),
        notes: Vec::new(),
    };
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("vrma")) {
        match vrm::clip::read_clip(path) {
            Ok(clip) => report.notes.push(format!(
                "VRM animation: a {:.1} s loop moving {}",
                clip.duration,
                clip.bones().join(", ")
            )),
            Err(e) => report.diagnostics.push(Diagnostic::error(&shown, 0, 0, e.problem)),
        }
        return report;
    }
    match vrm::read(path) {
        Ok(model) => {
            for finding in vrm::check(&model) {
                match finding.severity {
                    vrm::Severity::Error => report.diagnostics.push(Diagnostic::error(&shown, 0, 0, finding.text)),
                    vrm::Severity::Warning => report.diagnostics.push(Diagnostic::warning(&shown, 0, 0, finding.text)),
                    vrm::Severity::Info => report.notes.push(finding.text),
                }
            }
        }
        Err(e) => report.diagnostics.push(Diagnostic::error(&shown, 0, 0, e.problem)),
    }
    report
}

fn is_avatar(path: &Path) -> bool {
    let by_name = path.extension().is_some_and(|e| ["vrm", "vrma", "glb"].iter().any(|x| e.eq_ignore_ascii_case(x)));
    let mut magic = [0u8; 4];
    let by_content = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok_and(|_| &magic == b"glTF");
    by_name || by_content
}

fn check_file(path: &Path, format: Option<catalog::Format>, currency: Option<&Currency>) -> FileReport {
    let shown = path.display().to_string();
    if format.is_none() && is_avatar(path) {
        return check_avatar(path);
    }
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return FileReport {
                path: shown.clone(),
                kind: FileKind::Unknown,
                products: None,
                scene: None,
                diagnostics: vec![Diagnostic::error(shown, 0, 0, format!("cannot read the file: {e}"))],
                notes: Vec::new(),
            };
        }
    };
    let kind = if format.is_some() { FileKind::Products } else { kind_of(path, &text) };
    let mut report = FileReport {
        path: shown.clone(),
        kind,
        products: None,
        scene: None,
        diagnostics: Vec::new(),
        notes: Vec::new(),
    };
    match report.kind {
        FileKind::Products => {
            // Exactly as `shopcast run` and its hot reload read the file (same loader, same currency): a file
            // that names no currency is refused here as it would be on air, never guessed as USD.
            let load = catalog::load_file_as(path, format, currency.cloned());
            report.products = Some(load.products);
            report.diagnostics = load.diagnostics;
        }
        FileKind::Scene => {
            let load = scene::parse(&shown, &text);
            report.scene = load.scene;
            report.diagnostics = load.diagnostics;
        }
        FileKind::Show => {
            let mut settings = config::Settings::default();
            report.diagnostics =
                config::parse_into(&mut settings, &shown, &text, path.parent().unwrap_or(Path::new(".")));
        }
        FileKind::Avatar => return check_avatar(path),
        FileKind::Unknown => report.diagnostics.push(Diagnostic::error(
            shown,
            1,
            1,
            "cannot tell what this file is: a product file has [[product]] sections, a scene file [layout] or \
             [background], a show file [show] or [stage]",
        )),
    }
    report
}

/// A chroma scene checked with product files: each product picture the scene's key colour would cut into gets a
/// warning on the scene, naming the key (green, blue, magenta) that suits the pictures best.
fn key_against_pictures(files: &mut [FileReport]) {
    let pictures: Vec<(String, image::RgbaImage)> = files
        .iter()
        .filter_map(|f| f.products.as_ref())
        .flatten()
        .filter_map(|p| {
            let path = p.image.as_ref()?;
            // A picture that does not read is the product loader's to report; a thumbnail is enough for colours.
            let picture = image::open(path).ok()?.thumbnail(256, 256).to_rgba8();
            Some((format!("{}'s picture ({})", p.id.0, path.display()), picture))
        })
        .collect();
    if pictures.is_empty() {
        return;
    }
    for file in files.iter_mut() {
        if let Some(model::Background::Chroma { key }) = file.scene.as_ref().map(|s| s.background) {
            let warnings = backstage::scene::key_warnings(&file.path, key, &pictures);
            file.diagnostics.extend(warnings);
        }
    }
}

pub fn check(args: CheckArgs) -> Result<ExitCode> {
    let format = match args.format.as_deref() {
        Some(name) => Some(catalog::Format::parse_name(name).with_context(|| {
            let names: Vec<&str> = catalog::Format::NAMES.iter().map(|(n, _)| *n).collect();
            format!("--format {name:?} is not one of {}", names.join(", "))
        })?),
        None => None,
    };
    let currency = match args.currency.as_deref() {
        Some(code) => Some(
            Currency::parse(code)
                .with_context(|| format!("--currency {code:?} is not a 3-letter ISO code like CNY"))?,
        ),
        None => None,
    };
    let mut files: Vec<FileReport> = args.files.iter().map(|p| check_file(p, format, currency.as_ref())).collect();
    key_against_pictures(&mut files);
    let all = files.iter().flat_map(|f| f.diagnostics.iter());
    let errors = all.clone().filter(|d| d.is_error()).count();
    let warnings = all.clone().count() - errors;
    if args.json {
        let report = Report { files, errors, warnings };
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for file in &files {
            for note in &file.notes {
                eprintln!("{}: {note}", file.path);
            }
            for d in &file.diagnostics {
                println!("{d}");
            }
            if let Some(products) = &file.products {
                eprintln!("{}: {} valid product(s)", file.path, products.len());
            }
        }
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
