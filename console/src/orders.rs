//! Orders: the list with its filters and pages, and one order with its actions.

use leptos::prelude::*;
use shoppable_protocol::{AwaitsShop, OpenRefund, OpenRefunds, Order, OrderList, OrderStatus, RefundState, ShipProblem, ShipRequest};

use crate::after_sale;
use crate::api::encode;
use crate::{Ctx, Lang, error_box, focus_heading, format_money, format_time, loading};

const PAGE: u32 = 20;

pub fn status_name(status: OrderStatus, lang: Lang) -> &'static str {
    match status {
        OrderStatus::Placed => lang.t("Passée", "Placed"),
        OrderStatus::Paid => lang.t("Payée", "Paid"),
        OrderStatus::Shipped => lang.t("Expédiée", "Shipped"),
        OrderStatus::Delivered => lang.t("Livrée", "Delivered"),
        OrderStatus::Cancelled => lang.t("Annulée", "Cancelled"),
        OrderStatus::Refunded => lang.t("Remboursée", "Refunded"),
    }
}

const STATUSES: [OrderStatus; 6] =
    [OrderStatus::Placed, OrderStatus::Paid, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Refunded];

#[derive(Clone, Default, PartialEq)]
struct Filters {
    status: String,
    from: String,
    to: String,
    search: String,
    /// Only the orders waiting on the shop.
    waiting: bool,
}

impl Filters {
    fn query(&self, offset: u32) -> String {
        let mut query = format!("/v1/admin/orders?limit={}&offset={offset}", PAGE + 1);
        if self.waiting {
            query.push_str("&waiting=true");
        }
        for (name, value) in [("status", &self.status), ("from", &self.from), ("to", &self.to), ("q", &self.search)] {
            if !value.trim().is_empty() {
                query.push_str(&format!("&{name}={}", encode(value.trim())));
            }
        }
        query
    }
}

#[derive(Clone)]
enum Load<T> {
    Loading,
    Ready(T),
    Failed(String),
}

