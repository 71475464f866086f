//! The stage's inbox: commands from the show, drained a bounded number per frame so a burst can never stall a
//! frame, and events back to the show, sent without waiting.

use bevy::prelude::*;
use model::{StageCommand, StageEvent};

/// At most this many commands are applied per frame; the rest wait for the next frame.
pub const MAX_COMMANDS_PER_FRAME: usize = 32;

/// The channels between the show and the stage. Closing the command sender leaves the stage showing its last
/// state; a full or closed event channel drops events (the show does not depend on them).
#[derive(Resource, Clone)]
pub struct StageLink {
    pub commands: async_channel::Receiver<StageCommand>,
    pub events: async_channel::Sender<StageEvent>,
}

impl StageLink {
    /// A link plus the show-side ends: (link, command sender, event receiver).
    pub fn new(
        capacity: usize,
    ) -> (StageLink, async_channel::Sender<StageCommand>, async_channel::Receiver<StageEvent>) {
        let (command_tx, commands) = async_channel::bounded(capacity);
        let (events, event_rx) = async_channel::bounded(capacity);
        (StageLink { commands, events }, command_tx, event_rx)
    }

    pub fn report(&self, event: StageEvent) {
        let _ = self.events.try_send(event);
    }
}

/// A command taken from the inbox this frame.
#[derive(Message, Clone, Debug)]
pub struct Command(pub StageCommand);

pub(crate) fn plugin(app: &mut App) {
    app.add_message::<Command>();
}

pub(crate) fn receive_commands(link: Res<StageLink>, mut out: MessageWriter<Command>) {
    for _ in 0..MAX_COMMANDS_PER_FRAME {
        match link.commands.try_recv() {
            Ok(command) => {
                out.write(Command(command));
            }
            Err(_) => break,
        }
    }
}
