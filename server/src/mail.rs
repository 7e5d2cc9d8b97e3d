//! E-mails to the shopper (order confirmed, shipped, delivered, refunded, return answered and
//! refunded, a reply from the shop) in the order's language, French or English. They are
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

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Fr,
    En,
}

impl Lang {
    fn of(order: &Order) -> Lang {
        match order.locale.as_deref() {
            Some(locale) if locale.to_ascii_lowercase().starts_with("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }

    fn pick(self, fr: impl Into<String>, en: impl Into<String>) -> String {
        match self {
            Lang::Fr => fr.into(),
            Lang::En => en.into(),
        }
    }

    fn french(self) -> bool {
        self == Lang::Fr
    }

    /// Money as each language writes it: `1 234,50 €` in French, `€1,234.50` in English (the
    /// code for currencies without a well-known symbol: `1 234,50 CHF`, `CHF 1,234.50`).
    fn money(self, money: Money) -> String {
        let digits = money.currency.minor_digits();
        let unit = 10i64.pow(digits);
        let (major, minor) = (money.amount.unsigned_abs() / unit as u64, money.amount.unsigned_abs() % unit as u64);
        let (group, decimal) = if self.french() { ('\u{202f}', ',') } else { (',', '.') };
        let digits_of_major = major.to_string();
        let mut number = String::new();
        for (i, digit) in digits_of_major.chars().enumerate() {
            if i > 0 && (digits_of_major.len() - i) % 3 == 0 {
                number.push(group);
            }
            number.push(digit);
        }
        if digits > 0 {
            number = format!("{number}{decimal}{minor:0width$}", width = digits as usize);
        }
        let sign = if money.amount < 0 { "-" } else { "" };
        let code = money.currency.as_str();
        let symbol = match code {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            _ => None,
        };
        match (self, symbol) {
            (Lang::Fr, Some(symbol)) => format!("{sign}{number}\u{a0}{symbol}"),
            (Lang::Fr, None) => format!("{sign}{number}\u{a0}{code}"),
            (Lang::En, Some(symbol)) => format!("{sign}{symbol}{number}"),
            (Lang::En, None) => format!("{sign}{code}\u{a0}{number}"),
        }
    }

    /// "1 article", "2 articles".
    fn items(self, count: u32) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("{count} article"),
            (Lang::Fr, _) => format!("{count} articles"),
            (Lang::En, 1) => "1 item".to_owned(),
            (Lang::En, _) => format!("{count} items"),
        }
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
            lang.pick(format!("Commande {number} confirmée"), format!("Order {number} confirmed")),
            lang.pick(
                "Merci pour votre commande ! Elle est payée et nous la préparons.",
                "Thank you for your order! It is paid and we are preparing it.",
            ),
        ),
        Notice::Shipped => {
            let shipped = order.history.iter().rev().find(|e| e.status == OrderStatus::Shipped);
            let number_line = shipped
                .and_then(|e| e.tracking_number.as_deref())
                .map(|n| lang.pick(format!("\nNuméro de suivi : {n}"), format!("\nTracking number: {n}")));
            let url_line =
                shipped.and_then(|e| e.tracking_url.as_deref()).map(|u| lang.pick(format!("\nSuivi : {u}"), format!("\nTrack it: {u}")));
            (
                lang.pick(format!("Commande {number} expédiée"), format!("Order {number} shipped")),
                lang.pick("Votre commande est en route.", "Your order is on its way.")
                    + &number_line.unwrap_or_default()
                    + &url_line.unwrap_or_default(),
            )
        }
        Notice::Delivered => (
            lang.pick(format!("Commande {number} livrée"), format!("Order {number} delivered")),
            lang.pick(
                "Votre commande a été livrée. Un article ne vous convient pas ? Vous pouvez le retourner depuis la page de la commande.",
                "Your order was delivered. Something not right? You can return it from the order's page.",
            ),
        ),
        Notice::Refunded => {
            // What this refund moved: what the order's returns had not refunded already.
            let moved = lang.money(order.left_to_refund());
            let by_returns = order.refunded_by_returns();
            let before = (by_returns.amount > 0).then(|| {
                let (returns, total) = (lang.money(by_returns), lang.money(order.total));
                lang.pick(
                    format!(" Avec les {returns} déjà remboursés pour vos retours, la commande vous est remboursée en entier : {total}."),
                    format!(" With the {returns} already refunded for your returns, the whole order is refunded: {total}."),
                )
            });
            (
                lang.pick(format!("Commande {number} remboursée"), format!("Order {number} refunded")),
                lang.pick(format!("Nous vous avons remboursé {moved}."), format!("We refunded you {moved}.")) + &before.unwrap_or_default(),
            )
        }
        Notice::ReturnRequested(ret) => (
            lang.pick(format!("Demande de retour reçue : commande {number}"), format!("Return request received: order {number}")),
            lang.pick(
                "Nous avons bien reçu votre demande de retour, et vous répondrons rapidement. Vous avez demandé à retourner :",
                "We received your return request and will answer soon. You asked to return:",
            ) + &return_lines(lang, order, ret),
        ),
        Notice::ReturnApproved(ret) => {
            let mut news = lang.pick(
                "Votre demande de retour est acceptée. Renvoyez-nous les articles :",
                "Your return is approved. Please send the items back:",
            );
            news += &return_lines(lang, order, ret);
            if let Some(instructions) = &ret.instructions {
                news += &format!("\n\n{instructions}");
            }
            if let Some(label) = &ret.label_url {
                news += &lang.pick(format!("\n\nÉtiquette de retour : {label}"), format!("\n\nReturn label: {label}"));
            }
            (lang.pick(format!("Retour accepté : commande {number}"), format!("Return approved: order {number}")), news)
        }
        Notice::ReturnRefused(ret) => {
            let reason = ret.refusal_reason.as_deref().unwrap_or_default();
            (
                lang.pick(format!("Retour refusé : commande {number}"), format!("Return refused: order {number}")),
                lang.pick(
                    format!("Nous ne pouvons pas accepter ce retour :\n\n{reason}"),
                    format!("We cannot accept this return:\n\n{reason}"),
                ) + &return_lines(lang, order, ret),
            )
        }
        Notice::ReturnRefunded(ret) => (
            lang.pick(format!("Retour remboursé : commande {number}"), format!("Return refunded: order {number}")),
            lang.pick(
                format!("Nous avons reçu votre retour et vous avons remboursé {} :", lang.money(ret.refund)),
                format!("We received your return and refunded you {}:", lang.money(ret.refund)),
            ) + &return_lines(lang, order, ret),
        ),
        Notice::ShopReplied(message) => (
            lang.pick(format!("{shop} vous a répondu : commande {number}"), format!("{shop} replied: order {number}")),
            message.body.clone(),
        ),
    };
    let greeting = lang.pick(format!("Bonjour {},", order.address.name), format!("Hello {},", order.address.name));
    let summary = order_summary(lang, order);
    let signature = match link {
        Some(link) => lang.pick(
            format!("Votre commande, pour la suivre ou nous écrire (« Contacter la boutique ») :\n{link}\n\n{shop}"),
            format!("Your order, to follow it or write to us (\"Contact the shop\"):\n{link}\n\n{shop}"),
        ),
        None => lang.pick(
            format!("Pour nous écrire, ouvrez la commande {number} sur notre site et choisissez « Contacter la boutique ».\n\n{shop}"),
            format!("To write to us, open order {number} on our site and choose \"Contact the shop\".\n\n{shop}"),
        ),
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
    lines + &lang.pick(format!("\n\nMotif : {}", ret.reason), format!("\n\nReason: {}", ret.reason))
}

/// The order's lines, total and delivery address.
fn order_summary(lang: Lang, order: &Order) -> String {
    let units = order.lines.iter().map(|l| l.quantity).sum();
    let mut text =
        lang.pick(format!("Commande {} ({})", order.number, lang.items(units)), format!("Order {} ({})", order.number, lang.items(units)));
    for line in &order.lines {
        let colon = lang.pick(" :", ":");
        text += &format!("\n  {} × {}{colon} {}", line.quantity, line.item_name(), lang.money(line.total));
    }
    text += &lang.pick(format!("\n  Livraison : {}", lang.money(order.shipping)), format!("\n  Shipping: {}", lang.money(order.shipping)));
    text += &lang.pick(format!("\n  Total : {}", lang.money(order.total)), format!("\n  Total: {}", lang.money(order.total)));
    let refunded = order.refunded();
    if refunded.amount > 0 {
        text += &lang.pick(format!("\n  Remboursé : {}", lang.money(refunded)), format!("\n  Refunded: {}", lang.money(refunded)));
    }
    let a = &order.address;
    let street = [Some(a.line1.as_str()), a.line2.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    let country = crate::countries::name(&a.country, lang.french());
    text + &lang.pick(
        format!("\n\nLivraison à : {}, {street}, {} {}, {country}", a.name, a.postal_code, a.city),
        format!("\n\nShipping to: {}, {street}, {} {}, {country}", a.name, a.postal_code, a.city),
    )
}
