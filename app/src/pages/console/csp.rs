//! An organisation's licences through the Cloud Solution Provider program, in the console:
//! linking it to its Partner Center customer (found by its tenant, or created with the
//! Microsoft Customer Agreement), its subscriptions with their seat counts, ordering seats of
//! an offer from the live catalog, and every order placed with where it stands.

use crate::components::{FieldError, described_by};
use crate::csp::{CspView, LINK_PATH, ORDER_PATH, SEATS_PATH};
use domain::csp::{CspOrder, OrderKind, OrderStatus};
use domain::widget_config::FormValues;
use i18n::{Lang, t};
use leptos::prelude::*;

pub fn csp_section(lang: Lang, tenant: &str, csp: CspView, csrf: String) -> AnyView {
    let CspView {
        customer,
        live,
        orders,
        form,
        key,
    } = csp;
    let values = form.values.clone();
    let problem = live.problem.clone().map(|p| {
        view! { <p class="notice notice-error" role="alert" data-testid="csp-problem">{p.show(lang)}</p> }
    });
    let hidden = {
        let (tenant, csrf) = (tenant.to_owned(), csrf.clone());
        move || {
            view! {
                <input type="hidden" name="csrf_token" value=csrf.clone()/>
                <input type="hidden" name="tenant" value=tenant.clone()/>
                <input type="hidden" name="key" value=key.clone()/>
            }
            .into_any()
        }
    };
    let error = |field: &str| form.error(field);
    let customer_part = match (&customer, &live.found) {
        (Some(c), _) => view! {
            <p data-testid="csp-customer">{t!(lang, "csp-linked", company = c.company.as_str(), id = c.customer_id.as_str(), by = c.linked_by.as_str(), at = i18n::date_time(lang, c.linked_at))}</p>
        }.into_any(),
        (None, Some(found)) => view! {
            <p>{t!(lang, "csp-found", company = found.company.as_str(), domain = found.domain.as_str())}</p>
            <form method="post" action=LINK_PATH>
                {hidden()}
                <input type="hidden" name="customer" value=found.id.clone()/>
                <button type="submit" class="button">{t!(lang, "csp-link")}</button>
            </form>
        }.into_any(),
        (None, None) => live.invitation.clone().map(|url| view! {
            <p>{t!(lang, "csp-not-customer")}</p>
            <p><a href=url.clone() data-testid="csp-invitation" rel="external noopener" target="_blank">{url.clone()}</a></p>
            <p class="hint">{t!(lang, "csp-invitation-hint")}</p>
        }).into_any(),
    };
    let linked = customer.is_some();
    let no_agreement = (live.agreement == Some(false)).then(|| {
        view! { <p class="notice notice-error" role="alert" data-testid="csp-no-agreement">{t!(lang, "csp-no-agreement")}</p> }
    });
    let subscriptions = linked.then(|| {
        subscriptions(
            lang,
            &live.subscriptions,
            &live.offers,
            &values,
            &hidden,
            &error,
        )
    });
    let order_form = (linked && live.agreement == Some(true) && !live.offers.is_empty()).then(|| {
        let offer_error = error("offer");
        let quantity_error = error("quantity");
        let chosen = values.get("offer").cloned().unwrap_or_default();
        view! {
            <h3>{t!(lang, "csp-order-heading")}</h3>
            <form class="record-form" method="post" action=ORDER_PATH data-testid="csp-order">
                {hidden()}
                <label for="order-offer">{t!(lang, "csp-field-offer")}</label>
                <select id="order-offer" name="offer" aria-invalid=offer_error.is_some().to_string()
                    aria-describedby=described_by("order-offer", false, offer_error.is_some())>
                    {live.offers.iter().map(|o| view! {
                        <option value=o.id.clone() selected=o.id == chosen>{t!(lang, "csp-offer-option", name = o.name.as_str(), min = o.min, max = o.max)}</option>
                    }).collect_view()}
                </select>
                <FieldError id="order-offer-error" message=offer_error/>
                <label for="order-quantity">{t!(lang, "csp-field-quantity")}</label>
                <input id="order-quantity" name="quantity" type="number" min="1" inputmode="numeric"
                    value=values.get("quantity").cloned().unwrap_or_default()
                    aria-invalid=quantity_error.is_some().to_string()
                    aria-describedby=described_by("order-quantity", false, quantity_error.is_some())/>
                <FieldError id="order-quantity-error" message=quantity_error/>
                <button type="submit" class="button">{t!(lang, "csp-order")}</button>
            </form>
        }
    });
    view! {
        <section aria-labelledby="csp-heading" data-testid="csp">
            <h2 id="csp-heading">{t!(lang, "csp-heading")}</h2>
            {problem}
            {customer_part}
            {no_agreement}
            {subscriptions}
            {order_form}
            {order_list(lang, orders)}
        </section>
    }
    .into_any()
}

