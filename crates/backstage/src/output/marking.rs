//! Machine-readable AI marking: every stream, file and frame shopcast writes says that its host is AI-generated.
//!
//! The rules this serves: China's Measures for Labeling AI-Generated Synthetic Content (in force from
//! 1 September 2025) with the national standard GB 45438-2025, which asks for an implicit label in a file's
//! metadata (an `AIGC` field naming the label, the producer and a content id) next to the visible one; and the EU
//! AI Act, Article 50(2), which asks for synthetic audio and video to be marked in a machine-readable format. The
//! visible label is the stage's "AI host" badge; this is the machine-readable one.
//!
//! Where it goes: ffmpeg's `-metadata` (FLV `onMetaData` for RTMP, MP4 tags with `use_metadata_tags`, Matroska
//! tags for recordings) and PNG `tEXt` chunks for rendered frames.

/// What the marking says: who produced the content and which show it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    /// The producer: "shopcast/<version>".
    pub producer: String,
    /// This run's show id (also in the log), so a clip can be traced back to the show and its audit log.
    pub show_id: String,
}

impl Marking {
    pub fn new(show_id: impl Into<String>) -> Marking {
        Marking { producer: format!("shopcast/{}", env!("CARGO_PKG_VERSION")), show_id: show_id.into() }
    }

    /// A show id from the wall clock and a random suffix: `show-20260504T101500Z-3f9a`.
    pub fn new_show_id(prefix: &str, now: model::UnixMs) -> String {
        let stamp = jiff::Timestamp::from_millisecond(now.0)
            .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
            .unwrap_or_else(|_| now.0.to_string());
        format!("{prefix}-{stamp}-{:04x}", fastrand::u16(..))
    }

    /// The human-readable statement (ASCII, so it also fits a PNG tEXt chunk).
    pub fn comment(&self) -> String {
        format!(
            "AI-generated content: the host of this live-commerce show is an AI virtual host (not a real person), \
             produced by {} (show {}).",
            self.producer, self.show_id
        )
    }

    /// The same in both languages of the show, for containers that take UTF-8.
    pub fn description(&self) -> String {
        format!("{} 本直播的主播是由人工智能生成的虚拟主播（shopcast）。", self.comment())
    }

    /// The `aigc` value: the implicit label's fields as GB 45438-2025 names them, as JSON.
    pub fn aigc(&self) -> String {
        serde_json::json!({
            "Label": "1",
            "ContentProducer": self.producer,
            "ProduceID": self.show_id,
            "ReservedCode1": "",
            "ContentPropagator": "",
            "PropagateID": "",
            "ReservedCode2": "",
        })
        .to_string()
    }

    /// ffmpeg output options that write the marking into the container's metadata.
    pub fn ffmpeg_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for (key, value) in [("comment", self.comment()), ("description", self.description()), ("aigc", self.aigc())] {
            args.push("-metadata".to_string());
            args.push(format!("{key}={value}"));
        }
        args
    }

    /// The PNG text chunks: keyword and Latin-1 (here ASCII) text.
    pub fn png_text(&self) -> [(&'static str, String); 2] {
        [("Comment", self.comment()), ("aigc", self.aigc())]
    }

    /// `png` (a whole PNG file) with the marking's tEXt chunks inserted right after its header chunk. Returns the
    /// file unchanged when it is not a PNG.
    pub fn mark_png(&self, png: &[u8]) -> Vec<u8> {
        // Signature (8) + IHDR: length (4), type (4), 13 bytes of data, CRC (4).
        const AFTER_IHDR: usize = 8 + 4 + 4 + 13 + 4;
        if png.len() < AFTER_IHDR || &png[..8] != b"\x89PNG\r\n\x1a\n" || &png[12..16] != b"IHDR" {
            return png.to_vec();
        }
        let mut out = Vec::with_capacity(png.len() + 512);
        out.extend_from_slice(&png[..AFTER_IHDR]);
        for (keyword, text) in self.png_text() {
            let mut data = Vec::with_capacity(keyword.len() + 1 + text.len());
            data.extend_from_slice(keyword.as_bytes());
            data.push(0);
            // tEXt is Latin-1: anything else is replaced rather than written as invalid text.
            data.extend(text.chars().map(|c| if c.is_ascii() { c as u8 } else { b'?' }));
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = out.len();
            out.extend_from_slice(b"tEXt");
            out.extend_from_slice(&data);
            let crc = crc32(&out[start..]);
            out.extend_from_slice(&crc.to_be_bytes());
        }
        out.extend_from_slice(&png[AFTER_IHDR..]);
        out
    }
}

