//! Disputes (chargebacks) of payments, as the payment provider told them: the list, and each
//! order's on its page. They are answered at the provider (Stripe's Dashboard), not here.

use leptos::prelude::*;
use shoppable_protocol::{Dispute, DisputeList, DisputeStatus};

use crate::api::encode;
use crate::{Ctx, Lang, error_box, focus_heading, format_money, format_time, loading};

fn status_name(status: DisputeStatus, lang: Lang) -> &'static str {
    match status {
        DisputeStatus::Open => lang.t(tr!(
            "Ouvert : à contester chez Stripe",
            "Open: respond at Stripe",
            "Offen: bei Stripe beantworten",
            "Abierta: responde en Stripe",
            "Aperta: rispondi su Stripe"
        )),
        DisputeStatus::Won => lang.t(tr!("Gagné", "Won", "Gewonnen", "Ganada", "Vinta")),
        DisputeStatus::Lost => lang.t(tr!("Perdu", "Lost", "Verloren", "Perdida", "Persa")),
    }
}

/// The provider's reason code in words; the code itself for one not known here.
fn reason_name(reason: &str, lang: Lang) -> String {
    match reason {
        "fraudulent" => lang.t(tr!(
            "Paiement non reconnu (fraude)",
            "Payment not recognised (fraud)",
            "Zahlung nicht erkannt (Betrug)",
            "Pago no reconocido (fraude)",
            "Pagamento non riconosciuto (frode)"
        )),
        "product_not_received" => lang.t(tr!(
            "Produit non reçu",
            "Product not received",
            "Produkt nicht erhalten",
            "Producto no recibido",
            "Prodotto non ricevuto"
        )),
        "product_unacceptable" => lang.t(tr!(
            "Produit non conforme",
            "Product unacceptable",
            "Produkt mangelhaft",
            "Producto no conforme",
            "Prodotto non conforme"
        )),
        "duplicate" => lang.t(tr!("Paiement en double", "Duplicate payment", "Doppelte Zahlung", "Pago duplicado", "Pagamento doppio")),
        "subscription_canceled" => lang.t(tr!(
            "Abonnement résilié",
            "Subscription cancelled",
            "Abonnement gekündigt",
            "Suscripción cancelada",
            "Abbonamento annullato"
        )),
        "credit_not_processed" => lang.t(tr!(
            "Remboursement non reçu",
            "Refund not received",
            "Erstattung nicht erhalten",
            "Reembolso no recibido",
            "Rimborso non ricevuto"
        )),
        "unrecognized" => lang.t(tr!(
            "Paiement non reconnu",
            "Payment not recognised",
            "Zahlung nicht erkannt",
            "Pago no reconocido",
            "Pagamento non riconosciuto"
        )),
        "general" => lang.t(tr!("Autre", "Other", "Sonstiges", "Otro", "Altro")),
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
                (Some(closed), _) => format!("{}{}", lang.t(tr!("Clos le ", "Closed on ", "Abgeschlossen am ", "Cerrada el ", "Chiusa il ")), format_time(closed, lang)),
                (None, Some(by)) => format!("{}{}", lang.t(tr!("Répondre avant le ", "Respond by ", "Antworten bis ", "Responder antes del ", "Rispondere entro il ")), format_time(by, lang)),
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
                {with_order.then(|| view! { <th scope="col">{lang.t(tr!("Commande", "Order", "Bestellung", "Pedido", "Ordine"))}</th> })}
                <th scope="col">{lang.t(tr!("Ouvert le", "Opened", "Eröffnet am", "Abierta el", "Aperta il"))}</th>
                <th scope="col">{lang.t(tr!("Motif", "Reason", "Grund", "Motivo", "Motivo"))}</th>
                <th scope="col">{lang.t(tr!("Statut", "Status", "Status", "Estado", "Stato"))}</th>
                <th scope="col">{lang.t(tr!("Échéance", "Deadline", "Frist", "Plazo", "Scadenza"))}</th>
                <th scope="col" class="num">{lang.t(tr!("Montant", "Amount", "Betrag", "Importe", "Importo"))}</th>
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
        <h2 tabindex="-1">{l.t(tr!("Litiges", "Disputes", "Streitfälle", "Disputas", "Contestazioni"))}</h2>
        <p class="muted">{l.t(tr!("Contestations de paiement ouvertes par la banque d'un client. Répondez-y, preuves à l'appui, dans le tableau de bord de Stripe avant l'échéance.", "Payments disputed by a customer's bank. Respond with evidence in Stripe's Dashboard before the deadline.", "Von der Bank eines Kunden angefochtene Zahlungen. Antworten Sie mit Belegen im Stripe-Dashboard vor Ablauf der Frist.", "Pagos disputados por el banco de un cliente. Responde con pruebas en el panel de Stripe antes del plazo.", "Pagamenti contestati dalla banca di un cliente. Rispondi con le prove nella dashboard di Stripe prima della scadenza."))}</p>
        {move || match state.get() {
            None => loading(l).into_any(),
            Some(Err(message)) => error_box(message).into_any(),
            Some(Ok(disputes)) if disputes.is_empty() => view! { <p role="status">{l.t(tr!("Aucun litige.", "No disputes.", "Keine Streitfälle.", "No hay disputas.", "Nessuna contestazione."))}</p> }.into_any(),
            Some(Ok(disputes)) => table(disputes, l, true, l.t(tr!("Litiges", "Disputes", "Streitfälle", "Disputas", "Contestazioni"))).into_any(),
        }}
    }
}

/// The order's disputes, on its page: nothing when it has none.
pub fn of_order(ctx: Ctx, order_id: &str) -> impl IntoView {
    let l = ctx.lang;
    let state = load(ctx, format!("/v1/admin/disputes?order_id={}", encode(order_id)));
    move || {
        match state.get() {
        Some(Ok(disputes)) if !disputes.is_empty() => view! {
            <section aria-labelledby="disputes-title">
                <h3 id="disputes-title">{l.t(tr!("Litiges", "Disputes", "Streitfälle", "Disputas", "Contestazioni"))}</h3>
                {table(disputes, l, false, l.t(tr!("Litiges de cette commande", "This order's disputes", "Streitfälle dieser Bestellung", "Disputas de este pedido", "Contestazioni di questo ordine")))}
            </section>
        }
        .into_any(),
        Some(Err(message)) => error_box(message).into_any(),
        _ => ().into_any(),
    }
    }
}
