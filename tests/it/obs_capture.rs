//! The chroma scene captured by a real OBS Studio, end to end: shopcast's window on a virtual display, OBS (29,
//! obs-websocket 5.1) building a scene over its websocket with a colour underneath, a capture of the window and
//! the default green chroma key, and OBS's own screenshot checked pixel by pixel and by OCR.
//!
//! Window capture (`xcomposite_input`) yields no picture without a GPU (OBS 29 is EGL-only on X11 and Mesa's
//! software EGL cannot import a window pixmap), so this test captures the screen region of shopcast's window
//! instead: `xshm_input` cropped to the rectangle `xwininfo` reports. On a streamer's machine Window Capture gives
//! the same picture. OBS's own window is moved aside so that nothing overlaps the captured region.

use super::support::{need, repo, scratch, shopcast_command, text};
use backstage::obs::link::LinkOptions;
use backstage::obs::{ObsError, Session};
use image::{Rgba, RgbaImage};
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use testkit::poll;
use testkit::xorg::{ObsStudio, VirtualDisplay, need_obs};

/// What OBS shows underneath the keyed window: magenta, a colour nothing in the scene uses.
const UNDER: [u8; 3] = [255, 0, 255];
/// OBS colours are 0xAABBGGRR.
const UNDER_OBS: u32 = 0xffff00ff;
/// The chroma key's similarity for product pictures with green in them (OBS's default is 400). shopcast's green
/// is exact, so a low similarity still removes all of it.
const TUNED_SIMILARITY: u32 = 300;
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;
const SCREEN: (u32, u32) = (2600, 1000);
/// The start of the window title ("shopcast — AI host"); xdotool's pattern cannot hold the dash.
pub(super) const TITLE: &str = "^shopcast ";

/// Kills the show when the test ends, however it ends.
struct Show(Child);

