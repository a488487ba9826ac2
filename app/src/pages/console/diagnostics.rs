//! The console's diagnostics page: the Flow host and resource Flowhost uses, a test widget run
//! as the staff member with the result of each step, and the widgets the SDK rejected on
//! customers' pages.

use super::super::loaded;
use super::console_nav;
use super::test_widget::TestWidget;
use crate::diagnostics::{Diagnostics, Rejection, get_diagnostics};
use i18n::{Lang, t};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    let lang = crate::lang::use_lang();
    let diagnostics = Resource::new(|| (), |_| get_diagnostics());
    loaded(diagnostics, move |d: Diagnostics| {
        let script = format!("{}/Content/msflowsdk-1.1.js", d.flow_host);
        let here = crate::components::here();
        view! {
            <Title text=t!(lang, "diagnostics-title")/>
            {console_nav(lang)}
            <h1>{t!(lang, "diagnostics-heading")}</h1>
            <section aria-labelledby="diagnostics-settings">
                <h2 id="diagnostics-settings">{t!(lang, "diagnostics-settings-heading")}</h2>
                <dl class="facts" data-testid="flow-settings">
                    <dt>{t!(lang, "diagnostics-flow-host-term")}</dt>
                    <dd><code>{d.flow_host.clone()}</code>" "{t!(lang, "diagnostics-flow-host-note")}</dd>
                    <dt>{t!(lang, "diagnostics-flow-resource-term")}</dt>
                    <dd><code>{d.flow_resource.clone()}</code>" "{t!(lang, "diagnostics-flow-resource-note")}</dd>
                    <dt>{t!(lang, "diagnostics-script-term")}</dt>
                    <dd><code>{script}</code></dd>
                </dl>
            </section>
            <section aria-labelledby="diagnostics-test">
                <h2 id="diagnostics-test">{t!(lang, "diagnostics-test-heading")}</h2>
                <p>{t!(lang, "diagnostics-test-intro")}</p>
                {crate::widgets::strings::texts_element(lang)}
                <TestWidget panel=d.panel here words=super::test_widget::StepWords::new(lang)/>
            </section>
            <Rejections rejections=d.rejections lang/>
        }
    })
}

#[component]
fn Rejections(rejections: Vec<Rejection>, lang: Lang) -> impl IntoView {
    view! {
        <section aria-labelledby="diagnostics-rejections">
            <h2 id="diagnostics-rejections">{t!(lang, "diagnostics-rejections-heading")}</h2>
            {if rejections.is_empty() {
                view! { <p class="muted">{t!(lang, "diagnostics-rejections-none")}</p> }.into_any()
            } else {
                view! {
                    <table class="records" data-testid="rejections">
                        <thead><tr>
                            <th>{t!(lang, "diagnostics-column-version")}</th>
                            <th class="num">{t!(lang, "diagnostics-column-reports")}</th>
                            <th>{t!(lang, "diagnostics-column-first")}</th>
                            <th>{t!(lang, "diagnostics-column-last")}</th>
                            <th>{t!(lang, "diagnostics-column-where")}</th>
                        </tr></thead>
                        <tbody>
                            {rejections.into_iter().map(|r| view! {
                                <tr>
                                    <td>{r.sdk_version.clone()}</td>
                                    <td class="num">{i18n::number(lang, r.reports)}</td>
                                    <td>{i18n::date_time(lang, r.first_at)}</td>
                                    <td>{i18n::date_time(lang, r.last_at)}</td>
                                    <td>{t!(lang, "diagnostics-where", organisation = r.organisation.as_str(), page = r.page.as_str())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
