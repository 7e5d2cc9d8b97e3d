//! E-mails to the shopper (order confirmed, shipped, delivered, refunded, return answered and
//! refunded, a reply from the shop) in the order's language: French, English, German, Spanish
//! or Italian (English for any other). They are
//! written to the outbox (`kind` = `email`) in the transaction of the change they tell and
//! sent by a background task (`crate::sender`: retried with back-off, kept across restarts)
//! through SMTP when `--smtp-url` is set, else written as `.eml` files to `--mail-dir`.
//!
//! Each e-mail has an id, its outbox row's, the same at every attempt. A process killed
//! between sending an e-mail and recording it sends it again at the next start: as a file it
//! is then not written twice (`<id>.eml` is there already, and appears whole, by a rename);
//! through SMTP its `Message-ID` is the same, by which mail servers and clients recognise a
//! copy.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message as Email, Tokio1Executor};
use serde::{Deserialize, Serialize};
use shoppable_protocol::{Message, Money, Order, OrderStatus, Return};
use sqlx::AnyConnection;
use tokio::io::AsyncWriteExt;
use tokio::sync::Notify;

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::sender::{self, Deliver};
use crate::storage::{Db, outbox};

/// What happened, as told to the shopper.
pub enum Notice<'a> {
    Confirmed {
        secret: Option<&'a str>,
    },
    Shipped,
    Delivered,
    Refunded,
    /// The shopper asked for a return: they get an acknowledgement.
    ReturnRequested(&'a Return),
    ReturnApproved(&'a Return),
    ReturnRefused(&'a Return),
    ReturnRefunded(&'a Return),
    ShopReplied(&'a Message),
}

impl Notice<'_> {
    /// The order's secret, which only the confirmation knows (it is written when the order
    /// is placed): its link opens the order on any device.
    fn secret(&self) -> Option<&str> {
        match self {
            Notice::Confirmed { secret } => *secret,
            _ => None,
        }
    }

    /// The notice of an order reaching `status`, when the shopper gets one.
    pub fn of_status(status: OrderStatus) -> Option<Notice<'static>> {
        match status {
            OrderStatus::Paid => Some(Notice::Confirmed { secret: None }),
            OrderStatus::Shipped => Some(Notice::Shipped),
            OrderStatus::Delivered => Some(Notice::Delivered),
            OrderStatus::Refunded => Some(Notice::Refunded),
            // Placed is not news; the shopper cancels by themselves.
            OrderStatus::Placed | OrderStatus::Cancelled => None,
        }
    }
}

/// Writes e-mails to the outbox.
#[derive(Clone)]
pub struct Mailer {
    shop_name: String,
    /// The shop's page of the widget, which e-mails link orders to.
    shop_url: Option<String>,
    /// The folder of the `.eml` files; None with SMTP.
    folder: Option<Arc<PathBuf>>,
    wake: Arc<Notify>,
}

/// An e-mail as queued: composed when the change happens, in the words of that moment.
#[derive(Serialize, Deserialize)]
struct Queued {
    to: String,
    subject: String,
    text: String,
}

impl Mailer {
    /// Starts the sender: SMTP when configured, else `.eml` files in the mail folder.
    pub fn start(db: Db, config: &Config) -> AppResult<Mailer> {
        let from = Mailbox::new(
            Some(config.shop_name.clone()),
            config.mail_from.parse().map_err(|e| AppError::internal(format!("--mail-from: {e}")))?,
        );
        let (transport, folder) = match config.smtp_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => {
                let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| AppError::internal(format!("--smtp-url: {e}")))?
                    .build();
                (Transport::Smtp(smtp), None)
            }
            None => {
                let dir = config.mail_dir.clone().unwrap_or_else(|| config.beside_database("mail"));
                std::fs::create_dir_all(&dir).map_err(|e| AppError::internal(format!("{}: {e}", dir.display())))?;
                (Transport::Files(dir.clone()), Some(Arc::new(dir)))
            }
        };
        let shop_url = config.shop_url.clone().filter(|url| !url.is_empty());
        if let Some(url) = shop_url.as_deref().filter(|url| !shoppable_protocol::url::is_web_address(url)) {
            return Err(AppError::internal(format!("--shop-url: {url} is not a complete http(s) address")));
        }
        let wake = Arc::new(Notify::new());
        sender::start(db, wake.clone(), Postman { from, transport });
        Ok(Mailer { shop_name: config.shop_name.clone(), shop_url, folder, wake })
    }

    /// The folder of the `.eml` files; None when e-mails go through SMTP.
    pub fn folder(&self) -> Option<&std::path::Path> {
        self.folder.as_deref().map(PathBuf::as_path)
    }

    /// Queues the e-mail of `notice` to the order's shopper inside the caller's transaction;
    /// call [`Mailer::wake`] after the commit. An address no mail server would take is skipped.
    pub async fn add(&self, conn: &mut AnyConnection, notice: Notice<'_>, order: &Order) -> AppResult<()> {
        let Some(to) = address_of(&order.address.email) else {
            tracing::warn!(order = %order.id, "no e-mail sent: the order's address is not one a mail server takes");
            return Ok(());
        };
        let link = self.shop_url.as_deref().map(|page| order_link(page, order, notice.secret()));
        let (subject, text) = compose(&notice, order, &self.shop_name, link.as_deref());
        let queued = Queued { to: to.to_string(), subject, text };
        outbox::add(conn, Postman::KIND, &serde_json::to_string(&queued).map_err(AppError::internal)?).await
    }

    /// Tells the sender that e-mails were committed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// `text` as an 8bit body, readable in the `.eml` files and to any SMTP server of this
/// century. Lines are wrapped at 72 bytes, but a link is one word: 8bit takes lines of up to
/// 998 bytes (RFC 5322), where lettre would encode any line over 76. Longer ones need an
/// encoding (lettre picks the shorter one).
fn eight_bit(text: String) -> Body {
    const MAX_LINE: usize = 998;
    if text.contains(['\0', '\r']) || text.split('\n').any(|line| line.len() > MAX_LINE) {
        return Body::new(text);
    }
    Body::dangerous_pre_encoded(text.replace('\n', "\r\n").into_bytes(), ContentTransferEncoding::EightBit)
}

/// The address a mail server takes for `email` as the shopper typed it: one address (no name,
/// no list, no line break), its local part in ASCII, its domain a name with a dot, written in
/// ASCII (IDNA, `exämple.fr` is `xn--exmple-cua.fr`) so that the `To:` header is plain ASCII.
/// None when it is not one: orders are refused with such an address.
pub fn address_of(email: &str) -> Option<lettre::Address> {
    let (user, domain) = email.trim().split_once('@')?;
    let Ok(url::Host::Domain(domain)) = url::Host::parse(domain) else { return None };
    let real_domain = domain.split('.').count() >= 2 && domain.split('.').all(|label| !label.is_empty());
    (user.is_ascii() && real_domain).then(|| lettre::Address::new(user, domain).ok()).flatten()
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The folder of the `.eml` files.
    Files(PathBuf),
}

struct Postman {
    from: Mailbox,
    transport: Transport,
}

/// Writes e-mail `id` as `<id>.eml` in `folder`, once: a file of that name means an earlier
/// attempt wrote it (and the process stopped before recording it), so nothing is written
/// again; and the file appears whole, written under a hidden name and then renamed, so that
/// neither a reader nor a kill ever leaves part of one.
async fn write_once(folder: &Path, id: &str, message: &[u8]) -> std::io::Result<()> {
    let file = folder.join(format!("{id}.eml"));
    if tokio::fs::try_exists(&file).await? {
        return Ok(());
    }
    let partial = folder.join(format!(".{id}.eml.partial"));
    let mut out = tokio::fs::File::create(&partial).await?;
    out.write_all(message).await?;
    out.sync_all().await?;
    tokio::fs::rename(&partial, &file).await
}

impl Deliver for Postman {
    const KIND: &'static str = "email";

    async fn deliver(&self, id: &str, payload: &str) -> Result<(), String> {
        let queued: Queued = serde_json::from_str(payload).map_err(|e| format!("unreadable e-mail: {e}"))?;
        let to = queued.to.parse().map_err(|e| format!("bad address: {e}"))?;
        let body = eight_bit(queued.text);
        let domain = self.from.email.domain();
        let email = Email::builder()
            .message_id(Some(format!("<{id}@{domain}>")))
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(queued.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("cannot build the e-mail: {e}"))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(email).await.map(drop).map_err(|e| format!("SMTP: {e}")),
            Transport::Files(folder) => write_once(folder, id, &email.formatted()).await.map_err(|e| format!("writing the e-mail: {e}")),
        }
    }
}