/// The PNG text chunks of a file: (keyword, text) for every tEXt chunk whose CRC checks out.
pub fn png_text_chunks(png: &[u8]) -> Vec<(String, String)> {
    let mut chunks = Vec::new();
    let mut at = 8;
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]) as usize;
        let Some(end) = at.checked_add(12 + length).filter(|&e| e <= png.len()) else { break };
        let kind = &png[at + 4..at + 8];
        let data = &png[at + 8..at + 8 + length];
        let crc = u32::from_be_bytes([png[end - 4], png[end - 3], png[end - 2], png[end - 1]]);
        if kind == b"tEXt"
            && crc == crc32(&png[at + 4..at + 8 + length])
            && let Some(nul) = data.iter().position(|&b| b == 0)
        {
            let latin1 = |bytes: &[u8]| bytes.iter().map(|&b| b as char).collect::<String>();
            chunks.push((latin1(&data[..nul]), latin1(&data[nul + 1..])));
        }
        if kind == b"IEND" {
            break;
        }
        at = end;
    }
    chunks
}

/// CRC-32 (ISO 3309, as PNG uses it).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn the_marking_names_the_ai_host_the_producer_and_the_show() {
        let marking = Marking::new("show-1");
        assert!(marking.comment().contains("AI virtual host") && marking.comment().contains("shopcast/"));
        assert!(marking.comment().is_ascii());
        let aigc: serde_json::Value = serde_json::from_str(&marking.aigc()).unwrap();
        assert_eq!(aigc["Label"], "1");
        assert_eq!(aigc["ProduceID"], "show-1");
        assert!(aigc["ContentProducer"].as_str().unwrap().starts_with("shopcast/"));
        let args = marking.ffmpeg_args();
        assert_eq!(args.iter().filter(|a| *a == "-metadata").count(), 3);
        assert!(args.iter().any(|a| a.starts_with("aigc={")));
        assert!(args.iter().any(|a| a.starts_with("comment=AI-generated")));
        assert!(args.iter().any(|a| a.starts_with("description=") && a.contains("人工智能")));
        let id = Marking::new_show_id("show", model::UnixMs(1_777_000_000_000));
        assert!(id.starts_with("show-2026") && id.ends_with(|c: char| c.is_ascii_hexdigit()), "{id}");
    }

    #[test]
    fn png_files_get_text_chunks_that_read_back_and_still_decode() {
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(4, 3, image::Rgba([1, 2, 3, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let marking = Marking::new("show-7");
        let marked = marking.mark_png(&png);
        let chunks = png_text_chunks(&marked);
        assert!(chunks.contains(&("aigc".to_string(), marking.aigc())), "{chunks:?}");
        assert!(chunks.contains(&("Comment".to_string(), marking.comment())), "{chunks:?}");
        let decoded = image::load_from_memory(&marked).unwrap().to_rgba8();
        assert_eq!(decoded.get_pixel(3, 2).0, [1, 2, 3, 255]);
        assert_eq!(marking.mark_png(b"not a png"), b"not a png");
        assert!(png_text_chunks(b"\x89PNG\r\n\x1a\n\0\0\xff\xfftEXt").is_empty(), "a bad length is no panic");
    }
}