impl Drop for Show {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
#[ignore = "needs a Vulkan driver, tesseract, OBS Studio, Xvfb and openbox (see .ci/run for the packages)"]
fn obs_keys_out_the_chroma_background_and_keeps_the_card_and_the_host() {
    let tools = ["/usr/bin/Xvfb", "/usr/bin/openbox", "/usr/bin/xdotool", "/usr/bin/xwininfo", "/usr/bin/wmctrl"];
    let tesseract = Command::new("tesseract").arg("--version").output().is_ok_and(|o| o.status.success());
    need_obs();
    need("xvfb, openbox, xdotool, x11-utils and wmctrl", tools.iter().all(|t| Path::new(t).is_file()));
    need("a Vulkan driver (package mesa-vulkan-drivers)", stage::capture::vulkan_available());
    need("tesseract (tesseract-ocr)", tesseract);
    let dir = scratch("obs-capture");
    let screen = VirtualDisplay::start(SCREEN.0, SCREEN.1).expect("virtual display with openbox");
    let obs = ObsStudio::start(&screen, "capture-test-pass").expect("OBS starts");

    // One product, so the card shows the same offer whenever the screenshot is taken; its picture is the demo
    // tea set's celadon (pale green) glaze, which must survive the green key too.
    let products = dir.join("products.toml");
    let picture = repo().join("assets/demo/images/tea-set.png");
    std::fs::write(
        &products,
        format!(
            "currency = \"USD\"\n[[product]]\nid = \"kettle\"\ntitle.en = \"Brushed Steel Kettle\"\nprice = \"34.99\"\n\
             compare_at = \"49.00\"\nstock = 7\nimage = {:?}\n",
            picture.display().to_string()
        ),
    )
    .expect("write products");
    let show_toml = dir.join("show.toml");
    let chroma = repo().join("scenes/chroma.toml");
    std::fs::write(
        &show_toml,
        format!(
            "[show]\nlanguage = \"en\"\nproducts = {:?}\nscene = {:?}\n\n[stage]\nwidth = {WIDTH}\nheight = {HEIGHT}\n",
            products.display().to_string(),
            chroma.display().to_string()
        ),
    )
    .expect("write show.toml");
    let show = shopcast_command()
        .args(["run", "--config", &show_toml.display().to_string(), "--seconds", "420"])
        .current_dir(repo())
        .env("DISPLAY", &screen.display)
        .env("SHOPCAST_LOG", "warn")
        .env("SHOPCAST_STORE", dir.join("audit.db"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("shopcast.log")).expect("log file"))
        .spawn()
        .expect("start shopcast");
    let _show = Show(show);

    // shopcast's window at the top left; OBS's main window moved right, clear of it.
    let window = wait_for_window(&screen, TITLE).unwrap_or_else(|| {
        panic!(
            "shopcast's window never appeared: {}",
            std::fs::read_to_string(dir.join("shopcast.log")).unwrap_or_default()
        )
    });
    run(screen.command("xdotool").args(["windowmove", "--sync", &window, "0", "0"]));
    let obs_window =
        wait_for_window(&screen, "^OBS ").unwrap_or_else(|| panic!("OBS's window never appeared:\n{}", obs.log()));
    run(screen.command("xdotool").args(["windowmove", "--sync", &obs_window, "1450", "0"]));
    let (x, y, w, h) = window_rect(&screen, &window);
    assert_eq!((w, h), (WIDTH, HEIGHT), "the window has the size show.toml asks for");
    let (ox, oy, ow, oh) = window_rect(&screen, &obs_window);
    assert!(ox >= x + w + 20 || oy >= y + h + 40, "OBS's window at {ox},{oy} {ow}x{oh} overlaps shopcast's");

    let scene = backstage::scene::load_file(&chroma).scene.expect("the chroma scene loads");
    let layout = &scene.layout;
    let rect = |r: &model::Rect| Region::of(r, w, h);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let shot = dir.join("obs-capture.png");
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("obs-capture.png");
    let kept_tuned = Path::new(env!("CARGO_TARGET_TMPDIR")).join("obs-capture-tuned.png");
    let raw_shot = dir.join("raw.png");
    let tuned_shot = dir.join("tuned.png");
    let (picture, raw, tuned) = runtime.block_on(async {
        let options = LinkOptions::new(obs.url(), Some(obs.password.clone()));
        let obs_session =
            Session::open_when_up(&options, tokio::sync::broadcast::channel(1024).0, Duration::from_secs(60))
                .await
                .unwrap_or_else(|e| panic!("OBS's websocket did not come up: {e}; OBS's log:\n{}", obs.log()));
        build_scene(&obs_session, (x, y, w, h)).await.expect("the scene builds over obs-websocket");
        // The show needs a few seconds to pin its first offer; poll OBS's screenshots until the card is there.
        let started = Instant::now();
        loop {
            let picture = screenshot(&obs_session, "shopcast capture", &shot).await;
            // The same capture without the key, at once, for the pixel-by-pixel comparison of the card.
            let raw = screenshot(&obs_session, "shopcast raw", &raw_shot).await;
            let tuned = screenshot(&obs_session, "shopcast tuned", &tuned_shot).await;
            // On a loaded machine the software renderer compiles its pipelines slowly before the first frame.
            if card_is_up(&picture, rect(&layout.offer_card)) || started.elapsed() > Duration::from_secs(240) {
                break (picture, raw, tuned);
            }
            tokio::time::sleep(Duration::from_millis(1500)).await;
        }
    });
    // Kept where reviewers look: the program scene as OBS composites it, the unkeyed capture, the tuned key alone.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (from, to) in
        [(&shot, "obs-capture.png"), (&raw_shot, "obs-capture-raw.png"), (&tuned_shot, "obs-capture-tuned.png")]
    {
        std::fs::copy(from, tmp.join(to)).expect("keep the screenshot");
    }
    println!("OBS's screenshot of the keyed scene: {} (and -raw, -tuned beside it)", kept.display());
    assert!(
        card_is_up(&picture, rect(&layout.offer_card)),
        "the offer card never showed in OBS's capture within 4 minutes (see {}); shopcast's log:\n{}",
        kept.display(),
        std::fs::read_to_string(dir.join("shopcast.log")).unwrap_or_default()
    );

    let overlays = [
        rect(&layout.avatar),
        rect(&layout.offer_card),
        rect(&layout.captions),
        rect(&layout.label),
        rect(&layout.comment),
    ];

    // Where shopcast drew its key green, OBS now shows the colour underneath.
    let background: Vec<(u32, u32)> = (0..w)
        .step_by(16)
        .flat_map(|px| (0..h).step_by(16).map(move |py| (px, py)))
        .filter(|&(px, py)| overlays.iter().all(|o| !o.grown(24).contains(px, py)))
        .collect();
    assert!(background.len() > 200, "too few background samples: {}", background.len());
    let under = background.iter().filter(|&&(px, py)| is_under(picture.get_pixel(px, py))).count();
    assert!(
        under * 100 >= background.len() * 99,
        "only {under} of {} background samples show the colour underneath; green left: {} (see {})",
        background.len(),
        background.iter().filter(|&&(px, py)| is_green(picture.get_pixel(px, py))).count(),
        kept.display()
    );

    // The card and the host stay: opaque, neither the colour underneath nor green.
    // The host figure is narrower than its box: check a column down its middle (hair, face, neck, shirt).
    let host = rect(&layout.avatar).column(0.12, 0.25, 0.85);
    let regions = [
        ("offer card", card_rows(rect(&layout.offer_card))),
        ("host", host),
        ("AI host label", rect(&layout.label).shrunk(0.25)),
    ];
    for (what, region) in regions {
        let stats = region.stats(&picture);
        assert!(
            stats.opaque() >= 0.99 && stats.green == 0,
            "the {what} at {region:?}: {:.1}% shows the colour underneath, {} pixels are green (see {})",
            100.0 * (1.0 - stats.opaque()),
            stats.green,
            kept.display()
        );
    }

    // Everything shopcast itself draws on the card (panel, text, price, badge: no green in any of them) comes
    // through the default key unchanged, compared with the unkeyed capture away from the anti-aliased corners.
    // Green in the product picture is the merchant's, and the default key does eat into it (the demo tea set's
    // celadon glaze): with the lower similarity that README recommends, the whole card comes through.
    let card = card_rows(rect(&layout.offer_card));
    let near_green = |px: u32, py: u32| {
        (px.saturating_sub(3)..=(px + 3).min(w - 1))
            .any(|x| (py.saturating_sub(3)..=(py + 3).min(h - 1)).any(|y| is_green(raw.get_pixel(x, y))))
    };
    let compared: Vec<(u32, u32)> = card.pixels().filter(|&(px, py)| !near_green(px, py)).collect();
    assert!(compared.len() * 10 > card.area() * 9, "the card should be mostly not green: {}", kept.display());
    let changed_by = |keyed: &RgbaImage, pixels: &[(u32, u32)]| -> Vec<(u32, u32)> {
        pixels
            .iter()
            .copied()
            .filter(|&(px, py)| {
                let (k, r) = (keyed.get_pixel(px, py), raw.get_pixel(px, py));
                k.0[3] < 250 || k.0[..3].iter().zip(&r.0[..3]).any(|(a, b)| a.abs_diff(*b) > 24)
            })
            .collect()
    };
    let greenish = |&(px, py): &(u32, u32)| {
        let [r, g, b, _] = raw.get_pixel(px, py).0;
        g > r && g > b
    };
    let own: Vec<(u32, u32)> = compared.iter().copied().filter(|p| !greenish(p)).collect();
    for (what, keyed, pixels, shot) in [
        ("default key, shopcast's own colours", &picture, &own, &kept),
        ("tuned key, whole card", &tuned, &compared, &kept_tuned),
    ] {
        let changed = changed_by(keyed, pixels);
        assert!(
            changed.len() * 1000 <= pixels.len(),
            "{what}: the key changed {} of {} card pixels (first at {:?}: raw {:?}, keyed {:?}); see {} and {}",
            changed.len(),
            pixels.len(),
            changed.first(),
            changed.first().map(|&(px, py)| raw.get_pixel(px, py)),
            changed.first().map(|&(px, py)| keyed.get_pixel(px, py)),
            shot.display(),
            raw_shot.display()
        );
    }
    let eaten = changed_by(&picture, &compared).len();
    println!("the default key changed {eaten} greenish product-picture pixels of {} card pixels", compared.len());
    // The tuned key still removes all of shopcast's green: those pixels are transparent in its screenshot.
    let left = background.iter().filter(|&&(px, py)| tuned.get_pixel(px, py).0[3] > 5).count();
    assert_eq!(left, 0, "the tuned key left {left} background samples opaque (see {})", kept_tuned.display());

    // The card's text survives the key: solid dark text pixels inside the card, and OCR reads title and price.
    let dark = card.pixels().filter(|&(px, py)| picture.get_pixel(px, py).0[..3].iter().all(|c| *c < 70)).count();
    assert!(
        dark * 200 >= card.area(),
        "too few solid text pixels in the card: {dark} of {} (see {})",
        card.area(),
        kept.display()
    );
    let crop = image::imageops::crop_imm(&picture, card.x, card.y, card.w, card.h).to_image();
    let card_png = dir.join("card.png");
    crop.save(&card_png).expect("save the card crop");
    let ocr = Command::new("tesseract")
        .args([&card_png.display().to_string(), "-", "-l", "eng"])
        .output()
        .expect("run tesseract");
    let read: String = text(&ocr.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(read.contains("Kettle") && read.contains("34.99"), "OCR did not read the card's title and price: {read:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The scene a streamer builds by hand, over the websocket: colour underneath, the window capture on top with the
/// default green chroma key.
async fn build_scene(obs: &Session, (x, y, w, h): (u32, u32, u32, u32)) -> Result<(), ObsError> {
    let r = &obs.requests;
    r.request(
        "SetVideoSettings",
        json!({ "baseWidth": w, "baseHeight": h, "outputWidth": w, "outputHeight": h, "fpsNumerator": 30, "fpsDenominator": 1 }),
    )
    .await?;
    r.request("CreateScene", json!({ "sceneName": "shopcast capture" })).await?;
    r.request(
        "CreateInput",
        json!({ "sceneName": "shopcast capture", "inputName": "underneath", "inputKind": "color_source_v3",
                "inputSettings": { "color": UNDER_OBS, "width": w, "height": h } }),
    )
    .await?;
    // Screen capture cropped to the window (see the module comment for why not Window Capture).
    let crop = json!({ "screen": 0, "show_cursor": false, "cut_left": x, "cut_top": y,
                       "cut_right": SCREEN.0 - x - w, "cut_bot": SCREEN.1 - y - h });
    let capture = |name: &str| json!({ "sceneName": "shopcast capture", "inputName": name, "inputKind": "xshm_input", "inputSettings": crop });
    r.request("CreateInput", capture("shopcast window")).await?;
    r.request(
        "CreateSourceFilter",
        json!({ "sourceName": "shopcast window", "filterName": "key out green", "filterKind": "chroma_key_filter_v2",
                "filterSettings": { "key_color_type": "green" } }),
    )
    .await?;
    // The same region without a key, for comparison. It sits in the program scene (OBS captures only sources
    // that are shown) but off the canvas, so it is not in the picture.
    let raw = r.request("CreateInput", capture("shopcast raw")).await?;
    // And keyed with the lower similarity README recommends for product pictures with green in them.
    let tuned = r.request("CreateInput", capture("shopcast tuned")).await?;
    r.request(
        "CreateSourceFilter",
        json!({ "sourceName": "shopcast tuned", "filterName": "key out exact green", "filterKind": "chroma_key_filter_v2",
                "filterSettings": { "key_color_type": "green", "similarity": TUNED_SIMILARITY } }),
    )
    .await?;
    for (n, item) in [raw, tuned].iter().enumerate() {
        let off_canvas = json!({ "positionX": f64::from(w) * (2.0 + n as f64 * 1.5), "positionY": 0.0 });
        r.request(
            "SetSceneItemTransform",
            json!({ "sceneName": "shopcast capture", "sceneItemId": item["sceneItemId"], "sceneItemTransform": off_canvas }),
        )
        .await?;
    }
    r.request("SetCurrentProgramScene", json!({ "sceneName": "shopcast capture" })).await?;
    let items = r.request("GetSceneItemList", json!({ "sceneName": "shopcast capture" })).await?;
    let names: Vec<&str> =
        items["sceneItems"].as_array().into_iter().flatten().filter_map(|i| i["sourceName"].as_str()).collect();
    assert_eq!(
        names,
        ["underneath", "shopcast window", "shopcast raw", "shopcast tuned"],
        "the colour is underneath the capture: {items}"
    );
    Ok(())
}

/// OBS's own screenshot of `source` (with its filters), written by OBS to `path` and read back.
async fn screenshot(obs: &Session, source: &str, path: &Path) -> RgbaImage {
    let request = json!({ "sourceName": source, "imageFormat": "png", "imageFilePath": path.display().to_string(),
                          "imageWidth": WIDTH, "imageHeight": HEIGHT });
    if let Err(e) = obs.requests.request_within("SaveSourceScreenshot", request, Duration::from_secs(15)).await {
        panic!("OBS did not take the screenshot of {source}: {e}");
    }
    image::open(path).unwrap_or_else(|e| panic!("OBS wrote no PNG at {}: {e}", path.display())).to_rgba8()
}

pub(super) fn wait_for_window(screen: &VirtualDisplay, name: &str) -> Option<String> {
    let mut id = None;
    poll(Duration::from_secs(90), || {
        let out = screen.command("xdotool").args(["search", "--onlyvisible", "--name", name]).output();
        id = out.ok().and_then(|o| text(&o.stdout).lines().next().map(str::to_string));
        id.is_some()
    });
    id
}

fn run(command: &mut Command) {
    let out = command.output().expect("run an X tool");
    assert!(out.status.success(), "{command:?} failed: {}", text(&out.stderr));
}

/// The window's client area on the screen: xwininfo's absolute upper-left corner, width and height.
pub(super) fn window_rect(screen: &VirtualDisplay, id: &str) -> (u32, u32, u32, u32) {
    let out = screen.command("xwininfo").args(["-id", id]).output().expect("run xwininfo");
    let info = text(&out.stdout);
    let field = |label: &str| -> u32 {
        info.lines()
            .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().parse::<i64>().unwrap_or(-1)))
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or_else(|| panic!("xwininfo has no usable {label:?}:\n{info}"))
    };
    (field("Absolute upper-left X:"), field("Absolute upper-left Y:"), field("Width:"), field("Height:"))
}

fn is_under(p: &Rgba<u8>) -> bool {
    p.0[..3].iter().zip(UNDER).all(|(c, u)| c.abs_diff(u) <= 40)
}

fn is_green(p: &Rgba<u8>) -> bool {
    let [r, g, b, _] = p.0;
    g > 120 && g as u16 > r as u16 + 60 && g as u16 > b as u16 + 60
}

/// The card is up once its middle is no longer the colour underneath and holds dark text.
/// The card is up when its box is opaque, mostly the card's white, with dark text on it. (A black frame, which OBS
/// captures while a window is being mapped or redrawn on a loaded machine, is opaque and dark but not a card.)
fn card_is_up(picture: &RgbaImage, card: Region) -> bool {
    let card = card_rows(card);
    let stats = card.stats(picture);
    let channels = |(x, y): (u32, u32)| picture.get_pixel(x, y).0;
    let pixels = card.pixels().count().max(1);
    let white = card.pixels().filter(|&p| channels(p)[..3].iter().all(|c| *c > 200)).count();
    stats.opaque() > 0.97 && white * 2 > pixels && card.pixels().any(|p| channels(p)[..3].iter().all(|c| *c < 70))
}

/// The part of the offer card's rectangle its rows always cover: the card is as tall as its rows from the top of
/// its rectangle, so the bottom of the rectangle may show the background.
fn card_rows(card: Region) -> Region {
    card.column(0.8, 0.1, 0.75)
}

#[derive(Clone, Copy, Debug)]
struct Region {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

struct Stats {
    total: usize,
    under: usize,
    green: usize,
}

impl Stats {
    fn opaque(&self) -> f64 {
        1.0 - self.under as f64 / self.total.max(1) as f64
    }
}

impl Region {
    fn of(r: &model::Rect, w: u32, h: u32) -> Region {
        let px = |f: f32, of: u32| ((f * of as f32).round().max(0.0) as u32).min(of);
        let (x, y) = (px(r.x, w), px(r.y, h));
        Region { x, y, w: px(r.w, w).min(w - x), h: px(r.h, h).min(h - y) }
    }

    /// A column down the middle, `width` of the region wide, from `top` to `bottom` (fractions of its height).
    fn column(self, width: f32, top: f32, bottom: f32) -> Region {
        let w = (self.w as f32 * width) as u32;
        let (y0, y1) = ((self.h as f32 * top) as u32, (self.h as f32 * bottom) as u32);
        Region { x: self.x + (self.w - w) / 2, y: self.y + y0, w, h: y1 - y0 }
    }

    /// The middle part, `margin` of each side taken off.
    fn shrunk(self, margin: f32) -> Region {
        let (dx, dy) = ((self.w as f32 * margin) as u32, (self.h as f32 * margin) as u32);
        Region { x: self.x + dx, y: self.y + dy, w: self.w - 2 * dx, h: self.h - 2 * dy }
    }

    fn grown(self, by: u32) -> Region {
        Region { x: self.x.saturating_sub(by), y: self.y.saturating_sub(by), w: self.w + 2 * by, h: self.h + 2 * by }
    }

    fn contains(&self, x: u32, y: u32) -> bool {
        x >= self.x && x < self.x + self.w && y >= self.y && y < self.y + self.h
    }

    fn area(&self) -> usize {
        (self.w * self.h) as usize
    }

    fn pixels(self) -> impl Iterator<Item = (u32, u32)> {
        (self.y..self.y + self.h).flat_map(move |y| (self.x..self.x + self.w).map(move |x| (x, y)))
    }

    fn stats(self, picture: &RgbaImage) -> Stats {
        let mut s = Stats { total: 0, under: 0, green: 0 };
        for (x, y) in self.pixels() {
            let p = picture.get_pixel(x, y);
            s.total += 1;
            s.under += usize::from(is_under(p));
            s.green += usize::from(is_green(p));
        }
        s
    }
}