/// The language of an e-mail: the order's, among those the widget speaks; English otherwise.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Lang {
    Fr,
    En,
    De,
    Es,
    It,
}

impl Lang {
    fn of(order: &Order) -> Lang {
        let primary = order.locale.as_deref().unwrap_or_default().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "fr" => Lang::Fr,
            "de" => Lang::De,
            "es" => Lang::Es,
            "it" => Lang::It,
            _ => Lang::En,
        }
    }

    /// This language's text among `[fr, en, de, es, it]`: every text is written in all five
    /// (an array of four does not compile).
    fn pick<T: Into<String>>(self, texts: [T; 5]) -> String {
        texts.into_iter().nth(self as usize).map(Into::into).unwrap_or_default()
    }

    /// Money as Chromium's `Intl.NumberFormat` writes it for `fr-FR`, `en`, `de-DE`, `es-ES`
    /// and `it-IT`, which the widget and the console use: `1 234,50 €` (narrow no-break space),
    /// `€1,234.50`, `1.234,50 €`, `1234,50 €` (Spanish and Italian group from five digits on:
    /// `12.345,50 €`). Currencies without a symbol in the language are written with their code.
    fn money(self, money: Money) -> String {
        let digits = money.currency.minor_digits();
        let unit = 10u64.pow(digits);
        let (major, minor) = (money.amount.unsigned_abs() / unit, money.amount.unsigned_abs() % unit);
        let (group, decimal, group_from) = match self {
            Lang::Fr => ('\u{202f}', ',', 4),
            Lang::En => (',', '.', 4),
            Lang::De => ('.', ',', 4),
            Lang::Es | Lang::It => ('.', ',', 5),
        };
        let digits_of_major = major.to_string();
        let grouped = digits_of_major.len() >= group_from;
        let mut number = String::new();
        for (i, digit) in digits_of_major.chars().enumerate() {
            if grouped && i > 0 && (digits_of_major.len() - i) % 3 == 0 {
                number.push(group);
            }
            number.push(digit);
        }
        if digits > 0 {
            number = format!("{number}{decimal}{minor:0width$}", width = digits as usize);
        }
        let sign = if money.amount < 0 { "-" } else { "" };
        let code = money.currency.as_str();
        let symbol = match (self, code) {
            (_, "EUR") => Some("€"),
            (Lang::En | Lang::De, "USD") => Some("$"),
            (Lang::Fr, "USD") => Some("$US"),
            (Lang::Es, "USD") => Some("US$"),
            (Lang::En | Lang::De | Lang::It, "GBP") => Some("£"),
            (Lang::Fr, "GBP") => Some("£GB"),
            _ => None,
        };
        match (self, symbol) {
            (Lang::En, Some(symbol)) => format!("{sign}{symbol}{number}"),
            (Lang::En, None) => format!("{sign}{code}\u{a0}{number}"),
            (_, symbol) => format!("{sign}{number}\u{a0}{}", symbol.unwrap_or(code)),
        }
    }

    /// "1 article", "2 articles".
    fn items(self, count: u32) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("{count} article"),
            (Lang::Fr, _) => format!("{count} articles"),
            (Lang::En, 1) => "1 item".to_owned(),
            (Lang::En, _) => format!("{count} items"),
            (Lang::De, _) => format!("{count} Artikel"),
            (Lang::Es, 1) => "1 artículo".to_owned(),
            (Lang::Es, _) => format!("{count} artículos"),
            (Lang::It, 1) => "1 articolo".to_owned(),
            (Lang::It, _) => format!("{count} articoli"),
        }
    }

    /// The colon after a label: French puts a space before it.
    fn colon(self) -> &'static str {
        if self == Lang::Fr { " :" } else { ":" }
    }

    /// "Label: value", the label among `[fr, en, de, es, it]`.
    fn labelled(self, labels: [&str; 5], value: &str) -> String {
        format!("{}{} {value}", labels[self as usize], self.colon())
    }
}

