//! Product pictures in WebP (shops export them more and more) load and fit the card like PNG and JPEG.

use stage::overlays::load_picture;

#[test]
fn a_webp_product_picture_loads_and_is_shrunk_to_the_card() {
    let dir = std::env::temp_dir().join(format!("shopcast-webp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kettle.webp");
    let mut picture = image::RgbaImage::new(400, 200);
    for (x, _, pixel) in picture.enumerate_pixels_mut() {
        *pixel = if x < 200 { image::Rgba([200, 30, 30, 255]) } else { image::Rgba([30, 30, 200, 255]) };
    }
    let file = std::fs::File::create(&path).unwrap();
    image::codecs::webp::WebPEncoder::new_lossless(file)
        .encode(picture.as_raw(), 400, 200, image::ExtendedColorType::Rgba8)
        .unwrap();

    let loaded = load_picture(&path, 100, 100).expect("the WebP picture loads");
    assert_eq!((loaded.width(), loaded.height()), (100, 50), "shrunk to fit, keeping its shape");
    let data = loaded.data.as_ref().expect("pixels on the CPU");
    let left = &data[(25 * 100 + 10) * 4..(25 * 100 + 10) * 4 + 3];
    let right = &data[(25 * 100 + 90) * 4..(25 * 100 + 90) * 4 + 3];
    assert!(left[0] > 150 && left[2] < 80, "{left:?}");
    assert!(right[2] > 150 && right[0] < 80, "{right:?}");

    // A broken file is a card without a picture, not a crash.
    std::fs::write(dir.join("broken.webp"), b"RIFF\x10\x00\x00\x00WEBPVP8 garbage").unwrap();
    assert!(load_picture(&dir.join("broken.webp"), 100, 100).is_none());
    std::fs::remove_dir_all(dir).ok();
}