/// `#/orders`: newest first, 20 a page.
pub fn list(ctx: Ctx) -> impl IntoView {
    let l = ctx.lang;
    let draft = RwSignal::new(Filters::default());
    let applied = RwSignal::new(Filters::default());
    let offset = RwSignal::new(0u32);
    let state: RwSignal<Load<Vec<Order>>> = RwSignal::new(Load::Loading);
    Effect::new(move |_| {
        let (filters, from) = (applied.get(), offset.get());
        state.set(Load::Loading);
        leptos::task::spawn_local(async move {
            match ctx.api().get::<OrderList>(&filters.query(from)).await {
                Ok(list) => state.set(Load::Ready(list.orders)),
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => state.set(Load::Failed(failure.text(ctx.lang))),
            }
        });
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        offset.set(0);
        applied.set(draft.get_untracked());
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      get: fn(&Filters) -> String,
                      set: fn(&mut Filters, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind prop:value=move || draft.with(get) on:input=move |ev| draft.update(|f| set(f, event_target_value(&ev))) />
            </div>
        }
    };
    focus_heading();
    view! {
        <h2 tabindex="-1">{l.t("Commandes", "Orders")}</h2>
        <form class="filters" on:submit=submit role="search" aria-label=l.t("Filtrer les commandes", "Filter orders")>
            <div class="field">
                <label for="status-filter">{l.t("Statut", "Status")}</label>
                <select id="status-filter" on:change=move |ev| draft.update(|f| f.status = event_target_value(&ev))>
                    <option value="">{l.t("Tous", "All")}</option>
                    {STATUSES.iter().map(|s| view! { <option value=s.as_str()>{status_name(*s, l)}</option> }).collect_view()}
                </select>
            </div>
            {field("from", l.t("Du", "From"), "date", |f| f.from.clone(), |f, v| f.from = v)}
            {field("to", l.t("Au", "To"), "date", |f| f.to.clone(), |f, v| f.to = v)}
            {field("search", l.t("Numéro ou e-mail", "Number or e-mail"), "search", |f| f.search.clone(), |f, v| f.search = v)}
            <label class="check" for="waiting-filter">
                <input id="waiting-filter" type="checkbox" prop:checked=move || draft.with(|f| f.waiting)
                    on:change=move |ev| draft.update(|f| f.waiting = event_target_checked(&ev)) />
                {l.t("À traiter seulement", "Waiting on me only")}
            </label>
            <button type="submit">{l.t("Filtrer", "Filter")}</button>
        </form>
        {move || match state.get() {
            Load::Loading => loading(l).into_any(),
            Load::Failed(message) => error_box(message).into_any(),
            Load::Ready(orders) if orders.is_empty() => view! { <p role="status">{l.t("Aucune commande.", "No orders.")}</p> }.into_any(),
            Load::Ready(mut orders) => {
                let more = orders.len() > PAGE as usize;
                orders.truncate(PAGE as usize);
                let first = offset.get_untracked();
                view! {
                    <table class="orders">
                        <caption>{format!("{} {}–{}", l.t("Commandes", "Orders"), first + 1, first + orders.len() as u32)}</caption>
                        <thead><tr>
                            <th scope="col">{l.t("Numéro", "Number")}</th>
                            <th scope="col">{l.t("Date", "Date")}</th>
                            <th scope="col">{l.t("Client", "Customer")}</th>
                            <th scope="col">{l.t("Statut", "Status")}</th>
                            <th scope="col">{l.t("À traiter", "Waiting on you")}</th>
                            <th scope="col" class="num">{l.t("Total", "Total")}</th>
                        </tr></thead>
                        <tbody>
                            {orders.into_iter().map(|order| view! {
                                <tr>
                                    <td><a href=format!("#/orders/{}", encode(&order.id))>{order.number.clone()}</a></td>
                                    <td>{format_time(&order.created_at, l)}</td>
                                    <td>{order.address.name.clone()}<br/><span class="muted">{order.address.email.clone()}</span></td>
                                    <td><span class=format!("status status-{}", order.status.as_str())>{status_name(order.status, l)}</span></td>
                                    <td class="waiting">{order.awaits_shop().map(|why| view! { <span class="to-do">{match why {
                                        AwaitsShop::Return => l.t("Retour à traiter", "Return to handle"),
                                        AwaitsShop::Message => l.t("Message du client", "Customer's message"),
                                    }}</span> })}</td>
                                    <td class="num">{format_money(&order.total, l)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <div class="pager">
                        <button type="button" class="secondary" disabled=first == 0
                            on:click=move |_| offset.update(|o| *o = o.saturating_sub(PAGE))>{l.t("Page précédente", "Previous page")}</button>
                        <button type="button" class="secondary" disabled=!more
                            on:click=move |_| offset.update(|o| *o += PAGE)>{l.t("Page suivante", "Next page")}</button>
                    </div>
                }.into_any()
            }
        }}
    }
}

/// What a refund not confirmed by the payment provider is for: the order's new status, or a return.
fn refund_target(refund: &OpenRefund, l: Lang) -> String {
    match (refund.order_status, &refund.return_id) {
        (Some(status), _) => format!("{} ({})", l.t("de la commande", "of the order"), status_name(status, l).to_lowercase()),
        (None, Some(_)) => l.t("du retour", "of the return").to_owned(),
        (None, None) => l.t("d'un paiement en trop", "of a stray payment").to_owned(),
    }
}

/// The order's refunds the payment provider has not confirmed: pending, or failed with a retry.
fn refund_notices(refunds: Vec<OpenRefund>, l: Lang, busy: RwSignal<bool>, act: impl after_sale::Act) -> impl IntoView {
    let failed = refunds.iter().any(|r| r.state == RefundState::Failed);
    let lines = refunds
        .iter()
        .map(|refund| {
            let what = format!("{} {} {}", l.t("Remboursement", "Refund"), refund_target(refund, l), format_money(&refund.amount, l));
            match refund.state {
                RefundState::Pending => view! {
                    <p class="refund-pending" role="status">{format!("{what}{}{}", l.t(" : ", ": "), l.t("en attente du prestataire de paiement", "waiting for the payment provider"))}</p>
                }
                .into_any(),
                RefundState::Failed => view! {
                    <p class="refund-failed error">
                        {format!("{what}{}{}", l.t(" : ", ": "), l.t("échec, à relancer", "refund failed: retry"))}
                        {refund.last_error.clone().map(|why| view! { <br/><span class="muted">{format!("{} {why}", l.t("Réponse du prestataire :", "The provider answered:"))}</span> })}
                    </p>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        {lines}
        {failed.then(|| view! {
            <button type="button" class="danger" disabled=move || busy.get()
                on:click=move |_| act("refunds/retry".to_owned(), serde_json::json!({}), l.t("Remboursement relancé.", "Refund retried."))>{l.t("Relancer le remboursement", "Retry the refund")}</button>
        })}
    }
}

/// `#/orders/ID`: lines, address, payment, history, returns, messages, and the moves its
/// status allows.
pub fn page(ctx: Ctx, id: String) -> impl IntoView {
    let l = ctx.lang;
    let state: RwSignal<Load<Order>> = RwSignal::new(Load::Loading);
    let done: RwSignal<Option<String>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let tracking_number = RwSignal::new(String::new());
    let tracking_url = RwSignal::new(String::new());
    let confirm_refund = RwSignal::new(false);
    // Refunds the payment provider has not confirmed: the order shows them as pending or failed.
    let open_refunds: RwSignal<Vec<OpenRefund>> = RwSignal::new(Vec::new());
    let path = format!("/v1/admin/orders/{}", encode(&id));
    let path = StoredValue::new(path);
    let load_refunds = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) = ctx.api().get::<OpenRefunds>(&format!("{}/refunds", path.get_value())).await {
                open_refunds.set(list.refunds);
            }
        });
    };
    leptos::task::spawn_local(async move {
        match ctx.api().get::<Order>(&path.get_value()).await {
            Ok(order) => state.set(Load::Ready(order)),
            Err(failure) if ctx.refused(&failure) => {}
            Err(failure) => state.set(Load::Failed(failure.text(ctx.lang))),
        }
    });
    load_refunds();
    let act = move |action: String, body: serde_json::Value, message: &'static str| {
        busy.set(true);
        problem.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            let url = format!("{}/{action}", path.get_value());
            let answer = ctx.api().post::<Order>(&url, &body).await;
            busy.set(false);
            load_refunds();
            match answer {
                Ok(order) => {
                    state.set(Load::Ready(order));
                    confirm_refund.set(false);
                    done.set(Some(message.to_owned()));
                }
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => problem.set(Some(failure.text(ctx.lang))),
            }
        });
    };
    let ship = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let number = tracking_number.get_untracked().trim().to_owned();
        let url = tracking_url.get_untracked().trim().to_owned();
        let request = ShipRequest { tracking_number: number, tracking_url: (!url.is_empty()).then_some(url) };
        if let Some(wrong) = request.problem() {
            problem.set(Some(
                match wrong {
                    ShipProblem::NoTrackingNumber => l.t("Le numéro de suivi est obligatoire.", "The tracking number is required."),
                    ShipProblem::TrackingUrlNotWeb => l.t(
                        "Le lien de suivi doit être une adresse http(s) complète, comme https://suivi.example/LP123.",
                        "The tracking link must be a complete http(s) address, such as https://track.example/LP123.",
                    ),
                }
                .to_owned(),
            ));
            return;
        }
        act("ship".to_owned(), serde_json::to_value(request).unwrap_or_default(), l.t("Commande expédiée.", "Order shipped."));
    };
    focus_heading();
    view! {
        <p><a href="#/orders">{l.t("← Toutes les commandes", "← All orders")}</a></p>
        {move || match state.get() {
            Load::Loading => view! { <h2 tabindex="-1">{l.t("Commande", "Order")}</h2> {loading(l)} }.into_any(),
            Load::Failed(message) => view! { <h2 tabindex="-1">{l.t("Commande", "Order")}</h2> {error_box(message)} }.into_any(),
            Load::Ready(order) => {
                let status = order.status;
                let address = order.address.clone();
                // What a refund of the order moves now: what its returns have not refunded.
                let (to_refund, by_returns) = (format_money(&order.left_to_refund(), l), order.refunded_by_returns());
                let mut refund_question = format!("{} {to_refund} {}", l.t("Rembourser", "Refund"), l.t("au client ?", "to the customer?"));
                if by_returns.amount > 0 {
                    refund_question += &format!(
                        " {} {} {} {}.",
                        l.t("Ses retours ont déjà remboursé", "Their returns already refunded"),
                        format_money(&by_returns, l),
                        l.t("sur", "of"),
                        format_money(&order.total, l)
                    );
                }
                let refunded = order.refunded();
                view! {
                    <h2 tabindex="-1">{format!("{} {}", l.t("Commande", "Order"), order.number)}</h2>
                    <p class="order-status">{l.t("Statut : ", "Status: ")}
                        <span class=format!("status status-{}", status.as_str())>{status_name(status, l)}</span>
                        " · " {format_time(&order.created_at, l)}</p>
                    <p class="done" role="status">{move || done.get()}</p>
                    <div role="alert">{move || problem.get().map(|m| view! { <p class="error">{m}</p> })}</div>
                    <section aria-labelledby="actions-title" class="actions">
                        <h3 id="actions-title">{l.t("Actions", "Actions")}</h3>
                        {move || refund_notices(open_refunds.get(), l, busy, act)}
                        {(status == OrderStatus::Paid).then(|| view! {
                            <form class="ship" novalidate on:submit=ship>
                                <div class="field">
                                    <label for="tracking-number">{l.t("Numéro de suivi", "Tracking number")}</label>
                                    <input id="tracking-number" type="text" required autocomplete="off"
                                        prop:value=move || tracking_number.get() on:input=move |ev| tracking_number.set(event_target_value(&ev)) />
                                </div>
                                <div class="field">
                                    <label for="tracking-url">{l.t("Lien de suivi (facultatif)", "Tracking link (optional)")}</label>
                                    <input id="tracking-url" type="url" placeholder="https://" autocomplete="off"
                                        prop:value=move || tracking_url.get() on:input=move |ev| tracking_url.set(event_target_value(&ev)) />
                                </div>
                                <button type="submit" disabled=move || busy.get()>{l.t("Marquer expédiée", "Mark shipped")}</button>
                            </form>
                        })}
                        {(status == OrderStatus::Shipped).then(|| view! {
                            <button type="button" disabled=move || busy.get()
                                on:click=move |_| act("deliver".to_owned(), serde_json::json!({}), l.t("Commande livrée.", "Order delivered."))>{l.t("Marquer livrée", "Mark delivered")}</button>
                        })}
                        {status.can_become(OrderStatus::Refunded).then(|| view! {
                            {move || if confirm_refund.get() {
                                view! {
                                    <span class="confirm">{refund_question.clone()}</span>
                                    <button type="button" class="danger" disabled=move || busy.get()
                                        on:click=move |_| act("refund".to_owned(), serde_json::json!({}), l.t("Commande remboursée.", "Order refunded."))>{format!("{} {to_refund}", l.t("Confirmer le remboursement de", "Confirm the refund of"))}</button>
                                    <button type="button" class="secondary" on:click=move |_| confirm_refund.set(false)>{l.t("Annuler", "Cancel")}</button>
                                }.into_any()
                            } else {
                                view! { <button type="button" class="secondary" on:click=move |_| confirm_refund.set(true)>{format!("{} {to_refund}…", l.t("Rembourser", "Refund"))}</button> }.into_any()
                            }}
                        })}
                        {(!status.can_become(OrderStatus::Refunded) && !matches!(status, OrderStatus::Paid | OrderStatus::Shipped)).then(|| view! {
                            <p class="muted">{l.t("Aucune action possible pour ce statut.", "No action for this status.")}</p>
                        })}
                    </section>
                    {crate::disputes::of_order(ctx, &order.id)}
                    {after_sale::returns(&order, l, busy, act)}
                    {after_sale::messages(&order, l, busy, act)}
                    <section aria-labelledby="lines-title">
                        <h3 id="lines-title">{l.t("Articles", "Items")}</h3>
                        <table>
                            <thead><tr>
                                <th scope="col">{l.t("Produit", "Product")}</th>
                                <th scope="col" class="num">{l.t("Quantité", "Quantity")}</th>
                                <th scope="col" class="num">{l.t("Prix unitaire", "Unit price")}</th>
                                <th scope="col" class="num">{l.t("Total", "Total")}</th>
                            </tr></thead>
                            <tbody>
                                {order.lines.iter().map(|line| view! {
                                    <tr>
                                        <td>{line.item_name()}</td>
                                        <td class="num">{line.quantity}</td>
                                        <td class="num">{format_money(&line.unit_price, l)}</td>
                                        <td class="num">{format_money(&line.total, l)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <dl class="totals">
                            <dt>{l.t("Sous-total", "Subtotal")}</dt><dd>{format_money(&order.subtotal, l)}</dd>
                            <dt>{l.t("Livraison", "Shipping")}</dt><dd>{format_money(&order.shipping, l)}</dd>
                            <dt>{if order.tax_included { l.t("dont TVA", "incl. tax") } else { l.t("TVA", "Tax") }}</dt><dd>{format_money(&order.tax, l)}</dd>
                            <dt>{l.t("Total", "Total")}</dt><dd><strong>{format_money(&order.total, l)}</strong></dd>
                        </dl>
                    </section>
                    <div class="columns">
                        <section aria-labelledby="address-title">
                            <h3 id="address-title">{l.t("Adresse de livraison", "Shipping address")}</h3>
                            <address>
                                {address.name.clone()}<br/>
                                {address.line1.clone()}<br/>
                                {address.line2.clone().map(|line| view! { {line}<br/> })}
                                {format!("{} {}", address.postal_code, address.city)}<br/>
                                {address.region.clone().map(|r| view! { {r}<br/> })}
                                {shoppable::money::country_name(&address.country, l.locale())}<br/>
                                <a href=format!("mailto:{}", address.email)>{address.email.clone()}</a>
                                {address.phone.clone().map(|p| view! { <br/>{p} })}
                            </address>
                            <p>{l.t("Livraison : ", "Shipping: ")}{order.shipping_option.clone()}</p>
                        </section>
                        <section aria-labelledby="payment-title">
                            <h3 id="payment-title">{l.t("Paiement", "Payment")}</h3>
                            <p>{format!("{} · {} •••• {}", order.payment.provider, order.payment.brand, order.payment.last4)}</p>
                            <p>{l.t("Montant : ", "Amount: ")}{format_money(&order.total, l)}</p>
                            {(refunded.amount > 0).then(|| view! { <p class="refunded">{l.t("Remboursé : ", "Refunded: ")}{format_money(&refunded, l)}</p> })}
                        </section>
                    </div>
                    <section aria-labelledby="history-title">
                        <h3 id="history-title">{l.t("Historique", "History")}</h3>
                        <ol class="history">
                            {order.history.iter().map(|event| view! {
                                <li>
                                    <strong>{status_name(event.status, l)}</strong>" · "{format_time(&event.at, l)}
                                    {event.tracking_number.clone().map(|number| view! { " · "{l.t("suivi ", "tracking ")}{number} })}
                                    {event.tracking_url.clone().filter(|u| u.starts_with("https://") || u.starts_with("http://")).map(|url| view! {
                                        " · "<a href=url rel="noopener noreferrer" target="_blank">{l.t("suivre le colis", "track the parcel")}</a>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                }.into_any()
            }
        }}
    }
}