/// The order's page on the shop's site (`page`): the widget there opens the order, with
/// `secret` on any device, without it on the device that placed it.
fn order_link(page: &str, order: &Order, secret: Option<&str>) -> String {
    let page = page.split('#').next().unwrap_or(page);
    match secret {
        Some(secret) => format!("{page}#shoppable-order={}.{secret}", order.id),
        None => format!("{page}#shoppable-order={}", order.id),
    }
}

/// The subject and plain-text body of a notice; `link` opens the order on the shop's site.
fn compose(notice: &Notice<'_>, order: &Order, shop: &str, link: Option<&str>) -> (String, String) {
    let lang = Lang::of(order);
    let number = &order.number;
    let (subject, news) = match notice {
        Notice::Confirmed { .. } => (
            lang.pick([
                format!("Commande {number} confirmée"),
                format!("Order {number} confirmed"),
                format!("Bestellung {number} bestätigt"),
                format!("Pedido {number} confirmado"),
                format!("Ordine {number} confermato"),
            ]),
            lang.pick([
                "Merci pour votre commande ! Elle est payée et nous la préparons.",
                "Thank you for your order! It is paid and we are preparing it.",
                "Vielen Dank für Ihre Bestellung! Sie ist bezahlt und wir bereiten sie vor.",
                "¡Gracias por tu pedido! Está pagado y lo estamos preparando.",
                "Grazie per il tuo ordine! È pagato e lo stiamo preparando.",
            ]),
        ),
        Notice::Shipped => {
            let shipped = order.history.iter().rev().find(|e| e.status == OrderStatus::Shipped);
            let number_line = shipped.and_then(|e| e.tracking_number.as_deref()).map(|n| {
                "\n".to_owned()
                    + &lang.labelled(
                        ["Numéro de suivi", "Tracking number", "Sendungsnummer", "Número de seguimiento", "Numero di tracciamento"],
                        n,
                    )
            });
            let url_line = shipped
                .and_then(|e| e.tracking_url.as_deref())
                .map(|u| "\n".to_owned() + &lang.labelled(["Suivi", "Track it", "Sendungsverfolgung", "Seguimiento", "Tracciamento"], u));
            (
                lang.pick([
                    format!("Commande {number} expédiée"),
                    format!("Order {number} shipped"),
                    format!("Bestellung {number} versandt"),
                    format!("Pedido {number} enviado"),
                    format!("Ordine {number} spedito"),
                ]),
                lang.pick([
                    "Votre commande est en route.",
                    "Your order is on its way.",
                    "Ihre Bestellung ist unterwegs.",
                    "Tu pedido está en camino.",
                    "Il tuo ordine è in viaggio.",
                ]) + &number_line.unwrap_or_default()
                    + &url_line.unwrap_or_default(),
            )
        }
        Notice::Delivered => (
            lang.pick([
                format!("Commande {number} livrée"),
                format!("Order {number} delivered"),
                format!("Bestellung {number} zugestellt"),
                format!("Pedido {number} entregado"),
                format!("Ordine {number} consegnato"),
            ]),
            lang.pick([
                "Votre commande a été livrée. Un article ne vous convient pas ? Vous pouvez le retourner depuis la page de la commande.",
                "Your order was delivered. Something not right? You can return it from the order's page.",
                "Ihre Bestellung wurde zugestellt. Passt etwas nicht? Sie können es über die Seite der Bestellung zurücksenden.",
                "Tu pedido ha sido entregado. ¿Algo no te convence? Puedes devolverlo desde la página del pedido.",
                "Il tuo ordine è stato consegnato. Qualcosa non va? Puoi restituirlo dalla pagina dell'ordine.",
            ]),
        ),
        Notice::Refunded => {
            // What this refund moved: what the order's returns had not refunded already.
            let moved = lang.money(order.left_to_refund());
            let by_returns = order.refunded_by_returns();
            let before = (by_returns.amount > 0).then(|| {
                let (returns, total) = (lang.money(by_returns), lang.money(order.total));
                lang.pick([
                    format!(" Avec les {returns} déjà remboursés pour vos retours, la commande vous est remboursée en entier : {total}."),
                    format!(" With the {returns} already refunded for your returns, the whole order is refunded: {total}."),
                    format!(
                        " Mit den bereits für Ihre Rücksendungen erstatteten {returns} ist Ihnen die ganze Bestellung erstattet: {total}."
                    ),
                    format!(" Con los {returns} ya reembolsados por tus devoluciones, se te ha reembolsado el pedido completo: {total}."),
                    format!(" Con i {returns} già rimborsati per i tuoi resi, l'ordine ti è stato rimborsato per intero: {total}."),
                ])
            });
            (
                lang.pick([
                    format!("Commande {number} remboursée"),
                    format!("Order {number} refunded"),
                    format!("Bestellung {number} erstattet"),
                    format!("Pedido {number} reembolsado"),
                    format!("Ordine {number} rimborsato"),
                ]),
                lang.pick([
                    format!("Nous vous avons remboursé {moved}."),
                    format!("We refunded you {moved}."),
                    format!("Wir haben Ihnen {moved} erstattet."),
                    format!("Te hemos reembolsado {moved}."),
                    format!("Ti abbiamo rimborsato {moved}."),
                ]) + &before.unwrap_or_default(),
            )
        }
        Notice::ReturnRequested(ret) => (
            lang.pick([
                format!("Demande de retour reçue : commande {number}"),
                format!("Return request received: order {number}"),
                format!("Rücksendeanfrage erhalten: Bestellung {number}"),
                format!("Solicitud de devolución recibida: pedido {number}"),
                format!("Richiesta di reso ricevuta: ordine {number}"),
            ]),
            lang.pick([
                "Nous avons bien reçu votre demande de retour, et vous répondrons rapidement. Vous avez demandé à retourner :",
                "We received your return request and will answer soon. You asked to return:",
                "Wir haben Ihre Rücksendeanfrage erhalten und antworten Ihnen bald. Sie möchten zurücksenden:",
                "Hemos recibido tu solicitud de devolución y te responderemos pronto. Has pedido devolver:",
                "Abbiamo ricevuto la tua richiesta di reso e ti risponderemo presto. Hai chiesto di restituire:",
            ]) + &return_lines(lang, order, ret),
        ),
        Notice::ReturnApproved(ret) => {
            let mut news = lang.pick([
                "Votre demande de retour est acceptée. Renvoyez-nous les articles :",
                "Your return is approved. Please send the items back:",
                "Ihre Rücksendung ist angenommen. Bitte senden Sie uns die Artikel zurück:",
                "Tu devolución ha sido aceptada. Envíanos los artículos:",
                "Il tuo reso è stato accettato. Rispediscici gli articoli:",
            ]);
            news += &return_lines(lang, order, ret);
            if let Some(instructions) = &ret.instructions {
                news += &format!("\n\n{instructions}");
            }
            if let Some(label) = &ret.label_url {
                news += &format!(
                    "\n\n{}",
                    lang.labelled(
                        ["Étiquette de retour", "Return label", "Rücksendeetikett", "Etiqueta de devolución", "Etichetta di reso"],
                        label
                    )
                );
            }
            (
                lang.pick([
                    format!("Retour accepté : commande {number}"),
                    format!("Return approved: order {number}"),
                    format!("Rücksendung angenommen: Bestellung {number}"),
                    format!("Devolución aceptada: pedido {number}"),
                    format!("Reso accettato: ordine {number}"),
                ]),
                news,
            )
        }
        Notice::ReturnRefused(ret) => {
            let reason = ret.refusal_reason.as_deref().unwrap_or_default();
            (
                lang.pick([
                    format!("Retour refusé : commande {number}"),
                    format!("Return refused: order {number}"),
                    format!("Rücksendung abgelehnt: Bestellung {number}"),
                    format!("Devolución rechazada: pedido {number}"),
                    format!("Reso rifiutato: ordine {number}"),
                ]),
                lang.pick([
                    format!("Nous ne pouvons pas accepter ce retour :\n\n{reason}"),
                    format!("We cannot accept this return:\n\n{reason}"),
                    format!("Wir können diese Rücksendung nicht annehmen:\n\n{reason}"),
                    format!("No podemos aceptar esta devolución:\n\n{reason}"),
                    format!("Non possiamo accettare questo reso:\n\n{reason}"),
                ]) + &return_lines(lang, order, ret),
            )
        }
        Notice::ReturnRefunded(ret) => {
            let refund = lang.money(ret.refund);
            (
                lang.pick([
                    format!("Retour remboursé : commande {number}"),
                    format!("Return refunded: order {number}"),
                    format!("Rücksendung erstattet: Bestellung {number}"),
                    format!("Devolución reembolsada: pedido {number}"),
                    format!("Reso rimborsato: ordine {number}"),
                ]),
                lang.pick([
                    format!("Nous avons reçu votre retour et vous avons remboursé {refund} :"),
                    format!("We received your return and refunded you {refund}:"),
                    format!("Wir haben Ihre Rücksendung erhalten und Ihnen {refund} erstattet:"),
                    format!("Hemos recibido tu devolución y te hemos reembolsado {refund}:"),
                    format!("Abbiamo ricevuto il tuo reso e ti abbiamo rimborsato {refund}:"),
                ]) + &return_lines(lang, order, ret),
            )
        }
        Notice::ShopReplied(message) => (
            lang.pick([
                format!("{shop} vous a répondu : commande {number}"),
                format!("{shop} replied: order {number}"),
                format!("{shop} hat Ihnen geantwortet: Bestellung {number}"),
                format!("{shop} te ha respondido: pedido {number}"),
                format!("{shop} ti ha risposto: ordine {number}"),
            ]),
            message.body.clone(),
        ),
    };
    let name = &order.address.name;
    let greeting = lang.pick([
        format!("Bonjour {name},"),
        format!("Hello {name},"),
        format!("Hallo {name},"),
        format!("Hola, {name}:"),
        format!("Ciao {name},"),
    ]);
    let summary = order_summary(lang, order);
    let signature = match link {
        Some(link) => lang.pick([
            format!("Votre commande, pour la suivre ou nous écrire (« Contacter la boutique ») :\n{link}\n\n{shop}"),
            format!("Your order, to follow it or write to us (\"Contact the shop\"):\n{link}\n\n{shop}"),
            format!("Ihre Bestellung, um sie zu verfolgen oder uns zu schreiben („Shop kontaktieren“):\n{link}\n\n{shop}"),
            format!("Tu pedido, para seguirlo o escribirnos («Contactar con la tienda»):\n{link}\n\n{shop}"),
            format!("Il tuo ordine, per seguirlo o scriverci («Contatta il negozio»):\n{link}\n\n{shop}"),
        ]),
        None => lang.pick([
            format!("Pour nous écrire, ouvrez la commande {number} sur notre site et choisissez « Contacter la boutique ».\n\n{shop}"),
            format!("To write to us, open order {number} on our site and choose \"Contact the shop\".\n\n{shop}"),
            format!(
                "Um uns zu schreiben, öffnen Sie die Bestellung {number} auf unserer Website und wählen Sie „Shop kontaktieren“.\n\n{shop}"
            ),
            format!("Para escribirnos, abre el pedido {number} en nuestra web y elige «Contactar con la tienda».\n\n{shop}"),
            format!("Per scriverci, apri l'ordine {number} sul nostro sito e scegli «Contatta il negozio».\n\n{shop}"),
        ]),
    };
    (subject, wrap(&format!("{greeting}\n\n{news}\n\n{summary}\n\n{signature}\n")))
}

