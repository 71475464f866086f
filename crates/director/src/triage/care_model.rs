//! A learned second reader for care triage. The phrase rules in [`super::care`] go first and name what they
//! matched; this model reads what they miss: people write about wanting to die, being twelve, or spending the rent
//! in more ways than any list holds.
//!
//! It is a linear model (multinomial logistic regression) over hashed character n-grams, which read Chinese and
//! masked English alike, and word n-grams. It is trained at first use, in well under a second, on every care set
//! under testdata/heldout (comments written by people who had not read the rules, a set each; see that folder's
//! README), so what it learned can be read and retrained from text in the repository, and nothing is downloaded.
//!
//! It can only add a flag, never take one away from the rules, and it flags only when it is sure (see
//! [`THRESHOLD`]): ordinary chat stays ordinary. Its figures, measured with each set left out of training in turn,
//! are in BENCHMARKS.md ("Care triage: the learned reader").

use model::CareKind;
use std::sync::OnceLock;

/// Hash buckets for the features: 2^17 × 7 weights of 4 bytes, 3.7 MB, built once per process.
const BUCKETS: usize = 1 << 17;
/// Class 0 is "nothing a person must see"; the rest are the care kinds in this order.
const KINDS: [CareKind; 6] =
    [CareKind::Crisis, CareKind::Medical, CareKind::Minor, CareKind::Money, CareKind::Scam, CareKind::Access];
const CLASSES: usize = KINDS.len() + 1;

/// The model flags a comment when the best care kind is at least this likely.
pub const THRESHOLD: f32 = 0.5;

/// The sets the shipped model learns from: our own, written for these tests (testdata/heldout/README.md). Set W
/// is not among them: trained on it too, the reader flagged 1.69% of the public forum text as crisis instead of
/// 1.59% (BENCHMARKS.md, "Set W").
const TRAINING: &[&str] = &[
    include_str!("../../../../testdata/heldout/care_A.tsv"),
    include_str!("../../../../testdata/heldout/care_B.tsv"),
    include_str!("../../../../testdata/heldout/care_C.tsv"),
    include_str!("../../../../testdata/heldout/care_D.tsv"),
    include_str!("../../../../testdata/heldout/care_E.tsv"),
    include_str!("../../../../testdata/heldout/care_G.tsv"),
    include_str!("../../../../testdata/heldout/care_H.tsv"),
    include_str!("../../../../testdata/heldout/care_I.tsv"),
    include_str!("../../../../testdata/heldout/care_J.tsv"),
    include_str!("../../../../testdata/heldout/care_L.tsv"),
    include_str!("../../../../testdata/heldout/care_M.tsv"),
    include_str!("../../../../testdata/heldout/care_N.tsv"),
    include_str!("../../../../testdata/heldout/care_O.tsv"),
    include_str!("../../../../testdata/heldout/care_P.tsv"),
    include_str!("../../../../testdata/heldout/care_Q.tsv"),
    include_str!("../../../../testdata/heldout/care_R.tsv"),
    include_str!("../../../../testdata/heldout/care_S.tsv"),
    include_str!("../../../../testdata/heldout/care_T.tsv"),
    include_str!("../../../../testdata/heldout/care_U.tsv"),
    include_str!("../../../../testdata/heldout/care_V.tsv"),
];

/// Training settings, chosen with each set left out in turn (BENCHMARKS.md).
const EPOCHS: usize = 20;
const LEARNING_RATE: f32 = 0.3;
const L2: f32 = 0.0;

/// One labelled comment, its text already read the way [`super::care::care`] reads it.
#[derive(Clone, Debug)]
pub struct Example {
    pub text: String,
    pub class: usize,
}

/// The class of a care set's category: `crisis_plan` and `crisis_despair` are both crisis; a complaint is for the
/// shop's staff, not a care kind. `None` for a category this model does not know.
pub fn class_of(category: &str) -> Option<usize> {
    let kind = match category {
        "ordinary" | "complaint" => return Some(0),
        "crisis_plan" | "crisis_despair" => CareKind::Crisis,
        "medical" => CareKind::Medical,
        "minor" => CareKind::Minor,
        "money" => CareKind::Money,
        "scam" => CareKind::Scam,
        "access" => CareKind::Access,
        _ => return None,
    };
    KINDS.iter().position(|k| *k == kind).map(|i| i + 1)
}

/// The comment as the care rules read it: normalised (see [`super::normalize`]) and in simplified characters.
pub fn reading(raw: &str) -> String {
    crate::cantonese::simplified_reading(&super::normalize::normalize(raw).text)
}

/// Examples from a care set (`category  lang  comment` per line); lines with an unknown category are skipped.
pub fn examples(tsv: &str) -> Vec<Example> {
    tsv.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let class = class_of(fields.next()?)?;
            let text = fields.nth(1)?;
            Some(Example { text: reading(text), class })
        })
        .collect()
}

pub struct CareModel {
    /// `BUCKETS × CLASSES`, feature-major.
    weights: Vec<f32>,
    bias: [f32; CLASSES],
}

/// The model the show uses, trained on first use from [`TRAINING`].
pub fn shipped() -> &'static CareModel {
    static MODEL: OnceLock<CareModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let examples: Vec<Example> = TRAINING.iter().flat_map(|set| examples(set)).collect();
        CareModel::train(&examples)
    })
}

