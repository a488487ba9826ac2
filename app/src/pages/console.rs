//! The ISV console under `/admin/widgets`: which widget appears where with what settings, per
//! tenant; history and restore; export and import. For `Flowhost.IsvAdmin` only.

use super::loaded;
use super::staff_previews::StaffPreviews;
use crate::components::{FieldError, Notice, TextArea, when};
use crate::console::{
    Console, History, ImportPage as ImportData, PlacementEditor, get_console, get_history,
    get_import_page, get_placement_editor,
};
use crate::widgets::FlowWidgets;
use domain::FieldErrors;
use domain::placeholders::PLACEHOLDERS;
use domain::placement::settings::TRIGGER_KINDS;
use domain::placement::{Kind, PageKind, WidgetType, spec};
use domain::widget_config::{FormValues, SLOTS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn query(name: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || q.read().get(name).filter(|v| !v.is_empty())
}

fn console_nav() -> impl IntoView {
    view! {
        <nav class="crumbs" aria-label="Console">
            <a href="/admin/widgets">"Widgets"</a>" · "
            <a href="/admin/widgets/history">"History"</a>" · "
            <a href="/admin/widgets/import">"Import"</a>" · "
            <a href="/admin/widgets/export" rel="external" download="flowhost-widgets.json">"Export"</a>
        </nav>
    }
}

#[component]
pub fn WidgetConsolePage() -> impl IntoView {
    let tenant = query("tenant");
    let console = Resource::new(tenant, get_console);
    loaded(console, move |c: Console| {
        let selected = c.tenant.clone();
        let tenant_q = selected
            .as_ref()
            .map(|t| format!("?tenant={t}"))
            .unwrap_or_default();
        view! {
            <Title text="Widgets · Console"/>
            {console_nav()}
            <div class="page-head">
                <h1>"Widgets"</h1>
                <a class="button" href="/admin/widgets/new">"Add a placement"</a>
            </div>
            <Notice message=c.notice.clone()/>
            <p class="summary" data-testid="config-version">
                {format!("Version {} · saved by {} · {}", c.version, c.saved_by, when(c.saved_at))}
            </p>
            <form class="search" method="get" action="/admin/widgets">
                <label for="tenant">"As seen by"</label>
                <select id="tenant" name="tenant">
                    <option value="" selected=selected.is_none()>"Every organisation (the defaults)"</option>
                    {c.tenants.iter().map(|t| {
                        let on = selected.as_ref() == Some(&t.id);
                        view! { <option value=t.id.to_string() selected=on>{t.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <button type="submit">"Show"</button>
            </form>
            <table class="records" data-testid="placements">
                <thead><tr>
                    <th>"Page"</th><th>"Slot"</th><th>"Widget"</th><th>"Title"</th><th class="num">"Order"</th><th>"Shown"</th>
                    {selected.is_some().then(|| view! { <th>"For this organisation"</th> })}
                    <th></th>
                </tr></thead>
                <tbody>
                    {c.rows.into_iter().map(|r| {
                        let href = format!("/admin/widgets/{}{tenant_q}", r.key);
                        let state = if r.overridden.is_empty() {
                            "inherited".to_owned()
                        } else {
                            format!("overridden: {}", r.overridden.join(", "))
                        };
                        view! {
                            <tr data-key=r.key.clone()>
                                <td>{r.page.label()}</td>
                                <td>{r.slot}</td>
                                <td>{r.widget.label()}</td>
                                <td>{r.title}</td>
                                <td class="num">{r.order}</td>
                                <td>{if r.enabled { "yes" } else { "no" }}</td>
                                {selected.is_some().then(|| view! { <td class="muted" data-testid="override-state">{state}</td> })}
                                <td><a href=href>"Edit"</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}

/// A form's fields with their values, errors, and for an override what each inherits.
#[derive(Clone)]
struct Fields {
    values: FormValues,
    errors: FieldErrors,
    inherited: Option<FormValues>,
    overridden: Vec<String>,
    locked: bool,
}

impl Fields {
    fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    fn invalid(&self, name: &str) -> String {
        self.errors.get(name).is_some().to_string()
    }

    /// Under an override's field: whether it is the tenant's own or inherited, and from what.
    fn origin(&self, name: &str) -> Option<AnyView> {
        let inherited = self.inherited.as_ref()?;
        let base = inherited.get(name).cloned().unwrap_or_default();
        let text = if self.overridden.iter().any(|f| f == name) {
            format!("overridden (the default is \u{201c}{base}\u{201d})")
        } else {
            "inherited".to_owned()
        };
        Some(view! { <p class="hint" data-origin=name.to_owned()>{text}</p> }.into_any())
    }

    fn text(&self, name: &str, label: &str, hint: &str) -> AnyView {
        let (name, label, hint) = (name.to_owned(), label.to_owned(), hint.to_owned());
        view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                <input id=name.clone() name=name.clone() type="text" value=self.value(&name)
                    aria-invalid=self.invalid(&name) aria-describedby=format!("{name}-error")/>
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                {self.origin(&name)}
                <FieldError id=format!("{name}-error") message=self.errors.get(&name).map(str::to_owned)/>
            </div>
        }
        .into_any()
    }

    fn area(&self, name: &str, label: &str, hint: &str) -> AnyView {
        let (name, label, hint) = (name.to_owned(), label.to_owned(), hint.to_owned());
        view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                <TextArea id=name.clone() rows=3 text=self.value(&name) invalid=self.errors.get(&name).is_some()/>
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                {self.origin(&name)}
                <FieldError id=format!("{name}-error") message=self.errors.get(&name).map(str::to_owned)/>
            </div>
        }
        .into_any()
    }

    fn check(&self, name: &str, label: &str) -> AnyView {
        let (name, label) = (name.to_owned(), label.to_owned());
        view! {
            <div class="field check">
                <label><input type="checkbox" name=name.clone() checked=!self.value(&name).is_empty()/>" "{label}</label>
                {self.origin(&name)}
            </div>
        }
        .into_any()
    }

    /// A choice among words; locked (shown, carried in a hidden field) for an override.
    fn select(&self, name: &str, label: &str, options: Vec<(String, String)>) -> AnyView {
        let (name, label) = (name.to_owned(), label.to_owned());
        let current = self.value(&name);
        if self.locked {
            let shown = options
                .iter()
                .find(|(v, _)| *v == current)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| current.clone());
            return view! {
                <div class="field">
                    <span class="label">{label}</span>
                    <span>{shown}</span>
                    <input type="hidden" name=name value=current/>
                </div>
            }
            .into_any();
        }
        view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                <select id=name.clone() name=name.clone() aria-invalid=self.invalid(&name) aria-describedby=format!("{name}-error")>
                    {options.into_iter().map(|(value, text)| {
                        let on = value == current;
                        view! { <option value=value selected=on>{text}</option> }
                    }).collect_view()}
                </select>
                {self.origin(&name)}
                <FieldError id=format!("{name}-error") message=self.errors.get(&name).map(str::to_owned)/>
            </div>
        }
        .into_any()
    }
}

fn words(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

/// The line under a field that may hold placeholders, naming them all.
fn placeholders_hint() -> String {
    let names: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(n, _)| format!("{{{n}}}"))
        .collect();
    format!("Placeholders: {}.", names.join(", "))
}

/// The fields of a widget type's settings, as its description lists them.
fn settings_fields(f: &Fields, widget: WidgetType) -> AnyView {
    spec(widget)
        .settings
        .iter()
        .map(|s| {
            let hint = match s.kind {
                Kind::Text { .. } | Kind::Filter | Kind::Params if s.hint.is_empty() => {
                    placeholders_hint()
                }
                _ => s.hint.to_owned(),
            };
            match s.kind {
                Kind::Text { .. } | Kind::Filter | Kind::Id | Kind::Number { .. } => {
                    f.text(s.name, s.label, &hint)
                }
                Kind::Params => f.area(s.name, s.label, &hint),
                Kind::Flag => f.check(s.name, s.label),
                Kind::Choice(choices) => f.select(s.name, s.label, words(choices)),
                Kind::Trigger => {
                    let (kind, id) = (format!("{}Kind", s.name), format!("{}Id", s.name));
                    view! {
                        {f.select(&kind, s.label, words(TRIGGER_KINDS))}
                        {f.text(&id, "Template or flow id", "")}
                    }
                    .into_any()
                }
            }
        })
        .collect_view()
        .into_any()
}

#[component]
pub fn PlacementPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.read().get("key");
    let widget = query("widget");
    let page = query("page");
    let tenant = query("tenant");
    let editor = Resource::new(
        move || (key(), widget(), page(), tenant()),
        |(key, widget, page, tenant)| get_placement_editor(key, widget, page, tenant),
    );
    loaded(editor, |e: PlacementEditor| editor_view(e))
}

fn editor_view(e: PlacementEditor) -> impl IntoView {
    let form = e.draft.form.clone();
    let fields = Fields {
        values: form.values.clone(),
        errors: form.errors.clone(),
        inherited: e.tenant.as_ref().map(|_| e.inherited.clone()),
        overridden: e.overridden.clone(),
        locked: e.tenant.is_some(),
    };
    let action = if e.is_new {
        "/admin/widgets/new".to_owned()
    } else {
        format!("/admin/widgets/{}", e.key)
    };
    let heading = match (&e.tenant, e.is_new) {
        (_, true) => format!("New {} placement", e.widget.label()),
        (Some(t), false) => format!("{} for {}", e.key, t.name),
        (None, false) => format!("Placement {}", e.key),
    };
    let pages: Vec<(String, String)> = PageKind::ALL
        .iter()
        .map(|p| (p.as_str().to_owned(), p.label().to_owned()))
        .collect();
    let slots: Vec<(String, String)> = SLOTS
        .iter()
        .map(|s| ((*s).to_owned(), (*s).to_owned()))
        .collect();
    let preview_for = e.draft.preview_for.clone();
    let preview_tenant = preview_for
        .get("preview_tenant")
        .cloned()
        .or_else(|| e.tenant.as_ref().map(|t| t.id.to_string()))
        .unwrap_or_default();
    let notice_error = !form.errors.is_empty();
    view! {
        <Title text=heading.clone()/>
        {console_nav()}
        <h1>{heading}</h1>
        {e.is_new.then(|| view! {
            <form class="search" method="get" action="/admin/widgets/new">
                <label for="widget">"Widget"</label>
                <select id="widget" name="widget">
                    {WidgetType::ALL.iter().map(|w| view! {
                        <option value=w.as_str() selected=*w == e.widget>{w.label()}</option>
                    }).collect_view()}
                </select>
                <label for="page-choice">"on the"</label>
                <select id="page-choice" name="page">
                    {PageKind::ALL.iter().map(|p| {
                        let on = fields.value("page") == p.as_str();
                        view! { <option value=p.as_str() selected=on>{p.label()}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="button secondary">"Choose"</button>
            </form>
        })}
        <Notice message=form.notice.clone() error=notice_error/>
        <form class="record-form" method="post" action=action data-testid="placement-form">
            <input type="hidden" name="csrf_token" value=e.csrf.clone()/>
            <input type="hidden" name="revision" value=e.revision.to_string()/>
            <input type="hidden" name="widget" value=e.widget.as_str()/>
            {e.tenant.as_ref().map(|t| view! { <input type="hidden" name="tenant" value=t.id.to_string()/> })}
            {if e.is_new {
                fields.text("key", "Key", "Lower-case letters, digits and hyphens; it never changes.")
            } else {
                view! { <input type="hidden" name="key" value=e.key.clone()/> }.into_any()
            }}
            {fields.select("page", "Page", pages)}
            {fields.select("slot", "Slot", slots)}
            {fields.text("order", "Order", "Lower numbers come first.")}
            {fields.check("enabled", "Shown")}
            {fields.text("title", "Title", "")}
            {settings_fields(&fields, e.widget)}
            <fieldset class="preview-choice">
                <legend>"Preview for a record"</legend>
                <label for="preview_tenant">"Organisation"</label>
                <select id="preview_tenant" name="preview_tenant">
                    {e.tenants.iter().map(|t| {
                        let on = t.id.to_string() == preview_tenant;
                        view! { <option value=t.id.to_string() selected=on>{t.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <label for="preview_account">"Account id"</label>
                <input id="preview_account" name="preview_account" type="text" size="6"
                    value=preview_for.get("preview_account").cloned().unwrap_or_default()/>
                <label for="preview_ticket">"Ticket id"</label>
                <input id="preview_ticket" name="preview_ticket" type="text" size="6"
                    value=preview_for.get("preview_ticket").cloned().unwrap_or_default()/>
                <p class="hint">"Empty: the organisation's first account and its newest ticket."</p>
                <FieldError id="preview-error" message=form.errors.get("preview").map(str::to_owned)/>
            </fieldset>
            <p class="actions">
                <button type="submit" name="intent" value="save">"Save"</button>
                <button type="submit" name="intent" value="preview" class="button secondary">"Preview"</button>
                {(e.tenant.is_some() && !e.overridden.is_empty()).then(|| view! {
                    <button type="submit" name="intent" value="inherit" class="button secondary">"Inherit everything"</button>
                })}
                {(e.tenant.is_none() && !e.is_new).then(|| view! {
                    <button type="submit" name="intent" value="delete" class="button secondary">"Remove"</button>
                })}
            </p>
        </form>
        {e.draft.preview.map(|p| view! {
            <section class="preview" data-testid="preview">
                <h2>"Preview"</h2>
                <p class="muted">{format!("For {}. The widget below runs as you, in your own default environment.", p.record)}</p>
                <pre data-testid="preview-options">{p.options}</pre>
                <FlowWidgets panel=p.panel/>
            </section>
        })}
    }
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let history = Resource::new(|| (), |_| get_history());
    let versions = loaded(history, |h: History| {
        let notice = h.notice.as_ref().and_then(|n| n.notice.clone());
        let refused = h.notice.as_ref().is_some_and(|n| n.refused);
        view! {
            <Title text="History · Console"/>
            {console_nav()}
            <h1>"History"</h1>
            <Notice message=notice error=refused/>
            <ol class="history" data-testid="history" reversed>
                {h.versions.into_iter().map(|v| {
                    let current = v.version == h.current;
                    view! {
                        <li data-version=v.version>
                            <p>
                                <strong>{format!("Version {}", v.version)}</strong>
                                {format!(" · {} · {}", v.author, when(v.saved_at))}
                                {current.then_some(" · current")}
                            </p>
                            <ul>{v.changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                            {(!current).then(|| view! {
                                <form method="post" action=format!("/admin/widgets/history/{}", v.version)>
                                    <input type="hidden" name="csrf_token" value=h.csrf.clone()/>
                                    <input type="hidden" name="base" value=h.current.to_string()/>
                                    <button type="submit" class="button secondary">{format!("Restore version {}", v.version)}</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    });
    view! { {versions} <StaffPreviews/> }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_import_page());
    loaded(page, |p: ImportData| {
        let draft = p.draft;
        let checked = draft.changes.clone();
        view! {
            <Title text="Import · Console"/>
            {console_nav()}
            <h1>"Import a configuration"</h1>
            <p class="lead">"Paste a file exported from a Flowhost instance. Everything in it is checked first; then you see what it changes, and it is applied all at once or not at all."</p>
            <Notice message=draft.notice.clone() error=!draft.problems.is_empty()/>
            {(!draft.problems.is_empty()).then(|| view! {
                <ul class="problems field-error" data-testid="import-problems">
                    {draft.problems.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}
                </ul>
            })}
            {checked.map(|changes| view! {
                <section data-testid="import-changes">
                    <h2>"What applying it changes"</h2>
                    {if changes.is_empty() {
                        view! { <p class="empty">"Nothing: it is the configuration in use."</p> }.into_any()
                    } else {
                        view! { <ul>{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    <form method="post" action="/admin/widgets/import">
                        <input type="hidden" name="csrf_token" value=p.csrf.clone()/>
                        <input type="hidden" name="base" value=draft.base.to_string()/>
                        <input type="hidden" name="document" value=draft.document.clone()/>
                        <button type="submit" name="intent" value="apply">"Apply it"</button>
                    </form>
                </section>
            })}
            <form class="record-form" method="post" action="/admin/widgets/import">
                <input type="hidden" name="csrf_token" value=p.csrf.clone()/>
                <div class="field">
                    <label for="document">"Exported file"</label>
                    <TextArea id="document" rows=14 text=draft.document.clone() invalid=!draft.problems.is_empty()/>
                </div>
                <p class="actions"><button type="submit" name="intent" value="check">"Check it"</button></p>
            </form>
            <p class="muted">{format!("The configuration in use is version {}.", p.version)}</p>
        }
    })
}