/// The customer's subscriptions; those of Power Automate offers with their seat count to change.
fn subscriptions(
    lang: Lang,
    list: &[crate::csp::CspSubscription],
    offers: &[crate::csp::CspOffer],
    values: &FormValues,
    hidden: &impl Fn() -> AnyView,
    error: &impl Fn(&str) -> Option<i18n::Msg>,
) -> AnyView {
    let asked = values.get("subscription").cloned().unwrap_or_default();
    view! {
        <h3>{t!(lang, "csp-subscriptions-heading")}</h3>
        {if list.is_empty() {
            view! { <p class="empty">{t!(lang, "csp-subscriptions-none")}</p> }.into_any()
        } else {
            view! {
                <table class="records" data-testid="csp-subscriptions">
                    <thead><tr>
                        <th scope="col">{t!(lang, "csp-col-offer")}</th>
                        <th scope="col">{t!(lang, "csp-col-status")}</th>
                        <th scope="col">{t!(lang, "csp-col-seats")}</th>
                    </tr></thead>
                    <tbody>
                        {list.iter().map(|s| {
                            let id = format!("seats-{}", s.id);
                            let this = asked == s.id;
                            let err = if this { error("quantity") } else { None };
                            let typed = if this { values.get("quantity").cloned() } else { None };
                            let label = t!(lang, "csp-seats-label", name = s.name.as_str());
                            view! {
                                <tr data-subscription=s.id.clone()>
                                    <th scope="row">{s.name.clone()}</th>
                                    <td>{s.status.clone()}</td>
                                    <td>{if offers.iter().any(|o| o.id == s.offer_id) {
                                        view! {
                                        <form method="post" action=SEATS_PATH class="inline-form">
                                            {hidden()}
                                            <input type="hidden" name="subscription" value=s.id.clone()/>
                                            <input type="hidden" name="seen" value=s.quantity.to_string()/>
                                            <input id=id.clone() name="quantity" type="number" min="1" inputmode="numeric"
                                                aria-label=label value=typed.unwrap_or_else(|| s.quantity.to_string())
                                                aria-invalid=err.is_some().to_string()
                                                aria-describedby=described_by(&id, false, err.is_some())/>
                                            <button type="submit" class="button secondary">{t!(lang, "csp-seats-change")}</button>
                                            <FieldError id=format!("{id}-error") message=err/>
                                        </form>
                                        }.into_any()
                                    } else {
                                        view! { <span data-testid="seats">{s.quantity}</span> }.into_any()
                                    }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
    .into_any()
}

fn order_list(lang: Lang, orders: Vec<CspOrder>) -> impl IntoView {
    view! {
        <h3>{t!(lang, "csp-orders-heading")}</h3>
        {if orders.is_empty() {
            view! { <p class="empty">{t!(lang, "csp-orders-none")}</p> }.into_any()
        } else {
            view! {
                <table class="records" data-testid="csp-orders">
                    <thead><tr>
                        <th scope="col">{t!(lang, "csp-col-ordered")}</th>
                        <th scope="col">{t!(lang, "csp-col-what")}</th>
                        <th scope="col">{t!(lang, "csp-col-status")}</th>
                        <th scope="col">{t!(lang, "csp-col-detail")}</th>
                    </tr></thead>
                    <tbody>
                        {orders.into_iter().map(|o| {
                            let what = match o.kind {
                                OrderKind::New => t!(lang, "csp-order-new", name = o.offer_name.as_str(), quantity = o.quantity),
                                OrderKind::Seats => t!(lang, "csp-order-seats", name = o.offer_name.as_str(), quantity = o.quantity),
                            };
                            let status = match o.status {
                                OrderStatus::Placing => t!(lang, "csp-status-placing"),
                                OrderStatus::Pending => t!(lang, "csp-status-pending"),
                                OrderStatus::Completed => t!(lang, "csp-status-completed"),
                                OrderStatus::Failed => t!(lang, "csp-status-failed"),
                            };
                            view! {
                                <tr data-order=o.id.clone() data-status=o.status.as_str()>
                                    <td>{t!(lang, "csp-ordered-by", at = i18n::date_time(lang, o.ordered_at), by = o.ordered_by.as_str())}</td>
                                    <td>{what}</td>
                                    <td>{status}</td>
                                    <td>{o.order_id.clone().map(|id| t!(lang, "csp-order-id", id = id)).unwrap_or_default()}" "{o.detail.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
