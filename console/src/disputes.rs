//! Disputes (chargebacks) of payments, as the payment provider told them: the list, and each
//! order's on its page. They are answered at the provider (Stripe's Dashboard), not here.

use leptos::prelude::*;
use shoppable_protocol::{Dispute, DisputeList, DisputeStatus};

use crate::api::encode;
use crate::{Ctx, Lang, error_box, focus_heading, format_money, format_time, loading};

fn status_name(status: DisputeStatus, lang: Lang) -> &'static str {
    match status {
        DisputeStatus::Open => lang.t("Ouvert : à contester chez Stripe", "Open: respond at Stripe"),
        DisputeStatus::Won => lang.t("Gagné", "Won"),
        DisputeStatus::Lost => lang.t("Perdu", "Lost"),
    }
}

/// The provider's reason code in words; the code itself for one not known here.
fn reason_name(reason: &str, lang: Lang) -> String {
    match reason {
        "fraudulent" => lang.t("Paiement non reconnu (fraude)", "Payment not recognised (fraud)"),
        "product_not_received" => lang.t("Produit non reçu", "Product not received"),
        "product_unacceptable" => lang.t("Produit non conforme", "Product unacceptable"),
        "duplicate" => lang.t("Paiement en double", "Duplicate payment"),
        "subscription_canceled" => lang.t("Abonnement résilié", "Subscription cancelled"),
        "credit_not_processed" => lang.t("Remboursement non reçu", "Refund not received"),
        "unrecognized" => lang.t("Paiement non reconnu", "Payment not recognised"),
        "general" => lang.t("Autre", "Other"),
        other => return other.to_owned(),
    }
    .to_owned()
}

/// Loads `path` (a dispute list) into a signal.
fn load(ctx: Ctx, path: String) -> RwSignal<Option<Result<Vec<Dispute>, String>>> {
    let state = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        match ctx.api().get::<DisputeList>(&path).await {
            Ok(list) => state.set(Some(Ok(list.disputes))),
            Err(failure) if ctx.refused(&failure) => {}
            Err(failure) => state.set(Some(Err(failure.text(ctx.lang)))),
        }
    });
    state
}

/// One dispute's row; with its order's link in the list, without it on the order.
fn row(dispute: Dispute, lang: Lang, with_order: bool) -> impl IntoView {
    let status = dispute.status;
    view! {
        <tr>
            {with_order.then(|| view! {
                <td><a href=format!("#/orders/{}", encode(&dispute.order_id))>{dispute.order_number.clone()}</a></td>
            })}
            <td>{format_time(&dispute.opened_at, lang)}</td>
            <td>{reason_name(&dispute.reason, lang)}</td>
            <td><span class=format!("status dispute-{}", status.as_str())>{status_name(status, lang)}</span></td>
            <td>{match (&dispute.closed_at, &dispute.respond_by) {
                (Some(closed), _) => format!("{}{}", lang.t("Clos le ", "Closed on "), format_time(closed, lang)),
                (None, Some(by)) => format!("{}{}", lang.t("Répondre avant le ", "Respond by "), format_time(by, lang)),
                (None, None) => String::new(),
            }}</td>
            <td class="num">{format_money(&dispute.amount, lang)}</td>
        </tr>
    }
}

fn table(disputes: Vec<Dispute>, lang: Lang, with_order: bool, caption: &'static str) -> impl IntoView {
    view! {
        <table class="disputes">
            <caption>{caption}</caption>
            <thead><tr>
                {with_order.then(|| view! { <th scope="col">{lang.t("Commande", "Order")}</th> })}
                <th scope="col">{lang.t("Ouvert le", "Opened")}</th>
                <th scope="col">{lang.t("Motif", "Reason")}</th>
                <th scope="col">{lang.t("Statut", "Status")}</th>
                <th scope="col">{lang.t("Échéance", "Deadline")}</th>
                <th scope="col" class="num">{lang.t("Montant", "Amount")}</th>
            </tr></thead>
            <tbody>{disputes.into_iter().map(|d| row(d, lang, with_order)).collect_view()}</tbody>
        </table>
    }
}

/// `#/disputes`: every dispute, newest first.
pub fn page(ctx: Ctx) -> impl IntoView {
    let l = ctx.lang;
    let state = load(ctx, "/v1/admin/disputes?limit=500".to_owned());
    focus_heading();
    view! {
        <h2 tabindex="-1">{l.t("Litiges", "Disputes")}</h2>
        <p class="muted">{l.t(
            "Contestations de paiement ouvertes par la banque d'un client. Répondez-y, preuves à l'appui, dans le tableau de bord de Stripe avant l'échéance.",
            "Payments disputed by a customer's bank. Respond with evidence in Stripe's Dashboard before the deadline.",
        )}</p>
        {move || match state.get() {
            None => loading(l).into_any(),
            Some(Err(message)) => error_box(message).into_any(),
            Some(Ok(disputes)) if disputes.is_empty() => view! { <p role="status">{l.t("Aucun litige.", "No disputes.")}</p> }.into_any(),
            Some(Ok(disputes)) => table(disputes, l, true, l.t("Litiges", "Disputes")).into_any(),
        }}
    }
}

/// The order's disputes, on its page: nothing when it has none.
pub fn of_order(ctx: Ctx, order_id: &str) -> impl IntoView {
    let l = ctx.lang;
    let state = load(ctx, format!("/v1/admin/disputes?order_id={}", encode(order_id)));
    move || match state.get() {
        Some(Ok(disputes)) if !disputes.is_empty() => view! {
            <section aria-labelledby="disputes-title">
                <h3 id="disputes-title">{l.t("Litiges", "Disputes")}</h3>
                {table(disputes, l, false, l.t("Litiges de cette commande", "This order's disputes"))}
            </section>
        }
        .into_any(),
        Some(Err(message)) => error_box(message).into_any(),
        _ => ().into_any(),
    }
}
