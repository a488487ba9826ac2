//! A placement's form: a new one, one placement, or what one organisation sees of it; and its
//! preview for a record.

use super::super::loaded;
use super::{console_nav, query};
use crate::components::{FieldError, FirstInvalid, Notice, TextArea, described_by};
use crate::console::{PlacementEditor, get_placement_editor};
use crate::widgets::FlowWidgets;
use domain::FieldErrors;
use domain::placeholders::PLACEHOLDERS;
use domain::placement::settings::TRIGGER_KINDS;
use domain::placement::{Kind, PageKind, WidgetType, spec};
use domain::widget_config::{FormValues, SLOTS};
use i18n::{Lang, t};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A form's fields with their values, errors, and for an override what each inherits.
#[derive(Clone)]
struct Fields {
    lang: Lang,
    values: FormValues,
    errors: FieldErrors,
    inherited: Option<FormValues>,
    overridden: Vec<String>,
    locked: bool,
    focus: FirstInvalid,
}

impl Fields {
    fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    fn invalid(&self, name: &str) -> String {
        self.errors.get(name).is_some().to_string()
    }

    /// The ids of what describes the field: its hint, when it has one, and its error.
    fn described(&self, name: &str, hint: bool) -> Option<String> {
        described_by(name, hint, self.errors.get(name).is_some())
    }

    /// Whether the field `name` is the form's first refused one, which gets the focus.
    fn autofocus(&self, name: &str) -> bool {
        self.focus.autofocus(self.errors.get(name).is_some())
    }

    /// Under an override's field: whether it is the tenant's own or inherited, and from what.
    fn origin(&self, name: &str) -> Option<AnyView> {
        let inherited = self.inherited.as_ref()?;
        let base = inherited.get(name).cloned().unwrap_or_default();
        let text = if self.overridden.iter().any(|f| f == name) {
            t!(self.lang, "console-origin-overridden", default = base)
        } else {
            t!(self.lang, "console-inherited")
        };
        Some(view! { <p class="hint" data-origin=name.to_owned()>{text}</p> }.into_any())
    }

    fn text(&self, name: &str, label: String, hint: String) -> AnyView {
        let name = name.to_owned();
        view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                <input id=name.clone() name=name.clone() type="text" value=self.value(&name)
                    autofocus=self.autofocus(&name) aria-invalid=self.invalid(&name) aria-describedby=self.described(&name, !hint.is_empty())/>
                {(!hint.is_empty()).then(|| view! { <p class="hint" id=format!("{name}-hint")>{hint}</p> })}
                {self.origin(&name)}
                <FieldError id=format!("{name}-error") message=self.errors.get(&name).cloned()/>
            </div>
        }
        .into_any()
    }

    fn area(&self, name: &str, label: String, hint: String) -> AnyView {
        let name = name.to_owned();
        view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                <TextArea id=name.clone() rows=3 text=self.value(&name) invalid=self.errors.get(&name).is_some()
                    autofocus=self.autofocus(&name) hint=!hint.is_empty()/>
                {(!hint.is_empty()).then(|| view! { <p class="hint" id=format!("{name}-hint")>{hint}</p> })}
                {self.origin(&name)}
                <FieldError id=format!("{name}-error") message=self.errors.get(&name).cloned()/>
            </div>
        }
        .into_any()
    }

    fn check(&self, name: &str, label: String) -> AnyView {
        let name = name.to_owned();
        view! {
            <div class="field check">
                <label><input type="checkbox" name=name.clone() checked=!self.value(&name).is_empty()/>" "{label}</label>
                {self.origin(&name)}
            </div>
        }
        .into_any()
    }

    /// A choice among words; locked (shown, carried in a hidden field) for an override.
    fn select(&self, name: &str, label: String, options: Vec<(String, String)>) -> AnyView {
        let name = name.to_owned();
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
                <select id=name.clone() name=name.clone() autofocus=self.autofocus(&name) aria-invalid=self.invalid(&name) aria-describedby=self.described(&name, false)>
                    {options.into_iter().map(|(value, text)| {
                        let on = value == current;
                        view! { <option value=value selected=on>{text}</option> }
                    }).collect_view()}
                </select>
                {self.origin(&name)}
                <FieldError id=format!("{name}-error") message=self.errors.get(&name).cloned()/>
            </div>
        }
        .into_any()
    }
}