/// Lines of at most 72 bytes, broken between words: the body then travels as 8bit text
/// (lettre encodes bodies with longer lines), readable in any mail client or `.eml` file.
fn wrap(text: &str) -> String {
    const WIDTH: usize = 72;
    let mut out = String::with_capacity(text.len() + text.len() / WIDTH);
    for line in text.split('\n') {
        let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
        let mut current = String::new();
        // Broken at plain spaces only: a no-break space ("12,00 €") keeps its words together.
        for word in line.split(' ').filter(|word| !word.is_empty()) {
            if !current.is_empty() && current.len() + 1 + word.len() > WIDTH {
                out += &current;
                out.push('\n');
                current.clear();
            }
            current += if current.is_empty() { indent } else { " " };
            current += word;
        }
        out += &current;
        out.push('\n');
    }
    out.pop();
    out
}

/// `  2 × Title (Variant)` for each line of a return.
fn return_lines(lang: Lang, order: &Order, ret: &Return) -> String {
    let line = |index: u32, quantity: u32| order.lines.get(index as usize).map(|l| format!("\n  {quantity} × {}", l.item_name()));
    let lines: String = ret.lines.iter().filter_map(|l| line(l.line, l.quantity)).collect();
    lines + "\n\n" + &lang.labelled(["Motif", "Reason", "Grund", "Motivo", "Motivo"], &ret.reason)
}

