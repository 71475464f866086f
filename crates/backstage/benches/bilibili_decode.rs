//! Benchmark: Bilibili live danmaku messages decoded per second (packets to comments), uncompressed, and in zlib
//! and brotli bodies of 20 messages each, with the decoder's memory bounded (each decompressed body at most
//! 4 MiB, whatever the flood).
//!
//! Run with `cargo bench -p backstage --bench bilibili_decode`. The goal is 1,000,000 messages/s on one core,
//! uncompressed (issue "Where live commerce happens"). The brotli bodies are made with a stored (uncompressed)
//! meta-block, as the published frame in ../shared/PLATFORMS.md is, since no brotli encoder is a dependency.

use backstage::chat::bilibili_live::decode;
use std::io::Write;
use std::time::Instant;

const DANMU: &str = r#"{"cmd":"DANMU_MSG:4:0:2:2:2:0","info":[[0,1,25,16777215,1700000000123,1234567,0,"abcd",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":\"364b06e3c561af3d5921f1253d66c1d575\",\"content\":\"多少钱\"}"}],"这个茶具多少钱？有优惠吗",[2233,"小明",0,0,0,10000,1,""],[],[10,0,9868950,">50000"],["",""],0,0,null,{"ts":1700000000,"ct":"A1"},0,0,null,null,0,13]}"#;

fn packet(ver: u16, op: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(&((16 + body.len()) as u32).to_be_bytes());
    out.extend_from_slice(&16u16.to_be_bytes());
    out.extend_from_slice(&ver.to_be_bytes());
    out.extend_from_slice(&op.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// A brotli stream of one uncompressed meta-block holding `data` (under 64 KiB): WBITS 16, ISLAST 0, MNIBBLES 4,
/// MLEN-1, ISUNCOMPRESSED 1, padded to a byte, the bytes, then an empty last meta-block.
fn brotli_stored(data: &[u8]) -> Vec<u8> {
    assert!(!data.is_empty() && data.len() <= 65536);
    let mut bits: Vec<bool> = Vec::new();
    let push = |value: u64, n: usize, bits: &mut Vec<bool>| (0..n).for_each(|i| bits.push(value >> i & 1 == 1));
    push(0, 1, &mut bits); // WBITS = 16
    push(0, 1, &mut bits); // ISLAST = 0
    push(0, 2, &mut bits); // MNIBBLES = 4
    push((data.len() - 1) as u64, 16, &mut bits);
    push(1, 1, &mut bits); // ISUNCOMPRESSED
    while !bits.len().is_multiple_of(8) {
        bits.push(false);
    }
    let mut out: Vec<u8> =
        bits.chunks(8).map(|b| b.iter().enumerate().fold(0u8, |a, (i, &v)| a | (u8::from(v) << i))).collect();
    out.extend_from_slice(data);
    out.push(0b0000_0011); // ISLAST = 1, ISLASTEMPTY = 1
    out
}

fn run(name: &str, frame: &[u8], per_frame: usize, frames: usize) {
    let started = Instant::now();
    let mut comments = 0usize;
    for _ in 0..frames {
        comments += decode(frame).events.len();
    }
    let took = started.elapsed();
    let messages = per_frame * frames;
    assert_eq!(comments, messages, "{name}: every message decoded");
    println!("{name}: {messages} messages in {took:?} = {:.0} messages/s", messages as f64 / took.as_secs_f64());
}

fn main() {
    let one = packet(0, 5, DANMU.as_bytes());
    run("uncompressed, one message a packet", &one, 1, 1_000_000);

    let inner: Vec<u8> = (0..20).flat_map(|_| one.clone()).collect();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&inner).unwrap();
    let zlib = packet(2, 5, &encoder.finish().unwrap());
    run("zlib body of 20", &zlib, 20, 50_000);

    let brotli = packet(3, 5, &brotli_stored(&inner));
    run("brotli body of 20", &brotli, 20, 50_000);

    // A flood: one frame of 10,000 messages in a zlib body is decoded within the body bound.
    let flood_inner: Vec<u8> = (0..10_000).flat_map(|_| one.clone()).collect();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&flood_inner).unwrap();
    let flood = packet(2, 5, &encoder.finish().unwrap());
    let decoded = decode(&flood);
    println!(
        "flood: a {} KiB frame inflating to {} KiB gave {} messages (bound 4 MiB per body)",
        flood.len() / 1024,
        flood_inner.len() / 1024,
        decoded.events.len()
    );
}
