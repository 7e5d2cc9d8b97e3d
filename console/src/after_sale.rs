//! An order's returns and help thread on its page, with the shop's answers: approve (with
//! instructions and a return label) or refuse a return, mark it received, refund it, reply.

use leptos::prelude::*;
use serde_json::{Value, json};
use shoppable_protocol::{Author, Order, Return, ReturnStatus};

use crate::{Lang, format_money, format_time};

/// Posts `body` to the order's admin path + `/{action}` and shows the order answered, or the
/// message `done` after it.
pub trait Act: Fn(String, Value, &'static str) + Copy + Send + Sync + 'static {}
impl<F: Fn(String, Value, &'static str) + Copy + Send + Sync + 'static> Act for F {}

pub fn return_status_name(status: ReturnStatus, lang: Lang) -> &'static str {
    match status {
        ReturnStatus::Requested => lang.t(tr!("Demandé", "Requested", "Angefragt", "Solicitada", "Richiesto")),
        ReturnStatus::Approved => lang.t(tr!("Accepté", "Approved", "Angenommen", "Aceptada", "Accettato")),
        ReturnStatus::Refused => lang.t(tr!("Refusé", "Refused", "Abgelehnt", "Rechazada", "Rifiutato")),
        ReturnStatus::Received => lang.t(tr!("Reçu", "Received", "Erhalten", "Recibida", "Ricevuto")),
        ReturnStatus::Refunded => lang.t(tr!("Remboursé", "Refunded", "Erstattet", "Reembolsada", "Rimborsato")),
    }
}

/// Only http(s) links are followed.
fn web_link(url: &str) -> Option<String> {
    (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_owned())
}

/// The order's returns, oldest first, each with the answers its status allows.
pub fn returns(order: &Order, lang: Lang, busy: RwSignal<bool>, act: impl Act) -> impl IntoView {
    let l = lang;
    (!order.returns.is_empty()).then(|| {
        view! {
            <section aria-labelledby="returns-title">
                <h3 id="returns-title">{l.t(tr!("Retours", "Returns", "Rücksendungen", "Devoluciones", "Resi"))}</h3>
                {order.returns.iter().enumerate().map(|(i, ret)| one_return(order, ret, i, l, busy, act)).collect_view()}
            </section>
        }
    })
}

fn one_return(order: &Order, ret: &Return, index: usize, l: Lang, busy: RwSignal<bool>, act: impl Act) -> impl IntoView {
    let base = format!("returns/{}", crate::api::encode(&ret.id));
    let instructions = RwSignal::new(String::new());
    let label_url = RwSignal::new(String::new());
    let refusal = RwSignal::new(String::new());
    let (approve_path, refuse_path, receive_path, refund_path) =
        (format!("{base}/approve"), format!("{base}/refuse"), format!("{base}/receive"), format!("{base}/refund"));
    let approve = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let body = json!({"instructions": instructions.get_untracked(), "label_url": label_url.get_untracked().trim()});
        act(
            approve_path.clone(),
            body,
            l.t(tr!("Retour accepté.", "Return approved.", "Rücksendung angenommen.", "Devolución aceptada.", "Reso accettato.")),
        );
    };
    let refuse = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        act(
            refuse_path.clone(),
            json!({"reason": refusal.get_untracked()}),
            l.t(tr!("Retour refusé.", "Return refused.", "Rücksendung abgelehnt.", "Devolución rechazada.", "Reso rifiutato.")),
        );
    };
    let id = |name: &str| format!("return-{index}-{name}");
    let items = ret.lines.iter().filter_map(|line| {
        let bought = order.lines.get(line.line as usize)?;
        Some(view! { <li>{format!("{} × {}", line.quantity, bought.item_name())}</li> })
    });
    view! {
        <article class="return" aria-labelledby=id("title")>
            <h4 id=id("title")>
                {format!("{} {} · ", l.t(tr!("Retour", "Return", "Rücksendung", "Devolución", "Reso")), index + 1)}
                <span class=format!("status return-{}", ret.status.as_str())>{return_status_name(ret.status, l)}</span>
                {format!(" · {}", format_money(&ret.refund, l))}
            </h4>
            <ul>{items.collect_view()}</ul>
            <p><strong>{l.t(tr!("Motif : ", "Reason: ", "Grund: ", "Motivo: ", "Motivo: "))}</strong>{ret.reason.clone()}</p>
            {ret.instructions.clone().map(|text| view! { <p><strong>{l.t(tr!("Instructions : ", "Instructions: ", "Hinweise: ", "Instrucciones: ", "Istruzioni: "))}</strong>{text}</p> })}
            {ret.label_url.as_deref().and_then(web_link).map(|url| view! {
                <p><a href=url rel="noopener noreferrer" target="_blank">{l.t(tr!("Étiquette de retour", "Return label", "Rücksendeetikett", "Etiqueta de devolución", "Etichetta di reso"))}</a></p>
            })}
            {ret.refusal_reason.clone().map(|text| view! { <p><strong>{l.t(tr!("Refusé : ", "Refused: ", "Abgelehnt: ", "Rechazada: ", "Rifiutato: "))}</strong>{text}</p> })}
            <p class="muted">{ret.history.iter().map(|e| format!("{} {}", return_status_name(e.status, l), format_time(&e.at, l))).collect::<Vec<_>>().join(" · ")}</p>
            {match ret.status {
                ReturnStatus::Requested => view! {
                    <div class="answers">
                        <form class="answer" on:submit=approve>
                            <div class="field">
                                <label for=id("instructions")>{l.t(tr!("Instructions au client (facultatif)", "Instructions to the customer (optional)", "Hinweise an den Kunden (optional)", "Instrucciones para el cliente (opcional)", "Istruzioni per il cliente (facoltative)"))}</label>
                                <textarea id=id("instructions") rows="3" maxlength="1000"
                                    prop:value=move || instructions.get() on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                            </div>
                            <div class="field">
                                <label for=id("label")>{l.t(tr!("Lien de l’étiquette de retour (facultatif)", "Return label link (optional)", "Link zum Rücksendeetikett (optional)", "Enlace de la etiqueta de devolución (opcional)", "Link dell’etichetta di reso (facoltativo)"))}</label>
                                <input id=id("label") type="url" placeholder="https://" autocomplete="off"
                                    prop:value=move || label_url.get() on:input=move |ev| label_url.set(event_target_value(&ev)) />
                            </div>
                            <button type="submit" disabled=move || busy.get()>{l.t(tr!("Accepter le retour", "Approve the return", "Rücksendung annehmen", "Aceptar la devolución", "Accetta il reso"))}</button>
                        </form>
                        <form class="answer" on:submit=refuse>
                            <div class="field">
                                <label for=id("refusal")>{l.t(tr!("Motif du refus", "Reason for refusing", "Grund der Ablehnung", "Motivo del rechazo", "Motivo del rifiuto"))}</label>
                                <textarea id=id("refusal") rows="3" required maxlength="1000"
                                    prop:value=move || refusal.get() on:input=move |ev| refusal.set(event_target_value(&ev))></textarea>
                            </div>
                            <button type="submit" class="danger" disabled=move || busy.get()>{l.t(tr!("Refuser le retour", "Refuse the return", "Rücksendung ablehnen", "Rechazar la devolución", "Rifiuta il reso"))}</button>
                        </form>
                    </div>
                }.into_any(),
                ReturnStatus::Approved => view! {
                    <button type="button" disabled=move || busy.get()
                        on:click=move |_| act(receive_path.clone(), json!({}), l.t(tr!("Colis reçu, articles remis en stock.", "Parcel received, items back in stock.", "Paket erhalten, Artikel wieder auf Lager.", "Paquete recibido, artículos de nuevo en stock.", "Pacco ricevuto, articoli di nuovo disponibili.")))>
                        {l.t(tr!("Colis reçu (remettre en stock)", "Parcel received (back in stock)", "Paket erhalten (wieder auf Lager)", "Paquete recibido (de nuevo en stock)", "Pacco ricevuto (di nuovo disponibile)"))}</button>
                }.into_any(),
                ReturnStatus::Received => {
                    // Money moves: the amount is said once more, and confirmed.
                    let amount = format_money(&ret.refund, l);
                    let confirming = RwSignal::new(false);
                    let question = l.with(
                        tr!(
                            "Rembourser {} au client pour ce retour ?",
                            "Refund {} to the customer for this return?",
                            "Dem Kunden {} für diese Rücksendung erstatten?",
                            "¿Reembolsar {} al cliente por esta devolución?",
                            "Rimborsare {} al cliente per questo reso?"
                        ),
                        &[&amount],
                    );
                    view! {
                        <div class="confirm" hidden=move || !confirming.get()>
                            <span>{question}</span>
                            <button type="button" class="danger" disabled=move || busy.get()
                                on:click=move |_| act(refund_path.clone(), json!({}), l.t(tr!("Retour remboursé.", "Return refunded.", "Rücksendung erstattet.", "Devolución reembolsada.", "Reso rimborsato.")))>
                                {l.with(tr!("Confirmer le remboursement de {}", "Confirm the refund of {}", "Erstattung von {} bestätigen", "Confirmar el reembolso de {}", "Conferma il rimborso di {}"), &[&amount])}</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{l.t(tr!("Annuler", "Cancel", "Abbrechen", "Cancelar", "Annulla"))}</button>
                        </div>
                        <button type="button" hidden=move || confirming.get() on:click=move |_| confirming.set(true)>
                            {l.with(tr!("Rembourser {}…", "Refund {}…", "{} erstatten…", "Reembolsar {}…", "Rimborsa {}…"), &[&format_money(&ret.refund, l)])}</button>
                    }.into_any()
                }
                ReturnStatus::Refused | ReturnStatus::Refunded => ().into_any(),
            }}
        </article>
    }
}

