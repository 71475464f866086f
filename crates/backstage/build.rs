//! Links libespeak-ng, the speech engine behind `voice::espeak`. It is a build requirement: a missing library
//! stops the build here with the package to install, instead of an opaque linker error later.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=SHOPCAST_ESPEAK_LIB_DIR");
    println!("cargo:rerun-if-changed=build.rs");
    // An explicit directory wins (a self-built espeak-ng); otherwise the system's library directories.
    if let Ok(dir) = std::env::var("SHOPCAST_ESPEAK_LIB_DIR") {
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rustc-link-lib=dylib=espeak-ng");
        return;
    }
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        let dirs =
            ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];
        let found = dirs.iter().any(|d| Path::new(d).join("libespeak-ng.so").exists());
        if !found {
            panic!(
                "\n\nlibespeak-ng is missing: shopcast's voice links the espeak-ng speech engine.\n\
                 Install it with `apt-get install espeak-ng libespeak-ng-dev` (Debian/Ubuntu), or set\n\
                 SHOPCAST_ESPEAK_LIB_DIR to the directory holding libespeak-ng.so.\n\n"
            );
        }
    }
    println!("cargo:rustc-link-lib=dylib=espeak-ng");
}
