//! Flowhost's own wording around the widgets, in the user's language: the widget area's
//! messages, and the texts the widgets ask for with `GET_STRINGS`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    /// The first language of an `Accept-Language` header that Flowhost speaks; English
    /// otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut ranked: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked
            .into_iter()
            .find_map(
                |(_, tag)| match tag.split('-').next()?.to_ascii_lowercase().as_str() {
                    "nl" => Some(Lang::Nl),
                    "en" => Some(Lang::En),
                    _ => None,
                },
            )
            .unwrap_or_default()
    }

    /// The locale the widget SDK is created with.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en-us",
            Lang::Nl => "nl-nl",
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The `GET_STRINGS` answer: the texts of the create and run buttons and headers, by the
    /// keys the widgets read.
    pub fn widget_strings(self) -> [(&'static str, &'static str); 4] {
        match self {
            Lang::En => [
                ("FLOW_CREATION_CREATE_BUTTON", "Create the flow"),
                ("FLOW_CREATION_HEADER", "Automate this record"),
                ("INVOKE_FLOW_HEADER", "Run a flow on this record"),
                ("INVOKE_FLOW_RUN_FLOW_BUTTON", "Run the flow"),
            ],
            Lang::Nl => [
                ("FLOW_CREATION_CREATE_BUTTON", "De stroom maken"),
                ("FLOW_CREATION_HEADER", "Dit record automatiseren"),
                ("INVOKE_FLOW_HEADER", "Een stroom uitvoeren op dit record"),
                ("INVOKE_FLOW_RUN_FLOW_BUTTON", "De stroom uitvoeren"),
            ],
        }
    }

    pub fn text(self, message: Message) -> &'static str {
        use Message::*;
        match (self, message) {
            (Lang::En, Loading) => "Loading Power Automate…",
            (Lang::Nl, Loading) => "Power Automate wordt geladen…",
            (Lang::En, NeedsJavaScript) => {
                "The Power Automate widgets need JavaScript. Turn it on to create, run and approve flows here; the rest of the page works without it."
            }
            (Lang::Nl, NeedsJavaScript) => {
                "De Power Automate-widgets hebben JavaScript nodig. Zet het aan om hier stromen te maken, uit te voeren en goed te keuren; de rest van de pagina werkt zonder."
            }
            (Lang::En, Unreachable) => {
                "Power Automate could not be reached. Check your connection and try again; the rest of this page keeps working."
            }
            (Lang::Nl, Unreachable) => {
                "Power Automate is niet bereikbaar. Controleer je verbinding en probeer het opnieuw; de rest van deze pagina blijft werken."
            }
            (Lang::En, NotStarted) => {
                "The Power Automate widget did not start. This usually means your browser blocks third-party cookies for the Power Automate site: allow cookies for it (in Chrome: Settings › Privacy and security › Third-party cookies › Sites allowed to use third-party cookies), then try again."
            }
            (Lang::Nl, NotStarted) => {
                "De Power Automate-widget is niet gestart. Meestal blokkeert je browser cookies van derden voor de Power Automate-site: sta cookies voor die site toe (in Chrome: Instellingen › Privacy en beveiliging › Cookies van derden › Sites die cookies van derden mogen gebruiken) en probeer het opnieuw."
            }
            (Lang::En, SignInRefused) => {
                "Power Automate did not accept your sign-in. Reconnect to Power Automate; if it keeps happening, contact your administrator."
            }
            (Lang::Nl, SignInRefused) => {
                "Power Automate heeft je aanmelding niet geaccepteerd. Maak opnieuw verbinding met Power Automate; gebeurt het vaker, neem dan contact op met je beheerder."
            }
            (Lang::En, Reconnect) => {
                "Your connection to Power Automate has expired. Reconnect to continue; you will come back to this page."
            }
            (Lang::Nl, Reconnect) => {
                "Je verbinding met Power Automate is verlopen. Maak opnieuw verbinding om verder te gaan; je komt terug op deze pagina."
            }
            (Lang::En, NotProvisioned) => {
                "Power Automate is not set up for your organisation yet. Ask your administrator to open Power Automate once, then try again."
            }
            (Lang::Nl, NotProvisioned) => {
                "Power Automate is nog niet ingesteld voor je organisatie. Vraag je beheerder Power Automate één keer te openen en probeer het daarna opnieuw."
            }
            (Lang::En, TokenUnavailable) => {
                "Flowhost cannot get you into Power Automate right now. Try again in a minute."
            }
            (Lang::Nl, TokenUnavailable) => {
                "Flowhost kan je nu niet aanmelden bij Power Automate. Probeer het over een minuut opnieuw."
            }
            (Lang::En, Closed) => "This panel is closed.",
            (Lang::Nl, Closed) => "Dit paneel is gesloten.",
            (Lang::En, Retry) => "Try again",
            (Lang::Nl, Retry) => "Opnieuw proberen",
            (Lang::En, ReconnectButton) => "Reconnect to Power Automate",
            (Lang::Nl, ReconnectButton) => "Opnieuw verbinden met Power Automate",
            (Lang::En, Open) => "Open again",
            (Lang::Nl, Open) => "Opnieuw openen",
            (Lang::En, ActionFailed) => "The flow could not be started:",
            (Lang::Nl, ActionFailed) => "De stroom kon niet worden gestart:",
        }
    }
}

/// A message of the widget area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    Loading,
    NeedsJavaScript,
    Unreachable,
    NotStarted,
    SignInRefused,
    Reconnect,
    NotProvisioned,
    TokenUnavailable,
    Closed,
    Retry,
    ReconnectButton,
    Open,
    ActionFailed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_follows_accept_language() {
        assert_eq!(
            Lang::from_accept_language("nl-NL,nl;q=0.9,en;q=0.8"),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,nl;q=0.5,en;q=0.7"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("fr"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::Nl.locale(), "nl-nl");
    }
}
