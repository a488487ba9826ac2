//! The sandbox: Flowhost's demo mode and test double for the two Microsoft clouds it talks to,
//! Azure AD v2 (sign-in) and Power Automate (the embedded widgets and their REST API). It runs
//! on its own loopback origin and follows the services' documented behaviour, so Flowhost talks
//! to it exactly as it would to the real cloud. Its services arrive with sign-in and widgets.
