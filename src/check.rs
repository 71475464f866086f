//! `shopcast check`: validates product, scene and show files and reports every problem with its position.

use crate::config;
use anyhow::Result;
use backstage::{catalog, scene};
use model::{Diagnostic, Product, Scene};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Print normalized products and all diagnostics as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Product files, scene files (scenes/*.toml) or show configuration files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum FileKind {
    Products,
    Scene,
    Show,
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
}

#[derive(Serialize)]
struct Report {
    files: Vec<FileReport>,
    errors: usize,
    warnings: usize,
}

/// Decides what a TOML file is from its top-level keys, so `check` needs no flags.
fn kind_of(text: &str) -> FileKind {
    let Ok(table) = text.parse::<toml::Table>() else {
        // A syntax error: guess from the text so the diagnostic comes from the right parser.
        return if text.contains("[[product]]") { FileKind::Products } else { FileKind::Unknown };
    };
    if table.contains_key("product") {
        FileKind::Products
    } else if ["layout", "background", "theme", "caption_size", "fonts"].iter().any(|k| table.contains_key(*k)) {
        FileKind::Scene
    } else if ["show", "stage", "writer", "voice"].iter().any(|k| table.contains_key(*k)) {
        FileKind::Show
    } else {
        FileKind::Unknown
    }
}

fn check_file(path: &Path) -> FileReport {
    let shown = path.display().to_string();
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return FileReport {
                path: shown.clone(),
                kind: FileKind::Unknown,
                products: None,
                scene: None,
                diagnostics: vec![Diagnostic::error(shown, 0, 0, format!("cannot read the file: {e}"))],
            };
        }
    };
    let kind = kind_of(&text);
    let mut report = FileReport { path: shown.clone(), kind, products: None, scene: None, diagnostics: Vec::new() };
    match report.kind {
        FileKind::Products => {
            let load = catalog::load_file(path);
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

pub fn check(args: CheckArgs) -> Result<ExitCode> {
    let files: Vec<FileReport> = args.files.iter().map(|p| check_file(p)).collect();
    let all = files.iter().flat_map(|f| f.diagnostics.iter());
    let errors = all.clone().filter(|d| d.is_error()).count();
    let warnings = all.clone().count() - errors;
    if args.json {
        let report = Report { files, errors, warnings };
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for file in &files {
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