/// The order's lines, total and delivery address.
fn order_summary(lang: Lang, order: &Order) -> String {
    let units = order.lines.iter().map(|l| l.quantity).sum();
    let order_word = ["Commande", "Order", "Bestellung", "Pedido", "Ordine"][lang as usize];
    let mut text = format!("{order_word} {} ({})", order.number, lang.items(units));
    for line in &order.lines {
        text += &format!("\n  {} × {}{} {}", line.quantity, line.item_name(), lang.colon(), lang.money(line.total));
    }
    text += &format!("\n  {}", lang.labelled(["Livraison", "Shipping", "Versand", "Envío", "Spedizione"], &lang.money(order.shipping)));
    text += &format!("\n  {}", lang.labelled(["Total", "Total", "Gesamt", "Total", "Totale"], &lang.money(order.total)));
    let refunded = order.refunded();
    if refunded.amount > 0 {
        text +=
            &format!("\n  {}", lang.labelled(["Remboursé", "Refunded", "Erstattet", "Reembolsado", "Rimborsato"], &lang.money(refunded)));
    }
    let a = &order.address;
    let street = [Some(a.line1.as_str()), a.line2.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    let country = crate::countries::name(&a.country, lang);
    let address = format!("{}, {street}, {} {}, {country}", a.name, a.postal_code, a.city);
    text + "\n\n" + &lang.labelled(["Livraison à", "Shipping to", "Lieferung an", "Envío a", "Spedizione a"], &address)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: i64, currency: &str) -> Money {
        Money::new(amount, currency.parse().unwrap())
    }

    /// What Chromium's `Intl.NumberFormat(locale, {style: "currency", currency})` prints
    /// (Chromium 13x, checked in the browser of the e2e tests).
    #[test]
    fn money_is_written_as_the_browser_writes_it_in_each_language() {
        let cases = [
            (Lang::Fr, 123_450, "EUR", "1\u{202f}234,50\u{a0}€"),
            (Lang::Fr, 123_450, "USD", "1\u{202f}234,50\u{a0}$US"),
            (Lang::Fr, 123_450, "GBP", "1\u{202f}234,50\u{a0}£GB"),
            (Lang::En, 123_450, "EUR", "€1,234.50"),
            (Lang::En, 123_450, "CHF", "CHF\u{a0}1,234.50"),
            (Lang::En, -500, "EUR", "-€5.00"),
            (Lang::De, 123_450, "EUR", "1.234,50\u{a0}€"),
            (Lang::De, 1_234_550, "USD", "12.345,50\u{a0}$"),
            (Lang::De, 123_450, "CHF", "1.234,50\u{a0}CHF"),
            (Lang::Es, 123_450, "EUR", "1234,50\u{a0}€"),
            (Lang::Es, 1_234_550, "EUR", "12.345,50\u{a0}€"),
            (Lang::Es, 123_450, "USD", "1234,50\u{a0}US$"),
            (Lang::Es, 123_450, "GBP", "1234,50\u{a0}GBP"),
            (Lang::It, 123_450, "EUR", "1234,50\u{a0}€"),
            (Lang::It, 1_234_550, "EUR", "12.345,50\u{a0}€"),
            (Lang::It, 123_450, "USD", "1234,50\u{a0}USD"),
            (Lang::It, 123_450, "GBP", "1234,50\u{a0}£"),
            (Lang::It, -500, "EUR", "-5,00\u{a0}€"),
        ];
        for (lang, amount, currency, written) in cases {
            assert_eq!(lang.money(money(amount, currency)), written, "{lang:?} {amount} {currency}");
        }
    }
}