impl CareModel {
    /// Trains on `examples` with AdaGrad over a fixed shuffle, so the same data always gives the same model.
    pub fn train(examples: &[Example]) -> CareModel {
        let mut model = CareModel { weights: vec![0.0; BUCKETS * CLASSES], bias: [0.0; CLASSES] };
        let mut squares = vec![1e-6f32; BUCKETS * CLASSES];
        let mut bias_squares = [1e-6f32; CLASSES];
        let features: Vec<Vec<u32>> = examples.iter().map(|e| features(&e.text)).collect();
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = fastrand::Rng::with_seed(17);
        for _ in 0..EPOCHS {
            rng.shuffle(&mut order);
            for &i in &order {
                let f = &features[i];
                let scale = scale(f);
                let p = model.probabilities_of(f);
                for c in 0..CLASSES {
                    let target = if c == examples[i].class { 1.0 } else { 0.0 };
                    let g = p[c] - target;
                    bias_squares[c] += g * g;
                    model.bias[c] -= LEARNING_RATE * g / bias_squares[c].sqrt();
                    let gx = g * scale;
                    for &b in f {
                        let at = b as usize * CLASSES + c;
                        let gx = gx + L2 * model.weights[at];
                        squares[at] += gx * gx;
                        model.weights[at] -= LEARNING_RATE * gx / squares[at].sqrt();
                    }
                }
            }
        }
        model
    }

    fn probabilities_of(&self, features: &[u32]) -> [f32; CLASSES] {
        let scale = scale(features);
        let mut logits = self.bias;
        for &b in features {
            let row = &self.weights[b as usize * CLASSES..(b as usize + 1) * CLASSES];
            for (l, w) in logits.iter_mut().zip(row) {
                *l += w * scale;
            }
        }
        let top = logits.iter().copied().fold(f32::MIN, f32::max);
        let mut sum = 0.0;
        for l in &mut logits {
            *l = (*l - top).exp();
            sum += *l;
        }
        logits.map(|e| e / sum)
    }

    /// The likeliest care kind for a comment read by [`reading`], and how likely the model finds it.
    pub fn likeliest(&self, reading: &str) -> (CareKind, f32) {
        let p = self.probabilities_of(&features(reading));
        let (best, chance) = p[1..]
            .iter()
            .enumerate()
            .fold((0, f32::MIN), |(bi, bp), (i, &pi)| if pi > bp { (i, pi) } else { (bi, bp) });
        (KINDS[best], chance)
    }

    /// The care kind when the model is sure enough to call a person ([`THRESHOLD`]).
    pub fn flag(&self, reading: &str) -> Option<CareKind> {
        let (kind, chance) = self.likeliest(reading);
        (chance >= THRESHOLD).then_some(kind)
    }
}

/// Each comment counts the same however long it is.
fn scale(features: &[u32]) -> f32 {
    1.0 / (features.len().max(1) as f32).sqrt()
}

/// Hashed features of a reading: character n-grams of 1 to 4 (single characters only for Chinese, where one
/// character is a word), and words and word pairs of Latin text; each counted once.
pub fn features(reading: &str) -> Vec<u32> {
    let mut chars: Vec<char> = Vec::with_capacity(reading.len() + 2);
    chars.push(' ');
    for c in reading.chars().flat_map(char::to_lowercase) {
        let c = if c.is_whitespace() { ' ' } else { c };
        if !(c == ' ' && chars.last() == Some(&' ')) {
            chars.push(c);
        }
    }
    if chars.last() != Some(&' ') {
        chars.push(' ');
    }
    let mut out = Vec::with_capacity(chars.len() * 5);
    // Each n-gram's hash extends the one before it from the same start, a character at a time.
    for start in 0..chars.len() {
        let mut h = Mix::new();
        for n in 1..=4.min(chars.len() - start) {
            let c = chars[start + n - 1];
            h.char(c);
            let spaces_only = chars[start..start + n].iter().all(|c| *c == ' ');
            if (n == 1 && !is_han(c)) || spaces_only {
                continue;
            }
            out.push(h.bucket(n as u64));
        }
    }
    let words: Vec<&str> =
        reading.split(|c: char| (is_han(c) || !c.is_alphanumeric()) && c != '\'').filter(|w| !w.is_empty()).collect();
    let lower = |h: &mut Fnv, word: &str| word.chars().flat_map(char::to_lowercase).for_each(|c| h.char(c));
    for (i, word) in words.iter().enumerate() {
        let mut h = Fnv::new(10);
        lower(&mut h, word);
        out.push(h.bucket());
        if let Some(next) = words.get(i + 1) {
            let mut h = Fnv::new(11);
            lower(&mut h, word);
            h.char(' ');
            lower(&mut h, next);
            out.push(h.bucket());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// A hash of a character n-gram fed a character at a time (multiply and rotate over whole characters), with the
/// n-gram's length mixed in at the end so "ab" and the "ab" of "abc" are different features.
struct Mix(u64);

impl Mix {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new() -> Mix {
        Mix(0x243F_6A88_85A3_08D3)
    }

    fn char(&mut self, c: char) {
        self.0 = (self.0 ^ u64::from(c)).wrapping_mul(Self::K).rotate_left(29);
    }

    fn bucket(&self, n: u64) -> u32 {
        let h = (self.0 ^ n.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)).wrapping_mul(Self::K);
        ((h >> 32) % BUCKETS as u64) as u32
    }
}

/// FNV-1a over a tag and the UTF-8 bytes of a feature's characters, folded into [`BUCKETS`]; fed a character at a
/// time, so no feature is built as a string.
struct Fnv(u64);

impl Fnv {
    fn new(tag: u8) -> Fnv {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.byte(tag);
        h
    }

    fn byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        c.encode_utf8(&mut buf).bytes().for_each(|b| self.byte(b));
    }

    fn bucket(&self) -> u32 {
        (self.0 % BUCKETS as u64) as u32
    }
}