/// The help thread, oldest first, and the shop's reply form.
pub fn messages(order: &Order, lang: Lang, busy: RwSignal<bool>, act: impl Act) -> impl IntoView {
    let l = lang;
    let reply = RwSignal::new(String::new());
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        act(
            "messages".to_owned(),
            json!({"body": reply.get_untracked()}),
            l.t(tr!("Réponse envoyée.", "Reply sent.", "Antwort gesendet.", "Respuesta enviada.", "Risposta inviata.")),
        );
    };
    view! {
        <section aria-labelledby="messages-title">
            <h3 id="messages-title">{l.t(tr!("Messages", "Messages", "Nachrichten", "Mensajes", "Messaggi"))}</h3>
            {order.messages.is_empty().then(|| view! { <p class="muted">{l.t(tr!("Aucun message.", "No messages.", "Keine Nachrichten.", "No hay mensajes.", "Nessun messaggio."))}</p> })}
            <ol class="thread">
                {order.messages.iter().map(|message| {
                    let (who, class) = match message.author {
                        Author::Shopper => (l.t(tr!("Client", "Customer", "Kunde", "Cliente", "Cliente")), "from-shopper"),
                        Author::Shop => (l.t(tr!("Boutique", "Shop", "Shop", "Tienda", "Negozio")), "from-shop"),
                    };
                    view! {
                        <li class=class>
                            <p class="muted">{format!("{who} · {}", format_time(&message.at, l))}</p>
                            <p class="body">{message.body.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <form class="reply" on:submit=send>
                <div class="field">
                    <label for="reply">{l.t(tr!("Répondre au client", "Reply to the customer", "Dem Kunden antworten", "Responder al cliente", "Rispondi al cliente"))}</label>
                    <textarea id="reply" rows="3" required maxlength="2000"
                        prop:value=move || reply.get() on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" disabled=move || busy.get()>{l.t(tr!("Envoyer la réponse", "Send the reply", "Antwort senden", "Enviar la respuesta", "Invia la risposta"))}</button>
            </form>
        </section>
    }
}