/// Words and the message ids of their labels, as a select's options in `lang`.
fn words(lang: Lang, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(word, label)| ((*word).to_owned(), i18n::text(lang, label)))
        .collect()
}

/// The line under a field that may hold placeholders, naming them all.
fn placeholders_hint(lang: Lang) -> String {
    let names: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(n, _)| format!("{{{n}}}"))
        .collect();
    t!(
        lang,
        "setting-placeholders-hint",
        placeholders = names.join(", ")
    )
}

/// The fields of a widget type's settings, as its description lists them.
fn settings_fields(f: &Fields, widget: WidgetType) -> AnyView {
    let lang = f.lang;
    spec(widget)
        .settings
        .iter()
        .map(|s| {
            let label = i18n::text(lang, s.label);
            let hint = match s.kind {
                _ if !s.hint.is_empty() => i18n::text(lang, s.hint),
                Kind::Text { .. } | Kind::Filter | Kind::Params => placeholders_hint(lang),
                _ => String::new(),
            };
            match s.kind {
                Kind::Text { .. } | Kind::Filter | Kind::Id | Kind::Number { .. } => {
                    f.text(s.name, label, hint)
                }
                Kind::Params => f.area(s.name, label, hint),
                Kind::Flag => f.check(s.name, label),
                Kind::Choice(choices) => f.select(s.name, label, words(lang, choices)),
                Kind::Trigger => {
                    let (kind, id) = (format!("{}Kind", s.name), format!("{}Id", s.name));
                    view! {
                        {f.select(&kind, label, words(lang, TRIGGER_KINDS))}
                        {f.text(&id, t!(lang, "setting-trigger-id-label"), String::new())}
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
    let lang = crate::lang::use_lang();
    let params = use_params_map();
    let key = move || params.read().get("key");
    let widget = query("widget");
    let page = query("page");
    let tenant = query("tenant");
    let editor = Resource::new(
        move || (key(), widget(), page(), tenant()),
        |(key, widget, page, tenant)| get_placement_editor(key, widget, page, tenant),
    );
    loaded(editor, move |e: PlacementEditor| editor_view(e, lang))
}

fn editor_view(e: PlacementEditor, lang: Lang) -> impl IntoView {
    let form = e.draft.form.clone();
    let fields = Fields {
        lang,
        values: form.values.clone(),
        errors: form.errors.clone(),
        inherited: e.tenant.as_ref().map(|_| e.inherited.clone()),
        overridden: e.overridden.clone(),
        locked: e.tenant.is_some(),
        focus: FirstInvalid::default(),
    };
    let action = if e.is_new {
        "/admin/widgets/new".to_owned()
    } else {
        format!("/admin/widgets/{}", e.key)
    };
    let heading = match (&e.tenant, e.is_new) {
        (_, true) => t!(
            lang,
            "console-new-placement",
            widget = e.widget.label().show(lang)
        ),
        (Some(t), false) => t!(
            lang,
            "console-placement-for",
            key = e.key.as_str(),
            organisation = t.name.as_str()
        ),
        (None, false) => t!(lang, "console-placement", key = e.key.as_str()),
    };
    let pages: Vec<(String, String)> = PageKind::ALL
        .iter()
        .map(|p| (p.as_str().to_owned(), p.label().show(lang)))
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
    // A preview that failed: its message describes the choice of record, which gets the focus.
    let preview_refused = form.errors.get("preview").is_some();
    let preview_described = described_by("preview", true, preview_refused);
    let here = crate::components::here();
    view! {
        <Title text=heading.clone()/>
        {console_nav(lang)}
        <h1>{heading}</h1>
        {e.is_new.then(|| view! {
            <form class="search" method="get" action="/admin/widgets/new">
                <label for="widget">{t!(lang, "console-field-widget")}</label>
                <select id="widget" name="widget">
                    {WidgetType::ALL.iter().map(|w| view! {
                        <option value=w.as_str() selected=*w == e.widget>{w.label().show(lang)}</option>
                    }).collect_view()}
                </select>
                <label for="page-choice">{t!(lang, "console-on-the-page")}</label>
                <select id="page-choice" name="page">
                    {PageKind::ALL.iter().map(|p| {
                        let on = fields.value("page") == p.as_str();
                        view! { <option value=p.as_str() selected=on>{p.label().show(lang)}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="button secondary">{t!(lang, "console-choose")}</button>
            </form>
        })}
        <Notice message=form.notice.clone() error=notice_error/>
        <form class="record-form" method="post" action=action data-testid="placement-form">
            <input type="hidden" name="csrf_token" value=e.csrf.clone()/>
            <input type="hidden" name="revision" value=e.revision.to_string()/>
            <input type="hidden" name="widget" value=e.widget.as_str()/>
            {e.tenant.as_ref().map(|t| view! { <input type="hidden" name="tenant" value=t.id.to_string()/> })}
            {if e.is_new {
                fields.text("key", t!(lang, "console-field-key"), t!(lang, "console-key-hint"))
            } else {
                view! { <input type="hidden" name="key" value=e.key.clone()/> }.into_any()
            }}
            {fields.select("page", t!(lang, "console-field-page"), pages)}
            {fields.select("slot", t!(lang, "console-field-slot"), slots)}
            {fields.text("order", t!(lang, "console-field-order"), t!(lang, "console-order-hint"))}
            {fields.check("enabled", t!(lang, "console-field-shown"))}
            {fields.text("title", t!(lang, "console-field-title"), String::new())}
            {settings_fields(&fields, e.widget)}
            <fieldset class="preview-choice">
                <legend>{t!(lang, "console-preview-legend")}</legend>
                <label for="preview_tenant">{t!(lang, "console-preview-organisation")}</label>
                <select id="preview_tenant" name="preview_tenant" autofocus=fields.focus.autofocus(preview_refused)
                    aria-invalid=preview_refused.to_string() aria-describedby=preview_described.clone()>
                    {e.tenants.iter().map(|t| {
                        let on = t.id.to_string() == preview_tenant;
                        view! { <option value=t.id.to_string() selected=on>{t.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <label for="preview_account">{t!(lang, "console-preview-account")}</label>
                <input id="preview_account" name="preview_account" type="text" size="6"
                    aria-invalid=preview_refused.to_string() aria-describedby=preview_described.clone()
                    value=preview_for.get("preview_account").cloned().unwrap_or_default()/>
                <label for="preview_ticket">{t!(lang, "console-preview-ticket")}</label>
                <input id="preview_ticket" name="preview_ticket" type="text" size="6"
                    aria-invalid=preview_refused.to_string() aria-describedby=preview_described.clone()
                    value=preview_for.get("preview_ticket").cloned().unwrap_or_default()/>
                <p class="hint" id="preview-hint">{t!(lang, "console-preview-hint")}</p>
                <FieldError id="preview-error" message=form.errors.get("preview").cloned()/>
            </fieldset>
            <p class="actions">
                <button type="submit" name="intent" value="save">{t!(lang, "console-save")}</button>
                <button type="submit" name="intent" value="preview" class="button secondary">{t!(lang, "console-preview-button")}</button>
                {(e.tenant.is_some() && !e.overridden.is_empty()).then(|| view! {
                    <button type="submit" name="intent" value="inherit" class="button secondary">{t!(lang, "console-inherit-everything")}</button>
                })}
                {(e.tenant.is_none() && !e.is_new).then(|| view! {
                    <button type="submit" name="intent" value="delete" class="button secondary">{t!(lang, "console-remove")}</button>
                })}
            </p>
        </form>
        {e.draft.preview.map(|p| view! {
            <section class="preview" data-testid="preview">
                <h2>{t!(lang, "console-preview-heading")}</h2>
                <p class="muted">{t!(lang, "console-preview-for", record = p.record.show(lang))}</p>
                <pre data-testid="preview-options">{p.options}</pre>
                {crate::widgets::strings::texts_element(p.panel.lang)}
                <FlowWidgets panel=p.panel here=here.clone()/>
            </section>
        })}
    }
}
