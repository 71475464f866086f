//! A room's stage, for renderers elsewhere: every stage command the room's director gives (captions, the pinned
//! offer, the mouth's visemes, the voice's audio) goes out on `shopcast.room.<id>.stage`, and a renderer
//! (`shopcast fleet render ROOM`) draws and streams the room from them. A renderer that joins late asks the room
//! (`shopcast.room.<id>.stage.hello`, request and reply) for what is on screen now: the pinned offer, the standby
//! or human-host card, the face's expression.
//!
//! Each renderer beats on `shopcast.room.<id>.stage.beat`; the room's console counts that as its stage's
//! heartbeat, so /healthz says when nobody draws the room.
//!
//! Plain NATS, not JetStream: a stage lives in the present, and a command missed while a renderer restarts is
//! replaced by the state the hello brings.
//!
//! On the wire, one message per command: 4 bytes (little-endian) giving the length of the command's JSON, the
//! JSON, then the line's audio as 16-bit little-endian samples (a `PlayLine` with a voice; its sample rate is in
//! the `Shopcast-Sample-Rate` header).

use crate::RoomId;
use model::{AudioClip, StageCommand};
use std::sync::Arc;

/// The header that carries a line's sample rate.
pub const SAMPLE_RATE_HEADER: &str = "Shopcast-Sample-Rate";

pub fn stage_subject(room: &RoomId) -> String {
    format!("shopcast.room.{room}.stage")
}

pub fn hello_subject(room: &RoomId) -> String {
    format!("shopcast.room.{room}.stage.hello")
}

/// A renderer says it is drawing the room, every [`BEAT_EVERY`]: the room's console shows the stage as alive.
pub fn beat_subject(room: &RoomId) -> String {
    format!("shopcast.room.{room}.stage.beat")
}

pub const BEAT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// `command` as one message: its body and its sample rate (for a line with audio).
pub fn encode(command: &StageCommand) -> Result<(Vec<u8>, Option<u32>), String> {
    let json = serde_json::to_vec(command).map_err(|e| e.to_string())?;
    let len = u32::try_from(json.len()).map_err(|_| "a stage command over 4 GiB".to_string())?;
    let audio = match command {
        StageCommand::PlayLine { audio: Some(clip), .. } => Some(clip),
        _ => None,
    };
    let mut body = Vec::with_capacity(4 + json.len() + audio.map_or(0, |a| a.samples.len() * 2));
    body.extend_from_slice(&len.to_le_bytes());
    body.extend_from_slice(&json);
    if let Some(clip) = audio {
        for sample in clip.samples.iter() {
            body.extend_from_slice(&sample.to_le_bytes());
        }
    }
    Ok((body, audio.map(|a| a.sample_rate)))
}

/// The command a message carries, with its audio when it has some; the error says what is wrong with it.
pub fn decode(body: &[u8], sample_rate: Option<u32>) -> Result<StageCommand, String> {
    let Some((len, rest)) = body.split_first_chunk::<4>() else {
        return Err(format!("a stage message of {} bytes is too short", body.len()));
    };
    let len = u32::from_le_bytes(*len) as usize;
    if len > rest.len() {
        return Err(format!("a stage message says its command is {len} bytes, but {} follow", rest.len()));
    }
    let (json, pcm) = rest.split_at(len);
    let mut command: StageCommand = serde_json::from_slice(json).map_err(|e| format!("not a stage command: {e}"))?;
    if let StageCommand::PlayLine { audio, .. } = &mut command
        && !pcm.is_empty()
    {
        let Some(sample_rate) = sample_rate.filter(|&r| r > 0) else {
            return Err(format!("a line's audio came without its {SAMPLE_RATE_HEADER} header"));
        };
        if pcm.len() % 2 != 0 {
            return Err("a line's audio has an odd number of bytes".to_string());
        }
        let samples: Arc<[i16]> = pcm.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
        *audio = Some(AudioClip { sample_rate, samples });
    }
    Ok(command)
}

/// What is on a room's screen now, beyond the line being said: what a renderer that joins late needs.
#[derive(Clone, Debug, Default)]
pub struct OnScreen {
    offer: Option<StageCommand>,
    standby: Option<StageCommand>,
    human_host: Option<StageCommand>,
    expression: Option<StageCommand>,
}

impl OnScreen {
    /// Follows `command`.
    pub fn apply(&mut self, command: &StageCommand) {
        match command {
            StageCommand::PinOffer(_) => self.offer = Some(command.clone()),
            StageCommand::UnpinOffer => self.offer = None,
            StageCommand::Standby { .. } => self.standby = Some(command.clone()),
            StageCommand::HumanHost { .. } => self.human_host = Some(command.clone()),
            StageCommand::Expression(_) => self.expression = Some(command.clone()),
            _ => {}
        }
    }

    /// The commands that bring a fresh stage to this state.
    pub fn commands(&self) -> Vec<StageCommand> {
        [&self.offer, &self.standby, &self.human_host, &self.expression].into_iter().flatten().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Lang, LineId};

    fn line(audio: Option<AudioClip>) -> StageCommand {
        StageCommand::PlayLine {
            line: LineId(7),
            text: "The tea set is 199 yuan.".into(),
            lang: Lang::En,
            duration_ms: 1200,
            visemes: Vec::new(),
            audio,
        }
    }

    #[test]
    fn commands_and_their_audio_cross_the_wire_whole() {
        let clip =
            AudioClip { sample_rate: 22_050, samples: (0..5000).map(|i| (i * 13 % 65536 - 32768) as i16).collect() };
        for command in
            [line(Some(clip.clone())), line(None), StageCommand::UnpinOffer, StageCommand::Standby { on: true }]
        {
            let (body, rate) = encode(&command).unwrap();
            assert_eq!(decode(&body, rate).unwrap(), command);
        }
        let (body, rate) = encode(&line(Some(clip))).unwrap();
        assert_eq!(rate, Some(22_050));
        // Damaged or partial messages are refused with a reason, never a panic.
        for cut in [0, 3, 4, 10, body.len() - 1] {
            let _ = decode(&body[..cut], rate);
        }
        assert!(decode(&body[..3], rate).unwrap_err().contains("too short"));
        assert!(decode(&body, None).unwrap_err().contains(SAMPLE_RATE_HEADER));
        assert!(decode(&[255, 255, 255, 255, b'{'], None).unwrap_err().contains("follow"));
        assert!(decode(&[1, 0, 0, 0, b'{'], None).unwrap_err().contains("not a stage command"));
    }

    #[test]
    fn a_late_renderer_gets_what_is_on_screen() {
        let mut screen = OnScreen::default();
        screen.apply(&StageCommand::Standby { on: true });
        screen.apply(&line(None));
        screen.apply(&StageCommand::Standby { on: false });
        screen.apply(&StageCommand::HumanHost { on: true });
        assert_eq!(screen.commands(), vec![StageCommand::Standby { on: false }, StageCommand::HumanHost { on: true }]);
        screen.apply(&StageCommand::UnpinOffer);
        assert_eq!(screen.commands().len(), 2);
    }
}
