//! A scene larger than the screen opens a window that fits it: the vertical 1080x1920 scene on a 1920x1080 screen
//! (an ordinary 1080p monitor, here a virtual display with a window manager) is shown whole, scaled down, in the
//! scene's 9:16 shape, with nothing off screen.

use super::obs_capture::{TITLE, wait_for_window, window_rect};
use super::support::{need, repo, scratch, shopcast_command};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use testkit::Guarded;
use testkit::poll;
use testkit::xorg::VirtualDisplay;

#[test]
#[ignore = "needs a Vulkan driver, Xvfb, openbox, xdotool and x11-utils (see .ci/run for the packages)"]
fn the_vertical_scene_fits_a_1080p_screen() {
    let tools = ["/usr/bin/Xvfb", "/usr/bin/openbox", "/usr/bin/xdotool", "/usr/bin/xwininfo"];
    need("xvfb, openbox, xdotool and x11-utils", tools.iter().all(|t| Path::new(t).is_file()));
    need("a Vulkan driver (package mesa-vulkan-drivers)", stage::capture::vulkan_available());
    let dir = scratch("window-fit");
    let screen = VirtualDisplay::start(1920, 1080).expect("virtual display with openbox");
    let show_toml = dir.join("show.toml");
    let vertical = repo().join("scenes/vertical.toml");
    std::fs::write(&show_toml, format!("[show]\nlanguage = \"en\"\nscene = {:?}\n", vertical.display().to_string()))
        .expect("write show.toml");
    let _show = Guarded::spawn(
        shopcast_command()
            .args(["run", "--config", &show_toml.display().to_string(), "--seconds", "300"])
            .current_dir(repo())
            .env("DISPLAY", &screen.display)
            .env("SHOPCAST_LOG", "warn")
            .env("SHOPCAST_STORE", dir.join("audit.db"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("shopcast.log")).expect("log file")),
        "shopcast",
    )
    .expect("start shopcast");
    let log = || std::fs::read_to_string(dir.join("shopcast.log")).unwrap_or_default();
    let window = wait_for_window(&screen, TITLE).unwrap_or_else(|| panic!("no window appeared: {}", log()));
    // The window opens at the scene's size and is scaled once the screen is known.
    let mut rect = window_rect(&screen, &window);
    poll(Duration::from_secs(60), || {
        rect = window_rect(&screen, &window);
        rect.3 <= 1080
    });
    let (x, y, w, h) = rect;
    assert!(h <= 1080 && y + h <= 1080 && x + w <= 1920, "the window {rect:?} does not fit 1920x1080: {}", log());
    let shape = w as f32 / h as f32;
    assert!((shape - 1080.0 / 1920.0).abs() < 0.01, "the window {w}x{h} is not the scene's 9:16 shape");
    assert!(h >= 900, "the window {w}x{h} shrank more than it needed to");
    assert!(log().contains("shown at"), "the log does not say the window was scaled: {}", log());
}
