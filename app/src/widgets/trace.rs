//! What one widget went through on its way to `WIDGET_READY`, step by step: the page shows its
//! state from it, and the console's diagnostics page shows every step.

use super::component::WidgetState;
use leptos::prelude::*;

/// Each field is a signal, so a page can follow the steps as they happen.
#[derive(Clone, Copy, Debug)]
pub struct Trace {
    pub state: RwSignal<WidgetState>,
    /// Whether the SDK script loaded from the Flow host (`None` while it loads).
    pub script: RwSignal<Option<bool>>,
    /// The `sdkVersion` the loaded SDK put in the widget's URL (`1.1`, `2.2.0`, …).
    pub sdk_version: RwSignal<Option<String>>,
    /// Requests the widget's frame sent from the Flow host (its handshake left out).
    pub requests: RwSignal<u32>,
    /// Requests the SDK passed on to Flowhost's callbacks.
    pub answered: RwSignal<u32>,
    /// Whether the widget was given an access token (`None` until it asked and was answered).
    pub token: RwSignal<Option<bool>>,
}

impl Trace {
    pub fn new() -> Trace {
        Trace {
            state: RwSignal::new(WidgetState::Idle),
            script: RwSignal::new(None),
            sdk_version: RwSignal::new(None),
            requests: RwSignal::new(0),
            answered: RwSignal::new(0),
            token: RwSignal::new(None),
        }
    }

    /// Back to the start, for another attempt.
    pub fn restart(&self) {
        self.state.set(WidgetState::Loading);
        self.script.set(None);
        self.sdk_version.set(None);
        self.requests.set(0);
        self.answered.set(0);
        self.token.set(None);
    }

    /// What the widget's silence means once the page stops waiting for `WIDGET_READY`: it was
    /// given a token and refused it; or its requests came from the Flow host and the SDK passed
    /// none of them on (it rejects its own widgets); or nothing came at all (the frame never
    /// started, as when third-party cookies are blocked).
    pub fn verdict(&self) -> WidgetState {
        if self.token.get_untracked() == Some(true) {
            WidgetState::SignInRefused
        } else if self.requests.get_untracked() > 0 && self.answered.get_untracked() == 0 {
            WidgetState::Rejected
        } else {
            WidgetState::NotStarted
        }
    }
}

impl Default for Trace {
    fn default() -> Self {
        Trace::new()
    }
}
